/**
 * EtherNet/IP encapsulation (ODVA CIP Vol. 2, chapter 2): a 24-byte little-endian header
 * (command u16, length u16, session handle u32, status u32, sender context 8 bytes, options u32)
 * followed by `length` bytes of command data. SendRRData / SendUnitData carry CIP messages in
 * Common Packet Format items (Vol. 2 2-6); ListIdentity replies carry the device identity.
 *
 * Counting: space 1 = encapsulation command (request from the client, reply from the server;
 * encapsulation status != 0 -> KIND_EXCEPTION); space 0 = CIP service (see decodeCip). SendRRData and
 * SendUnitData are carriers: the CIP service they carry is the operation. Objects: space 0 'path'
 * (class / instance / attribute of a logical path), 1 'tag' (Logix tag names). A Forward Open
 * request reports its sender as originator (sink.originator) for the class-1 I/O it sets up.
 */
import type { Dissector, FunctionInfo, PduSink } from '../types.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER } from '../types.js';
import { decodeCip, describeCipObject } from './decodeCip.js';
import { describeCipService } from './describeCipService.js';
import {
  ENIP_LIST_IDENTITY,
  ENIP_LIST_INTERFACES,
  ENIP_LIST_SERVICES,
  ENIP_REGISTER_SESSION,
  ENIP_SEND_RR_DATA,
  ENIP_SEND_UNIT_DATA,
  describeEncapCommand,
  isKnownEncapCommand,
} from './encapCommands.js';
import { EnipState } from './EnipState.js';
import { PENDING_RR, PENDING_UNIT } from './PendingRequests.js';
import { reportIdentity } from './reportIdentity.js';

/**
 * Little-endian 16 / 32 bits at buf[i] (within the bytes the caller checked): the per-PDU reads
 * without Buffer.readUInt16LE/readUInt32LE, whose argument validation costs a wrapped call each time
 * in Node 20.
 */
function u16le(buf: Buffer, i: number): number {
  return buf[i]! | (buf[i + 1]! << 8);
}

function u32le(buf: Buffer, i: number): number {
  return (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)) >>> 0;
}

export const ENIP_HEADER = 24;
export const ENIP_PORT = 44818;

export const SPACE_CIP = 0;
export const SPACE_ENCAP = 1;

/** CPF item type ids (Vol. 2 table 2-6.3). */
export const CPF_NULL_ADDRESS = 0x0000;
export const CPF_CIP_IDENTITY = 0x000c;
export const CPF_CONNECTED_ADDRESS = 0x00a1;
export const CPF_CONNECTED_DATA = 0x00b1;
export const CPF_UNCONNECTED_DATA = 0x00b2;
export const CPF_LIST_SERVICES = 0x0100;
export const CPF_SOCKADDR_O_T = 0x8000;
export const CPF_SOCKADDR_T_O = 0x8001;
export const CPF_SEQUENCED_ADDRESS = 0x8002;

/**
 * Walks the CPF item list at buf[p, end) (Vol. 2 2-6.1: item count u16, then items of type u16,
 * length u16, data), noting the address and data items in `st`. Reports a violation and returns
 * false when an item runs past the end. ListIdentity CIP Identity items are reported as identity.
 */
