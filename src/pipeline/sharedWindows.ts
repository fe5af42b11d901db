/**
 * How a parallel ingest hands records to its worker threads without copying them: the main thread
 * parses the capture into windows of shared memory (SharedArrayBuffer, given to every worker once),
 * and sends each worker only an index of its own records (where each starts in which window, with
 * the record header's fields), in index buffers of shared memory too (each given to its worker once),
 * so a message names a window and an index buffer and transfers nothing. A worker reads its records
 * in place and hands the index buffer back; a window returns to the pool once every index that
 * points into it has come back, so memory stays bounded (the reader waits for a free window: pace()).
 *
 * Records that are not in a window (a live capture's, a reader without windows) are copied into a
 * spill window first, so every record a worker gets is in a window.
 *
 * Layout of one index entry, 8-byte aligned, 48 bytes: float64 tsSec, float64 fileOffset, then uint32
 * frame, tsNsec, caplen, origlen, linktype, interfaceId, dataFileOffset - fileOffset, and the record's
 * offset in its window.
 */
import type { WindowSource } from '../ingest/parseState.js';
import type { CaptureRecord } from '../ingest/record.js';

export const ENTRY_BYTES = 48;
/** Entries per index buffer (a window of many tiny records takes several). */
const INDEX_ENTRIES = 16384;
const INDEX_BYTES = ENTRY_BYTES * INDEX_ENTRIES;
/** Bytes of a window (one read). */
export const WINDOW_BYTES = 2 * 1024 * 1024;
/**
 * Windows in use or queued at most before reading waits (a soft cap: a parser that needs one more gets
 * it). 24 MiB in all: enough queued for a worker to go on while this thread writes a part (50-70 ms);
 * with 8 the worker ran dry then (plant-shaped 1 GB, 2 threads, 6 interleaved runs: 3.82 s median with
 * 8, 3.66 s with 16, peak 236 -> 246 MB). 12 against 16, 5 interleaved runs: 3.73 against 3.83 s (the
 * same within the noise), 10 MB less at the peak (249 against 260 MB; 1 M short connections 561
 * against 566 MB).
 */
export const MAX_WINDOWS = 12;

/** Messages to a worker (posted by `post`). */
export type WindowMessage =
  | { type: 'window'; id: number; sab: SharedArrayBuffer }
  | { type: 'drop'; id: number }
  | { type: 'index'; id: number; sab: SharedArrayBuffer }
  | { type: 'frames'; window: number; index: number; count: number };

interface Window {
  id: number;
  buf: Buffer;
  /** Index messages pointing into it that have not come back. */
  refs: number;
  /** The parser has left it (no more records will point into it). */
  sealed: boolean;
}

/** An index buffer (shared with one worker). */
interface IndexBuffer {
  id: number;
  f64: Float64Array;
  u32: Uint32Array;
}

/** One worker's index into one window: entries appended, then posted. */
class IndexWriter {
  buf: IndexBuffer;
  count = 0;
  /** The window the pending entries point into. */
  window: Window | null = null;
  /** Index buffers handed back, for reuse. */
  readonly pool: IndexBuffer[] = [];

  constructor(buf: IndexBuffer) {
    this.buf = buf;
  }

  reset(buf: IndexBuffer): void {
    this.buf = buf;
    this.count = 0;
    this.window = null;
  }
}

/**
 * The main thread's side: the parser's WindowSource, and route(rec, worker) for each record a worker
 * gets. flush() at the end of a unit posts what is pending; release() when a worker hands an index back.
 */
export class SharedWindows implements WindowSource {
  private readonly windows = new Map<number, Window>();
  private readonly free: Window[] = [];
  /** Every index buffer, by id, and the worker it belongs to. */
  private readonly indexes = new Map<number, { buf: IndexBuffer; worker: number }>();
  private readonly writers: IndexWriter[];
  private nextId = 1;
  private nextIndexId = 1;
  /** The window the parser writes into (null before the first). */
  private current: Window | null = null;
  /** Where records from outside the windows are copied (null until one comes). */
  private spill: Window | null = null;
  private spillAt = 0;
  private wake: (() => void) | null = null;

  constructor(
    private readonly workers: number,
    private readonly post: (worker: number, m: WindowMessage) => void,
  ) {
    this.writers = Array.from({ length: workers }, (_, i) => new IndexWriter(this.newIndex(i)));
  }

  /** WindowSource: the parser leaves the current window for a new one. */
  next(minBytes: number): Buffer {
    if (this.current !== null) this.seal(this.current);
    const w = this.take(minBytes);
    this.current = w;
    return w.buf;
  }

