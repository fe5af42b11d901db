/**
 * The state the capture format modules share while parsing one file: the byte window over the
 * reader's chunk buffer, the one reused CaptureRecord, counters and diagnostics. It is internal to
 * src/ingest: CaptureParser owns it and the drivers (readCapture.ts) reach it only through
 * CaptureParser's methods.
 *
 * Window: valid bytes are buf[start, end); buf[0] is at (decompressed) file offset `base`; `need` is
 * how many bytes from `start` parsing waits for.
 */
import type { DiagnosticCode } from '../diagnosticCatalogue.js';
import type { Diagnostic, Severity } from '../diagnostics.js';
import { escapeControls } from './escapeControls.js';
import { newCaptureRecord, type CaptureRecord } from './record.js';
import { TimeWatch } from './timeWatch.js';

/** 'live' for a live interface (src/ingest/liveCapture.ts), never produced by the file parser. */
export type CaptureFormat = 'pcap' | 'pcapng' | 'live' | 'unknown';

export interface ParseStateOptions {
  fileName: string;
  startOffset: number;
  onDiagnostic?: (d: Diagnostic) => void;
  /** Where the windows come from (default: one buffer of the parser's own, reused). */
  windows?: WindowSource;
}

/**
 * Hands the parser a new buffer for each window instead of the one it reuses, so that the records of
 * a window stay valid after the parser has moved on (a consumer that passes them to other threads by
 * reference: src/pipeline/sharedWindows.ts). The parser asks for the next window only when the current
 * one is full or cannot hold the record it waits for; from then on it never touches the old one again.
 */
export interface WindowSource {
  /** A buffer of at least `minBytes` for the next window (its size is the source's choice: the parser's chunk size does not apply). */
  next(minBytes: number): Buffer;
}

export class ParseState {
  buf: Buffer;
  dv: DataView;
  start = 0;
  end = 0;
  base = 0;
  need = 0;
  /** Bytes of (decompressed) input received. */
  bytes = 0;
  /** Stop after the current record (peek). */
  stopped = false;

  format: CaptureFormat = 'unknown';
  readonly linktypes: number[] = [];
  records = 0;
  frames = 0;
  /** Offset just after the last complete good record or block (the resume point). */
  endOffset = 0;
  truncated = false;
  errors = 0;
  warnings = 0;
  /** Records dropped because their time cannot be a date (or the format cannot mean it). */
  badTimestamps = 0;
  hasFirst = false;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;

  /** Byte order of the file (pcap) or current section (pcapng). */
  le = true;
  /** Seconds of the last good record (delivered or skipped), NaN before the first: the resync window. */
  prevSec = NaN;
  /** Absolute offset where the current damage starts (during resync). */
  damageAt = 0;

  readonly rec: CaptureRecord = newCaptureRecord();
  readonly watch: TimeWatch;
  readonly fileName: string;
  readonly startOffset: number;
  private readonly onDiagnostic?: (d: Diagnostic) => void;
  private readonly windows: WindowSource | null;

  constructor(
    readonly onRecord: (rec: CaptureRecord) => void,
    opts: ParseStateOptions,
    chunkSize: number,
  ) {
    this.fileName = escapeControls(opts.fileName);
    this.startOffset = opts.startOffset;
    this.onDiagnostic = opts.onDiagnostic;
    this.windows = opts.windows ?? null;
    this.buf = this.windows === null ? Buffer.allocUnsafe(chunkSize) : this.windows.next(1);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.watch = new TimeWatch((code, severity, message, frame, offset) => this.diag(code, severity, message, frame, offset));
  }

  /**
   * Makes room for the next write: moves the unconsumed tail to the front and grows the buffer when
   * one record needs more than its size (with a WindowSource: moves the tail into the next window
   * once this one is full). Afterwards buf.length - end > 0.
   */
  compact(): void {
    const rest = this.end - this.start;
    const want = Math.max(this.need, rest + 1);
    if (this.windows !== null) {
      // A window is never written again once left: stay while it has room for what parsing waits for.
      if (this.end < this.buf.length && this.start + want <= this.buf.length) return;
      const nb = this.windows.next(want);
      this.buf.copy(nb, 0, this.start, this.end);
      this.buf = nb;
      this.dv = new DataView(nb.buffer, nb.byteOffset, nb.length);
    } else if (want > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < want) size *= 2;
      const nb = Buffer.allocUnsafe(size);
      this.buf.copy(nb, 0, this.start, this.end);
      this.buf = nb;
      this.dv = new DataView(nb.buffer, nb.byteOffset, nb.length);
    } else if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      return;
    }
    this.base += this.start;
    this.start = 0;
    this.end = rest;
  }

  diag(code: DiagnosticCode, severity: Severity, message: string, frame?: number, offset?: number): void {
    if (severity === 'error') this.errors++;
    else if (severity === 'warning') this.warnings++;
    const cb = this.onDiagnostic;
    if (!cb) return;
    const d: Diagnostic = { code, severity, message: escapeControls(message), file: this.fileName };
    if (frame !== undefined) d.frame = frame;
    if (offset !== undefined) d.offset = offset;
    cb(d);
  }

  /** A record dropped for its time: an error with frame and offset, counted. */
  badTime(code: DiagnosticCode, message: string, frame: number, offset: number): void {
    this.badTimestamps++;
    this.diag(code, 'error', `${message}; record dropped`, frame, offset);
  }

  /** Bookkeeping of the first and last delivered times. */
  delivered(sec: number, nsec: number): void {
    if (!this.hasFirst) {
      this.hasFirst = true;
      this.firstSec = sec;
      this.firstNsec = nsec;
    }
    this.lastSec = sec;
    this.lastNsec = nsec;
  }

  /** Reports where a resync resumed (window offset q), after the damage at damageAt. */
  resynced(q: number): void {
    const at = this.base + q;
    this.diag('CAPTURE_RESYNC', 'note', `resynchronised at 0x${at.toString(16)} after skipping ${at - this.damageAt} byte(s)`, this.frames + 1, at);
  }
}
