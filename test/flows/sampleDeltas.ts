/** Deltas with every counter set to a distinct value, for merge and store tests. */
import { emptyFlowDelta, type FlowDelta } from '../../src/flows/flowDelta.js';

/** A flow delta with every map filled, counters scaled by `n`. */
export function sampleFlow(n: number, day = 20454, hour = 491000): FlowDelta {
  const f = emptyFlowDelta({ key: 'a|b|tcp|502|modbus', src: 'a', dst: 'b', transport: 'tcp', port: 502, protocol: 'modbus', firstTs: 1000 * n, lastTs: 2000 * n });
  f.packetsToResponder = 1 * n;
  f.packetsToInitiator = 2 * n;
  f.bytesToResponder = 3 * n;
  f.bytesToInitiator = 4 * n;
  f.connections = 5 * n;
  f.evidence = { syn: n, port: 2 * n };
  f.hours.push(hour, 6 * n, 7 * n);
  f.functions.set(3, {
    space: 0, code: 3, variant: 0, spaceName: 'function', name: 'READ_HOLDING_REGISTERS', opClass: 'read',
    requests: 8 * n, responses: 9 * n, exceptions: 10 * n,
    days: [day, 8 * n, 9 * n, 10 * n],
  });
  f.ranges.set(12345, 11 * n);
  f.objects.set('unit\u0000unit 1', { spaceName: 'unit', key: 'unit 1', reads: 12 * n, writes: 13 * n });
  f.attributes.set('k', new Set([`v${n}`]));
  return f;
}

