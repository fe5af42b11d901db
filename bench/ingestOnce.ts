/**
 * One measured ingest, in its own process so that its peak memory is its own:
 *   node dist/bench/ingestOnce.js <capture> <mode> [db]
 * modes: `read` (reader only), `aggregate` (read + L2-L4 decode + flow aggregation, no dissectors),
 * `full` (read + decode + reassembly + every dissector + aggregation, one thread), `cli` (the real
 * `zonescope ingest` library path into a fresh SQLite baseline, default worker threads), `cli1`,
 * `cli2`, `cli3` (the same with that many threads: 1 is this thread alone). Prints one JSON line.
 */
import { rmSync } from 'node:fs';
import { Baseline } from '../src/baseline/baseline.js';
import { ingestCaptures } from '../src/pipeline/ingestCaptures.js';
import { decodePacket } from '../src/decode/decodePacket.js';
import { DecodedPacket } from '../src/decode/packet.js';
import { defaultDissectors } from '../src/dissectors/index.js';
import { createRegistry } from '../src/dissectors/registry.js';
import { FlowAggregator } from '../src/flows/flowAggregator.js';
import { readCaptureFile } from '../src/ingest/readCapture.js';
import type { CaptureRecord } from '../src/ingest/record.js';

async function main(): Promise<void> {
  const [file, mode, db] = process.argv.slice(2);
  if (!file || !mode) throw new Error('usage: ingestOnce <capture> <read|aggregate|full|cli> [db]');
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let packets = 0;
  let bytes = 0;
  let flows = 0;
  if (mode === 'cli' || /^cli\d$/.test(mode)) {
    const path = db ?? `${file}.bench.db`;
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    const b = Baseline.open(path);
    const r = await ingestCaptures(b, [file], mode === 'cli' ? {} : { workers: Number(mode.slice(3)) });
    packets = r.frames;
    bytes = b.reader().captures().reduce((s, c) => s + c.size, 0);
    flows = b.reader().overview().flows;
    b.close();
  } else {
    const pkt = new DecodedPacket();
    const agg = new FlowAggregator({ registry: createRegistry(mode === 'full' ? defaultDissectors : []) });
    let cb: (r: CaptureRecord) => void;
    if (mode === 'read') cb = () => void packets++;
    else cb = (r) => {
      agg.onPacket(r, pkt, decodePacket(r, pkt));
      packets++;
    };
    const s = await readCaptureFile(file, cb, {});
    bytes = s.bytes;
    flows = agg.takeBatch(true).flows.length;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  // CPU time of every thread of the process (user + system): steadier than wall time on a shared host.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ mode, ms, cpuMs, packets, bytes, flows, maxRssMB })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 3;
});
