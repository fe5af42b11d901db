/**
 * Test helper: the TCP payloads of a capture, as tshark sees them, put back in sequence order per
 * direction and framed into PDUs with a dissector's pduLength(). A small stand-in for the reassembly
 * stage: retransmitted bytes are taken once, out-of-order segments wait for the gap to fill, and a
 * gap that never fills stops framing that direction (as src/reassembly does).
 */
import { tsharkFields as fieldRows } from '../../util/tshark.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER } from '../../../src/dissectors/types.js';

export interface FramedPdu {
  /** Frame (1-based, as Wireshark numbers them) that carried the last byte of the PDU. */
  frame: number;
  /** tshark's tcp.stream index. */
  stream: number;
  dir: number;
  pdu: Buffer;
}

export interface StreamSummary {
  stream: number;
  clientPort: number;
  serverPort: number;
  /** The first payload bytes seen in each direction (for heuristic tests), [toServer, toClient]. */
  firstPayload: [Buffer | undefined, Buffer | undefined];
  /** Bytes left unframed at the end, per direction (a partial PDU or a stream pduLength rejected). */
  leftover: [number, number];
  /** pduLength returned -1 in this direction. */
  rejected: [boolean, boolean];
  /** A gap that never filled stopped this direction. */
  gap: [boolean, boolean];
}

export interface CaptureStreams {
  pdus: FramedPdu[];
  streams: Map<number, StreamSummary>;
}

export type PduLength = (buf: Buffer, off: number, avail: number) => number;

interface DirState {
  next: number;
  started: boolean;
  data: Buffer;
  pending: Map<number, { frame: number; bytes: Buffer }>;
  dead: boolean;
  rejected: boolean;
}

function newDir(): DirState {
  return { next: 0, started: false, data: Buffer.alloc(0), pending: new Map(), dead: false, rejected: false };
}

/** tshark -T fields rows, `extraArgs` placed after `-r FILE` (see test/util/tshark.ts). */
export function tsharkFields(file: string, fields: string[], extraArgs: string[] = []): string[][] {
  return fieldRows(file, fields, { extra: extraArgs });
}

/**
 * Reads `file` with tshark and frames every TCP stream with `pduLength`. The server side is the SYN's
 * destination; without a SYN, the side using one of `serverPorts` (else the lower port).
 */
export function captureStreams(file: string, pduLength: PduLength, serverPorts: readonly number[]): CaptureStreams {
  const rows = tsharkFields(file, [
    'frame.number',
    'tcp.stream',
    'tcp.srcport',
    'tcp.dstport',
    'tcp.seq',
    'tcp.flags.syn',
    'tcp.flags.ack',
    'tcp.payload',
  ], ['-Y', 'tcp']);
  const pdus: FramedPdu[] = [];
  const streams = new Map<number, StreamSummary>();
  const dirs = new Map<number, [DirState, DirState]>();

  for (const [frameS, streamS, srcS, dstS, seqS, synS, ackS, hex] of rows) {
    const frame = Number(frameS);
    const stream = Number(streamS);
    const src = Number(srcS);
    const dst = Number(dstS);
    const seq = Number(seqS);
    const syn = synS === '1' || synS === 'True';
    const ack = ackS === '1' || ackS === 'True';
    let s = streams.get(stream);
    if (!s) {
      let serverPort: number;
      if (syn && !ack) serverPort = dst;
      else if (syn && ack) serverPort = src;
      else serverPort = serverPorts.includes(dst) ? dst : serverPorts.includes(src) ? src : Math.min(src, dst);
      s = {
        stream,
        serverPort,
        clientPort: serverPort === dst ? src : dst,
        firstPayload: [undefined, undefined],
        leftover: [0, 0],
        rejected: [false, false],
        gap: [false, false],
      };
      streams.set(stream, s);
      dirs.set(stream, [newDir(), newDir()]);
    }
    const dir = dst === s.serverPort && src === s.clientPort ? DIR_TO_SERVER : DIR_TO_CLIENT;
    const d = dirs.get(stream)![dir]!;
    if (syn) {
      d.next = seq + 1;
      d.started = true;
      continue;
    }
    if (!hex) continue;
    const bytes = Buffer.from(hex.replace(/:/g, ''), 'hex');
    if (!s.firstPayload[dir]) s.firstPayload[dir] = bytes;
    if (d.dead || d.rejected) continue;
    if (!d.started) {
      d.next = seq;
      d.started = true;
    }
    if (seq > d.next) {
      if (!d.pending.has(seq)) d.pending.set(seq, { frame, bytes });
      continue;
    }
    append(d, seq, bytes);
    // Out-of-order segments that now fit.
    for (let moved = true; moved; ) {
      moved = false;
      for (const [pseq, p] of d.pending) {
        if (pseq <= d.next) {
          d.pending.delete(pseq);
          append(d, pseq, p.bytes);
          moved = true;
        }
      }
    }
    frameOut(d, pduLength, (pdu) => pdus.push({ frame, stream, dir, pdu }));
  }
  for (const [stream, [a, b]] of dirs) {
    const s = streams.get(stream)!;
    s.leftover = [a.data.length, b.data.length];
    s.rejected = [a.rejected, b.rejected];
    s.gap = [a.pending.size > 0, b.pending.size > 0];
  }
  return { pdus, streams };
}

function append(d: DirState, seq: number, bytes: Buffer): void {
  const skip = d.next - seq; // bytes already seen (retransmission or overlap)
  if (skip >= bytes.length) return;
  d.data = Buffer.concat([d.data, bytes.subarray(skip)]);
  d.next += bytes.length - skip;
}

function frameOut(d: DirState, pduLength: PduLength, emit: (pdu: Buffer) => void): void {
  let pos = 0;
  for (;;) {
    const avail = d.data.length - pos;
    if (avail === 0) break;
    const n = pduLength(d.data, pos, avail);
    if (n < 0) {
      d.rejected = true;
      break;
    }
    if (n === 0 || n > avail) break;
    emit(Buffer.from(d.data.subarray(pos, pos + n)));
    pos += n;
  }
  d.data = d.data.subarray(pos);
}
