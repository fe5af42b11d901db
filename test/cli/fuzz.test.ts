/**
 * Seeded fuzzing of the whole CLI: mutants of the real captures in fixtures/captures (classic pcap,
 * pcapng copies made by editcap, gzip streams around them; damaged by test/util/captureMutants.ts the
 * ways issue 13's attack did) are ingested through main() in this process, several per store, and
 * every store is then read the ways a user reads it (flows, flows --json, assets --json). No command
 * may end in an internal error (exit 3) or print a stack trace; ingest exits 0 or 2; every read of the
 * store succeeds. A batch that fails is ingested again one mutant per store to name the mutant.
 *
 * ZONESCOPE_FUZZ_MUTANTS=N runs N mutants (default 300); ZONESCOPE_FUZZ_SEED picks another seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { gzipMutant, int, mutantSources, mutate, type Source } from '../util/captureMutants.js';
import { runMain } from '../util/runMain.js';
import { tmpDir } from '../ingest/captureTestUtil.js';

const COUNT = Number(process.env.ZONESCOPE_FUZZ_MUTANTS ?? 300);
const SEED = Number(process.env.ZONESCOPE_FUZZ_SEED ?? 20261202);
/** Mutants ingested into one store (one ingest run, one set of reads). */
const PER_STORE = 10;

interface Mutant {
  name: string;
  bytes: Buffer;
  what: string;
}

let dir = '';
let sources: Source[] = [];

beforeAll(async () => {
  dir = await tmpDir('cli-fuzz');
  sources = await mutantSources(dir, /modbus_example|dnp3_example|s7ident|enip_cip_example|opcua_with-gap/);
}, 60000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What is wrong with one command's outcome (empty: nothing). */
function problemsOf(what: string, r: { code: number; err: string }, codes: number[]): string[] {
  const out: string[] = [];
  if (!codes.includes(r.code)) out.push(`${what} exited ${r.code}: ${r.err.split('\n').find((l) => /internal error|Error/.test(l)) ?? r.err.slice(0, 300)}`);
  if (/^\s+at .+:\d+:\d+\)?$/m.test(r.err)) out.push(`${what} printed a stack trace`);
  return out;
}

/** Ingest `files` (a folder of mutants) into a new store and read it back; the problems found. */
async function ingestAndRead(folder: string, db: string): Promise<string[]> {
  const problems: string[] = [];
  const ing = await runMain(['ingest', folder, '--db', db, '-q']);
  problems.push(...problemsOf('ingest', ing, [0, 2]));
  if (ing.code === 3) return problems;
  const json = await runMain(['flows', '--db', db, '--json', '-']);
  problems.push(...problemsOf('flows --json -', json, [0]));
  if (json.code === 0) {
    try {
      const doc = JSON.parse(json.out) as { schema?: string; flows?: unknown[] };
      if (!Array.isArray(doc.flows)) problems.push('flows --json - wrote no flows array');
    } catch (e) {
      problems.push(`flows --json - wrote no JSON: ${(e as Error).message}`);
    }
  }
  problems.push(...problemsOf('flows', await runMain(['flows', '--db', db, '--detail']), [0]));
  problems.push(...problemsOf('assets --json -', await runMain(['assets', '--db', db, '--json', '-']), [0]));
  return problems;
}

function nextMutant(rng: ReturnType<typeof xoroshiro128plus>, i: number): Mutant {
  const src = sources[int(rng, 0, sources.length - 1)]!;
  let m = mutate(rng, src);
  const gz = int(rng, 0, 3) === 0;
  if (gz) {
    const g = gzipMutant(rng, int(rng, 0, 1) === 0 ? src.bytes : m.bytes);
    m = { bytes: g.bytes, what: `${m.what}; ${g.what}` };
  }
  const ext = src.pcapng ? 'pcapng' : 'pcap';
  return { name: `m${String(i).padStart(5, '0')}.${ext}${gz ? '.gz' : ''}`, bytes: m.bytes, what: `${src.name}: ${m.what}` };
}

test(`zonescope ingest(${COUNT} mutants of the real captures, seed ${SEED}, ${PER_STORE} per store) exits 0 or 2, never 3, no stack trace; flows, flows --json and assets read every store`, async () => {
  expect(sources.filter((s) => s.pcapng).length).toBeGreaterThanOrEqual(5);
  const rng = xoroshiro128plus(SEED);
  const failures: string[] = [];
  let stores = 0;
  for (let i = 0; i < COUNT; i += PER_STORE) {
    const batch: Mutant[] = [];
    for (let k = i; k < Math.min(COUNT, i + PER_STORE); k++) batch.push(nextMutant(rng, k));
    const folder = join(dir, `batch-${i}`);
    mkdirSync(folder);
    for (const m of batch) writeFileSync(join(folder, m.name), m.bytes);
    const problems = await ingestAndRead(folder, join(dir, `batch-${i}.db`));
    stores++;
    if (problems.length > 0) {
      // Name the mutant: each alone in a store of its own.
      for (const m of batch) {
        const one = join(dir, `one-${m.name}`);
        mkdirSync(one);
        writeFileSync(join(one, m.name), m.bytes);
        const p = await ingestAndRead(one, `${one}.db`);
        for (const x of p) failures.push(`${m.name} (${m.what}): ${x}`);
      }
      if (failures.length === 0) failures.push(`batch ${i} (only together): ${problems.join('; ')}`);
    }
    await rm(folder, { recursive: true, force: true });
    if (failures.length >= 20) break;
  }
  expect(failures.slice(0, 20)).toEqual([]);
  expect(stores).toBe(Math.ceil(COUNT / PER_STORE));
}, 900000);
