import { buildCommunicationGraph, pairKey } from '../../src/graph/buildGraph.js';
import { asset, flow, steady } from '../zones/helpers/synthetic.js';

describe('buildCommunicationGraph', () => {
  test('buildCommunicationGraph(steady poll vs one-off bulk transfer) weighs the steady pair more', () => {
    const assets = [asset('10.0.0.1', 2), asset('10.0.0.2', 1), asset('10.0.0.3', 1)];
    const cg = buildCommunicationGraph(assets, [
      flow('10.0.0.1', '10.0.0.2', 502, 'modbus', steady(7, 4), { bytes: 20_000 }),
      flow('10.0.0.1', '10.0.0.3', 445, 'smb', [5], { bytes: 500_000_000 }),
    ]);
    const poll = cg.pairs.get(pairKey('10.0.0.1', '10.0.0.2'))!;
    const bulk = cg.pairs.get(pairKey('10.0.0.1', '10.0.0.3'))!;
    expect(poll.hours).toBe(42);
    expect(poll.days).toBe(7);
    expect(bulk.days).toBe(1);
    expect(poll.weight).toBeGreaterThan(3 * bulk.weight);
  });

  test('buildCommunicationGraph(a scan of many ports in one hour) gives the pair the weight of one hour, one day', () => {
    const assets = [asset('10.0.0.9', 3, { role: 'scanner' }), asset('10.0.0.2', 1)];
    const flows = [22, 80, 102, 443, 502, 44818].map((p) => flow('10.0.0.9', '10.0.0.2', p, 'unknown', [3], { bytes: 120 }));
    const cg = buildCommunicationGraph(assets, flows, { hour: 1, day: 4, byte: 0.5 });
    const p = cg.pairs.get(pairKey('10.0.0.9', '10.0.0.2'))!;
    expect(p.flows).toBe(6);
    expect(p.hours).toBe(1);
    expect(p.weight).toBeCloseTo(1 + 4 + 0.5 * Math.log2(1 + 720), 6);
  });

  test('buildCommunicationGraph(weighting options) uses them instead of the defaults', () => {
    const cg = buildCommunicationGraph([asset('10.0.0.1', 2), asset('10.0.0.2', 1)], [flow('10.0.0.1', '10.0.0.2', 502, 'modbus', [0, 1, 25], { bytes: 3 })], { hour: 10, day: 0, byte: 0 });
    expect(cg.pairs.get(pairKey('10.0.0.1', '10.0.0.2'))!.weight).toBe(30);
  });

  test('buildCommunicationGraph(flows in any order) adds nodes in asset order, then unlisted endpoints, and the same edges', () => {
    const assets = [asset('10.0.0.2', 1), asset('10.0.0.1', 2)];
    const f = [flow('10.0.0.1', '10.0.0.2', 502, 'modbus', [1]), flow('10.0.0.7', '10.0.0.1', 80, 'http', [2])];
    const a = buildCommunicationGraph(assets, f);
    const b = buildCommunicationGraph(assets, [...f].reverse());
    expect(a.graph.nodes()).toEqual(['10.0.0.2', '10.0.0.1', '10.0.0.7']);
    expect(a.unlisted).toEqual(['10.0.0.7']);
    expect(a.byId.get('10.0.0.7')!.purdueLevel).toBeNull();
    expect([...a.pairs.entries()].sort()).toEqual([...b.pairs.entries()].sort());
  });
});
