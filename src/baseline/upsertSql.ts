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
  /**
   * Rows to add many at a time (one multi-row statement per UPSERT_ROWS rows): each row is its key
   * and fixed values, then its counters in the order of the rules, pushed onto `rows.values`; the
   * rows are added in order, each as run() would add it. Call flush() to add the rows still pending.
   */
  readonly rows: UpsertRows;
  readonly sql: string;
}

/** Rows per multi-row upsert statement (SQLite binds at most 32,766 values per statement). */
export const UPSERT_ROWS = 64;

/** Pending rows of one upsert (Upsert.rows), added a statement of UPSERT_ROWS rows at a time. */
export class UpsertRows {
  /** The pending rows' values, flat (width values per row): push a row's values here, then call added(). */
  readonly values: unknown[] = [];
  private readonly width: number;
  private readonly many: Database.Statement;
  private readonly byCount = new Map<number, Database.Statement>();
  private readonly sqlOf: (rows: number) => string;
  private readonly db: Database.Database;

  constructor(db: Database.Database, width: number, sqlOf: (rows: number) => string) {
    this.db = db;
    this.width = width;
    this.sqlOf = sqlOf;
    this.many = db.prepare(sqlOf(UPSERT_ROWS));
  }

  /** After a row's values were pushed: add the pending rows when a statement's worth is there. */
  added(): void {
    if (this.values.length < this.width * UPSERT_ROWS) return;
    this.many.run(this.values);
    this.values.length = 0;
  }

  /** Drop the rows still pending (a write that failed half-way: its transaction is rolled back). */
  discard(): void {
    this.values.length = 0;
  }

  /** Add the rows still pending. */
  flush(): void {
    const n = this.values.length / this.width;
    if (n === 0) return;
    let st = this.byCount.get(n);
    if (st === undefined) this.byCount.set(n, (st = this.db.prepare(this.sqlOf(n))));
    st.run(this.values);
    this.values.length = 0;
  }
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
  const row = `(${cols.map(() => '?').join(', ')})`;
  const sqlOf = (rows: number, ret: boolean): string =>
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES ${new Array<string>(rows).fill(row).join(', ')} ` +
    `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${counters.map(([c, r]) => mergeSql(c, r)).join(', ')}` +
    (ret && returning ? ` RETURNING ${returning}` : '');
  const sql = sqlOf(1, true);
  const stmt = db.prepare(sql);
  // One array of bound values, filled anew for each row (no array per row).
  const bound = new Array<unknown>(cols.length);
  const head0 = keys.length + fixed.length;
  const values = (head: readonly unknown[], delta: T): unknown[] => {
    const d = delta as unknown as Record<string, unknown>;
    for (let i = 0; i < head0; i++) bound[i] = head[i];
    for (let i = 0; i < fields.length; i++) bound[head0 + i] = d[fields[i]!];
    return bound;
  };
  let rows: UpsertRows | null = null;
  return {
    sql,
    run: (head, delta) => stmt.run(values(head, delta)),
    get: (head, delta) => stmt.get(values(head, delta)),
    get rows(): UpsertRows {
      return (rows ??= new UpsertRows(db, cols.length, (n) => sqlOf(n, false)));
    },
  };
}
