/**
 * decodePacket() on crafted frames: link types, VLAN stacks, fragments, IPv6 extension headers,
 * malformed headers, truncation at every byte offset, random bytes (fast-check), and tshark as the
 * oracle on the crafted frames written out as captures (into os.tmpdir()).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodePacket } from '../../src/decode/decodePacket.js';
import { ipToString, macToString } from '../../src/decode/format.js';
import { DECODE, DecodedPacket, type DecodeResult } from '../../src/decode/packet.js';
import { newCaptureRecord, type CaptureRecord } from '../../src/ingest/record.js';
import { readCaptureFile } from '../../src/ingest/readCapture.js';
import { buildPcap } from '../util/pcap.js';
import {
  ahHeader,
  arp,
  bytes,
  ethernet,
  extHeader,
  fragHeader,
  icmp,
  ipv4,
  ipv6,
  nullHeader,
  sll,
  sll2,
  tcp,
  udp,
} from './craft.js';
import { compareWithTshark } from './compareWithTshark.js';
import { tsharkRows } from './tsharkOracle.js';

const LEAD = 7; // frames sit at a non-zero offset in a larger buffer, followed by junk

/** A record whose frame sits at data[LEAD..LEAD+caplen), with 0xee junk after it. */
function record(linktype: number, frame: number[], caplen = frame.length): CaptureRecord {
  const rec = newCaptureRecord();
  const data = Buffer.alloc(LEAD + frame.length + 16, 0xee);
  Buffer.from(frame).copy(data, LEAD);
  rec.data = data;
  rec.offset = LEAD;
  rec.caplen = caplen;
  rec.origlen = frame.length;
  rec.linktype = linktype;
  rec.frame = 1;
  return rec;
}

function decode(linktype: number, frame: number[], caplen?: number): { r: DecodeResult; p: DecodedPacket; rec: CaptureRecord } {
  const p = new DecodedPacket();
  const rec = record(linktype, frame, caplen);
  return { r: decodePacket(rec, p), p, rec };
}

const MODBUS_REQ = [0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a];
const V6A = 'fd00:10:20::5';
const V6B = 'fd00:10:20::a';

