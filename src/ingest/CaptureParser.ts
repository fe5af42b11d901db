/**
 * Incremental, allocation-free parser of classic pcap and pcapng byte streams: a small state machine
 * over the format modules (detectFormat, pcapRecords, pcapngBlocks, resync, tailDamage; times in
 * timestamps and timeWatch).
 *
 * The driver (readCapture.ts) owns the I/O, through methods only: room() gives the buffer and offset
 * to read into, commit(n) parses the n bytes written there (or write(chunk) copies a chunk in), and
 * finish() ends the input once. The parser consumes complete records, rewrites ONE CaptureRecord per
 * packet and calls onRecord; unconsumed tails (records that straddle chunks) move to the front of the
 * buffer, which grows once when a single record needs more room.
 *
 * Bad bytes never throw: they become diagnostics with file, frame and byte offset, and the parser
 * resynchronises on the next plausible record header / block so later good records are delivered.
 */
import type { DiagnosticCode } from '../diagnosticCatalogue.js';
import type { Diagnostic, Severity } from '../diagnostics.js';
import { detectFormat } from './detectFormat.js';
import { ParseState, type CaptureFormat, type WindowSource } from './parseState.js';
import { parsePcapngBlocks } from './pcapngBlocks.js';
import { PcapngSection } from './pcapngInterfaces.js';
import { parsePcapRecords, readPcapHeader, type PcapFormat } from './pcapRecords.js';
import type { CaptureRecord } from './record.js';
import { resyncPcap, resyncPcapng } from './resync.js';
import { pcapngTailDamage, pcapTailDamage } from './tailDamage.js';

export type { CaptureFormat } from './parseState.js';

export interface ParserOptions {
  /** Name used in diagnostics (control characters are escaped there). */
  fileName: string;
  /** Records whose header offset < startOffset are read but NOT delivered (resume). */
  startOffset: number;
  onDiagnostic?: (d: Diagnostic) => void;
  /** Where the parse windows come from (default: one reused buffer); see WindowSource. */
  windows?: WindowSource;
}

/** What the parser learnt about the input (a copy: changing it changes nothing). */
export interface ParseSummary {
  format: CaptureFormat;
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
  /** Records dropped because their time is no date (or means nothing in the format). */
  badTimestamps: number;
  errors: number;
  warnings: number;
}

const ST_MAGIC = 0;
const ST_PCAP_HEADER = 1;
const ST_PCAP = 2;
const ST_PCAP_RESYNC = 3;
const ST_PCAPNG = 4;
const ST_PCAPNG_RESYNC = 5;
const ST_DONE = 6;

export class CaptureParser {
  private readonly s: ParseState;
  private state = ST_MAGIC;
  private finished = false;
  private readonly pcap: PcapFormat = { le: true, nsMul: 1000, fracLimit: 1e6, recHdr: 16, linktype: 1, snaplen: 0, noteAbove: 262144 };
  private readonly section = new PcapngSection();

  constructor(onRecord: (rec: CaptureRecord) => void, opts: ParserOptions, chunkSize: number) {
    this.s = new ParseState(onRecord, opts, chunkSize);
  }

  /** Where the next read may write: buf[offset, offset + length), length > 0. */
  room(): { buf: Buffer; offset: number; length: number } {
    const s = this.s;
    s.compact();
    return { buf: s.buf, offset: s.end, length: s.buf.length - s.end };
  }

  /** Takes the n bytes just written at room().offset and parses what is complete. */
  commit(n: number): void {
    this.s.end += n;
    this.s.bytes += n;
    this.parse(false);
  }

  /** Copies a chunk of input in, parsing as it goes (for stream sources). */
  write(chunk: Uint8Array): void {
    const s = this.s;
    let off = 0;
    const n = chunk.length;
    while (off < n && !s.stopped) {
      s.compact();
      const take = Math.min(s.buf.length - s.end, n - off);
      s.buf.set(off === 0 && take === n ? chunk : chunk.subarray(off, off + take), s.end);
      off += take;
      this.commit(take);
    }
  }

  /** No more input: reports a truncated or damaged tail and the end-of-file notes. Once only. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.parse(true);
    this.s.watch.finish();
  }

  /** Stops after the current record (peek); later input is ignored. */
  stop(): void {
    this.s.stopped = true;
  }

  get stopped(): boolean {
    return this.s.stopped;
  }

  /** Decompressed bytes received so far. */
  get bytes(): number {
    return this.s.bytes;
  }

  /**
   * A problem of the input around the parser (open/read failures, gzip): reported with the file
   * name, at `offset` (default: the decompressed bytes so far). `truncates` marks the input cut short.
   */
  report(code: DiagnosticCode, severity: Severity, message: string, opts: { offset?: number; truncates?: boolean } = {}): void {
    if (opts.truncates) this.s.truncated = true;
    this.s.diag(code, severity, message, undefined, opts.offset ?? this.s.bytes);
  }

