/**
 * A pcapng writer for the packets of a live capture (draft-ietf-opsawg-pcapng): one Section Header
 * Block (§4.1, with shb_userappl and a comment), one Interface Description Block (§4.2, with if_name,
 * if_filter and if_tsresol), then one Enhanced Packet Block (§4.3) per packet with its captured and
 * original lengths. Blocks are written in this machine's byte order (the SHB's byte-order magic says
 * which, §4.1) into ONE reused buffer, which goes to the file with a synchronous write when full or
 * on flush(): no object per packet, and after flush() every packet written so far is in the
 * operating system's hands (a kill -9 of this process loses nothing flushed).
 *
 * Write failures (disk full, folder removed, I/O error) throw a PcapngWriteError with the errno code;
 * the file is cut back to the blocks written before (it stays a valid pcapng), and the writer is
 * unusable after one (close() still releases the file).
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import type { CaptureRecord } from './record.js';

export class PcapngWriteError extends Error {
  constructor(
    readonly path: string,
    /** errno code: ENOSPC, ENOENT, EACCES, EEXIST, EIO, ... */
    readonly errno: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PcapngWriterOptions {
  linktype: number;
  /** if_name: the interface captured on */
  interfaceName: string;
  /** Resolution of the timestamps written (if_tsresol 6 or 9): what the source delivers. */
  tsResolution: 'us' | 'ns';
  /** if_filter: the BPF filter applied, as libpcap's filter string */
  filter?: string;
  snaplen?: number;
  /** shb_userappl */
  application: string;
  /** opt_comment of the section */
  comment?: string;
  /** Size of the one buffer (default 1 MiB). */
  bufferSize?: number;
}

const SHB = 0x0a0d0d0a;
const IDB = 1;
const EPB = 6;
const BOM = 0x1a2b3c4d;
const TWO32 = 4294967296;
const LE = endianness() === 'LE';

const pad4 = (n: number): number => (n + 3) & ~3;

export class PcapngWriter {
  readonly path: string;
  #fd: number | null;
  readonly #buf: Buffer;
  /** The same bytes, for the per-packet header fields (DataView's setters are the cheapest). */
  readonly #dv: DataView;
  #used = 0;
  /** Bytes in the file once flushed (written + buffered). */
  #size = 0;
  /** Bytes handed to the operating system: whole blocks. */
  #onDisk = 0;
  #packets = 0;
  #failed: PcapngWriteError | null = null;
  readonly #nsec: boolean;

  private constructor(path: string, fd: number, opts: PcapngWriterOptions) {
    this.path = path;
    this.#fd = fd;
    this.#nsec = opts.tsResolution === 'ns';
    this.#buf = Buffer.alloc(Math.max(256 * 1024, opts.bufferSize ?? 1024 * 1024));
    this.#dv = new DataView(this.#buf.buffer, this.#buf.byteOffset, this.#buf.byteLength);
  }

