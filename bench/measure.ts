/**
 * Timing for the bench: each command in its own process under GNU time (wall, user + system CPU, peak
 * resident memory), tools run interleaved (A B C, A B C, ...) so that a busy spell of the shared host
 * falls on all of them, and summarised by the median with the range seen.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Sample {
  wallMs: number;
  cpuMs: number;
  /** Peak resident set size, MB (null without GNU time). */
  maxRssMB: number | null;
  /** The command's last stdout line (ingestOnce prints its JSON there). */
  last: string;
}

export interface Tool {
  name: string;
  cmd: string;
  args: string[];
}

export interface Summary {
  wallMs: number;
  minMs: number;
  maxMs: number;
  cpuMs: number;
  maxRssMB: number | null;
  runs: number;
  last: string;
}

const TIME = '/usr/bin/time';

/** One run of `cmd args` in its own process; throws when it fails. */
export function measureOnce(cmd: string, args: string[]): Sample {
  const out = join(tmpdir(), `zonescope-bench-time-${process.pid}`);
  const gnu = existsSync(TIME);
  const t0 = process.hrtime.bigint();
  const r = gnu
    ? spawnSync(TIME, ['-o', out, '-f', '%e %U %S %M', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 })
    : spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr?.toString().slice(-2000)}`);
  const last = (r.stdout?.toString() ?? '').trim().split('\n').pop() ?? '';
  if (!gnu) return { wallMs, cpuMs: NaN, maxRssMB: null, last };
  const [, user, sys, rss] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number];
  rmSync(out, { force: true });
  return { wallMs, cpuMs: (user + sys) * 1000, maxRssMB: rss / 1024, last };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `runs` rounds of every tool in turn; per tool the median time, its range and the largest peak. */
export function interleaved(tools: Tool[], runs: number, log: (s: string) => void): Map<string, Summary> {
  const samples = new Map<string, Sample[]>(tools.map((t) => [t.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const t of tools) {
      const s = measureOnce(t.cmd, t.args);
      samples.get(t.name)!.push(s);
      log(`  run ${i + 1}/${runs} ${t.name}: ${(s.wallMs / 1000).toFixed(2)} s, CPU ${(s.cpuMs / 1000).toFixed(2)} s, peak ${s.maxRssMB?.toFixed(0) ?? '-'} MB`);
    }
  }
  const out = new Map<string, Summary>();
  for (const [name, ss] of samples) {
    const walls = ss.map((s) => s.wallMs);
    const rss = ss.map((s) => s.maxRssMB).filter((x): x is number => x !== null);
    out.set(name, {
      wallMs: median(walls), minMs: Math.min(...walls), maxMs: Math.max(...walls), cpuMs: median(ss.map((s) => s.cpuMs)),
      maxRssMB: rss.length > 0 ? Math.max(...rss) : null, runs: ss.length, last: ss[ss.length - 1]!.last,
    });
  }
  return out;
}
