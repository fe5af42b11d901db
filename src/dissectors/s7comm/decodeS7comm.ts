/**
 * ISO-on-TCP transport of S7: RFC 1006 TPKT (section 6: version 3, reserved, 16-bit length including the
 * 4-byte header) carrying ISO 8073 / X.224 COTP class 0 TPDUs (section 13: LI, TPDU code, ...).
 *
 *  CR / CC (connection request / confirm, 13.3 / 13.4): counted as session pseudo-codes in space 0;
 *     the called TSAP (parameter 0xC2) of S7 carries connection type and rack/slot of the PLC.
 *  DR / DC / ER (13.5, 13.6, 13.12): counted as session pseudo-codes (ER as an exception).
 *  DT (13.7): user data; EOT (bit 8 of the TPDU-NR byte) marks the last TPDU of a TSDU. Segments without
 *     EOT are collected per direction (bounded) and the S7 PDU is decoded at the segment with EOT; each
 *     non-final segment is counted as COTP_DT_SEGMENT so that no TPDU goes uncounted.
 */
import type { PduSink } from '../types.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_RECEIVER, WHO_SENDER } from '../types.js';
import type { S7State } from './createS7State.js';
import { dirSlot, MAX_COTP_REASSEMBLY } from './createS7State.js';
import { decodeS7 } from './decodeS7.js';
import { decodeS7Plus } from './decodeS7Plus.js';
import { MmsState, decodeMmsTsdu, looksLikeIsoSession } from '../mms/decodeMmsTsdu.js';
import { kindByDir } from './kindByDir.js';
import {
  FN_COTP_CC,
  FN_COTP_CR,
  FN_COTP_DC,
  FN_COTP_DR,
  FN_COTP_DT_SEGMENT,
  FN_COTP_ER,
  S7_PROTOCOL_ID,
  S7PLUS_PROTOCOL_ID,
  SPACE_COTP,
} from './s7Codes.js';

/** RFC 1006 TPKT header length and version. */
export const TPKT_HEADER = 4;
export const TPKT_VERSION = 3;
/** Smallest TPKT carrying a COTP TPDU: TPKT header + LI + code + 1 (a DT header is 3 bytes). */
export const TPKT_MIN_LENGTH = 7;

/** ISO 8073 TPDU codes (high nibble of the second COTP byte). */
export const COTP_CR = 0xe;
export const COTP_CC = 0xd;
export const COTP_DR = 0x8;
export const COTP_DC = 0xc;
export const COTP_DT = 0xf;
export const COTP_ER = 0x7;

/** COTP CR/CC parameter codes (ISO 8073 13.3.4). */
const PARAM_CALLED_TSAP = 0xc2;

/**
 * TCP framing (RFC 1006 section 6): the TPKT length. 0 when fewer than 4 bytes are available, -1 when
 * the bytes cannot start a TPKT (version != 3 or length < 7).
 */
export function tpktPduLength(buf: Buffer, off: number, avail: number): number {
  if (avail < TPKT_HEADER) return 0;
  if (buf[off] !== TPKT_VERSION) return -1;
  const len = buf.readUInt16BE(off + 2);
  return len < TPKT_MIN_LENGTH ? -1 : len;
}

/**
 * Cheap recognition of TPKT + COTP carrying S7 on an unclaimed port: version 3, reserved 0, a plausible
 * COTP header, and either a DT TPDU whose payload starts with 0x32 / 0x72 or a CR/CC with a called TSAP
 * parameter (so that RDP's TPKT/COTP connection request, which has none, is not taken for S7).
 */
