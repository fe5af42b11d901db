/**
 * Times read from the store are times a JS Date holds. A store written before timestamps were checked
 * at the reader (issue 13, finding 1) can hold a capture whose time is beyond that range (a large
 * pcapng if_tsoffset, a coarse if_tsresol, garbage that resync accepted), and with it flows, hours and
 * days of that time. Such a store still opens: the reader reads an unusable time as the row's other
 * time (or leaves an hour or a day out), and findTimeProblems() names what is wrong, capture by capture
 * and field by field, for the CLI to print (BASELINE_TIME_INVALID).
 */
import type Database from 'better-sqlite3';
import { MAX_DATE_SEC } from '../ingest/timestamps.js';

/** `v` when it is a time (unix seconds) a Date holds, else null. */
export function storedTime(v: unknown): number | null {
  return typeof v === 'number' && v > -MAX_DATE_SEC && v < MAX_DATE_SEC ? v : null;
}

/** A row's [first, last] times: an unusable one is read as the other one (0 when neither is usable). */
export function storedSpan(first: unknown, last: unknown): [number, number] {
  const f = storedTime(first);
  const l = storedTime(last);
  return [f ?? l ?? 0, l ?? f ?? 0];
}

/** SQL: true when `expr` (unix seconds) is not a number a Date holds (NULL counts as bad). */
function badSql(expr: string): string {
  return `NOT coalesce(typeof(${expr}) IN ('integer', 'real') AND ${expr} > -${MAX_DATE_SEC} AND ${expr} < ${MAX_DATE_SEC}, 0)`;
}

/** SQL: `col` when a Date holds it, else NULL (for min()/max() over rows). */
export function usableTimeSql(col: string): string {
  return `CASE WHEN ${badSql(col)} THEN NULL ELSE ${col} END`;
}

export interface StoreTimeProblem {
  /** The table and column (captures.last_seen, flows.first_seen, flow_day_hours.day ...). */
  field: string;
  /** The capture's path for a captures row, else null. */
  capture: string | null;
  /** Rows with the problem, and one of them described (the flow, the hour) with its value. */
  rows: number;
  example: string;
  /** How the reader reads those rows. */
  readAs: string;
}

const SPANS: ReadonlyArray<[table: string, key: string]> = [
  ['flows', "src || ' -> ' || dst || ' ' || transport || '/' || port || ' ' || protocol"],
  ['identities', "ip || ' ' || protocol || ' ' || key"],
  ['host_macs', "ip || ' ' || mac"],
  ['arp', "ip || ' ' || mac"],
  ['l2_frames', "mac || ' ethertype ' || ethertype"],
  ['scans', "kind || ' ' || host || ' ' || transport"],
];

/** Every time in the store that a Date cannot hold, by capture and field (empty for a sound store). */
export function findTimeProblems(db: Database.Database): StoreTimeProblem[] {
  const out: StoreTimeProblem[] = [];
  const value = (v: unknown): string => (v === null ? 'NULL' : String(v));
  for (const field of ['first_seen', 'last_seen']) {
    const rows = db
      .prepare(`SELECT path, ${field} AS v FROM captures WHERE ${field} IS NOT NULL AND ${badSql(field)} ORDER BY id`)
      .all() as Array<{ path: string; v: unknown }>;
    const other = field === 'first_seen' ? 'last_seen' : 'first_seen';
    for (const r of rows) out.push({ field: `captures.${field}`, capture: r.path, rows: 1, example: `${field} ${value(r.v)}`, readAs: `read as its ${other}` });
  }
  for (const [table, key] of SPANS) {
    for (const field of ['first_seen', 'last_seen']) {
      const r = db
        .prepare(`SELECT count(*) AS n, min(${key}) AS what, min(${field}) AS v FROM ${table} WHERE ${badSql(field)}`)
        .get() as { n: number; what: string | null; v: unknown };
      if (r.n > 0) out.push({ field: `${table}.${field}`, capture: null, rows: r.n, example: `${r.what}: ${field} ${value(r.v)}`, readAs: `read as the row's ${field === 'first_seen' ? 'last_seen' : 'first_seen'}` });
    }
  }
  const hours = db.prepare(`SELECT count(*) AS n, min(hour) AS v FROM flow_hours WHERE ${badSql('hour * 3600')}`).get() as { n: number; v: unknown };
  if (hours.n > 0) out.push({ field: 'flow_hours.hour', capture: null, rows: hours.n, example: `hour ${value(hours.v)}`, readAs: 'left out of the hourly activity' });
  // A day row (migration 9) whose day is not a whole number, or whose first or last hour a Date cannot hold.
  const hasDayHours = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='flow_day_hours'").get();
  const dayHours = hasDayHours
    ? (db.prepare(`SELECT count(*) AS n, min(day) AS v FROM flow_day_hours WHERE typeof(day) <> 'integer' OR ${badSql('day * 86400')} OR ${badSql('(day * 24 + 23) * 3600')}`).get() as { n: number; v: unknown })
    : { n: 0, v: null };
  if (dayHours.n > 0) out.push({ field: 'flow_day_hours.day', capture: null, rows: dayHours.n, example: `day ${value(dayHours.v)}`, readAs: 'its hours a date cannot hold left out of the hourly activity' });
  const hasDays = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='flow_function_days'").get();
  if (hasDays) {
    const days = db.prepare(`SELECT count(*) AS n, min(day) AS v FROM flow_function_days WHERE ${badSql('day * 86400')}`).get() as { n: number; v: unknown };
    if (days.n > 0) out.push({ field: 'flow_function_days.day', capture: null, rows: days.n, example: `day ${value(days.v)}`, readAs: 'left out of the counts of a time window' });
  }
  const hasBlocks = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='flow_function_day_blocks'").get();
  if (hasBlocks) {
    // A block (migration 9) whose first day is not a whole number, or whose first or last day a Date cannot hold.
    const bad = `typeof(first_day) <> 'integer' OR ${badSql('first_day * 86400')} OR ${badSql('(first_day + 31) * 86400')}`;
    const blocks = db.prepare(`SELECT count(*) AS n, min(first_day) AS v FROM flow_function_day_blocks WHERE ${bad}`).get() as { n: number; v: unknown };
    if (blocks.n > 0) out.push({ field: 'flow_function_day_blocks.first_day', capture: null, rows: blocks.n, example: `first_day ${value(blocks.v)}`, readAs: 'its days a date cannot hold left out of the counts of a time window' });
  }
  return out;
}

/** True when hour `h` (floor(unix seconds / 3600)) is a time a Date holds. */
export function usableHour(h: number): boolean {
  return storedTime(h * 3600) !== null;
}

/** True when UTC day `d` (floor(unix seconds / 86400)) is a time a Date holds. */
export function usableDay(d: number): boolean {
  return storedTime(d * 86400) !== null;
}