  /**
   * Create `path` (never over an existing file) and write the section and interface blocks, flushed:
   * the file is a valid, empty pcapng from the start.
   */
  static create(path: string, opts: PcapngWriterOptions): PcapngWriter {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (e) {
      throw writeError(path, e, 'creating');
    }
    const w = new PcapngWriter(path, fd, opts);
    w.#block(SHB, [
      [4, Buffer.from(opts.application, 'utf8')],
      ...(opts.comment ? ([[1, Buffer.from(opts.comment, 'utf8')]] as Array<[number, Buffer]>) : []),
    ], (b, p) => {
      u32(b, p, BOM);
      u16(b, p + 4, 1);
      u16(b, p + 6, 0);
      b.fill(0xff, p + 8, p + 16); // section length: not specified (-1)
      return 16;
    });
    const idbOptions: Array<[number, Buffer]> = [[2, Buffer.from(opts.interfaceName, 'utf8')]];
    if (opts.filter) idbOptions.push([11, Buffer.concat([Buffer.from([0]), Buffer.from(opts.filter, 'utf8')])]);
    idbOptions.push([9, Buffer.from([w.#nsec ? 9 : 6])]);
    w.#block(IDB, idbOptions, (b, p) => {
      u16(b, p, opts.linktype);
      u16(b, p + 2, 0);
      u32(b, p + 4, opts.snaplen ?? 0);
      return 8;
    });
    w.flush();
    return w;
  }

  /** Packets written (buffered included). */
  get packets(): number {
    return this.#packets;
  }

  /** The file's length once flushed: the offset the next block will start at. */
  get size(): number {
    return this.#size;
  }

  /** Append one packet as an Enhanced Packet Block (interface 0). Copies the bytes: `rec` may be reused after. */
  write(rec: CaptureRecord): void {
    if (this.#failed) throw this.#failed;
    const padded = pad4(rec.caplen);
    const len = 32 + padded;
    if (this.#buf.length - this.#used < len) this.flush();
    if (len > this.#buf.length) {
      throw new PcapngWriteError(this.path, 'EFBIG', `${this.path}: a packet of ${rec.caplen} bytes does not fit the writer's buffer`);
    }
    const b = this.#buf;
    const dv = this.#dv;
    const p = this.#used;
    dv.setUint32(p, EPB, LE);
    dv.setUint32(p + 4, len, LE);
    dv.setUint32(p + 8, 0, LE);
    if (this.#nsec) writeTimestamp(dv, p + 12, rec.tsSec, 1e9, rec.tsNsec);
    else writeTimestamp(dv, p + 12, rec.tsSec, 1e6, Math.floor(rec.tsNsec / 1000));
    dv.setUint32(p + 20, rec.caplen, LE);
    dv.setUint32(p + 24, rec.origlen, LE);
    const d = p + 28;
    const n = rec.caplen;
    // Small packets (most of a plant's) are copied by a loop: cheaper than Buffer.copy's call, which allocates a view.
    if (n < 128) {
      const src = rec.data;
      const o = rec.offset;
      for (let k = 0; k < n; k++) b[d + k] = src[o + k]!;
    } else rec.data.copy(b, d, rec.offset, rec.offset + n);
    for (let k = d + n; k < d + padded; k++) b[k] = 0;
    dv.setUint32(d + padded, len, LE);
    this.#used += len;
    this.#size += len;
    this.#packets++;
  }

  /** Hand everything buffered to the operating system. */
  flush(): void {
    if (this.#failed) throw this.#failed;
    let off = 0;
    try {
      while (off < this.#used) off += writeSync(this.#fd!, this.#buf, off, this.#used - off);
    } catch (e) {
      this.#failed = writeError(this.path, e, 'writing');
      // A part of a block may have been written: cut the file back to its last whole block, so that it stays valid.
      try {
        ftruncateSync(this.#fd!, this.#onDisk);
      } catch {
        // it keeps the cut block; readers report it as cut short
      }
      throw this.#failed;
    }
    this.#onDisk += this.#used;
    this.#used = 0;
  }

  /** Flush (unless a write failed already) and close the file. Throws a PcapngWriteError when the flush fails. */
  close(): void {
    if (this.#fd === null) return;
    let err: unknown = null;
    try {
      if (!this.#failed) this.flush();
    } catch (e) {
      err = e;
    }
    try {
      closeSync(this.#fd);
    } catch (e) {
      err ??= writeError(this.path, e, 'closing');
    }
    this.#fd = null;
    if (err) throw err;
  }

  /** One block: type, length, `body` (fixed fields, returns their length), options, end of options, length. */
  #block(type: number, options: Array<[number, Buffer]>, body: (b: Buffer, p: number) => number): void {
    const b = this.#buf;
    const start = this.#used;
    let p = start + 8;
    p += body(b, p);
    for (const [code, value] of options) {
      u16(b, p, code);
      u16(b, p + 2, value.length);
      value.copy(b, p + 4);
      b.fill(0, p + 4 + value.length, p + 4 + pad4(value.length));
      p += 4 + pad4(value.length);
    }
    u32(b, p, 0); // opt_endofopt
    p += 4;
    const len = p + 4 - start;
    u32(b, start, type);
    u32(b, start + 4, len);
    u32(b, p, len);
    this.#used += len;
    this.#size += len;
  }
}

/**
 * §4.3: the 64-bit timestamp sec * ticks + frac as its high then low 32 bits at p, exactly: sec * 1e9
 * passes 2^53, so it is computed in parts that stay below it (no BigInt per packet).
 */
function writeTimestamp(dv: DataView, p: number, sec: number, ticks: number, frac: number): void {
  const a1 = Math.floor(sec / 65536);
  const a0 = sec - a1 * 65536;
  const t0 = a0 * ticks + frac; // < 2^47
  const t1 = a1 * ticks; // the multiple of 2^16, < 2^47
  const t1h = Math.floor(t1 / 65536);
  const rest = (t1 - t1h * 65536) * 65536 + t0; // < 2^48
  const carry = Math.floor(rest / TWO32);
  dv.setUint32(p, t1h + carry, LE);
  dv.setUint32(p + 4, rest - carry * TWO32, LE);
}

function u16(b: Buffer, p: number, v: number): void {
  if (LE) b.writeUInt16LE(v, p);
  else b.writeUInt16BE(v, p);
}

function u32(b: Buffer, p: number, v: number): void {
  if (LE) b.writeUInt32LE(v, p);
  else b.writeUInt32BE(v, p);
}

function writeError(path: string, e: unknown, doing: string): PcapngWriteError {
  const errno = (e as NodeJS.ErrnoException).code ?? 'EIO';
  const why: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exhausted',
    ENOENT: 'the folder does not exist (any more)',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    EEXIST: 'a file of that name exists already',
    EIO: 'an I/O error',
  };
  return new PcapngWriteError(path, errno, `${doing} ${path}: ${why[errno] ?? (e as Error).message} (${errno})`);
}
