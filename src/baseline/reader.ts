/**
 * The typed read API over the baseline store: the ONE way later stages (assets, graph, zones, design,
 * report, cli) read what ingest wrote. camelCase here, snake_case only in SQL and JSON.
 *
 * Every public read runs inside one read transaction (a snapshot), so a reader beside a running ingest
 * sees one consistent state and never fails half-way. Times are UTC seconds since the epoch (number).
 * Reading never throws on any value a store can hold: bad times come back as null.
 */
import Database from 'better-sqlite3';
import { capturesWithoutEvents, readEvents, type EventRecord } from './readEvents.js';
import { openForReading } from './storeFile.js';
import { windowFunctions } from './functionDayBlobs.js';
import { readFlowHours } from './hourBlobs.js';
import { findTimeProblems, storedSpan, storedTime, usableTimeSql, type StoreTimeProblem } from './storeTimes.js';

export type { EventRecord } from './readEvents.js';
export { dayInWindow } from './functionDayBlobs.js';

export interface HourActivity {
  /** floor(unix seconds / 3600) */
  hour: number;
  packets: number;
  bytes: number;
}

export interface FlowFunction {
  /** Code space: function (Modbus FC), cip, encapsulation, s7-job, s7-userdata, service (OPC UA), ... */
  space: string;
  code: number;
  variant: number;
  name: string;
  /** read | write | program | control | diagnostic | session | io | other */
  opClass: string;
  requests: number;
  responses: number;
  exceptions: number;
}

export interface FlowRange {
  /** Modbus table: 0 coils, 1 discrete inputs, 3 input registers, 4 holding registers (0-based starts). */
  table: number;
  start: number;
  count: number;
  write: boolean;
  requests: number;
}

export interface FlowObject {
  space: string;
  key: string;
  reads: number;
  writes: number;
}

export interface FlowRecord {
  id: number;
  /** initiator IP */
  src: string;
  /** responder IP */
  dst: string;
  transport: string;
  /** responder port (0 for portless transports) */
  port: number;
  protocol: string;
  packetsToResponder: number;
  packetsToInitiator: number;
  bytesToResponder: number;
  bytesToInitiator: number;
  connections: number;
  firstSeen: number;
  lastSeen: number;
  /** how each connection's initiator was decided -> connections */
  evidence: Record<string, number>;
  hours: HourActivity[];
  functions: FlowFunction[];
  ranges: FlowRange[];
  objects: FlowObject[];
  attributes: Array<{ key: string; value: string }>;
}

export interface IdentityRecord {
  ip: string;
  protocol: string;
  key: string;
  value: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** path of the capture file it was first seen in, and the frame number there (as tshark numbers it) */
  capture: string | null;
  frame: number;
}

export interface MacRecord {
  ip: string;
  mac: string;
  packets: number;
  firstSeen: number;
  lastSeen: number;
}

export interface L2FrameRecord {
  mac: string;
  etherType: number;
  packets: number;
  bytes: number;
  firstSeen: number;
  lastSeen: number;
}

export interface ScanRecord {
  kind: 'scan' | 'flood';
  host: string;
  transport: string;
  attempts: number;
  packets: number;
  bytes: number;
  peers: number;
  ports: number;
  firstSeen: number;
  lastSeen: number;
}

export interface CaptureRecordRow {
  id: number;
  fingerprint: string;
  path: string;
  size: number;
  format: string;
  compression: string;
  frames: number;
  ipPackets: number;
  bytes: number;
  firstSeen: number | null;
  lastSeen: number | null;
  errors: number;
  warnings: number;
  ingestedAt: string;
  /** Identity of the decompressed capture; null for a compressed capture of a store older than schema 3 not seen since. */
  contentId: string | null;
  /** Canonical JSON of the decode options it was decoded with (src/pipeline/decodeOptions.ts); null when not recorded. */
  decodeOptions: string | null;
  /** The capture row of the earlier, shorter version of this file that this one resumed. */
  resumedFrom: number | null;
}