export function walkCpf(st: EnipState, sink: PduSink, buf: Buffer, p: number, end: number, base: number): boolean {
  st.cpfAddrType = -1;
  st.cpfConnId = 0;
  st.cpfDataType = -1;
  st.cpfDataOff = 0;
  st.cpfDataLen = 0;
  if (end - p < 2) {
    sink.violation('ENIP_BAD_CPF', 'missing CPF item count', p - base);
    return false;
  }
  const count = u16le(buf, p);
  p += 2;
  for (let i = 0; i < count; i++) {
    if (end - p < 4) {
      sink.violation('ENIP_BAD_CPF', `CPF item ${i + 1} of ${count} is missing`, p - base);
      return false;
    }
    const type = u16le(buf, p);
    const len = u16le(buf, p + 2);
    const d = p + 4;
    if (d + len > end) {
      sink.violation('ENIP_BAD_CPF', `CPF item 0x${type.toString(16)} of ${len} bytes exceeds the ${end - d} bytes left`, p + 2 - base);
      return false;
    }
    switch (type) {
      case CPF_NULL_ADDRESS:
        st.cpfAddrType = type;
        break;
      case CPF_CONNECTED_ADDRESS:
      case CPF_SEQUENCED_ADDRESS:
        if (len < 4) {
          sink.violation('ENIP_BAD_CPF', `address item of ${len} bytes has no connection id`, p + 2 - base);
          return false;
        }
        st.cpfAddrType = type;
        st.cpfConnId = u32le(buf, d);
        break;
      case CPF_CONNECTED_DATA:
      case CPF_UNCONNECTED_DATA:
        if (st.cpfDataType < 0) {
          st.cpfDataType = type;
          st.cpfDataOff = d;
          st.cpfDataLen = len;
        }
        break;
      case CPF_CIP_IDENTITY:
        // Vol. 2 2-4.3.2: encapsulation version u16, sockaddr (16 bytes, big-endian), identity image, state u8.
        if (reportIdentity(buf, d + 18, d + len, sink, WHO_SENDER) < 0) {
          sink.violation('ENIP_BAD_IDENTITY', 'truncated CIP Identity item', d - base);
        }
        break;
      default:
        // Sockaddr info, ListServices items, CIP Security items ...: nothing counted.
        break;
    }
    p = d + len;
  }
  if (p !== end) {
    sink.violation('ENIP_BAD_CPF', `${end - p} bytes after the last CPF item`, p - base);
    return false;
  }
  return true;
}

function decodeEnip(st: EnipState, buf: Buffer, off: number, len: number, dir: number, sink: PduSink): void {
  if (len < ENIP_HEADER) {
    sink.violation('ENIP_TRUNCATED_HEADER', `${len} bytes, encapsulation header needs 24`, 0);
    return;
  }
  const command = u16le(buf, off);
  const length = u16le(buf, off + 2);
  const status = u32le(buf, off + 8);
  const end = off + ENIP_HEADER + length;
  const byDir = dir === DIR_TO_CLIENT ? KIND_RESPONSE : KIND_REQUEST;
  if (ENIP_HEADER + length !== len) {
    sink.violation('ENIP_LENGTH_MISMATCH', `length ${length} + 24 != ${len} bytes`, 2);
    sink.fn(SPACE_ENCAP, command, status !== 0 ? KIND_EXCEPTION : byDir);
    return;
  }
  if (status !== 0) {
    // Only replies carry a non-zero status (Vol. 2 2-3.3); their data is not meaningful.
    sink.fn(SPACE_ENCAP, command, KIND_EXCEPTION);
    return;
  }
  const body = off + ENIP_HEADER;
  switch (command) {
    case ENIP_LIST_IDENTITY:
    case ENIP_LIST_SERVICES:
    case ENIP_LIST_INTERFACES: {
      // Requests carry no data (Vol. 2 2-4.2, 2-4.3, 2-4.4); replies carry a CPF item list.
      if (length === 0) {
        sink.fn(SPACE_ENCAP, command, dir === DIR_TO_CLIENT ? KIND_RESPONSE : KIND_REQUEST);
        return;
      }
      sink.fn(SPACE_ENCAP, command, KIND_RESPONSE);
      walkCpf(st, sink, buf, body, end, off);
      return;
    }
    case ENIP_REGISTER_SESSION: {
      // Vol. 2 2-4.4: protocol version u16, options u16 both ways; the reply assigns the session.
      const kind = dir === DIR_TO_SERVER ? KIND_REQUEST : dir === DIR_TO_CLIENT ? KIND_RESPONSE : buf.readUInt32LE(off + 4) !== 0 ? KIND_RESPONSE : KIND_REQUEST;
      sink.fn(SPACE_ENCAP, command, kind);
      if (length < 4) sink.violation('ENIP_BAD_COMMAND_DATA', `RegisterSession data of ${length} bytes, 4 expected`, ENIP_HEADER);
      return;
    }
    case ENIP_SEND_RR_DATA:
    case ENIP_SEND_UNIT_DATA: {
      // Vol. 2 2-4.7/2-4.8: interface handle u32, timeout u16, CPF.
      if (length < 6) {
        sink.fn(SPACE_ENCAP, command, byDir);
        sink.violation('ENIP_BAD_COMMAND_DATA', `${length} bytes of command data, 6 expected before the CPF`, ENIP_HEADER);
        return;
      }
      const cpfOk = walkCpf(st, sink, buf, body + 6, end, off);
      let cip = st.cpfDataOff;
      let cipLen = st.cpfDataLen;
      let seq = -1;
      if (cpfOk && st.cpfDataType === CPF_CONNECTED_DATA) {
        // Connected explicit messages start with a 16-bit sequence count (Vol. 2 3-2.2).
        if (cipLen < 2) {
          sink.fn(SPACE_ENCAP, command, byDir);
          sink.violation('ENIP_BAD_CPF', 'connected data item without sequence count', cip - off);
          return;
        }
        seq = buf.readUInt16LE(cip);
        cip += 2;
        cipLen -= 2;
      }
      if (!cpfOk || st.cpfDataType < 0 || cipLen === 0) {
        sink.fn(SPACE_ENCAP, command, byDir);
        if (cpfOk) sink.violation('ENIP_NO_CIP', 'no CIP message in the CPF items', body + 6 - off);
        return;
      }
      // Either side may send requests (Vol. 2 2-4.7): the CIP reply bit decides.
      const isReply = (buf[cip]! & 0x80) !== 0;
      sink.fn(SPACE_ENCAP, command, isReply ? KIND_RESPONSE : KIND_REQUEST);
      const pending = st.pending;
      const kind = seq >= 0 ? PENDING_UNIT : PENDING_RR;
      const a = seq >= 0 ? seq : buf.readUInt32LE(off + 12);
      const b = seq >= 0 ? 0 : buf.readUInt32LE(off + 16);
      if (isReply) {
        pending.match(kind, a, b);
        decodeCip(st, sink, buf, cip, cipLen, off, 0);
        pending.release();
      } else {
        pending.begin(kind, a, b);
        decodeCip(st, sink, buf, cip, cipLen, off, 0);
        pending.end();
      }
      return;
    }
    default:
      // NOP, UnRegisterSession, IndicateStatus, Cancel: either side may send them and no reply is
      // defined, so they are requests; unknown commands keep their number and go by direction.
      sink.fn(SPACE_ENCAP, command, isKnownEncapCommand(command) ? KIND_REQUEST : byDir);
      return;
  }
}

