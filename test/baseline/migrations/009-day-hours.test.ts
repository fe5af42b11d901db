/**
 * Migration 9 (flow_hours -> flow_day_hours, flow_function_days -> flow_function_day_blocks): on the
 * store of the first release and on a store of schema 8 with odd rows, every hour and function day a
 * flow had is read back exactly as before, and what cannot move (an orphan, a time beyond a Date, a
 * count that is not a whole number) stays where it was.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Baseline } from '../../../src/baseline/baseline.js';
import { decodeFunctionDays } from '../../../src/baseline/functionDayBlobs.js';
import { decodeDayHours } from '../../../src/baseline/hourBlobs.js';
import { MIGRATIONS } from '../../../src/baseline/migrations/index.js';
import { BaselineReader } from '../../../src/baseline/reader.js';
import { prepareForWriting } from '../../../src/baseline/storeFile.js';
import { REPO_ROOT } from '../../util/captures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-m009-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type HourRow = { flow_id: number; hour: unknown; packets: unknown; bytes: unknown };

/** The hours each flow read as before migration 9: its flow_hours rows with a usable hour, by hour. */
function hoursBefore(path: string): Map<number, Array<{ hour: unknown; packets: unknown; bytes: unknown }>> {
  const db = new Database(path, { readonly: true });
  const flows = db.prepare('SELECT id FROM flows').pluck().all() as number[];
  const out = new Map(flows.map((id) => [id, [] as Array<{ hour: unknown; packets: unknown; bytes: unknown }>]));
  for (const r of db.prepare('SELECT * FROM flow_hours ORDER BY flow_id, hour').all() as HourRow[]) {
    const h = Number(r.hour) * 3600;
    if (typeof r.hour === 'number' && h > -8.64e12 && h < 8.64e12) out.get(r.flow_id)?.push({ hour: r.hour, packets: r.packets, bytes: r.bytes });
  }
  db.close();
  return out;
}

function hoursAfter(path: string): Map<number, unknown[]> {
  const r = BaselineReader.open(path);
  try {
    return new Map(r.flows().map((f) => [f.id, f.hours]));
  } finally {
    r.close();
  }
}

test('dayHours migration (the v1 store) moves every hour into one blob per flow and day; the reader reads the same hours', () => {
  const path = join(tmp, 'v1.db');
  copyFileSync(join(REPO_ROOT, 'fixtures', 'stores', 'v1-refinery-unit3.db'), path);
  const before = hoursBefore(path);
  const raw = new Database(path, { readonly: true });
  const rows = raw.prepare('SELECT count(*) AS n, count(DISTINCT flow_id || \':\' || (hour / 24)) AS days FROM flow_hours').get() as { n: number; days: number };
  raw.close();
  expect(rows.n).toBeGreaterThan(1000);
  Baseline.open(path).close();
  const db = new Database(path, { readonly: true });
  try {
    expect(db.prepare('SELECT count(*) FROM flow_hours').pluck().get()).toBe(0);
    const blobs = db.prepare('SELECT flow_id, day, hours FROM flow_day_hours').all() as Array<{ flow_id: number; day: number; hours: Buffer }>;
    expect(blobs).toHaveLength(rows.days);
    expect(blobs.reduce((n, b) => n + decodeDayHours(b.hours)!.length, 0)).toBe(rows.n);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('9');
  } finally {
    db.close();
  }
  expect(hoursAfter(path)).toEqual(before);
});

test('dayHours migration (a schema 8 store with an orphan, an hour beyond a Date and counts that are not whole numbers) leaves those in flow_hours, read as before', () => {
  const path = join(tmp, 'v8.db');
  const db = new Database(path);
  prepareForWriting(db, path, MIGRATIONS.slice(0, 8));
  db.exec(`INSERT INTO flows (id, src, dst, transport, port, protocol, first_seen, last_seen) VALUES
    (1, '10.0.0.1', '10.0.0.2', 'tcp', 502, 'modbus', 0, 1), (2, '10.0.0.3', '10.0.0.2', 'tcp', 502, 'modbus', 0, 1)`);
  const ins = db.prepare('INSERT INTO flow_hours (flow_id, hour, packets, bytes) VALUES (?, ?, ?, ?)');
  for (const [f, h, p, b] of [[1, 491000, 5, 300], [1, 491001, 0, 0], [1, 491030, 7, 420], [2, -30, 1, 60], [2, 27777777777777, 1, 60], [2, 491000, 'x', 60], [2, 491002, 2.5, 60], [2, 491003, -1, 60]]) {
    ins.run(f, h, p, b);
  }
  db.pragma('foreign_keys = OFF');
  ins.run(99, 491000, 1, 1); // an orphan
  db.close();
  const before = hoursBefore(path);
  Baseline.open(path).close();
  const after = new Database(path, { readonly: true });
  try {
    expect(after.prepare('SELECT flow_id, hour FROM flow_hours ORDER BY flow_id, hour').raw().all()).toEqual([[2, 491000], [2, 491002], [2, 491003], [2, 27777777777777], [99, 491000]]);
    const blobs = after.prepare('SELECT flow_id, day, hours FROM flow_day_hours ORDER BY flow_id, day').all() as Array<{ flow_id: number; day: number; hours: Buffer }>;
    expect(blobs.map((b) => [b.flow_id, b.day, decodeDayHours(b.hours)])).toEqual([
      [1, 20458, [[8, 5, 300], [9, 0, 0]]],
      [1, 20459, [[14, 7, 420]]],
      [2, -2, [[18, 1, 60]]],
    ]);
  } finally {
    after.close();
  }
  expect(hoursAfter(path)).toEqual(before);
  const r = BaselineReader.open(path);
  expect(r.timeProblems().map((p) => [p.field, p.rows])).toEqual([['flow_hours.hour', 1]]);
  r.close();
});

