import { decodePacket } from '../../src/decode/decodePacket.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { FlowAggregator, type FlowBatch } from '../../src/flows/flowAggregator.js';
import { serialize } from 'node:v8';
import { deflateRawSync } from 'node:zlib';
import { decodeLiveState, encodeLiveState, liveConnList, mergeLiveStates, PACK_CHUNK_CONNS, shardLiveState, type LiveState } from '../../src/flows/liveState.js';
import { pairShard, pairShardIn, weightedSplit } from '../../src/flows/pairShard.js';
import { modbusAdu, record, tcpFrame } from '../util/frameBuilder.js';

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const RST = 0x04;

const registry = createRegistry([modbusTcp]);
const T0 = 1_767_600_000;

function feed(agg: FlowAggregator, frames: Array<[Buffer, number]>): void {
  const pkt = new DecodedPacket();
  let n = 0;
  for (const [f, ts] of frames) {
    const rec = record(f, ts, ++n);
    agg.onPacket(rec, pkt, decodePacket(rec, pkt));
  }
}

/** A Modbus/TCP client polling a server: handshake, then `polls` FC3 pairs 10 s apart, no close. */
function polling(client: string, sport: number, polls: number): Array<[Buffer, number]> {
  const server = '10.20.1.10';
  const out: Array<[Buffer, number]> = [];
  let cs = 1000;
  let ss = 5000;
  const c = (flags: number, payload?: Buffer): Buffer => tcpFrame({ src: client, dst: server, sport, dport: 502, seq: cs, ack: ss, flags, payload });
  const s = (flags: number, payload?: Buffer): Buffer => tcpFrame({ src: server, dst: client, sport: 502, dport: sport, seq: ss, ack: cs, flags, payload });
  out.push([c(SYN), T0], [s(SYN | ACK), T0 + 0.001], [c(ACK), T0 + 0.002]);
  cs++;
  ss++;
  for (let i = 0; i < polls; i++) {
    const req = modbusAdu(i + 1, 1, [3, 0, 0, 0, 10]);
    out.push([c(PSH | ACK, req), T0 + 10 * (i + 1)]);
    cs += req.length;
    const resp = modbusAdu(i + 1, 1, [3, 20, ...new Array(20).fill(0)]);
    out.push([s(PSH | ACK, resp), T0 + 10 * (i + 1) + 0.01]);
    ss += resp.length;
  }
  return out;
}

/** The flows of several batches added up, as comparable plain data. */
function summed(batches: FlowBatch[]): Record<string, { connections: number; packets: number; requests: number; responses: number; evidence: string }> {
  const out: Record<string, { connections: number; packets: number; requests: number; responses: number; evidence: string }> = {};
  for (const b of batches) {
    for (const f of b.flows) {
      const e = (out[f.key] ??= { connections: 0, packets: 0, requests: 0, responses: 0, evidence: '' });
      e.connections += f.connections;
      e.packets += f.packetsToResponder + f.packetsToInitiator;
      for (const fn of f.functions.values()) {
        e.requests += fn.requests;
        e.responses += fn.responses;
      }
      for (const [k, n] of Object.entries(f.evidence)) if (n) e.evidence = k;
    }
  }
  return out;
}

/** Through the stored form, as the store keeps it. */
function stored(s: LiveState): LiveState {
  return decodeLiveState(encodeLiveState(s))!;
}

