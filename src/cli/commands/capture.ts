/**
 * `zonescope capture --interface IF`: a live SPAN/mirror port into the same baseline as `ingest`,
 * committed every interval. SIGINT/SIGTERM (or --duration) end it normally: the interval under way is
 * committed, every connection closed, exit 0.
 */
import type { Argv } from 'yargs';
import { Baseline } from '../../baseline/baseline.js';
import { formatDiagnostic } from '../../diagnostics.js';
import { LiveCaptureError } from '../../ingest/liveCapture.js';
import { ingestSources } from '../../pipeline/ingestCaptures.js';
import { liveSource } from '../../pipeline/liveSource.js';
import { exitCode } from '../exitCode.js';
import { bytes, num } from '../format.js';
import { CliInputError, UsageError, type CliContext, type Command } from './command.js';

interface CaptureArgs {
  interface: string;
  filter?: string;
  duration?: number;
  'commit-every': number;
  buffer: number;
  db: string;
  quiet: boolean;
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
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no status line' }),
  async run(a: CaptureArgs, ctx: CliContext): Promise<number> {
    const positive = (name: string, v: number | undefined, max: number): void => {
      if (v !== undefined && (!Number.isFinite(v) || v <= 0 || v > max)) throw new UsageError(`--${name} ${v}: expected a number above 0 and at most ${max}`);
    };
    positive('duration', a.duration, 365 * 86400);
    positive('commit-every', a['commit-every'], 86400);
    positive('buffer', a.buffer, 4096);
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const source = liveSource({
      interface: a.interface,
      filter: a.filter,
      bufferSize: Math.round(a.buffer * 1024 * 1024),
      commitEveryMs: a['commit-every'] * 1000,
      durationMs: a.duration !== undefined ? a.duration * 1000 : undefined,
      signal: stop.signal,
      onStart: () => {
        if (!a.quiet) ctx.err(`zonescope: capturing on ${a.interface} into ${a.db}${a.filter ? ` (filter: ${a.filter})` : ''}; Ctrl-C stops and keeps everything\n`);
      },
    });
    const baseline = Baseline.open(a.db, { onWait: (m) => ctx.err(`${m}\n`) });
    const t0 = Date.now();
    let status: NodeJS.Timeout | undefined;
    const tty = ctx.stderrIsTTY && !a.quiet;
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
        onDiagnostic: (d) => {
          if (tty) ctx.err('\r\x1b[K');
          ctx.err(`${formatDiagnostic(d)}\n`);
        },
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
