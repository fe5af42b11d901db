/**
 * Migration step 9: a flow's hourly activity kept per UTC day (issue 14). One flow_day_hours row per
 * flow and day holds the day's hours in one blob (src/baseline/hourBlobs.ts: a presence mask, then each
 * present hour's packets and bytes), added up on conflict by the SQL function zs_add_hours; a plant's
 * 457 k flow_hours rows become 26 k. Every flow_hours row of a known flow with a usable hour (one a
 * Date holds) and whole, non-negative counts is moved into its day's blob; any other row (an orphan, a
 * time beyond a Date, a count that is not a number: a store written before times were checked, or
 * edited with SQL) stays in flow_hours, which the reader reads as before (an unusable hour left out,
 * named by timeProblems) and nothing writes any more.
 */
import { MAX_DATE_SEC } from '../../ingest/timestamps.js';
import { encodeDayHours } from '../hourBlobs.js';
import type { Migration } from './index.js';

const MAX_HOUR = MAX_DATE_SEC / 3600;

/** flow_hours rows that move into flow_day_hours (see above). */
export const MOVABLE_HOUR_SQL =
  `typeof(hour) = 'integer' AND hour > -${MAX_HOUR} AND hour < ${MAX_HOUR}` +
  ` AND typeof(packets) = 'integer' AND packets >= 0 AND packets <= ${Number.MAX_SAFE_INTEGER}` +
  ` AND typeof(bytes) = 'integer' AND bytes >= 0 AND bytes <= ${Number.MAX_SAFE_INTEGER}` +
  ' AND flow_id IN (SELECT id FROM flows)';

export const dayHours: Migration = {
  version: 9,
  describe: 'hourly activity as one row per flow and UTC day (flow_day_hours), moved from flow_hours',
  up(db) {
    db.exec(`
CREATE TABLE IF NOT EXISTS flow_day_hours (
  flow_id INTEGER NOT NULL REFERENCES flows(id),
  day INTEGER NOT NULL,               -- floor(unix seconds / 86400), UTC
  hours BLOB NOT NULL,                -- the day's hours: mask, packets and bytes (src/baseline/hourBlobs.ts)
  PRIMARY KEY (flow_id, day)
) WITHOUT ROWID;
`);
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
  },
};
