/**
 * A tiny, test-only frame iterator for classic pcap (both byte orders, micro/nanosecond) and pcapng
 * (SHB/IDB/EPB/SPB/obsolete PB), reading the whole file into memory. It exists so that the decode tests
 * do not depend on the production reader (src/ingest/) and can serve as an independent reference.
 * The format is detected from the magic number, not the extension.
 */
import { readFileSync } from 'node:fs';
import { newCaptureRecord, type CaptureRecord } from '../../src/ingest/record.js';

/** Calls onRecord once per frame with ONE reused record (as the real readers do). */
export function readFrames(path: string, onRecord: (rec: CaptureRecord) => void): void {
  const buf = readFileSync(path);
  const rec = newCaptureRecord();
  rec.data = buf;
  const magicLE = buf.readUInt32LE(0);
  if (magicLE === 0x0a0d0d0a) {
    readPcapng(buf, rec, onRecord);
    return;
  }
  let le: boolean;
  let nano: boolean;
  if (magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d) {
    le = true;
    nano = magicLE === 0xa1b23c4d;
  } else {
    const magicBE = buf.readUInt32BE(0);
    if (magicBE !== 0xa1b2c3d4 && magicBE !== 0xa1b23c4d) throw new Error(`${path}: not a pcap/pcapng file`);
    le = false;
    nano = magicBE === 0xa1b23c4d;
  }
  const r32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  rec.linktype = r32(20) & 0xffff;
  let off = 24;
  let frame = 0;
  while (off + 16 <= buf.length) {
    const caplen = r32(off + 8);
    rec.tsSec = r32(off);
    rec.tsNsec = nano ? r32(off + 4) : r32(off + 4) * 1000;
    rec.caplen = caplen;
    rec.origlen = r32(off + 12);
    rec.offset = off + 16;
    rec.fileOffset = off;
    rec.frame = ++frame;
    if (off + 16 + caplen > buf.length) break;
    onRecord(rec);
    off += 16 + caplen;
  }
}

function readPcapng(buf: Buffer, rec: CaptureRecord, onRecord: (rec: CaptureRecord) => void): void {
  let off = 0;
  let le = true;
  let linktypes: number[] = [];
  let frame = 0;
  while (off + 12 <= buf.length) {
    const r32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    const r16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
    let type = buf.readUInt32LE(off);
    if (type === 0x0a0d0d0a) {
      le = buf.readUInt32LE(off + 8) === 0x1a2b3c4d;
      linktypes = [];
    }
    type = r32(off);
    const len = r32(off + 4);
    if (len < 12 || off + len > buf.length) break;
    if (type === 1) {
      linktypes.push(r16(off + 8));
    } else if (type === 6 || type === 2) {
      const ifid = type === 6 ? r32(off + 8) : r16(off + 8);
      rec.interfaceId = ifid;
      rec.linktype = linktypes[ifid] ?? -1;
      rec.caplen = r32(off + 20);
      rec.origlen = r32(off + 24);
      rec.offset = off + 28;
      rec.fileOffset = off;
      rec.frame = ++frame;
      onRecord(rec);
    } else if (type === 3) {
      rec.interfaceId = 0;
      rec.linktype = linktypes[0] ?? -1;
      rec.origlen = r32(off + 8);
      rec.caplen = Math.min(rec.origlen, len - 16);
      rec.offset = off + 12;
      rec.fileOffset = off;
      rec.frame = ++frame;
      onRecord(rec);
    }
    off += len;
  }
}

/** Writes a classic little-endian microsecond pcap of the given frames (for crafted-capture tests). */
export function buildPcap(linktype: number, frames: ReadonlyArray<Uint8Array>, snaplen = 262144): Buffer {
  const parts: Buffer[] = [];
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(snaplen, 16);
  hdr.writeUInt32LE(linktype, 20);
  parts.push(hdr);
  frames.forEach((f, i) => {
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(1700000000 + i, 0);
    rh.writeUInt32LE(f.length, 8);
    rh.writeUInt32LE(f.length, 12);
    parts.push(rh, Buffer.from(f));
  });
  return Buffer.concat(parts);
}
