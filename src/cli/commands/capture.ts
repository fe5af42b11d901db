/**
 * `zonescope capture --interface IF`: a live SPAN/mirror port into the same baseline as `ingest`,
 * committed every interval. SIGINT/SIGTERM (or --duration) end it normally: the interval under way is
 * committed, every connection closed, exit 0. With --write DIR, every packet is also kept in rotated
 * pcapng files (src/pipeline/liveEvidence.ts) that a later ingest does not count again.
 */
import { accessSync, constants, statSync } from 'node:fs';
import type { Argv } from 'yargs';
import { Baseline } from '../../baseline/baseline.js';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics.js';
import { LiveCaptureError } from '../../ingest/liveCapture.js';
import { ingestSources } from '../../pipeline/ingestCaptures.js';
import { liveSource } from '../../pipeline/liveSource.js';
import { exitCode } from '../exitCode.js';
import { bytes, num } from '../format.js';
import { zonescopeVersion } from '../version.js';
import { CliInputError, UsageError, type CliContext, type Command } from './command.js';

interface CaptureArgs {
  interface: string;
  filter?: string;
  duration?: number;
  'commit-every': number;
  buffer: number;
  db: string;
  quiet: boolean;
  write?: string;
  rotate?: string;
  keep?: number;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `30m`, `1h`, `1d`, `90s` or `90` (seconds) in milliseconds; null when it is none of these (or not 1 s .. 366 d). */
export function parseRotate(v: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/i.exec(v);
  if (!m) return null;
  const secs = Number(m[1]) * UNITS[(m[2] || 's').toLowerCase()]!;
  return secs >= 1 && secs <= 366 * 86400 ? Math.round(secs * 1000) : null;
}

/** The --write folder must exist and be writable before anything is captured. */
function checkWriteDir(dir: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new CliInputError(`LIVE_WRITE_DIR: --write ${dir}: no such folder: create it (mkdir -p ${dir}) or name another; nothing was captured`);
  }
  if (!isDir) throw new CliInputError(`LIVE_WRITE_DIR: --write ${dir}: not a folder: name a folder for the rotated pcapng files; nothing was captured`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new CliInputError(`LIVE_WRITE_DIR: --write ${dir}: this user cannot create files in it: make it writable or name another folder; nothing was captured`);
  }
}

