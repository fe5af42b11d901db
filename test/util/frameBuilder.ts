/** Builds Ethernet/IPv4 TCP and UDP frames and CaptureRecords for tests (checksums left 0). */
import { newCaptureRecord, type CaptureRecord } from '../../src/ingest/record.js';

export function ip4(s: string): number[] {
  return s.split('.').map(Number);
}

export interface TcpOpts {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: number;
  payload?: Buffer;
  srcMac?: number[];
  dstMac?: number[];
}

export function tcpFrame(o: TcpOpts): Buffer {
  const payload = o.payload ?? Buffer.alloc(0);
  const f = Buffer.alloc(14 + 20 + 20 + payload.length);
  Buffer.from(o.dstMac ?? [0, 0x1d, 0x9c, 0, 0, 2]).copy(f, 0);
  Buffer.from(o.srcMac ?? [0, 0x1d, 0x9c, 0, 0, 1]).copy(f, 6);
  f.writeUInt16BE(0x0800, 12);
  f[14] = 0x45;
  f.writeUInt16BE(20 + 20 + payload.length, 16);
  f[22] = 64;
  f[23] = 6;
  Buffer.from(ip4(o.src)).copy(f, 26);
  Buffer.from(ip4(o.dst)).copy(f, 30);
  f.writeUInt16BE(o.sport, 34);
  f.writeUInt16BE(o.dport, 36);
  f.writeUInt32BE(o.seq >>> 0, 38);
  f.writeUInt32BE((o.ack ?? 0) >>> 0, 42);
  f[46] = 0x50;
  f[47] = o.flags;
  f.writeUInt16BE(65535, 48);
  payload.copy(f, 54);
  return f;
}

export function udpFrame(o: { src: string; dst: string; sport: number; dport: number; payload: Buffer }): Buffer {
  const f = Buffer.alloc(14 + 20 + 8 + o.payload.length);
  Buffer.from([0, 0x1d, 0x9c, 0, 0, 2]).copy(f, 0);
  Buffer.from([0, 0x1d, 0x9c, 0, 0, 1]).copy(f, 6);
  f.writeUInt16BE(0x0800, 12);
  f[14] = 0x45;
  f.writeUInt16BE(20 + 8 + o.payload.length, 16);
  f[22] = 64;
  f[23] = 17;
  Buffer.from(ip4(o.src)).copy(f, 26);
  Buffer.from(ip4(o.dst)).copy(f, 30);
  f.writeUInt16BE(o.sport, 34);
  f.writeUInt16BE(o.dport, 36);
  f.writeUInt16BE(8 + o.payload.length, 38);
  o.payload.copy(f, 42);
  return f;
}

/** A CaptureRecord over `frame` at time `ts` (float seconds). */
export function record(frame: Buffer, ts: number, frameNo = 1): CaptureRecord {
  const r = newCaptureRecord();
  r.data = frame;
  r.offset = 0;
  r.caplen = frame.length;
  r.origlen = frame.length;
  r.tsSec = Math.floor(ts);
  r.tsNsec = Math.round((ts - Math.floor(ts)) * 1e9);
  r.linktype = 1;
  r.frame = frameNo;
  return r;
}

/** A Modbus/TCP ADU: MBAP (transaction id, protocol 0, length, unit) + PDU bytes. */
export function modbusAdu(tid: number, unit: number, pdu: number[]): Buffer {
  const b = Buffer.alloc(7 + pdu.length);
  b.writeUInt16BE(tid, 0);
  b.writeUInt16BE(0, 2);
  b.writeUInt16BE(pdu.length + 1, 4);
  b[6] = unit;
  Buffer.from(pdu).copy(b, 7);
  return b;
}
