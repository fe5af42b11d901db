/** Hand-made FlowRecords for unit tests of the design stage. */
import type { FlowFunction, FlowRecord } from '../../src/baseline/reader.js';

let nextId = 1;

export function flow(src: string, dst: string, protocol: string, port: number, opts: Partial<FlowRecord> & { fns?: Array<[string, number, string, number?]> } = {}): FlowRecord {
  const functions: FlowFunction[] = (opts.fns ?? []).map(([space, code, opClass, requests]) => ({
    space, code, variant: 0, name: `F${code}`, opClass, requests: requests ?? 1, responses: 1, exceptions: 0,
  }));
  return {
    id: nextId++, src, dst, transport: opts.transport ?? 'tcp', port, protocol,
    packetsToResponder: 10, packetsToInitiator: opts.packetsToInitiator ?? 10, bytesToResponder: 100, bytesToInitiator: 100, connections: 1,
    firstSeen: 1_769_385_600, lastSeen: 1_769_385_600 + 86400 * 2,
    evidence: { syn: 1 }, hours: [{ hour: 491496, packets: 10, bytes: 100 }, { hour: 491497, packets: 5, bytes: 50 }, { hour: 491520, packets: 5, bytes: 50 }],
    functions, ranges: [], objects: [], attributes: [],
  };
}
