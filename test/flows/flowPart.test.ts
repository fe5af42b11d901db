/**
 * A file's deltas in parts (FlowAggregator.partDue / takePart, PartHoldback): the parts' flows and the
 * file's batch add up to the batch the file gives without parts; protocol counters and events are
 * held back to the batch (events in event order, the first of each write code first).
 */
import { decodePacket } from '../../src/decode/decodePacket.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import type { EventDelta } from '../../src/flows/eventDelta.js';
import { FlowAggregator, type FlowBatch } from '../../src/flows/flowAggregator.js';
import { cloneFlowDelta, mergeFlowDelta, newProtocolStats, type FlowDelta } from '../../src/flows/flowDelta.js';
import { PartHoldback } from '../../src/flows/flowPart.js';
import { modbusAdu, record, tcpFrame } from '../util/frameBuilder.js';

const T0 = 1_767_600_000;

/** Sessions of two clients to one Modbus server, a day apart (each one evicted idle by the next), reading and writing. */
function frames(): Array<{ frame: Buffer; ts: number }> {
  const out: Array<{ frame: Buffer; ts: number }> = [];
  for (let s = 0; s < 12; s++) {
    for (const client of ['10.30.1.10', '10.30.1.11']) {
      const t = T0 + s * 86400 + (client.endsWith('1') ? 7 : 0);
      for (let i = 0; i < 4; i++) {
        const pdu = i === 3 ? [6, 0, s, 0, 1] : [3, 0, s, 0, 2];
        const req = modbusAdu(i, 1, pdu);
        out.push({ frame: tcpFrame({ src: client, dst: '10.20.1.5', sport: 40000, dport: 502, seq: 100 + i * req.length, ack: 1, flags: 0x18, payload: req }), ts: t + i * 900 });
        const resp = modbusAdu(i, 1, i === 3 ? pdu : [3, 4, 0, 1, 0, 2]);
        out.push({ frame: tcpFrame({ src: '10.20.1.5', dst: client, sport: 502, dport: 40000, seq: 1 + i * resp.length, ack: 100 + (i + 1) * req.length, flags: 0x18, payload: resp }), ts: t + i * 900 + 1 });
      }
    }
  }
  return out;
}

