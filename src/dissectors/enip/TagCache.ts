/**
 * Symbolic tag names of Logix request paths (ANSI extended symbol segments 0x91, symbolic segments
 * 0x6x, member segments as array indexes: `Program:Main.Motor[3].Speed`), cached per connection
 * by the raw path bytes so that polling the same tags again builds no new string.
 */

interface Entry {
  bytes: Buffer;
  name: string;
}

function hashBytes(buf: Buffer, off: number, len: number): number {
  // FNV-1a, 32-bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) {
    h ^= buf[off + i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h ^ len) >>> 0;
}

function sameBytes(a: Buffer, buf: Buffer, off: number, len: number): boolean {
  if (a.length !== len) return false;
  for (let i = 0; i < len; i++) if (a[i] !== buf[off + i]) return false;
  return true;
}

/** Builds the tag name of a (well-formed, see parseEpath) padded EPATH. */
export function symbolicName(buf: Buffer, off: number, len: number): string {
  const end = off + len;
  let name = '';
  let inIndex = false;
  let p = off;
  while (p < end) {
    const seg = buf[p]!;
    if (seg === 0x91 && p + 1 < end) {
      const size = buf[p + 1]!;
      if (inIndex) name += ']';
      inIndex = false;
      if (name.length > 0) name += '.';
      name += buf.toString('latin1', p + 2, Math.min(end, p + 2 + size));
      p += 2 + size + (size & 1);
    } else if (seg >> 5 === 3 && (seg & 0x1f) > 0) {
      const size = seg & 0x1f;
      if (inIndex) name += ']';
      inIndex = false;
      if (name.length > 0) name += '.';
      name += buf.toString('latin1', p + 1, Math.min(end, p + 1 + size));
      p += 1 + size + ((1 + size) & 1);
    } else if (seg >> 5 === 1 && ((seg >> 2) & 7) === 2 && p + 1 < end) {
      // Member segment = element index.
      const format = seg & 3;
      let v = 0;
      if (format === 0) {
        v = buf[p + 1]!;
        p += 2;
      } else if (format === 1 && p + 4 <= end) {
        v = buf.readUInt16LE(p + 2);
        p += 4;
      } else if (format === 2 && p + 6 <= end) {
        v = buf.readUInt32LE(p + 2);
        p += 6;
      } else {
        break;
      }
      name += inIndex ? `,${v}` : `[${v}`;
      inIndex = true;
    } else {
      break; // anything else ends the symbolic part
    }
  }
  if (inIndex) name += ']';
  return name;
}

export class TagCache {
  private readonly map = new Map<number, Entry>();
  constructor(readonly maxEntries = 256) {}

  /** The tag name of path buf[off, off+len), from the cache when these bytes were seen before. */
  get(buf: Buffer, off: number, len: number): string {
    const h = hashBytes(buf, off, len);
    const e = this.map.get(h);
    if (e && sameBytes(e.bytes, buf, off, len)) return e.name;
    const name = symbolicName(buf, off, len);
    if (this.map.size >= this.maxEntries) this.map.clear();
    const bytes = Buffer.allocUnsafe(len);
    buf.copy(bytes, 0, off, off + len);
    this.map.set(h, { bytes, name });
    return name;
  }
}
