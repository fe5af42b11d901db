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
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Diagnostic } from '../../src/diagnostics.js';
import { readCaptureFile, readCaptureStream, type ReadSummary } from '../../src/ingest/readCapture.js';
import type { CaptureRecord } from '../../src/ingest/record.js';
import { gzipMutant, int, mutantSources, mutate, type Rng, type Source } from '../util/captureMutants.js';
import { chunked, tmpDir } from './captureTestUtil.js';

const COUNT = Number(process.env.ZONESCOPE_FUZZ ?? 400);
const SEED = Number(process.env.ZONESCOPE_FUZZ_SEED ?? 20261201);

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
let sources: Source[] = [];

beforeAll(async () => {
  dir = await tmpDir('ingest-fuzz');
  sources = await mutantSources(dir, /modbus_example|dnp3_example|s7ident|enip_cip_example/);
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
