/**
 * The IPv4 addresses of a plain Ethernet frame read straight from its bytes, without decoding it: what
 * parallel ingest needs to tell which worker owns a frame before any worker decodes it (the bulk of
 * plant traffic is Ethernet/IPv4, so the other workers skip it at the cost of a few byte reads).
 *
 * It reads the subset of decodePacket's Ethernet path that settles the addresses: Ethernet II
 * (IEEE 802.3-2018 clause 3.2.6) with no tag or one 802.1Q C-TAG (IEEE 802.1Q-2018 clause 9.6), then
 * an IPv4 header (RFC 791 section 3.1) of version 4 and IHL >= 5 with its 20 bytes present. For such a
 * frame decodePacket yields ipVersion 4 with the same addresses (src[3], dst[3]), whatever else is
 * wrong with it; for anything else (other link types, QinQ, IPv6, ARP, truncated) it returns false
 * and the caller decodes the frame in full. So does a tunnel (GRE, IP-in-IP, IPv6-in-IPv4, UDP to the
 * VXLAN port 4789, with its header present or not): decodePacket reports the inner addresses.
 */
import type { CaptureRecord } from '../ingest/record.js';

const LINKTYPE_ETHERNET = 1;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_VLAN = 0x8100;

/** Writes the frame's IPv4 source and destination (unsigned 32-bit) into out[0], out[1]; false when it cannot tell. */
export function peekIpv4Pair(rec: CaptureRecord, out: Uint32Array): boolean {
  if (rec.linktype !== LINKTYPE_ETHERNET) return false;
  const b = rec.data;
  let end = rec.offset + rec.caplen;
  if (end > b.length) end = b.length;
  let o = rec.offset + 12;
  if (rec.offset < 0 || o + 2 > end) return false;
  let type = (b[o]! << 8) | b[o + 1]!;
  o += 2;
  if (type === ETHERTYPE_VLAN) {
    if (o + 4 > end) return false;
    type = (b[o + 2]! << 8) | b[o + 3]!;
    o += 4;
  }
  if (type !== ETHERTYPE_IPV4 || o + 20 > end || b[o]! >> 4 !== 4 || (b[o]! & 15) < 5) return false;
  const proto = b[o + 9]!;
  if (proto === 47 || proto === 4 || proto === 41) return false;
  if (proto === 17) {
    const u = o + ((b[o]! & 15) << 2);
    if (u + 4 > end || ((b[u + 2]! << 8) | b[u + 3]!) === 4789) return false;
  }
  out[0] = ((b[o + 12]! << 24) | (b[o + 13]! << 16) | (b[o + 14]! << 8) | b[o + 15]!) >>> 0;
  out[1] = ((b[o + 16]! << 24) | (b[o + 17]! << 16) | (b[o + 18]! << 8) | b[o + 19]!) >>> 0;
  return true;
}
