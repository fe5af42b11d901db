/**
 * The typed read API over the baseline store: the ONE way later stages (assets, graph, zones, design,
 * report, cli) read what ingest wrote. camelCase here, snake_case only in SQL and JSON.
 *
 * Every public read runs inside one read transaction (a snapshot), so a reader beside a running ingest
 * sees one consistent state and never fails half-way. Times are UTC seconds since the epoch (number).
 * Reading never throws on any value a store can hold: bad times come back as null.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BaselineError } from './baseline.js';
import { SCHEMA_VERSION } from './schema.js';

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
 * Which part of the baseline to read. `hosts`: flows with either endpoint in the set; `since`/`until`:
 * unix seconds, inclusive, applied to every count kept per hour (and per day).
 */
export interface ReadFilter {
  hosts?: readonly string[];
  since?: number;
  until?: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export class BaselineReader {
  readonly #db: Database.Database;
  readonly path: string;

  private constructor(db: Database.Database, path: string) {
    this.#db = db;
    this.path = path;
  }

  /** Open an existing store read-only. Throws BaselineError (BASELINE_MISSING, BASELINE_NOT_A_BASELINE, BASELINE_SCHEMA_VERSION). */
  static open(path: string): BaselineReader {
    let db: Database.Database;
    try {
      // Read-write with query_only where the file allows it: a read-only connection that is the last
      // to close cannot remove the store's -wal and -shm files, so every `zonescope flows` left them behind.
      try {
        db = new Database(path, { fileMustExist: true });
        db.pragma('query_only = ON');
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CANTOPEN' && !existsSync(path)) throw e;
        db = new Database(path, { readonly: true, fileMustExist: true });
      }
    } catch (e) {
      throw new BaselineError('BASELINE_MISSING', `cannot open baseline ${path}: ${(e as Error).message}`);
    }
    try {
      const hasMeta = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'").get();
      if (!hasMeta) throw new BaselineError('BASELINE_NOT_A_BASELINE', `${path} is not a zonescope baseline`);
      const v = db.prepare("SELECT value FROM meta WHERE key='schema_version'").get() as { value: string } | undefined;
      const ver = v ? Number(v.value) : 0;
      if (ver !== SCHEMA_VERSION) {
        throw new BaselineError('BASELINE_SCHEMA_VERSION', `baseline ${path} has schema version ${ver}; this zonescope reads version ${SCHEMA_VERSION}`);
      }
    } catch (e) {
      db.close();
      if (e instanceof BaselineError) throw e;
      throw new BaselineError('BASELINE_UNREADABLE', `cannot read baseline ${path}: ${(e as Error).message}`);
    }
    return new BaselineReader(db, path);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Run `fn` inside one read transaction: every SELECT in it sees the same snapshot. */
  snapshot<T>(fn: () => T): T {
    return this.#db.transaction(fn).deferred();
  }

  overview(): BaselineOverview {
    return this.snapshot(() => {
      const c = this.#db
        .prepare(
          `SELECT count(*) AS captures, coalesce(sum(frames),0) AS frames, coalesce(sum(ip_packets),0) AS ipPackets,
                  coalesce(sum(bytes),0) AS bytes, min(first_seen) AS firstSeen, max(last_seen) AS lastSeen FROM captures`,
        )
        .get() as { captures: number; frames: number; ipPackets: number; bytes: number; firstSeen: unknown; lastSeen: unknown };
      const f = this.#db.prepare('SELECT count(*) AS n FROM flows').get() as { n: number };
      return { ...c, firstSeen: num(c.firstSeen), lastSeen: num(c.lastSeen), flows: f.n };
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
      const f: FlowRecord = {
        id: r.id, src: r.src, dst: r.dst, transport: r.transport, port: r.port, protocol: r.protocol,
        packetsToResponder: r.packets_to_responder, packetsToInitiator: r.packets_to_initiator,
        bytesToResponder: r.bytes_to_responder, bytesToInitiator: r.bytes_to_initiator,
        connections: r.connections, firstSeen: num(r.first_seen) ?? 0, lastSeen: num(r.last_seen) ?? 0,
        evidence: {}, hours: [], functions: [], ranges: [], objects: [], attributes: [],
      };
      byId.set(r.id, f);
      out.push(f);
    }
    for (const e of db.prepare('SELECT * FROM flow_evidence ORDER BY flow_id, evidence').all() as Array<{ flow_id: number; evidence: string; connections: number }>) {
      const f = byId.get(e.flow_id);
      if (f) f.evidence[e.evidence] = e.connections;
    }
    for (const h of db.prepare('SELECT * FROM flow_hours ORDER BY flow_id, hour').all() as Array<{ flow_id: number; hour: number; packets: number; bytes: number }>) {
      const f = byId.get(h.flow_id);
      if (f) f.hours.push({ hour: h.hour, packets: h.packets, bytes: h.bytes });
    }
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
    if (filter.since !== undefined || filter.until !== undefined) return windowFlows(out, filter.since ?? -Infinity, filter.until ?? Infinity);
    return out;
  }

  identities(): IdentityRecord[] {
    return this.snapshot(() =>
      (this.#db
        .prepare(
          `SELECT i.*, c.path AS capture FROM identities i LEFT JOIN captures c ON c.id = i.capture_id
           ORDER BY i.ip, i.protocol, i.key, i.value`,
        )
        .all() as Array<Record<string, number & string>>).map((r) => ({
        ip: r.ip, protocol: r.protocol, key: r.key, value: r.value, count: r.count,
        firstSeen: num(r.first_seen) ?? 0, lastSeen: num(r.last_seen) ?? 0, capture: r.capture ?? null, frame: r.frame,
      })),
    );
  }

  /** Source MACs of each IP's packets. */
  hostMacs(): MacRecord[] {
    return this.snapshot(() => this.#macs('host_macs'));
  }

  /** ARP sender (IP, MAC) pairs. */
  arp(): MacRecord[] {
    return this.snapshot(() => this.#macs('arp'));
  }

  #macs(table: 'host_macs' | 'arp'): MacRecord[] {
    return (this.#db.prepare(`SELECT * FROM ${table} ORDER BY ip, mac`).all() as Array<Record<string, number & string>>).map((r) => ({
      ip: r.ip, mac: r.mac, packets: r.packets, firstSeen: num(r.first_seen) ?? 0, lastSeen: num(r.last_seen) ?? 0,
    }));
  }

  /** Non-IP frames by source MAC and EtherType. */
  l2Frames(): L2FrameRecord[] {
    return this.snapshot(() =>
      (this.#db.prepare('SELECT * FROM l2_frames ORDER BY mac, ethertype').all() as Array<Record<string, number & string>>).map((r) => ({
        mac: r.mac, etherType: r.ethertype, packets: r.packets, bytes: r.bytes,
        firstSeen: num(r.first_seen) ?? 0, lastSeen: num(r.last_seen) ?? 0,
      })),
    );
  }

