/**
 * Seeded fuzzing of the capture reader: mutants of the real captures in fixtures/captures (classic
 * pcap, and pcapng copies made by editcap) and gzip streams around them, damaged the ways issue 13's
 * attack did: bit flips, overwrites, chunk deletion and duplication, truncation, corrupted record and
 * block lengths and types, garbage and coarse or offset timestamps, damaged gzip headers, data and
 * trailers. For every mutant the reader must not throw, must yield only records whose time a Date
 * holds and whose bytes lie inside the (decompressed) file, and must locate every problem.
 *
 * ZONESCOPE_FUZZ=N runs N mutants (default 400); ZONESCOPE_FUZZ_SEED picks another seed.
 */
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Diagnostic } from '../../src/diagnostics.js';
import { readCaptureFile, readCaptureStream, type ReadSummary } from '../../src/ingest/readCapture.js';
import type { CaptureRecord } from '../../src/ingest/record.js';
import { chunked, listCaptures, run, tmpDir } from './captureTestUtil.js';

const COUNT = Number(process.env.ZONESCOPE_FUZZ ?? 400);
const SEED = Number(process.env.ZONESCOPE_FUZZ_SEED ?? 20261201);

type Rng = ReturnType<typeof xoroshiro128plus>;
const int = (rng: Rng, lo: number, hi: number): number => uniformInt(rng, lo, hi);

/** Record / block layout of a clean capture, for targeted damage. */
interface Unit {
  at: number;
  /** pcapng block type (-1 for a pcap record). */
  type: number;
  len: number;
}

