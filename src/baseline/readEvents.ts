/**
 * Reading the engineering events (migration 004) for BaselineReader.events(): program/control rows
 * as they are; write/diagnostic rows (one per capture and key) folded into one event per (src, dst,
 * protocol, space, code, variant): the earliest row in the window, with the counts of the window's
 * rows added up. `first` says whether an event is the earliest of its key in the whole store (a
 * window that starts after it gives `first: false`). Only called inside the reader's snapshot.
 */
import type Database from 'better-sqlite3';
import type { EventSubject } from '../flows/eventDelta.js';

/** An event as stored; `object` may also be the range the request named (`unit 1, holding registers 400-405`). */
export interface EventRecord extends EventSubject {
  /** UTC seconds since the epoch */
  time: number;
  /** program | control | write | diagnostic */
  kind: string;
  /** the earliest event of its (src, dst, protocol, space, code, variant) in the store */
  first: boolean;
  /** the requests it stands for: 1 for program/control; for write/diagnostic, every request of its code by the pair (in the window's captures) */
  count: number;
  /**
   * path of the capture file and frame number there (as tshark numbers it); for a live interval
   * written to an evidence file (capture --write), that file
   */
  capture: string | null;
  frame: number;
}

export interface EventsFilter {
  hosts?: readonly string[];
  since?: number;
  until?: number;
}

interface Row {
  id: number;
  capture_id: number;
  kind: string;
  src: string;
  dst: string;
  transport: string;
  port: number;
  protocol: string;
  space: string;
  code: number;
  variant: number;
  name: string;
  object: string;
  ts: number;
  frame: number;
  count: number;
  rn: number;
  capture: string | null;
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

const FIRST_KINDS = new Set(['write', 'diagnostic']);

function record(r: Row, first: boolean, count: number): EventRecord {
  return {
    time: r.ts, kind: r.kind, src: r.src, dst: r.dst, transport: r.transport, port: r.port, protocol: r.protocol,
    space: r.space, code: r.code, variant: r.variant, name: r.name, object: r.object, first, count, capture: r.capture, frame: r.frame,
  };
}

/** Event order: time, capture, frame, then the key (the same bytes for the same store). */
export function compareEventRecords(a: EventRecord, b: EventRecord): number {
  if (a.time !== b.time) return a.time - b.time;
  const ca = a.capture ?? '';
  const cb = b.capture ?? '';
  if (ca !== cb) return ca < cb ? -1 : 1;
  if (a.frame !== b.frame) return a.frame - b.frame;
  const ka = [a.src, a.dst, a.protocol, a.space, a.kind].join('\u0000');
  const kb = [b.src, b.dst, b.protocol, b.space, b.kind].join('\u0000');
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.code - b.code || a.variant - b.variant;
}

export function readEvents(db: Database.Database, filter: EventsFilter): EventRecord[] {
  if (!hasTable(db, 'events')) return [];
  const conds: string[] = [];
  const params: unknown[] = [];
  if (filter.since !== undefined) {
    conds.push('r.ts >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    conds.push('r.ts <= ?');
    params.push(filter.until);
  }
  if (filter.hosts !== undefined) {
    const hosts = JSON.stringify([...filter.hosts]);
    conds.push('(r.src IN (SELECT value FROM json_each(?)) OR r.dst IN (SELECT value FROM json_each(?)))');
    params.push(hosts, hosts);
  }
  const rows = db
    .prepare(
      `WITH ranked AS (
         SELECT e.*, ROW_NUMBER() OVER (PARTITION BY src, dst, protocol, space, code, variant ORDER BY ts, capture_id, frame, id) AS rn
         FROM events e
       )
       SELECT r.*, COALESCE(r.file, c.path) AS capture FROM ranked r LEFT JOIN captures c ON c.id = r.capture_id
       WHERE ${conds.length ? conds.join(' AND ') : '1'}
       ORDER BY r.ts, r.capture_id, r.frame, r.id`,
    )
    .all(...params) as Row[];
  const out: EventRecord[] = [];
  const firsts = new Map<string, { row: Row; count: number }>();
  for (const r of rows) {
    if (!FIRST_KINDS.has(r.kind)) {
      out.push(record(r, r.rn === 1, r.count));
      continue;
    }
    const k = [r.src, r.dst, r.protocol, r.space, r.code, r.variant].join('\u0000');
    const e = firsts.get(k);
    if (e === undefined) firsts.set(k, { row: r, count: r.count });
    else {
      e.count += r.count;
      if (r.rn < e.row.rn) e.row = r;
    }
  }
  for (const { row, count } of firsts.values()) out.push(record(row, row.rn === 1, count));
  return out.sort(compareEventRecords);
}

/** Captures whose events were not recorded (ingested before schema 4): their events are not in the store. */
export function capturesWithoutEvents(db: Database.Database): number {
  if (!hasTable(db, 'event_captures')) return (db.prepare('SELECT count(*) AS n FROM captures').get() as { n: number }).n;
  return (db.prepare('SELECT count(*) AS n FROM captures WHERE id NOT IN (SELECT capture_id FROM event_captures)').get() as { n: number }).n;
}
