/**
 * A flow's hours per UTC day in one blob (src/baseline/hourBlobs.ts, migration 9): the blob form, the
 * zs_add_hours merge (any order of parts and batches gives the same bytes), packing a FlowDelta's
 * hours, and the store written in parts in different orders reading back the hours of the TS merge.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Baseline } from '../../src/baseline/baseline.js';
import { BaselineReader } from '../../src/baseline/reader.js';
import { addDayHours, decodeDayHours, encodeDayHours, packFlowHours, readFlowHours } from '../../src/baseline/hourBlobs.js';
import { addHourCounts, cloneFlowDelta, hourEntries, mergeFlowDelta, newFrameCounters, type FlowBatch, type FlowDelta } from '../../src/flows/flowDelta.js';
import { sampleFlow } from '../flows/sampleDeltas.js';

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random hours of one day: [slot, packets, bytes], some with 0 counts, some large. */
function randomDay(r: () => number): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let s = 0; s < 24; s++) {
    if (r() < 0.4) continue;
    const big = r() < 0.1;
    out.push([s, Math.floor(r() * (big ? 2 ** 40 : 300)), Math.floor(r() * (big ? 2 ** 50 : 70000))]);
  }
  return out;
}

/** Hours as the reference sums them: slot -> [packets, bytes]. */
function sumDays(days: Array<Array<[number, number, number]>>): Array<[number, number, number]> {
  const m = new Map<number, [number, number]>();
  for (const d of days) for (const [s, p, b] of d) {
    const e = m.get(s) ?? [0, 0];
    m.set(s, [e[0] + p, e[1] + b]);
  }
  return [...m].sort((x, y) => x[0] - y[0]).map(([s, [p, b]]) => [s, p, b]);
}

describe('day blobs', () => {
  test('encodeDayHours/decodeDayHours(hours in any order, 0 counts, counts up to 2^53 - 1) round-trip in slot order; the form is canonical', () => {
    const hours: Array<[number, number, number]> = [[23, 0, 0], [0, 1, 60], [7, Number.MAX_SAFE_INTEGER, 2 ** 31], [12, 127, 128]];
    const blob = encodeDayHours(hours);
    expect(decodeDayHours(blob)).toEqual([[0, 1, 60], [7, Number.MAX_SAFE_INTEGER, 2 ** 31], [12, 127, 128], [23, 0, 0]]);
    expect(encodeDayHours([...hours].reverse()).equals(blob)).toBe(true);
    // mask bits 0, 7, 12, 23; 1 and 60 are one byte each, 127 one byte, 128 two
    expect([...blob.subarray(0, 3)]).toEqual([0x81, 0x10, 0x80]);
    expect([...encodeDayHours([[0, 1, 60]])]).toEqual([1, 0, 0, 1, 60]);
    expect([...encodeDayHours([])]).toEqual([0, 0, 0]);
  });

  test('encodeDayHours(a slot beyond 23, a negative or fractional count) throws', () => {
    expect(() => encodeDayHours([[24, 1, 1]])).toThrow(RangeError);
    expect(() => encodeDayHours([[3, -1, 1]])).toThrow(RangeError);
    expect(() => encodeDayHours([[3, 1, 0.5]])).toThrow(RangeError);
  });

  test('decodeDayHours(values that are not a day blob) is null, never throws', () => {
    const good = encodeDayHours([[1, 300, 5000]]);
    for (const bad of [null, 12, 'abc', Buffer.alloc(0), Buffer.from([1, 0]), good.subarray(0, good.length - 1), Buffer.concat([good, Buffer.from([0])]),
      Buffer.from([1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0])]) {
      expect(decodeDayHours(bad)).toBeNull();
    }
  });

  test('addDayHours(blobs of parts, in every order and grouping) gives the same bytes: the hours of both, counts summed', () => {
    const r = rng(14);
    for (let round = 0; round < 200; round++) {
      const days = [randomDay(r), randomDay(r), randomDay(r)];
      const [a, b, c] = days.map((d) => encodeDayHours(d)) as [Buffer, Buffer, Buffer];
      const want = encodeDayHours(sumDays(days));
      expect(decodeDayHours(want)).toEqual(sumDays(days));
      for (const got of [addDayHours(addDayHours(a, b), c), addDayHours(addDayHours(c, b), a), addDayHours(a, addDayHours(b, c)), addDayHours(addDayHours(b, a), c)]) {
        expect(got.equals(want)).toBe(true);
      }
    }
  });

  test('addDayHours(a stored value that is not a day blob) throws naming it', () => {
    expect(() => addDayHours(Buffer.from([1]), encodeDayHours([[0, 1, 1]]))).toThrow(/zs_add_hours: the stored value is not the hours of a flow_day_hours row/);
  });
});

