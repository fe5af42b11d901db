import { decodePacket } from '../../src/decode/decodePacket.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { L2Tracker, macNumberToString } from '../../src/flows/l2Tracker.js';
import { record, tcpFrame } from '../util/frameBuilder.js';
import { ConnFixture } from './connFixture.js';

function arpFrame(senderMac: number[], senderIp: number[]): Buffer {
  const f = Buffer.alloc(42);
  Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).copy(f, 0);
  Buffer.from(senderMac).copy(f, 6);
  f.writeUInt16BE(0x0806, 12);
  f.writeUInt16BE(1, 14); // Ethernet
  f.writeUInt16BE(0x0800, 16);
  f[18] = 6;
  f[19] = 4;
  f.writeUInt16BE(1, 20); // request
  Buffer.from(senderMac).copy(f, 22);
  Buffer.from(senderIp).copy(f, 28);
  return f;
}

function lldpFrame(srcMac: number[]): Buffer {
  const f = Buffer.alloc(60);
  Buffer.from([0x01, 0x80, 0xc2, 0, 0, 0x0e]).copy(f, 0);
  Buffer.from(srcMac).copy(f, 6);
  f.writeUInt16BE(0x88cc, 12);
  return f;
}

describe('L2Tracker', () => {
  test('L2Tracker.noteArp / noteL2 keep ARP senders and non-IP frames per MAC and EtherType', () => {
    const fx = new ConnFixture();
    const t = new L2Tracker(fx.hosts);
    const pkt = new DecodedPacket();
    const frames: Array<[Buffer, number]> = [[arpFrame([0, 0x1d, 0x9c, 0xc1, 0, 0x0a], [10, 20, 1, 10]), 100], [arpFrame([0, 0x1d, 0x9c, 0xc1, 0, 0x0a], [10, 20, 1, 10]), 105], [lldpFrame([0, 0x0e, 0x8c, 1, 2, 3]), 110], [lldpFrame([0, 0x0e, 0x8c, 1, 2, 3]), 120]];
    for (const [f, ts] of frames) {
      const rec = record(f, ts);
      decodePacket(rec, pkt);
      if (f.readUInt16BE(12) === 0x0806) t.noteArp(rec, pkt, ts);
      else t.noteL2(rec, pkt, ts);
    }
    const out = t.take();
    expect(out.arp).toEqual([{ ip: '10.20.1.10', mac: '00:1d:9c:c1:00:0a', packets: 2, firstTs: 100, lastTs: 105 }]);
    expect(out.l2).toEqual([{ mac: '00:0e:8c:01:02:03', etherType: 0x88cc, packets: 2, bytes: 120, firstTs: 110, lastTs: 120 }]);
    expect(t.take()).toEqual({ macs: [], arp: [], l2: [] });
  });

  test('L2Tracker.notePacketMac then foldMacs give each side its source MAC with the packets since the last fold', () => {
    const fx = new ConnFixture();
    const t = new L2Tracker(fx.hosts);
    const pkt = new DecodedPacket();
    const c = fx.conn('10.30.1.50', 50123, '10.20.1.10', 502, 6, 100);
    const f1 = tcpFrame({ src: '10.30.1.50', dst: '10.20.1.10', sport: 50123, dport: 502, seq: 1, flags: 0x02, srcMac: [0, 1, 2, 3, 4, 5] });
    const rec = record(f1, 100);
    decodePacket(rec, pkt);
    L2Tracker.notePacketMac(c, rec, pkt, c.firstFromA);
    c.count(c.firstFromA, f1.length, 100);
    c.count(c.firstFromA, f1.length, 101);
    t.foldMacs(c);
    expect(t.take().macs).toEqual([{ ip: '10.30.1.50', mac: '00:01:02:03:04:05', packets: 2, firstTs: 100, lastTs: 101 }]);
    expect(macNumberToString(0x001d9cc1000a)).toBe('00:1d:9c:c1:00:0a');
  });
});
