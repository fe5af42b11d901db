/**
 * Padded EPATH parsing (ODVA CIP Vol. 1, Appendix C "Data management", C-1 "Segment type"):
 * port segments (C-1.4.1), logical segments 8/16/32-bit (C-1.4.2, with the electronic key
 * C-1.4.2.1), network segments (C-1.4.3), symbolic segments (C-1.4.4) and data segments with the
 * ANSI extended symbol segment 0x91 (C-1.4.5) that Logix tag paths use. Results go into a reused
 * EpathScratch: nothing is allocated per path.
 */

export class EpathScratch {
  /** First class id in the path, -1 if none. */
  classId = -1;
  instance = -1;
  attribute = -1;
  member = -1;
  connPoint = -1;
  /** Number of symbolic (0x6x) and ANSI extended symbolic (0x91) segments. */
  symbols = 0;
  /** Number of port segments (routing). */
  ports = 0;
  /** Absolute offset of the faulty segment when parseEpath returned false. */
  errorAt = -1;
  /** What was wrong (a constant string, no allocation). */
  error = '';

  reset(): void {
    this.classId = -1;
    this.instance = -1;
    this.attribute = -1;
    this.member = -1;
    this.connPoint = -1;
    this.symbols = 0;
    this.ports = 0;
    this.errorAt = -1;
    this.error = '';
  }
}

function fail(out: EpathScratch, at: number, error: string): false {
  out.errorAt = at;
  out.error = error;
  return false;
}

/**
 * Parses the padded EPATH buf[off, off+len) into `out`. Returns false (with out.errorAt/error set)
 * on a reserved, unsupported or truncated segment; what was parsed before it stays in `out`.
 */
export function parseEpath(buf: Buffer, off: number, len: number, out: EpathScratch): boolean {
  out.reset();
  const end = off + len;
  let p = off;
  while (p < end) {
    const seg = buf[p]!;
    const start = p;
    switch (seg >> 5) {
      case 0: {
        // Port segment (C-1.4.1): [seg][port id u16 if 15][link size if ext][link address][pad]
        p++;
        if ((seg & 0x0f) === 0x0f) p += 2;
        let linkLen = 1;
        if (seg & 0x10) {
          if (p >= end) return fail(out, start, 'truncated port segment');
          linkLen = buf[p]!;
          p++;
        }
        p += linkLen;
        if ((p - start) & 1) p++;
        if (p > end) return fail(out, start, 'truncated port segment');
        out.ports++;
        break;
      }
      case 1: {
        // Logical segment (C-1.4.2): type in bits 4-2, format in bits 1-0.
        const type = (seg >> 2) & 7;
        const format = seg & 3;
        if (type === 5) {
          // Special: electronic key (format 0, key format 4: 8 bytes of key data).
          if (format !== 0 || p + 2 > end || buf[p + 1] !== 4) return fail(out, start, 'unsupported special segment');
          p += 10;
          if (p > end) return fail(out, start, 'truncated electronic key');
          break;
        }
        let value: number;
        if (format === 0) {
          if (p + 2 > end) return fail(out, start, 'truncated logical segment');
          value = buf[p + 1]!;
          p += 2;
        } else if (format === 1) {
          if (p + 4 > end) return fail(out, start, 'truncated logical segment');
          value = buf.readUInt16LE(p + 2);
          p += 4;
        } else if (format === 2) {
          if (p + 6 > end) return fail(out, start, 'truncated logical segment');
          value = buf.readUInt32LE(p + 2);
          p += 6;
        } else {
          return fail(out, start, 'reserved logical format');
        }
        if (type === 0) {
          if (out.classId < 0) out.classId = value;
        } else if (type === 1) {
          if (out.instance < 0) out.instance = value;
        } else if (type === 2) {
          if (out.member < 0) out.member = value;
        } else if (type === 3) {
          if (out.connPoint < 0) out.connPoint = value;
        } else if (type === 4) {
          if (out.attribute < 0) out.attribute = value;
        } else if (type === 7) {
          return fail(out, start, 'unsupported extended logical segment');
        }
        // type 6 (service id): nothing to keep.
        break;
      }
      case 2: {
        // Network segment (C-1.4.3): subtypes with bit 4 set carry a word count, others one byte.
        if (p + 2 > end) return fail(out, start, 'truncated network segment');
        if (seg & 0x10) p += 2 + buf[p + 1]! * 2;
        else p += 2;
        if (p > end) return fail(out, start, 'truncated network segment');
        break;
      }
      case 3: {
        // Symbolic segment (C-1.4.4): low 5 bits = symbol size in bytes; 0 = extended format.
        let size = seg & 0x1f;
        p++;
        if (size === 0) {
          if (p >= end) return fail(out, start, 'truncated symbolic segment');
          const f = buf[p]!;
          p++;
          const kind = f >> 5;
          if (kind === 1) size = (f & 0x1f) * 2;
          else if (kind === 2) size = (f & 0x1f) * 3;
          else if (kind === 6 && (f & 0x1f) === 6) size = 1;
          else if (kind === 6 && (f & 0x1f) === 7) size = 2;
          else if (kind === 6 && (f & 0x1f) === 8) size = 4;
          else return fail(out, start, 'reserved extended string format');
        }
        p += size;
        if ((p - start) & 1) p++;
        if (p > end) return fail(out, start, 'truncated symbolic segment');
        out.symbols++;
        break;
      }
      case 4: {
        // Data segment (C-1.4.5): 0x80 simple data (word count), 0x91 ANSI extended symbol.
        if (p + 2 > end) return fail(out, start, 'truncated data segment');
        if (seg === 0x80) {
          p += 2 + buf[p + 1]! * 2;
        } else if (seg === 0x91) {
          const size = buf[p + 1]!;
          p += 2 + size + (size & 1);
          out.symbols++;
        } else {
          return fail(out, start, 'reserved data segment');
        }
        if (p > end) return fail(out, start, 'truncated data segment');
        break;
      }
      default:
        // 5, 6: data type segments (not addressing); 7: reserved.
        return fail(out, start, 'unexpected segment type in path');
    }
  }
  return true;
}
