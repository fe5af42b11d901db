import {
  FLOW_RULES,
  SCAN_RULES,
  SHARD_SCAN_RULES,
  addHourCounts,
  cloneFlowDelta,
  dayEntries,
  hourEntries,
  mergeCounters,
  mergeFlowDelta,
  type FlowDelta,
  type ScanDelta,
} from '../../src/flows/flowDelta.js';
import { sampleFlow } from './sampleDeltas.js';

describe('flowDelta', () => {
  test('mergeCounters(rules) sums, takes the minimum and the maximum as each rule says, and leaves key fields alone', () => {
    const a: ScanDelta = { kind: 'scan', host: 'h', transport: 'tcp', attempts: 1, packets: 2, bytes: 3, peers: 10, ports: 4, firstTs: 50, lastTs: 60 };
    const b: ScanDelta = { ...a, host: 'other', attempts: 5, packets: 6, bytes: 7, peers: 3, ports: 9, firstTs: 40, lastTs: 55 };
    const m = { ...a };
    mergeCounters(SCAN_RULES, m, b);
    expect(m).toEqual({ kind: 'scan', host: 'h', transport: 'tcp', attempts: 6, packets: 8, bytes: 10, peers: 10, ports: 9, firstTs: 40, lastTs: 60 });
    const s = { ...a };
    mergeCounters(SHARD_SCAN_RULES, s, b);
    expect(s.peers).toBe(13);
  });

  test('FLOW_RULES covers every numeric counter of a FlowDelta (none is forgotten by a merge)', () => {
    const numeric = Object.entries(sampleFlow(1)).filter(([k, v]) => typeof v === 'number' && k !== 'port').map(([k]) => k);
    expect(Object.keys(FLOW_RULES).sort()).toEqual(numeric.sort());
  });

  test('mergeFlowDelta(a, b) adds every counter and every map entry, day counts included', () => {
    const a = sampleFlow(1);
    mergeFlowDelta(a, sampleFlow(2, 20455));
    expect([a.packetsToResponder, a.packetsToInitiator, a.bytesToResponder, a.bytesToInitiator, a.connections]).toEqual([3, 6, 9, 12, 15]);
    expect([a.firstTs, a.lastTs]).toEqual([1000, 4000]);
    expect(a.evidence).toEqual({ syn: 3, port: 6 });
    expect(hourEntries(a.hours)).toEqual([[491000, 18, 21]]);
    const fn = a.functions.get(3)!;
    expect([fn.requests, fn.responses, fn.exceptions]).toEqual([24, 27, 30]);
    expect(dayEntries(fn.days)).toEqual([[20454, { requests: 8, responses: 9, exceptions: 10 }], [20455, { requests: 16, responses: 18, exceptions: 20 }]]);
    expect(a.ranges.get(12345)).toBe(33);
    expect(a.objects.get('unit\u0000unit 1')).toEqual({ spaceName: 'unit', key: 'unit 1', reads: 36, writes: 39 });
    expect([...a.attributes.get('k')!].sort()).toEqual(['v1', 'v2']);
  });

  test.each([10, 40, 200])('mergeFlowDelta(deltas of %i hours each, partly the same hours) gives each hour once, its counts summed', (n) => {
    let seed = n;
    const r = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const want = new Map<number, [number, number]>();
    const deltas = [1, 2, 3].map((k) => {
      const f = sampleFlow(k);
      f.hours.length = 0;
      for (let i = 0; i < n; i++) {
        const h = 491000 + Math.floor(r() * n * 2);
        const p = Math.floor(r() * 100);
        addHourCounts(f.hours, h, p, 10 * p);
        const e = want.get(h) ?? [0, 0];
        want.set(h, [e[0] + p, e[1] + 10 * p]);
      }
      return f;
    });
    const into = cloneFlowDelta(deltas[0]!);
    mergeFlowDelta(into, deltas[1]!);
    mergeFlowDelta(into, deltas[2]!);
    const expected = [...want].sort((a, b) => a[0] - b[0]).map(([h, [p, b]]) => [h, p, b]);
    expect(hourEntries(into.hours)).toEqual(expected);
    expect(into.hours.length).toBe(3 * want.size);
  });

  test('mergeFlowDelta is order independent: a + b equals b + a', () => {
    const ab = cloneFlowDelta(sampleFlow(1));
    mergeFlowDelta(ab, sampleFlow(3, 20460));
    const ba = cloneFlowDelta(sampleFlow(3, 20460));
    mergeFlowDelta(ba, sampleFlow(1));
    const norm = (f: FlowDelta) => ({ ...f, functions: [...f.functions].map(([k, v]) => [k, { ...v, days: dayEntries(v.days).sort((x, y) => x[0] - y[0]) }]), attributes: [...f.attributes].map(([k, v]) => [k, [...v].sort()]) });
    expect(norm(ab)).toEqual(norm(ba));
  });

  test('cloneFlowDelta(f) is deep: merging into the clone leaves f as it was', () => {
    const f = sampleFlow(1);
    const c = cloneFlowDelta(f);
    mergeFlowDelta(c, sampleFlow(1));
    expect(f.functions.get(3)!.requests).toBe(8);
    expect(dayEntries(f.functions.get(3)!.days)).toEqual([[20454, { requests: 8, responses: 9, exceptions: 10 }]]);
    expect(hourEntries(f.hours)).toEqual([[491000, 6, 7]]);
    expect(f.objects.get('unit\u0000unit 1')!.reads).toBe(12);
    expect(f.attributes.get('k')!.size).toBe(1);
    expect(c.functions.get(3)!.requests).toBe(16);
  });
});
