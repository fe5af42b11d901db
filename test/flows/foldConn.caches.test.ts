/**
 * FlowFolder's caches (flow slots through the key cache, last hour, latest hour and day, the
 * function and object order guesses, object names and attribute values per flow) change no result:
 * folding many connections into one folder, with take() between them, gives what folding each
 * connection on its own and merging the deltas by the merge rules gives, map entries in the same
 * order; and a delta handed over by take() is never written again.
 */
import { createRegistry } from '../../src/dissectors/registry.js';
import { s7comm } from '../../src/dissectors/s7comm/index.js';
import { AppSession } from '../../src/dissectors/session.js';
import type { Conn, ObjectCounter } from '../../src/flows/conn.js';
import { InitiatorDecider } from '../../src/flows/decideInitiator.js';
import { cloneFlowDelta, dayEntries, mergeFlowDelta, type FlowDelta } from '../../src/flows/flowDelta.js';
import { FlowFolder } from '../../src/flows/foldConn.js';
import { L2Tracker } from '../../src/flows/l2Tracker.js';
import { ProbeDetector } from '../../src/flows/probeDetector.js';
import { ConnFixture } from './connFixture.js';

const registry = createRegistry([s7comm]);
const DAY = 20454; // 2026-01-01
const T0 = DAY * 86400;

function folderOf(fx: ConnFixture): FlowFolder {
  return new FlowFolder(fx.hosts, new InitiatorDecider(registry, fx.hosts), new ProbeDetector(fx.hosts, 256), new L2Tracker(fx.hosts));
}

/** What one connection does before it is folded: packets (time, function), objects. */
interface ConnSpec {
  client: string;
  server: string;
  port: number;
  sport: number;
  /** [seconds after T0, function code or -1 for none, space] */
  packets: Array<[number, number, number]>;
  /** [connection key, space, raw key, reads, writes] */
  objects: Array<[string | number, number, number, number, number]>;
  attributes?: Array<[string, string]>;
}

function build(fx: ConnFixture, s: ConnSpec): Conn {
  const c = fx.conn(s.client, s.sport, s.server, s.port, 6, T0 + s.packets[0]![0]);
  c.syn = c.firstFromA ? 1 : 0;
  c.payloadSeen = true;
  c.answeredA = c.answeredB = true;
  c.session = new AppSession(registry, 'tcp', c.portA, c.portB, -1, -1);
  for (const [t, code, space] of s.packets) {
    c.count(c.firstFromA, 60 + (t % 7), T0 + t);
    if (code < 0) continue;
    const fns = (c.fns ??= new Map());
    const k = space * 2 ** 40 + code; // a heap-number key for space 1
    const f = fns.get(k) ?? { space, code, variant: 0, requests: 0, responses: 0, exceptions: 0 };
    f.requests++;
    if (t % 3 === 0) f.responses++;
    fns.set(k, f);
  }
  if (s.objects.length > 0) {
    const m = new Map<string | number, ObjectCounter>();
    for (const [k, space, key, reads, writes] of s.objects) m.set(k, { space, key, reads, writes });
    c.objects = m;
  }
  if (s.attributes !== undefined && s.attributes.length > 0) c.attributes = new Map(s.attributes);
  return c;
}

/** A deterministic pseudo-random sequence (xorshift32). */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * Connections of a few flows, folded in an order whose hours and days go mostly forwards, sometimes
 * back; functions in changing orders and on several days; object keys that stand for other objects.
 */
function specs(n: number, seed: number): ConnSpec[] {
  const r = rng(seed);
  const out: ConnSpec[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += Math.floor(r() * 5000);
    const start = r() < 0.15 ? Math.max(0, t - Math.floor(r() * 200_000)) : t;
    const packets: Array<[number, number, number]> = [];
    let pt = start;
    const np = 1 + Math.floor(r() * 8);
    for (let j = 0; j < np; j++) {
      pt += Math.floor(r() * (r() < 0.2 ? 90_000 : 900));
      packets.push([pt, r() < 0.2 ? -1 : [4, 5, 0x1a, 0x28][Math.floor(r() * 4)]!, r() < 0.3 ? 1 : 0]);
    }
    const objects: Array<[string | number, number, number, number, number]> = [];
    const no = Math.floor(r() * 3);
    for (let j = 0; j < no; j++) {
      objects.push([r() < 0.5 ? j : `o${j}`, Math.floor(r() * 2), Math.floor(r() * 3), Math.floor(r() * 4), Math.floor(r() * 2)]);
    }
    const attributes: Array<[string, string]> = [];
    if (r() < 0.5) attributes.push(['s7_pdu_size', String(240 * (1 + Math.floor(r() * 3)))]);
    if (r() < 0.3) attributes.push(['cotp_called_tsap', `0x010${Math.floor(r() * 2)}`]);
    out.push({
      client: `10.30.1.${50 + Math.floor(r() * 3)}`, server: `10.20.1.${10 + Math.floor(r() * 2)}`, port: 102, sport: 40000 + i,
      packets, objects, attributes,
    });
  }
  return out;
}

