import { addFirst, eventClassOf, EVENT_EACH, EVENT_FIRST, EVENT_NONE, firstKey, mergeEvents, type EventDelta } from '../../src/flows/eventDelta.js';
import { OP_CLASSES } from '../../src/dissectors/types.js';

function ev(kind: EventDelta['kind'], code: number, ts: number, frame: number, count = 1, extra: Partial<EventDelta> = {}): EventDelta {
  return {
    kind, src: '10.0.0.1', dst: '10.0.0.2', transport: 'tcp', port: 502, protocol: 'modbus', space: 'function', code, variant: 0,
    name: `FC${code}`, object: `obj ${frame}`, ts, file: 'a.pcap', frame, count, ...extra,
  };
}

describe('eventDelta', () => {
  test('eventClassOf(class) makes program and control requests each an event, write and diagnostic first-only, the rest none', () => {
    expect(OP_CLASSES.map((c) => [c, eventClassOf(c)])).toEqual([
      ['read', EVENT_NONE], ['write', EVENT_FIRST], ['program', EVENT_EACH], ['control', EVENT_EACH],
      ['diagnostic', EVENT_FIRST], ['session', EVENT_NONE], ['io', EVENT_NONE], ['other', EVENT_NONE],
    ]);
    expect(eventClassOf('carrier')).toBe(EVENT_NONE);
  });

  test('addFirst(a later, then an earlier write) keeps the earlier one with its place and object, and adds the counts', () => {
    const m = new Map<string, EventDelta>();
    addFirst(m, ev('write', 16, 200, 40, 3));
    addFirst(m, ev('write', 16, 100, 90, 2, { file: 'b.pcap' }));
    addFirst(m, ev('write', 16, 300, 5, 4));
    expect([...m.values()]).toEqual([ev('write', 16, 100, 90, 9, { file: 'b.pcap' })]);
  });

  test('addFirst(two writes at one time) keeps the lower frame first', () => {
    const m = new Map<string, EventDelta>();
    addFirst(m, ev('write', 6, 100, 12));
    addFirst(m, ev('write', 6, 100, 11));
    expect([...m.values()].map((e) => [e.frame, e.count])).toEqual([[11, 2]]);
  });

  test('firstKey(events of other pairs, codes or variants) tells them apart', () => {
    const keys = new Set([ev('write', 6, 1, 1), ev('write', 16, 1, 1), ev('write', 6, 1, 1, 1, { variant: 3 }), ev('write', 6, 1, 1, 1, { dst: '10.0.0.3' })].map(firstKey));
    expect(keys.size).toBe(4);
  });

  test('mergeEvents(shards in any order) gives the same list: each program event kept, one first write per key, in time order', () => {
    const a = [ev('program', 26, 5, 50), ev('write', 16, 7, 70, 2)];
    const b = [ev('write', 16, 3, 30, 5), ev('control', 41, 4, 40)];
    const c = [ev('program', 26, 5, 50, 1, { src: '10.0.0.9' })];
    const one = mergeEvents([a, b, c]);
    expect(mergeEvents([c, b, a])).toEqual(one);
    expect(one.map((e) => [e.kind, e.ts, e.frame, e.count])).toEqual([['write', 3, 30, 7], ['control', 4, 40, 1], ['program', 5, 50, 1], ['program', 5, 50, 1]]);
    expect(one[2]!.src).toBe('10.0.0.1');
    expect(a[1]!.count).toBe(2); // inputs untouched
  });
});
