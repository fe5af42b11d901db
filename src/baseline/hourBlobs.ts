/**
 * A flow's hourly activity kept per UTC day (table flow_day_hours, migration 9): one row per flow and
 * day whose `hours` blob holds the day's hours, instead of one flow_hours row per flow and hour (a
 * plant's flows are active most hours: 457 k hour rows for 1,005 flows over 26 days).
 *
 * The blob (slotBlobs.ts): a 3-byte presence mask, little-endian (bit s = hour s of the day, 0-23, UTC),
 * then for each present hour in ascending order its packets and its bytes, each an unsigned LEB128
 * varint. An hour is present when a delta had it, even with 0 packets, exactly as a flow_hours row was.
 * The form is canonical: the same hours give the same bytes.
 *
 * Adding up: the upsert merges a day's row with the incoming one by `zs_add_hours(stored, incoming)`
 * (registered on each writing connection: registerHourFunctions), per hour packets + packets and
 * bytes + bytes, hours present in either. That is commutative and associative, so parts, batches and
 * shards give the same blob in any order, as `count = count + excluded.count` did.
 */
import type Database from 'better-sqlite3';
import type { HourCounts } from '../flows/flowDelta.js';
import type { HourActivity } from './reader.js';
import { SlotBlobs } from './slotBlobs.js';
import type { UpsertRows } from './upsertSql.js';
import { usableHour } from './storeTimes.js';

/** The SQL function that adds two day blobs (registerHourFunctions). */
export const ADD_HOURS_SQL = 'zs_add_hours';

const HOURS_PER_DAY = 24;
/** One day's hours: 24 slots of [packets, bytes]. */
const codec = new SlotBlobs(HOURS_PER_DAY, 2, 'the hours of a flow_day_hours row');
const values = codec.values;

/**
 * Call `visit(slot, packets, bytes)` for each hour of a day blob, in ascending order. Returns false,
 * having visited nothing, when `blob` is not a day blob of this form (a value put in with SQL): the
 * reader leaves such a row out rather than throw.
 */
export function forEachHourOfDay(blob: unknown, visit: (slot: number, packets: number, bytes: number) => void): boolean {
  const mask = codec.decode(blob);
  if (mask < 0) return false;
  for (let s = 0; s < HOURS_PER_DAY; s++) if ((mask & (1 << s)) !== 0) visit(s, codec.read[2 * s]!, codec.read[2 * s + 1]!);
  return true;
}

/** `zs_add_hours(a, b)`: the day blob of a's and b's hours added up (hours of either; counts summed). */
export function addDayHours(a: unknown, b: unknown): Buffer {
  return codec.addBlobs(a, b, ADD_HOURS_SQL);
}

/** A day blob of the given hours ([slot 0-23, packets, bytes], any order; a slot given twice adds up). */
export function encodeDayHours(hours: ReadonlyArray<readonly [slot: number, packets: number, bytes: number]>): Buffer {
  codec.clear();
  for (const [s, p, b] of hours) codec.add(s, p, b);
  return codec.pack();
}

/** The hours of one whole day as [slot, packets, bytes] triples (tests, the store's own checks). */
export function decodeDayHours(blob: unknown): Array<[number, number, number]> | null {
  const out: Array<[number, number, number]> = [];
  return forEachHourOfDay(blob, (s, p, b) => void out.push([s, p, b])) ? out : null;
}

// A flow's hours laid out by hour from its first day's midnight (packFlowHours), cleared after use.
let spreadOn = new Uint8Array(0);
let spreadPackets = new Float64Array(0);
let spreadBytes = new Float64Array(0);
/** Hours spread out at most (a year); a flow whose hours span longer is packed after a sort. */
const SPREAD_MAX = 366 * HOURS_PER_DAY;
const keys: number[] = [];

/**
 * A flow's hours (FlowDelta.hours: [hour, packets, bytes] entries, hour = floor(unix seconds / 3600))
 * as one blob per UTC day, in ascending day order: `emit(day, blob)` for each day it has hours in.
 * The hours come in the order the flow's connections were folded, not sorted: they are spread out
 * over their days (no sort) unless they span more than a year. An hour given twice adds up.
 */
export function packFlowHours(hours: HourCounts, emit: (day: number, blob: Buffer) => void): void {
  if (hours.length === 0) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < hours.length; i += 3) {
    const h = hours[i]!;
    if (!Number.isInteger(h)) throw new RangeError(`an hour is a whole number (floor(unix seconds / 3600)), not ${h}`);
    if (h < lo) lo = h;
    if (h > hi) hi = h;
  }
  const firstDay = Math.floor(lo / HOURS_PER_DAY);
  const span = (Math.floor(hi / HOURS_PER_DAY) - firstDay + 1) * HOURS_PER_DAY;
  if (span > SPREAD_MAX) {
    packSorted(hours, emit);
    return;
  }
  if (spreadOn.length < span) {
    spreadOn = new Uint8Array(SPREAD_MAX);
    spreadPackets = new Float64Array(SPREAD_MAX);
    spreadBytes = new Float64Array(SPREAD_MAX);
  }
  const base = firstDay * HOURS_PER_DAY;
  for (let e = 0; e < hours.length; e += 3) {
    const i = hours[e]! - base;
    if (spreadOn[i] === 0) {
      spreadOn[i] = 1;
      spreadPackets[i] = hours[e + 1]!;
      spreadBytes[i] = hours[e + 2]!;
    } else {
      spreadPackets[i] += hours[e + 1]!;
      spreadBytes[i] += hours[e + 2]!;
    }
  }
  for (let at = 0; at < span; at += HOURS_PER_DAY) {
    let mask = 0;
    for (let s = 0; s < HOURS_PER_DAY; s++) {
      if (spreadOn[at + s] === 0) continue;
      spreadOn[at + s] = 0;
      mask |= 1 << s;
      values[2 * s] = spreadPackets[at + s]!;
      values[2 * s + 1] = spreadBytes[at + s]!;
    }
    codec.mask = mask;
    if (mask !== 0) emit(firstDay + at / HOURS_PER_DAY, codec.pack());
  }
}