export function s7Heuristic(buf: Buffer, off: number, len: number): boolean {
  if (len < 8 || buf[off] !== TPKT_VERSION || buf[off + 1] !== 0) return false;
  const tlen = buf.readUInt16BE(off + 2);
  const li = buf[off + 4]!;
  if (tlen < TPKT_MIN_LENGTH || li < 2 || li + 5 > tlen) return false;
  const code = buf[off + 5]! >> 4;
  if (code === COTP_DT) {
    const b = buf[off + 5 + li];
    return li === 2 && (b === S7_PROTOCOL_ID || b === S7PLUS_PROTOCOL_ID);
  }
  if (code !== COTP_CR && code !== COTP_CC) return false;
  const end = Math.min(off + 5 + li, off + len);
  for (let i = off + 11; i + 2 <= end; i += 2 + buf[i + 1]!) {
    if (buf[i] === PARAM_CALLED_TSAP) return true;
  }
  return false;
}

/** Decodes one TPKT PDU (exactly one, as framed by tpktPduLength). */
export function decodeS7comm(state: S7State, buf: Buffer, off: number, len: number, dir: number, sink: PduSink): void {
  if (len < TPKT_MIN_LENGTH) {
    sink.violation('TPKT_TRUNCATED', `TPKT of ${len} bytes (at least ${TPKT_MIN_LENGTH} needed)`, 0);
    return;
  }
  if (buf[off] !== TPKT_VERSION) {
    sink.violation('TPKT_BAD_VERSION', `TPKT version ${buf[off]} (3 expected)`, 0);
    return;
  }
  const tlen = buf.readUInt16BE(off + 2);
  if (tlen !== len) {
    sink.violation('TPKT_LENGTH_MISMATCH', `TPKT length ${tlen} != ${len} bytes of the PDU`, 2);
    return;
  }
  const li = buf[off + 4]!;
  if (li < 2 || TPKT_HEADER + 1 + li > len) {
    sink.violation('COTP_BAD_LENGTH', `COTP length indicator ${li} with ${len - TPKT_HEADER - 1} bytes left`, 4);
    return;
  }
  const code = buf[off + 5]! >> 4;
  switch (code) {
    case COTP_DT:
      decodeDt(state, buf, off, len, li, dir, sink);
      return;
    case COTP_CR:
    case COTP_CC:
      decodeConnect(buf, off, li, code === COTP_CR, sink);
      return;
    case COTP_DR:
      sink.fn(SPACE_COTP, FN_COTP_DR, kindByDir(dir, KIND_REQUEST));
      return;
    case COTP_DC:
      sink.fn(SPACE_COTP, FN_COTP_DC, kindByDir(dir, KIND_RESPONSE));
      return;
    case COTP_ER:
      sink.fn(SPACE_COTP, FN_COTP_ER, KIND_EXCEPTION);
      return;
    default:
      sink.violation('COTP_UNSUPPORTED_TPDU', `TPDU code 0x${buf[off + 5]!.toString(16)} is not used by class 0 over RFC 1006`, 5);
  }
}

function decodeDt(state: S7State, buf: Buffer, off: number, len: number, li: number, dir: number, sink: PduSink): void {
  const eot = (buf[off + 6]! & 0x80) !== 0;
  const pay = off + TPKT_HEADER + 1 + li;
  const plen = off + len - pay;
  const at = pay - off;
  const slot = dirSlot(dir);
  const held = state.cotpLen[slot]!;
  if (!eot || held > 0) {
    if (held + plen > MAX_COTP_REASSEMBLY) {
      sink.violation('COTP_REASSEMBLY_OVERFLOW', `segmented TSDU exceeds ${MAX_COTP_REASSEMBLY} bytes`, at);
      state.cotpLen[slot] = 0;
      return;
    }
    let b = state.cotpBuf[slot] ?? null;
    if (b === null || b.length < held + plen) {
      const grown = Buffer.alloc(Math.min(MAX_COTP_REASSEMBLY, Math.max(4096, 2 * (held + plen))));
      if (b !== null) b.copy(grown, 0, 0, held);
      b = grown;
      state.cotpBuf[slot] = b;
    }
    buf.copy(b, held, pay, pay + plen);
    if (!eot) {
      state.cotpLen[slot] = held + plen;
      sink.fn(SPACE_COTP, FN_COTP_DT_SEGMENT, kindByDir(dir));
      return;
    }
    state.cotpLen[slot] = 0;
    decodePayload(state, b, 0, held + plen, dir, sink, at);
    return;
  }
  decodePayload(state, buf, pay, plen, dir, sink, at);
}

