/**
 * BACnet/IP on UDP 47808 (ASHRAE 135-2020 annex J BVLL, clause 6 NPDU, clause 20 APDU encoding).
 *
 * Layers decoded: BVLC (type 0x81, function, length = the datagram; Forwarded-NPDU carries the original
 * B/IP address), NPDU (version 1, control, optional destination/source network addresses and hop
 * count, network layer messages), APDU (PDU type, segmentation flags, invoke id, service choice).
 *
 * What it reports into the PduSink:
 *  - fn(0 'confirmed', service, kind): Confirmed-Request KIND_REQUEST; SimpleACK and ComplexACK (each
 *    segment) KIND_RESPONSE; Error KIND_EXCEPTION.
 *  - fn(1 'unconfirmed', service, kind): KIND_REQUEST, but I-Am and I-Have (answers) KIND_RESPONSE.
 *  - fn(2 'bvlc', function, kind) for BVLC messages that carry no NPDU (Result and the table ACKs are
 *    responses); fn(3 'network', message type, KIND_REQUEST) for network layer messages;
 *    fn(4 'apdu', 4 | 6 | 7, kind) for SegmentACK (response), Reject and Abort (exceptions).
 *  - object(0 'object', BACnetObjectIdentifier (type << 22 | instance), write) for ReadProperty and
 *    WriteProperty requests (context tag 0).
 *  - identity(WHO_SENDER, 'device_instance' | 'vendor_id', ...) from I-Am (clause 16.10.3).
 *  - violations BACNET_*: TRUNCATED, BAD_BVLC_TYPE, LENGTH_MISMATCH, BAD_NPDU_VERSION, NPDU_TRUNCATED,
 *    APDU_TRUNCATED, BAD_APDU_TYPE, TRAILING_BYTES (a
 *    BVLC length past the datagram or short of it: what is there is still decoded).
 */
import type { Dissector, PduSink } from '../types.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER } from '../types.js';
import {
  BACNET_SPACE_APDU,
  BACNET_SPACE_BVLC,
  BACNET_SPACE_CONFIRMED,
  BACNET_SPACE_NETWORK,
  BACNET_SPACE_UNCONFIRMED,
  SVC_READ_PROPERTY,
  SVC_WRITE_PROPERTY,
  USVC_I_AM,
  USVC_I_HAVE,
  confirmedChangesState,
  describeBacnet,
} from './bacnetCodes.js';

export const BACNET_PORT = 47808;
export const BACNET_OBJECT_OBJECT = 0;

/** BACnetObjectType names (ASHRAE 135 clause 21), the common ones; others show their number. */
const BACNET_OBJECT_TYPE_NAMES: Record<number, string> = {
  0: 'analog-input', 1: 'analog-output', 2: 'analog-value', 3: 'binary-input', 4: 'binary-output', 5: 'binary-value',
  6: 'calendar', 7: 'command', 8: 'device', 9: 'event-enrollment', 10: 'file', 11: 'group', 12: 'loop',
  13: 'multi-state-input', 14: 'multi-state-output', 15: 'notification-class', 16: 'program', 17: 'schedule',
  18: 'averaging', 19: 'multi-state-value', 20: 'trend-log', 21: 'life-safety-point', 22: 'life-safety-zone',
  23: 'accumulator', 24: 'pulse-converter', 25: 'event-log', 27: 'trend-log-multiple', 29: 'structured-view',
  30: 'access-door', 56: 'network-port',
};
/** BACnet object type 8 = device (clause 21, BACnetObjectType). */
const OBJECT_TYPE_DEVICE = 8;

function bvlcHeuristic(buf: Buffer, off: number, len: number): boolean {
  return len >= 4 && buf[off] === 0x81 && buf[off + 1]! <= 0x0c && ((buf[off + 2]! << 8) | buf[off + 3]!) === len;
}

/** A context or application tag's length field (clause 20.2.1): -1 when it needs extended octets we do not read. */
function tagLen(t: number): number {
  const l = t & 0x07;
  return l <= 4 ? l : -1;
}