export interface DiagnosticRecord {
  capture: string;
  severity: string;
  code: string;
  frame: number | null;
  offset: number | null;
  protocol: string | null;
  message: string;
}

export interface DiagnosticCountRecord {
  code: string;
  severity: string;
  count: number;
}

export interface ProtocolStatRecord {
  protocol: string;
  connections: number;
  pdus: number;
  malformed: number;
  unparsedBytes: number;
  gapBytes: number;
  retransmittedBytes: number;
  /** Segments / datagrams whose payload the snap length cut, the bytes lost, the longest cut frame. */
  snapCutSegments: number;
  snapLostBytes: number;
  snapCaplen: number;
}

/** One capture point of one capture file: a tunnel its frames arrived through (migration 006). */
export interface CapturePointRecord {
  /** the capture file's path */
  capture: string;
  captureId: number;
  /** gre, erspan-i, erspan-ii, erspan-iii, vxlan, mpls, pppoe, ip-in-ip */
  encapsulation: string;
  /** outer source and destination: IP addresses, or MACs for mpls and pppoe; '' when unknown */
  outerSrc: string;
  outerDst: string;
  /** ERSPAN session id, VXLAN VNI, GRE key, MPLS label, PPPoE session id; null when the tunnel has none */
  tunnelId: number | null;
  frames: number;
  firstSeen: number;
  lastSeen: number;
}

export interface BaselineOverview {
  captures: number;
  frames: number;
  ipPackets: number;
  bytes: number;
  firstSeen: number | null;
  lastSeen: number | null;
  flows: number;
}

/**
 * Which part of the baseline to read (every read takes one). `hosts`: IPs; `since`/`until`: unix seconds,
 * inclusive (docs/INTERFACES.md "Times").
 * - flows: either endpoint in `hosts`; the window applies to every count kept per hour (and per day).
 * - identities, hostMacs, arp, scans: the record's IP (scans: the scanner or the target) in `hosts`;
 *   kept when its [firstSeen, lastSeen] overlaps the window, with its counts whole (they are not kept per
 *   hour). l2Frames: the MAC is one that a host in `hosts` sent from (hostMacs or arp); window likewise.
 * - captures, capturePoints, diagnostics, diagnosticCounts, protocolStats: the capture files whose records overlap the
 *   window, counted whole (`hosts` does not apply: they are per file). A diagnostic of a file that has no
 *   capture row (a file that could not be read at all) is kept whatever the window.
 * - overview: captures as above; `flows` is the number of flows the same filter reads.
 * - events: either endpoint in `hosts`; the event's time in the window (readEvents.ts).
 */
export interface ReadFilter {
  hosts?: readonly string[];
  since?: number;
  until?: number;
}

/** A stored time, when a Date holds it (storeTimes.ts). */
const num = storedTime;

/** A row's first_seen / last_seen as times a Date holds (an unusable one read as the other). */
function span(r: Record<string, unknown>): { firstSeen: number; lastSeen: number } {
  const [firstSeen, lastSeen] = storedSpan(r.first_seen, r.last_seen);
  return { firstSeen, lastSeen };
}

/** An SQL condition and its parameters (joined with AND; `1` when there is none). */
interface Where {
  sql: string;
  params: unknown[];
}

function where(parts: Array<Where | null>): Where {
  const kept = parts.filter((p): p is Where => p !== null);
  return { sql: kept.length ? kept.map((p) => `(${p.sql})`).join(' AND ') : '1', params: kept.flatMap((p) => p.params) };
}

/** Rows whose [first, last] overlaps the filter's window. */
function overlaps(filter: ReadFilter, first = 'first_seen', last = 'last_seen'): Where | null {
  const parts: Where[] = [];
  if (filter.since !== undefined) parts.push({ sql: `${last} >= ?`, params: [filter.since] });
  if (filter.until !== undefined) parts.push({ sql: `${first} <= ?`, params: [filter.until] });
  return parts.length ? where(parts) : null;
}

