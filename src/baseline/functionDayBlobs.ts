/**
 * A flow's function counts per UTC day kept per 32-day block (table flow_function_day_blocks,
 * migration 9): one row per flow, function (space, code, variant) and block of 32 days whose `days`
 * blob holds each day's requests, responses and exceptions, instead of one flow_function_days row per
 * function and day (a plant's 1,005 flows over 26 days: 116 k day rows).
 *
 * The blob (slotBlobs.ts): a 4-byte presence mask, little-endian (bit s = day first_day + s), then for
 * each present day in ascending order its requests, responses and exceptions as unsigned LEB128
 * varints. first_day is a multiple of 32 (floor(day / 32) * 32). The upsert adds a block's row to the
 * incoming one by `zs_add_function_days(stored, incoming)`: commutative and associative, so parts,
 * batches and shards give the same bytes in any order.
 */
import type Database from 'better-sqlite3';
import type { FlowFunctionDelta, FnDays } from '../flows/flowDelta.js';
import type { FlowFunction } from './reader.js';
import { SlotBlobs } from './slotBlobs.js';
import { usableDay } from './storeTimes.js';
import type { UpsertRows } from './upsertSql.js';

/** The SQL function that adds two block blobs (registerFunctionDayFunctions). */
export const ADD_FUNCTION_DAYS_SQL = 'zs_add_function_days';
export const DAYS_PER_BLOCK = 32;

/** One block's days: 32 slots of [requests, responses, exceptions]. */
const codec = new SlotBlobs(DAYS_PER_BLOCK, 3, 'the days of a flow_function_day_blocks row');

/** `zs_add_function_days(a, b)`: the block blob of a's and b's days added up. */
export function addFunctionDays(a: unknown, b: unknown): Buffer {
  return codec.addBlobs(a, b, ADD_FUNCTION_DAYS_SQL);
}

/** A block blob of the given days ([slot 0-31, requests, responses, exceptions], any order; a slot given twice adds up). */
export function encodeFunctionDays(days: ReadonlyArray<readonly [slot: number, requests: number, responses: number, exceptions: number]>): Buffer {
  codec.clear();
  for (const [s, q, r, e] of days) codec.add(s, q, r, e);
  return codec.pack();
}

/** A block blob's days as [slot, requests, responses, exceptions]; null when it is not one. */
export function decodeFunctionDays(blob: unknown): number[][] | null {
  return codec.unpack(blob);
}

const order: number[] = [];

/**
 * A function's days (FlowFunctionDelta.days: [day, requests, responses, exceptions] entries, day =
 * floor(unix seconds / 86400)) as one blob per 32-day block, blocks ascending: `emit(firstDay, blob)`
 * for each block it has days in. A day given twice adds up.
 */
export function packFunctionDays(days: FnDays, emit: (firstDay: number, blob: Buffer) => void): void {
  if (days.length === 0) return;
  order.length = 0;
  let sorted = true;
  let last = -Infinity;
  for (let i = 0; i < days.length; i += 4) {
    const d = days[i]!;
    if (!Number.isInteger(d)) throw new RangeError(`a day is a whole number (floor(unix seconds / 86400)), not ${d}`);
    if (d < last) sorted = false;
    last = d;
    order.push(i);
  }
  if (!sorted) order.sort((x, y) => days[x]! - days[y]!);
  let block = Math.floor(days[order[0]!]! / DAYS_PER_BLOCK);
  codec.clear();
  for (const i of order) {
    const d = days[i]!;
    const b = Math.floor(d / DAYS_PER_BLOCK);
    if (b !== block) {
      emit(block * DAYS_PER_BLOCK, codec.pack());
      codec.clear();
      block = b;
    }
    codec.add(d - b * DAYS_PER_BLOCK, days[i + 1]!, days[i + 2]!, days[i + 3]!);
  }
  emit(block * DAYS_PER_BLOCK, codec.pack());
}

/** Add a function's days to the pending block upsert rows (functionDaysUpsertSql). */
export function addFunctionDayRows(rows: UpsertRows, flowId: number, fn: FlowFunctionDelta): void {
  packFunctionDays(fn.days, (firstDay, blob) => {
    rows.values.push(flowId, fn.spaceName, fn.code, fn.variant, firstDay, blob);
    rows.added();
  });
}

