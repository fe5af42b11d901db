/**
 * DNP3 application-layer object headers (IEEE 1815-2012 section 4.2.2.7): after the application
 * header, a sequence of object headers, each group (1), variation (1), qualifier (1: bits 6-4 the
 * object prefix code, bits 3-0 the range specifier code) and a range field, then, when the fragment
 * carries object data (responses; WRITE, SELECT, OPERATE, DIRECT_OPERATE, FREEZE_AT_TIME, file and
 * authentication requests), per object the prefix (an index or a size) and the object itself.
 *
 * readDnp3Objects() walks the headers of one fragment and, when asked, records each as an object
 * (space 'object') keyed dnp3ObjectKey(): `g60v1` (range code 6, all objects), `g1v2 indexes 0-15`
 * (start-stop), `g50v1 count 1` (a count, no index prefix), and one `g12v1 index 3` per object of a
 * header with index prefixes (a CROB on point 3). Objects of known size are skipped by the size table
 * below (Wireshark packet-dnp.c, IEEE 1815 section 11 object library); the walk stops quietly at an
 * object whose size it does not know (device attributes g0, ...), after recording that header.
 */
import type { PduSink } from '../types.js';

export const DNP3_OBJECT_POINT = 2;

export const OBJ_ALL = 0;
export const OBJ_RANGE = 1;
export const OBJ_INDEX = 2;
export const OBJ_COUNT = 3;

const PACKED_1 = -1;
const PACKED_2 = -2;
const UNKNOWN = -3;

/** Bytes per object by group << 8 | variation: > 0 fixed, 0 no data, PACKED_* bits, UNKNOWN. */
const SIZES = new Int16Array(0x10000).fill(UNKNOWN);
function sizes(group: number, list: ReadonlyArray<number>): void {
  list.forEach((n, i) => (SIZES[(group << 8) | (i + 1)] = n));
}
sizes(1, [PACKED_1, 1]);
sizes(2, [1, 7, 3]);
sizes(3, [PACKED_2, 1]);
sizes(4, [1, 7, 3]);
sizes(10, [PACKED_1, 1]);
sizes(11, [1, 7]);
sizes(12, [11, 11, PACKED_1]);
sizes(13, [1, 7]);
sizes(20, [5, 3, 5, 3, 4, 2, 4, 2]);
sizes(21, [5, 3, 5, 3, 11, 9, 11, 9, 4, 2, 4, 2]);
sizes(22, [5, 3, 5, 3, 11, 9, 11, 9]);
sizes(23, [5, 3, 5, 3, 11, 9, 11, 9]);
sizes(30, [5, 3, 4, 2, 5, 9]);
sizes(31, [5, 3, 11, 9, 4, 2, 5, 9]);
sizes(32, [5, 3, 11, 9, 5, 9, 11, 15]);
sizes(33, [5, 3, 11, 9, 5, 9, 11, 15]);
sizes(34, [2, 4, 4]);
sizes(40, [5, 3, 5, 9]);
sizes(41, [5, 3, 5, 9]);
sizes(42, [5, 3, 11, 9, 5, 9, 11, 15]);
sizes(43, [5, 3, 11, 9, 5, 9, 11, 15]);
sizes(50, [6, 10, 6, 11]);
sizes(51, [6, 6]);
sizes(52, [2, 2]);
sizes(60, [0, 0, 0, 0]);
sizes(80, [PACKED_1]);
// Octet strings: the variation is the length.
for (let v = 1; v < 256; v++) {
  SIZES[(110 << 8) | v] = v;
  SIZES[(111 << 8) | v] = v;
}

const TWO_15 = 0x8000;
const TWO_30 = 0x40000000;
const TWO_38 = 0x4000000000;
const TWO_46 = 0x400000000000;

/**
 * Key of one object record: kind (2 bits) | group (8) | variation (8) | 30 bits: start (15) and stop
 * (15) of a range, the index, or the count. A number below 2^48 when it fits, else its rendering.
 */
export function dnp3ObjectKey(kind: number, group: number, variation: number, a: number, b: number): number | string {
  let low: number;
  if (kind === OBJ_ALL) low = 0;
  else if (kind === OBJ_RANGE) low = a < TWO_15 && b < TWO_15 ? a * TWO_15 + b : -1;
  else low = a < TWO_30 ? a : -1;
  if (low < 0) return formatDnp3Object(kind, group, variation, a, b);
  return kind * TWO_46 + group * TWO_38 + variation * TWO_30 + low;
}

/** `g60v1`, `g1v2 indexes 0-15`, `g12v1 index 3`, `g50v1 count 1`. */
export function formatDnp3Object(kind: number, group: number, variation: number, a: number, b: number): string {
  const gv = `g${group}v${variation}`;
  if (kind === OBJ_RANGE) return `${gv} indexes ${a}-${b}`;
  if (kind === OBJ_INDEX) return `${gv} index ${a}`;
  if (kind === OBJ_COUNT) return `${gv} count ${a}`;
  return gv;
}