/** Rows whose `column` is one of the filter's hosts (a JSON array parameter: any number of hosts). */
function inHosts(filter: ReadFilter, ...columns: string[]): Where | null {
  if (!filter.hosts) return null;
  const hosts = JSON.stringify([...filter.hosts]);
  return { sql: columns.map((c) => `${c} IN (SELECT value FROM json_each(?))`).join(' OR '), params: columns.map(() => hosts) };
}

/** Captures (by id column) whose records overlap the window. */
function captureInWindow(filter: ReadFilter, idColumn: string): Where | null {
  const w = overlaps(filter);
  return w ? { sql: `${idColumn} IN (SELECT id FROM captures WHERE ${w.sql})`, params: w.params } : null;
}

export class BaselineReader {
  readonly #db: Database.Database;
  /** false for a reader over a connection it does not own (Baseline.reader()): close() leaves it open. */
  readonly #owned: boolean;
  readonly path: string;

  private constructor(db: Database.Database, path: string, owned: boolean) {
    this.#db = db;
    this.path = path;
    this.#owned = owned;
  }

  /**
   * A reader over an open connection that stays its opener's (for Baseline.reader(): in-memory stores
   * and the writer's own summary). Not part of the library API.
   */
  static over(db: Database.Database, path: string): BaselineReader {
    return new BaselineReader(db, path, false);
  }

  /**
   * Open an existing store read-only (an older schema is migrated first when the file is writable:
   * storeFile.ts). Throws BaselineError (BASELINE_MISSING, BASELINE_NOT_A_BASELINE, BASELINE_SCHEMA_VERSION).
   */
  static open(path: string): BaselineReader {
    return new BaselineReader(openForReading(path), path, true);
  }

