/**
 * Seeded damage to capture files, the ways issue 13's attack did: bit flips, overwrites, chunk deletion
 * and duplication, truncation, corrupted record and block lengths and types, garbage and coarse or
 * offset timestamps, damaged gzip headers, data and trailers. Shared by the reader's fuzzing test
 * (test/ingest/readCapture.fuzz.test.ts) and the CLI's (test/cli/fuzz.test.ts).
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { listCaptures, run } from '../ingest/captureTestUtil.js';

export type Rng = ReturnType<typeof xoroshiro128plus>;
export const int = (rng: Rng, lo: number, hi: number): number => uniformInt(rng, lo, hi);

/** Record / block layout of a clean capture, for targeted damage. */
export interface Unit {
  at: number;
  /** pcapng block type (-1 for a pcap record). */
  type: number;
  len: number;
}

export function layout(buf: Buffer): { pcapng: boolean; units: Unit[] } {
  const units: Unit[] = [];
  if (buf.readUInt32BE(0) === 0x0a0d0d0a) {
    for (let p = 0; p + 12 <= buf.length; ) {
      const len = buf.readUInt32LE(p + 4);
      units.push({ at: p, type: buf.readUInt32LE(p), len });
      if (len < 12) break;
      p += len;
    }
    return { pcapng: true, units };
  }
  for (let p = 24; p + 16 <= buf.length; ) {
    const len = 16 + buf.readUInt32LE(p + 8);
    units.push({ at: p, type: -1, len });
    p += len;
  }
  return { pcapng: false, units };
}

export interface Source {
  name: string;
  bytes: Buffer;
  pcapng: boolean;
  units: Unit[];
}

const TIME_WORDS = [0, 1, 0x7fffffff, 0xffffffff, 0x80000000, 999999, 1000000, 1e9, 0x3b9aca00];

/** Damages a capture in place or by splicing; returns the mutant and a description. */
export function mutate(rng: Rng, src: Source): { bytes: Buffer; what: string } {
  let b = Buffer.from(src.bytes);
  const n = b.length;
  const unit = src.units.length > 0 ? src.units[int(rng, 0, src.units.length - 1)] : { at: 0, type: 0, len: n };
  const op = int(rng, 0, 10);
  switch (op) {
    case 0: {
      const k = int(rng, 1, 16);
      for (let i = 0; i < k; i++) b[int(rng, 0, n - 1)] ^= 1 << int(rng, 0, 7);
      return { bytes: b, what: `flip ${k} bits` };
    }
    case 1: {
      const at = int(rng, 0, n - 1);
      const len = Math.min(int(rng, 1, 256), n - at);
      for (let i = 0; i < len; i++) b[at + i] = int(rng, 0, 255);
      return { bytes: b, what: `overwrite ${len} @${at}` };
    }
    case 2: {
      const at = int(rng, 0, n - 1);
      const len = int(rng, 1, Math.max(1, Math.floor(n / 8)));
      return { bytes: Buffer.concat([b.subarray(0, at), b.subarray(at + len)]), what: `delete ${len} @${at}` };
    }
    case 3: {
      const at = int(rng, 0, n - 1);
      const len = Math.min(int(rng, 1, 4096), n - at);
      const to = int(rng, 0, n);
      return { bytes: Buffer.concat([b.subarray(0, to), b.subarray(at, at + len), b.subarray(to)]), what: `duplicate ${len} @${at} to ${to}` };
    }
    case 4: {
      const at = int(rng, 0, n);
      return { bytes: b.subarray(0, at), what: `truncate @${at}` };
    }
    case 5: {
      // A record's or block's length field(s).
      const field = src.pcapng ? (int(rng, 0, 1) === 0 ? unit.at + 4 : unit.at + unit.len - 4) : unit.at + 8 + 4 * int(rng, 0, 1);
      const v = [0, 1, 3, 11, 12, 0x7fffffff, 0xffffffff, unit.len + 4, unit.len - 4, 262145, 1 << 20, int(rng, 0, 0xffffffff)][int(rng, 0, 11)];
      if (field + 4 <= n) b.writeUInt32LE(v >>> 0, field);
      return { bytes: b, what: `length ${v} @${field}` };
    }
    case 6: {
      // A block's type, or a record header's first word.
      const v = [0x0a0d0d0a, 1, 2, 3, 4, 5, 6, 0xbad, 0x40000bad, 0x204, 0xa1b2c3d4, int(rng, 0, 0xffffffff)][int(rng, 0, 11)];
      if (unit.at + 4 <= n) b.writeUInt32LE(v >>> 0, unit.at);
      return { bytes: b, what: `type ${v} @${unit.at}` };
    }
    case 7: {
      // Timestamps: garbage words in a record's or packet block's time.
      const at = src.pcapng ? unit.at + 12 + 4 * int(rng, 0, 1) : unit.at + 4 * int(rng, 0, 1);
      const v = TIME_WORDS[int(rng, 0, TIME_WORDS.length - 1)];
      if (at + 4 <= n) b.writeUInt32LE(v >>> 0, at);
      return { bytes: b, what: `time word ${v} @${at}` };
    }
    case 8: {
      // pcapng: an IDB with a coarse or garbage if_tsresol, or a huge if_tsoffset, put in front of the packets.
      if (!src.pcapng) return { bytes: b.subarray(0, int(rng, 0, n)), what: 'truncate (pcap)' };
      const idbAt = src.units.findIndex((u) => u.type === 1);
      if (idbAt < 0) return { bytes: b, what: 'no IDB' };
      const resol = [0, 1, 2, 0x80, 0x81, 0x7f, 0xff, 0x94, int(rng, 0, 255)][int(rng, 0, 8)];
      const offset = [0n, 1n << 40n, -(1n << 40n), (1n << 62n) - 1n, -(1n << 62n)][int(rng, 0, 4)];
      const body = Buffer.alloc(8 + 8 + 12 + 4);
      body.writeUInt16LE(b.readUInt16LE(src.units[idbAt].at + 8), 0); // linktype
      body.writeUInt32LE(0, 4); // snaplen
      body.writeUInt16LE(9, 8);
      body.writeUInt16LE(1, 10);
      body[12] = resol;
      body.writeUInt16LE(14, 16);
      body.writeUInt16LE(8, 18);
      body.writeBigInt64LE(offset, 20);
      const len = 12 + body.length;
      const blockBuf = Buffer.alloc(len);
      blockBuf.writeUInt32LE(1, 0);
      blockBuf.writeUInt32LE(len, 4);
      body.copy(blockBuf, 8);
      blockBuf.writeUInt32LE(len, len - 4);
      const u = src.units[idbAt];
      b = Buffer.concat([b.subarray(0, u.at), blockBuf, b.subarray(u.at + u.len)]);
      return { bytes: b, what: `IDB tsresol 0x${resol.toString(16)} tsoffset ${offset}` };
    }
    case 9: {
      // Several record-level damages at once.
      const k = int(rng, 2, 6);
      for (let i = 0; i < k; i++) {
        const u = src.units[int(rng, 0, Math.max(0, src.units.length - 1))];
        if (!u) break;
        const at = u.at + 4 * int(rng, 0, 3);
        if (at + 4 <= n) b.writeUInt32LE(int(rng, 0, 0xffffffff) >>> 0, at);
      }
      return { bytes: b, what: `${k} header words` };
    }
    default: {
      // Garbage inserted between two records (lengths that keep or break 4-byte alignment).
      const len = int(rng, 1, 64);
      const garbage = Buffer.alloc(len);
      for (let i = 0; i < len; i++) garbage[i] = int(rng, 0, 255);
      return { bytes: Buffer.concat([b.subarray(0, unit.at), garbage, b.subarray(unit.at)]), what: `insert ${len} @${unit.at}` };
    }
  }
}

