/**
 * Classic S7comm PDU (protocol id 0x32) decoder. Siemens publishes no specification; the layout follows
 * Wireshark's packet-s7comm.c (Thomas Wiens) and the Snap7 documentation ("S7 Protocol", ch. 2):
 *
 *   header   : protocol id 0x32 (1), ROSCTR (1), redundancy id (2), PDU reference (2),
 *              parameter length (2), data length (2), [error class (1), error code (1) in Ack/Ack_Data]
 *   parameter: function code (1) + function-specific fields (Job/Ack_Data), or the userdata head
 *   data     : items / userdata payload
 *
 * Jobs count as KIND_REQUEST, Ack/Ack_Data as KIND_RESPONSE or KIND_EXCEPTION when the header error
 * class/code is not 0. An Ack without parameter (error answers) is counted under the function of the Job
 * with the same PDU reference.
 */
import type { PduSink } from '../types.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../types.js';
import type { S7State } from './createS7State.js';
import { MAX_SZL_REASSEMBLY } from './createS7State.js';
import { decodeSzlIdentity, isIdentitySzl } from './decodeSzlIdentity.js';
import { kindByDir } from './kindByDir.js';
import {
  FN_DOWNLOAD_BLOCK,
  FN_DOWNLOAD_ENDED,
  FN_PI_SERVICE,
  FN_READ_VAR,
  FN_REQUEST_DOWNLOAD,
  FN_S7_ACK,
  FN_SETUP_COMMUNICATION,
  FN_START_UPLOAD,
  FN_WRITE_VAR,
  OBJ_BLOCK,
  OBJ_SZL,
  OBJ_VARIABLE,
  PI_DELE,
  PI_GARB,
  PI_INSE,
  PI_MODU,
  PI_NC,
  PI_OTHER,
  PI_P_PROGRAM,
  ROSCTR_ACK,
  ROSCTR_ACK_DATA,
  ROSCTR_JOB,
  ROSCTR_USERDATA,
  SPACE_FUNCTION,
  SPACE_USERDATA,
  UD_BLOCK_INFO,
  UD_READ_SZL,
} from './s7Codes.js';
import { s7BlockKey, s7ObjectKey, szlKey } from './s7ObjectKey.js';

/** Syntax id of an S7ANY variable specification (DB1.DBX10.2 style addressing). */
const SYNTAX_S7ANY = 0x10;

/**
 * Big-endian 16 bits at buf[i], i + 1 (both within the bytes the caller checked): the per-PDU reads
 * without Buffer.readUInt16BE, whose argument validation costs a wrapped call each time in Node 20.
 */
function u16(buf: Buffer, i: number): number {
  return (buf[i]! << 8) | buf[i + 1]!;
}
/** Return code "success" of data items. */
const RETURN_OK = 0xff;

/**
 * Decodes one S7comm PDU at buf[p..p+n). `at` is the offset of buf[p] within the PDU passed to the
 * dissector's decode() (for violation locations).
 */
export function decodeS7(state: S7State, buf: Buffer, p: number, n: number, dir: number, sink: PduSink, at: number): void {
  if (n < 10) {
    sink.violation('S7_TRUNCATED', `S7 header needs 10 bytes, ${n} present`, at);
    return;
  }
  const rosctr = buf[p + 1]!;
  if (rosctr !== ROSCTR_JOB && rosctr !== ROSCTR_ACK && rosctr !== ROSCTR_ACK_DATA && rosctr !== ROSCTR_USERDATA) {
    sink.violation('S7_UNKNOWN_ROSCTR', `unknown ROSCTR ${rosctr}`, at + 1);
    return;
  }
  const hlen = rosctr === ROSCTR_ACK || rosctr === ROSCTR_ACK_DATA ? 12 : 10;
  if (n < hlen) {
    sink.violation('S7_TRUNCATED', `S7 header needs ${hlen} bytes, ${n} present`, at);
    return;
  }
  const pduRef = u16(buf, p + 4);
  const parlg = u16(buf, p + 6);
  const datlg = u16(buf, p + 8);
  const need = hlen + parlg + datlg;
  if (need > n) {
    sink.violation('S7_LENGTH_MISMATCH', `header and lengths need ${need} bytes, ${n} present`, at + 6);
    return;
  }
  if (need < n) sink.violation('S7_TRAILING_BYTES', `${n - need} bytes after the S7 PDU`, at + need);
  const q = p + hlen;
  const d = q + parlg;
  const atq = at + hlen;
  if (rosctr === ROSCTR_JOB) {
    decodeJob(state, buf, q, parlg, pduRef, sink, atq);
  } else if (rosctr === ROSCTR_USERDATA) {
    decodeUserdata(state, buf, q, parlg, d, datlg, dir, sink, atq);
  } else {
    const err = u16(buf, p + 10);
    decodeAck(state, buf, q, parlg, pduRef, err, sink);
  }
}