  scans(): ScanRecord[] {
    return this.snapshot(() =>
      (this.#db.prepare('SELECT * FROM scans ORDER BY kind, host, transport').all() as Array<Record<string, number & string>>).map((r) => ({
        kind: r.kind as 'scan' | 'flood', host: r.host, transport: r.transport, attempts: r.attempts, packets: r.packets,
        bytes: r.bytes, peers: r.peers, ports: r.ports, firstSeen: num(r.first_seen) ?? 0, lastSeen: num(r.last_seen) ?? 0,
      })),
    );
  }

  captures(): CaptureRecordRow[] {
    return this.snapshot(() =>
      (this.#db.prepare('SELECT * FROM captures ORDER BY first_seen, id').all() as Array<Record<string, number & string>>).map((r) => ({
        id: r.id, fingerprint: r.fingerprint, path: r.path, size: r.size, format: r.format, compression: r.compression,
        frames: r.frames, ipPackets: r.ip_packets, bytes: r.bytes, firstSeen: num(r.first_seen), lastSeen: num(r.last_seen),
        errors: r.errors, warnings: r.warnings, ingestedAt: r.ingested_at,
      })),
    );
  }

  diagnostics(): DiagnosticRecord[] {
    return this.snapshot(() =>
      (this.#db.prepare('SELECT * FROM diagnostics ORDER BY capture_id, rowid').all() as Array<Record<string, number & string>>).map((r) => ({
        capture: r.path, severity: r.severity, code: r.code, frame: r.frame ?? null, offset: r.offset ?? null,
        protocol: r.protocol ?? null, message: r.message,
      })),
    );
  }

  /** Every occurrence of each diagnostic code over all captures. */
  diagnosticCounts(): DiagnosticCountRecord[] {
    return this.snapshot(
      () =>
        this.#db
          .prepare('SELECT code, severity, sum(count) AS count FROM diagnostic_counts GROUP BY code, severity ORDER BY code, severity')
          .all() as DiagnosticCountRecord[],
    );
  }

  protocolStats(): ProtocolStatRecord[] {
    return this.snapshot(
      () =>
        this.#db
          .prepare(
            `SELECT protocol, sum(connections) AS connections, sum(pdus) AS pdus, sum(malformed) AS malformed,
                    sum(unparsed_bytes) AS unparsedBytes, sum(gap_bytes) AS gapBytes, sum(retransmitted_bytes) AS retransmittedBytes
             FROM protocol_stats GROUP BY protocol ORDER BY protocol`,
          )
          .all() as ProtocolStatRecord[],
    );
  }
}

/**
 * Restrict flows to [since, until] using their hourly activity: packets and bytes become the window's,
 * first/last seen are clamped to the active hours inside it; flows with no activity in it are dropped.
 * (Per-function counts are kept whole until the store keeps them per day.)
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
