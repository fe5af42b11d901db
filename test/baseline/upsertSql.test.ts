/**
 * Every counter of a delta reaches the SQL: a crafted batch with a distinct value in every counter is
 * committed twice into a store, read back through the BaselineReader, and every field compared with
 * the same two deltas merged in TypeScript by the one merge (flowDelta.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Baseline } from '../../src/baseline/baseline.js';
import { BaselineReader } from '../../src/baseline/reader.js';
import { UPSERT_ROWS, columnOf, prepareUpsert } from '../../src/baseline/upsertSql.js';
import { decodeRangeKey } from '../../src/flows/conn.js';
import {
  FLOW_RULES,
  FUNCTION_RULES,
  IDENTITY_RULES,
  L2_RULES,
  MAC_RULES,
  CAPTURE_POINT_RULES,
  OBJECT_RULES,
  PROTOCOL_RULES,
  SCAN_RULES,
  cloneFlowDelta,
  hourEntries,
  mergeCounters,
  mergeFlowDelta,
  newFrameCounters,
  type FlowBatch,
  type MergeRules,
} from '../../src/flows/flowDelta.js';
import { sampleFlow } from '../flows/sampleDeltas.js';

const DAY = 20454;

function batch(n: number, day: number): FlowBatch {
  return {
    flows: [sampleFlow(n, day, day * 24 + 5)],
    identities: [{ ip: '10.0.0.1', protocol: 'enip', key: 'vendor', value: 'Rockwell', count: 2 * n, firstTs: 100 * n, lastTs: 200 * n, file: 'x', frame: n }],
    macs: [{ ip: '10.0.0.1', mac: '00:01:02:03:04:05', packets: 3 * n, firstTs: 110 * n, lastTs: 210 * n }],
    arp: [{ ip: '10.0.0.2', mac: '00:01:02:03:04:06', packets: 4 * n, firstTs: 120 * n, lastTs: 220 * n }],
    l2: [{ mac: '00:01:02:03:04:07', etherType: 0x88cc, packets: 5 * n, bytes: 6 * n, firstTs: 130 * n, lastTs: 230 * n }],
    scans: [{ kind: 'scan', host: '10.0.0.9', transport: 'tcp', attempts: 7 * n, packets: 8 * n, bytes: 9 * n, peers: 10 + 3 * (n % 2), ports: 11 * n, firstTs: 140 * n, lastTs: 240 * n }],
    protocols: [{ protocol: 'modbus', connections: 12 * n, pdus: 13 * n, malformed: 14 * n, unparsedBytes: 15 * n, gapBytes: 16 * n, retransmittedBytes: 17 * n, snapCutSegments: 18 * n, snapLostBytes: 19 * n, snapCaplen: 60 + n }],
    events: [],
    capturePoints: [{ encapsulation: 'erspan-ii', outerSrc: '192.0.2.1', outerDst: '192.0.2.2', tunnelId: 7, frames: 18 * n, firstTs: 150 * n, lastTs: 250 * n }],
    counters: { ...newFrameCounters(), frames: 1, firstTs: 100, lastTs: 200 },
    liveConnections: 0,
  };
}

/** The reader's name of a delta field (firstTs -> firstSeen). */
const readerField = (f: string): string => (f === 'firstTs' ? 'firstSeen' : f === 'lastTs' ? 'lastSeen' : f);

function pick<T extends object>(rules: MergeRules<T>, o: object): Record<string, unknown> {
  const r = o as Record<string, unknown>;
  return Object.fromEntries(Object.keys(rules).map((k) => [k, r[readerField(k)] ?? r[k]]));
}