function decodeJob(state: S7State, buf: Buffer, q: number, parlg: number, pduRef: number, sink: PduSink, atq: number): void {
  if (parlg < 1) {
    sink.violation('S7_NO_FUNCTION', 'Job without parameter (no function code)', atq);
    return;
  }
  const fn = buf[q]!;
  const variant = fn === FN_PI_SERVICE ? piVariant(buf, q, parlg) : 0;
  sink.fn(SPACE_FUNCTION, fn, KIND_REQUEST, variant);
  state.rememberJob(pduRef, fn, variant);
  switch (fn) {
    case FN_READ_VAR:
      decodeItems(buf, q, parlg, false, sink, atq);
      break;
    case FN_WRITE_VAR:
      decodeItems(buf, q, parlg, true, sink, atq);
      break;
    case FN_REQUEST_DOWNLOAD:
    case FN_DOWNLOAD_BLOCK:
    case FN_DOWNLOAD_ENDED:
    case FN_START_UPLOAD: {
      // function (1), status (1), unknown (2), upload id / unknown (4), filename length (1), filename
      // "_" + block type (2 hex chars) + number (5 digits) + destination file system (1).
      if (parlg < 9) break;
      const fnLen = buf[q + 8]!;
      if (fnLen < 9 || 9 + fnLen > parlg) break;
      const key = blockKeyAt(buf, q + 10);
      if (key >= 0) sink.object(OBJ_BLOCK, key, fn !== FN_START_UPLOAD);
      break;
    }
    case FN_PI_SERVICE:
      if (variant === PI_INSE || variant === PI_DELE) piBlocks(buf, q, parlg, sink);
      break;
    default:
      break;
  }
}

/** Read/Write Var item list: item count (1), then per item 0x12, spec length, syntax id, spec. */
function decodeItems(buf: Buffer, q: number, parlg: number, write: boolean, sink: PduSink, atq: number): void {
  if (parlg < 2) {
    sink.violation('S7_ITEM_OVERRUN', 'Read/Write Var without item count', atq);
    return;
  }
  const count = buf[q + 1]!;
  const end = q + parlg;
  let i = q + 2;
  for (let k = 0; k < count; k++) {
    if (i + 2 > end || i + 2 + buf[i + 1]! > end) {
      sink.violation('S7_ITEM_OVERRUN', `item ${k + 1} of ${count} overruns the parameter`, atq + (i - q));
      return;
    }
    const specLen = buf[i + 1]!;
    if (specLen >= 10 && buf[i + 2] === SYNTAX_S7ANY) {
      // transport size (1), length (2), DB number (2), area (1), address (3)
      const size = buf[i + 3]!;
      const count = u16(buf, i + 4);
      const db = u16(buf, i + 6);
      const area = buf[i + 8]!;
      const address = (buf[i + 9]! << 16) | u16(buf, i + 10);
      sink.object(OBJ_VARIABLE, s7ObjectKey(area, db, address, size, count), write);
    }
    i += 2 + specLen;
  }
}

