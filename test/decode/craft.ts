/**
 * Builders for crafted test frames (header layouts per the RFCs cited in src/decode/decodePacket.ts).
 * Checksums are computed so that tshark, used as the oracle on the crafted captures, sees clean frames.
 */

export const MAC_A = [0x00, 0x1d, 0x9c, 0xc8, 0x03, 0xe7];
export const MAC_B = [0x02, 0x00, 0x5e, 0x10, 0x00, 0x0a];

const be16 = (v: number): number[] => [(v >>> 8) & 0xff, v & 0xff];
const be32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

export function ipv4Bytes(s: string): number[] {
  return s.split('.').map(Number);
}

/** 16 bytes of an IPv6 address written with at most one `::` (test input only). */
export function ipv6Bytes(s: string): number[] {
  const [h, t] = s.includes('::') ? s.split('::') : [s, undefined];
  const head = h ? h.split(':').map((g) => parseInt(g, 16)) : [];
  const tail = t ? t.split(':').map((g) => parseInt(g, 16)) : [];
  const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return groups.flatMap(be16);
}

function checksum(bytes: number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An Ethernet II frame; `vlans` are [TPID, VID] tags, outermost first. */
export function ethernet(type: number, payload: number[], opts: { vlans?: Array<[number, number]> } = {}): number[] {
  const out = [...MAC_B, ...MAC_A];
  const vl = opts.vlans ?? [];
  if (vl.length === 0) return [...out, ...be16(type), ...payload];
  out.push(...be16(vl[0][0]));
  vl.forEach(([, vid], i) => out.push(...be16(vid & 0x0fff), ...be16(i + 1 < vl.length ? vl[i + 1][0] : type)));
  return [...out, ...payload];
}

export interface V4Opts {
  id?: number;
  mf?: boolean;
  fragOffset8?: number; // in 8-octet units
  ttl?: number;
  options?: number[]; // multiple of 4 bytes
  totalLen?: number; // override
  versionIhl?: number; // override the first byte
}

export function ipv4(proto: number, src: string, dst: string, payload: number[], o: V4Opts = {}): number[] {
  const opt = o.options ?? [];
  const ihl = 5 + opt.length / 4;
  const total = o.totalLen ?? ihl * 4 + payload.length;
  const frag = ((o.mf ? 0x2000 : 0) | (o.fragOffset8 ?? 0)) & 0xffff;
  const h = [o.versionIhl ?? 0x40 | ihl, 0, ...be16(total), ...be16(o.id ?? 0x1234), ...be16(frag), o.ttl ?? 64, proto, 0, 0];
  h.push(...ipv4Bytes(src), ...ipv4Bytes(dst), ...opt);
  const c = checksum(h);
  h[10] = c >>> 8;
  h[11] = c & 0xff;
  return [...h, ...payload];
}

export function ipv6(nextHeader: number, src: string, dst: string, payload: number[], plen?: number): number[] {
  return [0x60, 0, 0, 0, ...be16(plen ?? payload.length), nextHeader, 64, ...ipv6Bytes(src), ...ipv6Bytes(dst), ...payload];
}

/** A generic extension header (hop-by-hop, routing, destination options, mobility): 8 bytes with PadN. */
export function extHeader(next: number, body: number[] = [1, 4, 0, 0, 0, 0]): number[] {
  const h = [next, 0, ...body];
  while (h.length % 8 !== 0) h.push(0);
  h[1] = h.length / 8 - 1;
  return h;
}

export function fragHeader(next: number, offset8: number, more: boolean, ident: number): number[] {
  return [next, 0, ...be16((offset8 << 3) | (more ? 1 : 0)), ...be32(ident)];
}

/** RFC 4302 AH with a 12-byte ICV: length field = (12 + 12) / 4 - 2 = 4. */
export function ahHeader(next: number): number[] {
  return [next, 4, 0, 0, ...be32(0x100), ...be32(1), ...new Array<number>(12).fill(0xab)];
}

export function tcp(sport: number, dport: number, seq: number, ack: number, flags: number, payload: number[], options: number[] = []): number[] {
  const doff = 5 + options.length / 4;
  return [...be16(sport), ...be16(dport), ...be32(seq), ...be32(ack), doff << 4, flags, ...be16(8192), 0, 0, 0, 0, ...options, ...payload];
}

export function udp(sport: number, dport: number, payload: number[], length?: number): number[] {
  return [...be16(sport), ...be16(dport), ...be16(length ?? 8 + payload.length), 0, 0, ...payload];
}

export function icmp(type: number, code: number, rest: number[], body: number[]): number[] {
  const m = [type, code, 0, 0, ...rest, ...body];
  const c = checksum(m);
  m[2] = c >>> 8;
  m[3] = c & 0xff;
  return m;
}

export function arp(op: number, senderIp: string, targetIp: string): number[] {
  return [0, 1, 8, 0, 6, 4, ...be16(op), ...MAC_A, ...ipv4Bytes(senderIp), 0, 0, 0, 0, 0, 0, ...ipv4Bytes(targetIp)];
}

/** Linux cooked v1 header: packet type, ARPHRD_ETHER, address length 6, MAC + 2 pad, protocol. */
export function sll(protocol: number, payload: number[]): number[] {
  return [0, 0, 0, 1, 0, 6, ...MAC_A, 0, 0, ...be16(protocol), ...payload];
}

/** Linux cooked v2 header: protocol, reserved, ifindex, ARPHRD_ETHER, packet type, addr len, address. */
export function sll2(protocol: number, payload: number[]): number[] {
  return [...be16(protocol), 0, 0, ...be32(2), 0, 1, 0, 6, ...MAC_A, 0, 0, ...payload];
}

export function nullHeader(af: number, littleEndian: boolean, payload: number[]): number[] {
  const b = be32(af);
  return [...(littleEndian ? b.reverse() : b), ...payload];
}

export function bytes(n: number, seed = 1): number[] {
  return Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}
