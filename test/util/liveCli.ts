/**
 * The real `zonescope capture` CLI (from source, through tsx) as a child process, for the live-capture
 * tests: started, awaited until it says it is capturing, signalled, and its exit awaited.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canUseNetns } from './netns.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
/** node arguments that run the CLI from source */
export const CLI = ['--import', TSX, join(REPO_ROOT, 'test', 'util', 'runCli.ts')];
/** the environment of a CLI child (no jest vm-modules flag) */
export const CLI_ENV = { ...process.env, NODE_OPTIONS: '' };

export const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface CaptureExit {
  code: number | null;
  signal: string | null;
  err: string;
}

export interface CaptureChild {
  /** settles when the process has exited */
  done: Promise<CaptureExit>;
  /** settles when it printed that it is capturing */
  ready: Promise<void>;
  kill(sig: NodeJS.Signals): void;
  /** its stderr so far */
  err(): string;
}

/** `zonescope capture ARGS...` started in the background. */
export function startCapture(args: string[]): CaptureChild {
  const child = spawn(process.execPath, [...CLI, 'capture', ...args], { cwd: REPO_ROOT, env: CLI_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let markReady = (): void => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  child.stderr.on('data', (b: Buffer) => {
    err += b.toString();
    if (err.includes('zonescope: capturing on')) markReady();
  });
  child.stdout.resume();
  const done = new Promise<CaptureExit>((res) => child.on('close', (code, signal) => res({ code, signal, err })));
  return { done, ready, kill: (sig) => child.kill(sig), err: () => err };
}

/**
 * Whether this host can make network namespaces for the live tests; in CI it must (a throw), elsewhere
 * the test says on stderr why it tests only the unprivileged path.
 */
export function requireNetnsInCi(test: string): { ok: boolean; why: string } {
  const netns = canUseNetns();
  if (!netns.ok && process.env.CI === 'true') throw new Error(`live capture tests must run in CI: ${netns.why}`);
  if (!netns.ok) process.stderr.write(`${test}: no namespace test here (${netns.why}); testing the unprivileged path only\n`);
  return netns;
}
