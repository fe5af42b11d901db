/**
 * L2-L4 decoding of one captured frame into the reused DecodedPacket scratch object.
 *
 * Hot path: no allocation, no strings, no exceptions. Every read is bounds-checked against the bytes
 * present (caplen); a frame cut inside a header the decoder needs yields DECODE.TRUNCATED (the fields
 * read so far stay filled), an invalid header yields DECODE.MALFORMED.
 *
 * Link layers: https://www.tcpdump.org/linktypes.html (LINKTYPE_NULL 0, ETHERNET 1, RAW 101 (and the
 * historical DLT 12/14), LOOP 108, LINUX_SLL 113, IPV4 228, IPV6 229, LINUX_SLL2 276).
 * Ethernet II / 802.3: IEEE 802.3-2018 clause 3.2.6 (a value <= 1500 is a length, >= 0x0600 a type).
 * VLAN: IEEE 802.1Q-2018 clause 9.6 (C-TAG 0x8100, S-TAG 0x88a8; 0x9100 the pre-standard QinQ tag).
 * ARP: RFC 826. IPv4: RFC 791 section 3.1. IPv6: RFC 8200 sections 3-4 (extension headers), RFC 4302
 * (AH, length in 4-octet units), RFC 6275 section 6.1 (mobility header). TCP: RFC 9293 section 3.1.
 * UDP: RFC 768. ICMP: RFC 792, ICMPv6: RFC 4443 section 2.1.
 */
import type { CaptureRecord } from '../ingest/record.js';
import { DECODE, DECODE_SKIP_ENCAPSULATION, type DecodeResult, type DecodedPacket } from './packet.js';
import {
  INNER_ETHERNET,
  INNER_ETHERTYPE,
  INNER_UNKNOWN,
  IPPROTO_GRE,
  IPPROTO_IPIP,
  IPPROTO_IPV6,
  TUNNEL_IPIP,
  TUNNEL_TRUNCATED,
  VXLAN_PORT,
  noteTunnel,
  readGre,
  readMpls,
  readNflog,
  readPpp,
  readPppoe,
  readVxlan,
  resetInner,
  resetL3L4,
} from './tunnels.js';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100; // 802.1Q C-TAG
const ETHERTYPE_QINQ = 0x88a8; // 802.1ad S-TAG
const ETHERTYPE_QINQ_OLD = 0x9100; // pre-standard QinQ
const ETHERTYPE_MPLS = 0x8847;
const ETHERTYPE_MPLS_MULTICAST = 0x8848;
const ETHERTYPE_PPPOE_SESSION = 0x8864;
/** Nested encapsulations decoded at most (deeper is MALFORMED: no loop on crafted frames). */
const MAX_TUNNEL_DEPTH = 4;
let tunnelDepth = 0;
/** IEEE 802.3 clause 3.2.6: a Length/Type value up to 1500 is a length (802.3 + LLC/SNAP frame). */
const MAX_8023_LENGTH = 1500;

/** BSD address families seen in DLT_NULL / LOOP headers (libpcap's pcap/dlt.h notes). */
const BSD_AF_INET = 2;
const BSD_AF_INET6_BSD = 24; // NetBSD, OpenBSD, BSD/OS
const BSD_AF_INET6_FREEBSD = 28; // FreeBSD, DragonFly
const BSD_AF_INET6_DARWIN = 30; // macOS, iOS

/** Linux ARPHRD_ETHER: SLL's link-layer address is a MAC. */
const ARPHRD_ETHER = 1;
/** Linux ARPHRD_NETLINK: SLL's protocol field is the netlink family. */
const ARPHRD_NETLINK = 824;

const PROTO_HOPOPTS = 0;
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ROUTING = 43;
const PROTO_FRAGMENT = 44;
const PROTO_AH = 51;
const PROTO_ICMPV6 = 58;
const PROTO_NONE = 59;
const PROTO_DSTOPTS = 60;
const PROTO_MOBILITY = 135;

