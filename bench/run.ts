/**
 * `npm run bench`: generates (never commits) captures of typical OT traffic (small Modbus/TCP,
 * EtherNet/IP + CIP, S7comm and OPC UA packets among a few hundred hosts) and measures, in one run on
 * the same files:
 *   - zonescope: read only, read + aggregate (no dissectors), full ingest (all dissectors), and the
 *     real ingest path into a SQLite baseline; MB/s, packets/s, peak memory (each in its own process);
 *   - `tcpdump -r F -w /dev/null` on the same file;
 *   - tshark extracting the ICS fields on a slice of it (tshark is ~50x slower: a slice keeps the
 *     run short; its MB/s is compared with ours on the whole file);
 *   - the ratios against the targets: read + aggregate within 3x tcpdump's time, full ingest within 4x
 *     tcpdump's time and at least 50x faster than tshark, peak memory for 1 GB within 1.5x of the peak
 *     for 100 MB.
 * Environment: ZONESCOPE_BENCH_BYTES (default 1e9), ZONESCOPE_BENCH_DIR (default $TMPDIR/zonescope-bench),
 * ZONESCOPE_BENCH_RUNS (best of N for the runs behind the ratios, default 5).
 * Exit code 1 when a target is missed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchCapture } from '../fixtures/generator/bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const BIG = Number(process.env.ZONESCOPE_BENCH_BYTES ?? 1e9);
const SMALL = 1e8;
/** Best of N for the runs behind the ratios (this host is shared: timings vary by about 20%). */
const RUNS = Number(process.env.ZONESCOPE_BENCH_RUNS ?? 5);
const HOSTS = 300;
const SEED = 62443;
const dir = process.env.ZONESCOPE_BENCH_DIR ?? join(tmpdir(), 'zonescope-bench');

interface Measure {
  mode: string;
  ms: number;
  packets: number;
  bytes: number;
  flows: number;
  maxRssMB: number;
}

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

async function generate(bytes: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `ot-${HOSTS}h-${SEED}-${bytes}.pcap`);
  const marker = `${path}.done`;
  // Generation is deterministic (same seed, same bytes), so a finished file can be reused.
  if (existsSync(marker) && existsSync(path) && readFileSync(marker, 'utf8') === String(statSync(path).size)) return path;
  const t0 = Date.now();
  await writeBenchCapture(path, { bytes, hosts: HOSTS, seed: SEED });
  writeFileSync(marker, String(statSync(path).size));
  log(`generated ${path} (${(statSync(path).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return path;
}

function ingestOnce(file: string, mode: string): Measure {
  const out = execFileSync(process.execPath, [join(here, 'ingestOnce.js'), file, mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

function best(file: string, mode: string, runs = RUNS): Measure {
  const all: Measure[] = [];
  for (let i = 0; i < runs; i++) all.push(ingestOnce(file, mode));
  const fastest = all.reduce((a, b) => (b.ms < a.ms ? b : a));
  // Time: the fastest run (least disturbed); memory: the largest peak seen.
  return { ...fastest, maxRssMB: Math.max(...all.map((m) => m.maxRssMB)) };
}

function timeCommand(cmd: string, args: string[], runs = RUNS): number {
  let bestMs = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr?.toString()}`);
    bestMs = Math.min(bestMs, ms);
  }
  return bestMs;
}

const TSHARK_FIELDS = [
  'modbus.func_code', 'enip.command', 'cip.sc', 's7comm.param.func', 's7comm.param.userdata.subfunc',
  'opcua.servicenodeid.numeric', 'opcua.transport.type',
];