export const captureCommand: Command = {
  name: 'capture',
  describe: 'capture a live interface (SPAN/mirror port) into the baseline; Ctrl-C stops it and keeps everything',
  builder: (y: Argv) =>
    y
      .option('interface', { alias: 'i', type: 'string', demandOption: true, describe: "interface to capture on (see 'zonescope interfaces')" })
      .option('filter', { type: 'string', describe: "BPF filter, e.g. 'not port 22'" })
      .option('duration', { type: 'number', describe: 'stop after S seconds (default: until Ctrl-C or SIGTERM)' })
      .option('commit-every', { type: 'number', default: 10, describe: 'commit to the store every S seconds (a crash loses at most that)' })
      .option('buffer', { type: 'number', default: 256, describe: "libpcap's kernel buffer in MiB (it absorbs the pauses while an interval is committed)" })
      .option('db', { type: 'string', default: './zonescope.db', describe: 'baseline store (SQLite)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no status line' })
      .option('write', { type: 'string', describe: 'also keep every packet in rotated pcapng files in this folder (zonescope-IF-START.pcapng); a later ingest of them adds nothing the capture stored' })
      .option('rotate', { type: 'string', describe: 'with --write: start a new file every interval, on its multiples in UTC: 30m, 1h, 1d, or seconds (default 1h)' })
      .option('keep', { type: 'number', describe: 'with --write: keep only the newest N of its own files in the folder, deleting the oldest' }),
  async run(a: CaptureArgs, ctx: CliContext): Promise<number> {
    const positive = (name: string, v: number | undefined, max: number): void => {
      if (v !== undefined && (!Number.isFinite(v) || v <= 0 || v > max)) throw new UsageError(`--${name} ${v}: expected a number above 0 and at most ${max}`);
    };
    positive('duration', a.duration, 365 * 86400);
    positive('commit-every', a['commit-every'], 86400);
    positive('buffer', a.buffer, 4096);
    if (a.write === undefined && (a.rotate !== undefined || a.keep !== undefined)) throw new UsageError('--rotate and --keep go with --write DIR');
    const rotateMs = a.rotate === undefined ? 3600_000 : parseRotate(a.rotate);
    if (rotateMs === null) throw new UsageError(`--rotate ${a.rotate}: expected an interval such as 30m, 1h, 1d or a number of seconds (1 s to 366 d)`);
    if (a.keep !== undefined && (!Number.isInteger(a.keep) || a.keep < 1 || a.keep > 1_000_000)) throw new UsageError(`--keep ${a.keep}: expected a whole number of files from 1 to 1000000`);
    if (a.write !== undefined) checkWriteDir(a.write);
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const baseline = Baseline.open(a.db, { onWait: (m) => ctx.err(`${m}\n`) });
    const tty = ctx.stderrIsTTY && !a.quiet;
    const printDiagnostic = (d: Diagnostic): void => {
      if (tty) ctx.err('\r\x1b[K');
      ctx.err(`${formatDiagnostic(d)}\n`);
    };
    const source = liveSource({
      interface: a.interface,
      filter: a.filter,
      bufferSize: Math.round(a.buffer * 1024 * 1024),
      commitEveryMs: a['commit-every'] * 1000,
      durationMs: a.duration !== undefined ? a.duration * 1000 : undefined,
      signal: stop.signal,
      evidence: a.write === undefined ? undefined : { dir: a.write, rotateMs, keep: a.keep, store: baseline, application: `zonescope ${zonescopeVersion()}` },
      onDiagnostic: printDiagnostic,
      onStart: () => {
        const writing = a.write === undefined ? '' : `, packets kept in ${a.write} (a file every ${a.rotate ?? '1h'}${a.keep !== undefined ? `, the newest ${a.keep}` : ''})`;
        if (!a.quiet) ctx.err(`zonescope: capturing on ${a.interface} into ${a.db}${a.filter ? ` (filter: ${a.filter})` : ''}${writing}; Ctrl-C stops and keeps everything\n`);
      },
    });
    const t0 = Date.now();
    let status: NodeJS.Timeout | undefined;
    let units = 0;
    try {
      if (tty) {
        let lastPackets = 0;
        let lastT = Date.now();
        status = setInterval(() => {
          const s = source.stats();
          const now = Date.now();
          const pps = ((s.packets - lastPackets) * 1000) / Math.max(1, now - lastT);
          lastPackets = s.packets;
          lastT = now;
          const line = ` ${a.interface}: ${num(s.packets)} packets, ${num(Math.round(pps))} pkt/s, ${bytes(s.bytes)}, ${units} commits, drops ${num((s.interfaceDrops ?? 0) + (s.notDelivered ?? 0))}`;
          ctx.err(`\r${line.slice(0, Math.max(20, ctx.columns - 1)).padEnd(Math.min(79, ctx.columns - 1))}`);
        }, 1000);
      }
      const result = await ingestSources(baseline, [source], {
        workers: 1,
        onProgress: (p) => {
          units = Math.max(units, p.file - 1);
        },
        onDiagnostic: printDiagnostic,
      });
      if (status) clearInterval(status);
      if (tty) ctx.err('\r\x1b[K');
      const s = source.stats();
      const secs = (Date.now() - t0) / 1000;
      const lines = [
        `zonescope: captured ${num(s.packets)} packets (${bytes(s.bytes)}) on ${a.interface} in ${secs.toFixed(1)} s into ${a.db}`,
        `  committed in ${result.files.length} intervals; flows touched: ${num(result.flows)}`,
        `  drops: ${s.interfaceDrops === null ? 'interface counter unreadable' : `${num(s.interfaceDrops)} by the interface`}` +
          (s.notDelivered === null ? ' (with a filter, undelivered packets cannot be counted)' : `, ${num(s.notDelivered)} not delivered to the capture`) +
          (s.truncated ? `, ${num(s.truncated)} cut to 65535 bytes` : ''),
      ];
      const ev = source.evidence();
      if (ev) {
        lines.push(
          `  evidence: ${num(ev.written)} pcapng file${ev.written === 1 ? '' : 's'} written in ${a.write}, ${num(ev.recorded)} recorded as live evidence (a later ingest adds nothing)` +
            (ev.deleted ? `; ${num(ev.deleted)} old file${ev.deleted === 1 ? '' : 's'} deleted (--keep ${a.keep})` : '') +
            (ev.failures ? `; ${num(ev.failures)} write failure${ev.failures === 1 ? '' : 's'} (LIVE_WRITE_FAILED above: the baseline is complete, the files are not)` : ''),
        );
      }
      ctx.err(`${lines.join('\n')}\n`);
      return exitCode({ inputFailed: result.failed });
    } catch (e) {
      if (e instanceof LiveCaptureError) throw new CliInputError(`${e.code}: ${e.message}`);
      throw e;
    } finally {
      if (status) clearInterval(status);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      baseline.close();
    }
  },
};
