/**
 * S7comm-plus (protocol id 0x72, S7-1200/1500) recognition. No public specification exists; the layout
 * follows the s7comm_plus Wireshark plugin (Thomas Wiens, sourceforge s7commwireshark):
 *
 *   header : 0x72, protocol version (1: V1, 2: V2, 3: V3, 0xfe extended keep-alive, 0xff keep-alive),
 *            data length (2)
 *   V3     : integrity part first: digest length (1) + digest (counted in the data length)
 *   data   : opcode (1: 0x31 request, 0x32 response, 0x02 response2, 0x33 notification);
 *            request/response: reserved (2), function code (2), reserved (2), sequence number (2), ...
 *   trailer: 0x72, version, 0x0000 - present only on the last fragment of a fragmented PDU
 *
 * Counted in space 2 by function code (kind by opcode); notifications and keep-alives get pseudo-codes.
 * Integrity digests, session keys and the (partly encrypted) object payloads are not parsed.
 * A fragmented PDU (no trailer) is counted once, at its first fragment.
 */
import type { PduSink } from '../types.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../types.js';
import type { S7State } from './createS7State.js';
import { dirSlot } from './createS7State.js';
import { kindByDir } from './kindByDir.js';
import {
  PLUS_EXT_KEEP_ALIVE,
  PLUS_FN_ERROR,
  PLUS_KEEP_ALIVE,
  PLUS_NOTIFICATION,
  PLUS_OPCODE_BASE,
  PLUS_OPCODE_NOTIFICATION,
  PLUS_OPCODE_REQUEST,
  PLUS_OPCODE_RESPONSE,
  PLUS_OPCODE_RESPONSE2,
  S7PLUS_PROTOCOL_ID,
  SPACE_PLUS,
} from './s7Codes.js';

export function decodeS7Plus(state: S7State, buf: Buffer, p: number, n: number, dir: number, sink: PduSink, at: number): void {
  if (n < 4) {
    sink.violation('S7PLUS_TRUNCATED', `S7comm-plus header needs 4 bytes, ${n} present`, at);
    return;
  }
  const version = buf[p + 1]!;
  if (version === 0xff) {
    sink.fn(SPACE_PLUS, PLUS_KEEP_ALIVE, kindByDir(dir));
    return;
  }
  const dlen = buf.readUInt16BE(p + 2);
  if (4 + dlen > n) {
    sink.violation('S7PLUS_LENGTH_MISMATCH', `data length ${dlen} > ${n - 4} bytes present`, at + 2);
    return;
  }
  if (version === 0xfe) {
    sink.fn(SPACE_PLUS, PLUS_EXT_KEEP_ALIVE, kindByDir(dir));
    return;
  }
  if (version < 1 || version > 3) {
    sink.violation('S7PLUS_UNKNOWN_VERSION', `unknown S7comm-plus protocol version 0x${version.toString(16)}`, at + 1);
    return;
  }
  const hasTrailer = n > dlen + 4;
  if (hasTrailer && (n !== dlen + 8 || buf[p + 4 + dlen] !== S7PLUS_PROTOCOL_ID)) {
    sink.violation('S7PLUS_BAD_TRAILER', `expected a 4-byte trailer 0x72.. after ${dlen} data bytes`, at + 4 + dlen);
  }
  let o = p + 4;
  let left = dlen;
  if (version === 3) {
    const ilen = left >= 1 ? 1 + buf[o]! : 1;
    if (ilen > left) {
      sink.violation('S7PLUS_TRUNCATED', 'integrity part overruns the data', at + 4);
      return;
    }
    o += ilen;
    left -= ilen;
  }
  const slot = dirSlot(dir);
  if (state.plusFragment[slot] !== 0) {
    // Inner or last fragment of a PDU already counted at its first fragment.
    if (hasTrailer) state.plusFragment[slot] = 0;
    return;
  }
  if (!hasTrailer) state.plusFragment[slot] = 1;
  if (left < 1) {
    sink.violation('S7PLUS_TRUNCATED', 'no opcode', at + (o - p));
    return;
  }
  const opcode = buf[o]!;
  if (opcode === PLUS_OPCODE_NOTIFICATION) {
    sink.fn(SPACE_PLUS, PLUS_NOTIFICATION, KIND_RESPONSE);
    return;
  }
  if (opcode === PLUS_OPCODE_REQUEST || opcode === PLUS_OPCODE_RESPONSE || opcode === PLUS_OPCODE_RESPONSE2) {
    if (left < 5) {
      sink.violation('S7PLUS_TRUNCATED', 'no function code', at + (o - p));
      return;
    }
    const fn = buf.readUInt16BE(o + 3);
    const kind = opcode === PLUS_OPCODE_REQUEST ? KIND_REQUEST : fn === PLUS_FN_ERROR ? KIND_EXCEPTION : KIND_RESPONSE;
    sink.fn(SPACE_PLUS, fn, kind);
    return;
  }
  sink.fn(SPACE_PLUS, PLUS_OPCODE_BASE | opcode, kindByDir(dir));
}
