/**
 * DNP3 (IEEE 1815-2012) over TCP and UDP 20000 (section 13 / annex: DNP3 over IP carries unchanged
 * link-layer frames).
 *
 * Layers decoded:
 *  - link layer (section 9.2.4): start 0x05 0x64, length, control (DIR, PRM, FCB/DFC, function),
 *    destination and source addresses (little-endian), header CRC, then user data in blocks of at most
 *    16 bytes each followed by its CRC. Every CRC is checked (DNP3_BAD_CRC).
 *  - transport function (section 8.2): FIN, FIR and a 6-bit sequence (modulo 64) join link frames into
 *    one application fragment, per direction (the DIR bit: master or outstation).
 *  - application layer (section 4.2.2): application control, function code, and in responses the
 *    internal indications (IIN).
 *
 * What it reports into the PduSink:
 *  - fn(0 'function', appFc, kind) once per complete application fragment: requests (and a CONFIRM
 *    from the master) are KIND_REQUEST; RESPONSE, UNSOLICITED_RESPONSE, AUTHENTICATE_RESP (and a CONFIRM
 *    from the outstation) KIND_RESPONSE, or KIND_EXCEPTION when IIN2 says the function, object or a
 *    parameter was refused (IIN2.0..2).
 *  - fn(1 'link', PRM | link function, kind) for link frames that carry no user data (link status,
 *    reset link, ACK); a frame that carries part of a fragment counts as the fragment's function.
 *  - object(0 'outstation', address, write) and object(1 'master', address, write) for each request,
 *    and object(2 'object', dnp3ObjectKey, write) for each object header of a request (dnp3Objects.ts:
 *    `g60v1`, `g1v2 indexes 0-15`, `g12v1 index 3`, `g50v1 count 1`). Responses' object headers are
 *    walked too (their violations reported), not recorded: objects are what a request touches.
 *  - violations DNP3_*: TRUNCATED, BAD_START, BAD_LENGTH, BAD_CRC, TRANSPORT_SEQUENCE,
 *    FRAGMENT_TOO_LONG, APP_TRUNCATED, UNEXPECTED_DATA, OBJECT_TRUNCATED, BAD_QUALIFIER, BAD_RANGE.
 *
 * The per-connection state holds one reassembly buffer per direction (copied bytes: nothing is kept of
 * the caller's buffer).
 */
import type { Dissector, PduSink } from '../types.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../types.js';
import { dnp3CrcOk } from './dnp3Crc.js';
import { DNP3_OBJECT_POINT, describeDnp3Object, readDnp3Objects } from './dnp3Objects.js';
import {
  DNP3_SPACE_APP,
  DNP3_SPACE_LINK,
  FC_AUTHENTICATE_RESPONSE,
  FC_CONFIRM,
  FC_RESPONSE,
  FC_UNSOLICITED_RESPONSE,
  carriesObjects,
  describeDnp3,
  isWriteOrControl,
} from './dnp3Codes.js';

export const DNP3_PORT = 20000;
export const DNP3_OBJECT_OUTSTATION = 0;
export const DNP3_OBJECT_MASTER = 1;
/** Largest application fragment accepted (the spec's usual maximum is 2048; some devices go higher). */
export const DNP3_MAX_FRAGMENT = 8192;

const HEADER = 10;
const LINK_CONFIRMED_USER_DATA = 3;
const LINK_UNCONFIRMED_USER_DATA = 4;

class Fragment {
  readonly buf = Buffer.alloc(DNP3_MAX_FRAGMENT);
  len = 0;
  seq = -1;
  active = false;
}

export class Dnp3State {
  /** [0] from the outstation (DIR 0), [1] from the master (DIR 1). */
  readonly sides: readonly [Fragment, Fragment] = [new Fragment(), new Fragment()];

  /** As new, for another connection (Dissector.resetState): the fragment buffers are kept (read up to `len` only). */
  reset(): void {
    for (const f of this.sides) {
      f.len = 0;
      f.seq = -1;
      f.active = false;
    }
  }
}

