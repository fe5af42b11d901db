import { decodePacket } from '../../src/decode/decodePacket.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { modbusTcp } from '../../src/dissectors/modbus-tcp/modbusTcp.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { FlowAggregator, pairShard } from '../../src/flows/flowAggregator.js';
import { mergeBatches } from '../../src/flows/mergeBatches.js';
import { modbusAdu, record, tcpFrame } from '../util/frameBuilder.js';

describe('mergeBatches', () => {
  test('mergeBatches(batches of two shards) equals the batch of one aggregator over all packets', () => {
    const registry = createRegistry([modbusTcp]);
    const frames: Buffer[] = [];
    for (let c = 0; c < 20; c++) {
      const client = `10.30.1.${10 + c}`;
      const server = `10.20.1.${10 + (c % 3)}`;
      for (let i = 0; i < 5; i++) {
        const req = modbusAdu(i, 1, [3, 0, c, 0, 2]);
        frames.push(tcpFrame({ src: client, dst: server, sport: 40000 + c, dport: 502, seq: 100 + i * req.length, ack: 1, flags: 0x18, payload: req }));
        const resp = modbusAdu(i, 1, [3, 4, 0, 1, 0, 2]);
        frames.push(tcpFrame({ src: server, dst: client, sport: 502, dport: 40000 + c, seq: 1 + i * resp.length, ack: 100 + (i + 1) * req.length, flags: 0x18, payload: resp }));
      }
    }
    const pkt = new DecodedPacket();
    const whole = new FlowAggregator({ registry });
    const shards = [new FlowAggregator({ registry }), new FlowAggregator({ registry })];
    frames.forEach((f, n) => {
      const rec = record(f, 1_767_600_000 + n, n + 1);
      const res = decodePacket(rec, pkt);
      whole.onPacket(rec, pkt, res);
      shards[pairShard(pkt.src, pkt.dst, 2)]!.onPacket(rec, pkt, res);
    });
    const a = whole.takeBatch(true);
    const parts = shards.map((s) => s.takeBatch(true));
    expect(parts.every((p) => p.flows.length > 0)).toBe(true); // both shards got work
    const m = mergeBatches(parts);
    const sorted = <T>(list: T[]): T[] => [...list].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
    const norm = (b: typeof a) => ({
      ...b,
      flows: [...b.flows].sort((x, y) => (x.key < y.key ? -1 : 1)),
      macs: sorted(b.macs),
      identities: sorted(b.identities),
      protocols: sorted(b.protocols),
      liveConnections: 0,
    });
    expect(norm(m)).toEqual(norm(a));
  });
});