describe('the store adds every counter of a delta by the merge rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-upsert-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'zonescope.db');
  const info = (fp: string) => ({
    fingerprint: fp, headHash: fp, path: `${fp}.pcap`, size: 1, format: 'pcap', compression: 'none', linktypes: [1], endOffset: 24,
    frames: 1, truncated: false, errors: 0, warnings: 0, resumedFrom: null,
  });
  const b1 = batch(1, DAY);
  const b2 = batch(2, DAY + 1);
  const store = Baseline.open(path);
  store.commitCapture(info('a'), b1, [], new Map());
  store.commitCapture(info('b'), b2, [], new Map());
  store.close();
  const reader = BaselineReader.open(path);
  afterAll(() => reader.close());

  test('writeBatch(flow deltas) twice: every flow counter, evidence, hour, function, range, object and attribute equals the TS merge', () => {
    const want = cloneFlowDelta(b1.flows[0]!);
    mergeFlowDelta(want, b2.flows[0]!);
    const [got] = reader.flows();
    expect(pick(FLOW_RULES, got!)).toEqual(pick(FLOW_RULES, want));
    expect(got!.evidence).toEqual(want.evidence);
    expect(got!.hours.map((h) => [h.hour, h.packets, h.bytes])).toEqual(hourEntries(want.hours));
    const fn = want.functions.get(3)!;
    expect(got!.functions).toEqual([{ space: fn.spaceName, code: fn.code, variant: fn.variant, name: fn.name, opClass: fn.opClass, ...pick(FUNCTION_RULES, fn) }]);
    const r = decodeRangeKey(12345);
    expect(got!.ranges).toEqual([{ table: r.table, start: r.start, count: r.count, write: r.write, requests: want.ranges.get(12345) }]);
    const o = want.objects.get('unit\u0000unit 1')!;
    expect(got!.objects).toEqual([{ space: o.spaceName, key: o.key, ...pick(OBJECT_RULES, o) }]);
    expect(got!.attributes).toEqual([{ key: 'k', value: 'v1' }, { key: 'k', value: 'v2' }]);
  });

  test('writeBatch(function days) keeps each day apart: a window of one day reads that day\'s counts only', () => {
    const day1 = reader.flows({ since: DAY * 86400, until: DAY * 86400 + 86399 });
    expect(day1[0]!.functions.map((f) => [f.requests, f.responses, f.exceptions])).toEqual([[8, 9, 10]]);
    const day2 = reader.flows({ since: (DAY + 1) * 86400 });
    expect(day2[0]!.functions.map((f) => [f.requests, f.responses, f.exceptions])).toEqual([[16, 18, 20]]);
    const both = reader.flows({ since: DAY * 86400, until: (DAY + 2) * 86400 });
    expect(both[0]!.functions.map((f) => f.requests)).toEqual([24]);
  });

  test('writeBatch(identities, MACs, ARP, L2 frames, scans, protocol stats) twice equals the TS merge of every counter', () => {
    const merged = <T extends object>(rules: MergeRules<T>, a: T, b: T): Record<string, unknown> => {
      const m = { ...a };
      mergeCounters(rules, m, b);
      return pick(rules, m);
    };
    expect(pick(IDENTITY_RULES, reader.identities()[0]!)).toEqual(merged(IDENTITY_RULES, b1.identities[0]!, b2.identities[0]!));
    expect(reader.identities()[0]!.frame).toBe(1); // where it was first seen
    expect(pick(MAC_RULES, reader.hostMacs()[0]!)).toEqual(merged(MAC_RULES, b1.macs[0]!, b2.macs[0]!));
    expect(pick(MAC_RULES, reader.arp()[0]!)).toEqual(merged(MAC_RULES, b1.arp[0]!, b2.arp[0]!));
    expect(pick(L2_RULES, reader.l2Frames()[0]!)).toEqual(merged(L2_RULES, b1.l2[0]!, b2.l2[0]!));
    expect(pick(SCAN_RULES, reader.scans()[0]!)).toEqual(merged(SCAN_RULES, b1.scans[0]!, b2.scans[0]!));
    expect(pick(PROTOCOL_RULES, reader.protocolStats()[0]!)).toEqual(merged(PROTOCOL_RULES, b1.protocols[0]!, b2.protocols[0]!));
  });

  test('writeBatch(capture points) keeps them per capture and adds a later batch of the same capture by the merge rules', () => {
    const other = join(dir, 'points.db');
    const st = Baseline.open(other);
    const idA = st.commitCapture(info('a'), b1, [], new Map())!;
    st.commitDeltas(idA, b2);
    st.commitCapture(info('b'), b2, [], new Map());
    st.close();
    const r = BaselineReader.open(other);
    const points = r.capturePoints();
    r.close();
    expect(points.map((p) => [p.capture, p.encapsulation, p.outerSrc, p.outerDst, p.tunnelId])).toEqual([
      ['a.pcap', 'erspan-ii', '192.0.2.1', '192.0.2.2', 7],
      ['b.pcap', 'erspan-ii', '192.0.2.1', '192.0.2.2', 7],
    ]);
    const m = { ...b1.capturePoints[0]! };
    mergeCounters(CAPTURE_POINT_RULES, m, b2.capturePoints[0]!);
    expect(pick(CAPTURE_POINT_RULES, points[0]!)).toEqual(pick(CAPTURE_POINT_RULES, m));
    expect(pick(CAPTURE_POINT_RULES, points[1]!)).toEqual(pick(CAPTURE_POINT_RULES, b2.capturePoints[0]!));
  });

  test('the merge rules name every numeric counter of each delta type (a counter left out would never reach the SQL)', () => {
    const b = batch(1, DAY);
    const cases: Array<[object, object, string[]]> = [
      [IDENTITY_RULES, b.identities[0]!, ['frame']],
      [MAC_RULES, b.macs[0]!, []],
      [L2_RULES, b.l2[0]!, ['etherType']],
      [SCAN_RULES, b.scans[0]!, []],
      [PROTOCOL_RULES, b.protocols[0]!, []],
      [CAPTURE_POINT_RULES, b.capturePoints[0]!, ['tunnelId']],
      [OBJECT_RULES, b.flows[0]!.objects.get('unit\u0000unit 1')!, []],
      [FUNCTION_RULES, b.flows[0]!.functions.get(3)!, ['space', 'code', 'variant']],
    ];
    for (const [rules, sample, keys] of cases) {
      const numeric = Object.entries(sample).filter(([k, v]) => typeof v === 'number' && !keys.includes(k)).map(([k]) => k);
      expect(Object.keys(rules).sort()).toEqual(numeric.sort());
    }
  });

  test('prepareUpsert(rules) writes col + excluded.col for sums and min()/max() for first/last seen; columnOf maps camelCase', () => {
    expect(columnOf('packetsToResponder')).toBe('packets_to_responder');
    expect(columnOf('firstTs')).toBe('first_seen');
    expect(columnOf('retransmittedBytes')).toBe('retransmitted_bytes');
    const db = new Database(':memory:');
    db.exec('CREATE TABLE scans (kind, host, transport, attempts, packets, bytes, peers, ports, first_seen, last_seen, PRIMARY KEY (kind, host, transport))');
    const up = prepareUpsert(db, 'scans', ['kind', 'host', 'transport'], [], SCAN_RULES);
    const sql = up.sql;
    up.run(['scan', 'h', 'tcp'], batch(1, DAY).scans[0]!);
    up.run(['scan', 'h', 'tcp'], batch(2, DAY).scans[0]!);
    expect(db.prepare('SELECT attempts, peers, first_seen FROM scans').get()).toEqual({ attempts: 21, peers: 13, first_seen: 140 });
    db.close();
    expect(sql).toContain('attempts = attempts + excluded.attempts');
    expect(sql).toContain('peers = max(peers, excluded.peers)');
    expect(sql).toContain('first_seen = min(first_seen, excluded.first_seen)');
    expect(sql).toContain('last_seen = max(last_seen, excluded.last_seen)');
  });
});

