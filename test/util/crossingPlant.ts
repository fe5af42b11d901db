/**
 * A generated capture whose connections cross file boundaries (seeded): long Modbus/TCP polling
 * connections opened by a handshake, one picked up mid-stream, one closed by FIN, one that falls
 * silent past the idle timeout and comes back on the same 5-tuple (a new connection), a UDP
 * conversation, and a SYN scanner whose failed attempts pass the scan threshold only when counted over
 * the whole capture. frames() gives the frames in time order; writeSplit() cuts them into files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../fixtures/generator/rng.js';
import { modbusAdu, tcpFrame, udpFrame } from './frameBuilder.js';
import { buildPcap } from './pcap.js';

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;
const RST = 0x04;

export interface TimedFrame {
  ts: number;
  frame: Buffer;
}

/** 2026-01-01T00:00:00Z */
export const CROSSING_T0 = 1_767_225_600;

interface TcpSide {
  ip: string;
  port: number;
  seq: number;
}

class TcpConn {
  constructor(
    private readonly out: TimedFrame[],
    readonly c: TcpSide,
    readonly s: TcpSide,
  ) {}

  send(ts: number, fromClient: boolean, flags: number, payload?: Buffer): void {
    const a = fromClient ? this.c : this.s;
    const b = fromClient ? this.s : this.c;
    this.out.push({ ts, frame: tcpFrame({ src: a.ip, dst: b.ip, sport: a.port, dport: b.port, seq: a.seq, ack: b.seq, flags, payload }) });
    a.seq = (a.seq + (payload?.length ?? 0) + (flags & (SYN | FIN) ? 1 : 0)) >>> 0;
  }

  handshake(ts: number): void {
    this.send(ts, true, SYN);
    this.send(ts + 0.001, false, SYN | ACK);
    this.send(ts + 0.002, true, ACK);
  }

  /** One read holding registers request and its response. */
  poll(ts: number, tid: number, start: number, count: number): void {
    this.send(ts, true, PSH | ACK, modbusAdu(tid, 1, [3, start >> 8, start & 255, 0, count]));
    const data = [3, count * 2];
    for (let i = 0; i < count * 2; i++) data.push(i & 255);
    this.send(ts + 0.004, false, PSH | ACK, modbusAdu(tid, 1, data));
  }
}

/** The frames of the generated plant over `hours` of capture time, in time order. */
export function crossingFrames(seed: number, hours = 2): TimedFrame[] {
  const rng = new Rng(seed);
  const out: TimedFrame[] = [];
  const end = CROSSING_T0 + hours * 3600;
  // Modbus clients with a handshake: 10.1.0.11..16 -> 10.1.0.2:502, polling every 7-13 s.
  for (let i = 0; i < 6; i++) {
    const conn = new TcpConn(out, { ip: `10.1.0.${11 + i}`, port: 40000 + i, seq: rng.u32() }, { ip: '10.1.0.2', port: 502, seq: rng.u32() });
    let t = CROSSING_T0 + rng.int(1, 1200) + rng.float();
    conn.handshake(t);
    const closeAt = i === 0 ? CROSSING_T0 + hours * 1800 + rng.int(0, 600) : Infinity;
    let tid = 1;
    for (t += 1; t < end - 20; t += rng.int(7, 13) + rng.float()) {
      if (i === 1 && t > CROSSING_T0 + 1800 && t < CROSSING_T0 + 1800 + 3700) continue; // silent past the idle timeout
      if (t > closeAt) {
        conn.send(t, true, FIN | ACK);
        conn.send(t + 0.001, false, FIN | ACK);
        conn.send(t + 0.002, true, ACK);
        break;
      }
      conn.poll(t, tid++ & 0xffff, rng.int(0, 99) * 10, rng.int(1, 10));
    }
  }
  // A connection picked up mid-stream (no handshake): its first packet is a request.
  const mid = new TcpConn(out, { ip: '10.1.0.30', port: 41000, seq: rng.u32() }, { ip: '10.1.0.3', port: 502, seq: rng.u32() });
  for (let t = CROSSING_T0 + 5, tid = 1; t < end - 20; t += 11 + rng.float()) mid.poll(t, tid++, 100, 4);
  // A UDP conversation (syslog) every 30-90 s.
  for (let t = CROSSING_T0 + 3; t < end; t += rng.int(30, 90)) {
    out.push({ ts: t, frame: udpFrame({ src: '10.1.0.2', dst: '10.1.0.50', sport: 5514, dport: 514, payload: Buffer.from(`<13>poll ok ${t}`) }) });
  }
  // A scanner: 600 SYNs over the capture, refused (RST) or half-open (SYN-ACK then RST).
  for (let k = 0; k < 600; k++) {
    const t = CROSSING_T0 + 60 + (k * (hours * 3600 - 120)) / 600 + rng.float();
    const target = `10.1.0.${100 + (k % 50)}`;
    const port = 1 + Math.floor(k / 50);
    const conn = new TcpConn(out, { ip: '10.9.9.9', port: 50000 + k, seq: rng.u32() }, { ip: target, port, seq: rng.u32() });
    conn.send(t, true, SYN);
    if (k % 3 === 0) {
      conn.send(t + 0.001, false, SYN | ACK);
      conn.send(t + 0.002, true, RST);
    } else conn.send(t + 0.001, false, RST | ACK);
  }
  // Stable order: by time, then by generation order.
  return out.map((f, i) => ({ f, i })).sort((a, b) => a.f.ts - b.f.ts || a.i - b.i).map(({ f }) => f);
}

/** Write `frames` as one pcap file. */
export function writePcap(path: string, frames: readonly TimedFrame[]): void {
  writeFileSync(path, buildPcap(1, frames.map((f) => f.frame), 262144, frames.map((f) => f.ts)));
}

/**
 * Write `frames` into `dir` as `files` files of (about) equal frame counts (part-00000.pcap, ...), or,
 * with `seconds`, one file per slice of capture time; returns the paths in order.
 */
export function writeSplit(dir: string, frames: readonly TimedFrame[], by: { files?: number; seconds?: number }): string[] {
  const parts: TimedFrame[][] = [];
  if (by.files !== undefined) {
    const n = by.files;
    frames.forEach((f, i) => (parts[Math.floor((i * n) / frames.length)] ??= []).push(f));
  } else if (by.seconds !== undefined) {
    for (const f of frames) {
      const k = Math.floor((f.ts - frames[0]!.ts) / by.seconds);
      (parts[k] ??= []).push(f);
    }
  } else {
    parts.push([...frames]);
  }
  const paths: string[] = [];
  parts.forEach((p, i) => {
    if (p === undefined || p.length === 0) return;
    const path = join(dir, `part-${String(i).padStart(5, '0')}.pcap`);
    writePcap(path, p);
    paths.push(path);
  });
  return paths;
}
