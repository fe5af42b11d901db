/**
 * Migration step 9: a flow's hourly activity kept per UTC day and its function counts per 32-day block
 * (issue 14). One flow_day_hours row per flow and day holds the day's hours in one blob
 * (src/baseline/hourBlobs.ts: a presence mask, then each present hour's packets and bytes), added up on
 * conflict by the SQL function zs_add_hours; one flow_function_day_blocks row per flow, function and
 * block of 32 days holds its days (src/baseline/functionDayBlobs.ts), added up by zs_add_function_days.
 * A plant's 457 k flow_hours rows become 26 k, its 116 k flow_function_days rows 4.5 k.
 * Every flow_hours / flow_function_days row of a known flow with a usable hour or day (one a Date
 * holds) and whole, non-negative counts is moved into its blob; any other row (an orphan, a time beyond
 * a Date, a count that is not a number: a store written before times were checked, or edited with SQL)
 * stays where it was, in a table the reader reads as before (an unusable time left out, named by
 * timeProblems) and nothing writes any more.
 */
import { MAX_DATE_SEC } from '../../ingest/timestamps.js';
import { DAYS_PER_BLOCK, encodeFunctionDays } from '../functionDayBlobs.js';
import { encodeDayHours } from '../hourBlobs.js';
import type Database from 'better-sqlite3';
import type { Migration } from './index.js';

const MAX_HOUR = MAX_DATE_SEC / 3600;
const MAX_DAY = MAX_DATE_SEC / 86400;
const wholeCount = (c: string): string => `typeof(${c}) = 'integer' AND ${c} >= 0 AND ${c} <= ${Number.MAX_SAFE_INTEGER}`;

/** flow_hours rows that move into flow_day_hours (see above). */
export const MOVABLE_HOUR_SQL =
  `typeof(hour) = 'integer' AND hour > -${MAX_HOUR} AND hour < ${MAX_HOUR} AND ${wholeCount('packets')} AND ${wholeCount('bytes')}` +
  ' AND flow_id IN (SELECT id FROM flows)';
/** flow_function_days rows that move into flow_function_day_blocks. */
export const MOVABLE_DAY_SQL =
  `typeof(day) = 'integer' AND day > -${MAX_DAY} AND day < ${MAX_DAY} AND ${wholeCount('requests')} AND ${wholeCount('responses')}` +
  ` AND ${wholeCount('exceptions')} AND flow_id IN (SELECT id FROM flows)`;

export const dayHours: Migration = {
  version: 9,
  describe: 'hourly activity as one row per flow and UTC day (flow_day_hours), function days as one row per flow, function and 32 days (flow_function_day_blocks)',
  up(db) {
    db.exec(`
CREATE TABLE IF NOT EXISTS flow_day_hours (
  flow_id INTEGER NOT NULL REFERENCES flows(id),
  day INTEGER NOT NULL,               -- floor(unix seconds / 86400), UTC
  hours BLOB NOT NULL,                -- the day's hours: mask, packets and bytes (src/baseline/hourBlobs.ts)
  PRIMARY KEY (flow_id, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS flow_function_day_blocks (
  flow_id INTEGER NOT NULL REFERENCES flows(id),
  space TEXT NOT NULL,
  code INTEGER NOT NULL,
  variant INTEGER NOT NULL,
  first_day INTEGER NOT NULL,         -- a multiple of 32: the days first_day to first_day + 31 (floor(unix seconds / 86400), UTC)
  days BLOB NOT NULL,                 -- each day's requests, responses, exceptions (src/baseline/functionDayBlobs.ts)
  PRIMARY KEY (flow_id, space, code, variant, first_day)
) WITHOUT ROWID;
`);
    moveHours(db);
    moveFunctionDays(db);
  },
};

/** Every movable flow_hours row into its day's blob. */
function moveHours(db: Database.Database): void {
  const flowIds = db.prepare(`SELECT DISTINCT flow_id FROM flow_hours WHERE ${MOVABLE_HOUR_SQL} ORDER BY flow_id`).pluck().all() as number[];
  const hoursOf = db.prepare(`SELECT hour, packets, bytes FROM flow_hours WHERE flow_id = ? AND ${MOVABLE_HOUR_SQL} ORDER BY hour`).raw();
  const insert = db.prepare('INSERT INTO flow_day_hours (flow_id, day, hours) VALUES (?, ?, ?)');
  let moved = 0;
  for (const id of flowIds) {
    const rows = hoursOf.all(id) as Array<[number, number, number]>;
    let day = Math.floor(rows[0]![0] / 24);
    let slots: Array<[number, number, number]> = [];
    for (const [hour, packets, bytes] of rows) {
      const d = Math.floor(hour / 24);
      if (d !== day) {
        insert.run(id, day, encodeDayHours(slots));
        slots = [];
        day = d;
      }
      slots.push([hour - d * 24, packets, bytes]);
    }
    insert.run(id, day, encodeDayHours(slots));
    moved += rows.length;
  }
  const deleted = db.prepare(`DELETE FROM flow_hours WHERE ${MOVABLE_HOUR_SQL}`).run().changes;
  if (deleted !== moved) throw new Error(`migration 9: moved ${moved} flow_hours rows but deleted ${deleted}`);
}

/** Every movable flow_function_days row into its block (rows ordered by flow, function and day). */
function moveFunctionDays(db: Database.Database): void {
  const flowIds = db.prepare(`SELECT DISTINCT flow_id FROM flow_function_days WHERE ${MOVABLE_DAY_SQL} ORDER BY flow_id`).pluck().all() as number[];
  const daysOf = db
    .prepare(`SELECT space, code, variant, day, requests, responses, exceptions FROM flow_function_days WHERE flow_id = ? AND ${MOVABLE_DAY_SQL} ORDER BY space, code, variant, day`)
    .raw();
  const insert = db.prepare('INSERT INTO flow_function_day_blocks (flow_id, space, code, variant, first_day, days) VALUES (?, ?, ?, ?, ?, ?)');
  let moved = 0;
  for (const id of flowIds) {
    const rows = daysOf.all(id) as Array<[string, number, number, number, number, number, number]>;
    let key: [string, number, number, number] | null = null;
    let slots: Array<[number, number, number, number]> = [];
    const flush = (): void => {
      if (key !== null) insert.run(id, key[0], key[1], key[2], key[3], encodeFunctionDays(slots));
      slots = [];
    };
    for (const [space, code, variant, day, requests, responses, exceptions] of rows) {
      const first = Math.floor(day / DAYS_PER_BLOCK) * DAYS_PER_BLOCK;
      if (key === null || key[0] !== space || key[1] !== code || key[2] !== variant || key[3] !== first) {
        flush();
        key = [space, code, variant, first];
      }
      slots.push([day - first, requests, responses, exceptions]);
    }
    flush();
    moved += rows.length;
  }
  const deleted = db.prepare(`DELETE FROM flow_function_days WHERE ${MOVABLE_DAY_SQL}`).run().changes;
  if (deleted !== moved) throw new Error(`migration 9: moved ${moved} flow_function_days rows but deleted ${deleted}`);
}