/** Bytes of a link frame whose length field is `lenField` (header + data + one CRC per 16-byte block). */
function frameLength(lenField: number): number {
  const n = lenField - 5;
  return HEADER + n + 2 * Math.ceil(n / 16);
}

function dnp3PduLength(buf: Buffer, off: number, avail: number): number {
  if (avail < 1) return 0;
  if (buf[off] !== 0x05) return -1;
  if (avail < 2) return 0;
  if (buf[off + 1] !== 0x64) return -1;
  if (avail < 3) return 0;
  const l = buf[off + 2]!;
  return l < 5 ? -1 : frameLength(l);
}

function dnp3Heuristic(buf: Buffer, off: number, len: number): boolean {
  return len >= HEADER && buf[off] === 0x05 && buf[off + 1] === 0x64 && buf[off + 2]! >= 5 && dnp3CrcOk(buf, off, 8);
}

function decodeApp(f: Fragment, fromMaster: boolean, dst: number, src: number, sink: PduSink, at: number): void {
  const b = f.buf;
  if (f.len < 2) {
    sink.violation('DNP3_APP_TRUNCATED', `application fragment of ${f.len} bytes: control and function code need 2`, at);
    return;
  }
  const fc = b[1]!;
  if (fc === FC_RESPONSE || fc === FC_UNSOLICITED_RESPONSE || fc === FC_AUTHENTICATE_RESPONSE) {
    if (f.len < 4) {
      sink.violation('DNP3_APP_TRUNCATED', `response of ${f.len} bytes: internal indications need 4`, at);
      return;
    }
    sink.fn(DNP3_SPACE_APP, fc, (b[3]! & 0x07) !== 0 ? KIND_EXCEPTION : KIND_RESPONSE);
    readDnp3Objects(b, 4, f.len, true, false, false, sink, at + 4);
    return;
  }
  if (fc === FC_CONFIRM && !fromMaster) {
    sink.fn(DNP3_SPACE_APP, fc, KIND_RESPONSE);
    return;
  }
  sink.fn(DNP3_SPACE_APP, fc, KIND_REQUEST);
  const w = isWriteOrControl(fc);
  sink.object(DNP3_OBJECT_OUTSTATION, fromMaster ? dst : src, w);
  sink.object(DNP3_OBJECT_MASTER, fromMaster ? src : dst, w);
  readDnp3Objects(b, 2, f.len, carriesObjects(fc), true, w, sink, at + 2);
}

