/**
 * Migration 9 (flow_hours -> flow_day_hours): on the store of the first release and on a store of
 * schema 8 with odd rows, every hour a flow had is read back exactly as before, and what cannot move
 * (an orphan, an hour beyond a Date, a count that is not a whole number) stays in flow_hours.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Baseline } from '../../../src/baseline/baseline.js';
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