describe('packFlowHours', () => {
  /** The reference: hours grouped by floor(hour / 24), ascending. */
  function reference(hours: Map<number, [number, number]>): Array<[number, Array<[number, number, number]>]> {
    const byDay = new Map<number, Array<[number, number, number]>>();
    for (const [h, [p, b]] of [...hours].sort((x, y) => x[0] - y[0])) {
      const d = Math.floor(h / 24);
      const e = byDay.get(d) ?? [];
      e.push([h - d * 24, p, b]);
      byDay.set(d, e);
    }
    return [...byDay];
  }
  /** FlowDelta.hours of the map's hours, in the map's order. */
  const counts = (hours: Map<number, [number, number]>): number[] => [...hours].flatMap(([h, [p, b]]) => [h, p, b]);
  const packed = (hours: Map<number, [number, number]>): Array<[number, Array<[number, number, number]> | null]> => {
    const out: Array<[number, Array<[number, number, number]> | null]> = [];
    packFlowHours(counts(hours), (day, blob) => out.push([day, decodeDayHours(blob)]));
    return out;
  };

  test('packFlowHours(hours in fold order over weeks, negative hours too) emits one blob per day, days ascending, each day\'s hours', () => {
    const r = rng(7);
    for (let round = 0; round < 50; round++) {
      const hours = new Map<number, [number, number]>();
      const start = Math.floor(r() * 1e6) - 5e5;
      for (let i = 0; i < 300; i++) hours.set(start + Math.floor(r() * 24 * 40), [Math.floor(r() * 1000), Math.floor(r() * 1e6)]);
      expect(packed(hours)).toEqual(reference(hours));
    }
  });

  test('packFlowHours(hours spanning more than a year) packs them day by day as well', () => {
    const hours = new Map<number, [number, number]>([[491000 + 24 * 400, [3, 4]], [491000, [1, 2]], [491001, [0, 0]], [-5, [9, 9]]]);
    expect(packed(hours)).toEqual(reference(hours));
    expect(packed(new Map())).toEqual([]);
  });

  test('packFlowHours(a fractional hour) throws', () => {
    expect(() => packFlowHours([1.5, 1, 1], () => undefined)).toThrow(RangeError);
  });

  test('packFlowHours(an hour given twice) adds the two up, within a year and past it', () => {
    const once = (hs: number[]): Array<[number, Array<[number, number, number]> | null]> => {
      const out: Array<[number, Array<[number, number, number]> | null]> = [];
      packFlowHours(hs, (day, blob) => out.push([day, decodeDayHours(blob)]));
      return out;
    };
    expect(once([491000, 1, 10, 491001, 2, 20, 491000, 3, 30])).toEqual(once([491000, 4, 40, 491001, 2, 20]));
    expect(once([491000, 1, 10, 491000 + 24 * 400, 2, 20, 491000, 3, 30])).toEqual([[Math.floor(491000 / 24), [[491000 % 24, 4, 40]]], [Math.floor((491000 + 24 * 400) / 24), [[491000 % 24, 2, 20]]]]);
  });
});

