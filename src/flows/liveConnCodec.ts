/**
 * The packed form of a chunk of live connections (liveState.ts, LiveConnPacker): each LiveConn as a
 * fixed record of float64 numbers (little-endian, its booleans as bits of one of them), its strings in
 * one JSON list, and the rare parts of variable shape (finished hours and PDU counters of a
 * connection whose first fold waits) in one v8.serialize'd list.
 *
 * Why not v8.serialize of each LiveConn: a v8 serializer keeps every object it wrote reachable until
 * the serializer itself is collected, which is at the next full collection, so exporting 50,000
 * connections kept 35 to 45 MB of LiveConn objects in old space per thread at a unit's end (issue 13
 * finding 8). Here the objects written are only read: they die young.
 *
 * The record lists every field of LiveConn, SessionCheckpoint and ReassemblerCheckpoint by name; a
 * field added to one of them must be added here (test/flows/liveConnCodec.test.ts fails until it is).
 */
import { deserialize, serialize } from 'node:v8';
import type { SessionCheckpoint } from '../dissectors/session.js';
import type { ReassemblerCheckpoint } from '../reassembly/tcpReassembler.js';
import type { InitiatorEvidence } from './conn.js';
import type { LiveConn, PendingPdus } from './liveState.js';

/** The fields the record holds, for the test that no field is left out. */
export const LIVE_CONN_FIELDS = [
  'version', 'addrA', 'addrB', 'portA', 'portB', 'proto', 'syn', 'isnA', 'isnB', 'firstFromA', 'protoClientIsA', 'originatorIsA',
  'initiatorIsA', 'evidence', 'protocol', 'flowKey', 'respPort', 'closeFlags', 'answeredA', 'answeredB', 'payloadSeen', 'counted',
  'firstTs', 'lastTs', 'hour', 'day', 'macA', 'macB', 'deltas', 'hours', 'pdus', 'session',
] as const;
export const SESSION_CHECKPOINT_FIELDS = ['protocol', 'dissector', 'serverPort', 'refined', 'carriedKnown', 'dead', 'dirA', 'dirB', 'ra', 'rb'] as const;
export const REASSEMBLER_CHECKPOINT_FIELDS = ['started', 'next', 'synced', 'skip', 'hasFin', 'finSeq'] as const;

/** Numbers per connection record (see add()). */
const REC = 43;
/** Strings per connection: evidence, protocol, flow key, session protocol, session dissector. */
const STRS = 5;
const DELTAS = 7;

// Bits of the flags number.
const FIRST_FROM_A = 1;
const ANSWERED_A = 2;
const ANSWERED_B = 4;
const PAYLOAD_SEEN = 8;
const COUNTED = 16;
const SESSION = 32;
const SESSION_TCP = 64;
const REFINED = 128;
const CARRIED_KNOWN = 256;
const DEAD = 512;
const NO_DISSECTOR = 1024;
const EXTRA = 2048;
/** Reassembler bits: side A's at RA, side B's at RB (present, started, synced, hasFin). */
const RA = 4096;
const RB = RA << 4;

type Extra = [index: number, hours: number[] | null, pdus: PendingPdus | null];

/** Writes one chunk's connections (add), then its bytes (finish; not deflated). */
export class LiveConnChunkWriter {
  private view = new DataView(new ArrayBuffer(REC * 8 * 64));
  private at = 0;
  private readonly strs: string[] = [];
  private readonly extra: Extra[] = [];
  count = 0;

  add(lc: LiveConn): void {
    if (this.at + REC * 8 > this.view.byteLength) {
      const bigger = new Uint8Array(this.view.byteLength * 2);
      bigger.set(new Uint8Array(this.view.buffer));
      this.view = new DataView(bigger.buffer);
    }
    const s = lc.session;
    const cp = s === null ? null : s.checkpoint;
    const hasExtra = lc.hours !== null || lc.pdus !== null;
    let flags = (lc.firstFromA ? FIRST_FROM_A : 0) | (lc.answeredA ? ANSWERED_A : 0) | (lc.answeredB ? ANSWERED_B : 0) |
      (lc.payloadSeen ? PAYLOAD_SEEN : 0) | (lc.counted ? COUNTED : 0) | (hasExtra ? EXTRA : 0);
    if (s !== null && cp !== null) {
      flags |= SESSION | (s.transport === 'tcp' ? SESSION_TCP : 0) | (cp.refined ? REFINED : 0) | (cp.carriedKnown ? CARRIED_KNOWN : 0) |
        (cp.dead ? DEAD : 0) | (cp.dissector === null ? NO_DISSECTOR : 0) | reassemblerBits(cp.ra, RA) | reassemblerBits(cp.rb, RB);
    }
    const v = this.view;
    let o = this.at;
    const put = (x: number): void => {
      v.setFloat64(o, x, true);
      o += 8;
    };
    put(flags);
    put(lc.version);
    for (let i = 0; i < 4; i++) put(lc.addrA[i]!);
    for (let i = 0; i < 4; i++) put(lc.addrB[i]!);
    put(lc.portA);
    put(lc.portB);
    put(lc.proto);
    put(lc.syn);
    put(lc.isnA);
    put(lc.isnB);
    put(lc.protoClientIsA);
    put(lc.originatorIsA);
    put(lc.initiatorIsA);
    put(lc.respPort);
    put(lc.closeFlags);
    put(lc.firstTs);
    put(lc.lastTs);
    put(lc.hour);
    put(lc.day);
    put(lc.macA);
    put(lc.macB);
    for (let i = 0; i < DELTAS; i++) put(lc.deltas[i]!);
    put(cp === null ? 0 : cp.serverPort);
    put(cp === null ? 0 : cp.dirA);
    put(cp === null ? 0 : cp.dirB);
    putReassembler(put, cp === null ? null : cp.ra);
    putReassembler(put, cp === null ? null : cp.rb);
    this.at = o;
    this.strs.push(lc.evidence, lc.protocol, lc.flowKey, cp === null ? '' : cp.protocol, cp === null || cp.dissector === null ? '' : cp.dissector);
    if (hasExtra) this.extra.push([this.count, lc.hours, lc.pdus]);
    this.count++;
  }