/** Rendering of a key made by dnp3ObjectKey(). */
export function describeDnp3Object(key: number | string): string {
  if (typeof key === 'string') return key;
  const kind = Math.floor(key / TWO_46) & 3;
  const group = Math.floor(key / TWO_38) & 0xff;
  const variation = Math.floor(key / TWO_30) & 0xff;
  const low = key % TWO_30;
  return formatDnp3Object(kind, group, variation, kind === OBJ_RANGE ? Math.floor(low / TWO_15) : low, low % TWO_15);
}

function uint(b: Buffer, p: number, n: number): number {
  if (n === 1) return b[p]!;
  if (n === 2) return b.readUInt16LE(p);
  return b.readUInt32LE(p);
}

/** Octets of a range field by range specifier code (-1: reserved). */
const RANGE_OCTETS = [2, 4, 8, 2, 4, 8, 0, 1, 2, 4, -1, 1, -1, -1, -1, -1];
/** Octets of a prefix by prefix code (-1: reserved); codes 4-6 are object sizes. */
const PREFIX_OCTETS = [0, 1, 2, 4, 1, 2, 4, -1];

/**
 * Walks the object headers of buf[p..end) (the bytes after the application header). `hasData`: the
 * objects themselves follow their headers. `record`: each header is reported by sink.object(space
 * DNP3_OBJECT_POINT, dnp3ObjectKey(...), write). `at` is the offset of buf[p] for violations.
 */
export function readDnp3Objects(b: Buffer, p: number, end: number, hasData: boolean, record: boolean, write: boolean, sink: PduSink, at: number): void {
  const base = p - at;
  while (p < end) {
    if (end - p < 3) {
      sink.violation('DNP3_OBJECT_TRUNCATED', `object header of ${end - p} bytes: group, variation and qualifier need 3`, p - base);
      return;
    }
    const group = b[p]!;
    const variation = b[p + 1]!;
    const q = b[p + 2]!;
    const prefixCode = (q >> 4) & 7;
    const rangeCode = q & 0x0f;
    const ro = RANGE_OCTETS[rangeCode]!;
    const po = PREFIX_OCTETS[prefixCode]!;
    if (ro < 0 || po < 0 || (rangeCode === 6 && prefixCode !== 0)) {
      sink.violation('DNP3_BAD_QUALIFIER', `g${group}v${variation} qualifier 0x${q.toString(16).padStart(2, '0')}: reserved prefix or range code`, p + 2 - base);
      return;
    }
    p += 3;
    if (end - p < ro) {
      sink.violation('DNP3_OBJECT_TRUNCATED', `g${group}v${variation} range field of ${ro} bytes, ${end - p} left`, p - base);
      return;
    }
    let count = 0;
    let start = 0;
    if (rangeCode <= 5) {
      const half = ro / 2;
      start = uint(b, p, half);
      const stop = uint(b, p + half, half);
      if (stop < start) {
        sink.violation('DNP3_BAD_RANGE', `g${group}v${variation} range ${start}-${stop}: stop before start`, p - base);
        return;
      }
      count = stop - start + 1;
      if (record && prefixCode === 0) sink.object(DNP3_OBJECT_POINT, dnp3ObjectKey(OBJ_RANGE, group, variation, start, stop), write);
    } else if (rangeCode !== 6) {
      count = uint(b, p, ro);
      if (record && (prefixCode === 0 || prefixCode >= 4)) sink.object(DNP3_OBJECT_POINT, dnp3ObjectKey(OBJ_COUNT, group, variation, count, 0), write);
    } else if (record) sink.object(DNP3_OBJECT_POINT, dnp3ObjectKey(OBJ_ALL, group, variation, 0, 0), write);
    p += ro;
    if (rangeCode === 6) continue;
    const size = SIZES[(group << 8) | variation]!;
    const sized = prefixCode >= 4;
    const data = hasData || sized;
    if (po === 0) {
      if (!data || size === 0) continue;
      let bytes: number;
      if (size === PACKED_1) bytes = Math.ceil(count / 8);
      else if (size === PACKED_2) bytes = Math.ceil(count / 4);
      else if (size > 0) bytes = count * size;
      else return; // an object of unknown size: the next header cannot be found
      if (bytes > end - p) {
        sink.violation('DNP3_OBJECT_TRUNCATED', `g${group}v${variation}: ${count} objects need ${bytes} bytes, ${end - p} left`, p - base);
        return;
      }
      p += bytes;
      continue;
    }
    for (let k = 0; k < count; k++) {
      if (end - p < po) {
        sink.violation('DNP3_OBJECT_TRUNCATED', `g${group}v${variation} object ${k + 1} of ${count}: prefix of ${po} bytes, ${end - p} left`, p - base);
        return;
      }
      const prefix = uint(b, p, po);
      p += po;
      if (!sized && record) sink.object(DNP3_OBJECT_POINT, dnp3ObjectKey(OBJ_INDEX, group, variation, prefix, 0), write);
      let bytes: number;
      if (sized) bytes = prefix;
      else if (!data || size === 0) bytes = 0;
      else if (size > 0) bytes = size;
      else if (size === PACKED_1 || size === PACKED_2) bytes = 1; // one packed object per index: its own octet
      else return;
      if (bytes > end - p) {
        sink.violation('DNP3_OBJECT_TRUNCATED', `g${group}v${variation} object ${k + 1} of ${count}: ${bytes} bytes, ${end - p} left`, p - base);
        return;
      }
      p += bytes;
    }
  }
}
