/**
 * The live state a FlowAggregator carries from one run to the next (issue 13, finding 9): what the
 * store keeps at every unit's commit, in the same transaction (migration 005, table live_state), so
 * that a connection spanning two runs stays one connection and scan/flood counting goes on where it
 * stopped. A run that starts with the stored state reads on exactly as if it had never stopped, except
 * for what is said in SessionCheckpoint (src/dissectors/session.ts): buffered partial PDUs and
 * out-of-order segments, and the dissectors' own per-connection state, are not kept.
 *
 * Plain data only, so that it crosses threads by postMessage. The connections are one list whatever
 * the number of worker shards that exported them: each shard of the next run takes its own
 * (shardLiveState, by pairShard of the addresses), so the state does not depend on the worker count.
 * They are kept packed (PackedConns: LiveConnPacker writes them in chunks of PACK_CHUNK_CONNS as
 * they are exported, liveConnCodec.ts, and deflates each; liveConns() reads them back one chunk at a
 * time), so that exporting up to --max-connections connections at a unit's end costs their packed
 * size (about 75 bytes each for short Modbus/TCP connections) and one chunk, not the objects of all of
 * them and their serialized form at once (issue 13 finding 8: that end-of-unit spike was 120 MB of the
 * 1 M short connections' 610 MB peak with one thread).
 * The scan/flood counters are kept per shard of the exporting run (ingest workers count failed
 * attempts per shard); a run with as many shards takes them back one to one, any other run the
 * merged counts.
 */
import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { IPPROTO_TCP } from '../decode/packet.js';
import type { Registry } from '../dissectors/registry.js';
import { AppSession, type SessionCheckpoint } from '../dissectors/session.js';
import { Conn, type FnCounter, type InitiatorEvidence, type ObjectCounter } from './conn.js';
import type { DistinctCounterState } from './distinctCounter.js';
import { LiveConnChunkWriter, readLiveConnChunk } from './liveConnCodec.js';
import { pairShard, pairShardIn, type ShardSplit } from './pairShard.js';

/** Bumped when the shape below changes: a store holding another version's state starts afresh. */
export const LIVE_STATE_VERSION = 1;

/** One live connection between folds: its identity and decisions, and the few deltas not folded yet. */
export interface LiveConn {
  version: number;
  /** side A's and B's addresses, 4 words each (IPv4 in word 3), canonical order (ConnTable) */
  addrA: number[];
  addrB: number[];
  portA: number;
  portB: number;
  proto: number;
  syn: number;
  isnA: number;
  isnB: number;
  firstFromA: boolean;
  protoClientIsA: number;
  originatorIsA: number;
  initiatorIsA: number;
  evidence: InitiatorEvidence;
  protocol: string;
  flowKey: string;
  respPort: number;
  closeFlags: number;
  answeredA: boolean;
  answeredB: boolean;
  payloadSeen: boolean;
  counted: boolean;
  firstTs: number;
  lastTs: number;
  hour: number;
  day: number;
  macA: number;
  macB: number;
  /**
   * Deltas not folded yet (a connection whose first fold waits, FlowAggregator waitsForFold):
   * packets A, packets B, bytes A, bytes B, first time, current hour's packets and bytes; and
   * finished hours as [hour, packets, bytes, ...]. Zero for a folded connection.
   */
  deltas: number[];
  hours: number[] | null;
  /** PDU counters not folded yet (a connection whose first fold waits for initiator evidence), or null. */
  pdus: PendingPdus | null;
  session: { transport: 'tcp' | 'udp'; checkpoint: SessionCheckpoint } | null;
}

/** A waiting connection's PDU counters, as on the Conn (copied). */
export interface PendingPdus {
  fns: Map<number, FnCounter> | null;
  pastFns: Array<{ day: number; fns: Map<number, FnCounter> }> | null;
  ranges: Map<number, { n: number }> | null;
  objects: Map<string | number, ObjectCounter> | null;
  attributes: Map<string, string> | null;
}

const copyFns = (m: Map<number, FnCounter>): Map<number, FnCounter> => new Map([...m].map(([k, v]) => [k, { ...v }]));

function pendingPdus(c: Conn): PendingPdus | null {
  if (c.fns === null && c.pastFns === null && c.ranges === null && c.objects === null && c.attributes === null) return null;
  return {
    fns: c.fns === null ? null : copyFns(c.fns),
    pastFns: c.pastFns === null ? null : c.pastFns.map((p) => ({ day: p.day, fns: copyFns(p.fns) })),
    ranges: c.ranges === null ? null : new Map([...c.ranges].map(([k, v]) => [k, { n: v.n }])),
    objects: c.objects === null ? null : new Map([...c.objects].map(([k, v]) => [k, { ...v }])),
    attributes: c.attributes === null ? null : new Map(c.attributes),
  };
}