function decodeAck(state: S7State, buf: Buffer, q: number, parlg: number, pduRef: number, err: number, sink: PduSink): void {
  const slot = state.takeJob(pduRef);
  let fn: number;
  if (parlg >= 1) fn = buf[q]!;
  else if (slot >= 0) fn = state.jobFn[slot]!;
  else fn = FN_S7_ACK;
  const variant = slot >= 0 && state.jobFn[slot] === fn ? state.jobVariant[slot]! : 0;
  sink.fn(SPACE_FUNCTION, fn, err !== 0 ? KIND_EXCEPTION : KIND_RESPONSE, variant);
  // Setup communication: function (1), reserved (1), max AmQ calling (2), max AmQ called (2), PDU length (2).
  if (fn === FN_SETUP_COMMUNICATION && err === 0 && parlg >= 8) {
    sink.attribute('s7_pdu_size', String(buf.readUInt16BE(q + 6)));
  }
}

/**
 * Userdata parameter: head (3: 00 01 12), parameter length (1: 4 or 8), method (1: 0x11 request, 0x12
 * response), type (high nibble: 0 push, 4 request, 8 response, 3/7/b NC) | function group (low nibble),
 * subfunction (1), sequence number (1), [data unit reference (1), last data unit (1: 0 yes), error code (2)].
 */
function decodeUserdata(
  state: S7State,
  buf: Buffer,
  q: number,
  parlg: number,
  d: number,
  datlg: number,
  dir: number,
  sink: PduSink,
  atq: number,
): void {
  if (parlg < 8) {
    sink.violation('S7_USERDATA_PARAM_SHORT', `userdata parameter of ${parlg} bytes (8 needed)`, atq);
    return;
  }
  const tg = buf[q + 5]!;
  const type = tg >> 4;
  const code = ((tg & 0x0f) << 8) | buf[q + 6]!;
  let unitRef = 0;
  let more = false;
  let err = 0;
  if (buf[q + 3]! >= 8 && parlg >= 12) {
    unitRef = buf[q + 8]!;
    more = buf[q + 9] !== 0;
    err = buf.readUInt16BE(q + 10);
  }
  let kind: number;
  if (type === 0x4 || type === 0x7) kind = KIND_REQUEST;
  else if (type === 0x8 || type === 0xb) kind = err !== 0 ? KIND_EXCEPTION : KIND_RESPONSE;
  else if (type === 0x0 || type === 0x3) kind = KIND_RESPONSE; // push: sent unsolicited by the CPU
  else kind = kindByDir(dir);
  sink.fn(SPACE_USERDATA, code, kind);
  if (code === UD_READ_SZL) {
    if (kind === KIND_REQUEST) {
      // data: return code (1), transport size (1), length (2), SZL id (2), SZL index (2)
      if (datlg >= 8 && buf[d] === RETURN_OK) sink.object(OBJ_SZL, szlKey(buf.readUInt16BE(d + 4), buf.readUInt16BE(d + 6)), false);
    } else if (kind === KIND_RESPONSE) {
      decodeSzlAnswer(state, buf, d, datlg, unitRef, more, sink, atq + parlg);
    }
  } else if (code === UD_BLOCK_INFO && kind === KIND_REQUEST) {
    // data: return code, transport size, length (2), block type (2 hex chars), number (5 digits), file system
    if (datlg >= 12 && buf[d] === RETURN_OK) {
      const key = blockKeyAt(buf, d + 4);
      if (key >= 0) sink.object(OBJ_BLOCK, key, false);
    }
  }
}

/**
 * Read SZL answer: return code (1), transport size (1), length (2), then the SZL content. A long answer
 * comes in several data units (same data unit reference, "last data unit" = 0 on the last one); identity
 * lists are collected (bounded) and decoded when complete.
 */
