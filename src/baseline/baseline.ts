/**
 * The embedded baseline store (SQLite through better-sqlite3): incremental, idempotent, crash-safe.
 * Every capture file's deltas go in ONE transaction together with the file's row in `captures` (a
 * large file's flow deltas in parts into it while it is read: writePart), so an interrupted run never
 * leaves half a file, and a file already recorded (same content fingerprint) is skipped by the ingest
 * stage. All counters are additive (UPSERT ... count = count + excluded.count).
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Diagnostic } from '../diagnostics.js';
import { decodeRangeKey } from '../flows/conn.js';
import {
  EVIDENCE_RULES,
  FLOW_RULES,
  FUNCTION_RULES,
  IDENTITY_RULES,
  L2_RULES,
  MAC_RULES,
  OBJECT_RULES,
  PROTOCOL_RULES,
  CAPTURE_POINT_RULES,
  RANGE_RULES,
  SCAN_RULES,
  type FlowBatch,
  type FlowDelta,
  type FlowFunctionDelta,
  type FlowObjectDelta,
} from '../flows/flowDelta.js';
import { isFirstKind, type EventDelta } from '../flows/eventDelta.js';
import { BaselineError } from './baselineError.js';
import { BaselineReader } from './reader.js';
import { isBusy, storageError } from './storageError.js';
import { openForReading, prepareForWriting } from './storeFile.js';
import { markStore, newsSince, type StoreMark, type StoreNews } from './storeNews.js';
import { addFunctionDayRows, functionDaysUpsertSql, registerFunctionDayFunctions } from './functionDayBlobs.js';
import { addFlowHourRows, dayHoursUpsertSql, registerHourFunctions } from './hourBlobs.js';
import { prepareUpsert, UpsertRows, type Upsert } from './upsertSql.js';

export { BaselineError };
export type { StoreMark, StoreNews };

export interface CaptureInfo {
  fingerprint: string;
  headHash: string;
  path: string;
  size: number;
  format: string;
  compression: string;
  linktypes: number[];
  endOffset: number;
  frames: number;
  truncated: boolean;
  errors: number;
  warnings: number;
  resumedFrom: number | null;
  /** Identity of the decompressed capture (src/ingest/contentIdentity.ts); default: the fingerprint. */
  contentId?: string;
  /** Canonical JSON of the decode options (src/pipeline/decodeOptions.ts); null when unknown. */
  decodeOptions?: string | null;
}

export interface CaptureRow {
  id: number;
  fingerprint: string;
  head_hash: string;
  path: string;
  size: number;
  format: string;
  compression: string;
  end_offset: number;
  frames: number;
  ip_packets: number;
  bytes: number;
  first_seen: number | null;
  last_seen: number | null;
  errors: number;
  warnings: number;
  resumed_from: number | null;
  /** NULL for a compressed capture of a store migrated from schema 2 or older, until it is seen again. */
  content_id: string | null;
  decode_options: string | null;
}

export interface BaselineOpenOptions {
  /** Open an existing store for reading only. */
  readonly?: boolean;
  /** Told, once per write, when the store is locked by another process and this one starts to wait. */
  onWait?: (message: string) => void;
  /** How long a write waits quietly for another process's lock (ms, default 2,000) ... */
  busyTimeoutMs?: number;
  /** ... and then, having said so through onWait, before it gives up with BASELINE_BUSY (ms, default 60,000). */
  waitMs?: number;
  /** Cap on the store's size in pages (SQLite max_page_count; 4 KiB pages): a write past it fails as BASELINE_FULL. */
  maxPages?: number;
}

/** The ingest's live state in its stored form (encodeLiveState in src/flows/liveState.ts). */
export interface LiveStateBlob {
  connections: number;
  data: Uint8Array;
}