  /** The chunk: u32 LE sizes of the three parts, then the records, the strings (JSON) and the extras. */
  finish(): Buffer {
    const strs = Buffer.from(JSON.stringify(this.strs));
    const extra = this.extra.length === 0 ? Buffer.alloc(0) : serialize(this.extra);
    const head = Buffer.alloc(12);
    head.writeUInt32LE(this.at, 0);
    head.writeUInt32LE(strs.byteLength, 4);
    head.writeUInt32LE(extra.byteLength, 8);
    return Buffer.concat([head, new Uint8Array(this.view.buffer, 0, this.at), strs, extra]);
  }
}

function reassemblerBits(r: ReassemblerCheckpoint | null, at: number): number {
  return r === null ? 0 : at * (1 | (r.started ? 2 : 0) | (r.synced ? 4 : 0) | (r.hasFin ? 8 : 0));
}

function putReassembler(put: (x: number) => void, r: ReassemblerCheckpoint | null): void {
  put(r === null ? 0 : r.next);
  put(r === null ? 0 : r.skip);
  put(r === null ? 0 : r.finSeq);
}

function reassembler(flags: number, at: number, next: number, skip: number, finSeq: number): ReassemblerCheckpoint | null {
  const b = Math.floor(flags / at) & 15;
  if ((b & 1) === 0) return null;
  return { started: (b & 2) !== 0, next, synced: (b & 4) !== 0, skip, hasFin: (b & 8) !== 0, finSeq };
}

/** The connections of a chunk written by LiveConnChunkWriter, in order. */
export function* readLiveConnChunk(chunk: Uint8Array): Generator<LiveConn, void, undefined> {
  const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const recBytes = b.readUInt32LE(0);
  const strBytes = b.readUInt32LE(4);
  const extraBytes = b.readUInt32LE(8);
  if (recBytes % (REC * 8) !== 0 || 12 + recBytes + strBytes + extraBytes !== b.byteLength) throw new Error('live connections: a chunk of another shape');
  const v = new DataView(b.buffer, b.byteOffset + 12, recBytes);
  const strs = JSON.parse(b.toString('utf8', 12 + recBytes, 12 + recBytes + strBytes)) as string[];
  const extras = extraBytes === 0 ? [] : (deserialize(b.subarray(12 + recBytes + strBytes)) as Extra[]);
  const n = recBytes / (REC * 8);
  if (strs.length !== n * STRS) throw new Error('live connections: a chunk of another shape');
  let e = 0;
  let o = 0;
  const get = (): number => {
    const x = v.getFloat64(o, true);
    o += 8;
    return x;
  };
  for (let i = 0; i < n; i++) {
    const flags = get();
    const version = get();
    const addrA = [get(), get(), get(), get()];
    const addrB = [get(), get(), get(), get()];
    const portA = get();
    const portB = get();
    const proto = get();
    const syn = get();
    const isnA = get();
    const isnB = get();
    const protoClientIsA = get();
    const originatorIsA = get();
    const initiatorIsA = get();
    const respPort = get();
    const closeFlags = get();
    const firstTs = get();
    const lastTs = get();
    const hour = get();
    const day = get();
    const macA = get();
    const macB = get();
    const deltas: number[] = [];
    for (let k = 0; k < DELTAS; k++) deltas.push(get());
    const serverPort = get();
    const dirA = get();
    const dirB = get();
    const ra = reassembler(flags, RA, get(), get(), get());
    const rb = reassembler(flags, RB, get(), get(), get());
    const s = i * STRS;
    let session: LiveConn['session'] = null;
    if ((flags & SESSION) !== 0) {
      const checkpoint: SessionCheckpoint = {
        protocol: strs[s + 3]!, dissector: (flags & NO_DISSECTOR) !== 0 ? null : strs[s + 4]!, serverPort,
        refined: (flags & REFINED) !== 0, carriedKnown: (flags & CARRIED_KNOWN) !== 0, dead: (flags & DEAD) !== 0, dirA, dirB, ra, rb,
      };
      session = { transport: (flags & SESSION_TCP) !== 0 ? 'tcp' : 'udp', checkpoint };
    }
    let hours: number[] | null = null;
    let pdus: PendingPdus | null = null;
    if ((flags & EXTRA) !== 0) {
      const x = extras[e++];
      if (x === undefined || x[0] !== i) throw new Error('live connections: a chunk of another shape');
      hours = x[1];
      pdus = x[2];
    }
    yield {
      version, addrA, addrB, portA, portB, proto, syn, isnA, isnB, firstFromA: (flags & FIRST_FROM_A) !== 0, protoClientIsA, originatorIsA,
      initiatorIsA, evidence: strs[s] as InitiatorEvidence, protocol: strs[s + 1]!, flowKey: strs[s + 2]!, respPort, closeFlags,
      answeredA: (flags & ANSWERED_A) !== 0, answeredB: (flags & ANSWERED_B) !== 0, payloadSeen: (flags & PAYLOAD_SEEN) !== 0,
      counted: (flags & COUNTED) !== 0, firstTs, lastTs, hour, day, macA, macB, deltas, hours, pdus, session,
    };
  }
}