function u16(b: Buffer, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

/** Big-endian unsigned 32-bit (as a non-negative number). */
function u32(b: Buffer, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

/** Resets every field decodePacket() may set (cheap: plain stores, no allocation). */
export function resetDecodedPacket(out: DecodedPacket): void {
  out.srcMacOff = -1;
  out.dstMacOff = -1;
  out.vlanOuter = -1;
  out.vlanInner = -1;
  out.etherType = 0;
  out.arpOp = 0;
  out.arpSenderMacOff = -1;
  out.arpSenderIp = 0;
  out.arpTargetIp = 0;
  resetL3L4(out);
  out.skipped = 0;
  if (out.tunnelKind !== 0) {
    out.tunnelKind = 0;
    out.tunnelId = -1;
    out.tunnelSeq = -1;
    out.tunnelIpVersion = 0;
    out.tunnelSrc.fill(0);
    out.tunnelDst.fill(0);
  }
}

/** The link types decodePacket() reads (any other is DECODE.UNSUPPORTED_LINKTYPE). */
export const DECODED_LINKTYPES: ReadonlySet<number> = new Set([1, 0, 108, 113, 276, 101, 12, 14, 228, 229, 9, 50, 239]);

/**
 * Decodes the L2-L4 headers of `rec` into `out` (reset first). Offsets written to `out` index
 * `rec.data` and are valid only during the record callback.
 *
 * For DECODE.OTHER_L2 (and an ARP frame that is not Ethernet/IPv4), payloadOff/payloadLen/
 * payloadWireLen describe the L2 payload after the EtherType (after the VLAN tags); etherType is 0
 * for an IEEE 802.3 length-field frame (LLC/SNAP), a non-IP NULL/LOOP address family and an SLL
 * pseudo-protocol (< 0x0600) or netlink frame.
 * Fields of a TRUNCATED frame are those read before the cut; none is guessed. Within VLAN tags or
 * IPv6 extension headers etherType / proto stay 0 until the chain has been read to its end.
 * For a later IP fragment (fragment 2) l4Off is 0 and the payload fields describe the fragment data.
 */
export function decodePacket(rec: CaptureRecord, out: DecodedPacket): DecodeResult {
  resetDecodedPacket(out);
  const b = rec.data;
  const off = rec.offset;
  let end = off + rec.caplen;
  if (end > b.length) end = b.length;
  if (off < 0 || end < off) return DECODE.TRUNCATED;
  // Bytes of the frame the snap length cut off (used where a header leaves a length to the link).
  const missing = rec.origlen > rec.caplen ? rec.origlen - rec.caplen : 0;
  tunnelDepth = 0;
  // Ethernet first, the rest in another function: decodePacket stays small enough for V8 to inline
  // it into the per-record callback.
  if (rec.linktype === 1) return decodeEthernet(b, off, end, missing, out);
  return decodeOtherLinktype(rec.linktype, b, off, end, missing, out);
}

/** Every link type decodePacket() reads but Ethernet. */
function decodeOtherLinktype(linktype: number, b: Buffer, off: number, end: number, missing: number, out: DecodedPacket): DecodeResult {
  switch (linktype) {
    case 0:
      return decodeNull(b, off, end, missing, out, false);
    case 108:
      return decodeNull(b, off, end, missing, out, true);
    case 113:
      return decodeSll(b, off, end, missing, out);
    case 276:
      return decodeSll2(b, off, end, missing, out);
    case 101:
    case 12:
    case 14:
      return decodeRawIp(b, off, end, missing, out, 0);
    case 228:
      return decodeRawIp(b, off, end, missing, out, 4);
    case 229:
      return decodeRawIp(b, off, end, missing, out, 6);
    case 9: // LINKTYPE_PPP
    case 50: // LINKTYPE_PPP_HDLC
      return decodeInner(b, readPpp(b, off, end, out), end, missing, out, false);
    case 239: // LINKTYPE_NFLOG
      return decodeInner(b, readNflog(b, off, end, out), out.innerEnd, missing, out, false);
    default:
      return DECODE.UNSUPPORTED_LINKTYPE;
  }
}

function decodeEthernet(b: Buffer, off: number, end: number, missing: number, out: DecodedPacket): DecodeResult {
  const avail = end - off;
  if (avail >= 6) out.dstMacOff = off;
  if (avail >= 12) out.srcMacOff = off + 6;
  if (avail < 14) return DECODE.TRUNCATED;
  return decodeEtherType(b, off + 14, end, missing, u16(b, off + 12), out);
}

/** Dispatches on an EtherType at `off` (the first byte after it), unwrapping 802.1Q/802.1ad tags. */
function decodeEtherType(
  b: Buffer,
  off: number,
  end: number,
  missing: number,
  type: number,
  out: DecodedPacket,
): DecodeResult {
  // Untagged IPv4 first (most frames): this stays small enough for V8 to inline.
  if (type === ETHERTYPE_IPV4) {
    out.etherType = type;
    return decodeIpv4(b, off, end, missing, out);
  }
  return decodeTaggedEtherType(b, off, end, missing, type, out);
}

/** decodeEtherType() for any EtherType but an untagged IPv4 one. */
function decodeTaggedEtherType(
  b: Buffer,
  off: number,
  end: number,
  missing: number,
  type: number,
  out: DecodedPacket,
): DecodeResult {
  let tags = 0;
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    // IEEE 802.1Q clause 9.6: TCI (PCP 3 bits, DEI 1 bit, VID 12 bits), then the next EtherType.
    if (end - off < 2) return DECODE.TRUNCATED;
    const vid = u16(b, off) & 0x0fff;
    if (tags === 0) out.vlanOuter = vid;
    else if (tags === 1) out.vlanInner = vid;
    tags++;
    if (end - off < 4) return DECODE.TRUNCATED;
    type = u16(b, off + 2);
    off += 4;
  }
  if (type <= MAX_8023_LENGTH) {
    // 802.3 length field: an LLC (and maybe SNAP) frame of `type` bytes.
    out.etherType = 0;
    out.payloadOff = off;
    out.payloadWireLen = type;
    out.payloadLen = end - off < type ? end - off : type;
    return DECODE.OTHER_L2;
  }
  out.etherType = type;
  if (type === ETHERTYPE_IPV4) return decodeIpv4(b, off, end, missing, out);
  if (type === ETHERTYPE_IPV6) return decodeIpv6(b, off, end, missing, out);
  if (type === ETHERTYPE_ARP) return decodeArp(b, off, end, missing, out);
  if (type === ETHERTYPE_MPLS || type === ETHERTYPE_MPLS_MULTICAST) return decodeInner(b, readMpls(b, off, end, out), end, missing, out, false);
  if (type === ETHERTYPE_PPPOE_SESSION) return decodeInner(b, readPppoe(b, off, end, out), end, missing, out, false);
  setL2Payload(off, end, missing, out);
  return DECODE.OTHER_L2;
}

/**
 * The frame inside an encapsulation (tunnels.ts read its header; `p` is where the inner frame starts,
 * or a negative TUNNEL_* code), decoded as if captured directly. `overIp`: the encapsulation rides on
 * IP (GRE, VXLAN, IP-in-IP), whose fields are kept when the inner protocol is unknown (the frame then
 * stays the outer IP packet, marked skipped); a link-layer one (MPLS, PPPoE, PPP, NFLOG) is then OTHER_L2.
 */
function decodeInner(b: Buffer, p: number, end: number, missing: number, out: DecodedPacket, overIp: boolean): DecodeResult {
  if (p < 0 && !overIp) return p === TUNNEL_TRUNCATED ? DECODE.TRUNCATED : DECODE.MALFORMED;
  if (++tunnelDepth > MAX_TUNNEL_DEPTH) return DECODE.MALFORMED;
  // Over IP, a header that is cut or not the tunnel's (PPTP's GRE version 1, UDP 4789 without the
  // VXLAN I flag) leaves the outer packet as it is.
  if (p < 0 || out.innerKind === INNER_UNKNOWN) {
    out.skipped = DECODE_SKIP_ENCAPSULATION;
    if (overIp) return DECODE.IP;
    setL2Payload(p, end, missing, out);
    return DECODE.OTHER_L2;
  }
  if (overIp) resetInner(out);
  if (out.innerKind === INNER_ETHERNET) {
    out.vlanOuter = -1;
    out.vlanInner = -1;
    out.srcMacOff = -1;
    out.dstMacOff = -1;
    return decodeEthernet(b, p, end, missing, out);
  }
  return decodeEtherType(b, p, end, missing, out.innerType, out);
}

function setL2Payload(off: number, end: number, missing: number, out: DecodedPacket): void {
  out.payloadOff = off;
  out.payloadLen = end - off;
  out.payloadWireLen = end - off + missing;
}

/** RFC 826 for Ethernet/IPv4: htype 1, ptype 0x0800, hlen 6, plen 4, then sha, spa, tha, tpa. */
function decodeArp(b: Buffer, off: number, end: number, missing: number, out: DecodedPacket): DecodeResult {
  const avail = end - off;
  if (avail < 8) return DECODE.TRUNCATED;
  out.arpOp = u16(b, off + 6);
  if (u16(b, off) !== 1 || u16(b, off + 2) !== ETHERTYPE_IPV4 || b[off + 4] !== 6 || b[off + 5] !== 4) {
    setL2Payload(off, end, missing, out);
    return DECODE.OTHER_L2;
  }
  if (avail >= 14) out.arpSenderMacOff = off + 8;
  if (avail >= 18) out.arpSenderIp = u32(b, off + 14);
  if (avail < 28) return DECODE.TRUNCATED;
  out.arpTargetIp = u32(b, off + 24);
  return DECODE.ARP;
}

/**
 * LINKTYPE_NULL (writer's byte order) and LINKTYPE_LOOP (network order): a 4-byte address family.
 * For NULL the order is detected as libpcap/Wireshark do: the families are small numbers, so a value
 * with any of the upper 16 bits set (read little-endian) was written big-endian.
 */
function decodeNull(
  b: Buffer,
  off: number,
  end: number,
  missing: number,
  out: DecodedPacket,
  networkOrder: boolean,
): DecodeResult {
  if (end - off < 4) return DECODE.TRUNCATED;
  let af: number;
  if (networkOrder) {
    af = u32(b, off);
  } else {
    af = (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
    if ((af & 0xffff0000) !== 0) af = u32(b, off);
  }
  const p = off + 4;
  if (af === BSD_AF_INET) {
    out.etherType = ETHERTYPE_IPV4;
    return decodeIpv4(b, p, end, missing, out);
  }
  if (af === BSD_AF_INET6_BSD || af === BSD_AF_INET6_FREEBSD || af === BSD_AF_INET6_DARWIN) {
    out.etherType = ETHERTYPE_IPV6;
    return decodeIpv6(b, p, end, missing, out);
  }
  setL2Payload(p, end, missing, out);
  return DECODE.OTHER_L2;
}

/**
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 16 bytes): packet type (2), ARPHRD type (2),
 * address length (2), address (8, zero padded), protocol (2).
 */
function decodeSll(b: Buffer, off: number, end: number, missing: number, out: DecodedPacket): DecodeResult {
  if (end - off < 16) return DECODE.TRUNCATED;
  const hatype = u16(b, off + 2);
  if (hatype === ARPHRD_ETHER && u16(b, off + 4) === 6) out.srcMacOff = off + 6;
  return decodeSllProtocol(b, off + 16, end, missing, hatype, u16(b, off + 14), out);
}

/**
 * The SLL/SLL2 protocol field is an EtherType, except for the Linux pseudo-protocols below 0x0600
 * (ETH_P_802_3 1, ETH_P_802_2 4, ETH_P_CAN 0x0c, ...; linux/if_ether.h) and for netlink captures,
 * whose protocol field is the netlink family: those are not IP.
 */
function decodeSllProtocol(
  b: Buffer,
  off: number,
  end: number,
  missing: number,
  hatype: number,
  protocol: number,
  out: DecodedPacket,
): DecodeResult {
  if (protocol < 0x0600 || hatype === ARPHRD_NETLINK) {
    setL2Payload(off, end, missing, out);
    return DECODE.OTHER_L2;
  }
  return decodeEtherType(b, off, end, missing, protocol, out);
}

/**
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 20 bytes): protocol (2), reserved (2), interface
 * index (4), ARPHRD type (2), packet type (1), address length (1), address (8, zero padded).
 */
function decodeSll2(b: Buffer, off: number, end: number, missing: number, out: DecodedPacket): DecodeResult {
  if (end - off < 20) return DECODE.TRUNCATED;
  const hatype = u16(b, off + 8);
  if (hatype === ARPHRD_ETHER && b[off + 11] === 6) out.srcMacOff = off + 12;
  return decodeSllProtocol(b, off + 20, end, missing, hatype, u16(b, off), out);
}

/** Raw IP: the version nibble decides (`forced` 4 or 6 for LINKTYPE_IPV4/IPV6, 0 for RAW). */
function decodeRawIp(
  b: Buffer,
  off: number,
  end: number,
  missing: number,
  out: DecodedPacket,
  forced: number,
): DecodeResult {
  if (end - off < 1) return DECODE.TRUNCATED;
  const v = forced !== 0 ? forced : b[off] >> 4;
  if (v === 4) {
    out.etherType = ETHERTYPE_IPV4;
    return decodeIpv4(b, off, end, missing, out);
  }
  if (v === 6) {
    out.etherType = ETHERTYPE_IPV6;
    return decodeIpv6(b, off, end, missing, out);
  }
  out.ipOff = off;
  return DECODE.MALFORMED;
}

/** RFC 791 section 3.1. */
function decodeIpv4(b: Buffer, off: number, end: number, missing: number, out: DecodedPacket): DecodeResult {
  out.ipOff = off;
  const avail = end - off;
  if (avail < 1) return DECODE.TRUNCATED;
  if (b[off] >> 4 !== 4) return DECODE.MALFORMED;
  out.ipVersion = 4;
  const ihl = (b[off] & 0x0f) << 2;
  if (ihl < 20) return DECODE.MALFORMED;
  if (avail < 20) return DECODE.TRUNCATED;
  let totalLen = u16(b, off + 2);
  out.ipId = u16(b, off + 4);
  const fragWord = u16(b, off + 6);
  out.proto = b[off + 9];
  out.src[3] = u32(b, off + 12);
  out.dst[3] = u32(b, off + 16);
  if (totalLen < ihl) {
    // Total length 0 is what TCP segmentation offload leaves in locally sent packets; Wireshark
    // ("ip.tso_support") then takes the length of the frame. Any other short value is invalid.
    if (totalLen !== 0) return DECODE.MALFORMED;
    totalLen = avail + missing;
    if (totalLen < ihl) return DECODE.MALFORMED;
  }
  out.ipLen = totalLen;
  // Flags (reserved, DF, MF) and the 13-bit fragment offset in 8-octet units.
  if ((fragWord & 0x1fff) !== 0) out.fragment = 2;
  else if ((fragWord & 0x2000) !== 0) out.fragment = 1;
  if (avail < ihl) return DECODE.TRUNCATED;
  // A total length beyond the frame on the wire is bounded by the frame (tshark: "IPv4 total length
  // exceeds packet length", then dissects what the frame holds).
  const wireAvail = avail + missing;
  const ipWire = totalLen <= wireAvail ? totalLen : wireAvail;
  if (ipWire < ihl) return DECODE.MALFORMED;
  const ipEnd = off + ipWire;
  const presentEnd = ipEnd < end ? ipEnd : end; // excludes Ethernet padding and trailers
  const l4 = off + ihl;
  if (out.fragment === 2) {
    out.payloadOff = l4;
    out.payloadLen = presentEnd - l4;
    out.payloadWireLen = ipWire - ihl;
    return DECODE.IP;
  }
  return decodeL4(b, l4, presentEnd, ipWire - ihl, out.proto, out);
}

/** RFC 8200 section 3 (fixed header) and section 4 (extension headers). */
function decodeIpv6(b: Buffer, off: number, end: number, missing: number, out: DecodedPacket): DecodeResult {
  out.ipOff = off;
  const avail = end - off;
  if (avail < 1) return DECODE.TRUNCATED;
  if (b[off] >> 4 !== 6) return DECODE.MALFORMED;
  out.ipVersion = 6;
  if (avail < 40) return DECODE.TRUNCATED;
  let plen = u16(b, off + 4);
  let nh = b[off + 6];
  const s = out.src;
  const d = out.dst;
  s[0] = u32(b, off + 8);
  s[1] = u32(b, off + 12);
  s[2] = u32(b, off + 16);
  s[3] = u32(b, off + 20);
  d[0] = u32(b, off + 24);
  d[1] = u32(b, off + 28);
  d[2] = u32(b, off + 32);
  d[3] = u32(b, off + 36);
  // Payload length 0: a jumbogram (RFC 2675) or TSO; take the frame's length, as Wireshark does.
  const wirePayload = avail - 40 + missing;
  if (plen === 0) plen = wirePayload;
  out.ipLen = 40 + plen;
  // A payload length beyond the frame on the wire is bounded by the frame, as tshark does.
  const ipEnd = off + 40 + (plen <= wirePayload ? plen : wirePayload);
  const presentEnd = ipEnd < end ? ipEnd : end;
  let p = off + 40;
  for (;;) {
    if (
      nh !== PROTO_HOPOPTS &&
      nh !== PROTO_ROUTING &&
      nh !== PROTO_FRAGMENT &&
      nh !== PROTO_DSTOPTS &&
      nh !== PROTO_AH &&
      nh !== PROTO_MOBILITY
    ) {
      break;
    }
    // Every extension header starts with Next Header (1) and Hdr Ext Len (1); the fragment header
    // (section 4.5) is a fixed 8 bytes: next header, reserved, offset (13 bits) + res + M, id (32).
    const need = nh === PROTO_FRAGMENT ? 8 : 2;
    if (ipEnd - p < need) return DECODE.MALFORMED;
    if (end - p < need) return DECODE.TRUNCATED;
    let hlen: number;
    if (nh === PROTO_FRAGMENT) {
      hlen = 8;
      const fo = u16(b, p + 2);
      out.ipId = u32(b, p + 4);
      if ((fo & 0xfff8) !== 0) {
        out.fragment = 2;
        out.proto = b[p];
        out.payloadOff = p + 8;
        out.payloadLen = presentEnd - (p + 8);
        out.payloadWireLen = ipEnd - (p + 8);
        return DECODE.IP;
      }
      if ((fo & 1) !== 0) out.fragment = 1;
    } else if (nh === PROTO_AH) {
      hlen = (b[p + 1] + 2) << 2; // RFC 4302 section 2.2: in 4-octet units, minus 2
    } else {
      hlen = (b[p + 1] + 1) << 3; // in 8-octet units, not counting the first 8
    }
    if (ipEnd - p < hlen) return DECODE.MALFORMED;
    if (end - p < hlen) return DECODE.TRUNCATED;
    nh = b[p];
    p += hlen;
  }
  out.proto = nh;
  if (nh === PROTO_NONE) return DECODE.IP; // section 4.7: nothing follows
  return decodeL4(b, p, presentEnd, ipEnd - p, nh, out);
}

/**
 * The L4 header at `l4`: `presentEnd` is the end of the IP payload within the captured bytes,
 * `wireLen` the IP payload length per the IP header (from `l4`).
 */
function decodeL4(
  b: Buffer,
  l4: number,
  presentEnd: number,
  wireLen: number,
  proto: number,
  out: DecodedPacket,
): DecodeResult {
  out.l4Off = l4;
  const avail = presentEnd - l4;
  if (proto === PROTO_TCP) {
    // RFC 9293 section 3.1: ports, seq, ack, data offset (4 bits), flags, window, checksum, urgent.
    if (avail >= 4) {
      out.srcPort = u16(b, l4);
      out.dstPort = u16(b, l4 + 2);
    }
    if (avail >= 8) out.tcpSeq = u32(b, l4 + 4);
    if (avail >= 12) out.tcpAck = u32(b, l4 + 8);
    if (avail >= 14) out.tcpFlags = b[l4 + 13];
    if (wireLen < 20) return DECODE.MALFORMED;
    if (avail < 13) return DECODE.TRUNCATED;
    const thl = (b[l4 + 12] >> 4) << 2;
    // A header cut by the snap length still says how much payload the segment carried.
    if (avail < 20) {
      if (thl >= 20 && thl <= wireLen) out.payloadWireLen = wireLen - thl;
      return DECODE.TRUNCATED;
    }
    if (thl < 20 || thl > wireLen) return DECODE.MALFORMED;
    if (avail < thl) {
      out.payloadWireLen = wireLen - thl;
      return DECODE.TRUNCATED;
    }
    out.payloadOff = l4 + thl;
    out.payloadLen = avail - thl;
    out.payloadWireLen = wireLen - thl;
    return DECODE.IP;
  }
  if (proto === PROTO_UDP) {
    // RFC 768: ports, length (header + data), checksum.
    if (avail >= 4) {
      out.srcPort = u16(b, l4);
      out.dstPort = u16(b, l4 + 2);
    }
    if (wireLen < 8) return DECODE.MALFORMED;
    if (avail < 8) return DECODE.TRUNCATED;
    const udpLen = u16(b, l4 + 4);
    if (udpLen < 8) return DECODE.MALFORMED;
    // A first fragment holds only part of the datagram; otherwise the length must fit the IP payload.
    if (udpLen > wireLen && out.fragment !== 1) return DECODE.MALFORMED;
    const udpWire = udpLen < wireLen ? udpLen : wireLen;
    out.payloadOff = l4 + 8;
    out.payloadWireLen = udpWire - 8;
    out.payloadLen = (avail < udpWire ? avail : udpWire) - 8;
    if (out.dstPort === VXLAN_PORT && out.fragment === 0) {
      return decodeInner(b, readVxlan(b, l4 + 8, l4 + 8 + out.payloadLen, out), l4 + 8 + out.payloadLen, missing0(out), out, true);
    }
    return DECODE.IP;
  }
  if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
    // RFC 792 / RFC 4443 section 2.1: type, code, checksum, then 4 message-specific bytes (for error
    // messages followed by the offending packet's headers).
    if (avail >= 2) {
      out.icmpType = b[l4];
      out.icmpCode = b[l4 + 1];
    }
    if (wireLen < 8) return DECODE.MALFORMED;
    if (avail < 8) return DECODE.TRUNCATED;
    out.payloadOff = l4 + 8;
    out.payloadLen = avail - 8;
    out.payloadWireLen = wireLen - 8;
    return DECODE.IP;
  }
  // Any other protocol (SCTP, ESP, ...): the payload is everything after the IP headers.
  out.payloadOff = l4;
  out.payloadLen = avail;
  out.payloadWireLen = wireLen;
  if (out.fragment === 0) {
    if (proto === IPPROTO_GRE) return decodeInner(b, readGre(b, l4, presentEnd, out), presentEnd, missing0(out), out, true);
    if (proto === IPPROTO_IPIP || proto === IPPROTO_IPV6) {
      noteTunnel(out, TUNNEL_IPIP, -1);
      out.innerKind = INNER_ETHERTYPE;
      out.innerType = proto === IPPROTO_IPIP ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
      return decodeInner(b, l4, presentEnd, missing0(out), out, true);
    }
  }
  return DECODE.IP;
}

/** Bytes the snap length cut off the inner frame (what the outer header says is missing). */
function missing0(out: DecodedPacket): number {
  return out.payloadWireLen > out.payloadLen ? out.payloadWireLen - out.payloadLen : 0;
}