// ---- crafted frames, by link type (also written out as captures for the tshark oracle) ----
const CRAFTED: Record<string, { linktype: number; frame: number[] }> = {
  modbusTcp: { linktype: 1, frame: ethernet(0x0800, ipv4(6, '10.20.1.50', '10.20.1.10', tcp(49152, 502, 0xfffffff0, 0x01020304, 0x18, MODBUS_REQ))) },
  qinq: {
    linktype: 1,
    frame: ethernet(0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', udp(5000, 2222, bytes(10))), {
      vlans: [
        [0x88a8, 100],
        [0x8100, 200],
      ],
    }),
  },
  qinqOld: {
    linktype: 1,
    frame: ethernet(0x86dd, ipv6(6, V6A, V6B, tcp(1234, 4840, 1, 0, 0x02, [], [2, 4, 5, 0xb4])), {
      vlans: [
        [0x9100, 7],
        [0x8100, 4094],
      ],
    }),
  },
  vlanArp: { linktype: 1, frame: ethernet(0x0806, arp(1, '192.168.10.131', '192.168.10.1'), { vlans: [[0x8100, 10]] }) },
  arpPadded: { linktype: 1, frame: [...ethernet(0x0806, arp(2, '10.1.1.1', '10.1.1.2')), ...new Array<number>(18).fill(0)] },
  padded: {
    // a 60-byte minimum frame: IPv4/TCP with a 2-byte payload and Ethernet padding after it
    linktype: 1,
    frame: [...ethernet(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', tcp(502, 50000, 7, 8, 0x18, [0xaa, 0xbb]))), 0, 0, 0, 0],
  },
  ipOptions: {
    linktype: 1,
    frame: ethernet(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', tcp(102, 40000, 9, 10, 0x11, [1, 2, 3]), { options: [0x94, 4, 0, 0] })),
  },
  v4FragFirst: {
    linktype: 1,
    frame: ethernet(0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', udp(47808, 47808, bytes(100), 1008), { id: 0x4242, mf: true })),
  },
  v4FragLater: {
    linktype: 1,
    frame: ethernet(0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', bytes(900), { id: 0x4242, fragOffset8: 14 })),
  },
  v6HopFragFirst: {
    linktype: 1,
    frame: ethernet(0x86dd, ipv6(0, V6A, V6B, [...extHeader(44), ...fragHeader(17, 0, true, 0xdeadbeef), ...udp(2222, 2222, bytes(32), 1000)])),
  },
  v6HopFragLater: {
    linktype: 1,
    frame: ethernet(0x86dd, ipv6(0, V6A, V6B, [...extHeader(44), ...fragHeader(17, 5, false, 0xdeadbeef), ...bytes(64)])),
  },
  v6DstRoutingTcp: {
    linktype: 1,
    frame: ethernet(
      0x86dd,
      ipv6(60, V6A, V6B, [...extHeader(43), ...extHeader(6, [0, 0, 0, 0, 0, 0, ...new Array<number>(16).fill(0)]), ...tcp(50000, 502, 5, 6, 0x10, MODBUS_REQ)]),
    ),
  },
  v6AhTcp: { linktype: 1, frame: ethernet(0x86dd, ipv6(51, V6A, V6B, [...ahHeader(6), ...tcp(50001, 102, 11, 12, 0x18, bytes(7))])) },
  v6NoNext: { linktype: 1, frame: ethernet(0x86dd, ipv6(59, V6A, V6B, [])) },
  v6Esp: { linktype: 1, frame: ethernet(0x86dd, ipv6(50, V6A, V6B, bytes(24))) },
  icmpEcho: { linktype: 1, frame: ethernet(0x0800, ipv4(1, '10.0.0.1', '10.0.0.2', icmp(8, 0, [0, 1, 0, 1], bytes(16)))) },
  icmpUnreach: {
    // port unreachable quoting the offending IPv4/UDP header: tshark shows two ip.src values
    linktype: 1,
    frame: ethernet(0x0800, ipv4(1, '10.0.0.2', '10.0.0.1', icmp(3, 3, [0, 0, 0, 0], ipv4(17, '10.0.0.1', '10.0.0.2', udp(40000, 161, bytes(4)))))),
  },
  icmpv6Echo: { linktype: 1, frame: ethernet(0x86dd, ipv6(58, V6A, V6B, icmp(128, 0, [0, 7, 0, 1], bytes(8)))) },
  llcStp: {
    // IEEE 802.3 frame: length 38, LLC DSAP/SSAP 0x42 (spanning tree), then padding
    linktype: 1,
    frame: [0x01, 0x80, 0xc2, 0, 0, 0, 0x00, 0x1d, 0x9c, 0xc8, 0x03, 0xe7, 0, 38, 0x42, 0x42, 0x03, ...new Array<number>(35).fill(0), 0, 0, 0, 0, 0, 0, 0, 0],
  },
  lldp: { linktype: 1, frame: ethernet(0x88cc, [0x02, 0x07, 0x04, ...bytes(6), 0, 0]) },
  sllTcp: { linktype: 113, frame: sll(0x0800, ipv4(6, '192.168.1.10', '192.168.1.20', tcp(102, 49999, 100, 200, 0x18, bytes(20)))) },
  sll2Tcp: { linktype: 276, frame: sll2(0x0800, ipv4(6, '192.168.1.10', '192.168.1.20', tcp(49999, 102, 300, 400, 0x18, bytes(22)))) },
  sllLlc: { linktype: 113, frame: sll(4, [0x42, 0x42, 0x03, ...bytes(35)]) },
  sll2V6: { linktype: 276, frame: sll2(0x86dd, ipv6(17, V6A, V6B, udp(53, 53000, bytes(12)))) },
  nullLe4: { linktype: 0, frame: nullHeader(2, true, ipv4(6, '127.0.0.1', '127.0.0.1', tcp(4840, 50000, 1, 2, 0x18, bytes(9)))) },
  nullBe4: { linktype: 0, frame: nullHeader(2, false, ipv4(17, '127.0.0.1', '127.0.0.1', udp(5353, 5353, bytes(9)))) },
  nullLe6: { linktype: 0, frame: nullHeader(30, true, ipv6(6, '::1', '::1', tcp(4840, 50000, 1, 2, 0x18, bytes(9)))) },
  nullBe6Bsd: { linktype: 0, frame: nullHeader(24, false, ipv6(6, '::1', '::1', tcp(50000, 4840, 3, 4, 0x10, []))) },
  nullLe6FreeBsd: { linktype: 0, frame: nullHeader(28, true, ipv6(17, '::1', '::1', udp(1, 2, bytes(3)))) },
  loop4: { linktype: 108, frame: nullHeader(2, false, ipv4(6, '127.0.0.1', '127.0.0.2', tcp(502, 50000, 1, 2, 0x12, []))) },
  v4LenTooLong: {
    // IPv4 total length 100 in a complete 66-byte frame: bounded by the frame, as tshark does
    linktype: 1,
    frame: ethernet(0x0800, ipv4(6, '10.20.1.50', '10.20.1.10', tcp(49152, 502, 1, 2, 0x18, MODBUS_REQ), { totalLen: 100 })),
  },
  v6LenTooLong: { linktype: 1, frame: ethernet(0x86dd, ipv6(6, V6A, V6B, tcp(49152, 502, 1, 2, 0x18, MODBUS_REQ), 100)) },
  raw4: { linktype: 101, frame: ipv4(6, '172.16.0.1', '172.16.0.2', tcp(44818, 50000, 1, 2, 0x18, bytes(24))) },
  raw6: { linktype: 101, frame: ipv6(17, V6A, V6B, udp(2222, 2222, bytes(40))) },
  ipv4Link: { linktype: 228, frame: ipv4(17, '172.16.0.1', '172.16.0.2', udp(47808, 47808, bytes(12))) },
  ipv6Link: { linktype: 229, frame: ipv6(6, V6A, V6B, tcp(20000, 20000, 1, 2, 0x18, bytes(12))) },
};

describe('decodePacket(crafted frames)', () => {
  test('decodePacket(Ethernet Modbus/TCP request) returns IP with addresses, ports, flags, raw seq and the 12-byte payload', () => {
    const { r, p, rec } = decode(1, CRAFTED.modbusTcp.frame);
    expect(r).toBe(DECODE.IP);
    expect(macToString(rec.data, p.dstMacOff)).toBe('02:00:5e:10:00:0a');
    expect(macToString(rec.data, p.srcMacOff)).toBe('00:1d:9c:c8:03:e7');
    expect([p.etherType, p.ipVersion, p.proto, p.ipLen, p.ipId, p.fragment]).toEqual([0x0800, 4, 6, 52, 0x1234, 0]);
    expect(ipToString(p.src, 4)).toBe('10.20.1.50');
    expect(ipToString(p.dst, 4)).toBe('10.20.1.10');
    expect(Array.from(p.src)).toEqual([0, 0, 0, 0x0a140132]);
    expect([p.srcPort, p.dstPort, p.tcpFlags, p.tcpSeq, p.tcpAck]).toEqual([49152, 502, 0x18, 0xfffffff0, 0x01020304]);
    expect([p.ipOff, p.l4Off, p.payloadOff, p.payloadLen, p.payloadWireLen]).toEqual([LEAD + 14, LEAD + 34, LEAD + 54, 12, 12]);
    expect([...rec.data.subarray(p.payloadOff, p.payloadOff + p.payloadLen)]).toEqual(MODBUS_REQ);
    expect([p.vlanOuter, p.vlanInner, p.icmpType, p.icmpCode]).toEqual([-1, -1, -1, -1]);
  });

  test('decodePacket(802.1ad + 802.1Q QinQ UDP) returns outer VLAN 100, inner 200, etherType 0x0800', () => {
    const { r, p } = decode(1, CRAFTED.qinq.frame);
    expect(r).toBe(DECODE.IP);
    expect([p.vlanOuter, p.vlanInner, p.etherType, p.proto, p.srcPort, p.dstPort, p.payloadLen]).toEqual([100, 200, 0x0800, 17, 5000, 2222, 10]);
    expect(p.ipOff).toBe(LEAD + 22);
  });

  test('decodePacket(0x9100 + 0x8100 QinQ IPv6 SYN with MSS option) returns VLANs 7/4094, TCP header 24 bytes', () => {
    const { r, p } = decode(1, CRAFTED.qinqOld.frame);
    expect(r).toBe(DECODE.IP);
    expect([p.vlanOuter, p.vlanInner, p.etherType, p.ipVersion, p.proto, p.tcpFlags]).toEqual([7, 4094, 0x86dd, 6, 6, 0x02]);
    expect([p.payloadOff - p.l4Off, p.payloadLen, p.payloadWireLen]).toEqual([24, 0, 0]);
    expect(ipToString(p.src, 6)).toBe('fd00:10:20::5');
  });

  test('decodePacket(802.1Q ARP request) returns ARP with op 1, sender and target IPv4, sender MAC', () => {
    const { r, p, rec } = decode(1, CRAFTED.vlanArp.frame);
    expect(r).toBe(DECODE.ARP);
    expect([p.vlanOuter, p.etherType, p.arpOp, p.arpSenderIp, p.arpTargetIp, p.ipVersion]).toEqual([10, 0x0806, 1, 0xc0a80a83, 0xc0a80a01, 0]);
    expect(macToString(rec.data, p.arpSenderMacOff)).toBe('00:1d:9c:c8:03:e7');
  });

  test('decodePacket(60-byte padded frame, 2-byte TCP payload) excludes the Ethernet padding', () => {
    const { r, p } = decode(1, CRAFTED.padded.frame);
    expect(CRAFTED.padded.frame.length).toBe(60);
    expect(r).toBe(DECODE.IP);
    expect([p.ipLen, p.payloadLen, p.payloadWireLen]).toEqual([42, 2, 2]);
  });

  test('decodePacket(IPv4 with a 4-byte option) puts L4 after the 24-byte header', () => {
    const { r, p } = decode(1, CRAFTED.ipOptions.frame);
    expect(r).toBe(DECODE.IP);
    expect([p.l4Off - p.ipOff, p.srcPort, p.dstPort, p.tcpFlags, p.payloadLen]).toEqual([24, 102, 40000, 0x11, 3]);
  });

  test('decodePacket(IPv4 first fragment, MF set) returns fragment 1 with the UDP ports and the fragment share of the payload', () => {
    const { r, p } = decode(1, CRAFTED.v4FragFirst.frame);
    expect(r).toBe(DECODE.IP);
    expect([p.fragment, p.ipId, p.proto, p.srcPort, p.dstPort, p.payloadLen, p.payloadWireLen]).toEqual([1, 0x4242, 17, 47808, 47808, 100, 100]);
  });

  test('decodePacket(IPv4 later fragment, offset 112) returns fragment 2, no L4 header, the fragment data as payload', () => {
    const { r, p } = decode(1, CRAFTED.v4FragLater.frame);
    expect(r).toBe(DECODE.IP);
    expect([p.fragment, p.ipId, p.proto, p.l4Off, p.srcPort, p.dstPort, p.payloadOff - p.ipOff, p.payloadLen]).toEqual([2, 0x4242, 17, 0, 0, 0, 20, 900]);
  });

  test('decodePacket(IPv6 hop-by-hop + first fragment + UDP) returns proto 17, fragment 1, fragment id', () => {
    const { r, p } = decode(1, CRAFTED.v6HopFragFirst.frame);
    expect(r).toBe(DECODE.IP);
    expect([p.proto, p.fragment, p.ipId, p.srcPort, p.dstPort, p.l4Off - p.ipOff, p.payloadLen, p.payloadWireLen]).toEqual([
      17, 1, 0xdeadbeef, 2222, 2222, 56, 32, 32,
    ]);
  });

  test('decodePacket(IPv6 hop-by-hop + later fragment) returns fragment 2 with proto 17 and no ports', () => {
    const { r, p } = decode(1, CRAFTED.v6HopFragLater.frame);
    expect(r).toBe(DECODE.IP);
    expect([p.proto, p.fragment, p.ipId, p.l4Off, p.srcPort, p.payloadOff - p.ipOff, p.payloadLen]).toEqual([17, 2, 0xdeadbeef, 0, 0, 56, 64]);
  });

  test('decodePacket(IPv6 destination options + routing (24 bytes) + TCP) skips 32 bytes of extension headers', () => {
    const { r, p } = decode(1, CRAFTED.v6DstRoutingTcp.frame);
    expect(r).toBe(DECODE.IP);
    expect([p.proto, p.l4Off - p.ipOff, p.srcPort, p.dstPort, p.payloadLen]).toEqual([6, 72, 50000, 502, 12]);
  });

  test('decodePacket(IPv6 AH + TCP) skips the AH by its 4-octet length', () => {
    const { r, p } = decode(1, CRAFTED.v6AhTcp.frame);
    expect(r).toBe(DECODE.IP);
    expect([p.proto, p.l4Off - p.ipOff, p.dstPort, p.payloadLen]).toEqual([6, 64, 102, 7]);
  });

  test('decodePacket(IPv6 no next header / ESP) stops with proto 59 / 50', () => {
    const a = decode(1, CRAFTED.v6NoNext.frame);
    expect([a.r, a.p.proto, a.p.payloadLen, a.p.srcPort]).toEqual([DECODE.IP, 59, 0, 0]);
    const b = decode(1, CRAFTED.v6Esp.frame);
    expect([b.r, b.p.proto, b.p.payloadLen, b.p.srcPort]).toEqual([DECODE.IP, 50, 24, 0]);
  });

  test('decodePacket(ICMP echo / port unreachable / ICMPv6 echo) returns type and code, outer addresses', () => {
    const a = decode(1, CRAFTED.icmpEcho.frame);
    expect([a.r, a.p.proto, a.p.icmpType, a.p.icmpCode, a.p.srcPort, a.p.payloadLen]).toEqual([DECODE.IP, 1, 8, 0, 0, 16]);
    const b = decode(1, CRAFTED.icmpUnreach.frame);
    expect([b.r, b.p.proto, b.p.icmpType, b.p.icmpCode, b.p.srcPort, b.p.payloadLen]).toEqual([DECODE.IP, 1, 3, 3, 0, 32]);
    expect(ipToString(b.p.src, 4)).toBe('10.0.0.2');
    const c = decode(1, CRAFTED.icmpv6Echo.frame);
    expect([c.r, c.p.proto, c.p.icmpType, c.p.icmpCode]).toEqual([DECODE.IP, 58, 128, 0]);
  });

  test('decodePacket(802.3 LLC spanning tree / LLDP) returns OTHER_L2 with etherType 0 / 0x88cc and the L2 payload', () => {
    const a = decode(1, CRAFTED.llcStp.frame);
    expect([a.r, a.p.etherType, a.p.ipVersion, a.p.payloadOff - LEAD, a.p.payloadLen]).toEqual([DECODE.OTHER_L2, 0, 0, 14, 38]);
    const b = decode(1, CRAFTED.lldp.frame);
    expect([b.r, b.p.etherType, b.p.payloadLen]).toEqual([DECODE.OTHER_L2, 0x88cc, 11]);
  });

  test('decodePacket(SLL / SLL2) reads the protocol field and the source MAC', () => {
    for (const [name, lt, hdr] of [
      ['sllTcp', 113, 16],
      ['sll2Tcp', 276, 20],
    ] as const) {
      const { r, p, rec } = decode(lt, CRAFTED[name].frame);
      expect(r).toBe(DECODE.IP);
      expect([p.ipOff - LEAD, p.etherType, p.proto, p.dstMacOff]).toEqual([hdr, 0x0800, 6, -1]);
      expect(macToString(rec.data, p.srcMacOff)).toBe('00:1d:9c:c8:03:e7');
    }
    // protocol 4 (ETH_P_802_2) is a Linux pseudo-protocol, not an 802.3 length: OTHER_L2 with all bytes
    const llc = decode(113, sll(4, [0x42, 0x42, 0x03, ...bytes(35)]));
    expect([llc.r, llc.p.etherType, llc.p.payloadOff - LEAD, llc.p.payloadLen]).toEqual([DECODE.OTHER_L2, 0, 16, 38]);
    const v6 = decode(276, CRAFTED.sll2V6.frame);
    expect([v6.r, v6.p.ipVersion, v6.p.proto, v6.p.srcPort, v6.p.payloadLen]).toEqual([DECODE.IP, 6, 17, 53, 12]);
  });

  test('decodePacket(NULL in both byte orders, LOOP) maps AF 2 to IPv4 and 24/28/30 to IPv6', () => {
    const cases: Array<[string, number, number]> = [
      ['nullLe4', 0, 4],
      ['nullBe4', 0, 4],
      ['nullLe6', 0, 6],
      ['nullBe6Bsd', 0, 6],
      ['nullLe6FreeBsd', 0, 6],
      ['loop4', 108, 4],
    ];
    for (const [name, lt, v] of cases) {
      const { r, p } = decode(lt, CRAFTED[name].frame);
      expect([name, r, p.ipVersion, p.etherType, p.ipOff - LEAD, p.srcMacOff]).toEqual([name, DECODE.IP, v, v === 4 ? 0x0800 : 0x86dd, 4, -1]);
    }
    // AF 7 (OSI) is not IP; and LOOP is network order only: a little-endian 2 is not AF_INET there.
    expect(decode(0, nullHeader(7, true, bytes(30))).r).toBe(DECODE.OTHER_L2);
    expect(decode(108, CRAFTED.nullLe4.frame).r).toBe(DECODE.OTHER_L2);
  });

  test('decodePacket(raw IP 101/12/14, IPv4 228, IPv6 229) decides by the version nibble or the link type', () => {
    for (const lt of [101, 12, 14]) {
      expect([decode(lt, CRAFTED.raw4.frame).r, decode(lt, CRAFTED.raw4.frame).p.ipVersion]).toEqual([DECODE.IP, 4]);
      expect([decode(lt, CRAFTED.raw6.frame).r, decode(lt, CRAFTED.raw6.frame).p.ipVersion]).toEqual([DECODE.IP, 6]);
    }
    const a = decode(228, CRAFTED.ipv4Link.frame);
    expect([a.r, a.p.ipOff, a.p.srcPort, a.p.payloadLen]).toEqual([DECODE.IP, LEAD, 47808, 12]);
    const b = decode(229, CRAFTED.ipv6Link.frame);
    expect([b.r, b.p.ipVersion, b.p.srcPort, b.p.payloadLen]).toEqual([DECODE.IP, 6, 20000, 12]);
    // the link type says IPv4 but the header says 6 (and vice versa): version mismatch
    expect(decode(228, CRAFTED.ipv6Link.frame).r).toBe(DECODE.MALFORMED);
    expect(decode(229, CRAFTED.ipv4Link.frame).r).toBe(DECODE.MALFORMED);
    expect(decode(101, [0x50, ...bytes(40)]).r).toBe(DECODE.MALFORMED);
  });

  test('decodePacket(unknown link type 147) returns UNSUPPORTED_LINKTYPE', () => {
    expect(decode(147, CRAFTED.modbusTcp.frame).r).toBe(DECODE.UNSUPPORTED_LINKTYPE);
  });

  test('decodePacket(invalid headers) returns MALFORMED: version mismatch, IHL 4, total length < IHL, TCP offset 4, UDP length 4 or too long', () => {
    const v6in4 = ethernet(0x0800, ipv6(59, V6A, V6B, []));
    expect(decode(1, v6in4).r).toBe(DECODE.MALFORMED);
    const ihl4 = ethernet(0x0800, ipv4(6, '1.1.1.1', '2.2.2.2', tcp(1, 2, 3, 4, 0x10, []), { versionIhl: 0x44 }));
    expect(decode(1, ihl4).r).toBe(DECODE.MALFORMED);
    const shortTotal = ethernet(0x0800, ipv4(6, '1.1.1.1', '2.2.2.2', tcp(1, 2, 3, 4, 0x10, []), { totalLen: 12 }));
    expect(decode(1, shortTotal).r).toBe(DECODE.MALFORMED);
    const t = tcp(1, 2, 3, 4, 0x10, bytes(4));
    t[12] = 0x40;
    const off4 = decode(1, ethernet(0x0800, ipv4(6, '1.1.1.1', '2.2.2.2', t)));
    expect([off4.r, off4.p.srcPort, off4.p.dstPort]).toEqual([DECODE.MALFORMED, 1, 2]);
    const longOff = tcp(1, 2, 3, 4, 0x10, []);
    longOff[12] = 0xf0; // 60-byte header in a 20-byte segment
    expect(decode(1, ethernet(0x0800, ipv4(6, '1.1.1.1', '2.2.2.2', longOff))).r).toBe(DECODE.MALFORMED);
    expect(decode(1, ethernet(0x0800, ipv4(17, '1.1.1.1', '2.2.2.2', udp(1, 2, bytes(8), 4)))).r).toBe(DECODE.MALFORMED);
    expect(decode(1, ethernet(0x0800, ipv4(17, '1.1.1.1', '2.2.2.2', udp(1, 2, bytes(8), 100)))).r).toBe(DECODE.MALFORMED);
    // an IPv6 extension header longer than the IPv6 payload
    const badExt = ethernet(0x86dd, ipv6(0, V6A, V6B, [6, 5, ...bytes(14)]));
    expect(decode(1, badExt).r).toBe(DECODE.MALFORMED);
  });

  test('decodePacket(TSO frame with IPv4 total length 0) takes the frame length, as tshark does', () => {
    const { r, p } = decode(1, ethernet(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', tcp(1, 502, 1, 1, 0x18, MODBUS_REQ), { totalLen: 0 })));
    expect([r, p.ipLen, p.payloadLen, p.payloadWireLen]).toEqual([DECODE.IP, 52, 12, 12]);
  });

  test('decodePacket(IP length beyond the complete frame) bounds the payload by the frame: 12 bytes, ipLen as in the header', () => {
    const a = decode(1, CRAFTED.v4LenTooLong.frame);
    expect([a.r, a.p.ipLen, a.p.payloadLen, a.p.payloadWireLen]).toEqual([DECODE.IP, 100, 12, 12]);
    const b = decode(1, CRAFTED.v6LenTooLong.frame);
    expect([b.r, b.p.ipLen, b.p.payloadLen, b.p.payloadWireLen]).toEqual([DECODE.IP, 140, 12, 12]);
  });

  test('decodePacket(snap length cut inside the TCP payload) returns IP with payloadLen < payloadWireLen', () => {
    const f = CRAFTED.modbusTcp.frame;
    const { r, p } = decode(1, f, f.length - 5);
    expect([r, p.payloadLen, p.payloadWireLen, p.dstPort]).toEqual([DECODE.IP, 7, 12, 502]);
  });

  test('decodePacket(TCP frame, then ARP into the same object) resets every field the TCP frame set', () => {
    const p = new DecodedPacket();
    decodePacket(record(1, CRAFTED.v6HopFragFirst.frame), p);
    decodePacket(record(1, CRAFTED.qinqOld.frame), p);
    expect(decodePacket(record(1, CRAFTED.arpPadded.frame), p)).toBe(DECODE.ARP);
    const fresh = new DecodedPacket();
    decodePacket(record(1, CRAFTED.arpPadded.frame), fresh);
    expect({ ...p, src: Array.from(p.src), dst: Array.from(p.dst) }).toEqual({ ...fresh, src: Array.from(fresh.src), dst: Array.from(fresh.dst) });
  });
});

describe('decodePacket(crafted captures) agrees with tshark', () => {
  test('decodePacket(every crafted frame, written as one capture per link type) matches tshark field by field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zonescope-decode-'));
    try {
      const byLink = new Map<number, Array<[string, number[]]>>();
      for (const [name, c] of Object.entries(CRAFTED)) {
        const l = byLink.get(c.linktype) ?? [];
        l.push([name, c.frame]);
        byLink.set(c.linktype, l);
      }
      const mismatches: string[] = [];
      let compared = 0;
      for (const [lt, list] of byLink) {
        const file = join(dir, `crafted-${lt}.pcap`);
        writeFileSync(file, buildPcap(lt, list.map(([, f]) => Uint8Array.from(f))));
        const rows = tsharkRows(file);
        expect(rows.length).toBe(list.length);
        const p = new DecodedPacket();
        await readCaptureFile(file, (rec) => {
          const r = decodePacket(rec, p);
          compared++;
          for (const m of compareWithTshark(rec, p, r, rows[rec.frame - 1])) mismatches.push(`${list[rec.frame - 1][0]}: ${m}`);
        });
      }
      expect(compared).toBe(Object.keys(CRAFTED).length);
      expect(mismatches).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- robustness ----

/** Every field of p is either its reset value or the value of the full decode (nothing invented). */
function consistentWith(p: DecodedPacket, full: DecodedPacket): string[] {
  const fresh = new DecodedPacket() as unknown as Record<string, unknown>;
  const a = p as unknown as Record<string, unknown>;
  const f = full as unknown as Record<string, unknown>;
  const bad: string[] = [];
  for (const k of Object.keys(fresh)) {
    if (k === 'src' || k === 'dst' || k === 'tunnelSrc' || k === 'tunnelDst') {
      const x = Array.from(a[k] as Uint32Array);
      const y = Array.from(f[k] as Uint32Array);
      if (x.some((v) => v !== 0) && x.join() !== y.join()) bad.push(k);
      continue;
    }
    if (a[k] !== fresh[k] && a[k] !== f[k]) bad.push(`${k}=${String(a[k])} (full ${String(f[k])})`);
  }
  return bad;
}

function truncationSweep(linktype: number, frame: number[]): void {
  const full = decode(linktype, frame);
  expect(full.r).toBe(DECODE.IP);
  const headerEnd = full.p.payloadOff - LEAD;
  for (let cut = 0; cut <= frame.length; cut++) {
    const { r, p } = decode(linktype, frame, cut);
    if (cut < headerEnd) {
      expect([cut, r]).toEqual([cut, DECODE.TRUNCATED]);
      expect([cut, consistentWith(p, full.p)]).toEqual([cut, []]);
    } else {
      expect([cut, r]).toEqual([cut, DECODE.IP]);
      expect([cut, p.payloadLen, p.payloadWireLen]).toEqual([cut, cut - headerEnd, full.p.payloadWireLen]);
      expect([cut, consistentWith(p, full.p).filter((k) => !k.startsWith('payloadLen'))]).toEqual([cut, []]);
    }
  }
}

describe('decodePacket(truncated and random input) never throws', () => {
  test('decodePacket(TCP/IPv4 frame cut at every byte offset) returns TRUNCATED inside the headers, IP with a shorter payload after', () => {
    truncationSweep(1, CRAFTED.modbusTcp.frame);
    truncationSweep(1, CRAFTED.qinq.frame);
  });

  test('decodePacket(UDP/IPv6 frame with extension headers cut at every byte offset) returns TRUNCATED inside the headers', () => {
    truncationSweep(1, CRAFTED.v6HopFragFirst.frame);
    truncationSweep(276, CRAFTED.sll2V6.frame);
    truncationSweep(0, CRAFTED.nullLe6.frame);
  });

  const LINKTYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147];
  const VALID: number[] = [DECODE.IP, DECODE.ARP, DECODE.OTHER_L2, DECODE.TRUNCATED, DECODE.MALFORMED, DECODE.UNSUPPORTED_LINKTYPE];

  function checkInvariants(rec: CaptureRecord, p: DecodedPacket, r: DecodeResult): void {
    expect(VALID).toContain(r);
    const end = rec.offset + rec.caplen;
    if (r === DECODE.IP) {
      expect([4, 6]).toContain(p.ipVersion);
      expect(p.payloadLen).toBeGreaterThanOrEqual(0);
      expect(p.payloadLen).toBeLessThanOrEqual(p.payloadWireLen);
      expect(p.payloadOff + p.payloadLen).toBeLessThanOrEqual(end);
      expect(p.ipOff).toBeGreaterThanOrEqual(rec.offset);
      if (p.l4Off !== 0) expect(p.l4Off).toBeGreaterThan(p.ipOff);
    }
    for (const o of [p.srcMacOff, p.dstMacOff, p.arpSenderMacOff]) if (o !== -1) expect(o + 6).toBeLessThanOrEqual(end);
  }

  test('decodePacket(random bytes, random link type, random caplen) never throws and keeps offsets in bounds', () => {
    const p = new DecodedPacket();
    fc.assert(
      fc.property(fc.constantFrom(...LINKTYPES), fc.uint8Array({ maxLength: 200 }), fc.nat(300), (lt, data, extra) => {
        const rec = newCaptureRecord();
        rec.data = Buffer.from(data);
        rec.caplen = data.length;
        rec.origlen = data.length + (extra % 3 === 0 ? extra : 0);
        rec.linktype = lt;
        const r = decodePacket(rec, p);
        checkInvariants(rec, p, r);
      }),
      { numRuns: 20000, seed: 62443 },
    );
  });

  test('decodePacket(crafted frames with random byte mutations and cuts) never throws and keeps offsets in bounds', () => {
    const frames = Object.values(CRAFTED);
    const p = new DecodedPacket();
    fc.assert(
      fc.property(
        fc.nat(frames.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        (i, muts, cutSeed) => {
          const { linktype, frame } = frames[i];
          const f = frame.slice();
          for (const [pos, v] of muts) f[pos % f.length] = v;
          const cut = cutSeed % (f.length + 1);
          const rec = record(linktype, f, cut);
          const r = decodePacket(rec, p);
          checkInvariants(rec, p, r);
        },
      ),
      { numRuns: 20000, seed: 104 },
    );
  });
});
