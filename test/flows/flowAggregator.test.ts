import { decodePacket } from '../../src/decode/decodePacket.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { cipIo, enip } from '../../src/dissectors/enip/index.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import { bacnet } from '../../src/dissectors/bacnet/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { FlowAggregator, type FlowBatch } from '../../src/flows/flowAggregator.js';
import { modbusAdu, record, tcpFrame, udpFrame } from '../util/frameBuilder.js';
import { syntheticConversation } from '../dissectors/enip/enipBuilders.js';
import { dayEntries } from '../../src/flows/flowDelta.js';

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const RST = 0x04;
const FIN = 0x01;

function feed(agg: FlowAggregator, frames: Array<[Buffer, number]>): void {
  const pkt = new DecodedPacket();
  let n = 0;
  for (const [f, ts] of frames) {
    const rec = record(f, ts, ++n);
    agg.onPacket(rec, pkt, decodePacket(rec, pkt));
  }
}

function totalPackets(b: FlowBatch): number {
  return b.flows.reduce((s, f) => s + f.packetsToResponder + f.packetsToInitiator, 0) + b.scans.reduce((s, x) => s + x.packets, 0);
}

/** A Modbus/TCP connection: handshake, `polls` FC3 request/response pairs, FIN. */
function modbusSession(client: string, server: string, sport: number, t0: number, polls: number, withHandshake = true): Array<[Buffer, number]> {
  const out: Array<[Buffer, number]> = [];
  let cs = 1000;
  let ss = 5000;
  const c = (flags: number, payload?: Buffer): Buffer => tcpFrame({ src: client, dst: server, sport, dport: 502, seq: cs, ack: ss, flags, payload });
  const s = (flags: number, payload?: Buffer): Buffer => tcpFrame({ src: server, dst: client, sport: 502, dport: sport, seq: ss, ack: cs, flags, payload });
  let t = t0;
  if (withHandshake) {
    out.push([c(SYN), t]);
    cs++;
    out.push([s(SYN | ACK), (t += 0.001)]);
    ss++;
    out.push([c(ACK), (t += 0.001)]);
  }
  for (let i = 0; i < polls; i++) {
    const req = modbusAdu(i + 1, 1, [3, 0, 0, 0, 10]);
    out.push([c(PSH | ACK, req), (t += 1)]);
    cs += req.length;
    const resp = modbusAdu(i + 1, 1, [3, 20, ...new Array(20).fill(0)]);
    out.push([s(PSH | ACK, resp), (t += 0.01)]);
    ss += resp.length;
  }
  out.push([c(FIN | ACK), (t += 1)]);
  return out;
}