function decodeSzlAnswer(
  state: S7State,
  buf: Buffer,
  d: number,
  datlg: number,
  unitRef: number,
  more: boolean,
  sink: PduSink,
  atd: number,
): void {
  if (datlg < 4 || buf[d] !== RETURN_OK) return;
  const clen = Math.min(buf.readUInt16BE(d + 2), datlg - 4);
  const c = d + 4;
  if (state.szlRef >= 0 && unitRef !== 0 && unitRef === state.szlRef) {
    // a following data unit of a collected identity list
    if (state.szlLen + clen > MAX_SZL_REASSEMBLY) {
      sink.violation('S7_SZL_REASSEMBLY_OVERFLOW', `SZL answer exceeds ${MAX_SZL_REASSEMBLY} bytes`, atd);
      state.szlRef = -1;
      state.szlLen = 0;
      return;
    }
    buf.copy(state.szlBuf!, state.szlLen, c, c + clen);
    state.szlLen += clen;
    if (!more) {
      state.szlRef = -1;
      if (!decodeSzlIdentity(state.szlBuf!, 0, state.szlLen, sink)) {
        sink.violation('S7_SZL_RECORD_OVERRUN', 'SZL records overrun the reassembled answer', atd);
      }
      state.szlLen = 0;
    }
    return;
  }
  state.szlRef = -1;
  state.szlLen = 0;
  if (clen < 8 || !isIdentitySzl(buf.readUInt16BE(c))) return;
  if (more && unitRef !== 0) {
    if (clen > MAX_SZL_REASSEMBLY) return;
    state.szlBuf ??= Buffer.alloc(MAX_SZL_REASSEMBLY);
    buf.copy(state.szlBuf, 0, c, c + clen);
    state.szlLen = clen;
    state.szlRef = unitRef;
    return;
  }
  if (!decodeSzlIdentity(buf, c, clen, sink)) {
    sink.violation('S7_SZL_RECORD_OVERRUN', 'SZL records overrun the data', atd + 4);
  }
}

/**
 * PI service name of a PI service Job: function (1), unknown (7), parameter block length (2), parameter
 * block, name length (1), name ("_INSE", "_DELE", "P_PROGRAM", ...). No string is built.
 */
function piVariant(buf: Buffer, q: number, parlg: number): number {
  if (parlg < 11) return PI_OTHER;
  const end = q + parlg;
  const s = q + 10 + buf.readUInt16BE(q + 8);
  if (s >= end) return PI_OTHER;
  const len = buf[s]!;
  const o = s + 1;
  if (o + len > end) return PI_OTHER;
  if (isAscii(buf, o, len, '_INSE')) return PI_INSE;
  if (isAscii(buf, o, len, '_DELE')) return PI_DELE;
  if (isAscii(buf, o, len, 'P_PROGRAM')) return PI_P_PROGRAM;
  if (isAscii(buf, o, len, '_GARB')) return PI_GARB;
  if (isAscii(buf, o, len, '_MODU')) return PI_MODU;
  if (len > 3 && buf[o] === 0x5f && buf[o + 1] === 0x4e && buf[o + 2] === 0x5f) return PI_NC; // "_N_"
  return PI_OTHER;
}

/**
 * The blocks a PI service _INSE (activate) or _DELE (delete) names, as written objects: its parameter
 * block is a count (1), an unknown byte (1), then per block type (2 hex ASCII), number (5 digits) and
 * destination file system (1) (Wireshark s7comm_decode_pi_service).
 */
function piBlocks(buf: Buffer, q: number, parlg: number, sink: PduSink): void {
  const plen = buf.readUInt16BE(q + 8);
  const p = q + 10;
  if (plen < 2 || p + plen > q + parlg) return;
  const count = buf[p]!;
  for (let i = 0; i < count && 2 + (i + 1) * 8 <= plen; i++) {
    const key = blockKeyAt(buf, p + 2 + i * 8);
    if (key >= 0) sink.object(OBJ_BLOCK, key, true);
  }
}

function isAscii(buf: Buffer, o: number, len: number, s: string): boolean {
  if (len !== s.length) return false;
  for (let i = 0; i < len; i++) if (buf[o + i] !== s.charCodeAt(i)) return false;
  return true;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** Block type (2 hex ASCII chars) and number (5 decimal ASCII digits) at buf[o] -> s7BlockKey, or -1. */
function blockKeyAt(buf: Buffer, o: number): number {
  const hi = hexDigit(buf[o]!);
  const lo = hexDigit(buf[o + 1]!);
  if (hi < 0 || lo < 0) return -1;
  let number = 0;
  for (let i = 2; i < 7; i++) {
    const c = buf[o + i]! - 0x30;
    if (c < 0 || c > 9) return -1;
    number = number * 10 + c;
  }
  return s7BlockKey((hi << 4) | lo, number);
}
