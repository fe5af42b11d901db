/** Synthetic baseline records for the assets stage's unit tests. */
import type { FlowFunction, FlowRecord, IdentityRecord, MacRecord } from '../../src/baseline/reader.js';

let nextId = 1;

export function flow(src: string, dst: string, protocol: string, port: number, fns: Array<Partial<FlowFunction> & { opClass: string }> = [], transport = 'tcp'): FlowRecord {
  return {
    id: nextId++, src, dst, transport, port, protocol, packetsToResponder: 10, packetsToInitiator: 10, bytesToResponder: 1000,
    bytesToInitiator: 1000, connections: 1, firstSeen: 1_770_000_000, lastSeen: 1_770_003_600, evidence: { syn: 1 }, hours: [],
    functions: fns.map((f) => ({ space: 'function', code: 3, variant: 0, name: 'X', requests: 5, responses: 5, exceptions: 0, ...f })),
    ranges: [], objects: [], attributes: [],
  };
}

export function mac(ip: string, m: string, packets = 10): MacRecord {
  return { ip, mac: m, packets, firstSeen: 1_770_000_000, lastSeen: 1_770_003_600 };
}

export function identity(ip: string, protocol: string, key: string, value: string, count = 1): IdentityRecord {
  return { ip, protocol, key, value, count, firstSeen: 1_770_000_000, lastSeen: 1_770_003_600, capture: '/caps/day1.pcap', frame: 42 };
}

export const READ = { opClass: 'read' };
export const WRITE = { opClass: 'write', code: 16 };
export const PROGRAM = { opClass: 'program', code: 0x1a };