/** Failed attempts made by / received by each address, and the addresses past the threshold. */
export interface ProbeState {
  from: Array<[number | string, number]>;
  to: Array<[number | string, number]>;
  scanners: Array<number | string>;
  flooded: Array<number | string>;
  /** Distinct peers and ports of each scan/flood summary so far (key kind|host|transport). */
  distinct?: Array<{ key: string; peers: DistinctCounterState; ports: number[] }>;
}

export interface LiveState {
  v: number;
  /** The newest capture time the state has seen (unix seconds), -Infinity when none. */
  now: number;
  /** The live connections, packed (read them with liveConns()). */
  conns: PackedConns;
  /** Forward Open originator pairs (InitiatorDecider). */
  originators: string[];
  /** Scan/flood counters, one entry per shard of the run that exported them. */
  probes: ProbeState[];
}

/**
 * Live connections in their packed form: chunks of `counts[i]` LiveConns each (liveConnCodec.ts),
 * deflated. Plain data (postMessage clones it; its chunks are small).
 */
export interface PackedConns {
  /** connections in the chunks (with `shard` set, those of every shard) */
  length: number;
  chunks: Uint8Array[];
  counts: number[];
  /** when set, liveConns() gives only the connections of this shard (shardLiveState) */
  shard: { index: number; count: number; split?: ShardSplit } | null;
}

/** Connections per packed chunk (a record is 344 bytes and a few strings: about 400 KB before deflating). */
export const PACK_CHUNK_CONNS = 1024;

const emptyPacked = (): PackedConns => ({ length: 0, chunks: [], counts: [], shard: null });

/** Packs LiveConns as they come (add), a chunk at a time; finish() gives them as PackedConns. */
export class LiveConnPacker {
  private chunk: LiveConnChunkWriter | null = null;
  private readonly out = emptyPacked();

  add(lc: LiveConn): void {
    this.chunk ??= new LiveConnChunkWriter();
    this.chunk.add(lc);
    this.out.length++;
    if (this.chunk.count === PACK_CHUNK_CONNS) this.flush();
  }

  finish(): PackedConns {
    this.flush();
    return this.out;
  }

  private flush(): void {
    if (this.chunk === null) return;
    this.out.chunks.push(deflateRawSync(this.chunk.finish(), { level: 1 }));
    this.out.counts.push(this.chunk.count);
    this.chunk = null;
  }
}

/** Pack a list of LiveConns (a state of the unpacked stored form; tests). */
export function packConns(list: Iterable<LiveConn>): PackedConns {
  const p = new LiveConnPacker();
  for (const lc of list) p.add(lc);
  return p.finish();
}

/** The connections of a state (of its shard, after shardLiveState), unpacked one chunk at a time. */
export function* liveConns(state: LiveState): Generator<LiveConn, void, undefined> {
  const p = state.conns;
  const sh = p.shard;
  for (let i = 0; i < p.chunks.length; i++) {
    for (const lc of readLiveConnChunk(inflateRawSync(p.chunks[i]!))) {
      if (sh === null || sh.count === 1 || (sh.split === undefined ? pairShard(lc.addrA, lc.addrB, sh.count) : pairShardIn(lc.addrA, lc.addrB, sh.split)) === sh.index) yield lc;
    }
  }
}

/** The connections of a state as one list (tests, small states). */
export function liveConnList(state: LiveState): LiveConn[] {
  return [...liveConns(state)];
}

export function emptyLiveState(): LiveState {
  return { v: LIVE_STATE_VERSION, now: -Infinity, conns: emptyPacked(), originators: [], probes: [] };
}

/** The shards' states of one run as one: connections and originators joined, probe parts in shard order. */
export function mergeLiveStates(parts: LiveState[]): LiveState {
  if (parts.length === 1) return parts[0]!;
  const out = emptyLiveState();
  const originators = new Set<string>();
  for (const p of parts) {
    if (p.conns.shard !== null) throw new Error('mergeLiveStates: a shard\'s part of a stored state cannot be merged');
    if (p.now > out.now) out.now = p.now;
    out.conns.length += p.conns.length;
    out.conns.chunks.push(...p.conns.chunks);
    out.conns.counts.push(...p.conns.counts);
    for (const o of p.originators) originators.add(o);
    out.probes.push(...p.probes);
  }
  out.originators = [...originators].sort();
  return out;
}

