/**
 * `npm run bench`: generates (never commits) captures and measures zonescope ingest beside
 * `tcpdump -r F -w /dev/null`, `ndpiReader -i F -q` (nDPI: flow classification) and tshark extracting
 * the ICS fields (on a slice, its MB/s compared), each tool in its own process under GNU time (peak
 * memory), the median of ZONESCOPE_BENCH_RUNS (5) interleaved runs with the range seen:
 *   - plant-shaped captures (fixtures/generator/benchPlant.ts: 300 hosts, short scheduled sessions of
 *     every generator protocol, class-1 I/O bursts; the time span grows with the size) of each size of
 *     ZONESCOPE_BENCH_PLANT (bytes, default "1e9,1e10"; the first is simulated, larger ones repeat it
 *     shifted in time): every tool on the first; the others (memory flat in size and time span)
 *     zonescope with two workers, once;
 *   - the real captures of fixtures/captures concatenated with time shifts (ZONESCOPE_BENCH_REAL bytes,
 *     default 2e8);
 *   - today's template conversations (fixtures/generator/bench.ts, ZONESCOPE_BENCH_BYTES, default 1e9);
 *   - the first plant-shaped capture as a rotated set of ZONESCOPE_BENCH_ROTATED (10) classic pcap
 *     files (editcap -c), zonescope with 1 and 2 threads;
 *   - ZONESCOPE_BENCH_SHORT (default 1e6) short Modbus/TCP connections among 20,000 hosts (live
 *     connections in the tens of thousands), once per worker count: peak memory.
 * Then the targets of issues 14 and 13 as ratios. Files go to ZONESCOPE_BENCH_DIR (default
 * $TMPDIR/zonescope-bench) and are reused when complete (generation is deterministic); results.md too.
 * Exit code 1 when a target is missed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchCapture } from '../fixtures/generator/bench.js';
import { repeatPlantCapture, writePlantBenchCapture } from '../fixtures/generator/benchPlant.js';
import { writeShortConnCapture } from '../fixtures/generator/benchShortConns.js';
import { interleaved, measureOnce, type Summary, type Tool } from './measure.js';
import { writeRealCaptures } from './realCaptures.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const RUNS = Number(process.env.ZONESCOPE_BENCH_RUNS ?? 5);
const PLANT = (process.env.ZONESCOPE_BENCH_PLANT ?? '1e9,1e10').split(',').map(Number).filter((n) => n > 0);
const REAL = Number(process.env.ZONESCOPE_BENCH_REAL ?? 2e8);
const TEMPLATE = Number(process.env.ZONESCOPE_BENCH_BYTES ?? 1e9);
const SHORT = Number(process.env.ZONESCOPE_BENCH_SHORT ?? 1e6);
/** Files the first plant-shaped capture is also measured as (a rotated set); 0 skips it. */
const ROTATED = Number(process.env.ZONESCOPE_BENCH_ROTATED ?? 10);
const HOSTS = 300;
const SEED = 62443;
const dir = process.env.ZONESCOPE_BENCH_DIR ?? join(tmpdir(), 'zonescope-bench');
const SLICE_BYTES = 20e6;

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