describe('the store\'s day hours', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-hourblobs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const info = (fp: string) => ({
    fingerprint: fp, headHash: fp, path: `${fp}.pcap`, size: 1, format: 'pcap', compression: 'none', linktypes: [1], endOffset: 24,
    frames: 1, truncated: false, errors: 0, warnings: 0, resumedFrom: null,
  });
  const batchOf = (flows: FlowDelta[]): FlowBatch => ({
    flows, identities: [], macs: [], arp: [], l2: [], scans: [], protocols: [], events: [], capturePoints: [],
    counters: { ...newFrameCounters(), frames: 1, firstTs: 100, lastTs: 200 }, liveConnections: 0,
  });
  /** Parts of one flow with random hours over a few days (one hour shared by every part). */
  function parts(seed: number): FlowDelta[] {
    const r = rng(seed);
    return [1, 2, 3, 4].map((n) => {
      const f = sampleFlow(n);
      for (let i = 0; i < 40; i++) addHourCounts(f.hours, 491000 + Math.floor(r() * 24 * 5), Math.floor(r() * 500), Math.floor(r() * 90000));
      return f;
    });
  }
  /** Write the parts (all but the last as writePart, the last as the capture's batch); the store's rows. */
  function write(name: string, ps: FlowDelta[]): { rows: unknown[]; hours: Array<[number, number, number]> } {
    const path = join(dir, `${name}.db`);
    const st = Baseline.open(path);
    for (const p of ps.slice(0, -1)) st.writePart([p]);
    st.commitCapture(info(name), batchOf([ps[ps.length - 1]!]), [], new Map());
    st.close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT flow_id, day, hex(hours) AS hours FROM flow_day_hours ORDER BY flow_id, day').all();
    db.close();
    const r = BaselineReader.open(path);
    const hours = r.flows()[0]!.hours.map((h) => [h.hour, h.packets, h.bytes] as [number, number, number]);
    r.close();
    return { rows, hours };
  }

  test('Baseline.writePart/commitCapture(the same parts in different orders) store identical day blobs; the reader gives the TS merge\'s hours, sorted', () => {
    const ps = parts(3);
    const want = cloneFlowDelta(ps[0]!);
    for (const p of ps.slice(1)) mergeFlowDelta(want, p);
    const wantHours = hourEntries(want.hours);
    const a = write('forward', ps);
    const b = write('backward', [...ps].reverse());
    const c = write('shuffled', [ps[2]!, ps[0]!, ps[3]!, ps[1]!]);
    expect(a.rows.length).toBeGreaterThan(1);
    expect(b.rows).toEqual(a.rows);
    expect(c.rows).toEqual(a.rows);
    expect(a.hours).toEqual(wantHours);
    expect(c.hours).toEqual(wantHours);
  });

  test('readFlowHours(day blobs, a damaged blob, a day beyond a Date, leftover flow_hours rows) reads the good hours in order, adding an hour in both', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE flow_day_hours (flow_id INTEGER, day INTEGER, hours BLOB, PRIMARY KEY (flow_id, day)) WITHOUT ROWID;
      CREATE TABLE flow_hours (flow_id INTEGER, hour INTEGER, packets INTEGER, bytes INTEGER, PRIMARY KEY (flow_id, hour)) WITHOUT ROWID;`);
    const ins = db.prepare('INSERT INTO flow_day_hours VALUES (?, ?, ?)');
    ins.run(1, 20000, encodeDayHours([[3, 1, 10], [5, 2, 20]]));
    ins.run(1, 20001, Buffer.from([1, 2])); // damaged: left out
    ins.run(1, 1e8, encodeDayHours([[0, 9, 9]])); // beyond a Date: left out
    ins.run(2, 20000, encodeDayHours([[0, 4, 40]]));
    ins.run(3, 20000, encodeDayHours([[0, 4, 40]])); // a flow not read
    db.prepare('INSERT INTO flow_hours VALUES (?, ?, ?, ?)').run(1, 20000 * 24 + 4, 7, 70);
    db.prepare('INSERT INTO flow_hours VALUES (?, ?, ?, ?)').run(1, 20000 * 24 + 5, 1, 1);
    db.prepare('INSERT INTO flow_hours VALUES (?, ?, ?, ?)').run(4, 20000 * 24 + 5, 1, 1);
    const byId = new Map([1, 2, 4].map((id) => [id, { hours: [] as Array<{ hour: number; packets: number; bytes: number }> }]));
    readFlowHours(db, byId);
    const h0 = 20000 * 24;
    expect(byId.get(1)!.hours).toEqual([{ hour: h0 + 3, packets: 1, bytes: 10 }, { hour: h0 + 4, packets: 7, bytes: 70 }, { hour: h0 + 5, packets: 3, bytes: 21 }]);
    expect(byId.get(2)!.hours).toEqual([{ hour: h0, packets: 4, bytes: 40 }]);
    expect(byId.get(4)!.hours).toEqual([{ hour: h0 + 5, packets: 1, bytes: 1 }]);
    db.close();
  });
});
