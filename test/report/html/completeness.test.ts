import type { FlowRecord } from '../../../src/baseline/reader.js';
import { baselineCompleteness } from '../../../src/report/html/completeness.js';

const DAY0 = 20480;
function flow(hours: number[]): FlowRecord {
  return {
    id: 0, src: 'a', dst: 'b', transport: 'tcp', port: 502, protocol: 'modbus', packetsToResponder: 0, packetsToInitiator: 0, bytesToResponder: 0,
    bytesToInitiator: 0, connections: 0, firstSeen: hours[0]! * 3600, lastSeen: hours[hours.length - 1]! * 3600, evidence: {},
    hours: hours.map((hour) => ({ hour, packets: 1, bytes: 60 })), functions: [], ranges: [], objects: [], attributes: [],
  };
}
const at = (day: number, hour = 0): number => (DAY0 + day) * 24 + hour;

describe('baselineCompleteness', () => {
  test('baselineCompleteness(flows over 10 days) counts new assets, edges and flows per day, the days since the last new edge and one-day flows', () => {
    const flows = [flow([at(0, 1), at(1, 2), at(5)]), flow([at(0, 3)]), flow([at(3, 4), at(3, 9)]), flow([at(6), at(9)])];
    const ends: Array<[number, number]> = [[0, 1], [1, 2], [0, 3], [3, 0]];
    const c = baselineCompleteness(flows, ends, DAY0, 10);
    expect(c.newAssets).toEqual([3, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(c.newEdges).toEqual([2, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(c.newFlows).toEqual([2, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
    expect(c.daysSinceLastNewEdge).toBe(6);
    expect(c.oneDayFlows).toEqual([1, 2]);
  });
  test('baselineCompleteness(no flows) has no last new edge', () => {
    expect(baselineCompleteness([], [], DAY0, 3)).toEqual({ newAssets: [0, 0, 0], newEdges: [0, 0, 0], newFlows: [0, 0, 0], daysSinceLastNewEdge: null, oneDayFlows: [] });
  });
});
