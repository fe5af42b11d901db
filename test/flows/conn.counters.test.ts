import { Conn, Counters } from '../../src/flows/conn.js';

describe('Counters', () => {
  test('one key inline, a Map from the second, in insertion order; asMap() moves the inline entry into a Map', () => {
    const c = new Counters<number, { n: number }>();
    expect([c.size, c.get(1), c.asMap()]).toEqual([0, undefined, null]);
    const a = { n: 1 };
    c.set(1, a);
    expect([c.size, c.map, c.get(1), c.get(2)]).toEqual([1, null, a, undefined]);
    c.set(1, a);
    expect(c.map).toBeNull();
    c.set(2, { n: 2 });
    expect([...c.map!.keys()]).toEqual([1, 2]);
    expect(c.get(1)).toBe(a);
    const d = new Counters<string, string>();
    d.set('k', 'v');
    expect([...d.asMap()!]).toEqual([['k', 'v']]);
    expect([d.has0, d.size]).toEqual([false, 1]);
  });

  test('clear() keeps the inline value object as the spare (once), never one that went into a Map', () => {
    const c = new Counters<number, { n: number }>();
    const a = { n: 1 };
    c.set(1, a);
    c.clear();
    expect(c.size).toBe(0);
    expect(c.takeSpare()).toBe(a);
    expect(c.takeSpare()).toBeNull();
    c.set(1, a);
    c.set(2, { n: 2 });
    c.clear();
    expect(c.takeSpare()).toBeNull();
  });

  test('conn.fns / objects read and set as Maps over the counters; reset() empties them', () => {
    const conn = new Conn(0, 4, 1, 502, 6, true, 0);
    expect(conn.fns).toBeNull();
    conn.fnCounters.set(3, { space: 0, code: 3, variant: 0, requests: 1, responses: 1, exceptions: 0 });
    expect([...conn.fns!.keys()]).toEqual([3]);
    conn.objects = new Map([[1, { space: 0, key: 1, reads: 1, writes: 0 }]]);
    expect(conn.objectCounters.get(1)).toEqual({ space: 0, key: 1, reads: 1, writes: 0 });
    conn.reset(0, 4, 1, 502, 6, true, 0);
    expect([conn.fns, conn.ranges, conn.objects, conn.attributes]).toEqual([null, null, null, null]);
  });
});
