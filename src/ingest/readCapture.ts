/**
 * Capture file readers: classic pcap and pcapng, optionally gzip-compressed, detected by magic
 * number (never by extension). The I/O is streaming with backpressure: a plain file is read with
 * FileHandle.read straight into the parser's one reused chunk buffer; a gzip file or any other
 * stream is decompressed (gunzip.ts) or copied into it chunk by chunk. CaptureParser.ts and the
 * modules it drives describe the formats; the parser is reached only through its methods.
 *
 * The CaptureRecord handed to onRecord is ONE object rewritten for every packet, and its `data` is
 * the reader's chunk buffer: both are valid only during the callback; copy what you keep.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics.js';
import { CaptureParser, type CaptureFormat, type ParseSummary } from './CaptureParser.js';
import { gunzipMembers } from './gunzip.js';
import type { WindowSource } from './parseState.js';
import type { CaptureRecord } from './record.js';

export interface ReadOptions {
  /** Name used in diagnostics (default: the path, or `<stream>`). */
  fileName?: string;
  /** Resume: records whose header offset < startOffset are read but NOT delivered. */
  startOffset?: number;
  onDiagnostic?: (d: Diagnostic) => void;
  /** Called at most once per chunk with the bytes of the (compressed) file consumed so far. */
  onProgress?: (fileBytesConsumed: number) => void;
  /** Size of the reused chunk buffer (default 4 MiB). */
  chunkSize?: number;
  /**
   * Called before each chunk is read; when it returns a promise, reading waits for it (a consumer
   * that hands records on to other threads slows the reader down to its own pace).
   */
  pace?: () => Promise<void> | undefined;
  /**
   * Parse windows from here instead of one reused buffer (parseState.ts WindowSource): a record's
   * `data` then stays valid until its window is handed back, not only during the callback.
   */
  windows?: WindowSource;
}

export interface ReadSummary extends ParseSummary {
  compression: 'gzip' | 'none';
}

export interface CapturePeek {
  format: CaptureFormat;
  compression: 'gzip' | 'none';
  firstTsSec: number | null;
  linktype: number | null;
}

export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
/** peekCapture reads at most this much (decompressed) looking for the first packet. */
const PEEK_LIMIT = 16 * 1024 * 1024;
const PEEK_CHUNK = 64 * 1024;

interface RunHooks {
  /** Stop after the first delivered record (peek). */
  stopAfterFirst?: boolean;
  /** Stop once this many decompressed bytes were read. */
  maxBytes?: number;
}

/** Reads a capture file; never throws for bad or unreadable content (diagnostics instead). */
export function readCaptureFile(
  path: string,
  onRecord: (rec: CaptureRecord) => void,
  opts: ReadOptions = {},
): Promise<ReadSummary> {
  return runFile(path, onRecord, opts, {}).then((r) => r.summary);
}

/** Reads a capture from any byte stream (plain or gzip); never throws for bad content. */
export function readCaptureStream(
  source: AsyncIterable<Uint8Array>,
  onRecord: (rec: CaptureRecord) => void,
  opts: ReadOptions = {},
): Promise<ReadSummary> {
  return runStream(source, onRecord, { ...opts, fileName: opts.fileName ?? '<stream>' }, {}).then((r) => r.summary);
}

/**
 * Format, compression, first timestamp and link type, reading only the start of the file (for
 * ordering files by their first packet).
 */
export async function peekCapture(path: string): Promise<CapturePeek> {
  let first: number | null = null;
  let linktype: number | null = null;
  const r = await runFile(
    path,
    (rec) => {
      first = rec.tsSec + rec.tsNsec / 1e9;
      linktype = rec.linktype;
    },
    { chunkSize: PEEK_CHUNK },
    { stopAfterFirst: true, maxBytes: PEEK_LIMIT },
  );
  const s = r.summary;
  return { format: s.format, compression: s.compression, firstTsSec: first, linktype: linktype ?? s.linktypes[0] ?? null };
}

// -------------------------------------------------------------------------------------------------

interface RunResult {
  summary: ReadSummary;
}

function newParser(onRecord: (rec: CaptureRecord) => void, opts: ReadOptions, fileName: string, hooks: RunHooks): CaptureParser {
  let parser: CaptureParser | null = null;
  const cb = hooks.stopAfterFirst
    ? (rec: CaptureRecord): void => {
        onRecord(rec);
        parser?.stop();
      }
    : onRecord;
  parser = new CaptureParser(
    cb,
    { fileName, startOffset: opts.startOffset ?? 0, onDiagnostic: opts.onDiagnostic, windows: opts.windows },
    Math.max(64, opts.chunkSize ?? DEFAULT_CHUNK_SIZE),
  );
  return parser;
}

