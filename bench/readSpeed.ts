/**
 * Reader throughput: generates a classic pcap of small packets (60-120 B, like Modbus/TCP polling)
 * into os.tmpdir(), then iterates its records with an empty callback, page-cached, several times.
 *
 *   npx tsc --outDir /tmp/zsbench --module esnext --target es2022 --moduleResolution bundler \
 *     --types node --skipLibCheck bench/readSpeed.ts && node /tmp/zsbench/bench/readSpeed.js [MB] [runs]
 *
 * Prints MB/s and packets/s per run; the generated file is removed at the end.
 */
import { open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureFile } from '../src/ingest/readCapture.js';

async function generate(path: string, targetBytes: number): Promise<number> {
  const fh = await open(path, 'w');
  const chunk = Buffer.alloc(8 * 1024 * 1024);
  let pos = 0;
  // Global header, draft-ietf-opsawg-pcap §4: µs, 2.4, snaplen 262144, Ethernet.
  chunk.writeUInt32LE(0xa1b2c3d4, 0);
  chunk.writeUInt16LE(2, 4);
  chunk.writeUInt16LE(4, 6);
  chunk.writeUInt32LE(262144, 16);
  chunk.writeUInt32LE(1, 20);
  pos = 24;
  let written = 0;
  let packets = 0;
  let sec = 1700000000;
  let usec = 0;
  let seed = 12345;
  while (written + pos < targetBytes) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const len = 60 + (seed % 61);
    if (pos + 16 + len > chunk.length) {
      await fh.write(chunk, 0, pos);
      written += pos;
      pos = 0;
    }
    usec += 97;
    if (usec >= 1e6) {
      usec -= 1e6;
      sec++;
    }
    chunk.writeUInt32LE(sec, pos);
    chunk.writeUInt32LE(usec, pos + 4);
    chunk.writeUInt32LE(len, pos + 8);
    chunk.writeUInt32LE(len, pos + 12);
    chunk.fill(packets & 0xff, pos + 16, pos + 16 + len);
    pos += 16 + len;
    packets++;
  }
  await fh.write(chunk, 0, pos);
  await fh.close();
  return packets;
}

async function main(): Promise<void> {
  const mb = Number(process.argv[2] ?? 300);
  const runs = Number(process.argv[3] ?? 5);
  const path = join(tmpdir(), `zonescope-readspeed-${process.pid}.pcap`);
  try {
    const packets = await generate(path, mb * 1e6);
    const size = (await stat(path)).size;
    console.log(`generated ${path}: ${(size / 1e6).toFixed(1)} MB, ${packets} packets`);
    let sink = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      const s = await readCaptureFile(path, (rec) => {
        sink += rec.caplen;
      });
      const dt = Number(process.hrtime.bigint() - t0) / 1e9;
      if (s.records !== packets) throw new Error(`read ${s.records} records, wrote ${packets}`);
      console.log(
        `run ${i + 1}: ${dt.toFixed(3)} s, ${(size / 1e6 / dt).toFixed(0)} MB/s, ${(packets / dt / 1e6).toFixed(2)} M packets/s`,
      );
    }
    if (sink === 0) console.log('empty');
  } finally {
    await rm(path, { force: true });
  }
}

await main();
