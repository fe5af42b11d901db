/**
 * IEC 60870-5-104 on TCP 2404 (IEC 60870-5-104:2006 clause 5 APCI, clause 8 ASDU after
 * IEC 60870-5-101 clause 7).
 *
 * APDU: start 0x68, length (4..253), four control octets: I format (bit 0 of octet 1 clear) followed by
 * an ASDU; S format (octet 1 = 0x01); U format (octet 1 = STARTDT/STOPDT/TESTFR act or con).
 * ASDU: type identification, variable structure qualifier (SQ, number of objects), cause of
 * transmission (6 bits, P/N, T) and originator address, common address (2 octets, little-endian), then
 * information objects (3-octet addresses).
 *
 * What it reports into the PduSink:
 *  - fn(0 'asdu', typeId, kind) per I-format APDU. Kind from the cause of transmission: activation (6),
 *    deactivation (8) and request (5) are KIND_REQUEST; confirmations and termination (7, 9, 10) and
 *    every monitor-direction cause (periodic, spontaneous, interrogated, ...) KIND_RESPONSE; a negative
 *    confirmation (P/N set) or an unknown type, cause, common address or object address (44..47)
 *    KIND_EXCEPTION. File transfer (cause 13) goes both ways: by `dir`.
 *  - fn(1 'apci', code, kind) for S frames (code 0x01) and U frames (the control octet: STARTDT_ACT 0x07,
 *    ..., TESTFR_CON 0x83); act is a request, con a response.
 *  - object(0 'common_address', ca, write) and object(1 'ioa', ca * 2^24 + first object address, write)
 *    for requests.
 *  - violations IEC104_*: TRUNCATED, BAD_START, BAD_LENGTH, LENGTH_MISMATCH, BAD_CONTROL, ASDU_TRUNCATED,
 *    BAD_COT.
 */
import type { Dissector, PduSink } from '../types.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../types.js';
import { APCI_S, IEC104_SPACE_APCI, IEC104_SPACE_ASDU, changesState, describeIec104, isKnownUFormat } from './iec104Codes.js';

export const IEC104_PORT = 2404;
export const IEC104_OBJECT_COMMON_ADDRESS = 0;
export const IEC104_OBJECT_IOA = 1;

const START = 0x68;
/** APCI: start, length, 4 control octets. */
const APCI_LEN = 6;
/** ASDU header: type, VSQ, COT (2), common address (2). */
const ASDU_HDR = 6;

function iec104PduLength(buf: Buffer, off: number, avail: number): number {
  if (avail < 1) return 0;
  if (buf[off] !== START) return -1;
  if (avail < 2) return 0;
  const l = buf[off + 1]!;
  return l < 4 ? -1 : l + 2;
}

function iec104Heuristic(buf: Buffer, off: number, len: number): boolean {
  if (len < APCI_LEN || buf[off] !== START) return false;
  const l = buf[off + 1]!;
  const c = buf[off + 2]!;
  // An I frame: only when the whole APDU is there and its type is one the standard defines.
  if ((c & 1) === 0) return l >= 4 + ASDU_HDR && len >= l + 2 && describeIec104(IEC104_SPACE_ASDU, buf[off + APCI_LEN]!).opClass !== 'other' && (buf[off + APCI_LEN + 2]! & 0x3f) !== 0;
  return l === 4 && (c === APCI_S || isKnownUFormat(c));
}

function asduKind(typeId: number, cotByte: number, dir: number): number {
  const cause = cotByte & 0x3f;
  if ((cotByte & 0x40) !== 0 || (cause >= 44 && cause <= 47)) return KIND_EXCEPTION;
  if (cause === 5 || cause === 6 || cause === 8) return KIND_REQUEST;
  if (cause === 13 && typeId >= 120) return dir === DIR_TO_CLIENT ? KIND_RESPONSE : KIND_REQUEST;
  return KIND_RESPONSE;
}

