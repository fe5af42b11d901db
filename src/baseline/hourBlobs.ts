/**
 * A flow's hourly activity kept per UTC day (table flow_day_hours, migration 9): one row per flow and
 * day whose `hours` blob holds the day's hours, instead of one flow_hours row per flow and hour (a
 * plant's flows are active most hours: 457 k hour rows for 1,005 flows over 26 days).
 *
 * The blob: a 3-byte presence mask, little-endian (bit s = hour s of the day, 0-23, UTC), then for each
 * present hour in ascending order its packets and its bytes, each an unsigned LEB128 varint. An hour is
 * present when a delta had it, even with 0 packets, exactly as a flow_hours row was. The form is
 * canonical: the same hours give the same bytes.
 *
 * Adding up: the upsert merges a day's row with the incoming one by `zs_add_hours(stored, incoming)`
 * (registered on each writing connection: registerHourFunctions), per hour packets + packets and
 * bytes + bytes, hours present in either. That is commutative and associative, so parts, batches and
 * shards give the same blob in any order, as `count = count + excluded.count` did.
 */
import type Database from 'better-sqlite3';
import type { HourActivity } from './reader.js';
import { usableHour } from './storeTimes.js';

/** The SQL function that adds two day blobs (registerHourFunctions). */
export const ADD_HOURS_SQL = 'zs_add_hours';

const HOURS_PER_DAY = 24;
/** mask + 24 hours x 2 varints of up to 8 bytes (2^53 needs 8 LEB128 bytes) */
const MAX_BLOB = 3 + HOURS_PER_DAY * 2 * 8;

// One day's hours being packed or added (never re-entered: SQLite calls the function synchronously).
const scratch = Buffer.alloc(MAX_BLOB);
const slotPackets = new Float64Array(HOURS_PER_DAY);
const slotBytes = new Float64Array(HOURS_PER_DAY);
let slotMask = 0;

function clearSlots(): void {
  slotMask = 0;
  slotPackets.fill(0);
  slotBytes.fill(0);
}

function addSlot(slot: number, packets: number, bytes: number): void {
  slotMask |= 1 << slot;
  slotPackets[slot]! += packets;
  slotBytes[slot]! += bytes;
}