describe('Upsert.rows (many rows per statement)', () => {
  const open = (): Database.Database => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (k INTEGER, h INTEGER, packets INTEGER, bytes INTEGER, first_seen REAL, PRIMARY KEY (k, h))');
    return db;
  };
  const rules: MergeRules<{ packets: number; bytes: number; firstTs: number }> = { packets: 'sum', bytes: 'sum', firstTs: 'min' };
  // More rows than one statement takes, keys repeating within a statement and across statements.
  const rows = Array.from({ length: UPSERT_ROWS * 2 + 7 }, (_, i) => ({ k: i % 5, h: i % 11, packets: i, bytes: 3 * i, firstTs: 1000 - i }));

  test('rows.values + added() + flush() add each row as run() does, in order', () => {
    const a = open();
    const b = open();
    const ua = prepareUpsert(a, 't', ['k', 'h'], [], rules);
    const ub = prepareUpsert(b, 't', ['k', 'h'], [], rules);
    for (const r of rows) ua.run([r.k, r.h], r);
    for (const r of rows) {
      ub.rows.values.push(r.k, r.h, r.packets, r.bytes, r.firstTs);
      ub.rows.added();
    }
    ub.rows.flush();
    const all = (db: Database.Database): unknown[] => db.prepare('SELECT rowid, * FROM t ORDER BY rowid').all();
    expect(all(b)).toEqual(all(a));
    expect(all(a).length).toBe(55);
  });

  test('discard() drops the rows still pending: a later flush() adds none of them', () => {
    const db = open();
    const u = prepareUpsert(db, 't', ['k', 'h'], [], rules);
    u.rows.values.push(1, 1, 5, 5, 1);
    u.rows.discard();
    u.rows.values.push(2, 2, 7, 7, 2);
    u.rows.flush();
    expect(db.prepare('SELECT k, h, packets FROM t').all()).toEqual([{ k: 2, h: 2, packets: 7 }]);
  });
});