export class Baseline {
  private readonly db: Database.Database;
  private readonly path: string;
  private readonly opts: BaselineOpenOptions;
  /**
   * The transaction a capture's parts are written into (writePart) until commitCapture / commitDeltas
   * commits them with the rest of the capture, or abortParts drops them: its own (BEGIN), or a
   * savepoint inside a rebuild's transaction (replaceAll).
   */
  private parts: 'none' | 'begin' | 'savepoint' = 'none';
  /** The flow upserts, prepared once per store (writeFlows). */
  private flowStatements: FlowStatements | null = null;

  private constructor(db: Database.Database, path: string, opts: BaselineOpenOptions) {
    this.db = db;
    this.path = path;
    this.opts = opts;
    registerHourFunctions(db);
    registerFunctionDayFunctions(db);
  }

  /**
   * Open (creating when absent) a baseline store at `path` (':memory:' for tests). A writable open
   * refuses anything that is not an empty database or a zonescope store, untouched, and migrates an
   * older store in place (storeFile.ts). A read-only open migrates an older store first when it can.
   * Storage failures (read-only, locked, full, damaged) are BaselineErrors that say what to do.
   */
  static open(path: string, opts: BaselineOpenOptions = {}): Baseline {
    if (opts.readonly) return new Baseline(openForReading(path), path, opts);
    if (path !== ':memory:') checkWritable(path);
    let db: Database.Database;
    try {
      db = new Database(path, { timeout: opts.busyTimeoutMs ?? 2000 });
    } catch (e) {
      const err = storageError(e, path, 'opening it');
      if (err instanceof BaselineError) throw err;
      throw new BaselineError('BASELINE_UNREADABLE', `cannot open baseline ${path}: ${(e as Error).message}`);
    }
    const prepare = (): void => {
      prepareForWriting(db, path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      if (opts.maxPages !== undefined) db.pragma(`max_page_count = ${Math.max(1, Math.floor(opts.maxPages))}`);
    };
    try {
      // Turning WAL on (or migrating) needs the store to itself for a moment.
      whileBusy(prepare, path, opts);
    } catch (e) {
      db.close();
      const err = storageError(e, path, 'opening it');
      if (err instanceof BaselineError) throw err;
      throw new BaselineError('BASELINE_UNREADABLE', `cannot use baseline ${path}: ${(e as Error).message}`);
    }
    return new Baseline(db, path, opts);
  }

  /**
   * Run `fn` in one immediate write transaction. When another process holds the lock, wait quietly
   * (busyTimeoutMs), then say so (onWait) and wait longer (waitMs), then give up with BASELINE_BUSY;
   * every other storage failure becomes its BaselineError. Either way nothing of `fn` is kept.
   */
  private write<T>(doing: string, fn: () => T, keep: (r: T) => boolean = () => true): T {
    if (this.parts !== 'none') {
      // The capture's parts are in the open transaction: `fn` ends it (all of it kept, or none).
      try {
        const r = fn();
        if (keep(r)) this.endParts();
        else this.abortParts();
        return r;
      } catch (e) {
        this.abortParts();
        throw storageError(e, this.path, doing);
      }
    }
    const tx = this.db.transaction(fn);
    try {
      return whileBusy(() => tx.immediate(), this.path, this.opts);
    } catch (e) {
      throw storageError(e, this.path, doing);
    }
  }

  /**
   * The typed reader over this store's own connection (what an in-memory store and the writer's summary
   * read through); closing it leaves the store open.
   */
  reader(): BaselineReader {
    return BaselineReader.over(this.db, this.path);
  }

  /**
   * Close the store. The last connection to close also takes it out of write-ahead-log mode, so that an
   * idle store is one file (no -wal, -shm) that can be read from a read-only folder; the next writer
   * turns WAL on again. With other connections open it stays in WAL mode (no waiting for them).
   */
  close(): void {
    if (!this.db.open) return;
    this.abortParts();
    try {
      this.db.pragma('busy_timeout = 0');
      this.db.pragma('journal_mode = DELETE');
    } catch {
      // another connection holds the store: it stays in WAL mode
    }
    this.db.close();
  }

  captureByFingerprint(fingerprint: string): CaptureRow | undefined {
    return this.db.prepare('SELECT * FROM captures WHERE fingerprint = ?').get(fingerprint) as CaptureRow | undefined;
  }

  /** A capture of the same content (decompressed), whatever its file's name or compression. */
  captureByContentId(contentId: string): CaptureRow | undefined {
    return this.db.prepare('SELECT * FROM captures WHERE content_id = ? ORDER BY id LIMIT 1').get(contentId) as CaptureRow | undefined;
  }

  /** Captures whose content identity is not known yet (compressed ones of a store migrated from schema 2). */
  capturesWithoutContentId(): CaptureRow[] {
    return this.db.prepare('SELECT * FROM captures WHERE content_id IS NULL ORDER BY id').all() as CaptureRow[];
  }

  /** Record the content identity of a capture (learnt when its file is seen again). */
  setContentId(captureId: number, contentId: string): void {
    this.write('recording a content identity', () => {
      this.db.prepare('UPDATE captures SET content_id = ? WHERE id = ? AND content_id IS NULL').run(contentId, captureId);
    });
  }

  /** The most recent capture with the same head whose recorded size is smaller: a file that grew since. */
  grownFrom(headHash: string, size: number): CaptureRow | undefined {
    return this.db
      .prepare('SELECT * FROM captures WHERE head_hash = ? AND size < ? ORDER BY size DESC LIMIT 1')
      .get(headHash, size) as CaptureRow | undefined;
  }

  /**
   * The live unit that committed the furthest into the evidence file whose live units record
   * `headHash` (`live-evidence:KEY`, src/pipeline/liveEvidence.ts): its end_offset is where that
   * file's uncommitted packets start.
   */
  liveEvidenceCommitted(headHash: string): CaptureRow | undefined {
    return this.db.prepare('SELECT * FROM captures WHERE head_hash = ? ORDER BY end_offset DESC, id DESC LIMIT 1').get(headHash) as CaptureRow | undefined;
  }

  /** Captures recorded under this path, largest first. */
  capturesAtPath(path: string): CaptureRow[] {
    return this.db.prepare('SELECT * FROM captures WHERE path = ? ORDER BY size DESC').all(path) as CaptureRow[];
  }

  /**
   * Record one capture file and its deltas in one transaction. Returns the capture id, or null when
   * the same content was committed meanwhile (by another process ingesting the same file): then
   * nothing is written, so two ingests of one file resolve to one.
   * `diagnostics` are the kept ones (the first of each code); `diagnosticCounts` every occurrence.
   * `live` is the ingest's live state after this capture (see liveState()), replaced in the same
   * transaction.
   */
  commitCapture(
    info: CaptureInfo,
    batch: FlowBatch,
    diagnostics: Diagnostic[],
    diagnosticCounts: Map<string, { severity: string; count: number }>,
    live?: LiveStateBlob,
  ): number | null {
    const db = this.db;
    return this.write(`adding ${info.path}`, (): number | null => {
      const contentId = info.contentId ?? info.fingerprint;
      if (db.prepare('SELECT id FROM captures WHERE fingerprint = ? OR content_id = ?').get(info.fingerprint, contentId)) return null;
      const c = batch.counters;
      const r = db
        .prepare(
          `INSERT INTO captures (fingerprint, head_hash, path, size, format, compression, linktypes, end_offset, frames,
             ip_packets, bytes, first_seen, last_seen, truncated, errors, warnings, resumed_from, ingested_at, content_id, decode_options)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          info.fingerprint, info.headHash, info.path, info.size, info.format, info.compression, info.linktypes.join(','),
          info.endOffset, info.frames, c.ipPackets, c.bytes, c.frames > 0 ? c.firstTs : null, c.frames > 0 ? c.lastTs : null,
          info.truncated ? 1 : 0, info.errors, info.warnings, info.resumedFrom, new Date().toISOString(), contentId,
          info.decodeOptions ?? null,
        );
      const captureId = Number(r.lastInsertRowid);
      this.writeBatch(batch, captureId);
      const insDiag = db.prepare(
        'INSERT INTO diagnostics (capture_id, path, severity, code, frame, offset, protocol, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const d of diagnostics) {
        insDiag.run(captureId, d.file ?? info.path, d.severity, d.code, d.frame ?? null, d.offset ?? null, d.protocol ?? null, d.message);
      }
      const insCount = db.prepare('INSERT INTO diagnostic_counts (capture_id, code, severity, count) VALUES (?, ?, ?, ?)');
      for (const [code, v] of diagnosticCounts) insCount.run(captureId, code, v.severity, v.count);
      if (live !== undefined) this.writeLiveState(captureId, live);
      return captureId;
    }, (id) => id !== null);
  }

  /**
   * Add a part of the capture being read (its flow deltas so far: src/flows/flowPart.ts) to the
   * capture's transaction, opened by the first part and ended by the capture's commitCapture (or
   * commitDeltas), which commits the parts with the rest in one, or abortParts. The upserts add up,
   * so the parts and the capture's batch give the store what one batch of them all would have given;
   * a kill before the commit leaves nothing of the capture. While the parts are open this process
   * holds the store's write lock (readers go on reading the committed store).
   */
  writePart(flows: readonly FlowDelta[]): void {
    if (this.parts === 'none') {
      const db = this.db;
      try {
        if (db.inTransaction) {
          db.exec('SAVEPOINT capture_parts');
          this.parts = 'savepoint';
        } else {
          whileBusy(() => db.exec('BEGIN IMMEDIATE'), this.path, this.opts);
          this.parts = 'begin';
        }
      } catch (e) {
        throw storageError(e, this.path, 'adding a capture in parts');
      }
    }
    try {
      this.writeFlows(flows);
    } catch (e) {
      this.abortParts();
      throw storageError(e, this.path, 'adding a capture in parts');
    }
  }

  /** Drop the parts written since the capture's first writePart (nothing of it is kept); no-op when none. */
  abortParts(): void {
    const kind = this.parts;
    if (kind === 'none') return;
    this.parts = 'none';
    if (!this.db.inTransaction) return;
    if (kind === 'begin') this.db.exec('ROLLBACK');
    else this.db.exec('ROLLBACK TO capture_parts; RELEASE capture_parts');
  }

  private endParts(): void {
    const kind = this.parts;
    this.parts = 'none';
    this.db.exec(kind === 'begin' ? 'COMMIT' : 'RELEASE capture_parts');
  }

  /** How many captures were decoded with each set of decode options (null: not recorded, before schema 3). */
  decodeOptionsInUse(): Array<{ options: string | null; captures: number }> {
    return this.db
      .prepare('SELECT decode_options AS options, count(*) AS captures FROM captures GROUP BY decode_options ORDER BY count(*) DESC, decode_options')
      .all() as Array<{ options: string | null; captures: number }>;
  }

  /**
   * Rebuild the store's contents in ONE transaction (ingest --reprocess): every table but `meta` is
   * emptied, then `fill` writes the store anew (its commits become savepoints of this transaction).
   * Concurrent writers wait for it (they get BASELINE_BUSY past the wait); readers see the old store
   * until it commits. When `fill` throws, or the process dies, nothing changed. Returns `fill`'s
   * result and the mark to tell what the rebuild added and dropped (newsSince).
   */
  async replaceAll<T>(fill: () => Promise<T>): Promise<{ result: T; mark: StoreMark }> {
    const db = this.db;
    try {
      whileBusy(() => db.exec('BEGIN IMMEDIATE'), this.path, this.opts);
    } catch (e) {
      throw storageError(e, this.path, 'starting the rebuild');
    }
    try {
      const mark = markStore(db, true);
      db.pragma('defer_foreign_keys = ON');
      const tables = db
        .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name <> 'meta' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as Array<{ name: string }>;
      for (const t of tables) db.exec(`DELETE FROM main."${t.name.replace(/"/g, '""')}"`);
      const hasSequence = db.prepare("SELECT 1 FROM main.sqlite_master WHERE name = 'sqlite_sequence'").get();
      if (hasSequence) db.exec('DELETE FROM main.sqlite_sequence');
      const result = await fill();
      db.exec('COMMIT');
      return { result, mark };
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw storageError(e, this.path, 'rebuilding it');
    }
  }

  /** Remember what the store holds now, to tell later what a run added (newsSince). */
  mark(): StoreMark {
    return markStore(this.db, false);
  }

  /** The flows, hosts and protocols added since `mark` (taken by mark() or replaceAll()). */
  newsSince(mark: StoreMark): StoreNews {
    return newsSince(this.db, mark);
  }

  /** Add deltas that belong to no file of their own (closing connections at the end of a run), and the live state after them. */
  commitDeltas(captureId: number, batch: FlowBatch, live?: LiveStateBlob): void {
    this.write('closing the connections of this run', () => {
      this.writeBatch(batch, captureId);
      if (live !== undefined) this.writeLiveState(captureId, live);
    });
  }

  /**
   * The ingest's live state as the last commit left it (src/flows/liveState.ts decodes it), or null
   * when there is none (a new store, or one migrated from before schema version 5).
   */
  liveState(): Uint8Array | null {
    const row = this.db.prepare('SELECT data FROM live_state WHERE id = 1').get() as { data: Uint8Array } | undefined;
    return row?.data ?? null;
  }

  private writeLiveState(captureId: number, live: LiveStateBlob): void {
    this.db
      .prepare(
        `INSERT INTO live_state (id, capture_id, connections, data) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET capture_id = excluded.capture_id, connections = excluded.connections, data = excluded.data`,
      )
      .run(captureId, live.connections, live.data);
  }

  /**
   * Add a batch's deltas: every counter by the merge rules of src/flows/flowDelta.ts (prepareUpsert
   * writes the SQL from them), the functions also per UTC day (flow_function_day_blocks).
   */
  private writeBatch(batch: FlowBatch, captureId: number): void {
    const db = this.db;
    this.writeFlows(batch.flows);
    const upIdent = prepareUpsert(db, 'identities', ['ip', 'protocol', 'key', 'value'], ['capture_id', 'frame'], IDENTITY_RULES);
    for (const i of batch.identities) upIdent.run([i.ip, i.protocol, i.key, i.value, captureId, i.frame], i);
    const upMac = prepareUpsert(db, 'host_macs', ['ip', 'mac'], [], MAC_RULES);
    for (const m of batch.macs) upMac.run([m.ip, m.mac], m);
    const upArp = prepareUpsert(db, 'arp', ['ip', 'mac'], [], MAC_RULES);
    for (const m of batch.arp) upArp.run([m.ip, m.mac], m);
    const upL2 = prepareUpsert(db, 'l2_frames', ['mac', 'ethertype'], [], L2_RULES);
    for (const l of batch.l2) upL2.run([l.mac, l.etherType], l);
    const upScan = prepareUpsert(db, 'scans', ['kind', 'host', 'transport'], [], SCAN_RULES);
    for (const sc of batch.scans) upScan.run([sc.kind, sc.host, sc.transport], sc);
    const upProto = prepareUpsert(db, 'protocol_stats', ['capture_id', 'protocol'], [], PROTOCOL_RULES);
    for (const p of batch.protocols) upProto.run([captureId, p.protocol], p);
    const upPoint = prepareUpsert(db, 'capture_points', ['capture_id', 'encapsulation', 'outer_src', 'outer_dst', 'tunnel_id'], [], CAPTURE_POINT_RULES);
    for (const c of batch.capturePoints) upPoint.run([captureId, c.encapsulation, c.outerSrc, c.outerDst, c.tunnelId], c);
    writeEvents(db, batch.events, captureId);
  }

  /** The flow upserts of this store (prepared at its first write, reused by every batch and part). */
  private flowUpserts(): FlowStatements {
    const db = this.db;
    return (this.flowStatements ??= {
      upFlow: prepareUpsert(db, 'flows', ['src', 'dst', 'transport', 'port', 'protocol'], [], FLOW_RULES, 'id'),
      upEv: prepareUpsert(db, 'flow_evidence', ['flow_id', 'evidence'], [], EVIDENCE_RULES),
      dayHours: new UpsertRows(db, 3, dayHoursUpsertSql),
      upFn: prepareUpsert(db, 'flow_functions', ['flow_id', 'space', 'code', 'variant'], ['name', 'op_class'], FUNCTION_RULES),
      fnBlocks: new UpsertRows(db, 6, functionDaysUpsertSql),
      upRange: prepareUpsert(db, 'flow_ranges', ['flow_id', 'tbl', 'start', 'count', 'write'], [], RANGE_RULES),
      upObj: prepareUpsert(db, 'flow_objects', ['flow_id', 'space', 'key'], [], OBJECT_RULES),
      upAttr: db.prepare('INSERT OR IGNORE INTO flow_attributes (flow_id, key, value) VALUES (?, ?, ?)'),
    });
  }

  /**
   * Add flow deltas: every counter by its merge rule, the functions also per UTC day
   * (flow_function_day_blocks). A flow's row first (its id), then the rows of its days' hours (one blob per
   * UTC day: hourBlobs.ts), functions, their days (one blob per 32 days: functionDayBlobs.ts), ranges and
   * objects, many per statement (Upsert.rows).
   */
  private writeFlows(flows: readonly FlowDelta[]): void {
    const { upFlow, upEv, dayHours: hours, upFn, fnBlocks: days, upRange, upObj, upAttr } = this.flowUpserts();
    const [fns, ranges, objects] = [upFn.rows, upRange.rows, upObj.rows];
    try {
      for (const f of flows) {
        const { id } = upFlow.get([f.src, f.dst, f.transport, f.port, f.protocol], f) as { id: number };
        for (const [ev, n] of Object.entries(f.evidence)) if (n) upEv.run([id, ev], { connections: n });
        addFlowHourRows(hours, id, f.hours);
        for (const fn of f.functions.values()) {
          fns.values.push(id, fn.spaceName, fn.code, fn.variant, fn.name, fn.opClass, fn.requests, fn.responses, fn.exceptions);
          fns.added();
          addFunctionDayRows(days, id, fn);
        }
        for (const [k, requests] of f.ranges) {
          const r = decodeRangeKey(k);
          ranges.values.push(id, r.table, r.start, r.count, r.write ? 1 : 0, requests);
          ranges.added();
        }
        for (const o of f.objects.values()) {
          objects.values.push(id, o.spaceName, o.key, o.reads, o.writes);
          objects.added();
        }
        for (const [k, vs] of f.attributes) for (const v of vs) upAttr.run(id, k, v);
      }
      for (const rows of [hours, fns, days, ranges, objects]) rows.flush();
    } catch (e) {
      // The write fails (its transaction is rolled back): no row of it may stay pending for the next one.
      for (const rows of [hours, fns, days, ranges, objects]) rows.discard();
      throw e;
    }
  }
}

/**
 * A batch's engineering events as rows of capture `captureId` (migration 004): each program/control
 * event a row; a write/diagnostic event merged into the capture's row of its key, if any, by the
 * rule of src/flows/eventDelta.ts addFirst (the earlier stays first, counts add up).
 */
function writeEvents(db: Database.Database, events: readonly EventDelta[], captureId: number): void {
  db.prepare('INSERT OR IGNORE INTO event_captures (capture_id) VALUES (?)').run(captureId);
  if (events.length === 0) return;
  const own = (db.prepare('SELECT path FROM captures WHERE id = ?').get(captureId) as { path: string } | undefined)?.path;
  const ins = db.prepare(
    `INSERT INTO events (capture_id, kind, src, dst, transport, port, protocol, space, code, variant, name, object, ts, frame, count, file)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The file the frame number refers to, kept only when it is not the capture's own (migration 008).
  const fileOf = (e: EventDelta): string | null => (e.file === '' || e.file === own ? null : e.file);
  const find = db.prepare(
    `SELECT id, ts, frame FROM events WHERE capture_id = ? AND kind = ? AND src = ? AND dst = ? AND protocol = ? AND space = ? AND code = ? AND variant = ?`,
  );
  const add = db.prepare('UPDATE events SET count = count + ? WHERE id = ?');
  const replace = db.prepare('UPDATE events SET count = count + ?, transport = ?, port = ?, name = ?, object = ?, ts = ?, frame = ?, file = ? WHERE id = ?');
  for (const e of events) {
    if (isFirstKind(e.kind)) {
      const cur = find.get(captureId, e.kind, e.src, e.dst, e.protocol, e.space, e.code, e.variant) as { id: number; ts: number; frame: number } | undefined;
      if (cur !== undefined) {
        if (e.ts < cur.ts || (e.ts === cur.ts && e.frame < cur.frame)) replace.run(e.count, e.transport, e.port, e.name, e.object, e.ts, e.frame, fileOf(e), cur.id);
        else add.run(e.count, cur.id);
        continue;
      }
    }
    ins.run(captureId, e.kind, e.src, e.dst, e.transport, e.port, e.protocol, e.space, e.code, e.variant, e.name, e.object, e.ts, e.frame, e.count, fileOf(e));
  }
}

interface FlowStatements {
  upFlow: Upsert<FlowDelta>;
  upEv: Upsert<{ connections: number }>;
  dayHours: UpsertRows;
  upFn: Upsert<FlowFunctionDelta>;
  fnBlocks: UpsertRows;
  upRange: Upsert<{ requests: number }>;
  upObj: Upsert<FlowObjectDelta>;
  upAttr: Database.Statement;
}

/** A store this user cannot write (file or folder) is refused before anything is read into it. */
function checkWritable(path: string): void {
  const target = existsSync(path) ? path : dirname(resolve(path));
  const folder = dirname(resolve(path));
  for (const p of new Set([target, folder])) {
    try {
      accessSync(p, constants.W_OK);
    } catch (e) {
      if (!existsSync(p)) {
        throw new BaselineError('BASELINE_UNREADABLE', `baseline ${path}: the folder ${p} does not exist: create it, or name a store in an existing folder with --db`);
      }
      throw new BaselineError(
        'BASELINE_READ_ONLY',
        `baseline ${path}: ${p === path ? 'the store file' : `its folder ${p}`} cannot be written by this user (${(e as Error).message}): make it writable, or name another store with --db; nothing was written`,
      );
    }
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Run `fn`; while it fails because another process holds the store (after SQLite's own quiet wait,
 * busyTimeoutMs), say so once through onWait and try again every 100 ms for up to waitMs; then the
 * last failure is thrown (storageError makes it BASELINE_BUSY). A retry loop rather than a longer busy
 * timeout: SQLite skips its busy handler where waiting could deadlock (taking a store for WAL).
 */
function whileBusy<T>(fn: () => T, path: string, opts: BaselineOpenOptions): T {
  try {
    return fn();
  } catch (e) {
    if (!isBusy(e)) throw e;
  }
  const wait = opts.waitMs ?? 60_000;
  const quiet = opts.busyTimeoutMs ?? 2000;
  opts.onWait?.(`zonescope: baseline ${path} is locked by another process (another ingest?): waiting up to ${Math.round(wait / 1000)} s for it`);
  const deadline = Date.now() + wait;
  for (;;) {
    Atomics.wait(pause, 0, 0, 100);
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e)) throw e;
      if (Date.now() >= deadline) {
        throw Object.assign(new Error(`${(e as Error).message}, after waiting ${Math.round((quiet + wait) / 1000)} s for it`), { code: (e as { code?: string }).code });
      }
    }
  }
}
