/**
 * The real captures of fixtures/captures as one bench input: every Ethernet record of every capture
 * (pcap and pcapng, read with zonescope's own reader), written to one classic pcap, the whole set
 * repeated with each copy shifted by a day until the file holds `bytes`. Real traffic's odd shapes
 * (BACnet, DNP3, IEC 104, MMS, S7comm Plus, encrypted OPC UA, gaps) at a size worth timing.
 */
import { closeSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../src/ingest/readCapture.js';

function captureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...captureFiles(p));
    else if (/\.pcap(ng)?$/.test(e)) out.push(p);
  }
  return out;
}

export async function writeRealCaptures(dir: string, path: string, bytes: number): Promise<{ bytes: number; frames: number; copies: number }> {
  // One copy in memory: [tsSec, tsUsec, caplen, origlen] headers and bytes of every Ethernet record.
  const heads: number[] = [];
  const datas: Buffer[] = [];
  for (const f of captureFiles(dir)) {
    await readCaptureFile(f, (rec) => {
      if (rec.linktype !== 1) return;
      heads.push(rec.tsSec, Math.floor(rec.tsNsec / 1000), rec.caplen, rec.origlen);
      datas.push(Buffer.from(rec.data.subarray(rec.offset, rec.offset + rec.caplen)));
    });
  }
  const fd = openSync(path, 'w');
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  writeSync(fd, header);
  let written = 24;
  let frames = 0;
  let copies = 0;
  const out = Buffer.alloc(8 << 20);
  for (; written < bytes && datas.length > 0; copies++) {
    let o = 0;
    for (let i = 0; i < datas.length; i++) {
      const d = datas[i]!;
      if (o + 16 + d.length > out.length) {
        writeSync(fd, out, 0, o);
        written += o;
        o = 0;
      }
      out.writeUInt32LE((heads[4 * i]! + copies * 86400) >>> 0, o);
      out.writeUInt32LE(heads[4 * i + 1]!, o + 4);
      out.writeUInt32LE(heads[4 * i + 2]!, o + 8);
      out.writeUInt32LE(heads[4 * i + 3]!, o + 12);
      d.copy(out, o + 16);
      o += 16 + d.length;
      frames++;
    }
    writeSync(fd, out, 0, o);
    written += o;
  }
  closeSync(fd);
  return { bytes: written, frames, copies };
}