/** One link frame at buf[p]; returns its length, or -1 when the rest of the PDU cannot be framed. */
function decodeFrame(st: Dnp3State, buf: Buffer, p: number, end: number, base: number, sink: PduSink): number {
  const avail = end - p;
  const at = p - base;
  if (avail < HEADER) {
    sink.violation('DNP3_TRUNCATED', `${avail} bytes: a link header needs 10`, at);
    return -1;
  }
  if (buf[p] !== 0x05 || buf[p + 1] !== 0x64) {
    sink.violation('DNP3_BAD_START', `start bytes 0x${buf[p]!.toString(16)} 0x${buf[p + 1]!.toString(16)}, DNP3 is 0x05 0x64`, at);
    return -1;
  }
  const l = buf[p + 2]!;
  if (l < 5) {
    sink.violation('DNP3_BAD_LENGTH', `length ${l}, at least 5 (control and addresses)`, at + 2);
    return -1;
  }
  const total = frameLength(l);
  if (total > avail) {
    sink.violation('DNP3_TRUNCATED', `length ${l} needs ${total} bytes, ${avail} left`, at + 2);
    return -1;
  }
  if (!dnp3CrcOk(buf, p, 8)) {
    sink.violation('DNP3_BAD_CRC', 'link header CRC does not match', at + 8);
    return total;
  }
  const ctrl = buf[p + 3]!;
  const fromMaster = (ctrl & 0x80) !== 0;
  const primary = (ctrl & 0x40) !== 0;
  const lfc = ctrl & 0x0f;
  const dst = buf[p + 4]! | (buf[p + 5]! << 8);
  const src = buf[p + 6]! | (buf[p + 7]! << 8);
  const n = l - 5;
  const linkKind = fromMaster ? KIND_REQUEST : KIND_RESPONSE;
  if (n === 0) {
    sink.fn(DNP3_SPACE_LINK, (ctrl & 0x40) | lfc, linkKind);
    return total;
  }
  for (let q = p + HEADER, left = n; left > 0; ) {
    const k = left < 16 ? left : 16;
    if (!dnp3CrcOk(buf, q, k)) {
      sink.violation('DNP3_BAD_CRC', `user data block CRC does not match`, q + k - base);
      return total;
    }
    q += k + 2;
    left -= k;
  }
  if (!primary || (lfc !== LINK_CONFIRMED_USER_DATA && lfc !== LINK_UNCONFIRMED_USER_DATA)) {
    sink.violation('DNP3_UNEXPECTED_DATA', `link function ${lfc} carries ${n} bytes of user data`, at + 3);
    return total;
  }
  const th = buf[p + HEADER]!;
  const fin = (th & 0x80) !== 0;
  const fir = (th & 0x40) !== 0;
  const seq = th & 0x3f;
  const f = st.sides[fromMaster ? 1 : 0];
  if (fir) {
    f.len = 0;
    f.active = true;
  } else if (!f.active || seq !== ((f.seq + 1) & 0x3f)) {
    const was = f.active ? `sequence ${seq} after ${f.seq}` : `sequence ${seq} without a first segment`;
    f.active = false;
    sink.violation('DNP3_TRANSPORT_SEQUENCE', `transport segment out of order (${was})`, at + HEADER);
    return total;
  }
  f.seq = seq;
  // Copy the user data without its CRCs, skipping the transport header (first byte of block 1).
  for (let q = p + HEADER, left = n, first = true; left > 0; first = false) {
    const k = left < 16 ? left : 16;
    const from = first ? q + 1 : q;
    const m = first ? k - 1 : k;
    if (f.len + m > DNP3_MAX_FRAGMENT) {
      f.active = false;
      sink.violation('DNP3_FRAGMENT_TOO_LONG', `application fragment over ${DNP3_MAX_FRAGMENT} bytes`, q - base);
      return total;
    }
    buf.copy(f.buf, f.len, from, from + m);
    f.len += m;
    q += k + 2;
    left -= k;
  }
  if (fin) {
    f.active = false;
    decodeApp(f, fromMaster, dst, src, sink, at + HEADER + 1);
  }
  return total;
}

function decodeDnp3(st: Dnp3State, buf: Buffer, off: number, len: number, _dir: number, sink: PduSink): void {
  const end = off + len;
  if (len === 0) {
    sink.violation('DNP3_TRUNCATED', 'empty PDU', 0);
    return;
  }
  for (let p = off; p < end; ) {
    const n = decodeFrame(st, buf, p, end, off, sink);
    if (n < 0) return;
    p += n;
  }
}

export const dnp3: Dissector<Dnp3State> = {
  id: 'dnp3',
  name: 'DNP3',
  transports: ['tcp', 'udp'],
  ports: [DNP3_PORT],
  spaces: ['function', 'link'],
  objectSpaces: ['outstation', 'master', 'object'],
  describeObject(space: number, key: number | string): string {
    if (space === DNP3_OBJECT_POINT) return describeDnp3Object(key);
    if (typeof key !== 'number') return String(key);
    return `${space === DNP3_OBJECT_OUTSTATION ? 'outstation' : 'master'} ${key}`;
  },
  heuristic: dnp3Heuristic,
  pduLength: dnp3PduLength,
  createState: () => new Dnp3State(),
  resetState: (st) => st.reset(),
  decode: decodeDnp3,
  describe: describeDnp3,
};
