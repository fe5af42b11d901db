/**
 * Test helper: a small Modbus/TCP conversation (Ethernet/IPv4 frames from test/util/frameBuilder) and
 * wrappers that carry each frame through one encapsulation (GRE, ERSPAN II/III, VXLAN, MPLS, PPPoE,
 * PPP and NFLOG link types, IP-in-IP), for decode tests checked against tshark.
 */
import { ip4, modbusAdu, tcpFrame } from '../util/frameBuilder.js';

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;

/** Handshake, `polls` FC 3 exchanges, FIN both ways: Ethernet/IPv4 frames. */
export function modbusConversation(client: string, server: string, sport: number, polls: number): Buffer[] {
  let cs = 100;
  let ss = 900;
  const c = (flags: number, payload?: Buffer): Buffer => tcpFrame({ src: client, dst: server, sport, dport: 502, seq: cs, ack: ss, flags, payload });
  const s = (flags: number, payload?: Buffer): Buffer => tcpFrame({ src: server, dst: client, sport: 502, dport: sport, seq: ss, ack: cs, flags, payload });
  const out: Buffer[] = [c(SYN)];
  cs++;
  out.push(s(SYN | ACK));
  ss++;
  out.push(c(ACK));
  for (let i = 1; i <= polls; i++) {
    const q = modbusAdu(i, 1, [3, 0, 0, 0, 2]);
    out.push(c(PSH | ACK, q));
    cs += q.length;
    const r = modbusAdu(i, 1, [3, 4, 0, 1, 0, 2]);
    out.push(s(PSH | ACK, r));
    ss += r.length;
  }
  out.push(c(FIN | ACK));
  cs++;
  out.push(s(FIN | ACK));
  ss++;
  out.push(c(ACK));
  return out;
}

const ETH = (type: number, payload: Buffer): Buffer => {
  const h = Buffer.from([0x00, 0x50, 0x56, 0, 0, 0x10, 0x00, 0x50, 0x56, 0, 0, 0x20, type >> 8, type & 0xff]);
  return Buffer.concat([h, payload]);
};
/** The IP packet of an Ethernet/IPv4 frame. */
const ipOf = (frame: Buffer): Buffer => frame.subarray(14);

export function ipv4(proto: number, src: string, dst: string, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payload.length, 2);
  h[8] = 64;
  h[9] = proto;
  Buffer.from(ip4(src)).copy(h, 12);
  Buffer.from(ip4(dst)).copy(h, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += h.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  h.writeUInt16BE(~sum & 0xffff, 10);
  return Buffer.concat([h, payload]);
}

const OUTER_SRC = '192.0.2.1';
const OUTER_DST = '192.0.2.2';

/** GRE with key and sequence number carrying the IPv4 packet (protocol 0x0800). */
export function gre(frame: Buffer, i: number, key = 42): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(0x3000, 0);
  h.writeUInt16BE(0x0800, 2);
  h.writeUInt32BE(key, 4);
  h.writeUInt32BE(i, 8);
  return ETH(0x0800, ipv4(47, OUTER_SRC, OUTER_DST, Buffer.concat([h, ipOf(frame)])));
}

/** ERSPAN type II (GRE S bit, 0x88be, 8-byte header with session id) carrying the Ethernet frame. */
export function erspan2(frame: Buffer, i: number, session = 7): Buffer {
  const g = Buffer.alloc(8);
  g.writeUInt16BE(0x1000, 0);
  g.writeUInt16BE(0x88be, 2);
  g.writeUInt32BE(i, 4);
  const e = Buffer.alloc(8);
  e.writeUInt16BE(0x1000 | 0, 0); // version 1, VLAN 0
  e.writeUInt16BE(session & 0x3ff, 2);
  return ETH(0x0800, ipv4(47, OUTER_SRC, OUTER_DST, Buffer.concat([g, e, frame])));
}

/** ERSPAN type III (GRE 0x22eb, 12-byte header, no platform subheader). */
export function erspan3(frame: Buffer, i: number, session = 9): Buffer {
  const g = Buffer.alloc(8);
  g.writeUInt16BE(0x1000, 0);
  g.writeUInt16BE(0x22eb, 2);
  g.writeUInt32BE(i, 4);
  const e = Buffer.alloc(12);
  e.writeUInt16BE(0x2000, 0); // version 2
  e.writeUInt16BE(session & 0x3ff, 2);
  e.writeUInt32BE(1000 + i, 4);
  return ETH(0x0800, ipv4(47, OUTER_SRC, OUTER_DST, Buffer.concat([g, e, frame])));
}

/** VXLAN (UDP 4789, VNI) carrying the Ethernet frame. */
export function vxlan(frame: Buffer, _i: number, vni = 5001): Buffer {
  const v = Buffer.from([0x08, 0, 0, 0, vni >> 16, (vni >> 8) & 0xff, vni & 0xff, 0]);
  const body = Buffer.concat([v, frame]);
  const u = Buffer.alloc(8);
  u.writeUInt16BE(49152, 0);
  u.writeUInt16BE(4789, 2);
  u.writeUInt16BE(8 + body.length, 4);
  return ETH(0x0800, ipv4(17, OUTER_SRC, OUTER_DST, Buffer.concat([u, body])));
}

/** Two MPLS labels (16, then 1001 bottom of stack) before the IPv4 packet. */
export function mpls(frame: Buffer): Buffer {
  const l = Buffer.alloc(8);
  l.writeUInt32BE((16 << 12) | 64, 0);
  l.writeUInt32BE((1001 << 12) | 0x100 | 64, 4);
  return ETH(0x8847, Buffer.concat([l, ipOf(frame)]));
}

/** PPPoE session 0x0011, PPP protocol 0x0021 (IPv4). */
export function pppoe(frame: Buffer): Buffer {
  const ip = ipOf(frame);
  const h = Buffer.from([0x11, 0x00, 0x00, 0x11, 0, 0, 0x00, 0x21]);
  h.writeUInt16BE(ip.length + 2, 4);
  return ETH(0x8864, Buffer.concat([h, ip]));
}

/** LINKTYPE_PPP (9): HDLC address/control, protocol 0x0021. */
export function ppp(frame: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0x03, 0x00, 0x21]), ipOf(frame)]);
}

/** LINKTYPE_NFLOG (239): AF_INET, version 0, resource 0, a prefix TLV, then NFULA_PAYLOAD (little-endian TLVs). */
export function nflog(frame: Buffer): Buffer {
  const ip = ipOf(frame);
  const prefix = Buffer.from([9, 0, 10, 0, 0x7a, 0x73, 0x00, 0, 0, 0, 0, 0]); // len 9 "zs\0" padded to 12
  const pl = Buffer.alloc(4);
  pl.writeUInt16LE(4 + ip.length, 0);
  pl.writeUInt16LE(9, 2);
  const pad = Buffer.alloc((4 - (ip.length % 4)) % 4);
  return Buffer.concat([Buffer.from([2, 0, 0, 0]), prefix, pl, ip, pad]);
}

/** IPv4 in IPv4 (protocol 4). */
export function ipip(frame: Buffer): Buffer {
  return ETH(0x0800, ipv4(4, OUTER_SRC, OUTER_DST, ipOf(frame)));
}
