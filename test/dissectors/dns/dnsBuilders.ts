/** Builds DNS-format messages (DNS, mDNS, LLMNR, NBNS) for tests, with name compression of repeated owner names. */

export interface Rr {
  name: string;
  type: number;
  cls?: number;
  ttl?: number;
  /** raw record data, or a name to encode (PTR, CNAME) */
  data: Buffer | { name: string };
}

export interface DnsMessageSpec {
  id?: number;
  flags: number;
  questions?: Array<{ name: string; type: number; cls?: number }>;
  answers?: Rr[];
  authority?: Rr[];
  additional?: Rr[];
}

/** Encodes a name; with `table`, repeated names (whole) are compressed to a pointer. */
function encodeName(name: string, at: number, table: Map<string, number> | null): Buffer {
  if (table) {
    const prev = table.get(name.toLowerCase());
    if (prev !== undefined) return Buffer.from([0xc0 | (prev >> 8), prev & 0xff]);
    table.set(name.toLowerCase(), at);
  }
  const parts: Buffer[] = [];
  for (const label of name === '' ? [] : name.split('.')) {
    const b = Buffer.from(label, 'latin1');
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

export function dnsMessage(m: DnsMessageSpec, compress = true): Buffer {
  const table = compress ? new Map<string, number>() : null;
  const hdr = Buffer.alloc(12);
  hdr.writeUInt16BE(m.id ?? 0x1234, 0);
  hdr.writeUInt16BE(m.flags, 2);
  hdr.writeUInt16BE(m.questions?.length ?? 0, 4);
  hdr.writeUInt16BE(m.answers?.length ?? 0, 6);
  hdr.writeUInt16BE(m.authority?.length ?? 0, 8);
  hdr.writeUInt16BE(m.additional?.length ?? 0, 10);
  const parts: Buffer[] = [hdr];
  let at = 12;
  const push = (b: Buffer): void => {
    parts.push(b);
    at += b.length;
  };
  for (const q of m.questions ?? []) {
    push(encodeName(q.name, at, table));
    const t = Buffer.alloc(4);
    t.writeUInt16BE(q.type, 0);
    t.writeUInt16BE(q.cls ?? 1, 2);
    push(t);
  }
  for (const rr of [...(m.answers ?? []), ...(m.authority ?? []), ...(m.additional ?? [])]) {
    push(encodeName(rr.name, at, table));
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(rr.type, 0);
    fixed.writeUInt16BE(rr.cls ?? 1, 2);
    fixed.writeUInt32BE(rr.ttl ?? 3600, 4);
    const data = Buffer.isBuffer(rr.data) ? rr.data : encodeName(rr.data.name, at + 10, table);
    fixed.writeUInt16BE(data.length, 8);
    push(fixed);
    push(data);
  }
  return Buffer.concat(parts);
}

export const a = (ip: string): Buffer => Buffer.from(ip.split('.').map(Number));

export function aaaa(hex32: string): Buffer {
  return Buffer.from(hex32, 'hex');
}

/** RFC 1001 first-level encoding of a 15-character name + suffix byte. */
export function netbiosName(name: string, suffix: number, scope = ''): string {
  const raw = Buffer.alloc(16, 0x20);
  Buffer.from(name.toUpperCase(), 'latin1').copy(raw, 0, 0, 15);
  raw[15] = suffix;
  let s = '';
  for (const b of raw) s += String.fromCharCode(0x41 + (b >> 4), 0x41 + (b & 15));
  return scope ? `${s}.${scope}` : s;
}

/** NB record data: flags (G bit 0x8000, ONT) + address, per address. */
export function nbData(entries: Array<{ ip: string; group?: boolean }>): Buffer {
  return Buffer.concat(entries.map((e) => Buffer.concat([Buffer.from([e.group ? 0x80 : 0x00, 0x00]), a(e.ip)])));
}

/** NBSTAT record data: names (15 chars + suffix, flags) + 46 bytes of statistics (MAC first). */
export function nbstatData(names: Array<{ name: string; suffix: number; group?: boolean }>, mac: number[]): Buffer {
  const parts: Buffer[] = [Buffer.from([names.length])];
  for (const n of names) {
    const b = Buffer.alloc(18, 0x20);
    Buffer.from(n.name, 'latin1').copy(b, 0, 0, 15);
    b[15] = n.suffix;
    b[16] = n.group ? 0x84 : 0x04;
    b[17] = 0;
    parts.push(b);
  }
  const stats = Buffer.alloc(46);
  Buffer.from(mac).copy(stats, 0);
  parts.push(stats);
  return Buffer.concat(parts);
}

/** A DHCP (BOOTP) message with options; ends with the end option (255). */
export function dhcpMessage(o: {
  op: 1 | 2; xid?: number; ciaddr?: string; yiaddr?: string; mac: number[];
  options: Array<[number, Buffer | string | number]>;
}): Buffer {
  const fixed = Buffer.alloc(236);
  fixed[0] = o.op;
  fixed[1] = 1;
  fixed[2] = 6;
  fixed.writeUInt32BE(o.xid ?? 0xabcd1234, 4);
  if (o.ciaddr) a(o.ciaddr).copy(fixed, 12);
  if (o.yiaddr) a(o.yiaddr).copy(fixed, 16);
  Buffer.from(o.mac).copy(fixed, 28);
  const parts: Buffer[] = [fixed, Buffer.from([0x63, 0x82, 0x53, 0x63])];
  for (const [code, v] of o.options) {
    const data = typeof v === 'number' ? Buffer.from([v]) : Buffer.isBuffer(v) ? v : Buffer.from(v, 'latin1');
    parts.push(Buffer.from([code, data.length]), data);
  }
  parts.push(Buffer.from([255]));
  return Buffer.concat(parts);
}