describe('liveState', () => {
  test('exportState() then importState() in a new aggregator: a connection split between two runs is one, its PDUs parsed on', () => {
    const frames = polling('10.30.1.50', 50123, 6);
    const whole = new FlowAggregator({ registry });
    feed(whole, frames);
    const expected = summed([whole.takeBatch(true)]);

    const first = new FlowAggregator({ registry });
    feed(first, frames.slice(0, 7)); // handshake and two polls
    const b1 = first.takeBatch(true); // the end of the first run's input
    const state = stored(first.exportState());
    expect(state.conns).toHaveLength(1);
    const second = new FlowAggregator({ registry });
    second.importState(state);
    feed(second, frames.slice(7));
    const b2 = second.takeBatch(true);
    expect(b2.flows[0]!.connections).toBe(0);
    expect(summed([b1, b2])).toEqual(expected);
    expect(Object.values(expected)[0]).toEqual({ connections: 1, packets: 15, requests: 6, responses: 6, evidence: 'syn' });
  });

  test('importState() then a packet older than the state closes the carried connections first (INGEST_LIVE_STATE_CLOSED)', () => {
    const frames = polling('10.30.1.50', 50123, 4);
    const first = new FlowAggregator({ registry });
    feed(first, frames);
    first.takeBatch(true);
    const diagnostics: Diagnostic[] = [];
    const second = new FlowAggregator({ registry, onDiagnostic: (d) => diagnostics.push(d) });
    second.importState(stored(first.exportState()));
    expect(second.liveConnections).toBe(1);
    // An older capture of the same client: the carried connection cannot continue into the past.
    feed(second, polling('10.30.1.50', 50123, 1).map(([f, ts]) => [f, ts - 3600] as [Buffer, number]));
    expect(diagnostics.map((d) => d.code)).toEqual(['INGEST_LIVE_STATE_CLOSED']);
    const b = second.takeBatch(true);
    expect(summed([b])['10.30.1.50|10.20.1.10|tcp|502|modbus']!.connections).toBe(1); // the older capture's own
  });

  test('importState() then a newer packet carries on without a diagnostic', () => {
    const frames = polling('10.30.1.50', 50123, 4);
    const first = new FlowAggregator({ registry });
    feed(first, frames.slice(0, 5));
    first.takeBatch(false);
    const diagnostics: Diagnostic[] = [];
    const second = new FlowAggregator({ registry, onDiagnostic: (d) => diagnostics.push(d) });
    second.importState(stored(first.exportState()));
    feed(second, frames.slice(5));
    expect(diagnostics).toEqual([]);
    expect(second.takeBatch(true).flows[0]!.connections).toBe(0);
  });

  test('takeBatch() leaves a half-open attempt whose RST is still to come unfolded, and exportState() carries its deltas', () => {
    const scanner = new FlowAggregator({ registry, scanThreshold: 1000 });
    const syn = tcpFrame({ src: '10.9.9.9', dst: '10.20.1.10', sport: 40000, dport: 22, seq: 7, flags: SYN });
    const synAck = tcpFrame({ src: '10.20.1.10', dst: '10.9.9.9', sport: 22, dport: 40000, seq: 9, ack: 8, flags: SYN | ACK });
    const rst = tcpFrame({ src: '10.9.9.9', dst: '10.20.1.10', sport: 40000, dport: 22, seq: 8, flags: RST });
    feed(scanner, [[syn, T0], [synAck, T0 + 0.001]]);
    expect(scanner.takeBatch(false).flows).toEqual([]);
    const next = new FlowAggregator({ registry, scanThreshold: 1000 });
    next.importState(stored(scanner.exportState()));
    feed(next, [[rst, T0 + 0.002]]);
    const f = next.takeBatch(false).flows[0]!;
    expect([f.connections, f.packetsToResponder, f.packetsToInitiator]).toEqual([1, 2, 1]);
  });

  test('takeBatch() between two files leaves a connection whose initiator evidence is still to come undecided (same as one file)', () => {
    // Picked up mid-stream: first the tail of a PDU (no PDU start), then requests and responses.
    const c = (seq: number, payload: Buffer): Buffer => tcpFrame({ src: '10.30.1.7', dst: '10.20.1.10', sport: 50999, dport: 502, seq, ack: 1, flags: PSH | ACK, payload });
    const s = (seq: number, payload: Buffer): Buffer => tcpFrame({ src: '10.20.1.10', dst: '10.30.1.7', sport: 502, dport: 50999, seq, ack: 1, flags: PSH | ACK, payload });
    const req = modbusAdu(1, 1, [3, 0, 0, 0, 2]);
    const resp = modbusAdu(1, 1, [3, 4, 0, 0, 0, 0]);
    const frames: Array<[Buffer, number]> = [
      [c(100, Buffer.from([0, 0, 0])), T0],
      [c(103, req), T0 + 1],
      [s(7000, resp), T0 + 1.01],
    ];
    const one = new FlowAggregator({ registry });
    feed(one, frames);
    const expected = summed([one.takeBatch(true)]);
    expect(Object.values(expected)[0]!.evidence).toBe('protocol');
    const two = new FlowAggregator({ registry });
    feed(two, frames.slice(0, 1));
    const b1 = two.takeBatch(false);
    expect(b1.flows).toEqual([]);
    const next = new FlowAggregator({ registry });
    next.importState(stored(two.exportState()));
    feed(next, frames.slice(1));
    expect(summed([b1, next.takeBatch(true)])).toEqual(expected);
  });

  test('shardLiveState(state, i, n) gives each connection to the one shard that owns its address pair', () => {
    const agg = new FlowAggregator({ registry });
    for (let i = 0; i < 40; i++) feed(agg, polling(`10.30.1.${i + 1}`, 50000 + i, 1));
    agg.takeBatch(false);
    const state = agg.exportState();
    expect(state.conns).toHaveLength(40);
    const parts = [0, 1, 2].map((i) => shardLiveState(state, i, 3));
    expect(parts.reduce((n, p) => n + liveConnList(p).length, 0)).toBe(40);
    parts.forEach((p, i) => {
      for (const c of liveConnList(p)) expect(pairShard(c.addrA, c.addrB, 3)).toBe(i);
    });
    expect(parts.every((p) => liveConnList(p).length > 0)).toBe(true);
  });

  test('shardLiveState(state, i, n, split) gives each connection to the shard that owns its pair under the split', () => {
    const agg = new FlowAggregator({ registry });
    for (let i = 0; i < 40; i++) feed(agg, polling(`10.30.1.${i + 1}`, 50000 + i, 1));
    agg.takeBatch(false);
    const state = agg.exportState();
    const split = weightedSplit([0.6, 1]);
    const parts = [0, 1].map((i) => shardLiveState(state, i, 2, split));
    expect(parts.reduce((n, p) => n + liveConnList(p).length, 0)).toBe(40);
    parts.forEach((p, i) => {
      for (const c of liveConnList(p)) expect(pairShardIn(c.addrA, c.addrB, split)).toBe(i);
    });
    expect(parts.every((p) => liveConnList(p).length > 0)).toBe(true);
  });

  test('exportState() packs connections in chunks of PACK_CHUNK_CONNS; stored, merged and sharded they come back the same', () => {
    const agg = new FlowAggregator({ registry });
    const n = PACK_CHUNK_CONNS + 300;
    for (let i = 0; i < n; i++) feed(agg, polling(`10.${30 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, 50000 + (i % 1000), 1));
    agg.takeBatch(false);
    const state = agg.exportState();
    expect([state.conns.length, state.conns.counts]).toEqual([n, [PACK_CHUNK_CONNS, 300]]);
    const list = liveConnList(state);
    expect(list).toHaveLength(n);
    expect(liveConnList(stored(state))).toEqual(list);
    // Two shards' states merged: every chunk of both, in shard order.
    const parts = [0, 1].map((i) => shardLiveState(stored(state), i, 2));
    const merged = mergeLiveStates(parts.map((p) => ({ ...p, conns: { ...p.conns, shard: null } })));
    expect(merged.conns.length).toBe(2 * n);
    expect(liveConnList(merged)).toEqual([...list, ...list]);
    const shardLists = parts.map((p) => liveConnList(p));
    expect(shardLists[0]!.length + shardLists[1]!.length).toBe(n);
    // A new aggregator takes them all back.
    const next = new FlowAggregator({ registry });
    next.importState(stored(state));
    expect(next.liveConnections).toBe(n);
  });

  test('decodeLiveState() still reads a state stored before the packed form (the connections in one list)', () => {
    const frames = polling('10.30.1.50', 50123, 6);
    const first = new FlowAggregator({ registry });
    feed(first, frames.slice(0, 7));
    first.takeBatch(true);
    const state = first.exportState();
    const unpacked = deflateRawSync(serialize({ ...state, conns: liveConnList(state) }), { level: 1 });
    const back = decodeLiveState(unpacked)!;
    expect(back.conns.length).toBe(1);
    expect(liveConnList(back)).toEqual(liveConnList(state));
    expect({ ...back, conns: null }).toEqual({ ...state, conns: null });
  });

  test('decodeLiveState(bytes that are no state, or a state of another version) is null', () => {
    expect(decodeLiveState(Buffer.from('not a state'))).toBeNull();
    const other = { ...new FlowAggregator({ registry }).exportState(), v: 999 };
    expect(decodeLiveState(encodeLiveState(other))).toBeNull();
  });
});