/** The probe counters of all parts added up (for a run whose shards are not the exporting run's). */
export function mergeProbeStates(parts: ProbeState[]): ProbeState {
  if (parts.length === 1) return parts[0]!;
  const add = (lists: Array<Array<[number | string, number]>>): Array<[number | string, number]> => {
    const m = new Map<number | string, number>();
    for (const l of lists) for (const [k, n] of l) m.set(k, (m.get(k) ?? 0) + n);
    return [...m];
  };
  const union = (lists: Array<Array<number | string>>): Array<number | string> => [...new Set(lists.flat())];
  return {
    from: add(parts.map((p) => p.from)),
    to: add(parts.map((p) => p.to)),
    scanners: union(parts.map((p) => p.scanners)),
    flooded: union(parts.map((p) => p.flooded)),
    // Each shard's distinct sets stand for its own pairs; merged, the first shard's set of a key is kept.
    distinct: [...new Map(parts.flatMap((p) => p.distinct ?? []).reverse().map((d) => [d.key, d] as const)).values()],
  };
}

/**
 * What shard `index` of `count` takes of a stored state: its connections (by pairShard, or under
 * `split` when the shards are not equal; liveConns() picks them as it unpacks), and its probe counters.
 */
export function shardLiveState(state: LiveState, index: number, count: number, split?: ShardSplit): LiveState {
  const conns = count === 1 ? state.conns : { ...state.conns, shard: split === undefined ? { index, count } : { index, count, split } };
  const probes =
    state.probes.length === 0 ? [] : state.probes.length === count ? [state.probes[index]!] : [mergeProbeStates(state.probes)];
  return { v: state.v, now: state.now, conns, originators: state.originators, probes };
}

/**
 * The stored form: MAGIC, then the length of the head (u32 LE) and the head (v8.serialize of the
 * state without its connections, with the chunks' counts and sizes, deflated), then the packed
 * chunks as they are. States stored before it (one deflated v8.serialize of the whole state, the
 * connections a list) are still read.
 */
const MAGIC = Buffer.from('ZSLS');

interface StoredHead {
  v: number;
  now: number;
  originators: string[];
  probes: ProbeState[];
  counts: number[];
  sizes: number[];
}

export function encodeLiveState(state: LiveState): Buffer {
  const p = state.conns;
  if (p.shard !== null) throw new Error('encodeLiveState: a shard\'s part of a stored state is not stored');
  const head: StoredHead = { v: state.v, now: state.now, originators: state.originators, probes: state.probes, counts: p.counts, sizes: p.chunks.map((c) => c.byteLength) };
  const h = deflateRawSync(serialize(head), { level: 1 });
  const len = Buffer.alloc(4);
  len.writeUInt32LE(h.byteLength);
  return Buffer.concat([MAGIC, len, h, ...p.chunks]);
}

/**
 * A stored state back, or null when it is of another version or cannot be read (the run then starts
 * with no live connections, as every run did before migration 005).
 */
export function decodeLiveState(blob: Uint8Array): LiveState | null {
  try {
    const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    if (b.byteLength < 8 || !b.subarray(0, 4).equals(MAGIC)) return decodeUnpacked(b);
    const hl = b.readUInt32LE(4);
    const head = deserialize(inflateRawSync(b.subarray(8, 8 + hl))) as StoredHead;
    if (head === null || typeof head !== 'object' || head.v !== LIVE_STATE_VERSION || !Array.isArray(head.counts) || !Array.isArray(head.sizes)) return null;
    const conns = emptyPacked();
    let at = 8 + hl;
    for (let i = 0; i < head.sizes.length; i++) {
      const size = head.sizes[i]!;
      if (at + size > b.byteLength) return null;
      conns.chunks.push(b.subarray(at, at + size));
      conns.counts.push(head.counts[i]!);
      conns.length += head.counts[i]!;
      at += size;
    }
    return { v: head.v, now: head.now, conns, originators: head.originators, probes: head.probes };
  } catch {
    return null;
  }
}

/** A state stored before the packed form (the same LiveConns, in one list). */
function decodeUnpacked(blob: Buffer): LiveState | null {
  const s = deserialize(inflateRawSync(blob)) as Omit<LiveState, 'conns'> & { conns: LiveConn[] };
  if (s === null || typeof s !== 'object' || s.v !== LIVE_STATE_VERSION || !Array.isArray(s.conns)) return null;
  return { ...s, conns: packConns(s.conns) };
}