/** A delta's hours as [hour, packets, bytes] entries in the delta's own order (that of their first fold). */
function inOrder(hours: readonly number[]): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i < hours.length; i += 3) out.push([hours[i]!, hours[i + 1]!, hours[i + 2]!]);
  return out;
}

/** Every field of a flow delta, map entries in their order. */
function norm(f: FlowDelta): unknown {
  return {
    ...f,
    hours: [...f.hours],
    functions: [...f.functions].map(([k, fn]) => [k, { ...fn, days: dayEntries(fn.days) }]),
    ranges: [...f.ranges],
    objects: [...f.objects],
    attributes: [...f.attributes].map(([k, s]) => [k, [...s]]),
  };
}

/** Deltas added up by key in first-seen order (mergeFlowDelta). */
function addUp(lists: FlowDelta[][]): Map<string, FlowDelta> {
  const m = new Map<string, FlowDelta>();
  for (const list of lists) {
    for (const f of list) {
      const e = m.get(f.key);
      if (e === undefined) m.set(f.key, cloneFlowDelta(f));
      else mergeFlowDelta(e, f);
    }
  }
  return m;
}

describe('FlowFolder caches', () => {
  test.each([[1], [2], [3]])('folding together = folding each connection alone and merging (seed %i), across take()', (seed) => {
    const list = specs(400, seed);
    const fxAll = new ConnFixture();
    const all = folderOf(fxAll);
    const fxOne = new ConnFixture();
    const takes: FlowDelta[][] = [];
    const snapshots: unknown[][] = [];
    const alone: FlowDelta[][] = [];
    list.forEach((s, i) => {
      all.fold(build(fxAll, s));
      if (i % 97 === 96) {
        const t = all.take().flows;
        takes.push(t);
        snapshots.push(t.map(norm));
      }
      const one = folderOf(fxOne);
      one.fold(build(fxOne, s));
      alone.push(one.take().flows);
    });
    const last = all.take().flows;
    // The deltas handed over before were not written by the later folds.
    expect(takes.map((t) => t.map(norm))).toEqual(snapshots);
    const got = addUp([...takes, last]);
    const want = addUp(alone);
    expect([...got.keys()]).toEqual([...want.keys()]);
    expect([...got.values()].map(norm)).toEqual([...want.values()].map(norm));
    // The cases the caches are for did occur.
    const some = [...want.values()];
    expect(some.some((f) => f.hours.length / 3 > 20)).toBe(true);
    expect(some.some((f) => [...f.functions.values()].some((fn) => fn.days.length / 4 > 1))).toBe(true);
    expect(some.some((f) => f.objects.size > 2)).toBe(true);
    expect(some.some((f) => [...f.attributes.values()].some((v) => v.size > 2))).toBe(true);
  });

  test('hours that go back, and an hour met again, add into the entries they have', () => {
    const fx = new ConnFixture();
    const folder = folderOf(fx);
    const hour = (T0 / 3600) | 0;
    const at = [7300, 100, 7400, 3700, 7500, 100];
    for (const t of at) folder.fold(build(fx, { client: '10.30.1.50', server: '10.20.1.10', port: 102, sport: 40000 + t, packets: [[t, -1, 0]], objects: [] }));
    const f = folder.take().flows[0]!;
    expect(inOrder(f.hours).map(([h, p]) => [h - hour, p])).toEqual([[2, 3], [0, 2], [1, 1]]);
  });

  test.each([50, 100])('an hour far behind the latest ones (%i hours: found by a scan, or through the index past 64) is found, and new ones after it too', (n) => {
    const fx = new ConnFixture();
    const folder = folderOf(fx);
    const hour = (T0 / 3600) | 0;
    const at = [...Array.from({ length: n }, (_, i) => i), 3, n + 10, 2, n + 5, n + 10, n + 1, 0, n + 20, 1];
    for (const [j, h] of at.entries()) {
      folder.fold(build(fx, { client: '10.30.1.50', server: '10.20.1.10', port: 102, sport: 40000 + j, packets: [[h * 3600 + 5, -1, 0]], objects: [] }));
    }
    const f = folder.take().flows[0]!;
    const want = new Map<number, number>();
    for (const h of at) want.set(h, (want.get(h) ?? 0) + 1);
    expect(inOrder(f.hours).map(([h, p]) => [h - hour, p])).toEqual([...want]);
  });

  test('a function on a day before its latest, and functions in another order, count on their own entries', () => {
    const fx = new ConnFixture();
    const folder = folderOf(fx);
    const conn = (sport: number, packets: Array<[number, number, number]>) =>
      folder.fold(build(fx, { client: '10.30.1.50', server: '10.20.1.10', port: 102, sport, packets, objects: [] }));
    conn(40001, [[86400 + 10, 4, 0], [86400 + 11, 5, 0]]);
    conn(40002, [[86400 + 20, 5, 0], [86400 + 21, 4, 0]]);
    conn(40003, [[30, 4, 0]]); // the day before
    conn(40004, [[86400 + 40, 4, 0], [2 * 86400 + 1, 4, 0]]);
    const f = folder.take().flows[0]!;
    const days = (k: number) => dayEntries(f.functions.get(k)!.days).map(([d, n]) => [d - DAY, n.requests]);
    expect(days(4)).toEqual([[1, 3], [0, 1], [2, 1]]);
    expect(days(5)).toEqual([[1, 2]]);
    expect([f.functions.get(4)!.requests, f.functions.get(5)!.requests]).toEqual([5, 2]);
  });

  test.each([50, 100])('a function on a day far behind its latest (%i days: found by a scan, or through the index past 64) counts on that day', (n) => {
    const fx = new ConnFixture();
    const folder = folderOf(fx);
    const at = [...Array.from({ length: n }, (_, i) => i), 3, n + 10, 2, n + 5, n + 10, n + 1, 0, n + 20, 1];
    for (const [j, d] of at.entries()) {
      folder.fold(build(fx, { client: '10.30.1.50', server: '10.20.1.10', port: 102, sport: 40000 + j, packets: [[d * 86400 + 5, 4, 0]], objects: [] }));
    }
    const f = folder.take().flows[0]!;
    const want = new Map<number, number>();
    for (const d of at) want.set(d, (want.get(d) ?? 0) + 1);
    expect(dayEntries(f.functions.get(4)!.days).map(([d, c]) => [d - DAY, c.requests])).toEqual([...want]);
    expect(f.functions.get(4)!.requests).toBe(at.length);
  });

  test('a connection key standing for another object than in an earlier connection is that object', () => {
    const fx = new ConnFixture();
    const folder = folderOf(fx);
    folder.fold(build(fx, { client: '10.30.1.50', server: '10.20.1.10', port: 102, sport: 40001, packets: [[1, 4, 0]], objects: [[1, 0, 7, 2, 0]] }));
    folder.fold(build(fx, { client: '10.30.1.50', server: '10.20.1.10', port: 102, sport: 40002, packets: [[2, 4, 0]], objects: [[1, 1, 7, 0, 1]] }));
    folder.fold(build(fx, { client: '10.30.1.50', server: '10.20.1.10', port: 102, sport: 40003, packets: [[3, 4, 0]], objects: [[1, 0, 7, 5, 0]] }));
    const f = folder.take().flows[0]!;
    expect([...f.objects.values()].map((o) => [o.spaceName, o.reads, o.writes])).toEqual([['variable', 7, 0], ['block', 0, 1]]);
  });

  test('flows of host ids past the small-integer pair keys are found again (the wide key cache)', () => {
    const fx = new ConnFixture();
    const folder = folderOf(fx);
    const w = new Uint32Array(4);
    for (let i = 0; i < 40_000; i++) {
      w[3] = 0x0b000000 + i;
      fx.hosts.hosts.intern(4, w);
    }
    const spec = (sport: number): ConnSpec => ({ client: '10.30.1.50', server: '10.20.1.10', port: 102, sport, packets: [[sport, 4, 0]], objects: [] });
    folder.fold(build(fx, spec(40001)));
    folder.fold(build(fx, spec(40002)));
    expect(fx.hosts.hosts.size).toBe(40_002);
    const [f] = folder.take().flows;
    folder.fold(build(fx, spec(40003)));
    const [g] = folder.take().flows;
    expect([f!.connections, f!.functions.get(4)!.requests, g!.connections, g!.key]).toEqual([2, 2, 1, f!.key]);
  });
});