  close(): void {
    if (this.#owned && this.#db.open) this.#db.close();
  }

  /** Run `fn` inside one read transaction: every SELECT in it sees the same snapshot. */
  snapshot<T>(fn: () => T): T {
    return this.#db.transaction(fn).deferred();
  }

  overview(filter: ReadFilter = {}): BaselineOverview {
    return this.snapshot(() => {
      const w = where([overlaps(filter)]);
      const c = this.#db
        .prepare(
          `SELECT count(*) AS captures, coalesce(sum(frames),0) AS frames, coalesce(sum(ip_packets),0) AS ipPackets,
                  coalesce(sum(bytes),0) AS bytes, min(${usableTimeSql('first_seen')}) AS firstSeen, max(${usableTimeSql('last_seen')}) AS lastSeen FROM captures WHERE ${w.sql}`,
        )
        .get(...w.params) as { captures: number; frames: number; ipPackets: number; bytes: number; firstSeen: unknown; lastSeen: unknown };
      const filtered = filter.hosts !== undefined || filter.since !== undefined || filter.until !== undefined;
      const flows = filtered ? this.#flows(filter).length : (this.#db.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n;
      return { ...c, firstSeen: num(c.firstSeen), lastSeen: num(c.lastSeen), flows };
    });
  }

  /** Every flow with its evidence, hours, functions, ranges, objects and attributes, in a stable order (src, dst, transport, port, protocol). */
  flows(filter: ReadFilter = {}): FlowRecord[] {
    return this.snapshot(() => this.#flows(filter));
  }

  #flows(filter: ReadFilter): FlowRecord[] {
    const db = this.#db;
    const rows = db.prepare('SELECT * FROM flows ORDER BY src, dst, transport, port, protocol').all() as Array<Record<string, number & string>>;
    const hostSet = filter.hosts ? new Set(filter.hosts) : null;
    const byId = new Map<number, FlowRecord>();
    const out: FlowRecord[] = [];
    for (const r of rows) {
      if (hostSet && !hostSet.has(r.src) && !hostSet.has(r.dst)) continue;
      const [firstSeen, lastSeen] = storedSpan(r.first_seen, r.last_seen);
      const f: FlowRecord = {
        id: r.id, src: r.src, dst: r.dst, transport: r.transport, port: r.port, protocol: r.protocol,
        packetsToResponder: r.packets_to_responder, packetsToInitiator: r.packets_to_initiator,
        bytesToResponder: r.bytes_to_responder, bytesToInitiator: r.bytes_to_initiator,
        connections: r.connections, firstSeen, lastSeen,
        evidence: {}, hours: [], functions: [], ranges: [], objects: [], attributes: [],
      };
      byId.set(r.id, f);
      out.push(f);
    }
    for (const e of db.prepare('SELECT * FROM flow_evidence ORDER BY flow_id, evidence').all() as Array<{ flow_id: number; evidence: string; connections: number }>) {
      const f = byId.get(e.flow_id);
      if (f) f.evidence[e.evidence] = e.connections;
    }
    readFlowHours(db, byId);
    for (const fn of db.prepare('SELECT * FROM flow_functions ORDER BY flow_id, space, code, variant').all() as Array<Record<string, number & string>>) {
      const f = byId.get(fn.flow_id);
      if (f) {
        f.functions.push({
          space: fn.space, code: fn.code, variant: fn.variant, name: fn.name, opClass: fn.op_class,
          requests: fn.requests, responses: fn.responses, exceptions: fn.exceptions,
        });
      }
    }
    for (const r of db.prepare('SELECT * FROM flow_ranges ORDER BY flow_id, tbl, start, count, write').all() as Array<{ flow_id: number; tbl: number; start: number; count: number; write: number; requests: number }>) {
      const f = byId.get(r.flow_id);
      if (f) f.ranges.push({ table: r.tbl, start: r.start, count: r.count, write: r.write === 1, requests: r.requests });
    }
    for (const o of db.prepare('SELECT * FROM flow_objects ORDER BY flow_id, space, key').all() as Array<{ flow_id: number; space: string; key: string; reads: number; writes: number }>) {
      const f = byId.get(o.flow_id);
      if (f) f.objects.push({ space: o.space, key: o.key, reads: o.reads, writes: o.writes });
    }
    for (const a of db.prepare('SELECT * FROM flow_attributes ORDER BY flow_id, key, value').all() as Array<{ flow_id: number; key: string; value: string }>) {
      const f = byId.get(a.flow_id);
      if (f) f.attributes.push({ key: a.key, value: a.value });
    }
    if (filter.since !== undefined || filter.until !== undefined) {
      const since = filter.since ?? -Infinity;
      const until = filter.until ?? Infinity;
      windowFunctions(db, byId, since, until);
      return windowFlows(out, since, until);
    }
    return out;
  }

  identities(filter: ReadFilter = {}): IdentityRecord[] {
    const w = where([inHosts(filter, 'i.ip'), overlaps(filter, 'i.first_seen', 'i.last_seen')]);
    return this.snapshot(() =>
      (this.#db
        .prepare(
          `SELECT i.*, c.path AS capture FROM identities i LEFT JOIN captures c ON c.id = i.capture_id
           WHERE ${w.sql} ORDER BY i.ip, i.protocol, i.key, i.value`,
        )
        .all(...w.params) as Array<Record<string, number & string>>).map((r) => ({
        ip: r.ip, protocol: r.protocol, key: r.key, value: r.value, count: r.count,
        ...span(r), capture: r.capture ?? null, frame: r.frame,
      })),
    );
  }

  /** Source MACs of each IP's packets. */
  hostMacs(filter: ReadFilter = {}): MacRecord[] {
    return this.snapshot(() => this.#macs('host_macs', filter));
  }

  /** ARP sender (IP, MAC) pairs. */
  arp(filter: ReadFilter = {}): MacRecord[] {
    return this.snapshot(() => this.#macs('arp', filter));
  }

  #macs(table: 'host_macs' | 'arp', filter: ReadFilter): MacRecord[] {
    const w = where([inHosts(filter, 'ip'), overlaps(filter)]);
    return (this.#db.prepare(`SELECT * FROM ${table} WHERE ${w.sql} ORDER BY ip, mac`).all(...w.params) as Array<Record<string, number & string>>).map((r) => ({
      ip: r.ip, mac: r.mac, packets: r.packets, ...span(r),
    }));
  }

