/**
 * Where a run stops does not change the result (issue 13, finding 9), through the real binary: a
 * rotated set ingested in one run, one file per run, or by runs killed with SIGKILL at seeded random
 * moments and then re-run, gives the same `flows --json` document; and 2,000 small files give the
 * same document as their concatenation. Two rotated sets: the demo plant cut into 6-hour files
 * (editcap -i), and a generated plant whose connections, idle timeouts and scan cross file boundaries
 * (test/util/crossingPlant.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Rng } from '../../fixtures/generator/rng.js';
import { Baseline } from '../../src/baseline/baseline.js';
import { REPO_ROOT } from '../util/captures.js';
import { startZonescope, zonescope } from '../util/cli.js';
import { crossingFrames, writePcap, writeSplit } from '../util/crossingPlant.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zonescope-continuity-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `zonescope ingest inputs --db db -q`, which must succeed. */
function ingest(db: string, inputs: string[]): void {
  const r = zonescope(['ingest', ...inputs, '--db', db, '-q']);
  if (r.status !== 0) throw new Error(`ingest exited ${r.status}: ${r.stderr}`);
}

/** The flows@2 document of a store, parsed, with any time it was made at left out. */
function flowsDoc(db: string): unknown {
  const r = zonescope(['flows', '--db', db, '--json', '-']);
  if (r.status !== 0) throw new Error(`flows exited ${r.status}: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  delete doc.generated_at;
  delete doc.meta;
  return doc;
}

function captureCount(db: string): number {
  if (!existsSync(db)) return 0; // killed before the store was made
  let b: Baseline;
  try {
    b = Baseline.open(db, { readonly: true });
  } catch {
    return 0; // being created by the run
  }
  try {
    return b.reader().captures().length;
  } finally {
    b.close();
  }
}

/** The demo plant's first `days` daily captures cut into 6-hour files. */
function rotatedDemo(days: number): string {
  const out = join(dir, `demo-rotated-${days}`);
  if (existsSync(out)) return out;
  mkdirSync(out);
  const daily = readdirSync(join(REPO_ROOT, 'fixtures', 'refinery-unit3')).filter((n) => /\.pcap(ng)?(\.gz)?$/.test(n)).sort().slice(0, days);
  for (const n of daily) {
    execFileSync('editcap', ['-F', 'pcapng', '-i', '21600', join(REPO_ROOT, 'fixtures', 'refinery-unit3', n), join(out, `${basename(n).split('.')[0]}.pcapng`)]);
  }
  return out;
}

/**
 * Ingest `folder` by runs killed with SIGKILL at seeded points (once the store holds a seeded number
 * of captures, after a further seeded delay: mostly in the middle of a file), then one run to the
 * end. Returns the number of captures the store held after each kill.
 */
async function ingestKilled(db: string, folder: string, files: number, seed: number, kills: number, extra: string[] = []): Promise<number[]> {
  const rng = new Rng(seed);
  const held: number[] = [];
  const landed = (): number => held.filter((n) => n > 0 && n < files).length;
  // Each run is killed once the store holds a seeded number of captures, after a seeded delay. On a
  // fast host a run can finish inside that delay; then the store is set back to empty and the next
  // runs are killed without delay, so that `kills` kills land between commits (up to 4x as many runs).
  for (let attempt = 0; landed() < kills && attempt < kills * 4; attempt++) {
    let before = captureCount(db);
    if (before >= files - 1) {
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
      before = 0;
    }
    const target = Math.min(files - 1, before + rng.int(1, Math.max(1, Math.floor((files - before) / 2))));
    const extraMs = attempt < kills ? rng.int(0, 150) : 0;
    const run = startZonescope(['ingest', folder, '--db', db, '-q', ...extra]);
    let exited = false;
    const r = run.done.then((res) => {
      exited = true;
      return res;
    });
    while (!exited && captureCount(db) < target) await new Promise((res) => setTimeout(res, 5));
    await new Promise((res) => setTimeout(res, extraMs));
    run.child.kill('SIGKILL');
    const res = await r;
    if (res.signal !== 'SIGKILL' && res.status !== 0) throw new Error(`ingest exited ${res.status}: ${res.stderr}`);
    held.push(captureCount(db));
  }
  ingest(db, [folder, ...extra]);
  return held;
}

describe('zonescope ingest: a rotated set gives one result however its runs stop', () => {
  test('zonescope ingest(the demo plant in 6-hour files: one run, one file per run, runs killed at seeded points) gives one flows document', async () => {
    const folder = rotatedDemo(4);
    const files = readdirSync(folder).sort();
    expect(files.length).toBe(16);
    const clean = join(dir, 'demo-clean.db');
    ingest(clean, [folder]);
    const expected = flowsDoc(clean);

    const perRun = join(dir, 'demo-per-run.db');
    for (const f of files) ingest(perRun, [join(folder, f)]);
    expect(flowsDoc(perRun)).toEqual(expected);

    const killed = join(dir, 'demo-killed.db');
    const held = await ingestKilled(killed, folder, files.length, 13, 4);
    // The kills landed between commits: some captures in, not all.
    expect(held.some((n) => n > 0 && n < files.length)).toBe(true);
    expect(captureCount(killed)).toBe(files.length);
    expect(flowsDoc(killed)).toEqual(expected);
  }, 120_000);

  test('zonescope ingest(the demo plant in 6-hour files, --workers 2: each file read while the one before is committed; runs killed at seeded points) gives one flows document', async () => {
    const folder = rotatedDemo(4);
    const files = readdirSync(folder).sort();
    const clean = join(dir, 'demo2-clean.db');
    ingest(clean, [folder, '--workers', '2']);
    const expected = flowsDoc(clean);
    const killed = join(dir, 'demo2-killed.db');
    const held = await ingestKilled(killed, folder, files.length, 29, 4, ['--workers', '2']);
    expect(held.some((n) => n > 0 && n < files.length)).toBe(true);
    expect(captureCount(killed)).toBe(files.length);
    expect(flowsDoc(killed)).toEqual(expected);
  }, 120_000);

  test('zonescope ingest(a generated plant in 15-minute files, connections and a scan across them: one run, one file per run, killed runs) gives one flows document', async () => {
    const folder = join(dir, 'crossing-rotated');
    mkdirSync(folder);
    const files = writeSplit(folder, crossingFrames(9), { seconds: 900 });
    expect(files.length).toBe(8);
    const clean = join(dir, 'crossing-clean.db');
    ingest(clean, [folder]);
    const expected = flowsDoc(clean) as { flows: Array<{ src: string; connections: number; port: number }> };
    // The scan crosses the threshold only when counted across files; the silent client reconnects.
    const scanned = expected.flows.filter((f) => f.src === '10.9.9.9');
    expect(scanned.reduce((n, f) => n + f.connections, 0)).toBe(256);
    expect(expected.flows.find((f) => f.src === '10.1.0.12')!.connections).toBe(2);
    expect(expected.flows.find((f) => f.src === '10.1.0.11')!.connections).toBe(1);

    const perRun = join(dir, 'crossing-per-run.db');
    for (const f of files) ingest(perRun, [f]);
    expect(flowsDoc(perRun)).toEqual(expected);

    const killed = join(dir, 'crossing-killed.db');
    const held = await ingestKilled(killed, folder, files.length, 29, 4);
    expect(held.some((n) => n > 0 && n < files.length)).toBe(true);
    expect(flowsDoc(killed)).toEqual(expected);
  }, 120_000);
});

describe('zonescope ingest: the live state does not depend on the worker count', () => {
  test('zonescope ingest(half a rotated set with --workers 2, the rest with --workers 1) gives the one-thread run\'s flows (the scanner\'s aside)', () => {
    const folder = join(dir, 'crossing-workers');
    mkdirSync(folder);
    const files = writeSplit(folder, crossingFrames(11), { seconds: 900 });
    const clean = join(dir, 'workers-clean.db');
    ingest(clean, [folder, '--workers', '1']);
    const mixed = join(dir, 'workers-mixed.db');
    ingest(mixed, [...files.slice(0, 4), '--workers', '2']);
    ingest(mixed, [folder, '--workers', '1']);
    // Scan detection counts failed attempts per worker shard (IngestOptions.workers): left out.
    const plain = (db: string): unknown[] => (flowsDoc(db) as { flows: Array<{ src: string }> }).flows.filter((f) => f.src !== '10.9.9.9');
    const expected = plain(clean);
    expect(expected.length).toBeGreaterThan(5);
    expect(plain(mixed)).toEqual(expected);
  }, 120_000);
});

describe('zonescope ingest: 2,000 small files and their concatenation give one result', () => {
  test('zonescope ingest(2,000 files of a generated plant) equals zonescope ingest(their concatenation)', () => {
    const frames = crossingFrames(5);
    const whole = join(dir, 'whole.pcap');
    writePcap(whole, frames);
    const small = join(dir, 'small');
    mkdirSync(small);
    const files = writeSplit(small, frames, { files: 2000 });
    expect(files.length).toBe(2000);
    const one = join(dir, 'whole.db');
    ingest(one, [whole]);
    const many = join(dir, 'small.db');
    ingest(many, [small]);
    expect(flowsDoc(many)).toEqual(flowsDoc(one));
  }, 120_000);
});
