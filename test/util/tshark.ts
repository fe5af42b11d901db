/**
 * Running tshark (the oracle) from tests: the ONE wrapper. Every test that needs tshark's view of a
 * capture goes through `tshark(args)` (exact arguments, stdout back, a failure throws with tshark's
 * stderr) or `tsharkFields(file, fields, opts)` (-T fields rows; tab-separated, every occurrence, values
 * joined with commas).
 */
import { execFile, spawnSync } from 'node:child_process';

const MAX_BUFFER = 1 << 30;

/** Runs tshark with exactly these arguments; returns stdout. Throws (with stderr) when tshark fails. */
export function tshark(args: readonly string[]): string {
  const r = spawnSync('tshark', [...args], { encoding: 'utf8', maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/**
 * The same, without blocking the event loop. `damagedInput`: tshark exits non-zero on a damaged or
 * cut capture after printing every frame it could read; take that output instead of failing.
 */
export function tsharkAsync(args: readonly string[], o: { damagedInput?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tshark', [...args], { encoding: 'utf8', maxBuffer: MAX_BUFFER }, (e, stdout, stderr) => {
      if (e && !(o.damagedInput && typeof e.code === 'number')) reject(new Error(`tshark ${args.join(' ')} failed: ${stderr || e.message}`));
      else resolve(stdout);
    });
  });
}

export interface FieldsOptions {
  /** display filter (-Y) */
  filter?: string;
  /** arguments placed after `-r FILE`, e.g. ['-n'] or ['-o', 'tcp.desegment_tcp_streams:FALSE'] */
  extra?: readonly string[];
  /** -E occurrence (default 'a': every occurrence, joined by the aggregator ',') */
  occurrence?: 'a' | 'f' | 'l';
}

/** The -T fields arguments for `file` (for callers that post-process tshark's text themselves). */
export function fieldsArgs(file: string, fields: readonly string[], o: FieldsOptions = {}): string[] {
  const args = ['-r', file, ...(o.extra ?? [])];
  if (o.filter !== undefined) args.push('-Y', o.filter);
  args.push('-T', 'fields', '-E', 'separator=\t', '-E', `occurrence=${o.occurrence ?? 'a'}`, '-E', 'aggregator=,');
  for (const f of fields) args.push('-e', f);
  return args;
}

/** One row per frame tshark shows (after the filter), one cell per field. */
export function tsharkFields(file: string, fields: readonly string[], o: FieldsOptions = {}): string[][] {
  return tshark(fieldsArgs(file, fields, o))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** tshark's count of frames carrying IP (IPv4 or IPv6). */
export function tsharkIpPacketCount(file: string, extra: string[] = []): number {
  return tsharkFields(file, ['frame.number'], { extra: ['-n', ...extra], filter: 'ip or ipv6' }).length;
}