describe('FlowAggregator', () => {
  const registry = createRegistry([modbusTcp]);

  test('onPacket(a Modbus/TCP session with handshake) gives one flow client -> server:502, evidence syn, FC 3 counted', () => {
    const agg = new FlowAggregator({ registry });
    feed(agg, modbusSession('10.30.1.50', '10.20.1.10', 50123, 1_767_600_000, 5));
    const b = agg.takeBatch(true);
    expect(b.flows).toHaveLength(1);
    const f = b.flows[0]!;
    expect([f.src, f.dst, f.transport, f.port, f.protocol]).toEqual(['10.30.1.50', '10.20.1.10', 'tcp', 502, 'modbus']);
    expect(f.evidence).toEqual({ syn: 1 });
    expect(f.packetsToResponder).toBe(2 + 5 + 1);
    expect(f.packetsToInitiator).toBe(1 + 5);
    expect(f.connections).toBe(1);
    const fc3 = [...f.functions.values()].find((x) => x.code === 3)!;
    expect([fc3.requests, fc3.responses, fc3.exceptions, fc3.opClass]).toEqual([5, 5, 0, 'read']);
    expect(b.counters.ipPackets).toBe(14);
  });

  test('onPacket(a Modbus session seen mid-stream, server speaking first) decides the initiator by protocol', () => {
    const agg = new FlowAggregator({ registry });
    // Drop the handshake and the first request: the first packet seen is a response from the server.
    const frames = modbusSession('10.30.1.50', '10.20.1.10', 50123, 1_767_600_000, 3, false).slice(1);
    feed(agg, frames);
    const f = agg.takeBatch(true).flows[0]!;
    expect([f.src, f.dst, f.port]).toEqual(['10.30.1.50', '10.20.1.10', 502]);
    expect(Object.keys(f.evidence)).toEqual(['protocol']);
  });

  test('takeBatch() per file never counts a packet twice, and a connection spanning files stays one connection', () => {
    const agg = new FlowAggregator({ registry });
    const frames = modbusSession('10.30.1.50', '10.20.1.10', 50123, 1_767_600_000, 10);
    feed(agg, frames.slice(0, 9));
    const b1 = agg.takeBatch(false);
    feed(agg, frames.slice(9));
    const b2 = agg.takeBatch(true);
    expect(totalPackets(b1) + totalPackets(b2)).toBe(frames.length);
    expect(b1.flows[0]!.connections + (b2.flows[0]?.connections ?? 0)).toBe(1);
    expect(b1.flows[0]!.key).toBe(b2.flows[0]!.key);
  });

  test('onPacket(a SYN scan of 2000 ports) summarises the scanner instead of 2000 flows; every packet is accounted', () => {
    const agg = new FlowAggregator({ registry, scanThreshold: 100 });
    const frames: Array<[Buffer, number]> = [];
    let t = 1_767_600_000;
    for (let p = 1; p <= 2000; p++) {
      frames.push([tcpFrame({ src: '10.99.0.66', dst: '10.20.1.10', sport: 40000, dport: p, seq: 1, flags: SYN }), (t += 0.001)]);
      frames.push([tcpFrame({ src: '10.20.1.10', dst: '10.99.0.66', sport: p, dport: 40000, seq: 0, ack: 2, flags: RST | ACK }), (t += 0.001)]);
    }
    feed(agg, frames);
    const b = agg.takeBatch(true);
    expect(b.scans).toHaveLength(1);
    expect(b.scans[0]).toMatchObject({ kind: 'scan', host: '10.99.0.66', transport: 'tcp', peers: 1, ports: 1900 });
    expect(b.flows.length).toBeLessThanOrEqual(101);
    expect(b.scans[0]!.attempts + b.flows.length).toBe(2000);
    expect(totalPackets(b)).toBe(4000);
  });

  test('onPacket(a SYN flood from 100,000 spoofed sources) summarises the target instead of 100,000 flows', () => {
    const agg = new FlowAggregator({ registry, scanThreshold: 100 });
    const pkt = new DecodedPacket();
    const frame = tcpFrame({ src: '1.0.0.0', dst: '10.20.1.10', sport: 1024, dport: 502, seq: 1, flags: SYN });
    for (let i = 0; i < 100_000; i++) {
      // Rewrite the source address and port in place (no frame built per packet).
      frame.writeUInt32BE((0x01000000 + i * 7919) >>> 0, 26);
      frame.writeUInt16BE(1024 + (i % 60000), 34);
      const rec = record(frame, 1_767_600_000 + i * 0.0001, i + 1);
      agg.onPacket(rec, pkt, decodePacket(rec, pkt));
    }
    const b = agg.takeBatch(true);
    expect(b.flows.length).toBeLessThanOrEqual(100);
    expect(b.scans).toHaveLength(1);
    expect(b.scans[0]).toMatchObject({ kind: 'flood', host: '10.20.1.10', transport: 'tcp', ports: 1 });
    expect(b.scans[0]!.attempts + b.flows.length).toBe(100_000);
    // Distinct sources: estimated beyond 4096 (linear counting), within 2%.
    expect(Math.abs(b.scans[0]!.peers - b.scans[0]!.attempts) / b.scans[0]!.attempts).toBeLessThan(0.02);
    expect(totalPackets(b)).toBe(100_000);
    // Only the hosts of the flows and of the summary were interned, not the 100,000 sources.
    expect(agg.hosts.size).toBeLessThanOrEqual(102);
  });

  test('maxConnections bounds the live table; folded connections keep every packet', () => {
    const agg = new FlowAggregator({ registry, maxConnections: 1000 });
    const frames: Array<[Buffer, number]> = [];
    for (let i = 0; i < 5000; i++) {
      const dst = `10.20.${(i >> 8) & 255}.${i & 255}`;
      const payload = Buffer.from('hello');
      frames.push([udpFrame({ src: '10.30.1.60', dst, sport: 30000 + (i % 1000), dport: 514, payload }), 1_767_600_000 + i * 0.001]);
    }
    feed(agg, frames);
    expect(agg.liveConnections).toBeLessThanOrEqual(1000);
    const b = agg.takeBatch(true);
    expect(totalPackets(b)).toBe(5000);
    expect(b.flows.every((f) => f.protocol === 'syslog' && f.port === 514 && f.src === '10.30.1.60')).toBe(true);
  });

  test('onPacket(an IPv4 UDP datagram in two fragments) attributes the later fragment (no ports) to its flow', () => {
    const agg = new FlowAggregator({ registry });
    const first = udpFrame({ src: '10.30.1.60', dst: '10.30.1.1', sport: 40000, dport: 514, payload: Buffer.alloc(1472, 0x41) });
    first.writeUInt16BE(0x1234, 18); // IP id
    first.writeUInt16BE(0x2000, 20); // MF, offset 0
    // The later fragment: 28 bytes of the datagram's tail, offset 1480 / 8, no UDP header.
    const later = Buffer.alloc(14 + 20 + 28, 0x42);
    first.copy(later, 0, 0, 34);
    later.writeUInt16BE(20 + 28, 16);
    later.writeUInt16BE(1480 / 8, 20);
    feed(agg, [
      [first, 1_767_600_000],
      [later, 1_767_600_000.001],
    ]);
    const b = agg.takeBatch(true);
    expect(b.flows).toHaveLength(1);
    expect([b.flows[0]!.src, b.flows[0]!.dst, b.flows[0]!.port, b.flows[0]!.protocol]).toEqual(['10.30.1.60', '10.30.1.1', 514, 'syslog']);
    expect(b.flows[0]!.packetsToResponder).toBe(2);
  });

  test('onPacket(UDP whose first packet is the reply) takes the well-known port as the responder', () => {
    const agg = new FlowAggregator({ registry });
    feed(agg, [
      [udpFrame({ src: '10.30.1.1', dst: '10.30.1.50', sport: 53, dport: 41000, payload: Buffer.alloc(40) }), 1_767_600_000],
      [udpFrame({ src: '10.30.1.50', dst: '10.30.1.1', sport: 41000, dport: 53, payload: Buffer.alloc(30) }), 1_767_600_001],
    ]);
    const f = agg.takeBatch(true).flows[0]!;
    expect([f.src, f.dst, f.port, f.protocol]).toEqual(['10.30.1.50', '10.30.1.1', 53, 'dns']);
    expect(Object.keys(f.evidence)).toEqual(['port']);
  });
});