/** packFlowHours for hours spanning more than a year: entries sorted by hour, then packed day by day. */
function packSorted(hours: HourCounts, emit: (day: number, blob: Buffer) => void): void {
  keys.length = 0;
  for (let i = 0; i < hours.length; i += 3) keys.push(i);
  keys.sort((x, y) => hours[x]! - hours[y]!);
  let day = Math.floor(hours[keys[0]!]! / HOURS_PER_DAY);
  codec.clear();
  for (const i of keys) {
    const h = hours[i]!;
    const d = Math.floor(h / HOURS_PER_DAY);
    if (d !== day) {
      emit(day, codec.pack());
      codec.clear();
      day = d;
    }
    codec.add(h - d * HOURS_PER_DAY, hours[i + 1]!, hours[i + 2]!);
  }
  emit(day, codec.pack());
}

/** Add a flow's hours to the pending day-hours upsert rows (dayHoursUpsertSql): flow_id, day, blob a row. */
export function addFlowHourRows(rows: UpsertRows, flowId: number, hours: HourCounts): void {
  packFlowHours(hours, (day, blob) => {
    rows.values.push(flowId, day, blob);
    rows.added();
  });
}

/** Register zs_add_hours on a connection that writes flow_day_hours (Baseline.open). */
export function registerHourFunctions(db: Database.Database): void {
  db.function(ADD_HOURS_SQL, { deterministic: true }, (a: unknown, b: unknown) => addDayHours(a, b));
}

/** The SQL of the day-hours upsert for `rows` rows: flow_id, day, hours each. */
export function dayHoursUpsertSql(rows: number): string {
  return (
    `INSERT INTO flow_day_hours (flow_id, day, hours) VALUES ${new Array<string>(rows).fill('(?, ?, ?)').join(', ')} ` +
    `ON CONFLICT (flow_id, day) DO UPDATE SET hours = ${ADD_HOURS_SQL}(hours, excluded.hours)`
  );
}

/**
 * Add every flow's hours to its record (`byId`: flow id -> record; other flows' rows are skipped), in
 * ascending hour order: the day blobs of flow_day_hours, then any flow_hours rows (those migration 9
 * left there; merged in order, an hour in both added up). An hour a Date cannot hold, a day that is not
 * a whole number and a blob that is not a day's hours are left out (storeTimes.ts names the first two).
 */
export function readFlowHours(db: Database.Database, byId: ReadonlyMap<number, { hours: HourActivity[] }>): void {
  const withDays = new Set<number>();
  for (const [flowId, day, blob] of db.prepare('SELECT flow_id, day, hours FROM flow_day_hours ORDER BY flow_id, day').raw().all() as Array<[number, unknown, unknown]>) {
    const f = byId.get(flowId);
    if (f === undefined || typeof day !== 'number' || !Number.isInteger(day)) continue;
    const mask = codec.decode(blob);
    if (mask < 0) continue;
    withDays.add(flowId);
    const read = codec.read;
    for (let s = 0; s < HOURS_PER_DAY; s++) {
      if ((mask & (1 << s)) === 0) continue;
      const hour = day * HOURS_PER_DAY + s;
      if (usableHour(hour)) f.hours.push({ hour, packets: read[2 * s]!, bytes: read[2 * s + 1]! });
    }
  }
  const merge = new Set<{ hours: HourActivity[] }>();
  for (const h of db.prepare('SELECT * FROM flow_hours ORDER BY flow_id, hour').all() as Array<{ flow_id: number; hour: number; packets: number; bytes: number }>) {
    const f = byId.get(h.flow_id);
    if (f === undefined || !usableHour(h.hour)) continue;
    f.hours.push({ hour: h.hour, packets: h.packets, bytes: h.bytes });
    if (withDays.has(h.flow_id)) merge.add(f);
  }
  for (const f of merge) {
    const sorted = f.hours.sort((a, b) => a.hour - b.hour);
    const out: HourActivity[] = [];
    for (const h of sorted) {
      const prev = out[out.length - 1];
      if (prev !== undefined && prev.hour === h.hour) out[out.length - 1] = { hour: h.hour, packets: prev.packets + h.packets, bytes: prev.bytes + h.bytes };
      else out.push(h);
    }
    f.hours = out;
  }
}
