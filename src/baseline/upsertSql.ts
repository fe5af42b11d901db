/**
 * The store's upserts, written from the merge rules of the deltas (src/flows/flowDelta.ts) so that
 * the SQL adds counters exactly as fold and shard merge do: `sum` -> col + excluded.col, `min` /
 * `max` -> min()/max(). Columns are the fields in snake_case (firstTs / lastTs -> first_seen /
 * last_seen).
 */
import type Database from 'better-sqlite3';
import type { MergeRule, MergeRules } from '../flows/flowDelta.js';

const COLUMN_NAMES: Record<string, string> = { firstTs: 'first_seen', lastTs: 'last_seen' };

/** The SQL column of a delta field: packetsToResponder -> packets_to_responder. */
export function columnOf(field: string): string {
  return COLUMN_NAMES[field] ?? field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function mergeSql(col: string, rule: MergeRule): string {
  if (rule === 'sum') return `${col} = ${col} + excluded.${col}`;
  return `${col} = ${rule}(${col}, excluded.${col})`;
}

export interface Upsert<T> {
  /** run with the key and fixed values (in the order given), then the counters of `delta` */
  run(head: readonly unknown[], delta: T): Database.RunResult;
  /** like run, returning the RETURNING row */
  get(head: readonly unknown[], delta: T): unknown;
  readonly sql: string;
}

/**
 * `INSERT INTO table (keys, fixed, counters) ... ON CONFLICT (keys) DO UPDATE SET` each counter by its
 * rule; `fixed` columns are written on insert only (e.g. where an identity was first seen).
 */
export function prepareUpsert<T extends object>(
  db: Database.Database,
  table: string,
  keys: readonly string[],
  fixed: readonly string[],
  rules: MergeRules<T>,
  returning?: string,
): Upsert<T> {
  const fields = Object.keys(rules);
  const counters = (Object.entries(rules) as Array<[string, MergeRule]>).map(([f, rule]) => [columnOf(f), rule] as const);
  const cols = [...keys, ...fixed, ...counters.map(([c]) => c)];
  const sql =
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${counters.map(([c, r]) => mergeSql(c, r)).join(', ')}` +
    (returning ? ` RETURNING ${returning}` : '');
  const stmt = db.prepare(sql);
  const values = (head: readonly unknown[], delta: T): unknown[] => {
    const d = delta as unknown as Record<string, unknown>;
    return [...head, ...fields.map((f) => d[f])];
  };
  return {
    sql,
    run: (head, delta) => stmt.run(...values(head, delta)),
    get: (head, delta) => stmt.get(...values(head, delta)),
  };
}