describe('FlowAggregator with EtherNet/IP and class-1 I/O', () => {
  const enipRegistry = createRegistry([enip, cipIo]);

  /** A class-1 I/O datagram on connection `id`: sequenced address item, connected data item. */
  function ioDatagram(id: number, seq: number): Buffer {
    const b = Buffer.alloc(2 + 4 + 8 + 4 + 6);
    b.writeUInt16LE(2, 0);
    b.writeUInt16LE(0x8002, 2);
    b.writeUInt16LE(8, 4);
    b.writeUInt32LE(id, 6);
    b.writeUInt32LE(seq, 10);
    b.writeUInt16LE(0x00b1, 14);
    b.writeUInt16LE(6, 16);
    b.writeUInt16LE(seq & 0xffff, 18);
    return b;
  }

  test('onPacket(Forward Open, then I/O sent first by the target) makes the originator the initiator, outputs and inputs apart, class io', () => {
    const agg = new FlowAggregator({ registry: enipRegistry });
    const scanner = '10.20.1.16';
    const adapter = '10.20.1.10';
    const fo = syntheticConversation().find((p) => p.name === 'Forward Open request')!.pdu;
    const t0 = 1_767_600_000;
    const frames: Array<[Buffer, number]> = [
      [tcpFrame({ src: scanner, dst: adapter, sport: 51000, dport: 44818, seq: 1, flags: SYN }), t0],
      [tcpFrame({ src: adapter, dst: scanner, sport: 44818, dport: 51000, seq: 9, ack: 2, flags: SYN | ACK }), t0 + 0.001],
      [tcpFrame({ src: scanner, dst: adapter, sport: 51000, dport: 44818, seq: 2, ack: 10, flags: PSH | ACK, payload: fo }), t0 + 0.002],
    ];
    for (let i = 0; i < 3; i++) {
      frames.push([udpFrame({ src: adapter, dst: scanner, sport: 2222, dport: 2222, payload: ioDatagram(0x1001, i) }), t0 + 1 + i]);
      frames.push([udpFrame({ src: scanner, dst: adapter, sport: 2222, dport: 2222, payload: ioDatagram(0x2002, i) }), t0 + 1.5 + i]);
    }
    feed(agg, frames);
    const b = agg.takeBatch(true);
    const io = b.flows.find((f) => f.protocol === 'cip-io')!;
    expect([io.src, io.dst, io.port, io.evidence]).toEqual([scanner, adapter, 2222, { 'forward-open': 1 }]);
    const fns = [...io.functions.values()].map((f) => [f.name, f.opClass, f.requests, f.responses]);
    expect(fns.sort()).toEqual([['IMPLICIT_IO_INPUTS', 'io', 0, 3], ['IMPLICIT_IO_OUTPUTS', 'io', 3, 0]]);
    expect([...io.objects.values()].map((o) => `${o.spaceName} ${o.key}`).sort()).toEqual(['connection 0x00001001', 'connection 0x00002002']);
    const e = b.flows.find((f) => f.protocol === 'enip')!;
    const classes = [...e.functions.values()].map((f) => `${f.spaceName} ${f.name} ${f.opClass}`).sort();
    expect(classes).toEqual(['cip FORWARD_OPEN session', 'encapsulation SEND_RR_DATA carrier']);
  });

  test('onPacket(I/O with no Forward Open seen) falls back to the first sender and IMPLICIT_IO without direction', () => {
    const agg = new FlowAggregator({ registry: enipRegistry });
    feed(agg, [
      [udpFrame({ src: '10.20.1.10', dst: '10.20.1.16', sport: 2222, dport: 2222, payload: ioDatagram(0x1001, 0) }), 1_767_600_000],
      [udpFrame({ src: '10.20.1.16', dst: '10.20.1.10', sport: 2222, dport: 2222, payload: ioDatagram(0x2002, 0) }), 1_767_600_001],
    ]);
    const io = agg.takeBatch(true).flows[0]!;
    expect([io.src, io.evidence]).toEqual(['10.20.1.10', { protocol: 1 }]);
    expect([...io.functions.values()].map((f) => [f.name, f.requests])).toEqual([['IMPLICIT_IO', 2]]);
  });

  test('onPacket(Modbus polls across midnight UTC) keeps function counts per day in the flow delta', () => {
    const agg = new FlowAggregator({ registry: createRegistry([modbusTcp]) });
    const midnight = 20455 * 86400;
    feed(agg, modbusSession('10.30.1.50', '10.20.1.10', 50123, midnight - 2.5, 4));
    const f = agg.takeBatch(true).flows[0]!;
    const fc3 = f.functions.get(3)!;
    expect(fc3.requests).toBe(4);
    expect(dayEntries(fc3.days).map(([d, n]) => [d, n.requests, n.responses])).toEqual([[20454, 2, 2], [20455, 2, 2]]);
  });
});