function summarize(p: CaptureParser, compression: 'gzip' | 'none'): ReadSummary {
  return { ...p.summary(), compression };
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function runFile(path: string, onRecord: (rec: CaptureRecord) => void, opts: ReadOptions, hooks: RunHooks): Promise<RunResult> {
  const fileName = opts.fileName ?? path;
  const parser = newParser(onRecord, opts, fileName, hooks);
  const maxBytes = hooks.maxBytes ?? Infinity;
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    parser.report('CAPTURE_UNREADABLE', 'error', `cannot open: ${errMessage(e)}`, { offset: 0 });
    return { summary: summarize(parser, 'none') };
  }
  let closed = false;
  try {
    let consumed = 0;
    let complete = true;
    for (;;) {
      const wait = opts.pace?.();
      if (wait !== undefined) await wait;
      const room = parser.room();
      let n: number;
      try {
        n = (await fh.read(room.buf, room.offset, room.length, consumed)).bytesRead;
      } catch (e) {
        parser.report('CAPTURE_UNREADABLE', 'error', `read failed at byte ${consumed}: ${errMessage(e)}`, { offset: consumed });
        if (consumed === 0) complete = false; // nothing read: no "empty file" on top
        break;
      }
      if (n === 0) break;
      if (consumed === 0 && n >= 2 && room.buf[room.offset] === 0x1f && room.buf[room.offset + 1] === 0x8b) {
        // gzip (RFC 1952 §2.3.1): decompress through a stream instead.
        await fh.close();
        closed = true;
        const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
        return await runStream(stream, onRecord, { ...opts, fileName }, hooks);
      }
      consumed += n;
      parser.commit(n);
      opts.onProgress?.(consumed);
      if (parser.stopped || consumed >= maxBytes) {
        complete = false;
        break;
      }
    }
    if (complete) parser.finish();
    return { summary: summarize(parser, 'none') };
  } finally {
    if (!closed) await fh.close();
  }
}

async function runStream(
  source: AsyncIterable<Uint8Array>,
  onRecord: (rec: CaptureRecord) => void,
  opts: ReadOptions,
  hooks: RunHooks,
): Promise<RunResult> {
  const fileName = opts.fileName ?? '<stream>';
  const parser = newParser(onRecord, opts, fileName, hooks);
  const maxBytes = hooks.maxBytes ?? Infinity;
  const it = source[Symbol.asyncIterator]();
  let consumed = 0;
  let sourceDone = false;
  const pre: Uint8Array[] = [];
  let preLen = 0;
  try {
    while (preLen < 2) {
      const r = await it.next();
      if (r.done) {
        sourceDone = true;
        break;
      }
      pre.push(r.value);
      preLen += r.value.length;
    }
  } catch (e) {
    parser.report('CAPTURE_UNREADABLE', 'error', `read failed: ${errMessage(e)}`, { offset: 0 });
    parser.finish();
    return { summary: summarize(parser, 'none') };
  }
  const byteAt = (i: number): number => {
    for (const c of pre) {
      if (i < c.length) return c[i];
      i -= c.length;
    }
    return -1;
  };
  const gzip = byteAt(0) === 0x1f && byteAt(1) === 0x8b;
  async function* input(): AsyncGenerator<Uint8Array> {
    for (const c of pre) {
      consumed += c.length;
      yield c;
    }
    pre.length = 0;
    if (sourceDone) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      consumed += r.value.length;
      yield r.value;
    }
  }

  // gzip (RFC 1952), possibly several members: gunzip.ts reports trailer problems after the data.
  const chunks: AsyncIterator<Uint8Array> = gzip
    ? gunzipMembers(input(), (p) => parser.report(p.code, p.severity, p.message, { truncates: p.truncates }))[Symbol.asyncIterator]()
    : input();
  let complete = true;
  try {
    for (;;) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await chunks.next();
      } catch (e) {
        parser.report('CAPTURE_UNREADABLE', 'error', `read failed after ${consumed} bytes: ${errMessage(e)}`);
        if (parser.bytes === 0) complete = false;
        break;
      }
      if (r.done) break;
      parser.write(r.value);
      opts.onProgress?.(consumed);
      const wait = opts.pace?.();
      if (wait !== undefined) await wait;
      if (parser.stopped || parser.bytes >= maxBytes) {
        complete = false;
        break;
      }
    }
  } finally {
    await closeIterator(chunks);
    await closeIterator(it);
  }
  if (complete) parser.finish();
  return { summary: summarize(parser, gzip ? 'gzip' : 'none') };
}

async function closeIterator(it: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    await it.return?.();
  } catch {
    // closing a failed source: nothing more to report
  }
}
