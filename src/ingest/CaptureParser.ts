/**
 * Incremental, allocation-free parser of classic pcap and pcapng byte streams.
 *
 * The driver (readCapture.ts) owns the I/O: it writes bytes into `buf[end, buf.length)`, bumps `end`
 * and calls parse(false); at end of input it calls parse(true) once. The parser consumes complete
 * records from `buf[start, end)`, rewrites ONE CaptureRecord per packet and calls onRecord. Before the
 * next write the driver calls compact(), which moves the unconsumed tail to the front of the buffer
 * (records that straddle chunks) and grows the buffer once when a single record needs more room.
 *
 * Formats:
 *  - classic pcap: https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/ (§4 file header, §5 packet
 *    record); magics a1b2c3d4 (µs), a1b23c4d (ns) in either byte order, and a1b2cd34 (Kuznetzov's
 *    "modified" pcap, 24-byte record header).
 *  - pcapng: https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/ (§3.1 block layout, §4.1 SHB,
 *    §4.2 IDB with if_tsresol §4.2 option 9 and if_tsoffset option 14, §4.3 EPB, §4.4 SPB,
 *    Appendix A obsolete Packet Block type 2). Other block types are skipped.
 *
 * Bad bytes never throw: they become diagnostics with file, frame and byte offset, and the parser
 * resynchronises on the next plausible record header / block so later good records are delivered.
 */
import type { Diagnostic, Severity } from '../diagnostics.js';
import { newCaptureRecord, type CaptureRecord } from './record.js';

export type CaptureFormat = 'pcap' | 'pcapng' | 'live' | 'unknown';

/** Largest caplen we accept (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_CAPLEN = 262144;
/** Bytes a pcap record's caplen may exceed the header's snaplen by before it is called impossible. */
export const SNAPLEN_SLACK = 256;
/** Largest pcapng block we accept at all (any type). */
export const MAX_BLOCK_LENGTH = 16 * 1024 * 1024;
/** Largest block a resync candidate may claim (keeps the look-ahead bounded). */
const RESYNC_MAX_BLOCK = 1024 * 1024;
/** A resync candidate's timestamp must be within this many seconds of the last good record's. */
export const RESYNC_WINDOW_SEC = 86400;

// Parser states.
const ST_MAGIC = 0;
const ST_PCAP_HEADER = 1;
const ST_PCAP = 2;
const ST_PCAP_RESYNC = 3;
const ST_PCAPNG = 4;
const ST_PCAPNG_RESYNC = 5;
const ST_DONE = 6;

// pcapng block types (draft-ietf-opsawg-pcapng §10.1).
const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_PB = 2; // obsolete Packet Block (Appendix A)
const BT_SPB = 3;
const BT_NRB = 4;
const BT_ISB = 5;
const BT_EPB = 6;
const BT_IRIG = 7;
const BT_AFDX = 8;
const BT_JOURNAL = 9;
const BT_DSB = 10;
const BT_CUSTOM = 0xbad;
const BT_CUSTOM_NOCOPY = 0x40000bad;
const BT_SYSDIG_EVENT = 0x204;
const BOM = 0x1a2b3c4d;

// Timestamp conversion kinds per pcapng interface.
const TS_POW10 = 0; // 10^-n, n <= 9: exact with doubles
const TS_POW2 = 1; // 2^-n, n <= 32: exact with doubles
const TS_BIG = 2; // anything finer: BigInt (allocates; exotic resolutions only)

const TWO32 = 4294967296;

export interface ParserOptions {
  fileName: string;
  startOffset: number;
  onDiagnostic?: (d: Diagnostic) => void;
}

export class CaptureParser {
  /** Working buffer; valid bytes are [start, end); buf[0] is at file offset `base`. */
  buf: Buffer;
  private dv: DataView;
  start = 0;
  end = 0;
  base = 0;
  /** Bytes needed from `start` before parsing can progress (set whenever parse() waits). */
  need = 0;
  /** Set by a caller (peek) to stop after the current record. */
  stopped = false;

  // ---- summary ----
  /** Bytes of (decompressed) input received; the driver adds to it when it writes into buf itself. */
  bytes = 0;
  format: CaptureFormat = 'unknown';
  readonly linktypes: number[] = [];
  records = 0;
  frames = 0;
  endOffset = 0;
  truncated = false;
  errors = 0;
  warnings = 0;
  private hasFirst = false;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;