/** gzip around a (possibly damaged) capture, then damage to the gzip stream itself. */
export function gzipMutant(rng: Rng, bytes: Buffer): { bytes: Buffer; what: string } {
  const gz = Buffer.from(gzipSync(bytes));
  const n = gz.length;
  switch (int(rng, 0, 7)) {
    case 0:
      gz.writeUInt32LE(int(rng, 0, 0xffffffff) >>> 0, n - 8);
      return { bytes: gz, what: 'gzip bad CRC' };
    case 1:
      gz.writeUInt32LE(int(rng, 0, 0xffffffff) >>> 0, n - 4);
      return { bytes: gz, what: 'gzip bad ISIZE' };
    case 2:
      return { bytes: Buffer.concat([gz, Buffer.from('trailing garbage\n')]), what: 'gzip trailing garbage' };
    case 3:
      return { bytes: Buffer.concat([gz, Buffer.alloc(int(rng, 1, 4096))]), what: 'gzip zero padding' };
    case 4:
      return { bytes: gz.subarray(0, int(rng, 0, n)), what: 'gzip truncated' };
    case 5: {
      for (let i = 0; i < 4; i++) gz[int(rng, 10, n - 1)] ^= 1 << int(rng, 0, 7);
      return { bytes: gz, what: 'gzip bit flips' };
    }
    case 6:
      gz[3] = int(rng, 0, 255); // FLG
      return { bytes: gz, what: 'gzip header flags' };
    default:
      return { bytes: Buffer.concat([gz, gz.subarray(0, int(rng, 0, n))]), what: 'gzip second member, maybe cut' };
  }
}

/**
 * What the fuzzers mutate: every real capture of fixtures/captures, and pcapng copies (made by editcap
 * into `dir`) of those whose path matches `pcapngCopies`, so both formats are attacked.
 */
export async function mutantSources(dir: string, pcapngCopies: RegExp): Promise<Source[]> {
  const sources: Source[] = [];
  for (const p of listCaptures()) {
    const bytes = readFileSync(p);
    sources.push({ name: basename(p), bytes, ...layout(bytes) });
  }
  for (const p of listCaptures().filter((x) => pcapngCopies.test(x))) {
    const out = join(dir, `${basename(p)}.pcapng`);
    const r = await run('editcap', ['-F', 'pcapng', p, out]);
    if (r.code !== 0) throw new Error(r.stderr);
    const bytes = readFileSync(out);
    sources.push({ name: basename(out), bytes, ...layout(bytes) });
  }
  return sources;
}
