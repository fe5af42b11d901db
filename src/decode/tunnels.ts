/**
 * Tunnel and encapsulation headers, read for decodePacket (no allocation): each function checks one
 * header at `off`, records the tunnel in the DecodedPacket (outermost tunnel only), and returns where
 * the inner frame starts and what it is (INNER_*), or a negative value when the header is cut or
 * invalid. decodePacket then decodes the inner frame as if captured directly.
 *
 *  - GRE: RFC 2784 / RFC 2890 (C, K, S bits: checksum+reserved, key, sequence number); protocol type
 *    0x6558 transparent Ethernet bridging, 0x88be ERSPAN type II, 0x22eb ERSPAN type III, else an
 *    EtherType (IPv4, IPv6, MPLS, ...).
 *  - ERSPAN: draft-foschiano-erspan-03: type II header 8 bytes (version 1, VLAN, COS/En/T, session id
 *    10 bits, index); type III 12 bytes (version 2, session id 10 bits, timestamp, SGT, flags with the
 *    O bit announcing an 8-byte platform-specific subheader). Then an Ethernet frame. A GRE header
 *    without the S bit and protocol 0x88be is ERSPAN type I (no header).
 *  - VXLAN: RFC 7348 section 5 (UDP 4789): flags (I bit), 24-bit VNI; then an Ethernet frame.
 *  - MPLS: RFC 3032 section 2.1 label stack entries (label 20 bits, TC, S bottom of stack, TTL); after
 *    the stack the first nibble tells IPv4 (4) or IPv6 (6); 0 is a pseudowire control word (RFC 4385)
 *    before an Ethernet frame.
 *  - PPPoE session: RFC 2516 section 4 (ver/type 0x11, code 0, session id, length) then PPP.
 *  - PPP: RFC 1661 section 2 protocol field (0x0021 IPv4, 0x0057 IPv6), after an optional HDLC
 *    address/control 0xff 0x03 (RFC 1662).
 *  - NFLOG: the Linux nfnetlink_log link type (LINKTYPE_NFLOG 239): family, version, resource id, then
 *    TLVs (length and type in host byte order, values padded to 4 bytes); NFULA_PAYLOAD (9) is the IP
 *    packet.
 */
import type { DecodedPacket } from './packet.js';

export const TUNNEL_NONE = 0;
export const TUNNEL_GRE = 1;
export const TUNNEL_ERSPAN_II = 2;
export const TUNNEL_ERSPAN_III = 3;
export const TUNNEL_VXLAN = 4;
export const TUNNEL_MPLS = 5;
export const TUNNEL_PPPOE = 6;
export const TUNNEL_IPIP = 7;
export const TUNNEL_ERSPAN_I = 8;
/** Names by kind, for reports (index = TUNNEL_*). */
export const TUNNEL_NAMES: readonly string[] = ['none', 'gre', 'erspan-ii', 'erspan-iii', 'vxlan', 'mpls', 'pppoe', 'ip-in-ip', 'erspan-i'];

/** What follows a tunnel header (the return value's kind, in out.innerKind). */
export const INNER_ETHERNET = 1;
/** An EtherType, in out.innerType. */
export const INNER_ETHERTYPE = 2;
/** The inner protocol is not one decodePacket knows (GRE protocol, PPP protocol, MPLS payload). */
export const INNER_UNKNOWN = 3;

export const VXLAN_PORT = 4789;
export const IPPROTO_IPIP = 4;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_GRE = 47;

/** Return codes (negative) of the header readers. */
export const TUNNEL_TRUNCATED = -1;
export const TUNNEL_MALFORMED = -2;

