/**
 * Shared helpers for the ingest tests: the real captures, the tshark oracle, collecting what our
 * reader delivers, and crafting pcap/pcapng bytes by hand (draft-ietf-opsawg-pcap / -pcapng).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics.js';
import { readCaptureFile, readCaptureStream, type ReadOptions, type ReadSummary } from '../../src/ingest/readCapture.js';
import type { CaptureRecord } from '../../src/ingest/record.js';
import { ParseState } from '../../src/ingest/parseState.js';

import { CAPTURES_DIR } from '../util/captures.js';
import { tsharkAsync } from '../util/tshark.js';

export { CAPTURES_DIR };
export { pcapHeader, pcapRecord } from '../util/pcap.js';

/** Every capture file under ../shared/captures (not the licences), sorted. */
export function listCaptures(): string[] {
  const out: string[] = [];
  for (const d of readdirSync(CAPTURES_DIR).sort()) {
    const dir = join(CAPTURES_DIR, d);
    if (d === 'LICENSES' || !statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) if (/\.(pcap|pcapng|cap)$/.test(f)) out.push(join(dir, f));
  }
  return out;
}

export function tmpDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `zonescope-${prefix}-`));
}

export function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

/** tshark's view of a capture, one line per frame: number, epoch (9 decimals), len, cap_len. */
export async function tsharkLines(path: string): Promise<string[]> {
  const out = await tsharkAsync(['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'], { damagedInput: true });
  return out.split('\n').filter((l) => l.length > 0);
}

/** The same line for one of our records. */
export function recordLine(r: CaptureRecord): string {
  return `${r.frame}\t${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}\t${r.origlen}\t${r.caplen}`;
}

export interface Collected {
  summary: ReadSummary;
  lines: string[];
  /** sha256 of each record's bytes. */
  hashes: string[];
  offsets: number[];
  linktypes: number[];
  interfaces: number[];
  diags: Diagnostic[];
}

function collector(): { cb: (r: CaptureRecord) => void; c: Omit<Collected, 'summary'> } {
  const c = { lines: [] as string[], hashes: [] as string[], offsets: [] as number[], linktypes: [] as number[], interfaces: [] as number[], diags: [] as Diagnostic[] };
  const cb = (r: CaptureRecord): void => {
    c.lines.push(recordLine(r));
    c.hashes.push(createHash('sha256').update(r.data.subarray(r.offset, r.offset + r.caplen)).digest('hex'));
    c.offsets.push(r.fileOffset);
    c.linktypes.push(r.linktype);
    c.interfaces.push(r.interfaceId);
  };
  return { cb, c };
}

export async function collectFile(path: string, opts: ReadOptions = {}): Promise<Collected> {
  const { cb, c } = collector();
  const summary = await readCaptureFile(path, cb, { ...opts, onDiagnostic: (d) => c.diags.push(d) });
  return { summary, ...c };
}

export async function collectStream(source: AsyncIterable<Uint8Array>, opts: ReadOptions = {}): Promise<Collected> {
  const { cb, c } = collector();
  const summary = await readCaptureStream(source, cb, { ...opts, onDiagnostic: (d) => c.diags.push(d) });
  return { summary, ...c };
}

/** Splits a buffer into chunks of pseudo-random sizes in [1, max] (deterministic by seed). */
export async function* chunked(buf: Buffer, max: number, seed = 1): AsyncGenerator<Uint8Array> {
  let s = seed >>> 0 || 1;
  let off = 0;
  while (off < buf.length) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const n = 1 + (s % max);
    yield new Uint8Array(buf.subarray(off, off + n));
    off += n;
  }
}

