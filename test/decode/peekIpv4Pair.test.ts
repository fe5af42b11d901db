/**
 * peekIpv4Pair, the raw-bytes owner check of parallel ingest, against decodePacket: on every frame of
 * the real captures and the demo plant it either declines or reads the addresses decodePacket reads,
 * so both give the same worker (pairShard); and it takes the bulk of the plant's frames.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodePacket } from '../../src/decode/decodePacket.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { peekIpv4Pair } from '../../src/decode/peekIpv4Pair.js';
import { ipv4PairShard, pairShard } from '../../src/flows/flowAggregator.js';
import { readCaptureFile } from '../../src/ingest/readCapture.js';
import { newCaptureRecord, type CaptureRecord } from '../../src/ingest/record.js';
import { capturePath, listCaptures, REPO_ROOT } from '../util/captures.js';
import { ethernet, ipv4, ipv6, tcp } from './craft.js';

interface Tally {
  frames: number;
  peeked: number;
  ethernetIpv4: number;
  disagreements: string[];
}

async function compare(path: string): Promise<Tally> {
  const pkt = new DecodedPacket();
  const pair = new Uint32Array(2);
  const t: Tally = { frames: 0, peeked: 0, ethernetIpv4: 0, disagreements: [] };
  await readCaptureFile(path, (rec) => {
    t.frames++;
    const peeked = peekIpv4Pair(rec, pair);
    decodePacket(rec, pkt);
    if (rec.linktype === 1 && pkt.ipVersion === 4) t.ethernetIpv4++;
    if (!peeked) return;
    t.peeked++;
    const same = pkt.ipVersion === 4 && pkt.src[3] === pair[0] && pkt.dst[3] === pair[1];
    const shards = [2, 3, 7].every((n) => ipv4PairShard(pair[0]!, pair[1]!, n) === pairShard(pkt.src, pkt.dst, n));
    if (!same || !shards) t.disagreements.push(`frame ${rec.frame}: peek ${pair[0]} ${pair[1]}, decodePacket v${pkt.ipVersion} ${pkt.src[3]} ${pkt.dst[3]}`);
  });
  return t;
}

function record(bytes: number[], caplen = bytes.length, linktype = 1): CaptureRecord {
  const rec = newCaptureRecord();
  rec.data = Buffer.from(bytes);
  rec.caplen = caplen;
  rec.origlen = bytes.length;
  rec.linktype = linktype;
  return rec;
}

describe('peekIpv4Pair', () => {
  test.each(listCaptures())('peekIpv4Pair(every frame of %s) agrees with decodePacket', async (rel) => {
    const t = await compare(capturePath(rel));
    expect(t.disagreements).toEqual([]);
    expect(t.peeked).toBeLessThanOrEqual(t.ethernetIpv4);
  });

  test('peekIpv4Pair(every frame of the demo plant) agrees with decodePacket and takes nearly every Ethernet/IPv4 frame', async () => {
    const demo = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
    const total: Tally = { frames: 0, peeked: 0, ethernetIpv4: 0, disagreements: [] };
    for (const n of readdirSync(demo).filter((f) => f.endsWith('.gz')).sort()) {
      const t = await compare(join(demo, n));
      total.frames += t.frames;
      total.peeked += t.peeked;
      total.ethernetIpv4 += t.ethernetIpv4;
      total.disagreements.push(...t.disagreements.map((d) => `${n} ${d}`));
    }
    expect(total.disagreements).toEqual([]);
    expect(total.frames).toBeGreaterThan(50_000);
    expect(total.peeked / total.ethernetIpv4).toBeGreaterThan(0.95);
  });

  test('peekIpv4Pair(Ethernet/IPv4, with and without an 802.1Q tag) reads the addresses', () => {
    const pair = new Uint32Array(2);
    const ip = ipv4(6, '10.20.1.10', '192.168.0.1', tcp(1, 502, 0, 0, 0x02, []));
    for (const frame of [ethernet(0x0800, ip), ethernet(0x0800, ip, { vlans: [[0x8100, 20]] })]) {
      expect(peekIpv4Pair(record(frame), pair)).toBe(true);
      expect([...pair]).toEqual([0x0a14010a, 0xc0a80001]);
    }
  });

  test('peekIpv4Pair(frames it cannot settle) declines them: QinQ, IPv6, cut IPv4 header, bad version or IHL, other link types', () => {
    const pair = new Uint32Array(2);
    const ip = ipv4(6, '10.20.1.10', '192.168.0.1', tcp(1, 502, 0, 0, 0x02, []));
    const eth = ethernet(0x0800, ip);
    const cases: CaptureRecord[] = [
      record(ethernet(0x0800, ip, { vlans: [[0x88a8, 100], [0x8100, 20]] })),
      record(ethernet(0x86dd, ipv6(6, '2001:db8::1', '2001:db8::2', tcp(1, 502, 0, 0, 0x02, [])))),
      record(eth, 14 + 19),
      record(ethernet(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', [], { versionIhl: 0x45 & 0x0f | 0x60 }))),
      record(ethernet(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', [], { versionIhl: 0x44 }))),
      record(ip, ip.length, 101),
      record(eth.slice(0, 13)),
    ];
    expect(cases.map((c) => peekIpv4Pair(c, pair))).toEqual(cases.map(() => false));
  });
});