function layout(buf: Buffer): { pcapng: boolean; units: Unit[] } {
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

interface Source {
  name: string;
  bytes: Buffer;
  pcapng: boolean;
  units: Unit[];
}

const TIME_WORDS = [0, 1, 0x7fffffff, 0xffffffff, 0x80000000, 999999, 1000000, 1e9, 0x3b9aca00];

/** Damages a capture in place or by splicing; returns the mutant and a description. */
function mutate(rng: Rng, src: Source): { bytes: Buffer; what: string } {
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
function gzipMutant(rng: Rng, bytes: Buffer): { bytes: Buffer; what: string } {
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

interface Seen {
  summary: ReadSummary;
  diags: Diagnostic[];
  problems: string[];
}

/** Reads a mutant and checks every record as it is delivered. */
async function readMutant(bytes: Buffer, gz: boolean, viaFile: string | null, rng: Rng): Promise<Seen> {
  const diags: Diagnostic[] = [];
  const problems: string[] = [];
  const records: Array<[number, number]> = [];
  const onRecord = (r: CaptureRecord): void => {
    if (!Number.isInteger(r.tsSec) || Math.abs(r.tsSec) >= 8.64e12 || !Number.isInteger(r.tsNsec) || r.tsNsec < 0 || r.tsNsec >= 1e9) {
      problems.push(`frame ${r.frame}: time ${r.tsSec}.${r.tsNsec} is no date`);
    } else if (Number.isNaN(new Date(r.tsSec * 1000 + Math.floor(r.tsNsec / 1e6)).getTime())) {
      problems.push(`frame ${r.frame}: Date(${r.tsSec}) invalid`);
    }
    if (r.offset < 0 || r.offset + r.caplen > r.data.length || r.caplen > r.origlen + 0x40000 || r.fileOffset > r.dataFileOffset) {
      problems.push(`frame ${r.frame}: record outside its buffer`);
    }
    // The bytes are the file's bytes at dataFileOffset (plain mutants: checked against the mutant).
    if (!gz && !r.data.subarray(r.offset, r.offset + r.caplen).equals(bytes.subarray(r.dataFileOffset, r.dataFileOffset + r.caplen))) {
      problems.push(`frame ${r.frame}: bytes differ from the file at ${r.dataFileOffset}`);
    }
    records.push([r.fileOffset, r.dataFileOffset + r.caplen]);
  };
  const opts = { onDiagnostic: (d: Diagnostic) => diags.push(d), chunkSize: [64, 4096, 1 << 20][int(rng, 0, 2)] };
  const summary = viaFile
    ? await readCaptureFile(viaFile, onRecord, opts)
    : await readCaptureStream(chunked(bytes, int(rng, 1, 70000), int(rng, 1, 1000)), onRecord, opts);
  const size = gz ? summary.bytes : bytes.length;
  if (records.length !== summary.records) problems.push(`${records.length} records delivered, summary says ${summary.records}`);
  for (const [from, to] of records) if (from < 0 || to > size) problems.push(`record ${from}..${to} outside the ${size}-byte file`);
  for (const d of diags) {
    if (typeof d.offset !== 'number' || !Number.isInteger(d.offset) || d.offset < 0 || d.offset > Math.max(size, summary.bytes)) {
      problems.push(`${d.code} without a valid offset (${d.offset})`);
    }
    if (!d.code || !d.file || !['error', 'warning', 'note'].includes(d.severity)) problems.push(`${d.code}: incomplete diagnostic`);
  }
  if (summary.errors !== diags.filter((d) => d.severity === 'error').length) problems.push('error count differs from the errors reported');
  return { summary, diags, problems };
}

let dir = '';
const sources: Source[] = [];

beforeAll(async () => {
  dir = await tmpDir('ingest-fuzz');
  for (const p of listCaptures()) {
    const bytes = readFileSync(p);
    sources.push({ name: basename(p), bytes, ...layout(bytes) });
  }
  // pcapng copies of a few classic captures, so both formats are attacked.
  for (const p of listCaptures().filter((x) => /modbus_example|dnp3_example|s7ident|enip_cip_example/.test(x))) {
    const out = join(dir, `${basename(p)}.pcapng`);
    const r = await run('editcap', ['-F', 'pcapng', p, out]);
    if (r.code !== 0) throw new Error(r.stderr);
    const bytes = readFileSync(out);
    sources.push({ name: basename(out), bytes, ...layout(bytes) });
  }
}, 60000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test(`readCaptureFile/readCaptureStream(${COUNT} mutants of the real captures, seed ${SEED}) never throw, yield only dated records inside the file, locate every problem`, async () => {
  expect(sources.filter((s) => s.pcapng).length).toBeGreaterThanOrEqual(4);
  const rng = xoroshiro128plus(SEED);
  const failures: string[] = [];
  let records = 0;
  let diagnosed = 0;
  for (let i = 0; i < COUNT; i++) {
    const src = sources[int(rng, 0, sources.length - 1)];
    let m = mutate(rng, src);
    const gz = int(rng, 0, 3) === 0;
    if (gz) {
      const g = gzipMutant(rng, int(rng, 0, 1) === 0 ? src.bytes : m.bytes);
      m = { bytes: g.bytes, what: `${m.what}; ${g.what}` };
    }
    let viaFile: string | null = null;
    if (int(rng, 0, 4) === 0) {
      viaFile = join(dir, `mutant-${i}${gz ? '.gz' : ''}`);
      await writeFile(viaFile, m.bytes);
    }
    try {
      const seen = await readMutant(m.bytes, gz, viaFile, rng);
      records += seen.summary.records;
      if (seen.diags.length > 0) diagnosed++;
      for (const p of seen.problems.slice(0, 3)) failures.push(`mutant ${i} (${src.name}: ${m.what}): ${p}`);
    } catch (e) {
      failures.push(`mutant ${i} (${src.name}: ${m.what}): threw ${(e as Error).stack ?? String(e)}`);
    }
    if (viaFile) await rm(viaFile, { force: true });
  }
  expect(failures.slice(0, 20)).toEqual([]);
  // The mutants are damage, and the reader still delivers most records.
  expect(diagnosed).toBeGreaterThan(COUNT / 2);
  expect(records).toBeGreaterThan(COUNT * 10);
}, 600000);