function describeEnip(space: number, code: number, variant = 0): FunctionInfo {
  return space === SPACE_ENCAP ? describeEncapCommand(code) : describeCipService(code, variant);
}

/** EtherNet/IP explicit messaging (TCP and UDP 44818) with CIP: spaces 0 = CIP service, 1 = encapsulation command. */
export const enip: Dissector<EnipState> = {
  id: 'enip',
  name: 'EtherNet/IP',
  transports: ['tcp', 'udp'],
  ports: [ENIP_PORT],
  spaces: ['cip', 'encapsulation'],
  objectSpaces: ['path', 'tag'],
  heuristic(buf: Buffer, off: number, len: number): boolean {
    if (len < ENIP_HEADER || off < 0 || off + ENIP_HEADER > buf.length) return false;
    // A defined command, options 0 (Vol. 2 2-3.1: receivers drop messages with non-zero options).
    return isKnownEncapCommand(buf.readUInt16LE(off)) && buf.readUInt32LE(off + 20) === 0;
  },
  pduLength(buf: Buffer, off: number, avail: number): number {
    if (avail < 4 || off + 4 > buf.length) return 0;
    // Every command of Vol. 2 table 2-3.2 has a zero high byte: anything else is not a header.
    if (buf[off + 1] !== 0) return -1;
    return ENIP_HEADER + u16le(buf, off + 2);
  },
  createState(): EnipState {
    return new EnipState();
  },
  resetState(state: EnipState): void {
    state.reset();
  },
  decode(state: EnipState, buf: Buffer, off: number, len: number, dir: number, sink: PduSink): void {
    decodeEnip(state, buf, off, len, dir, sink);
  },
  describe: describeEnip,
  describeObject: describeCipObject,
};