/** The TSDU carried by DT TPDUs: S7comm (0x32), S7comm-plus (0x72) or an ISO session SPDU (MMS). */
function decodePayload(state: S7State, buf: Buffer, p: number, n: number, dir: number, sink: PduSink, at: number): void {
  if (n === 0) {
    sink.violation('COTP_EMPTY_DT', 'DT TPDU without user data', at);
    return;
  }
  const id = buf[p]!;
  if (id === S7_PROTOCOL_ID) {
    if (state.carries === undefined) state.carries = 's7comm';
    decodeS7(state, buf, p, n, dir, sink, at);
  } else if (id === S7PLUS_PROTOCOL_ID) {
    if (state.carries === undefined) state.carries = 's7comm-plus';
    decodeS7Plus(state, buf, p, n, dir, sink, at);
  } else if (looksLikeIsoSession(buf, p, n)) {
    if (state.carries === undefined) state.carries = 'mms';
    decodeMmsTsdu(state.mms ?? (state.mms = new MmsState()), buf, p, n, sink, at);
  } else sink.violation('S7_UNKNOWN_PROTOCOL_ID', `protocol id 0x${id.toString(16)} (0x32 or 0x72 expected)`, at);
}

/**
 * CR / CC: LI, code, DST-REF (2), SRC-REF (2), class and options (1), then parameters (code, length,
 * value). The S7 called TSAP is 2 bytes: connection type (1 PG, 2 OP, 3 S7 basic) and rack << 5 | slot
 * of the CPU; S7-1200/1500 with S7comm-plus use text TSAPs such as "SIMATIC-ROOT-ES".
 */
function decodeConnect(buf: Buffer, off: number, li: number, request: boolean, sink: PduSink): void {
  sink.fn(SPACE_COTP, request ? FN_COTP_CR : FN_COTP_CC, request ? KIND_REQUEST : KIND_RESPONSE);
  if (li < 6) {
    sink.violation('COTP_BAD_LENGTH', `${request ? 'CR' : 'CC'} with length indicator ${li} (6 needed)`, 4);
    return;
  }
  const end = off + TPKT_HEADER + 1 + li;
  let i = off + TPKT_HEADER + 7;
  while (i < end) {
    if (i + 2 > end || i + 2 + buf[i + 1]! > end) {
      sink.violation('COTP_BAD_PARAMETER', 'CR/CC parameter overruns the TPDU header', i - off);
      return;
    }
    const plen = buf[i + 1]!;
    if (buf[i] === PARAM_CALLED_TSAP) calledTsap(buf, i + 2, plen, request, sink);
    i += 2 + plen;
  }
}

const CONNECTION_TYPES: readonly string[] = ['', 'PG', 'OP', 'S7_BASIC'];

function calledTsap(buf: Buffer, v: number, len: number, request: boolean, sink: PduSink): void {
  if (len === 2) {
    const type = buf[v]!;
    const rs = buf[v + 1]!;
    // The PLC is the called party: the receiver of a CR, the sender of a CC.
    sink.identity(request ? WHO_RECEIVER : WHO_SENDER, 'rack_slot', `${rs >> 5}/${rs & 0x1f}`);
    if (request) sink.attribute('s7_connection_type', CONNECTION_TYPES[type] || `0x${type.toString(16).padStart(2, '0')}`);
    return;
  }
  let s = '';
  for (let k = 0; k < len; k++) {
    const c = buf[v + k]!;
    if (c < 0x20 || c >= 0x7f) return;
    s += String.fromCharCode(c);
  }
  if (request && s.length > 0) sink.attribute('cotp_called_tsap', s);
}