/** Rewrites a little-endian classic pcap as big-endian (header and every record header). */
export function byteSwapPcap(le: Buffer): Buffer {
  const out = Buffer.from(le);
  if (le.readUInt32LE(0) !== 0xa1b2c3d4 && le.readUInt32LE(0) !== 0xa1b23c4d) throw new Error('not a little-endian pcap');
  out.writeUInt32BE(le.readUInt32LE(0), 0);
  out.writeUInt16BE(le.readUInt16LE(4), 4);
  out.writeUInt16BE(le.readUInt16LE(6), 6);
  out.writeInt32BE(le.readInt32LE(8), 8);
  for (const o of [12, 16, 20]) out.writeUInt32BE(le.readUInt32LE(o), o);
  let p = 24;
  while (p + 16 <= le.length) {
    const caplen = le.readUInt32LE(p + 8);
    for (const o of [0, 4, 8, 12]) out.writeUInt32BE(le.readUInt32LE(p + o), p + o);
    p += 16 + caplen;
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Crafting pcap and pcapng bytes

class Bytes {
  parts: Buffer[] = [];
  constructor(readonly le: boolean) {}
  u8(v: number): this {
    this.parts.push(Buffer.from([v]));
    return this;
  }
  u16(v: number): this {
    const b = Buffer.alloc(2);
    if (this.le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    this.parts.push(b);
    return this;
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    this.parts.push(b);
    return this;
  }
  i64(v: bigint): this {
    const b = Buffer.alloc(8);
    if (this.le) b.writeBigInt64LE(v);
    else b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  pad4(): this {
    const n = this.length() % 4;
    if (n) this.parts.push(Buffer.alloc(4 - n));
    return this;
  }
  length(): number {
    return this.parts.reduce((a, b) => a + b.length, 0);
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A pcapng block (§3.1): type, total length, body padded to 32 bits, total length. */
export function block(le: boolean, type: number, body: Buffer): Buffer {
  const padded = new Bytes(le).raw(body).pad4().build();
  const len = 12 + padded.length;
  return new Bytes(le).u32(type).u32(len).raw(padded).u32(len).build();
}

export function shb(le = true): Buffer {
  return block(le, 0x0a0d0d0a, new Bytes(le).u32(0x1a2b3c4d).u16(1).u16(0).i64(-1n).build());
}

/** IDB (§4.2) with optional if_tsresol (9) and if_tsoffset (14). */
export function idb(le: boolean, linktype: number, opts: { snaplen?: number; tsresol?: number; tsoffset?: bigint } = {}): Buffer {
  const b = new Bytes(le).u16(linktype).u16(0).u32(opts.snaplen ?? 0);
  if (opts.tsresol !== undefined) b.u16(9).u16(1).u8(opts.tsresol).pad4();
  if (opts.tsoffset !== undefined) b.u16(14).u16(8).i64(opts.tsoffset);
  if (opts.tsresol !== undefined || opts.tsoffset !== undefined) b.u16(0).u16(0);
  return block(le, 1, b.build());
}

/** Splits a 64-bit timestamp in interface units into its two 32-bit words. */
export function tsWords(units: bigint): [number, number] {
  return [Number(units >> 32n), Number(units & 0xffffffffn)];
}

export function epb(le: boolean, ifid: number, units: bigint, data: Buffer, origlen = data.length): Buffer {
  const [hi, lo] = tsWords(units);
  return block(le, 6, new Bytes(le).u32(ifid).u32(hi).u32(lo).u32(data.length).u32(origlen).raw(data).pad4().build());
}

/** Obsolete Packet Block (Appendix A): 16-bit interface id, 16-bit drops count. */
export function pb(le: boolean, ifid: number, units: bigint, data: Buffer): Buffer {
  const [hi, lo] = tsWords(units);
  return block(le, 2, new Bytes(le).u16(ifid).u16(0).u32(hi).u32(lo).u32(data.length).u32(data.length).raw(data).pad4().build());
}

export function spb(le: boolean, data: Buffer, origlen = data.length): Buffer {
  return block(le, 3, new Bytes(le).u32(origlen).raw(data).pad4().build());
}

/** Name Resolution Block (§4.5) with one IPv4 record. */
export function nrb(le: boolean): Buffer {
  const name = Buffer.from('plc-01\0');
  return block(le, 4, new Bytes(le).u16(1).u16(4 + name.length).raw(Buffer.from([10, 20, 1, 10])).raw(name).pad4().u16(0).u16(0).build());
}

/** Interface Statistics Block (§4.6) without options. */
export function isb(le: boolean, ifid: number, units: bigint): Buffer {
  const [hi, lo] = tsWords(units);
  return block(le, 5, new Bytes(le).u32(ifid).u32(hi).u32(lo).build());
}

/** Custom Block (§4.8) with a private enterprise number. */
export function customBlock(le: boolean): Buffer {
  return block(le, 0xbad, new Bytes(le).u32(32473).raw(Buffer.from('zonescope test')).build());
}

/** A small Ethernet/IPv4/UDP frame whose last bytes carry `tag` (so frames differ). */
export function frame(tag: number, size = 60): Buffer {
  const b = Buffer.alloc(size, 0);
  b.writeUInt16BE(0x0800, 12);
  b[14] = 0x45;
  b.writeUInt16BE(size - 14, 16);
  b[23] = 17;
  b.writeUInt32BE(tag >>> 0, size - 4);
  return b;
}

// ------------------------------------------------------------------------------------------------
// A ParseState loaded with bytes, for the tests of the format modules

export interface LoadedState {
  s: ParseState;
  records: CaptureRecord[];
  diags: Diagnostic[];
}

/** A ParseState whose window holds `bytes` (at file offset 0); records are copied as delivered. */
export function loadedState(bytes: Buffer, startOffset = 0): LoadedState {
  const records: CaptureRecord[] = [];
  const diags: Diagnostic[] = [];
  const s = new ParseState(
    (r) => records.push({ ...r, data: Buffer.from(r.data.subarray(r.offset, r.offset + r.caplen)), offset: 0 }),
    { fileName: 'test.cap', startOffset, onDiagnostic: (d) => diags.push(d) },
    bytes.length + 1,
  );
  bytes.copy(s.buf, 0);
  s.end = bytes.length;
  s.bytes = bytes.length;
  return { s, records, diags };
}
