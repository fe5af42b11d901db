/**
 * Before/after speed of two builds of zonescope on the same generated plain Ethernet capture:
 *   node dist/bench/compare/compareVersions.js --before /work/wt/before --after /work/wt/leftovers
 *     [--bytes 2e8] [--runs 5] [--modes cli1,aggregate] [--callgrind-bytes 2e6,8e6] [--dir /tmp/x]
 * Each build is a checkout with its own dist/ (built with its own tsc). For every mode the two
 * builds' bench/ingestOnce.js run interleaved (before, after, before, after, ...), each run in its own
 * process; the report gives the median wall time and the median CPU time (user + system, from
 * /usr/bin/time) of each and the after/before ratios. The host is
 * shared, so wall times are noisy: the same ingest is also run once per build under
 * `valgrind --tool=callgrind` on a small capture, whose instruction count (Ir) does not depend on the
 * load; it runs at two sizes, and the difference gives the per-megabyte cost without the fixed
 * start-up (Node, modules, the SQLite schema) that dominates a small capture. Prints one JSON document on stdout, progress on stderr.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBenchCapture } from '../../fixtures/generator/bench.js';

interface Options {
  before: string;
  after: string;
  bytes: number;
  runs: number;
  modes: string[];
  callgrindBytes: number[];
  dir: string;
}

interface Run {
  ms: number;
  /** user + system CPU seconds of the run's process, in ms (less disturbed by a loaded host than wall time) */
  cpuMs: number;
  packets: number;
  flows: number;
}

function parse(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const before = get('before');
  const after = get('after');
  if (!before || !after) throw new Error('usage: compareVersions --before DIR --after DIR [--bytes N] [--runs N] [--modes a,b] [--callgrind-bytes N,M]');
  return {
    before: resolve(before),
    after: resolve(after),
    bytes: Number(get('bytes') ?? 2e8),
    runs: Number(get('runs') ?? 5),
    modes: (get('modes') ?? 'cli1,aggregate').split(','),
    callgrindBytes: (get('callgrind-bytes') ?? '2e6,8e6').split(',').map(Number).filter((n) => n > 0),
    dir: get('dir') ?? join(tmpdir(), 'zonescope-compare'),
  };
}

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

async function capture(dir: string, bytes: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `plain-300h-62443-${bytes}.pcap`);
  const marker = `${path}.done`;
  if (existsSync(marker) && existsSync(path) && readFileSync(marker, 'utf8') === String(statSync(path).size)) return path;
  await writeBenchCapture(path, { bytes, hosts: 300, seed: 62443 });
  writeFileSync(marker, String(statSync(path).size));
  log(`generated ${path} (${(statSync(path).size / 1e6).toFixed(1)} MB)`);
  return path;
}

