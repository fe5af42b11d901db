/**
 * CIP explicit messages (ODVA CIP Vol. 1, 2-4 "Message Router request/response format"):
 *   request: service (bit 7 clear), request path size in words, padded EPATH, request data;
 *   reply:   service | 0x80, reserved, general status, additional status size (words), status, data.
 * Each service is counted in space 0 with its request code; object-specific codes (0x4B-0x63) carry
 * the class as variant. Containers are unpacked and their embedded services counted too, as tshark
 * lists them: Multiple Service Packet (Vol. 1) and the Connection Manager's Unconnected Send
 * (Vol. 1 3-5.5.2; its successful reply is the embedded reply itself).
 */
import type { PduSink } from '../types.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER } from '../types.js';
import {
  CIP_FORWARD_OPEN,
  CIP_GET_ATTRIBUTES_ALL,
  CIP_LARGE_FORWARD_OPEN,
  CIP_MULTIPLE_SERVICE_PACKET,
  CIP_UNCONNECTED_SEND,
  CLASS_CONNECTION_MANAGER,
  CLASS_IDENTITY,
  CLASS_SYMBOL,
  cipOpClass,
  isObjectSpecific,
} from './describeCipService.js';
import type { EnipState } from './EnipState.js';
import { parseEpath } from './parseEpath.js';
import { reportIdentity } from './reportIdentity.js';

/** General status 0x06 "Partial transfer": more data follows (Read Tag Fragmented); not an error. */
const GS_PARTIAL_TRANSFER = 0x06;
/** General status 0x1E "Embedded service error" of a Multiple Service Packet reply. */
const GS_EMBEDDED_ERROR = 0x1e;
/** Containers nest (an Unconnected Send carrying a Multiple Service Packet ...); bound the depth. */
export const CIP_MAX_DEPTH = 4;

/** Object spaces of the ENIP dissector (Dissector.objectSpaces): logical paths and Logix tag names. */
export const OBJ_PATH = 0;
export const OBJ_TAG = 1;

const TWO_16 = 0x10000;

/**
 * Object key of a logical path (class, instance, attribute; -1 when absent): a number below 2^48,
 * ((class * 2^16 + instance + 1) * 2^16 + attribute + 1), for the paths met in plants; a path with a
 * class, instance or attribute past the 16-bit range is rendered as text at once (rare).
 */
export function cipObjectKey(classId: number, instance: number, attribute = -1): number | string {
  const inst = instance < 0 ? -1 : instance;
  const attr = attribute < 0 ? -1 : attribute;
  if (classId < 0 || classId > 0xffff || inst > 0xfffe || attr > 0xfffe) return cipPathText(classId, inst, attr);
  return (classId * TWO_16 + inst + 1) * TWO_16 + attr + 1;
}

function cipPathText(classId: number, instance: number, attribute: number): string {
  const width = classId > 0xff ? 4 : 2;
  let s = `class 0x${classId.toString(16).padStart(width, '0')}`;
  if (instance >= 0) s += ` / instance ${instance}`;
  if (attribute >= 0) s += ` / attribute ${attribute}`;
  return s;
}

/** Human form of a path key: `class 0x01 / instance 1 / attribute 7`, `class 0x6b`. */
export function formatCipObjectKey(key: number | string): string {
  if (typeof key === 'string') return key;
  const attr = (key % TWO_16) - 1;
  const rest = Math.floor(key / TWO_16);
  const inst = (rest % TWO_16) - 1;
  return cipPathText(Math.floor(rest / TWO_16), inst, attr);
}

/** Dissector.describeObject of enip: paths rendered, tag names as they are. */
export function describeCipObject(space: number, key: number | string): string {
  return space === OBJ_PATH ? formatCipObjectKey(key) : String(key);
}

/**
 * Decodes the CIP message buf[off, off+len). `base` is the offset of the PDU given to the
 * dissector (violation offsets are relative to it); `depth` the container nesting level.
 */
export function decodeCip(st: EnipState, sink: PduSink, buf: Buffer, off: number, len: number, base: number, depth: number): void {
  if (depth > CIP_MAX_DEPTH) {
    sink.violation('CIP_NESTING_TOO_DEEP', `containers nested more than ${CIP_MAX_DEPTH} deep`, off - base);
    return;
  }
  if (len <= 0) {
    sink.violation('CIP_EMPTY', 'empty CIP message', off - base);
    return;
  }
  const sc = buf[off]!;
  if (sc & 0x80) decodeReply(st, sink, buf, off, len, base, depth, sc & 0x7f);
  else decodeRequest(st, sink, buf, off, len, base, depth, sc);
}