test('dayHours migration (a schema 8 store with function days, odd ones too) moves them into 32-day blocks; windows read the same counts', () => {
  const path = join(tmp, 'v8-days.db');
  const db = new Database(path);
  prepareForWriting(db, path, MIGRATIONS.slice(0, 8));
  db.exec(`INSERT INTO flows (id, src, dst, transport, port, protocol, first_seen, last_seen) VALUES (1, '10.0.0.1', '10.0.0.2', 'tcp', 502, 'modbus', 0, 1)`);
  const DAY = 20454;
  db.prepare('INSERT INTO flow_hours (flow_id, hour, packets, bytes) VALUES (1, ?, 1, 60), (1, ?, 1, 60)').run((DAY - 40) * 24, DAY * 24);
  db.prepare("INSERT INTO flow_functions VALUES (1, 'function', 3, 0, 'READ', 'read', 60, 60, 3), (1, 'function', 16, 0, 'WRITE', 'write', 6, 6, 0)").run();
  const ins = db.prepare('INSERT INTO flow_function_days (flow_id, space, code, variant, day, requests, responses, exceptions) VALUES (1, ?, ?, 0, ?, ?, ?, ?)');
  for (const [space, code, day, q, r, e] of [['function', 3, DAY, 10, 10, 1], ['function', 3, DAY - 40, 20, 20, 2], ['function', 3, DAY + 1, 30, 30, 0],
    ['function', 16, DAY, 5, 5, 0], ['function', 16, 1157407407407, 1, 1, 0], ['function', 16, DAY - 40, -1, 1, 0]] as const) {
    ins.run(space, code, day, q, r, e);
  }
  db.close();
  const windows: Array<[number, number]> = [[DAY * 86400, DAY * 86400 + 86399], [(DAY - 40) * 86400, (DAY + 2) * 86400], [(DAY - 40) * 86400, (DAY - 39) * 86400 - 1]];
  // What the schema 8 reader read (flow_function_days summed over the window's days): the counts by hand.
  const before = [[[3, 10, 10, 1], [16, 5, 5, 0]], [[3, 60, 60, 3], [16, 4, 6, 0]], [[3, 20, 20, 2]]];
  Baseline.open(path).close();
  const after = new Database(path, { readonly: true });
  try {
    expect(after.prepare('SELECT code, day FROM flow_function_days ORDER BY code, day').raw().all()).toEqual([[16, DAY - 40], [16, 1157407407407]]);
    const blocks = after.prepare('SELECT code, first_day, days FROM flow_function_day_blocks ORDER BY code, first_day').all() as Array<{ code: number; first_day: number; days: Buffer }>;
    expect(blocks.map((b) => [b.code, b.first_day, decodeFunctionDays(b.days)])).toEqual([
      [3, 20384, [[30, 20, 20, 2]]],
      [3, 20448, [[6, 10, 10, 1], [7, 30, 30, 0]]],
      [16, 20448, [[6, 5, 5, 0]]],
    ]);
  } finally {
    after.close();
  }
  const r = BaselineReader.open(path);
  try {
    // the -1 requests of code 16 on DAY - 40 stay in flow_function_days and are added as before
    expect(windows.map(([since, until]) => r.flows({ since, until })[0]!.functions.map((f) => [f.code, f.requests, f.responses, f.exceptions]))).toEqual(before);
    expect(r.timeProblems().map((p) => [p.field, p.rows])).toEqual([['flow_function_days.day', 1]]);
  } finally {
    r.close();
  }
});
