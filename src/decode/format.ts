/**
 * Text forms of addresses, for use off the hot path (reports, diagnostics, tests). The address words
 * are those of DecodedPacket.src/dst: four big-endian 32-bit words, IPv4 in word [3].
 */

/**
 * An address as text: IPv4 dotted quad; IPv6 in the RFC 5952 section 4 form (lower case, no leading
 * zeros, the longest run of two or more zero groups compressed to `::`, the first on a tie), with the
 * last 32 bits dotted for the IPv4-compatible (::a.b.c.d, RFC 4291 section 2.5.5.1) and IPv4-mapped
 * (::ffff:a.b.c.d, section 2.5.5.2, RFC 5952 section 5) forms, exactly as tshark (inet_ntop) prints it.
 */
export function ipToString(words: ArrayLike<number>, version: number): string {
  if (version === 4) return ipv4ToString(words[3]);
  const g = new Array<number>(8);
  for (let i = 0; i < 4; i++) {
    const w = words[i] >>> 0;
    g[2 * i] = w >>> 16;
    g[2 * i + 1] = w & 0xffff;
  }
  // Longest run of zero groups (first on a tie); a single zero group is not compressed.
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (g[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else {
        curLen++;
      }
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else {
      curBase = -1;
      curLen = 0;
    }
  }
  if (bestLen < 2) bestBase = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    // IPv4-compatible (zero run of exactly 6 groups from the start) or IPv4-mapped (5 zeros, ffff).
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && g[5] === 0xffff))) {
      s += ipv4ToString(words[3]);
      return s;
    }
    s += g[i].toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) s += ':';
  return s;
}

function ipv4ToString(w: number): string {
  const v = w >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}

/** A MAC address at buf[off..off+6) in lower-case colon form (`00:1d:9c:c8:03:e7`). */
export function macToString(buf: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const v = buf[off + i] ?? 0;
    if (i !== 0) s += ':';
    s += v < 16 ? `0${v.toString(16)}` : v.toString(16);
  }
  return s;
}

export interface ParsedIp {
  version: 4 | 6;
  /** Four big-endian 32-bit words as in DecodedPacket.src (IPv4 in word [3]). */
  words: Uint32Array;
}

/**
 * Parses an IPv4 dotted quad (four decimal parts 0-255, at most 3 digits each) or an IPv6 address
 * (RFC 4291 section 2.2: hex groups, one `::`, optionally a trailing dotted IPv4). No zone index, no
 * prefix length. Returns null for anything else.
 */
export function parseIp(s: string): ParsedIp | null {
  if (s.includes(':')) {
    const words = parseIpv6(s);
    return words ? { version: 6, words } : null;
  }
  const v4 = parseIpv4(s);
  if (v4 === -1) return null;
  const words = new Uint32Array(4);
  words[3] = v4;
  return { version: 4, words };
}

/** Dotted quad to an unsigned 32-bit number, or -1. */
function parseIpv4(s: string): number {
  const parts = s.split('.');
  if (parts.length !== 4) return -1;
  let v = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return -1;
    const n = Number(p);
    if (n > 255) return -1;
    v = v * 256 + n;
  }
  return v;
}

function parseIpv6(s: string): Uint32Array | null {
  const groups: number[] = [];
  let tail = s;
  // A trailing dotted IPv4 part stands for the last two groups.
  let v4 = -1;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) !== -1) {
    v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === -1) return null;
    tail = s.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::"; "ffff:1.2.3.4"-style leaves "ffff:" whose trailing ':' must go.
    if (!tail.endsWith('::')) tail = tail.slice(0, -1);
  }
  const dbl = tail.indexOf('::');
  if (dbl !== -1 && tail.indexOf('::', dbl + 1) !== -1) return null;
  const parseGroups = (part: string, into: number[]): boolean => {
    if (part === '') return true;
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
      into.push(parseInt(g, 16));
    }
    return true;
  };
  const want = v4 === -1 ? 8 : 6;
  if (dbl === -1) {
    if (!parseGroups(tail, groups) || groups.length !== want) return null;
  } else {
    const head: number[] = [];
    const rest: number[] = [];
    if (!parseGroups(tail.slice(0, dbl), head) || !parseGroups(tail.slice(dbl + 2), rest)) return null;
    if (head.length + rest.length > want - 1) return null;
    groups.push(...head);
    for (let i = head.length + rest.length; i < want; i++) groups.push(0);
    groups.push(...rest);
  }
  if (v4 !== -1) groups.push(v4 >>> 16, v4 & 0xffff);
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = groups[2 * i] * 0x10000 + groups[2 * i + 1];
  return words;
}