function unsigned(buf: Buffer, p: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + buf[p + i]!;
  return v;
}

/** I-Am (clause 16.10.3): application-tagged object identifier, max APDU, segmentation, vendor id. */
function reportIAm(buf: Buffer, p: number, end: number, base: number, sink: PduSink): void {
  if (p + 5 > end || buf[p] !== 0xc4) {
    sink.violation('BACNET_APDU_TRUNCATED', 'I-Am without an object identifier (application tag 12, 4 octets)', p - base);
    return;
  }
  const oid = buf.readUInt32BE(p + 1);
  if (oid >>> 22 === OBJECT_TYPE_DEVICE) sink.identity(WHO_SENDER, 'device_instance', String(oid & 0x3fffff));
  p += 5;
  // max APDU length accepted (unsigned), segmentation supported (enumerated), vendor id (unsigned)
  for (let field = 0; field < 3; field++) {
    if (p >= end) return;
    const n = tagLen(buf[p]!);
    if (n < 0 || p + 1 + n > end) return;
    if (field === 2 && buf[p]! >> 4 === 2) sink.identity(WHO_SENDER, 'vendor_id', String(unsigned(buf, p + 1, n)));
    p += 1 + n;
  }
}

function decodeApdu(buf: Buffer, p: number, end: number, base: number, sink: PduSink): void {
  const n = end - p;
  if (n < 1) {
    sink.violation('BACNET_APDU_TRUNCATED', 'NPDU without an APDU', p - base);
    return;
  }
  const b0 = buf[p]!;
  const type = b0 >> 4;
  const seg = (b0 & 0x08) !== 0;
  const need = (k: number, what: string): boolean => {
    if (n >= k) return true;
    sink.violation('BACNET_APDU_TRUNCATED', `${n} APDU bytes: ${what} needs ${k}`, p - base);
    return false;
  };
  switch (type) {
    case 0: {
      const at = seg ? 5 : 3;
      if (!need(at + 1, 'a confirmed request')) return;
      const svc = buf[p + at]!;
      sink.fn(BACNET_SPACE_CONFIRMED, svc, KIND_REQUEST);
      const q = p + at + 1;
      if ((svc === SVC_READ_PROPERTY || svc === SVC_WRITE_PROPERTY) && !seg && q + 5 <= end && buf[q] === 0x0c) {
        sink.object(BACNET_OBJECT_OBJECT, buf.readUInt32BE(q + 1), confirmedChangesState(svc));
      }
      return;
    }
    case 1: {
      if (!need(2, 'an unconfirmed request')) return;
      const svc = buf[p + 1]!;
      sink.fn(BACNET_SPACE_UNCONFIRMED, svc, svc === USVC_I_AM || svc === USVC_I_HAVE ? KIND_RESPONSE : KIND_REQUEST);
      if (svc === USVC_I_AM) reportIAm(buf, p + 2, end, base, sink);
      return;
    }
    case 2:
      if (!need(3, 'a SimpleACK')) return;
      sink.fn(BACNET_SPACE_CONFIRMED, buf[p + 2]!, KIND_RESPONSE);
      return;
    case 3: {
      const at = seg ? 4 : 2;
      if (!need(at + 1, 'a ComplexACK')) return;
      sink.fn(BACNET_SPACE_CONFIRMED, buf[p + at]!, KIND_RESPONSE);
      return;
    }
    case 4:
      if (!need(4, 'a SegmentACK')) return;
      sink.fn(BACNET_SPACE_APDU, 4, KIND_RESPONSE);
      return;
    case 5:
      if (!need(3, 'an Error')) return;
      sink.fn(BACNET_SPACE_CONFIRMED, buf[p + 2]!, KIND_EXCEPTION);
      return;
    case 6:
    case 7:
      if (!need(3, type === 6 ? 'a Reject' : 'an Abort')) return;
      sink.fn(BACNET_SPACE_APDU, type, KIND_EXCEPTION);
      return;
    default:
      sink.violation('BACNET_BAD_APDU_TYPE', `APDU type ${type} is not defined (0..7)`, p - base);
  }
}