/** The short sessions, and one connection polling every 30 minutes through all their days (never idle). */
function withPoller(): Array<{ frame: Buffer; ts: number }> {
  const out = frames();
  for (let i = 0; i < 12 * 48; i++) {
    const req = modbusAdu(i & 0xffff, 1, [3, 0, 9, 0, 1]);
    const resp = modbusAdu(i & 0xffff, 1, [3, 2, 0, 1]);
    const ts = T0 + 100 + i * 1800;
    out.push({ frame: tcpFrame({ src: '10.30.1.50', dst: '10.20.1.5', sport: 41000, dport: 502, seq: 100 + i * req.length, ack: 1 + i * resp.length, flags: 0x18, payload: req }), ts });
    out.push({ frame: tcpFrame({ src: '10.20.1.5', dst: '10.30.1.50', sport: 502, dport: 41000, seq: 1 + i * resp.length, ack: 100 + (i + 1) * req.length, flags: 0x18, payload: resp }), ts: ts + 1 });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

function run(partFolds: number, input = frames()): { parts: FlowDelta[][]; batch: FlowBatch } {
  const agg = new FlowAggregator({ registry: createRegistry([modbusTcp]), partFolds });
  const pkt = new DecodedPacket();
  const parts: FlowDelta[][] = [];
  input.forEach(({ frame, ts }, n) => {
    const rec = record(frame, ts, n + 1);
    agg.onPacket(rec, pkt, decodePacket(rec, pkt));
    if (agg.partDue()) parts.push(agg.takePart().flows);
  });
  return { parts, batch: agg.takeBatch(true) };
}

function addUp(lists: FlowDelta[][]): FlowDelta[] {
  const m = new Map<string, FlowDelta>();
  for (const list of lists) for (const f of list) {
    const e = m.get(f.key);
    if (e === undefined) m.set(f.key, cloneFlowDelta(f));
    else mergeFlowDelta(e, f);
  }
  return [...m.values()];
}

describe('FlowAggregator.takePart', () => {
  test('takePart() every 3 folds: the parts and the batch add up to the batch without parts; events and protocols come with the batch', () => {
    const whole = run(Infinity);
    const parted = run(3);
    expect(whole.parts).toEqual([]);
    expect(parted.parts.length).toBeGreaterThanOrEqual(5);
    expect(parted.parts.every((p) => p.length > 0)).toBe(true);
    expect(addUp([...parted.parts, parted.batch.flows])).toEqual(addUp([whole.batch.flows]));
    expect(whole.batch.events.length).toBeGreaterThan(0);
    expect(parted.batch.events).toEqual(whole.batch.events);
    expect(parted.batch.protocols).toEqual(whole.batch.protocols);
    expect({ ...parted.batch, flows: [] }).toEqual({ ...whole.batch, flows: [] });
  });

  test('takePart() also folds a live connection holding a day or more (a poller that never goes idle); the sums are the same', () => {
    const whole = run(Infinity, withPoller());
    const parted = run(3, withPoller());
    const poller = (list: FlowDelta[]): FlowDelta | undefined => list.find((f) => f.src === '10.30.1.50');
    const inParts = parted.parts.map(poller).filter((f) => f !== undefined);
    expect(inParts.length).toBeGreaterThanOrEqual(3);
    // Each part carries a day or so of its hours, not the whole span.
    expect(Math.max(...inParts.map((f) => f!.hours.length / 3))).toBeLessThan(24 * 4);
    expect(poller(whole.batch.flows)!.hours.length / 3).toBeGreaterThan(24 * 10);
    expect(addUp([...parted.parts, parted.batch.flows])).toEqual(addUp([whole.batch.flows]));
    expect({ ...parted.batch, flows: [] }).toEqual({ ...whole.batch, flows: [] });
  });

  test('partDue() is false until partFolds connections were folded, and again after takePart()', () => {
    const agg = new FlowAggregator({ registry: createRegistry([modbusTcp]), partFolds: 2 });
    const pkt = new DecodedPacket();
    const due: boolean[] = [];
    frames().forEach(({ frame, ts }, n) => {
      const rec = record(frame, ts, n + 1);
      agg.onPacket(rec, pkt, decodePacket(rec, pkt));
      due.push(agg.partDue());
      if (agg.partDue()) agg.takePart();
    });
    // Each session's first packet evicts that client's previous session: the 2nd fold comes with the 2nd client's.
    expect(due.filter(Boolean).length).toBe(11);
  });
});

describe('PartHoldback', () => {
  const ev = (kind: EventDelta['kind'], ts: number, frame: number, count = 1): EventDelta => ({
    kind, src: '10.0.0.1', dst: '10.0.0.2', transport: 'tcp', port: 502, protocol: 'modbus-tcp', space: 'function', code: kind === 'write' ? 6 : 90,
    variant: -1, name: kind, object: '', ts, file: 'a.pcap', frame, count,
  });

  test('part() hands over the flows only; finish() adds the held protocol counters and events to the last take', () => {
    const h = new PartHoldback();
    const p1 = { ...newProtocolStats('modbus-tcp'), pdus: 3 };
    const p2 = { ...newProtocolStats('s7comm'), pdus: 1 };
    const flows: FlowDelta[] = [];
    expect(h.part({ flows, protocols: [p1], events: [ev('write', 50, 5, 2), ev('control', 60, 6)] })).toEqual({ flows });
    const out = h.finish({ flows: [], protocols: [{ ...newProtocolStats('modbus-tcp'), pdus: 4 }, p2], events: [ev('write', 40, 9), ev('control', 10, 1)] });
    expect(out.protocols).toEqual([{ ...newProtocolStats('modbus-tcp'), pdus: 7 }, p2]);
    // The earliest write stays the first of its code, counting the later ones; each control event kept, in time order.
    expect(out.events).toEqual([ev('control', 10, 1), ev('write', 40, 9, 3), ev('control', 60, 6)]);
    // Held back once: the next file starts empty.
    const next = { flows: [], protocols: [p2], events: [] };
    expect(h.finish(next)).toBe(next);
  });
});
