/**
 * Running the real binary (`node bin/zonescope.js`) from tests, as a user does. The build in dist/ is
 * refreshed first when a source file is newer than it (so the binary under test is the source under
 * test). ZONESCOPE_BIN=/path/to/other/bin/zonescope.js runs the same tests against another build
 * (e.g. the previous main, to see a test fail before a fix).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './captures.js';

export const ZONESCOPE_BIN = process.env.ZONESCOPE_BIN ?? join(REPO_ROOT, 'bin', 'zonescope.js');

function newestMtime(dir: string): number {
  let t = 0;
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newestMtime(p) : n.endsWith('.ts') ? st.mtimeMs : 0);
  }
  return t;
}

let built = false;
/** Build dist/ when it is missing or older than src/ (skipped with ZONESCOPE_BIN). */
export function ensureBuilt(): void {
  if (built || process.env.ZONESCOPE_BIN) return;
  const main = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(main) || statSync(main).mtimeMs < newestMtime(join(REPO_ROOT, 'src'))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
  built = true;
}

export interface BinResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface BinOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Run `node bin/zonescope.js ...args` to completion. */
export function zonescope(args: string[], o: BinOptions = {}): BinResult {
  ensureBuilt();
  const r = spawnSync(process.execPath, [ZONESCOPE_BIN, ...args], {
    cwd: o.cwd ?? REPO_ROOT,
    input: o.input,
    env: { ...process.env, ...o.env },
    encoding: 'utf8',
    timeout: o.timeoutMs ?? 120_000,
    maxBuffer: 1 << 28,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Run a shell pipeline where `zonescope` stands for the binary; `set -o pipefail` is not used: read $? per stage with `echo`. */
export function zonescopeShell(script: string, o: BinOptions = {}): BinResult {
  ensureBuilt();
  const zs = `'${process.execPath}' '${ZONESCOPE_BIN}'`;
  const r = spawnSync('bash', ['-c', script.replace(/\bzonescope\b/g, zs)], {
    cwd: o.cwd ?? REPO_ROOT,
    env: { ...process.env, ...o.env },
    encoding: 'utf8',
    timeout: o.timeoutMs ?? 120_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Start the binary without waiting (to signal it). */
export function startZonescope(args: string[], o: BinOptions = {}): { child: ChildProcess; done: Promise<BinResult> } {
  ensureBuilt();
  const child = spawn(process.execPath, [ZONESCOPE_BIN, ...args], { cwd: o.cwd ?? REPO_ROOT, env: { ...process.env, ...o.env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<BinResult>((res) => child.on('close', (status, signal) => res({ status, signal, stdout, stderr })));
  return { child, done };
}

/** True when no line of `text` looks like a JavaScript stack frame. */
export function hasNoStack(text: string): boolean {
  return !/^\s+at .+[:(]/m.test(text);
}