function decodeIec104(_st: null, buf: Buffer, off: number, len: number, dir: number, sink: PduSink): void {
  if (len < 2) {
    sink.violation('IEC104_TRUNCATED', `${len} bytes: start and length need 2`, 0);
    return;
  }
  if (buf[off] !== START) {
    sink.violation('IEC104_BAD_START', `start 0x${buf[off]!.toString(16)}, IEC 104 is 0x68`, 0);
    return;
  }
  const l = buf[off + 1]!;
  if (l < 4) {
    sink.violation('IEC104_BAD_LENGTH', `APDU length ${l}, at least 4 (control field)`, 1);
    return;
  }
  if (l + 2 !== len) {
    sink.violation('IEC104_LENGTH_MISMATCH', `APDU length ${l} + 2 != ${len} bytes`, 1);
    return;
  }
  const c1 = buf[off + 2]!;
  if ((c1 & 1) === 1) {
    if (l !== 4) {
      sink.violation('IEC104_BAD_LENGTH', `${c1 === APCI_S ? 'S' : 'U'} frame of length ${l}, must be 4`, 1);
      return;
    }
    if ((c1 & 3) === 1) {
      if (c1 !== APCI_S || buf[off + 3] !== 0 || (buf[off + 4]! & 1) !== 0) {
        sink.violation('IEC104_BAD_CONTROL', `S frame control octets 0x${buf.toString('hex', off + 2, off + 6)}`, 2);
        return;
      }
      sink.fn(IEC104_SPACE_APCI, APCI_S, dir === DIR_TO_SERVER ? KIND_REQUEST : KIND_RESPONSE);
      return;
    }
    if (!isKnownUFormat(c1)) {
      sink.violation('IEC104_BAD_CONTROL', `U frame control octet 0x${c1.toString(16)} names no function (one of STARTDT/STOPDT/TESTFR act/con)`, 2);
      return;
    }
    sink.fn(IEC104_SPACE_APCI, c1, (c1 & 0x54) !== 0 ? KIND_REQUEST : KIND_RESPONSE);
    return;
  }
  const a = off + APCI_LEN;
  const n = len - APCI_LEN;
  if (n < ASDU_HDR) {
    sink.violation('IEC104_ASDU_TRUNCATED', `I frame with ${n} ASDU bytes: the header needs 6`, APCI_LEN);
    return;
  }
  const typeId = buf[a]!;
  const count = buf[a + 1]! & 0x7f;
  const cot = buf[a + 2]!;
  if ((cot & 0x3f) === 0) {
    sink.violation('IEC104_BAD_COT', 'cause of transmission 0 is not defined', APCI_LEN + 2);
    return;
  }
  if (count > 0 && n < ASDU_HDR + 3) {
    sink.violation('IEC104_ASDU_TRUNCATED', `${count} information objects but no object address`, APCI_LEN + ASDU_HDR);
    return;
  }
  const kind = asduKind(typeId, cot, dir);
  sink.fn(IEC104_SPACE_ASDU, typeId, kind);
  if (kind !== KIND_REQUEST) return;
  const ca = buf[a + 4]! | (buf[a + 5]! << 8);
  const w = changesState(typeId);
  sink.object(IEC104_OBJECT_COMMON_ADDRESS, ca, w);
  if (count > 0) {
    const ioa = buf[a + 6]! | (buf[a + 7]! << 8) | (buf[a + 8]! << 16);
    sink.object(IEC104_OBJECT_IOA, ca * 16777216 + ioa, w);
  }
}

export const iec104: Dissector<null> = {
  id: 'iec104',
  name: 'IEC 60870-5-104',
  transports: ['tcp'],
  ports: [IEC104_PORT],
  spaces: ['asdu', 'apci'],
  objectSpaces: ['common address', 'ioa'],
  /** Common address (ASDU address) and information object address within it (IEC 60870-5-104 clause 9). */
  describeObject(space: number, key: number | string): string {
    if (typeof key !== 'number') return String(key);
    if (space === IEC104_OBJECT_COMMON_ADDRESS) return `CA ${key}`;
    return `CA ${Math.floor(key / 16777216)} IOA ${key % 16777216}`;
  },
  heuristic: iec104Heuristic,
  pduLength: iec104PduLength,
  createState: () => null,
  decode: decodeIec104,
  describe: describeIec104,
};