function decodeRequest(st: EnipState, sink: PduSink, buf: Buffer, off: number, len: number, base: number, depth: number, service: number): void {
  const pending = st.pending;
  if (len < 2) {
    sink.violation('CIP_TRUNCATED', 'request without path size', off - base);
    sink.fn(0, service, KIND_REQUEST, 0);
    pending.push(service, -1);
    return;
  }
  const pathLen = buf[off + 1]! * 2;
  if (2 + pathLen > len) {
    sink.violation('CIP_TRUNCATED', `request path of ${pathLen} bytes exceeds the ${len}-byte message`, off + 1 - base);
    sink.fn(0, service, KIND_REQUEST, 0);
    pending.push(service, -1);
    return;
  }
  const path = st.path;
  const pathOk = parseEpath(buf, off + 2, pathLen, path);
  if (!pathOk) sink.violation('CIP_BAD_PATH', path.error, path.errorAt - base);
  let classId = path.classId;
  if (classId < 0 && path.symbols > 0) classId = CLASS_SYMBOL; // a tag name addresses the Symbol object
  const instance = path.instance;
  const symbols = path.symbols;
  sink.fn(0, service, KIND_REQUEST, isObjectSpecific(service) && classId > 0 ? classId : 0);
  pending.push(service, classId);
  // Forward Open (Vol. 1 3-5.5.2): the sender originates the connections, their class-1 I/O too.
  if ((service === CIP_FORWARD_OPEN || service === CIP_LARGE_FORWARD_OPEN) && (classId === CLASS_CONNECTION_MANAGER || classId < 0)) {
    sink.originator(WHO_SENDER);
  }

  const dataOff = off + 2 + pathLen;
  const end = off + len;
  if (service === CIP_MULTIPLE_SERVICE_PACKET) {
    decodeMultiple(st, sink, buf, dataOff, end, base, depth);
    return;
  }
  if (service === CIP_UNCONNECTED_SEND && classId === CLASS_CONNECTION_MANAGER) {
    // Vol. 1 3-5.5.2: priority/tick, timeout ticks, message size u16, message, pad, route path.
    if (end - dataOff < 4) {
      sink.violation('CIP_BAD_UNCONNECTED_SEND', 'Unconnected Send without message size', dataOff - base);
      return;
    }
    const size = buf.readUInt16LE(dataOff + 2);
    if (dataOff + 4 + size > end) {
      sink.violation('CIP_BAD_UNCONNECTED_SEND', `embedded message of ${size} bytes exceeds the request`, dataOff + 2 - base);
      return;
    }
    decodeCip(st, sink, buf, dataOff + 4, size, base, depth + 1);
    return;
  }
  const write = cipOpClass(service, classId) === 'write';
  if (symbols > 0 && pathOk) sink.object(OBJ_TAG, st.tags.get(buf, off + 2, pathLen), write);
  else if (classId >= 0) sink.object(OBJ_PATH, cipObjectKey(classId, instance, path.attribute), write);
}

function decodeReply(st: EnipState, sink: PduSink, buf: Buffer, off: number, len: number, base: number, depth: number, service: number): void {
  const classId = st.pending.classFor(service);
  const variant = isObjectSpecific(service) && classId > 0 ? classId : 0;
  if (len < 4) {
    sink.violation('CIP_TRUNCATED', `reply of ${len} bytes is shorter than its 4-byte header`, off - base);
    const failed = len >= 3 && buf[off + 2] !== 0 && buf[off + 2] !== GS_PARTIAL_TRANSFER;
    sink.fn(0, service, failed ? KIND_EXCEPTION : KIND_RESPONSE, variant);
    return;
  }
  const status = buf[off + 2]!;
  const dataOff = off + 4 + buf[off + 3]! * 2;
  const end = off + len;
  sink.fn(0, service, status === 0 || status === GS_PARTIAL_TRANSFER ? KIND_RESPONSE : KIND_EXCEPTION, variant);
  if (dataOff > end) {
    sink.violation('CIP_TRUNCATED', 'additional status exceeds the reply', off + 3 - base);
    return;
  }
  if (service === CIP_MULTIPLE_SERVICE_PACKET) {
    if ((status === 0 || status === GS_EMBEDDED_ERROR) && dataOff < end) decodeMultiple(st, sink, buf, dataOff, end, base, depth);
    return;
  }
  if (service === CIP_GET_ATTRIBUTES_ALL && classId === CLASS_IDENTITY && status === 0) {
    if (reportIdentity(buf, dataOff, end, sink, WHO_SENDER) < 0) {
      sink.violation('CIP_BAD_IDENTITY', 'truncated Identity object attributes', dataOff - base);
    }
  }
}

/** Multiple Service Packet body (request or reply): count u16, offsets u16[count] from the count. */
function decodeMultiple(st: EnipState, sink: PduSink, buf: Buffer, d: number, end: number, base: number, depth: number): void {
  if (end - d < 2) {
    sink.violation('CIP_BAD_MSP', 'Multiple Service Packet without service count', d - base);
    return;
  }
  const n = buf.readUInt16LE(d);
  const listEnd = 2 + 2 * n;
  if (d + listEnd > end) {
    sink.violation('CIP_BAD_MSP', `offset list of ${n} services exceeds the message`, d - base);
    return;
  }
  const size = end - d;
  for (let i = 0; i < n; i++) {
    const o = buf.readUInt16LE(d + 2 + 2 * i);
    const next = i + 1 < n ? buf.readUInt16LE(d + 4 + 2 * i) : size;
    if (o < listEnd || next < o || next > size) {
      sink.violation('CIP_BAD_MSP', `service ${i + 1} of ${n} at offset ${o} is outside the packet`, d + 2 + 2 * i - base);
      continue;
    }
    decodeCip(st, sink, buf, d + o, next - o, base, depth + 1);
  }
}
