/**
 * Capture file readers: classic pcap and pcapng, optionally gzip-compressed, detected by magic
 * number (never by extension). The I/O is streaming with backpressure: a plain file is read with
 * FileHandle.read straight into the parser's one reused chunk buffer; a gzip file or any other
 * stream is decompressed/copied into it chunk by chunk. See CaptureParser.ts for the formats.
 *
 * The CaptureRecord handed to onRecord is ONE object rewritten for every packet, and its `data` is
 * the reader's chunk buffer: both are valid only during the callback; copy what you keep.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Diagnostic } from '../diagnostics.js';
import { CaptureParser, type CaptureFormat } from './CaptureParser.js';
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
}

export interface ReadSummary {
  format: CaptureFormat;
  compression: 'gzip' | 'none';
  /** Distinct link types, in order of appearance. */
  linktypes: number[];
  /** Records delivered to onRecord. */
  records: number;
  /** Records seen including those skipped by startOffset (= the last frame number). */
  frames: number;
  /** Float seconds of the first / last delivered record. */
  firstTsSec: number | null;
  lastTsSec: number | null;
  /** Offset just after the last complete good record (the resume point). */
  endOffset: number;
  /** Decompressed bytes read. */
  bytes: number;
  /** The file ended inside a record or block. */
  truncated: boolean;
  errors: number;
  warnings: number;
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
        if (parser) parser.stopped = true;
      }
    : onRecord;
  parser = new CaptureParser(
    cb,
    { fileName, startOffset: opts.startOffset ?? 0, onDiagnostic: opts.onDiagnostic },
    Math.max(64, opts.chunkSize ?? DEFAULT_CHUNK_SIZE),
  );
  return parser;
}

function summarize(p: CaptureParser, compression: 'gzip' | 'none'): ReadSummary {
  return {
    format: p.format,
    compression,
    linktypes: p.linktypes.slice(),
    records: p.records,
    frames: p.frames,
    firstTsSec: p.firstTsSec,
    lastTsSec: p.lastTsSec,
    endOffset: p.endOffset,
    bytes: p.bytes,
    truncated: p.truncated,
    errors: p.errors,
    warnings: p.warnings,
  };
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function errCode(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const c = (e as { code: unknown }).code;
    if (typeof c === 'string') return c;
  }
  return '';
}

async function runFile(path: string, onRecord: (rec: CaptureRecord) => void, opts: ReadOptions, hooks: RunHooks): Promise<RunResult> {
  const fileName = opts.fileName ?? path;
  const parser = newParser(onRecord, opts, fileName, hooks);
  const maxBytes = hooks.maxBytes ?? Infinity;
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    parser.diag('CAPTURE_UNREADABLE', 'error', `cannot open: ${errMessage(e)}`);
    return { summary: summarize(parser, 'none') };
  }
  let closed = false;
  try {
    let consumed = 0;
    let complete = true;
    for (;;) {
      parser.compact();
      let n: number;
      try {
        n = (await fh.read(parser.buf, parser.end, parser.buf.length - parser.end, consumed)).bytesRead;
      } catch (e) {
        parser.diag('CAPTURE_UNREADABLE', 'error', `read failed at byte ${consumed}: ${errMessage(e)}`, undefined, consumed);
        if (consumed === 0) complete = false; // nothing read: no "empty file" on top
        break;
      }
      if (n === 0) break;
      if (consumed === 0 && n >= 2 && parser.buf[0] === 0x1f && parser.buf[1] === 0x8b) {
        // gzip (RFC 1952 §2.3.1): decompress through a stream instead.
        await fh.close();
        closed = true;
        const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
        return await runStream(stream, onRecord, { ...opts, fileName }, hooks);
      }
      parser.end += n;
      parser.bytes += n;
      consumed += n;
      parser.parse(false);
      opts.onProgress?.(consumed);
      if (parser.stopped || consumed >= maxBytes) {
        complete = false;
        break;
      }
    }
    if (complete) parser.parse(true);
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
    parser.diag('CAPTURE_UNREADABLE', 'error', `read failed: ${errMessage(e)}`, undefined, 0);
    parser.parse(true);
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

  let complete = true;
  if (!gzip) {
    const src = input();
    try {
      for (;;) {
        let r: IteratorResult<Uint8Array>;
        try {
          r = await src.next();
        } catch (e) {
          parser.diag('CAPTURE_UNREADABLE', 'error', `read failed after ${consumed} bytes: ${errMessage(e)}`, undefined, parser.bytes);
          if (parser.bytes === 0) complete = false;
          break;
        }
        if (r.done) break;
        parser.write(r.value);
        opts.onProgress?.(consumed);
        if (parser.stopped || parser.bytes >= maxBytes) {
          complete = false;
          break;
        }
      }
    } finally {
      await closeIterator(it);
    }
    if (complete) parser.parse(true);
    return { summary: summarize(parser, 'none') };
  }

  // gzip (RFC 1952), possibly several members; node:zlib streams it with backpressure.
  const raw = Readable.from(input(), { objectMode: false });
  // On a data error zlib drops the output chunk it was filling: a modest chunk bounds that loss.
  const gz = createGunzip({ chunkSize: 64 * 1024 });
  let sourceError: unknown = null;
  pipeline(raw, gz, (err) => {
    const code = errCode(err);
    if (err && code !== 'ERR_STREAM_PREMATURE_CLOSE' && !code.startsWith('Z_')) sourceError = err;
  });
  const out = (gz as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let r: IteratorResult<Buffer>;
      try {
        r = await out.next();
      } catch (e) {
        const code = errCode(e);
        if (code === 'Z_BUF_ERROR') {
          parser.truncated = true;
          parser.diag(
            'GZIP_TRUNCATED',
            'warning',
            `gzip stream cut short after ${consumed} compressed bytes (${parser.bytes} decompressed); records before the cut are kept`,
            undefined,
            parser.bytes,
          );
        } else if (code.startsWith('Z_')) {
          parser.diag('GZIP_CORRUPT', 'error', `gzip data error after ${consumed} compressed bytes: ${errMessage(e)}`, undefined, parser.bytes);
        } else {
          sourceError = sourceError ?? e;
        }
        break;
      }
      if (r.done) break;
      parser.write(r.value);
      opts.onProgress?.(consumed);
      if (parser.stopped || parser.bytes >= maxBytes) {
        complete = false;
        break;
      }
    }
  } finally {
    gz.destroy();
    raw.destroy();
    await closeIterator(it);
  }
  if (sourceError) {
    parser.diag('CAPTURE_UNREADABLE', 'error', `read failed after ${consumed} bytes: ${errMessage(sourceError)}`, undefined, parser.bytes);
    if (parser.bytes === 0) complete = false;
  }
  if (complete) parser.parse(true);
  return { summary: summarize(parser, 'gzip') };
}

async function closeIterator(it: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    await it.return?.();
  } catch {
    // closing a failed source: nothing more to report
  }
}