function ingestOnce(build: string, file: string, mode: string, db: string): Run {
  rmSync(db, { force: true });
  // /usr/bin/time -f: the child's user and system CPU seconds, on the last line of its stderr.
  const r = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, join(build, 'dist/bench/ingestOnce.js'), file, mode, db], { encoding: 'utf8' });
  rmSync(db, { force: true });
  rmSync(`${db}-wal`, { force: true });
  rmSync(`${db}-shm`, { force: true });
  if (r.status !== 0) throw new Error(`${build} ${mode} failed: ${r.stderr.slice(-2000)}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as Run;
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN;
  return { ms: m.ms, cpuMs, packets: m.packets, flows: m.flows };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Total instructions (Ir) of one run under callgrind. */
function callgrind(build: string, file: string, mode: string, dir: string, tag: string): number {
  const out = join(dir, `callgrind.${tag}.${mode}.out`);
  const db = join(dir, `callgrind.${tag}.db`);
  rmSync(db, { force: true });
  // --single-threaded: V8 compiles on the main thread, so the optimised code runs when it would natively
  // (under valgrind a background compiler thread hardly runs, and the count would be of interpreted code).
  const r = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, '--single-threaded', join(build, 'dist/bench/ingestOnce.js'), file, mode, db], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`callgrind ${tag} ${mode} failed: ${r.stderr.slice(-2000)}`);
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`callgrind ${tag} ${mode}: no "Collected" line`);
  for (const f of readdirSync(dir)) if (f.startsWith(`callgrind.${tag}.db`)) rmSync(join(dir, f), { force: true });
  return Number(m[1]);
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const big = await capture(o.dir, o.bytes);
  const db = join(o.dir, 'compare.db');
  const result: Record<string, unknown> = { capture: { path: big, bytes: statSync(big).size }, runs: o.runs, wall: {}, callgrind: {} };
  for (const mode of o.runs > 0 ? o.modes : []) {
    const before: Run[] = [];
    const after: Run[] = [];
    for (let i = 0; i < o.runs; i++) {
      before.push(ingestOnce(o.before, big, mode, db));
      after.push(ingestOnce(o.after, big, mode, db));
      log(`${mode} run ${i + 1}: before ${before[i]!.ms.toFixed(0)} ms (cpu ${before[i]!.cpuMs.toFixed(0)}), after ${after[i]!.ms.toFixed(0)} ms (cpu ${after[i]!.cpuMs.toFixed(0)})`);
    }
    const mb = median(before.map((r) => r.ms));
    const ma = median(after.map((r) => r.ms));
    const cb = median(before.map((r) => r.cpuMs));
    const ca = median(after.map((r) => r.cpuMs));
    (result.wall as Record<string, unknown>)[mode] = {
      beforeMs: before.map((r) => Math.round(r.ms)),
      afterMs: after.map((r) => Math.round(r.ms)),
      beforeMedianMs: Math.round(mb),
      afterMedianMs: Math.round(ma),
      ratio: Number((ma / mb).toFixed(4)),
      beforeCpuMs: before.map((r) => Math.round(r.cpuMs)),
      afterCpuMs: after.map((r) => Math.round(r.cpuMs)),
      beforeCpuMedianMs: Math.round(cb),
      afterCpuMedianMs: Math.round(ca),
      cpuRatio: Number((ca / cb).toFixed(4)),
      packets: { before: before[0]!.packets, after: after[0]!.packets },
      flows: { before: before[0]!.flows, after: after[0]!.flows },
    };
  }
  // Instruction counts at two sizes: the difference is the per-byte cost, free of the fixed start-up
  // (Node, modules, SQLite schema) that dominates a small capture.
  const sizes = [...o.callgrindBytes].sort((a, b) => a - b);
  for (const mode of o.modes) {
    const rows: Array<{ bytes: number; beforeIr: number; afterIr: number }> = [];
    for (const bytes of sizes) {
      const small = await capture(o.dir, bytes);
      const b = callgrind(o.before, small, mode, o.dir, 'before');
      const a = callgrind(o.after, small, mode, o.dir, 'after');
      log(`callgrind ${mode} ${bytes} B: before ${b} Ir, after ${a} Ir`);
      rows.push({ bytes: statSync(small).size, beforeIr: b, afterIr: a });
    }
    const entry: Record<string, unknown> = { runs: rows.map((r) => ({ ...r, ratio: Number((r.afterIr / r.beforeIr).toFixed(4)) })) };
    if (rows.length >= 2) {
      const lo = rows[0]!;
      const hi = rows[rows.length - 1]!;
      const mb = (hi.bytes - lo.bytes) / 1e6;
      const perB = (hi.beforeIr - lo.beforeIr) / mb;
      const perA = (hi.afterIr - lo.afterIr) / mb;
      entry.marginal = { beforeIrPerMB: Math.round(perB), afterIrPerMB: Math.round(perA), ratio: Number((perA / perB).toFixed(4)) };
      entry.fixed = { beforeIr: Math.round(lo.beforeIr - perB * (lo.bytes / 1e6)), afterIr: Math.round(lo.afterIr - perA * (lo.bytes / 1e6)) };
    }
    (result.callgrind as Record<string, unknown>)[mode] = entry;
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`compareVersions: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 3;
});