  /** Hand `rec` to worker `i` (its bytes stay where they are when they are in the current window). */
  route(rec: CaptureRecord, i: number): void {
    const cur = this.current;
    let offset: number;
    let w: Window;
    if (cur !== null && rec.data === cur.buf) {
      w = cur;
      offset = rec.offset;
    } else {
      const n = rec.caplen;
      let sp = this.spill;
      if (sp === null || this.spillAt + n > sp.buf.length) {
        if (sp !== null) this.seal(sp);
        sp = this.spill = this.take(n);
        this.spillAt = 0;
      }
      w = sp;
      offset = this.spillAt;
      rec.data.copy(sp.buf, offset, rec.offset, rec.offset + n);
      this.spillAt = (offset + n + 7) & ~7;
    }
    const wr = this.writers[i]!;
    // An index points into one window only.
    if (wr.window !== w) {
      this.send(i);
      wr.window = w;
    }
    const e = wr.count;
    const f = e * 6;
    const ix = wr.buf;
    ix.f64[f] = rec.tsSec;
    ix.f64[f + 1] = rec.fileOffset;
    const u = e * 12 + 4;
    const u32 = ix.u32;
    u32[u] = rec.frame;
    u32[u + 1] = rec.tsNsec;
    u32[u + 2] = rec.caplen;
    u32[u + 3] = rec.origlen;
    u32[u + 4] = rec.linktype;
    u32[u + 5] = rec.interfaceId;
    u32[u + 6] = rec.dataFileOffset - rec.fileOffset;
    u32[u + 7] = offset;
    wr.count = e + 1;
    if (wr.count === INDEX_ENTRIES) this.send(i);
  }

  /** Post every worker's pending entries and seal the windows (the unit's end: nothing points into them any more). */
  flush(): void {
    if (this.current !== null) {
      this.seal(this.current);
      this.current = null;
    }
    if (this.spill !== null) {
      this.seal(this.spill);
      this.spill = null;
    }
  }

  /** A worker handed back index buffer `index`, of `window`. */
  release(window: number, index: number): void {
    const ix = this.indexes.get(index);
    if (ix !== undefined) this.writers[ix.worker]!.pool.push(ix.buf);
    const w = this.windows.get(window);
    if (w === undefined) return;
    w.refs--;
    this.recycle(w);
    this.wake?.();
  }

  /** Before each read: waits while every window is in use (the workers are behind). */
  pace(failed: () => boolean): Promise<void> | undefined {
    if (failed() || this.free.length > 0 || this.windows.size < MAX_WINDOWS) return undefined;
    return new Promise<void>((resolveWait) => {
      this.wake = () => {
        if (failed() || this.free.length > 0 || this.windows.size < MAX_WINDOWS) {
          this.wake = null;
          resolveWait();
        }
      };
    });
  }

  /** Wake a waiting reader (a worker failed). */
  interrupt(): void {
    this.wake?.();
  }

  private send(i: number): void {
    const wr = this.writers[i]!;
    const w = wr.window;
    if (w === null || wr.count === 0) return;
    w.refs++;
    this.post(i, { type: 'frames', window: w.id, index: wr.buf.id, count: wr.count });
    wr.reset(wr.pool.pop() ?? this.newIndex(i));
  }

  private newIndex(worker: number): IndexBuffer {
    const sab = new SharedArrayBuffer(INDEX_BYTES);
    const buf: IndexBuffer = { id: this.nextIndexId++, f64: new Float64Array(sab), u32: new Uint32Array(sab) };
    this.indexes.set(buf.id, { buf, worker });
    this.post(worker, { type: 'index', id: buf.id, sab });
    return buf;
  }

  private seal(w: Window): void {
    for (let i = 0; i < this.workers; i++) if (this.writers[i]!.window === w) this.send(i);
    w.sealed = true;
    this.recycle(w);
  }

  private recycle(w: Window): void {
    if (!w.sealed || w.refs > 0) return;
    w.sealed = false;
    if (w.buf.length === WINDOW_BYTES) this.free.push(w);
    else {
      // A window made for one big record: not kept.
      this.windows.delete(w.id);
      for (let i = 0; i < this.workers; i++) this.post(i, { type: 'drop', id: w.id });
    }
  }

  private take(minBytes: number): Window {
    if (minBytes <= WINDOW_BYTES) {
      const w = this.free.pop();
      if (w !== undefined) return w;
    }
    const sab = new SharedArrayBuffer(Math.max(minBytes, WINDOW_BYTES));
    const w: Window = { id: this.nextId++, buf: Buffer.from(sab), refs: 0, sealed: false };
    this.windows.set(w.id, w);
    for (let i = 0; i < this.workers; i++) this.post(i, { type: 'window', id: w.id, sab });
    return w;
  }
}

/**
 * The worker's side: call `onRecord` for each of an index's `count` entries, with `rec` rewritten
 * each time and its `data` the window (valid until the index is handed back).
 */
export function readIndex(index: SharedArrayBuffer, count: number, window: Buffer, rec: CaptureRecord, onRecord: (rec: CaptureRecord) => void): void {
  const f64 = new Float64Array(index);
  const u32 = new Uint32Array(index);
  rec.data = window;
  for (let e = 0; e < count; e++) {
    const f = e * 6;
    const u = e * 12 + 4;
    rec.tsSec = f64[f]!;
    rec.fileOffset = f64[f + 1]!;
    rec.frame = u32[u]!;
    rec.tsNsec = u32[u + 1]!;
    rec.caplen = u32[u + 2]!;
    rec.origlen = u32[u + 3]!;
    rec.linktype = u32[u + 4]!;
    rec.interfaceId = u32[u + 5]!;
    rec.dataFileOffset = rec.fileOffset + u32[u + 6]!;
    rec.offset = u32[u + 7]!;
    onRecord(rec);
  }
}