function u16(b: Buffer, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}
function u32(b: Buffer, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/** Records the outermost tunnel: kind, outer addresses (the current IP fields), id. */
export function noteTunnel(out: DecodedPacket, kind: number, id: number): void {
  if (out.tunnelKind !== TUNNEL_NONE) return;
  out.tunnelKind = kind;
  out.tunnelId = id;
  out.tunnelIpVersion = out.ipVersion;
  out.tunnelSrc.set(out.src);
  out.tunnelDst.set(out.dst);
}

/**
 * Clears every L3/L4 field decodePacket() may set (plain stores, no allocation: the per-packet reset).
 * Only the first 4 bytes of src/dst are cleared; an IPv6 header writes all 16 and readers go by ipVersion.
 */
export function resetL3L4(out: DecodedPacket): void {
  out.ipVersion = 0;
  const s = out.src;
  const d = out.dst;
  s[0] = 0;
  s[1] = 0;
  s[2] = 0;
  s[3] = 0;
  d[0] = 0;
  d[1] = 0;
  d[2] = 0;
  d[3] = 0;
  out.ipOff = 0;
  out.ipLen = 0;
  out.proto = 0;
  out.fragment = 0;
  out.ipId = 0;
  out.l4Off = 0;
  out.srcPort = 0;
  out.dstPort = 0;
  out.tcpFlags = 0;
  out.tcpSeq = 0;
  out.tcpAck = 0;
  out.icmpType = -1;
  out.icmpCode = -1;
  out.payloadOff = 0;
  out.payloadLen = 0;
  out.payloadWireLen = 0;
}

/** Clears the L3/L4 fields before an inner frame is decoded over them (the whole addresses: the outer may be IPv6). */
export function resetInner(out: DecodedPacket): void {
  resetL3L4(out);
  out.src.fill(0);
  out.dst.fill(0);
}

/** GRE (and ERSPAN in it) at off; returns the inner offset (out.innerKind / innerType set) or < 0. */
export function readGre(b: Buffer, off: number, end: number, out: DecodedPacket): number {
  if (end - off < 4) return TUNNEL_TRUNCATED;
  const flags = u16(b, off);
  if ((flags & 0x0007) !== 0) return TUNNEL_MALFORMED; // version 0 only (1 is PPTP's enhanced GRE)
  const proto = u16(b, off + 2);
  let p = off + 4;
  if (flags & 0x8000) p += 4; // checksum + reserved
  let key = -1;
  if (flags & 0x2000) {
    if (end - p < 4) return TUNNEL_TRUNCATED;
    key = u32(b, p);
    p += 4;
  }
  const hasSeq = (flags & 0x1000) !== 0;
  if (hasSeq) {
    if (end - p < 4) return TUNNEL_TRUNCATED;
    out.tunnelSeq = u32(b, p);
    p += 4;
  }
  if (p > end) return TUNNEL_TRUNCATED;
  if (proto === 0x88be && !hasSeq) {
    noteTunnel(out, TUNNEL_ERSPAN_I, -1);
    out.innerKind = INNER_ETHERNET;
    return p;
  }
  if (proto === 0x88be) {
    if (end - p < 8) return TUNNEL_TRUNCATED;
    if (b[p]! >> 4 !== 1) return TUNNEL_MALFORMED;
    noteTunnel(out, TUNNEL_ERSPAN_II, u16(b, p + 2) & 0x03ff);
    out.innerKind = INNER_ETHERNET;
    return p + 8;
  }
  if (proto === 0x22eb) {
    if (end - p < 12) return TUNNEL_TRUNCATED;
    if (b[p]! >> 4 !== 2) return TUNNEL_MALFORMED;
    noteTunnel(out, TUNNEL_ERSPAN_III, u16(b, p + 2) & 0x03ff);
    out.innerKind = INNER_ETHERNET;
    const o = (b[p + 11]! & 0x01) !== 0;
    return p + 12 + (o ? 8 : 0);
  }
  noteTunnel(out, TUNNEL_GRE, key);
  if (proto === 0x6558) {
    out.innerKind = INNER_ETHERNET;
    return p;
  }
  // IPv4, IPv6 and MPLS are decoded inside GRE; anything else leaves the outer packet (skipped).
  out.innerKind = proto === 0x0800 || proto === 0x86dd || proto === 0x8847 || proto === 0x8848 ? INNER_ETHERTYPE : INNER_UNKNOWN;
  out.innerType = proto;
  return p;
}

/** VXLAN header (8 bytes) at off; the inner Ethernet frame follows. */
export function readVxlan(b: Buffer, off: number, end: number, out: DecodedPacket): number {
  if (end - off < 8) return TUNNEL_TRUNCATED;
  if ((b[off]! & 0x08) === 0) return TUNNEL_MALFORMED; // the I flag: a valid VNI
  noteTunnel(out, TUNNEL_VXLAN, (b[off + 4]! << 16) | (b[off + 5]! << 8) | b[off + 6]!);
  out.innerKind = INNER_ETHERNET;
  return off + 8;
}

/** MPLS label stack at off. */
export function readMpls(b: Buffer, off: number, end: number, out: DecodedPacket): number {
  let p = off;
  for (let n = 0; ; n++) {
    if (end - p < 4) return TUNNEL_TRUNCATED;
    if (n >= 16) return TUNNEL_MALFORMED;
    const e = u32(b, p);
    p += 4;
    if (e & 0x100) {
      noteTunnel(out, TUNNEL_MPLS, e >>> 12);
      break;
    }
  }
  if (end - p < 1) return TUNNEL_TRUNCATED;
  const v = b[p]! >> 4;
  if (v === 4 || v === 6) {
    out.innerKind = INNER_ETHERTYPE;
    out.innerType = v === 4 ? 0x0800 : 0x86dd;
    return p;
  }
  if (v === 0) {
    out.innerKind = INNER_ETHERNET;
    return p + 4; // pseudowire control word
  }
  out.innerKind = INNER_UNKNOWN;
  out.innerType = 0;
  return p;
}

/** PPP protocol field at off (after an optional 0xff 0x03); `hdlc` allows the address/control bytes. */
export function readPpp(b: Buffer, off: number, end: number, out: DecodedPacket): number {
  let p = off;
  if (end - p >= 2 && b[p] === 0xff && b[p + 1] === 0x03) p += 2;
  if (end - p < 1) return TUNNEL_TRUNCATED;
  let proto: number;
  if (b[p]! & 1) {
    proto = b[p]!; // RFC 1661 protocol field compression: one odd byte
    p += 1;
  } else {
    if (end - p < 2) return TUNNEL_TRUNCATED;
    proto = u16(b, p);
    p += 2;
  }
  if (proto === 0x0021) {
    out.innerKind = INNER_ETHERTYPE;
    out.innerType = 0x0800;
  } else if (proto === 0x0057) {
    out.innerKind = INNER_ETHERTYPE;
    out.innerType = 0x86dd;
  } else {
    out.innerKind = INNER_UNKNOWN;
    out.innerType = proto;
  }
  return p;
}

/** PPPoE session header at off, then PPP. */
export function readPppoe(b: Buffer, off: number, end: number, out: DecodedPacket): number {
  if (end - off < 6) return TUNNEL_TRUNCATED;
  if (b[off] !== 0x11 || b[off + 1] !== 0) return TUNNEL_MALFORMED;
  noteTunnel(out, TUNNEL_PPPOE, u16(b, off + 2));
  return readPpp(b, off + 6, end, out);
}

/** NFLOG header and TLVs at off; returns the NFULA_PAYLOAD offset, its end in out.innerEnd. */
export function readNflog(b: Buffer, off: number, end: number, out: DecodedPacket): number {
  out.innerEnd = end;
  if (end - off < 4) return TUNNEL_TRUNCATED;
  const family = b[off]!;
  if (b[off + 1] !== 0) return TUNNEL_MALFORMED;
  let p = off + 4;
  while (end - p >= 4) {
    // TLV length and type in the capturing host's byte order: little-endian on every common platform;
    // a length that does not fit read that way is tried big-endian.
    let len = b[p]! | (b[p + 1]! << 8);
    let type = (b[p + 2]! | (b[p + 3]! << 8)) & 0x7fff;
    if (len < 4 || p + len > end) {
      len = u16(b, p);
      type = u16(b, p + 2) & 0x7fff;
    }
    if (len < 4) return TUNNEL_MALFORMED;
    if (type === 9) {
      out.innerKind = INNER_ETHERTYPE;
      out.innerType = family === 10 ? 0x86dd : family === 2 ? 0x0800 : 0;
      if (out.innerType === 0) out.innerKind = INNER_UNKNOWN;
      out.innerEnd = p + len <= end ? p + len : end;
      return p + 4;
    }
    p += (len + 3) & ~3;
  }
  out.innerKind = INNER_UNKNOWN;
  out.innerType = 0;
  out.innerEnd = end;
  return end;
}

function addr(version: number, a: Uint32Array): string {
  if (version === 4) return [a[3]! >>> 24, (a[3]! >>> 16) & 255, (a[3]! >>> 8) & 255, a[3]! & 255].join('.');
  const w: string[] = [];
  for (let i = 0; i < 4; i++) w.push((a[i]! >>> 16).toString(16), (a[i]! & 0xffff).toString(16));
  return w.join(':');
}

/** "erspan-ii 10.0.0.1 -> 10.0.0.2 session 5", "vxlan 192.0.2.1 -> 192.0.2.2 vni 5000", "mpls label 16": the capture point of a tunnelled frame. */
export function describeTunnel(p: DecodedPacket): string {
  const name = TUNNEL_NAMES[p.tunnelKind] ?? String(p.tunnelKind);
  const ends = p.tunnelIpVersion !== 0 ? ` ${addr(p.tunnelIpVersion, p.tunnelSrc)} -> ${addr(p.tunnelIpVersion, p.tunnelDst)}` : '';
  const idName = ['', 'key', 'session', 'session', 'vni', 'label', 'session', '', ''][p.tunnelKind] ?? 'id';
  return `${name}${ends}${p.tunnelId >= 0 && idName ? ` ${idName} ${p.tunnelId}` : ''}`;
}