function decodeNpdu(buf: Buffer, p: number, end: number, base: number, sink: PduSink): void {
  const trunc = (what: string): void => sink.violation('BACNET_NPDU_TRUNCATED', `NPDU ends inside the ${what}`, p - base);
  if (p + 2 > end) return trunc('version and control octets');
  if (buf[p] !== 0x01) {
    sink.violation('BACNET_BAD_NPDU_VERSION', `NPDU version ${buf[p]}, BACnet is 1`, p - base);
    return;
  }
  const ctrl = buf[p + 1]!;
  let q = p + 2;
  const dnet = (ctrl & 0x20) !== 0;
  if (dnet) {
    if (q + 3 > end) return trunc('destination address');
    q += 3 + buf[q + 2]!;
  }
  if ((ctrl & 0x08) !== 0) {
    if (q + 3 > end) return trunc('source address');
    q += 3 + buf[q + 2]!;
  }
  if (dnet) q += 1; // hop count
  if ((ctrl & 0x80) !== 0) {
    if (q + 1 > end) return trunc('network message type');
    sink.fn(BACNET_SPACE_NETWORK, buf[q]!, KIND_REQUEST);
    return;
  }
  if (q > end) return trunc('addresses');
  decodeApdu(buf, q, end, base, sink);
}

function decodeBacnet(_st: null, buf: Buffer, off: number, len: number, _dir: number, sink: PduSink): void {
  if (len < 4) {
    sink.violation('BACNET_TRUNCATED', `${len} bytes: the BVLC header needs 4`, 0);
    return;
  }
  if (buf[off] !== 0x81) {
    sink.violation('BACNET_BAD_BVLC_TYPE', `BVLC type 0x${buf[off]!.toString(16)}, BACnet/IP is 0x81`, 0);
    return;
  }
  const fn = buf[off + 1]!;
  const l = (buf[off + 2]! << 8) | buf[off + 3]!;
  if (l < 4) {
    sink.violation('BACNET_LENGTH_MISMATCH', `BVLC length ${l} < 4`, 2);
    return;
  }
  // A length past the datagram, or bytes after it, are reported and what is there is decoded (as tshark does).
  if (l > len) sink.violation('BACNET_LENGTH_MISMATCH', `BVLC length ${l} > ${len} bytes`, 2);
  else if (l < len) sink.violation('BACNET_TRAILING_BYTES', `${len - l} bytes after the BVLC length ${l}`, l);
  const end = off + (l < len ? l : len);
  switch (fn) {
    case 0x04: // Forwarded-NPDU: original B/IP address (6 octets), then the NPDU
      if (len < 10) {
        sink.violation('BACNET_TRUNCATED', `Forwarded-NPDU of ${len} bytes: header and original address need 10`, 4);
        return;
      }
      decodeNpdu(buf, off + 10, end, off, sink);
      return;
    case 0x09:
    case 0x0a:
    case 0x0b:
      decodeNpdu(buf, off + 4, end, off, sink);
      return;
    default:
      sink.fn(BACNET_SPACE_BVLC, fn, fn === 0x00 || fn === 0x03 || fn === 0x07 ? KIND_RESPONSE : KIND_REQUEST);
  }
}

export const bacnet: Dissector<null> = {
  id: 'bacnet',
  name: 'BACnet/IP',
  transports: ['udp'],
  ports: [BACNET_PORT],
  spaces: ['confirmed', 'unconfirmed', 'bvlc', 'network', 'apdu'],
  objectSpaces: ['object'],
  /** A BACnet object identifier (ASHRAE 135 clause 20.2.14): 10-bit object type, 22-bit instance. */
  describeObject(space: number, key: number | string): string {
    if (space !== BACNET_OBJECT_OBJECT || typeof key !== 'number') return String(key);
    const type = Math.floor(key / 4194304) & 0x3ff;
    return `${BACNET_OBJECT_TYPE_NAMES[type] ?? `object-type ${type}`} ${key % 4194304}`;
  },
  heuristic: bvlcHeuristic,
  createState: () => null,
  decode: decodeBacnet,
  describe: describeBacnet,
};
