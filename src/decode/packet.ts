/**
 * L2-L4 fields of one frame, written by decodePacket() into ONE reused instance (no object per
 * packet). Offsets point into the CaptureRecord's `data` buffer and are valid only during the
 * record callback.
 */
export class DecodedPacket {
  // ---- L2 ----
  /** Offset of the source / destination MAC in data, or -1 when the link type has none (raw IP, null). */
  srcMacOff = -1;
  dstMacOff = -1;
  /** Outer and inner 802.1Q/802.1ad VLAN ids, -1 when untagged. */
  vlanOuter = -1;
  vlanInner = -1;
  /** EtherType after VLAN tags (0x0800, 0x86dd, 0x0806, ...); for SLL the protocol field; for NULL mapped to 0x0800/0x86dd. */
  etherType = 0;

  // ---- ARP (etherType 0x0806, Ethernet/IPv4 only) ----
  arpOp = 0;
  /** Offset of the sender hardware address in data. */
  arpSenderMacOff = -1;
  /** Sender / target protocol address (IPv4, as unsigned 32-bit number). */
  arpSenderIp = 0;
  arpTargetIp = 0;

  // ---- L3 ----
  /** 4, 6, or 0 when the frame carries no IP. */
  ipVersion = 0;
  /**
   * Addresses as four 32-bit words, big-endian word order. IPv4: the address is in word [3] and
   * words [0..2] are 0 (so an IPv4 and an IPv6 address never collide when ipVersion is hashed too).
   */
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);
  /** Offset of the IP header in data. */
  ipOff = 0;
  /** IP packet length from the header (IPv4 total length; IPv6 40 + payload length). */
  ipLen = 0;
  /** L4 protocol number (after IPv6 extension headers): 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ... */
  proto = 0;
  /** 0 not a fragment, 1 first fragment (offset 0, more fragments), 2 a later fragment (no L4 header). */
  fragment = 0;
  /** IPv4 identification / IPv6 fragment identification (for attributing later fragments to a flow). */
  ipId = 0;

  // ---- L4 ----
  /** Offset of the L4 header in data (0 when none, e.g. a later fragment). */
  l4Off = 0;
  /** TCP/UDP ports; 0 for other protocols. */
  srcPort = 0;
  dstPort = 0;
  /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80). */
  tcpFlags = 0;
  /** TCP sequence / acknowledgement numbers (unsigned 32-bit). */
  tcpSeq = 0;
  tcpAck = 0;
  /** ICMP / ICMPv6 type and code; -1 otherwise. */
  icmpType = -1;
  icmpCode = -1;
  /** L4 payload: offset in data and bytes present in the capture (Ethernet padding excluded, cut at caplen). */
  payloadOff = 0;
  payloadLen = 0;
  /**
   * Payload length per the headers (may exceed payloadLen when the snap length cut the frame; also set
   * for a TRUNCATED TCP segment whose header length was read, payloadLen then 0).
   */
  payloadWireLen = 0;

  // ---- tunnel (the capture point: the outermost encapsulation the frame arrived in, see tunnels.ts) ----
  /** TUNNEL_* kind (0 none); the L3/L4 fields above then describe the INNER packet. */
  tunnelKind = 0;
  /** GRE key, ERSPAN session id, VXLAN VNI, bottom MPLS label, PPPoE session id; -1 none. */
  tunnelId = -1;
  /** GRE sequence number (RFC 2890), -1 none. */
  tunnelSeq = -1;
  /** Outer IP version and addresses (same layout as src/dst), 0 for link-layer encapsulations (MPLS, PPPoE). */
  tunnelIpVersion = 0;
  readonly tunnelSrc = new Uint32Array(4);
  readonly tunnelDst = new Uint32Array(4);
  /** Scratch for the tunnel readers: what follows a header (INNER_*), its EtherType, its end (NFLOG). */
  innerKind = 0;
  innerType = 0;
  innerEnd = 0;
  /** When a frame is not decoded for a reason worth counting: 'linktype' | 'encapsulation' kind code (DECODE_SKIP_*), 0 none. */
  skipped = 0;
}

/** DecodedPacket.skipped codes: why a frame yielded no IP. */
export const DECODE_SKIP_NONE = 0;
/** An encapsulation whose inner protocol is not decoded (GRE/PPP protocol, MPLS payload, NFLOG family). */
export const DECODE_SKIP_ENCAPSULATION = 1;

/** decodePacket() result codes. */
export const DECODE = {
  /** An IP packet (fields above are set; L4 may still be absent for a later fragment). */
  IP: 0,
  /** An ARP packet (ARP fields set). */
  ARP: 1,
  /** Another non-IP frame (LLDP, PROFINET RT, GOOSE, STP, ...): only L2 fields and etherType are set. */
  OTHER_L2: 2,
  /** The frame ends inside a header the decoder needed (caplen too short). */
  TRUNCATED: 3,
  /** A header is invalid (bad IP version, header length smaller than the minimum, ...). */
  MALFORMED: 4,
  /** The capture's link type is not one we decode. */
  UNSUPPORTED_LINKTYPE: 5,
} as const;
export type DecodeResult = (typeof DECODE)[keyof typeof DECODE];

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_GRE = 47;