/** A generated file, reused when a marker says it was completed with this size. */
async function generated(name: string, make: (path: string) => Promise<unknown> | unknown): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const marker = `${path}.done`;
  if (existsSync(marker) && existsSync(path) && readFileSync(marker, 'utf8') === String(statSync(path).size)) return path;
  const t0 = Date.now();
  await make(path);
  writeFileSync(marker, String(statSync(path).size));
  log(`generated ${path} (${(statSync(path).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return path;
}

const TSHARK_FIELDS = [
  'modbus.func_code', 'enip.command', 'cip.sc', 's7comm.param.func', 's7comm.param.userdata.subfunc',
  'opcua.servicenodeid.numeric', 'opcua.transport.type', 'dnp3.al.func', 'iec60870_asdu.typeid', 'bacapp.confirmed_service',
];

function zs(file: string, mode: string): Tool {
  return { name: `zonescope ${mode}`, cmd: process.execPath, args: [join(here, 'ingestOnce.js'), file, mode, `${file}.bench.db`] };
}

interface Row {
  tool: string;
  input: string;
  s: Summary;
  /** Bytes the tool read (the slice for tshark). */
  bytes: number;
}

const mbps = (bytes: number, ms: number): number => bytes / 1e3 / ms;

function rowLine(r: Row): string {
  const range = r.s.runs > 1 ? ` (${(r.s.minMs / 1000).toFixed(2)}-${(r.s.maxMs / 1000).toFixed(2)})` : '';
  return `| ${r.tool} | ${r.input} | ${(r.s.wallMs / 1000).toFixed(2)}${range} | ${(r.s.cpuMs / 1000).toFixed(2)} | ${mbps(r.bytes, r.s.wallMs).toFixed(0)} | ${r.s.maxRssMB === null ? '-' : r.s.maxRssMB.toFixed(0)} | ${r.s.runs} |`;
}

/** Every tool on one capture, interleaved; tshark on a slice of it. */
function compare(file: string, label: string, zsModes: string[]): Row[] {
  const size = statSync(file).size;
  const first = JSON.parse(measureOnce(process.execPath, [join(here, 'ingestOnce.js'), file, 'read']).last) as { packets: number };
  // Beside the capture (a label may hold a slash: 'fixtures/captures concatenated').
  const slice = `${file}.slice.pcap`;
  execFileSync('editcap', ['-r', file, slice, `1-${Math.max(1000, Math.round((first.packets * SLICE_BYTES) / size))}`]);
  const sliceSize = statSync(slice).size;
  const tools: Tool[] = [
    { name: 'tcpdump', cmd: 'tcpdump', args: ['-r', file, '-w', '/dev/null'] },
    { name: 'ndpiReader', cmd: 'ndpiReader', args: ['-i', file, '-q'] },
    ...zsModes.map((m) => zs(file, m)),
    { name: 'tshark', cmd: 'tshark', args: ['-n', '-r', slice, '-T', 'fields', ...TSHARK_FIELDS.flatMap((f) => ['-e', f])] },
  ];
  log(`measuring ${label} (${(size / 1e6).toFixed(0)} MB): ${RUNS} interleaved runs of ${tools.map((t) => t.name).join(', ')}`);
  const res = interleaved(tools, RUNS, log);
  rmSync(slice, { force: true });
  removeStore(file);
  const input = `${label}, ${(size / 1e6).toFixed(0)} MB`;
  return [
    { tool: '`tcpdump -r F -w /dev/null`', input, s: res.get('tcpdump')!, bytes: size },
    { tool: '`ndpiReader -i F -q` (nDPI: flow classification, no function codes)', input, s: res.get('ndpiReader')!, bytes: size },
    ...zsModes.map((m) => ({ tool: zsLabel(m), input, s: res.get(`zonescope ${m}`)!, bytes: size })),
    { tool: 'tshark extracting the ICS fields (on a slice)', input: `${(sliceSize / 1e6).toFixed(0)} MB slice`, s: res.get('tshark')!, bytes: sliceSize },
  ];
}

function zsLabel(mode: string): string {
  return mode === 'cli1' ? 'zonescope ingest into SQLite, 1 thread' : `zonescope ingest into SQLite, ${mode.slice(3)} threads (--workers ${mode.slice(3)}: this one and ${Number(mode.slice(3)) - 1} worker)`;
}

function once(file: string, label: string, mode: string): Row {
  log(`measuring ${label}: ${zsLabel(mode)}, once`);
  const s = interleaved([zs(file, mode)], 1, log).get(`zonescope ${mode}`)!;
  removeStore(file);
  return { tool: zsLabel(mode), input: `${label}, ${(statSync(file).size / 1e6).toFixed(0)} MB`, s, bytes: statSync(file).size };
}

/** `source` split into `files` classic pcap files (editcap -c) in a folder beside it, made once; null for 0 files. */
function rotatedSet(source: string, files: number): { dir: string; bytes: number } | null {
  if (files <= 0) return null;
  const dir = `${source}.rotated-${files}`;
  const marker = `${dir}.done`;
  const sizeOf = (): number => readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  if (!(existsSync(marker) && existsSync(dir) && readFileSync(marker, 'utf8') === String(sizeOf()))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const packets = (JSON.parse(measureOnce(process.execPath, [join(here, 'ingestOnce.js'), source, 'read']).last) as { packets: number }).packets;
    execFileSync('editcap', ['-F', 'pcap', '-c', String(Math.ceil(packets / files)), source, join(dir, 'part.pcap')]);
    writeFileSync(marker, String(sizeOf()));
    log(`generated ${dir} (${readdirSync(dir).length} files)`);
  }
  return { dir, bytes: sizeOf() };
}

function removeStore(file: string): void {
  for (const ext of ['', '-wal', '-shm']) rmSync(`${file}.bench.db${ext}`, { force: true });
}

async function main(): Promise<void> {
  const lines: string[] = ['| tool | input | time s, median (range) | CPU s | MB/s | peak RSS MB | runs |', '|---|---|---|---|---|---|---|'];
  const checks: Array<[string, number, string, boolean]> = [];
  const rows: Row[] = [];

  // Plant-shaped captures: every tool on the first size, zonescope (2 threads) once on the others.
  // The first size is simulated; larger ones repeat it shifted in time (the same plant, a longer span).
  const plants: Array<{ bytes: number; path: string }> = [];
  for (const bytes of PLANT) {
    const base = plants[0]?.path;
    const path = base === undefined
      ? await generated(`plant-${HOSTS}h-${SEED}-${bytes}.pcap`, (p) => writePlantBenchCapture(p, { bytes, hosts: HOSTS, seed: SEED }))
      : await generated(`plant-${HOSTS}h-${SEED}-${PLANT[0]}x-${bytes}.pcap`, (p) => repeatPlantCapture(base, p, bytes));
    plants.push({ bytes, path });
  }
  if (plants.length > 0) {
    const p = compare(plants[0]!.path, 'plant-shaped', ['cli1', 'cli2']);
    rows.push(...p);
    const [tcpdump, ndpi, one, two, tshark] = p as [Row, Row, Row, Row, Row];
    checks.push(['plant: 2 threads time / tcpdump time', two.s.wallMs / tcpdump.s.wallMs, '<= 4', two.s.wallMs / tcpdump.s.wallMs <= 4]);
    checks.push(['plant: 2 threads MB/s / ndpiReader MB/s', ndpi.s.wallMs / two.s.wallMs, '>= 1', ndpi.s.wallMs / two.s.wallMs >= 1]);
    const vsTshark = mbps(two.bytes, two.s.wallMs) / mbps(tshark.bytes, tshark.s.wallMs);
    checks.push(['plant: 2 threads MB/s / tshark MB/s', vsTshark, '>= 50', vsTshark >= 50]);
    checks.push(['plant: 1 thread time / 2 threads time', one.s.wallMs / two.s.wallMs, '>= 1.7', one.s.wallMs / two.s.wallMs >= 1.7]);
    checks.push(['plant: 2 threads peak RSS (MB)', two.s.maxRssMB ?? NaN, '< 300', (two.s.maxRssMB ?? Infinity) < 300]);
    // The same capture as a rotated set (10 files, as `editcap -c` or a rotating sensor writes them):
    // each file read while the one before is finished and committed.
    const rotated = rotatedSet(plants[0]!.path, ROTATED);
    if (rotated !== null) {
      log(`measuring the plant-shaped capture in ${ROTATED} files: ${RUNS} interleaved runs of zonescope, 1 and 2 threads`);
      const res = interleaved([zs(rotated.dir, 'cli1'), zs(rotated.dir, 'cli2')], RUNS, log);
      removeStore(rotated.dir);
      const input = `plant-shaped in ${ROTATED} files, ${(rotated.bytes / 1e6).toFixed(0)} MB`;
      const r1 = { tool: zsLabel('cli1'), input, s: res.get('zonescope cli1')!, bytes: rotated.bytes };
      const r2 = { tool: zsLabel('cli2'), input, s: res.get('zonescope cli2')!, bytes: rotated.bytes };
      rows.push(r1, r2);
    }
    for (const other of plants.slice(1)) {
      const r = once(other.path, 'plant-shaped', 'cli2');
      rows.push(r);
      const ratio = (r.s.maxRssMB ?? NaN) / (two.s.maxRssMB ?? NaN);
      checks.push([`plant: peak RSS ${(other.bytes / 1e9).toFixed(0)} GB / ${(plants[0]!.bytes / 1e9).toFixed(0)} GB (2 threads)`, ratio, '<= 1.5', ratio <= 1.5]);
    }
  }

  if (REAL > 0) {
    const real = await generated(`real-captures-${REAL}.pcap`, (p) => writeRealCaptures(join(root, 'fixtures', 'captures'), p, REAL));
    rows.push(...compare(real, 'fixtures/captures concatenated', ['cli1', 'cli2']));
  }
  if (TEMPLATE > 0) {
    const tpl = await generated(`ot-${HOSTS}h-${SEED}-${TEMPLATE}.pcap`, (p) => writeBenchCapture(p, { bytes: TEMPLATE, hosts: HOSTS, seed: SEED }));
    rows.push(...compare(tpl, 'template conversations', ['cli1', 'cli2']));
  }
  if (SHORT > 0) {
    const short = await generated(`short-${SHORT}c-20000h.pcap`, (p) => writeShortConnCapture(p, { connections: SHORT, hosts: 20000, servers: 1000, spacingUs: 300, seed: SEED }));
    for (const mode of ['cli1', 'cli2']) {
      const r = once(short, `${SHORT.toLocaleString('en-US')} short Modbus connections, 20,000 hosts`, mode);
      rows.push(r);
      checks.push([`short connections: peak RSS (MB), ${zsLabel(mode)}`, r.s.maxRssMB ?? NaN, '< 600', (r.s.maxRssMB ?? Infinity) < 600]);
    }
  }

  lines.push(...rows.map(rowLine));
  lines.push('', '| target | value | wanted | |', '|---|---|---|---|');
  for (const [name, v, target, ok] of checks) lines.push(`| ${name} | ${v.toFixed(2)} | ${target} | ${ok ? 'ok' : 'MISSED'} |`);
  lines.push('', `node ${process.version}; ${RUNS} interleaved runs per compared row; load average at the end: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'results.md'), `${lines.join('\n')}\n`);
  if (checks.some((c) => !c[3])) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 3;
});
