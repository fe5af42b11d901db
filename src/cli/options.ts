/**
 * Options several commands share, and the checks every numeric option gets: a value that is not a
 * whole number in range is a usage error naming the option (never NaN, never a silently disabled bound).
 */
import type { Argv } from 'yargs';
import { defaultDissectors } from '../dissectors/index.js';
import { createRegistry } from '../dissectors/registry.js';
import { UsageError } from './commands/command.js';
import { hostMatcher } from './render/ipOrder.js';

/**
 * Options whose value is a file name and where `-` means standard output (`--json -`). yargs would
 * take a lone `-` as a positional, so main.ts joins these into `--json=-`. Extend the set when a
 * command adds such an option.
 */
export const FILE_OPTIONS = new Set(['--json', '--csv', '--html', '--yaml', '--out', '--db']);

/**
 * A lone `-` input (standard input) as it reaches a command: yargs drops a bare `-` from array
 * positionals, so main.ts passes it as this placeholder (a NUL byte cannot be in a path).
 */
export const STDIN_INPUT = '\u0000stdin';

/** A yargs `coerce` for a whole-number option in [min, max]. */
export function wholeNumber(option: string, min: number, max: number): (v: unknown) => number | undefined {
  return (v: unknown) => {
    if (v === undefined) return undefined;
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    const s = String(last).trim().replace(/_/g, '');
    if (!/^[+-]?\d+$/.test(s)) throw new UsageError(`--${option} '${String(last)}': expected a whole number from ${min} to ${max}`);
    const n = Number(s);
    if (n < min || n > max) throw new UsageError(`--${option} ${n}: expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** A yargs `coerce` for a decimal option in [min, max] (e.g. propose --resolution 1.5). */
export function decimalNumber(option: string, min: number, max: number): (v: unknown) => number | undefined {
  return (v: unknown) => {
    if (v === undefined) return undefined;
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    const s = String(last).trim();
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new UsageError(`--${option} '${String(last)}': expected a number from ${min} to ${max}`);
    const n = Number(s);
    if (n < min || n > max) throw new UsageError(`--${option} ${n}: expected a number from ${min} to ${max}`);
    return n;
  };
}

/** A yargs `coerce` keeping the last value of a string option given twice. */
export function lastString(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  return String(Array.isArray(v) ? v[v.length - 1] : v);
}

/** --db: the store (default per INTERFACES.md, resolved by store.ts). */
export function withDb<T>(y: Argv<T>, describe = 'baseline store (SQLite; default ./zonescope.db, else ./zonescope-out/zonescope.db)') {
  return y.option('db', { type: 'string', requiresArg: true, coerce: lastString, describe });
}

/** The values of a repeatable, comma-separated option (`--host a --host b,c`), trimmed, empty ones left out. */
export function listValues(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** The --host values (IPs or CIDRs) as matchers; a value that is neither is a usage error. */
export function hostOption(v: unknown): Array<(ip: string) => boolean> {
  return listValues(v).map((h) => {
    const m = hostMatcher(h);
    if (!m) throw new UsageError(`--host '${h}': expected an IP address or a CIDR such as 10.20.1.0/24`);
    return m;
  });
}

/** --since and --until (docs/INTERFACES.md "Times"), `what` naming what they select ("activity", "events"). */
export function withTimeWindow<T>(y: Argv<T>, what: string) {
  return y
    .option('since', { type: 'string', requiresArg: true, coerce: lastString, describe: `only ${what} from T (2026-02-01, 2026-02-01T06:00:00Z, or 14d back from the last record)` })
    .option('until', { type: 'string', requiresArg: true, coerce: lastString, describe: `only ${what} up to T (a date means its end)` });
}

/** --quiet and --verbose. */
export function withVerbosity<T>(y: Argv<T>) {
  return y
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print only errors (no progress bar, no summary)' })
    .option('verbose', { type: 'boolean', alias: 'v', describe: 'list every skipped file and print every diagnostic' })
    .conflicts('quiet', 'verbose');
}

/** The decode options of ingest and analyze. */
export function withDecodeOptions<T>(y: Argv<T>) {
  return y
    .option('decode-as', {
      type: 'string',
      requiresArg: true,
      describe: 'dissect a port as a protocol, e.g. 48010=opcua or udp:2223=cip-io (repeatable, or comma-separated)',
    })
    .option('max-connections', {
      type: 'string',
      requiresArg: true,
      coerce: wholeNumber('max-connections', 100, 100_000_000),
      describe: 'live connections kept in memory (default 100000); past it, payload-less then least recently active ones are folded',
    })
    .option('workers', {
      type: 'string',
      requiresArg: true,
      coerce: wholeNumber('workers', 1, 64),
      describe: 'threads sharing the work, this one included (N - 1 worker threads; default: 2 for inputs of 64 MB or more, else 1)',
    });
}

export const DEFAULT_MAX_CONNECTIONS = 100_000;

/** `--decode-as` values (string, repeated, or comma-separated) -> the registry's override map. */
export function parseDecodeAs(value: unknown): Record<string, string> {
  const items = (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => String(v).split(','));
  const out: Record<string, string> = {};
  for (const raw of items) {
    const item = raw.trim();
    if (item === '') continue;
    const m = /^((?:tcp|udp):)?(\d{1,5})=([a-z0-9-]+)$/i.exec(item);
    if (!m || Number(m[2]) > 65535) throw new UsageError(`--decode-as '${item}': expected PORT=PROTOCOL, e.g. 48010=opcua or tcp:48010=opcua`);
    out[`${m[1]?.toLowerCase() ?? ''}${m[2]}`] = m[3]!.toLowerCase();
  }
  try {
    createRegistry(defaultDissectors, { decodeAs: out });
  } catch (e) {
    throw new UsageError(`--decode-as: ${(e as Error).message}`);
  }
  return out;
}