/** Register zs_add_function_days on a connection that writes flow_function_day_blocks (Baseline). */
export function registerFunctionDayFunctions(db: Database.Database): void {
  db.function(ADD_FUNCTION_DAYS_SQL, { deterministic: true }, (a: unknown, b: unknown) => addFunctionDays(a, b));
}

/** The SQL of the block upsert for `rows` rows: flow_id, space, code, variant, first_day, days each. */
export function functionDaysUpsertSql(rows: number): string {
  return (
    'INSERT INTO flow_function_day_blocks (flow_id, space, code, variant, first_day, days) VALUES ' +
    `${new Array<string>(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')} ` +
    `ON CONFLICT (flow_id, space, code, variant, first_day) DO UPDATE SET days = ${ADD_FUNCTION_DAYS_SQL}(days, excluded.days)`
  );
}

/** True when UTC day `day` (floor(unix seconds / 86400)) overlaps [since, until]. */
export function dayInWindow(day: number, since: number, until: number): boolean {
  return (day + 1) * 86400 > since && day * 86400 <= until;
}

type Counts = { requests: number; responses: number; exceptions: number };

/**
 * Replace each flow's function counts by those of the UTC days that overlap [since, until]; functions
 * with nothing in the window are dropped. The days are the blocks of flow_function_day_blocks and any
 * flow_function_days rows (those migration 9 left there). A flow without any day (ingested before
 * schema v2 and migrated) keeps its whole counts: the store cannot tell when they happened. A day a
 * Date cannot hold, a first_day that is not a whole number and a blob that is not a block's days are
 * left out (storeTimes.ts names the first two).
 */
export function windowFunctions(db: Database.Database, byId: ReadonlyMap<number, { functions: FlowFunction[] }>, since: number, until: number): void {
  const sums = new Map<number, Map<string, Counts>>();
  const dated = new Set<number>();
  const add = (flowId: number, space: unknown, code: unknown, variant: unknown, requests: number, responses: number, exceptions: number): void => {
    let m = sums.get(flowId);
    if (!m) sums.set(flowId, (m = new Map()));
    const k = `${space}\u0000${code}\u0000${variant}`;
    const e = m.get(k) ?? { requests: 0, responses: 0, exceptions: 0 };
    e.requests += requests;
    e.responses += responses;
    e.exceptions += exceptions;
    m.set(k, e);
  };
  const blocks = db.prepare('SELECT flow_id, space, code, variant, first_day, days FROM flow_function_day_blocks ORDER BY flow_id, space, code, variant, first_day').raw().all() as unknown[][];
  for (const [flowId, space, code, variant, firstDay, blob] of blocks as Array<[number, string, number, number, unknown, unknown]>) {
    if (!byId.has(flowId) || typeof firstDay !== 'number' || !Number.isInteger(firstDay)) continue;
    const mask = codec.decode(blob);
    if (mask < 0) continue;
    dated.add(flowId);
    const r = codec.read;
    for (let s = 0; s < DAYS_PER_BLOCK; s++) {
      const day = firstDay + s;
      if ((mask & (1 << s)) === 0 || !usableDay(day) || !dayInWindow(day, since, until)) continue;
      add(flowId, space, code, variant, r[3 * s]!, r[3 * s + 1]!, r[3 * s + 2]!);
    }
  }
  for (const r of db.prepare('SELECT * FROM flow_function_days ORDER BY flow_id, space, code, variant, day').all() as Array<Record<string, number & string>>) {
    if (!byId.has(r.flow_id)) continue;
    dated.add(r.flow_id);
    if (!usableDay(r.day) || !dayInWindow(r.day, since, until)) continue;
    add(r.flow_id, r.space, r.code, r.variant, r.requests, r.responses, r.exceptions);
  }
  for (const [id, f] of byId) {
    if (!dated.has(id)) continue;
    const m = sums.get(id);
    f.functions = f.functions
      .map((fn) => ({ ...fn, ...(m?.get(`${fn.space}\u0000${fn.code}\u0000${fn.variant}`) ?? { requests: 0, responses: 0, exceptions: 0 }) }))
      .filter((fn) => fn.requests + fn.responses + fn.exceptions > 0);
  }
}