async function main(): Promise<void> {
  const big = await generate(BIG);
  const small = await generate(SMALL);
  const bigSize = statSync(big).size;

  log('measuring tcpdump ...');
  const tcpdumpMs = timeCommand('tcpdump', ['-r', big, '-w', '/dev/null']);

  log('measuring zonescope ...');
  const read = best(big, 'read', 2);
  const aggregate = best(big, 'aggregate');
  const full = best(big, 'full', 2);
  const cli = best(big, 'cli');
  const cli1 = best(big, 'cli1', 1);
  const smallCli = best(small, 'cli', 1);

  // tshark on a slice of about 20 MB of the same traffic.
  const slice = join(dir, 'slice.pcap');
  const slicePackets = Math.max(1000, Math.round((full.packets * 20e6) / bigSize));
  execFileSync('editcap', ['-r', big, slice, `1-${slicePackets}`]);
  const sliceSize = statSync(slice).size;
  log(`measuring tshark on a ${(sliceSize / 1e6).toFixed(0)} MB slice ...`);
  const fieldArgs = TSHARK_FIELDS.flatMap((f) => ['-e', f]);
  const tsharkMs = timeCommand('tshark', ['-n', '-r', slice, '-T', 'fields', ...fieldArgs], 1);

  const mbps = (bytes: number, ms: number): number => bytes / 1e3 / ms;
  const rows: Array<[string, string, number, number, number, number | null]> = [
    ['tcpdump -r F -w /dev/null', `${(bigSize / 1e6).toFixed(0)} MB`, tcpdumpMs, mbps(bigSize, tcpdumpMs), (full.packets / tcpdumpMs) / 1e3, null],
    ['zonescope read only', `${(bigSize / 1e6).toFixed(0)} MB`, read.ms, mbps(bigSize, read.ms), read.packets / read.ms / 1e3, read.maxRssMB],
    ['zonescope read + decode + aggregate', `${(bigSize / 1e6).toFixed(0)} MB`, aggregate.ms, mbps(bigSize, aggregate.ms), aggregate.packets / aggregate.ms / 1e3, aggregate.maxRssMB],
    ['zonescope full dissection', `${(bigSize / 1e6).toFixed(0)} MB`, full.ms, mbps(bigSize, full.ms), full.packets / full.ms / 1e3, full.maxRssMB],
    ['zonescope ingest into SQLite, 1 thread', `${(bigSize / 1e6).toFixed(0)} MB`, cli1.ms, mbps(bigSize, cli1.ms), cli1.packets / cli1.ms / 1e3, cli1.maxRssMB],
    ['zonescope ingest into SQLite (default: 2 worker threads)', `${(bigSize / 1e6).toFixed(0)} MB`, cli.ms, mbps(bigSize, cli.ms), cli.packets / cli.ms / 1e3, cli.maxRssMB],
    ['zonescope ingest into SQLite (default)', `${(statSync(small).size / 1e6).toFixed(0)} MB`, smallCli.ms, mbps(statSync(small).size, smallCli.ms), smallCli.packets / smallCli.ms / 1e3, smallCli.maxRssMB],
    ['tshark -T fields (ICS fields)', `${(sliceSize / 1e6).toFixed(0)} MB slice`, tsharkMs, mbps(sliceSize, tsharkMs), slicePackets / tsharkMs / 1e3, null],
  ];
  const lines = [
    `| run | input | time (ms) | MB/s | Mpackets/s | peak RSS (MB) |`,
    `|---|---|---|---|---|---|`,
    ...rows.map(([a, b, ms, m, p, rss]) => `| ${a} | ${b} | ${ms.toFixed(0)} | ${m.toFixed(0)} | ${p.toFixed(2)} | ${rss === null ? '-' : rss.toFixed(0)} |`),
  ];
  const checks: Array<[string, number, string, boolean]> = [
    ['read + aggregate time / tcpdump time', aggregate.ms / tcpdumpMs, '<= 3', aggregate.ms / tcpdumpMs <= 3],
    ['full ingest (SQLite) time / tcpdump time', cli.ms / tcpdumpMs, '<= 4', cli.ms / tcpdumpMs <= 4],
    ['ingest MB/s / tshark MB/s (tshark on a slice of the same traffic)', mbps(bigSize, cli.ms) / mbps(sliceSize, tsharkMs), '>= 50', mbps(bigSize, cli.ms) / mbps(sliceSize, tsharkMs) >= 50],
    ['peak RSS 1 GB / peak RSS 100 MB (ingest)', cli.maxRssMB / smallCli.maxRssMB, '<= 1.5', cli.maxRssMB / smallCli.maxRssMB <= 1.5],
  ];
  lines.push('', '| ratio | value | target | |', '|---|---|---|---|');
  for (const [name, v, target, ok] of checks) lines.push(`| ${name} | ${v.toFixed(2)} | ${target} | ${ok ? 'ok' : 'MISSED'} |`);
  lines.push('', `packets: ${full.packets.toLocaleString('en-US')} in ${(bigSize / 1e6).toFixed(0)} MB, flows: ${cli.flows}; node ${process.version}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(join(dir), { recursive: true });
  writeFileSync(join(dir, 'results.md'), `${lines.join('\n')}\n`);
  if (checks.some((c) => !c[3])) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 3;
});