  summary(): ParseSummary {
    const s = this.s;
    return {
      format: s.format,
      linktypes: s.linktypes.slice(),
      records: s.records,
      frames: s.frames,
      firstTsSec: s.hasFirst ? s.firstSec + s.firstNsec / 1e9 : null,
      lastTsSec: s.hasFirst ? s.lastSec + s.lastNsec / 1e9 : null,
      endOffset: s.endOffset,
      bytes: s.bytes,
      truncated: s.truncated,
      badTimestamps: s.badTimestamps,
      errors: s.errors,
      warnings: s.warnings,
    };
  }

  /** Parses as much as possible; `final` = no more bytes will come (reports truncation). */
  private parse(final: boolean): void {
    const s = this.s;
    for (;;) {
      if (s.stopped) return;
      switch (this.state) {
        case ST_MAGIC:
          if (!this.detect(final)) return;
          break;
        case ST_PCAP_HEADER: {
          const r = readPcapHeader(s, this.pcap, final);
          if (r === 'wait') return;
          this.state = r === 'ok' ? ST_PCAP : ST_DONE;
          break;
        }
        case ST_PCAP:
          if (parsePcapRecords(s, this.pcap)) {
            this.state = ST_PCAP_RESYNC;
            break;
          }
          if (!final || s.stopped) return;
          if (pcapTailDamage(s, this.pcap)) break;
          this.endOfData();
          return;
        case ST_PCAP_RESYNC: {
          const r = resyncPcap(s, this.pcap, final);
          if (r === 'wait') return;
          this.state = r === 'found' ? ST_PCAP : ST_DONE;
          break;
        }
        case ST_PCAPNG:
          if (parsePcapngBlocks(s, this.section)) {
            this.state = ST_PCAPNG_RESYNC;
            break;
          }
          if (!final || s.stopped) return;
          if (pcapngTailDamage(s, this.section)) break;
          this.endOfData();
          return;
        case ST_PCAPNG_RESYNC: {
          const r = resyncPcapng(s, this.section, final);
          if (r === 'wait') return;
          this.state = r === 'found' ? ST_PCAPNG : ST_DONE;
          break;
        }
        default:
          s.start = s.end;
          s.need = 0;
          return;
      }
    }
  }

  private detect(final: boolean): boolean {
    const s = this.s;
    const avail = s.end - s.start;
    if (avail < 4) {
      s.need = 4;
      if (!final) return false;
      if (avail === 0) s.diag('CAPTURE_EMPTY', 'warning', 'the file is empty: no capture header, no packets', undefined, 0);
      else s.diag('CAPTURE_UNKNOWN_FORMAT', 'error', `only ${avail} byte(s): no capture magic number`, undefined, 0);
      this.state = ST_DONE;
      return true;
    }
    const d = detectFormat(s.buf, s.start);
    if (d.format === 'pcapng') {
      s.format = 'pcapng';
      this.state = ST_PCAPNG;
    } else if (d.format === 'pcap') {
      s.format = 'pcap';
      s.le = d.le;
      Object.assign(this.pcap, { le: d.le, nsMul: d.nsMul, fracLimit: d.fracLimit, recHdr: d.recHdr });
      this.state = ST_PCAP_HEADER;
    } else {
      s.diag('CAPTURE_UNKNOWN_FORMAT', 'error', `unknown magic number 0x${d.magicHex}: not pcap, pcapng or gzip`, undefined, 0);
      this.state = ST_DONE;
    }
    return true;
  }

  /** End of input in a record state: any unconsumed byte is a truncated record/block. */
  private endOfData(): void {
    const s = this.s;
    const rest = s.end - s.start;
    if (rest > 0) {
      s.truncated = true;
      const at = s.base + s.start;
      if (s.format === 'pcap') {
        const hdr = this.pcap.recHdr;
        const want = rest >= hdr ? hdr + s.dv.getUint32(s.start + 8, this.pcap.le) : hdr;
        s.diag(
          'PCAP_TRUNCATED_RECORD',
          'warning',
          rest >= hdr ? `file ends ${rest} byte(s) into a record of ${want} bytes` : `file ends inside a record header (${rest} of ${hdr} bytes)`,
          s.frames + 1,
          at,
        );
      } else {
        s.diag(
          'PCAPNG_TRUNCATED_BLOCK',
          'warning',
          rest >= 8 ? `file ends ${rest} byte(s) into a block of ${s.dv.getUint32(s.start + 4, s.le)} bytes` : `file ends inside a block header (${rest} bytes)`,
          s.frames + 1,
          at,
        );
      }
    } else if (s.frames === 0 && s.errors === 0) {
      // A header (and interfaces) but no packet: as empty as a 0-byte file, and said the same way.
      s.diag('CAPTURE_EMPTY', 'warning', 'the capture holds no packets (header only)', undefined, s.endOffset);
    }
    s.start = s.end;
    this.state = ST_DONE;
  }
}