function writeVarint(v: number, at: number): number {
  if (!(Number.isSafeInteger(v) && v >= 0)) throw new RangeError(`hour counts must be whole numbers from 0 to 2^53 - 1, not ${v}`);
  while (v >= 0x80) {
    scratch[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  scratch[at++] = v;
  return at;
}

/** The slots held (slotMask, slotPackets, slotBytes) as a new blob. */
function packSlots(): Buffer {
  scratch[0] = slotMask & 0xff;
  scratch[1] = (slotMask >>> 8) & 0xff;
  scratch[2] = (slotMask >>> 16) & 0xff;
  let at = 3;
  for (let s = 0; s < HOURS_PER_DAY; s++) {
    if ((slotMask & (1 << s)) === 0) continue;
    at = writeVarint(slotPackets[s]!, at);
    at = writeVarint(slotBytes[s]!, at);
  }
  const out = Buffer.allocUnsafe(at);
  scratch.copy(out, 0, 0, at);
  return out;
}

// One blob decoded (decodeSlots), apart from the slots being packed.
const readPackets = new Float64Array(HOURS_PER_DAY);
const readBytes = new Float64Array(HOURS_PER_DAY);

/**
 * Decode a day blob into readPackets / readBytes (by slot); returns its mask, or -1 when `blob` is not
 * a day blob of this form (a value put in with SQL, a damaged one).
 */
function decodeSlots(blob: unknown): number {
  if (!(blob instanceof Uint8Array) || blob.length < 3) return -1;
  const mask = blob[0]! | (blob[1]! << 8) | (blob[2]! << 16);
  let at = 3;
  for (let s = 0; s < HOURS_PER_DAY; s++) {
    if ((mask & (1 << s)) === 0) continue;
    for (let k = 0; k < 2; k++) {
      let v = 0;
      let scale = 1;
      for (let i = 0; ; i++) {
        if (at >= blob.length || i === 8) return -1;
        const b = blob[at++]!;
        v += (b & 0x7f) * scale;
        scale *= 0x80;
        if ((b & 0x80) === 0) break;
      }
      if (!Number.isSafeInteger(v)) return -1;
      if (k === 0) readPackets[s] = v;
      else readBytes[s] = v;
    }
  }
  return at === blob.length ? mask : -1;
}

/**
 * Call `visit(slot, packets, bytes)` for each hour of a day blob, in ascending order. Returns false,
 * having visited nothing, when `blob` is not a day blob of this form (a value put in with SQL): the
 * reader leaves such a row out rather than throw.
 */
export function forEachHourOfDay(blob: unknown, visit: (slot: number, packets: number, bytes: number) => void): boolean {
  const mask = decodeSlots(blob);
  if (mask < 0) return false;
  for (let s = 0; s < HOURS_PER_DAY; s++) if ((mask & (1 << s)) !== 0) visit(s, readPackets[s]!, readBytes[s]!);
  return true;
}

/** Add a day blob's hours to the slots; throws on a damaged one. */
function addBlobToSlots(blob: unknown, what: string): void {
  const mask = decodeSlots(blob);
  if (mask < 0) throw new Error(`${ADD_HOURS_SQL}: the ${what} hours of a flow_day_hours row are not a day's hours blob (src/baseline/hourBlobs.ts)`);
  for (let s = 0; s < HOURS_PER_DAY; s++) if ((mask & (1 << s)) !== 0) addSlot(s, readPackets[s]!, readBytes[s]!);
}

/** `zs_add_hours(a, b)`: the day blob of a's and b's hours added up (hours of either; counts summed). */
export function addDayHours(a: unknown, b: unknown): Buffer {
  clearSlots();
  addBlobToSlots(a, 'stored');
  addBlobToSlots(b, 'incoming');
  return packSlots();
}

/** A day blob of the given hours ([slot 0-23, packets, bytes], any order; a slot given twice adds up). */
export function encodeDayHours(hours: ReadonlyArray<readonly [slot: number, packets: number, bytes: number]>): Buffer {
  clearSlots();
  for (const [s, p, b] of hours) {
    if (!(Number.isInteger(s) && s >= 0 && s < HOURS_PER_DAY)) throw new RangeError(`an hour of the day is 0 to 23, not ${s}`);
    addSlot(s, p, b);
  }
  return packSlots();
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
 * A flow's hours (FlowDelta.hours: hour -> [packets, bytes], hour = floor(unix seconds / 3600)) as
 * one blob per UTC day, in ascending day order: `emit(day, blob)` for each day it has hours in.
 * The hours come in the order the flow's connections were folded, not sorted: they are spread out
 * over their days (no sort) unless they span more than a year.
 */
export function packFlowHours(hours: ReadonlyMap<number, readonly [number, number]>, emit: (day: number, blob: Buffer) => void): void {
  if (hours.size === 0) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of hours.keys()) {
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
  for (const [h, [packets, bytes]] of hours) {
    const i = h - base;
    spreadOn[i] = 1;
    spreadPackets[i] = packets;
    spreadBytes[i] = bytes;
  }
  for (let at = 0; at < span; at += HOURS_PER_DAY) {
    slotMask = 0;
    for (let s = 0; s < HOURS_PER_DAY; s++) {
      if (spreadOn[at + s] === 0) continue;
      spreadOn[at + s] = 0;
      slotMask |= 1 << s;
      slotPackets[s] = spreadPackets[at + s]!;
      slotBytes[s] = spreadBytes[at + s]!;
    }
    if (slotMask !== 0) emit(firstDay + at / HOURS_PER_DAY, packSlots());
  }
}

/** packFlowHours for hours spanning more than a year: sorted, then packed day by day. */
function packSorted(hours: ReadonlyMap<number, readonly [number, number]>, emit: (day: number, blob: Buffer) => void): void {
  keys.length = 0;
  for (const h of hours.keys()) keys.push(h);
  keys.sort((x, y) => x - y);
  let day = Math.floor(keys[0]! / HOURS_PER_DAY);
  clearSlots();
  for (const h of keys) {
    const d = Math.floor(h / HOURS_PER_DAY);
    if (d !== day) {
      emit(day, packSlots());
      clearSlots();
      day = d;
    }
    const [packets, bytes] = hours.get(h)!;
    addSlot(h - d * HOURS_PER_DAY, packets, bytes);
  }
  emit(day, packSlots());
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
    const mask = decodeSlots(blob);
    if (mask < 0) continue;
    withDays.add(flowId);
    for (let s = 0; s < HOURS_PER_DAY; s++) {
      if ((mask & (1 << s)) === 0) continue;
      const hour = day * HOURS_PER_DAY + s;
      if (usableHour(hour)) f.hours.push({ hour, packets: readPackets[s]!, bytes: readBytes[s]! });
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