/** A folded live connection as LiveConn (its addresses given: the ConnTable holds them). */
export function toLiveConn(conn: Conn, addrA: Uint32Array, addrB: Uint32Array): LiveConn {
  const s = conn.session;
  return {
    version: conn.version, addrA: [...addrA], addrB: [...addrB], portA: conn.portA, portB: conn.portB, proto: conn.proto,
    syn: conn.syn, isnA: conn.isnA, isnB: conn.isnB, firstFromA: conn.firstFromA, protoClientIsA: conn.protoClientIsA,
    originatorIsA: conn.originatorIsA, initiatorIsA: conn.initiatorIsA, evidence: conn.evidence, protocol: conn.protocol,
    flowKey: conn.flowKey, respPort: conn.respPort, closeFlags: conn.closeFlags, answeredA: conn.answeredA,
    answeredB: conn.answeredB, payloadSeen: conn.payloadSeen, counted: conn.counted, firstTs: conn.firstTs, lastTs: conn.lastTs,
    hour: conn.hour, day: conn.day, macA: conn.macA, macB: conn.macB,
    deltas: [conn.pktsA, conn.pktsB, conn.bytesA, conn.bytesB, conn.deltaFirstTs, conn.hourPkts, conn.hourBytes],
    hours: conn.hours === null || conn.hours.length === 0 ? null : [...conn.hours],
    pdus: pendingPdus(conn),
    session: s === null ? null : { transport: conn.proto === IPPROTO_TCP ? 'tcp' : 'udp', checkpoint: s.checkpoint() },
  };
}

/**
 * A new Conn (slot given, side A as in the LiveConn) carrying on `lc`, with the deltas it had not
 * folded yet; host ids are interned again when it next folds.
 */
export function fromLiveConn(slot: number, lc: LiveConn, registry: Registry): Conn {
  const conn = new Conn(slot, lc.version, lc.portA, lc.portB, lc.proto, lc.firstFromA, lc.firstTs);
  conn.syn = lc.syn;
  conn.isnA = lc.isnA;
  conn.isnB = lc.isnB;
  conn.protoClientIsA = lc.protoClientIsA;
  conn.originatorIsA = lc.originatorIsA;
  conn.initiatorIsA = lc.initiatorIsA;
  conn.evidence = lc.evidence;
  conn.protocol = lc.protocol;
  conn.flowKey = lc.flowKey;
  conn.respPort = lc.respPort;
  conn.closeFlags = lc.closeFlags;
  conn.answeredA = lc.answeredA;
  conn.answeredB = lc.answeredB;
  conn.payloadSeen = lc.payloadSeen;
  conn.counted = lc.counted;
  conn.lastTs = lc.lastTs;
  conn.hour = lc.hour;
  conn.day = lc.day;
  conn.macA = lc.macA;
  conn.macB = lc.macB;
  const d = lc.deltas;
  conn.pktsA = d[0]!;
  conn.pktsB = d[1]!;
  conn.bytesA = d[2]!;
  conn.bytesB = d[3]!;
  conn.deltaFirstTs = d[4]!;
  conn.hourPkts = d[5]!;
  conn.hourBytes = d[6]!;
  conn.hours = lc.hours === null ? null : [...lc.hours];
  if (lc.pdus !== null) {
    conn.fns = lc.pdus.fns;
    conn.pastFns = lc.pdus.pastFns;
    conn.ranges = lc.pdus.ranges;
    conn.objects = lc.pdus.objects;
    conn.attributes = lc.pdus.attributes;
  }
  if (lc.session !== null) conn.session = resumedSession(registry, conn, lc.session.transport, lc.session.checkpoint);
  return conn;
}

/**
 * A fresh AppSession for `conn` continuing from `cp` (see SessionCheckpoint for what is not carried):
 * `reuse` (the connection's own session, closed and folded) is reset() for it instead of a new one.
 */
export function resumedSession(registry: Registry, conn: Conn, transport: 'tcp' | 'udp', cp: SessionCheckpoint, reuse?: AppSession): AppSession {
  let s: AppSession;
  if (reuse !== undefined && reuse.reassemblerOptions === undefined) {
    s = reuse;
    s.reset(registry, transport, conn.portA, conn.portB, conn.isnA, conn.isnB);
  } else s = new AppSession(registry, transport, conn.portA, conn.portB, conn.isnA, conn.isnB);
  s.resume(cp);
  conn.foldedPdus = 0;
  conn.foldedMalformed = 0;
  conn.foldedUnparsed = 0;
  conn.foldedGapBytes = 0;
  conn.foldedRetrans = 0;
  return s;
}