  private readonly rec: CaptureRecord = newCaptureRecord();
  private state = ST_MAGIC;
  private le = true;
  /** Seconds of the last good record (delivered or skipped), -1 before the first. */
  private prevSec = -1;
  /** Absolute offset where the current damage starts (during resync). */
  private damageAt = 0;

  // ---- classic pcap ----
  private nsMul = 1000;
  private recHdr = 16;
  private fracLimit = 1e6;
  private capLimit = MAX_CAPLEN;
  private linktype = 1;

  // ---- pcapng, per interface of the current section ----
  private ifCount = 0;
  private ifLinktype: number[] = [];
  private ifKind: number[] = [];
  /** POW10: units per second; POW2: 2^n; BIG: n with bit 7 = power of 2. */
  private ifUnits: number[] = [];
  /** POW10: ns per unit; POW2: n. */
  private ifMul: number[] = [];
  private ifOffset: number[] = [];
  private sectionCount = 0;

  constructor(
    private readonly onRecord: (rec: CaptureRecord) => void,
    private readonly opts: ParserOptions,
    chunkSize: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  get firstTsSec(): number | null {
    return this.hasFirst ? this.firstSec + this.firstNsec / 1e9 : null;
  }
  get lastTsSec(): number | null {
    return this.hasFirst ? this.lastSec + this.lastNsec / 1e9 : null;
  }

  /**
   * Makes room for the next write: moves the unconsumed tail to the front and grows the buffer when
   * one record needs more than its size. Afterwards buf.length - end > 0.
   */
  compact(): void {
    const rest = this.end - this.start;
    const want = Math.max(this.need, rest + 1);
    if (want > this.buf.length) {
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

  /** Copies a chunk of input into the buffer, parsing as it goes (for stream sources). */
  write(chunk: Uint8Array): void {
    let off = 0;
    const n = chunk.length;
    while (off < n && !this.stopped) {
      this.compact();
      const take = Math.min(this.buf.length - this.end, n - off);
      this.buf.set(off === 0 && take === n ? chunk : chunk.subarray(off, off + take), this.end);
      this.end += take;
      this.bytes += take;
      off += take;
      this.parse(false);
    }
  }

  /** Parses as much as possible; `final` = no more bytes will come (reports truncation). */
  parse(final: boolean): void {
    for (;;) {
      if (this.stopped) return;
      switch (this.state) {
        case ST_MAGIC:
          if (!this.detect(final)) return;
          break;
        case ST_PCAP_HEADER:
          if (!this.pcapHeader(final)) return;
          break;
        case ST_PCAP:
          this.parsePcap();
          if (this.state === ST_PCAP) {
            if (final && this.tailIsDamage()) break;
            if (final) this.endOfData();
            return;
          }
          break;
        case ST_PCAP_RESYNC:
          if (!this.resyncPcap(final)) return;
          break;
        case ST_PCAPNG:
          this.parsePcapng();
          if (this.state === ST_PCAPNG) {
            if (final && this.tailIsDamage()) break;
            if (final) this.endOfData();
            return;
          }
          break;
        case ST_PCAPNG_RESYNC:
          if (!this.resyncPcapng(final)) return;
          break;
        default:
          this.start = this.end;
          this.need = 0;
          return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Diagnostics

  diag(code: string, severity: Severity, message: string, frame?: number, offset?: number): void {
    if (severity === 'error') this.errors++;
    else if (severity === 'warning') this.warnings++;
    const cb = this.opts.onDiagnostic;
    if (!cb) return;
    const d: Diagnostic = { code, severity, message, file: this.opts.fileName };
    if (frame !== undefined) d.frame = frame;
    if (offset !== undefined) d.offset = offset;
    cb(d);
  }

  // ---------------------------------------------------------------------------------------------
  // Format detection

  private detect(final: boolean): boolean {
    const avail = this.end - this.start;
    if (avail < 4) {
      this.need = 4;
      if (final) {
        if (avail === 0) {
          this.diag('CAPTURE_EMPTY', 'warning', 'the file is empty', undefined, 0);
        } else {
          this.diag('CAPTURE_UNKNOWN_FORMAT', 'error', `only ${avail} byte(s): no capture magic number`, undefined, 0);
        }
        this.state = ST_DONE;
        return true;
      }
      return false;
    }
    const p = this.start;
    const be = this.dv.getUint32(p, false);
    const le = this.dv.getUint32(p, true);
    if (be === BT_SHB) {
      this.format = 'pcapng';
      this.state = ST_PCAPNG;
      return true;
    }
    const magic = be === 0xa1b2c3d4 || be === 0xa1b23c4d || be === 0xa1b2cd34 ? be : le;
    if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d || magic === 0xa1b2cd34) {
      this.le = magic === le && magic !== be;
      this.format = 'pcap';
      this.nsMul = magic === 0xa1b23c4d ? 1 : 1000;
      this.fracLimit = magic === 0xa1b23c4d ? 1e9 : 1e6;
      this.recHdr = magic === 0xa1b2cd34 ? 24 : 16;
      this.state = ST_PCAP_HEADER;
      return true;
    }
    const hex = this.buf.toString('hex', p, p + 4);
    this.diag('CAPTURE_UNKNOWN_FORMAT', 'error', `unknown magic number 0x${hex}: not pcap, pcapng or gzip`, undefined, 0);
    this.state = ST_DONE;
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Classic pcap

  /** File header, draft-ietf-opsawg-pcap §4. */
  private pcapHeader(final: boolean): boolean {
    const avail = this.end - this.start;
    if (avail < 24) {
      this.need = 24;
      if (final) {
        this.truncated = true;
        this.diag('PCAP_TRUNCATED_HEADER', 'warning', `file ends inside the 24-byte file header (${avail} bytes)`, undefined, this.base + this.start);
        this.state = ST_DONE;
        return true;
      }
      return false;
    }
    const p = this.start;
    const dv = this.dv;
    const major = dv.getUint16(p + 4, this.le);
    const minor = dv.getUint16(p + 6, this.le);
    if (major !== 2) {
      this.diag('PCAP_UNSUPPORTED_VERSION', 'warning', `file format version ${major}.${minor}, expected 2.4; reading as 2.4`, undefined, this.base + p);
    }
    const snaplen = dv.getUint32(p + 16, this.le);
    this.capLimit = snaplen > 0 && snaplen + SNAPLEN_SLACK < MAX_CAPLEN ? snaplen + SNAPLEN_SLACK : MAX_CAPLEN;
    // LinkType and additional information (§4): the link type is in the low bits, FCS info above.
    this.linktype = dv.getUint32(p + 20, this.le) & 0x03ffffff;
    this.linktypes.push(this.linktype);
    this.start = p + 24;
    this.endOffset = this.base + this.start;
    this.state = ST_PCAP;
    return true;
  }

  /** The hot loop: packet records, draft-ietf-opsawg-pcap §5. */
  private parsePcap(): void {
    const buf = this.buf;
    const dv = this.dv;
    const le = this.le;
    const hdr = this.recHdr;
    const capLimit = this.capLimit;
    const nsMul = this.nsMul;
    const end = this.end;
    const base = this.base;
    const startOffset = this.opts.startOffset;
    const onRecord = this.onRecord;
    const rec = this.rec;
    rec.data = buf;
    rec.linktype = this.linktype;
    rec.interfaceId = 0;
    let p = this.start;
    let frame = this.frames;
    let records = this.records;
    let sec = 0;
    let nsec = 0;
    let got = false;
    for (;;) {
      if (end - p < hdr) {
        this.need = hdr;
        break;
      }
      const caplen = dv.getUint32(p + 8, le);
      const origlen = dv.getUint32(p + 12, le);
      if (caplen > capLimit || origlen < caplen) {
        this.frames = frame + 1;
        this.start = p;
        this.badPcapRecord(p, caplen, origlen);
        break;
      }
      const next = p + hdr + caplen;
      if (next > end) {
        this.need = hdr + caplen;
        break;
      }
      frame++;
      sec = dv.getUint32(p, le);
      nsec = dv.getUint32(p + 4, le) * nsMul;
      got = true;
      if (base + p >= startOffset) {
        rec.offset = p + hdr;
        rec.caplen = caplen;
        rec.origlen = origlen;
        rec.tsSec = sec;
        rec.tsNsec = nsec;
        rec.frame = frame;
        rec.fileOffset = base + p;
        rec.dataFileOffset = base + p + hdr;
        if (!this.hasFirst) {
          this.hasFirst = true;
          this.firstSec = sec;
          this.firstNsec = nsec;
        }
        this.lastSec = sec;
        this.lastNsec = nsec;
        records++;
        onRecord(rec);
        if (this.stopped) {
          p = next;
          break;
        }
      }
      p = next;
    }
    if (this.state === ST_PCAP) {
      this.start = p;
      this.frames = frame;
    }
    if (got) this.prevSec = sec;
    this.records = records;
    // p only ever moves over complete good records (or stops at a bad one).
    this.endOffset = base + p;
  }

  private badPcapRecord(p: number, caplen: number, origlen: number): void {
    const why =
      caplen > this.capLimit
        ? `captured length ${caplen} > ${this.capLimit === MAX_CAPLEN ? 'maximum' : 'snaplen + slack'} ${this.capLimit}`
        : `original length ${origlen} < captured length ${caplen}`;
    this.diag('PCAP_BAD_RECORD_LENGTH', 'error', `impossible record header: ${why}; resynchronising`, this.frames, this.base + p);
    this.damageAt = this.base + p;
    this.start = p + 1;
    this.state = ST_PCAP_RESYNC;
  }

  /** True when a plausible classic record header starts at q (lengths, sub-second field, time). */
  private pcapPlausible(q: number, prevSec: number): boolean {
    const dv = this.dv;
    const le = this.le;
    const caplen = dv.getUint32(q + 8, le);
    const origlen = dv.getUint32(q + 12, le);
    if (caplen === 0 || caplen > this.capLimit || origlen < caplen || origlen > MAX_CAPLEN * 4) return false;
    if (dv.getUint32(q + 4, le) >= this.fracLimit) return false;
    if (prevSec >= 0 && Math.abs(dv.getUint32(q, le) - prevSec) > RESYNC_WINDOW_SEC) return false;
    return true;
  }

  /**
   * Scans for the next plausible record: a plausible header whose successor is plausible too (or
   * the end of the file). Returns true when parsing can go on (found, or nothing left at the end).
   */
  private resyncPcap(final: boolean): boolean {
    const hdr = this.recHdr;
    const end = this.end;
    let q = this.start;
    for (; q + hdr <= end; q++) {
      if (!this.pcapPlausible(q, this.prevSec)) continue;
      const next = q + hdr + this.dv.getUint32(q + 8, this.le);
      let ok: boolean;
      if (next + hdr <= end) ok = this.pcapPlausible(next, this.dv.getUint32(q, this.le));
      else if (final) ok = true; // the last record, possibly truncated
      else {
        this.start = q;
        this.need = next + hdr - q;
        return false;
      }
      if (ok) {
        this.start = q;
        this.resynced(q);
        this.state = ST_PCAP;
        return true;
      }
    }
    this.start = q;
    this.need = hdr;
    if (final) {
      this.diag('PCAP_RESYNC_FAILED', 'note', `no plausible record after the damage: ${this.base + end - this.damageAt} byte(s) skipped to the end`, undefined, this.damageAt);
      this.start = end;
      this.state = ST_DONE;
      return true;
    }
    return false;
  }

  private resynced(q: number): void {
    const at = this.base + q;
    this.diag('CAPTURE_RESYNC', 'note', `resynchronised at 0x${at.toString(16)} after skipping ${at - this.damageAt} byte(s)`, this.frames + 1, at);
  }

  // ---------------------------------------------------------------------------------------------
  // pcapng

  private parsePcapng(): void {
    const end = this.end;
    const dv = this.dv;
    let p = this.start;
    for (;;) {
      if (this.stopped) break;
      if (end - p < 12) {
        this.need = 12;
        break;
      }
      const type = dv.getUint32(p, this.le);
      if (type === BT_SHB) {
        // §4.1: the byte-order magic decides this section's endianness.
        const bomLe = dv.getUint32(p + 8, true);
        if (bomLe === BOM) this.le = true;
        else if (dv.getUint32(p + 8, false) === BOM) this.le = false;
        else {
          this.start = p;
          this.badBlock(p, 'PCAPNG_BAD_BYTE_ORDER_MAGIC', `section header with byte-order magic 0x${bomLe.toString(16)}`);
          return;
        }
      }
      const le = this.le;
      const len = dv.getUint32(p + 4, le);
      if (len < 12 || (len & 3) !== 0 || len > MAX_BLOCK_LENGTH) {
        this.start = p;
        this.badBlock(p, 'PCAPNG_BAD_BLOCK_LENGTH', `block type 0x${type.toString(16)} with total length ${len} (must be a multiple of 4, >= 12)`);
        return;
      }
      if (end - p < len) {
        this.need = len;
        break;
      }
      const trail = dv.getUint32(p + len - 4, le);
      if (trail !== len) {
        this.start = p;
        this.badBlock(p, 'PCAPNG_BLOCK_LENGTH_MISMATCH', `block type 0x${type.toString(16)}: total length ${len} but trailing length ${trail}`);
        return;
      }
      switch (type) {
        case BT_EPB:
          this.packetBlock(p, len, type);
          break;
        case BT_SPB:
          this.simplePacketBlock(p, len);
          break;
        case BT_PB:
          this.packetBlock(p, len, type);
          break;
        case BT_IDB:
          this.interfaceBlock(p, len);
          break;
        case BT_SHB:
          this.sectionBlock(p, len);
          break;
        case BT_CUSTOM:
        case BT_CUSTOM_NOCOPY:
        case BT_JOURNAL:
        case BT_SYSDIG_EVENT:
          // Not packets, but Wireshark (4.0) numbers them as frames: count them so frame numbers
          // stay Wireshark's; they are not delivered.
          this.frames++;
          break;
        default:
          break; // NRB, ISB, DSB, unknown: skipped (§3.1: a reader skips blocks it does not know)
      }
      p += len;
      this.endOffset = this.base + p;
    }
    this.start = p;
  }

  private badBlock(p: number, code: string, message: string): void {
    // A damaged packet block still counts as a frame, so the frames after it keep their numbers.
    const type = this.dv.getUint32(p, this.le);
    if (type === BT_EPB || type === BT_PB || type === BT_SPB) this.frames++;
    this.diag(code, 'error', `${message}; resynchronising`, type === BT_EPB || type === BT_PB || type === BT_SPB ? this.frames : this.frames + 1, this.base + p);
    this.damageAt = this.base + p;
    this.start = p + 1;
    this.state = ST_PCAPNG_RESYNC;
  }

  /** §4.1 Section Header Block: a new section forgets the interfaces of the previous one. */
  private sectionBlock(p: number, len: number): void {
    if (len < 28) {
      this.diag('PCAPNG_BAD_SECTION', 'error', `section header block of ${len} bytes (< 28)`, undefined, this.base + p);
    }
    const major = len >= 16 ? this.dv.getUint16(p + 12, this.le) : 1;
    if (major !== 1) {
      this.diag('PCAPNG_UNSUPPORTED_VERSION', 'warning', `section version ${major}, expected 1; reading anyway`, undefined, this.base + p);
    }
    this.ifCount = 0;
    this.sectionCount++;
  }

  /** §4.2 Interface Description Block, with if_tsresol (9) and if_tsoffset (14). */
  private interfaceBlock(p: number, len: number): void {
    const dv = this.dv;
    const le = this.le;
    if (len < 20) {
      this.diag('PCAPNG_BAD_INTERFACE', 'error', `interface description block of ${len} bytes (< 20)`, undefined, this.base + p);
      return;
    }
    const i = this.ifCount++;
    const lt = dv.getUint16(p + 8, le);
    let resol = 6;
    let offsetSec = 0;
    // Options: code u16, length u16, value padded to 32 bits (§3.5), until opt_endofopt or the end.
    let o = p + 16;
    const optEnd = p + len - 4;
    while (o + 4 <= optEnd) {
      const code = dv.getUint16(o, le);
      const olen = dv.getUint16(o + 2, le);
      if (code === 0) break;
      const v = o + 4;
      if (v + olen > optEnd) {
        this.diag('PCAPNG_BAD_OPTION', 'warning', `interface option ${code} of ${olen} bytes overruns its block`, undefined, this.base + o);
        break;
      }
      if (code === 9 && olen >= 1) resol = this.buf[v];
      else if (code === 14 && olen >= 8) {
        const hi = le ? dv.getInt32(v + 4, true) : dv.getInt32(v, false);
        const lo = le ? dv.getUint32(v, true) : dv.getUint32(v + 4, false);
        offsetSec = hi * TWO32 + lo;
      }
      o = v + ((olen + 3) & ~3);
    }
    const pow2 = (resol & 0x80) !== 0;
    const n = resol & 0x7f;
    let kind: number;
    let units: number;
    let mul: number;
    if (!pow2 && n <= 9) {
      kind = TS_POW10;
      units = 10 ** n;
      mul = 10 ** (9 - n);
    } else if (pow2 && n <= 32) {
      kind = TS_POW2;
      units = 2 ** n;
      mul = n;
    } else {
      kind = TS_BIG;
      units = resol;
      mul = 0;
    }
    this.ifLinktype[i] = lt;
    this.ifKind[i] = kind;
    this.ifUnits[i] = units;
    this.ifMul[i] = mul;
    this.ifOffset[i] = offsetSec;
    if (this.linktypes.indexOf(lt) < 0) this.linktypes.push(lt);
  }

  /** §4.3 Enhanced Packet Block, and Appendix A obsolete Packet Block (16-bit interface id). */
  private packetBlock(p: number, len: number, type: number): void {
    const dv = this.dv;
    const le = this.le;
    const frame = ++this.frames;
    const at = this.base + p;
    if (len < 32) {
      this.diag('PCAPNG_BAD_PACKET', 'error', `packet block of ${len} bytes (< 32)`, frame, at);
      return;
    }
    const ifid = type === BT_EPB ? dv.getUint32(p + 8, le) : dv.getUint16(p + 8, le);
    const hi = dv.getUint32(p + 12, le);
    const lo = dv.getUint32(p + 16, le);
    const caplen = dv.getUint32(p + 20, le);
    const origlen = dv.getUint32(p + 24, le);
    if (caplen > len - 32 || caplen > MAX_CAPLEN) {
      this.diag('PCAPNG_BAD_CAPLEN', 'error', `captured length ${caplen} does not fit a block of ${len} bytes`, frame, at);
      return;
    }
    if (ifid >= this.ifCount) {
      this.diag('PCAPNG_UNKNOWN_INTERFACE', 'error', `packet on interface ${ifid}, but the section describes ${this.ifCount}`, frame, at);
      return;
    }
    this.timestamp(hi, lo, ifid);
    if (origlen < caplen) {
      this.diag('PCAPNG_ORIGLEN_SHORT', 'warning', `original length ${origlen} < captured length ${caplen}`, frame, at);
    }
    this.deliver(p + 28, caplen, origlen, ifid, frame, at);
  }

  /** §4.4 Simple Packet Block: interface 0, no timestamp (the previous record's is used). */
  private simplePacketBlock(p: number, len: number): void {
    const frame = ++this.frames;
    const at = this.base + p;
    if (len < 16) {
      this.diag('PCAPNG_BAD_PACKET', 'error', `simple packet block of ${len} bytes (< 16)`, frame, at);
      return;
    }
    if (this.ifCount === 0) {
      this.diag('PCAPNG_UNKNOWN_INTERFACE', 'error', 'simple packet block before any interface description', frame, at);
      return;
    }
    const origlen = this.dv.getUint32(p + 8, this.le);
    // §4.4: captured length = min(original length, block body size).
    const caplen = Math.min(origlen, len - 16);
    this.rec.tsSec = this.lastAnySec;
    this.rec.tsNsec = this.lastAnyNsec;
    this.deliver(p + 12, caplen, origlen, 0, frame, at);
  }

  /** Timestamp of the last packet block seen (delivered or not), for SPBs. */
  private lastAnySec = 0;
  private lastAnyNsec = 0;

  private deliver(data: number, caplen: number, origlen: number, ifid: number, frame: number, at: number): void {
    const rec = this.rec;
    const sec = rec.tsSec;
    const nsec = rec.tsNsec;
    this.lastAnySec = sec;
    this.lastAnyNsec = nsec;
    this.prevSec = sec;
    if (at < this.opts.startOffset) return;
    rec.data = this.buf;
    rec.offset = data;
    rec.caplen = caplen;
    rec.origlen = origlen;
    rec.linktype = this.ifLinktype[ifid];
    rec.interfaceId = ifid;
    rec.frame = frame;
    rec.fileOffset = at;
    rec.dataFileOffset = this.base + data;
    if (!this.hasFirst) {
      this.hasFirst = true;
      this.firstSec = sec;
      this.firstNsec = nsec;
    }
    this.lastSec = sec;
    this.lastNsec = nsec;
    this.records++;
    this.onRecord(rec);
  }

  /**
   * Converts a 64-bit pcapng timestamp (two 32-bit words) of interface i into rec.tsSec/tsNsec,
   * exactly: nanosecond timestamps exceed 2^53, so the division is split into 16-bit digits.
   */
  private timestamp(hi: number, lo: number, i: number): void {
    const kind = this.ifKind[i];
    let sec: number;
    let nsec: number;
    if (kind === TS_POW10) {
      const u = this.ifUnits[i];
      if (hi < 0x200000) {
        const t = hi * TWO32 + lo; // < 2^53: exact
        sec = Math.floor(t / u);
        let frac = t - sec * u;
        if (frac < 0) {
          sec--;
          frac += u;
        } else if (frac >= u) {
          sec++;
          frac -= u;
        }
        nsec = frac * this.ifMul[i];
      } else {
        // Long division by u (< 2^30) one 16-bit digit at a time: every intermediate < 2^46.
        let cur = hi >>> 16;
        let q = Math.floor(cur / u);
        let r = cur - q * u;
        cur = r * 65536 + (hi & 0xffff);
        let d = Math.floor(cur / u);
        q = q * 65536 + d;
        r = cur - d * u;
        cur = r * 65536 + (lo >>> 16);
        d = Math.floor(cur / u);
        q = q * 65536 + d;
        r = cur - d * u;
        cur = r * 65536 + (lo & 0xffff);
        d = Math.floor(cur / u);
        q = q * 65536 + d;
        r = cur - d * u;
        sec = q;
        nsec = r * this.ifMul[i];
      }
    } else if (kind === TS_POW2) {
      const n = this.ifMul[i];
      const u = this.ifUnits[i];
      const loSec = Math.floor(lo / u);
      sec = hi * (TWO32 / u) + loSec;
      const frac = lo - loSec * u;
      // floor(frac * 1e9 / 2^n), as Wireshark computes it; 1e9 = 2^9 * 1953125 keeps it < 2^53.
      nsec = n >= 9 ? Math.floor((frac * 1953125) / 2 ** (n - 9)) : Math.floor((frac * 1e9) / u);
    } else {
      const resol = this.ifUnits[i];
      const n = BigInt(resol & 0x7f);
      const units = (resol & 0x80) !== 0 ? 1n << n : 10n ** n;
      const t = (BigInt(hi) << 32n) | BigInt(lo);
      sec = Number(t / units);
      nsec = Number(((t % units) * 1000000000n) / units);
    }
    this.rec.tsSec = sec + this.ifOffset[i];
    this.rec.tsNsec = nsec;
  }

  /** True when a plausible, complete block starts at q; -1 = need more data. */
  private blockPlausible(q: number, final: boolean): number {
    const dv = this.dv;
    let le = this.le;
    const type = dv.getUint32(q, le);
    if (type === BT_SHB) {
      if (dv.getUint32(q + 8, true) === BOM) le = true;
      else if (dv.getUint32(q + 8, false) === BOM) le = false;
      else return 0;
    } else if (
      !(
        (type >= BT_IDB && type <= BT_DSB) ||
        type === BT_SYSDIG_EVENT ||
        type === BT_CUSTOM ||
        type === BT_CUSTOM_NOCOPY
      )
    ) {
      return 0;
    }
    const len = dv.getUint32(q + 4, le);
    if (len < 12 || (len & 3) !== 0 || len > RESYNC_MAX_BLOCK) return 0;
    if (q + len > this.end) {
      if (final) return 0;
      this.need = len;
      return -1;
    }
    if (dv.getUint32(q + len - 4, le) !== len) return 0;
    switch (type) {
      case BT_EPB:
        return len >= 32 && dv.getUint32(q + 8, le) < this.ifCount && dv.getUint32(q + 20, le) <= len - 32 ? 1 : 0;
      case BT_PB:
        return len >= 32 && dv.getUint16(q + 8, le) < this.ifCount && dv.getUint32(q + 20, le) <= len - 32 ? 1 : 0;
      case BT_SPB:
        return len >= 16 && this.ifCount > 0 ? 1 : 0;
      case BT_IDB:
        return len >= 20 ? 1 : 0;
      case BT_SHB:
        return len >= 28 ? 1 : 0;
      default:
        return 1;
    }
  }

  private resyncPcapng(final: boolean): boolean {
    const end = this.end;
    let q = this.start;
    for (; q + 12 <= end; q++) {
      const r = this.blockPlausible(q, final);
      if (r === 0) continue;
      if (r < 0) {
        this.start = q;
        return false;
      }
      this.start = q;
      this.resynced(q);
      this.state = ST_PCAPNG;
      return true;
    }
    this.start = q;
    this.need = 12;
    if (final) {
      this.diag('PCAPNG_RESYNC_FAILED', 'note', `no plausible block after the damage: ${this.base + end - this.damageAt} byte(s) skipped to the end`, undefined, this.damageAt);
      this.start = end;
      this.state = ST_DONE;
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // End of input

  /**
   * At the end of input, a record/block that claims more bytes than remain is either truncated or
   * has a damaged length. It is damage when a complete, plausible record/block (with a plausible
   * successor, or ending exactly at the end of the file) starts inside it: then report it and
   * resynchronise there instead of dropping everything after it.
   */
  private tailIsDamage(): boolean {
    const p = this.start;
    const end = this.end;
    if (this.format === 'pcap') {
      const hdr = this.recHdr;
      if (end - p < hdr) return false;
      for (let q = p + 1; q + hdr <= end; q++) {
        if (!this.pcapPlausible(q, this.prevSec)) continue;
        const next = q + hdr + this.dv.getUint32(q + 8, this.le);
        if (next === end || (next + hdr <= end && this.pcapPlausible(next, this.dv.getUint32(q, this.le)))) {
          const caplen = this.dv.getUint32(p + 8, this.le);
          this.frames++;
          this.diag(
            'PCAP_BAD_RECORD_LENGTH',
            'error',
            `record claims ${caplen} captured bytes but only ${end - p - hdr} remain and a valid record follows at 0x${(this.base + q).toString(16)}; resynchronising`,
            this.frames,
            this.base + p,
          );
          this.damageAt = this.base + p;
          this.start = q;
          this.resynced(q);
          return true;
        }
      }
      return false;
    }
    if (this.format !== 'pcapng' || end - p < 12) return false;
    for (let q = p + 4; q + 12 <= end; q += 4) {
      if (this.blockPlausible(q, true) !== 1) continue;
      const type = this.dv.getUint32(p, this.le);
      if (type === BT_EPB || type === BT_PB || type === BT_SPB) this.frames++;
      this.diag(
        'PCAPNG_BAD_BLOCK_LENGTH',
        'error',
        `block type 0x${type.toString(16)} claims ${this.dv.getUint32(p + 4, this.le)} bytes but only ${end - p} remain and a valid block follows at 0x${(this.base + q).toString(16)}; resynchronising`,
        type === BT_EPB || type === BT_PB || type === BT_SPB ? this.frames : this.frames + 1,
        this.base + p,
      );
      this.damageAt = this.base + p;
      this.start = q;
      this.resynced(q);
      return true;
    }
    return false;
  }

  /** Called at the end of input in a record state: any unconsumed byte is a truncated record/block. */
  private endOfData(): void {
    const rest = this.end - this.start;
    if (rest > 0) {
      this.truncated = true;
      const at = this.base + this.start;
      if (this.format === 'pcap') {
        const want = rest >= this.recHdr ? this.recHdr + this.dv.getUint32(this.start + 8, this.le) : this.recHdr;
        this.diag(
          'PCAP_TRUNCATED_RECORD',
          'warning',
          rest >= this.recHdr
            ? `file ends ${rest} byte(s) into a record of ${want} bytes`
            : `file ends inside a record header (${rest} of ${this.recHdr} bytes)`,
          this.frames + 1,
          at,
        );
      } else {
        this.diag(
          'PCAPNG_TRUNCATED_BLOCK',
          'warning',
          rest >= 8
            ? `file ends ${rest} byte(s) into a block of ${this.dv.getUint32(this.start + 4, this.le)} bytes`
            : `file ends inside a block header (${rest} bytes)`,
          this.frames + 1,
          at,
        );
      }
    }
    this.start = this.end;
    this.state = ST_DONE;
  }
}