  /** Non-IP frames by source MAC and EtherType. */
  l2Frames(filter: ReadFilter = {}): L2FrameRecord[] {
    const hosts = inHosts(filter, 'ip');
    const byHost = hosts
      ? { sql: `mac IN (SELECT mac FROM host_macs WHERE ${hosts.sql} UNION SELECT mac FROM arp WHERE ${hosts.sql})`, params: [...hosts.params, ...hosts.params] }
      : null;
    const w = where([byHost, overlaps(filter)]);
    return this.snapshot(() =>
      (this.#db.prepare(`SELECT * FROM l2_frames WHERE ${w.sql} ORDER BY mac, ethertype`).all(...w.params) as Array<Record<string, number & string>>).map((r) => ({
        mac: r.mac, etherType: r.ethertype, packets: r.packets, bytes: r.bytes,
        ...span(r),
      })),
    );
  }

  scans(filter: ReadFilter = {}): ScanRecord[] {
    const w = where([inHosts(filter, 'host'), overlaps(filter)]);
    return this.snapshot(() =>
      (this.#db.prepare(`SELECT * FROM scans WHERE ${w.sql} ORDER BY kind, host, transport`).all(...w.params) as Array<Record<string, number & string>>).map((r) => ({
        kind: r.kind as 'scan' | 'flood', host: r.host, transport: r.transport, attempts: r.attempts, packets: r.packets,
        bytes: r.bytes, peers: r.peers, ports: r.ports, ...span(r),
      })),
    );
  }

  captures(filter: ReadFilter = {}): CaptureRecordRow[] {
    const w = where([overlaps(filter)]);
    return this.snapshot(() =>
      (this.#db.prepare(`SELECT * FROM captures WHERE ${w.sql} ORDER BY first_seen, id`).all(...w.params) as Array<Record<string, number & string>>).map((r) => ({
        id: r.id, fingerprint: r.fingerprint, path: r.path, size: r.size, format: r.format, compression: r.compression,
        frames: r.frames, ipPackets: r.ip_packets, bytes: r.bytes, firstSeen: num(r.first_seen) ?? num(r.last_seen), lastSeen: num(r.last_seen) ?? num(r.first_seen),
        errors: r.errors, warnings: r.warnings, ingestedAt: r.ingested_at, contentId: r.content_id ?? null,
        decodeOptions: r.decode_options ?? null, resumedFrom: r.resumed_from ?? null,
      })),
    );
  }

  /**
   * The tunnels the frames of each capture arrived through (ERSPAN, GRE, VXLAN, MPLS, PPPoE, IP-in-IP),
   * by capture, encapsulation, outer endpoints and id. Empty for a store older than schema 6 read
   * without migrating (a read-only file).
   */
  capturePoints(filter: ReadFilter = {}): CapturePointRecord[] {
    const w = where([captureInWindow(filter, 'p.capture_id')]);
    return this.snapshot(() => {
      if (!this.#db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='capture_points'").get()) return [];
      const rows = this.#db
        .prepare(
          `SELECT p.*, c.path FROM capture_points p JOIN captures c ON c.id = p.capture_id WHERE ${w.sql}
           ORDER BY c.first_seen, p.capture_id, p.encapsulation, p.outer_src, p.outer_dst, p.tunnel_id`,
        )
        .all(...w.params) as Array<Record<string, number & string>>;
      return rows.map((r) => ({
        capture: r.path, captureId: r.capture_id, encapsulation: r.encapsulation, outerSrc: r.outer_src, outerDst: r.outer_dst,
        tunnelId: Number.isInteger(r.tunnel_id) && r.tunnel_id >= 0 ? r.tunnel_id : null, frames: num(r.frames) ?? 0,
        firstSeen: num(r.first_seen) ?? 0, lastSeen: num(r.last_seen) ?? 0,
      }));
    });
  }

  diagnostics(filter: ReadFilter = {}): DiagnosticRecord[] {
    const inWindow = captureInWindow(filter, 'capture_id');
    const w = where([inWindow ? { sql: `capture_id IS NULL OR ${inWindow.sql}`, params: inWindow.params } : null]);
    return this.snapshot(() =>
      (this.#db.prepare(`SELECT * FROM diagnostics WHERE ${w.sql} ORDER BY capture_id, rowid`).all(...w.params) as Array<Record<string, number & string>>).map((r) => ({
        capture: r.path, severity: r.severity, code: r.code, frame: r.frame ?? null, offset: r.offset ?? null,
        protocol: r.protocol ?? null, message: r.message,
      })),
    );
  }

  /** Every occurrence of each diagnostic code over all captures (of the window). */
  diagnosticCounts(filter: ReadFilter = {}): DiagnosticCountRecord[] {
    const w = where([captureInWindow(filter, 'capture_id')]);
    return this.snapshot(() =>
      (this.#db
        .prepare(`SELECT code, severity, sum(count) AS count FROM diagnostic_counts WHERE ${w.sql} GROUP BY code, severity ORDER BY code, severity`)
        .all(...w.params) as Array<{ code: string; severity: string; count: number }>).map((r) => ({ code: r.code, severity: r.severity, count: r.count })),
    );
  }

  /**
   * Engineering events (program/control requests; the first write and diagnostic request of each
   * code per host pair) whose time lies in the window, with either endpoint in `hosts`, in time
   * order (readEvents.ts).
   */
  events(filter: ReadFilter = {}): EventRecord[] {
    return this.snapshot(() => readEvents(this.#db, filter));
  }

  /** How many captures were ingested before events were recorded (schema 4): none of their events are in the store. */
  capturesWithoutEvents(): number {
    return this.snapshot(() => capturesWithoutEvents(this.#db));
  }

  /**
   * Times in the store that a Date cannot hold (a store written before they were checked), by capture
   * and field, with how the other reads read them; empty for a sound store.
   */
  timeProblems(): StoreTimeProblem[] {
    return this.snapshot(() => findTimeProblems(this.#db));
  }

  /** Dissection coverage per protocol over all captures (of the window). */
  protocolStats(filter: ReadFilter = {}): ProtocolStatRecord[] {
    const w = where([captureInWindow(filter, 'capture_id')]);
    return this.snapshot(() =>
      (this.#db
        .prepare(
          `SELECT protocol, sum(connections) AS connections, sum(pdus) AS pdus, sum(malformed) AS malformed,
                  sum(unparsed_bytes) AS unparsed_bytes, sum(gap_bytes) AS gap_bytes, sum(retransmitted_bytes) AS retransmitted_bytes,
                  sum(snap_cut_segments) AS snap_cut_segments, sum(snap_lost_bytes) AS snap_lost_bytes, max(snap_caplen) AS snap_caplen
           FROM protocol_stats WHERE ${w.sql} GROUP BY protocol ORDER BY protocol`,
        )
        .all(...w.params) as Array<Record<string, number & string>>).map((r) => ({
        protocol: r.protocol, connections: r.connections, pdus: r.pdus, malformed: r.malformed,
        unparsedBytes: r.unparsed_bytes, gapBytes: r.gap_bytes, retransmittedBytes: r.retransmitted_bytes,
        snapCutSegments: r.snap_cut_segments, snapLostBytes: r.snap_lost_bytes, snapCaplen: r.snap_caplen,
      })),
    );
  }
}

/**
 * Restrict flows to [since, until] using their hourly activity: packets and bytes become the window's,
 * first/last seen are clamped to the active hours inside it; flows with no activity in it are dropped.
 * Function counts are the window's days' (windowFunctions).
 */
function windowFlows(flows: FlowRecord[], since: number, until: number): FlowRecord[] {
  const out: FlowRecord[] = [];
  for (const f of flows) {
    const hours = f.hours.filter((h) => (h.hour + 1) * 3600 > since && h.hour * 3600 <= until);
    if (hours.length === 0) continue;
    const first = Math.max(f.firstSeen, hours[0]!.hour * 3600, since);
    const last = Math.min(f.lastSeen, (hours[hours.length - 1]!.hour + 1) * 3600 - 1e-6, until);
    out.push({ ...f, hours, firstSeen: first, lastSeen: last });
  }
  return out;
}