describe('FlowAggregator and the snap length', () => {
  test('onPacket(a Modbus/TCP session and BACnet datagrams cut to 60 and 50 bytes) counts the cut segments and datagrams per protocol, no PDU, no gap', () => {
    const agg = new FlowAggregator({ registry: createRegistry([modbusTcp, bacnet]) });
    const pkt = new DecodedPacket();
    let n = 0;
    const cut = (f: Buffer, ts: number, caplen: number): void => {
      const rec = record(f, ts, ++n);
      rec.caplen = Math.min(caplen, f.length);
      agg.onPacket(rec, pkt, decodePacket(rec, pkt));
    };
    for (const [f, ts] of modbusSession('10.0.0.1', '10.0.0.2', 40000, 1000, 3)) cut(f, ts, 60);
    for (let i = 0; i < 2; i++) cut(udpFrame({ src: '10.0.0.3', dst: '10.0.0.4', sport: 47808, dport: 47808, payload: Buffer.alloc(20, 0x81) }), 1010 + i, 50);
    const b = agg.takeBatch(true);
    const modbus = b.protocols.find((p) => p.protocol === 'modbus')!;
    // 3 requests of 12 bytes and 3 responses of 29: 6 bytes of each present (60 - 54 bytes of headers).
    expect(modbus).toMatchObject({ pdus: 0, gapBytes: 0, unparsedBytes: 0, snapCutSegments: 6, snapLostBytes: 3 * 12 + 3 * 29, snapCaplen: 60 });
    expect(b.protocols.find((p) => p.protocol === 'bacnet')).toMatchObject({ pdus: 0, malformed: 0, snapCutSegments: 2, snapLostBytes: 40, snapCaplen: 50 });
    expect(b.flows.map((f) => [f.protocol, f.packetsToResponder + f.packetsToInitiator])).toEqual([['modbus', 10], ['bacnet', 2]]);
  });
});
