/**
 * Modbus/TCP (Modbus Messaging on TCP/IP Implementation Guide v1.0b, MBAP header section 3.1.3;
 * Modbus Application Protocol Specification v1.1b3, function codes section 6).
 *
 * What it reports into the PduSink:
 *  - fn(0, fc, kind, variant): space 0 'function' = the function code. Exceptions (fc | 0x80, spec
 *    section 7) are KIND_EXCEPTION with the base code. For FC 43 the variant is the MEI type (13 CANopen
 *    General Reference, 14 Read Device Identification); 0 otherwise (and for FC 43 exceptions).
 *  - object(MODBUS_OBJECT_UNIT = 0, unitId, write): the unit identifier of every request (write = the
 *    request is of class 'write'), in object space 'unit', shown `unit 1`.
 *  - range(table, start, count, write) for requests: table 0 coils, 1 discrete inputs, 3 input
 *    registers, 4 holding registers. FC 23 reports a read and a write range. FC 24 reports the FIFO
 *    pointer register (count 1). File records (FC 20/21) report no range.
 *  - identity(WHO_SENDER, key, value) for FC 43/14 responses (section 6.21): objects 0..6 as 'vendor',
 *    'product_code', 'revision', 'vendor_url', 'product', 'model', 'application_name'.
 *  - violations MODBUS_*: TRUNCATED, BAD_PROTOCOL_ID, BAD_LENGTH, LENGTH_MISMATCH, BAD_FUNCTION_CODE,
 *    BAD_PDU_LENGTH, BAD_QUANTITY, BAD_BYTE_COUNT, BAD_VALUE, BAD_REFERENCE_TYPE, BAD_OBJECT_LENGTH,
 *    TRAILING_BYTES, OVERSIZE_PDU (length 255..260: decoded, reported).
 *
 * Request or response: by `dir` when known (the port-502 side is the server); with DIR_UNKNOWN by the
 * PDU's shape (e.g. FC 3 request = 4 data bytes, response = byte count + registers), and when the
 * shape is the same both ways (FC 5, 6, 8, 21, 22 echo the request) by the transaction: a PDU that
 * repeats the transaction id and function code of the last request is its response.
 */
import type { Dissector, FunctionInfo, OpClass, PduSink } from '../types.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER, unknownName } from '../types.js';

/** object() space for the MBAP unit identifier. */
export const MODBUS_OBJECT_UNIT = 0;
/** range() tables. */
export const MODBUS_TABLE_COILS = 0;
export const MODBUS_TABLE_DISCRETE_INPUTS = 1;
export const MODBUS_TABLE_INPUT_REGISTERS = 3;
export const MODBUS_TABLE_HOLDING_REGISTERS = 4;

export const MODBUS_PORT = 502;
/** MBAP header (7 bytes) + function code. */
const HDR = 7;
/** MBAP length field bounds: unit id + PDU of 1..253 bytes (spec section 4.1: PDU max 253 bytes). */
const MIN_LEN = 2;
const MAX_LEN = 254;
/**
 * Longest length decoded: real devices exceed the spec (a Modicon M340 sends UMAS, FC 90, PDUs with
 * length 255; tshark decodes them). 255..260 is decoded and reported MODBUS_OVERSIZE_PDU.
 */
const MAX_TOLERATED_LEN = 260;

export const MEI_CANOPEN = 13;
export const MEI_READ_DEVICE_ID = 14;

/** Public function codes (spec section 5.1 / 6) with their names and operation classes. */
const FUNCTIONS: ReadonlyArray<readonly [number, string, OpClass]> = [
  [1, 'READ_COILS', 'read'],
  [2, 'READ_DISCRETE_INPUTS', 'read'],
  [3, 'READ_HOLDING_REGISTERS', 'read'],
  [4, 'READ_INPUT_REGISTERS', 'read'],
  [5, 'WRITE_SINGLE_COIL', 'write'],
  [6, 'WRITE_SINGLE_REGISTER', 'write'],
  [7, 'READ_EXCEPTION_STATUS', 'diagnostic'],
  [8, 'DIAGNOSTICS', 'diagnostic'],
  [11, 'GET_COMM_EVENT_COUNTER', 'diagnostic'],
  [12, 'GET_COMM_EVENT_LOG', 'diagnostic'],
  [15, 'WRITE_MULTIPLE_COILS', 'write'],
  [16, 'WRITE_MULTIPLE_REGISTERS', 'write'],
  [17, 'REPORT_SERVER_ID', 'diagnostic'],
  [20, 'READ_FILE_RECORD', 'read'],
  [21, 'WRITE_FILE_RECORD', 'write'],
  [22, 'MASK_WRITE_REGISTER', 'write'],
  [23, 'READ_WRITE_MULTIPLE_REGISTERS', 'write'],
  [24, 'READ_FIFO_QUEUE', 'read'],
  [43, 'ENCAPSULATED_INTERFACE_TRANSPORT', 'diagnostic'],
];

const INFO: Array<FunctionInfo | undefined> = new Array<FunctionInfo | undefined>(128);
for (const [code, name, opClass] of FUNCTIONS) INFO[code] = Object.freeze({ name, opClass });
const INFO_CANOPEN: FunctionInfo = Object.freeze({ name: 'CANOPEN_GENERAL_REFERENCE', opClass: 'diagnostic' });
const INFO_DEVICE_ID: FunctionInfo = Object.freeze({ name: 'READ_DEVICE_IDENTIFICATION', opClass: 'diagnostic' });

/** Device identification object ids 0..6 (spec section 6.21, table "Basic/Regular category"). */
const DEVICE_ID_KEYS: readonly string[] = ['vendor', 'product_code', 'revision', 'vendor_url', 'product', 'model', 'application_name'];

function isWriteFc(fc: number): boolean {
  const i = fc < 128 ? INFO[fc] : undefined;
  return i !== undefined && i.opClass === 'write';
}

/** Big-endian 16-bit read without Buffer's bounds checks (callers check lengths first). */
function u16(buf: Buffer, o: number): number {
  return (buf[o]! << 8) | buf[o + 1]!;
}

/** Per-connection state: the last request's transaction, to pair echo-shaped PDUs when dir is unknown. */
export class ModbusState {
  pendingTid = -1;
  pendingFc = -1;
}

/**
 * Shape test for DIR_UNKNOWN: 1 request, 0 response, -1 both shapes fit.
 * `d` is the offset of the data after the function code, `n` its length.
 */
function shape(fc: number, buf: Buffer, d: number, n: number): number {
  switch (fc) {
    case 1:
    case 2:
    case 3:
    case 4:
      // request: start + quantity (4 bytes); response: byte count + data
      if (n === 4) return n === 1 + buf[d]! ? -1 : 1;
      return 0;
    case 7:
    case 11:
    case 12:
    case 17:
      return n === 0 ? 1 : 0;
    case 15:
    case 16:
      // request: start, quantity, byte count, values; response: start, quantity
      return n === 4 ? 0 : 1;
    case 20:
      // request: byte count + 7-byte sub-requests with reference type 6; response: length + sub-responses
      if (n >= 8 && buf[d + 1] === 6 && (n - 1) % 7 === 0) return 1;
      return n > 1 ? 0 : -1;
    case 23:
      return n >= 9 && n === 9 + buf[d + 8]! ? 1 : 0;
    case 24:
      return n === 2 ? 1 : 0;
    case 43:
      if (n >= 1 && buf[d] === MEI_READ_DEVICE_ID) return n === 3 ? 1 : 0;
      return -1;
    default:
      return -1;
  }
}

function decodeModbus(state: ModbusState, buf: Buffer, off: number, len: number, dir: number, sink: PduSink): void {
  if (len < HDR + 1) {
    sink.violation('MODBUS_TRUNCATED', `${len} bytes: MBAP header and function code need 8`, 0);
    return;
  }
  const pid = u16(buf, off + 2);
  if (pid !== 0) {
    sink.violation('MODBUS_BAD_PROTOCOL_ID', `protocol id ${pid}, Modbus is 0`, 2);
    return;
  }
  const tid = u16(buf, off);
  const mlen = u16(buf, off + 4);
  let end = off + len;
  if (mlen < MIN_LEN || mlen > MAX_TOLERATED_LEN) {
    sink.violation('MODBUS_BAD_LENGTH', `length ${mlen} outside ${MIN_LEN}..${MAX_TOLERATED_LEN}`, 4);
  } else if (6 + mlen !== len) {
    sink.violation('MODBUS_LENGTH_MISMATCH', `length ${mlen} != ${len - 6} bytes after it`, 4);
    if (6 + mlen < len) end = off + 6 + mlen;
  } else if (mlen > MAX_LEN) {
    sink.violation('MODBUS_OVERSIZE_PDU', `length ${mlen} over the spec's ${MAX_LEN} (decoded: devices send up to ${MAX_TOLERATED_LEN})`, 4);
  }
  const unit = buf[off + 6]!;
  const fc = buf[off + 7]!;
  const d = off + HDR + 1;
  const n = end - d;

  if (fc & 0x80) {
    // Exception response (spec section 7): base function code + 1 exception code byte.
    sink.fn(0, fc & 0x7f, KIND_EXCEPTION);
    if (state.pendingTid === tid) state.pendingTid = -1;
    if (n !== 1) sink.violation('MODBUS_BAD_PDU_LENGTH', `exception response with ${n} data bytes, expected 1`, 8);
    return;
  }

  let kind: number;
  if (dir === DIR_TO_SERVER) kind = KIND_REQUEST;
  else if (dir === DIR_TO_CLIENT) kind = KIND_RESPONSE;
  else {
    const s = shape(fc, buf, d, n);
    if (s === 1) kind = KIND_REQUEST;
    else if (s === 0) kind = KIND_RESPONSE;
    else kind = state.pendingTid === tid && state.pendingFc === fc ? KIND_RESPONSE : KIND_REQUEST;
  }
  const variant = fc === 43 && n >= 1 ? buf[d]! : 0;
  sink.fn(0, fc, kind, variant);

  if (kind === KIND_REQUEST) {
    state.pendingTid = tid;
    state.pendingFc = fc;
    sink.object(MODBUS_OBJECT_UNIT, unit, isWriteFc(fc));
    decodeRequest(fc, buf, d, n, sink);
  } else {
    if (state.pendingTid === tid) state.pendingTid = -1;
    decodeResponse(fc, buf, d, n, sink);
  }
}

function badLen(sink: PduSink, fc: number, n: number, expected: string): void {
  sink.violation('MODBUS_BAD_PDU_LENGTH', `FC ${fc}: ${n} data bytes, expected ${expected}`, 8);
}

/** Byte count at buf[d] must equal the remaining n - 1 bytes. */
function checkByteCount(sink: PduSink, fc: number, buf: Buffer, d: number, n: number): number {
  if (n < 1) {
    badLen(sink, fc, n, 'a byte count');
    return -1;
  }
  const bc = buf[d]!;
  if (bc !== n - 1) {
    sink.violation('MODBUS_BAD_BYTE_COUNT', `FC ${fc}: byte count ${bc} != ${n - 1} bytes`, 8);
    return -1;
  }
  return bc;
}

function decodeRequest(fc: number, buf: Buffer, d: number, n: number, sink: PduSink): void {
  switch (fc) {
    case 1:
    case 2:
    case 3:
    case 4: {
      // 6.1-6.4: starting address, quantity (coils/inputs 1..2000, registers 1..125)
      if (n !== 4) {
        badLen(sink, fc, n, '4');
        if (n < 4) return;
      }
      const start = u16(buf, d);
      const qty = u16(buf, d + 2);
      const max = fc <= 2 ? 2000 : 125;
      if (qty < 1 || qty > max) sink.violation('MODBUS_BAD_QUANTITY', `FC ${fc}: quantity ${qty} outside 1..${max}`, 10);
      const table = fc === 1 ? MODBUS_TABLE_COILS : fc === 2 ? MODBUS_TABLE_DISCRETE_INPUTS : fc === 3 ? MODBUS_TABLE_HOLDING_REGISTERS : MODBUS_TABLE_INPUT_REGISTERS;
      sink.range(table, start, qty, false);
      return;
    }
    case 5:
    case 6: {
      // 6.5 / 6.6: output address, value (FC 5: 0x0000 or 0xFF00)
      if (n !== 4) {
        badLen(sink, fc, n, '4');
        if (n < 4) return;
      }
      const addr = u16(buf, d);
      if (fc === 5) {
        const v = u16(buf, d + 2);
        if (v !== 0 && v !== 0xff00) sink.violation('MODBUS_BAD_VALUE', `FC 5: coil value 0x${v.toString(16)}, expected 0x0000 or 0xff00`, 10);
      }
      sink.range(fc === 5 ? MODBUS_TABLE_COILS : MODBUS_TABLE_HOLDING_REGISTERS, addr, 1, true);
      return;
    }
    case 7:
    case 11:
    case 12:
    case 17:
      if (n !== 0) badLen(sink, fc, n, '0');
      return;
    case 8:
      if (n < 2) badLen(sink, fc, n, 'a sub-function (2)');
      return;
    case 15:
    case 16: {
      // 6.11 / 6.12: start, quantity, byte count, values
      if (n < 5) {
        badLen(sink, fc, n, 'at least 5');
        return;
      }
      const start = u16(buf, d);
      const qty = u16(buf, d + 2);
      const bc = buf[d + 4]!;
      const max = fc === 15 ? 0x7b0 : 123;
      if (qty < 1 || qty > max) sink.violation('MODBUS_BAD_QUANTITY', `FC ${fc}: quantity ${qty} outside 1..${max}`, 10);
      const want = fc === 15 ? (qty + 7) >> 3 : qty * 2;
      if (bc !== want || n !== 5 + bc) {
        sink.violation('MODBUS_BAD_BYTE_COUNT', `FC ${fc}: byte count ${bc} for quantity ${qty} with ${n - 5} value bytes`, 12);
      }
      sink.range(fc === 15 ? MODBUS_TABLE_COILS : MODBUS_TABLE_HOLDING_REGISTERS, start, qty, true);
      return;
    }
    case 20: {
      // 6.14: byte count, then 7-byte sub-requests (reference type 6, file, record, length)
      const bc = checkByteCount(sink, fc, buf, d, n);
      if (bc < 0) return;
      if (bc % 7 !== 0) {
        sink.violation('MODBUS_BAD_BYTE_COUNT', `FC 20: byte count ${bc} is not a multiple of 7`, 8);
        return;
      }
      for (let p = d + 1; p < d + n; p += 7) {
        if (buf[p] !== 6) {
          sink.violation('MODBUS_BAD_REFERENCE_TYPE', `FC 20: reference type ${buf[p]!}, expected 6`, p - d + 8);
          return;
        }
      }
      return;
    }
    case 21:
      checkByteCount(sink, fc, buf, d, n);
      return;
    case 22: {
      // 6.16: reference address, AND mask, OR mask
      if (n !== 6) {
        badLen(sink, fc, n, '6');
        if (n < 2) return;
      }
      sink.range(MODBUS_TABLE_HOLDING_REGISTERS, u16(buf, d), 1, true);
      return;
    }
    case 23: {
      // 6.17: read start, read qty (1..125), write start, write qty (1..121), byte count, values
      if (n < 9) {
        badLen(sink, fc, n, 'at least 9');
        return;
      }
      const rs = u16(buf, d);
      const rq = u16(buf, d + 2);
      const ws = u16(buf, d + 4);
      const wq = u16(buf, d + 6);
      const bc = buf[d + 8]!;
      if (rq < 1 || rq > 125) sink.violation('MODBUS_BAD_QUANTITY', `FC 23: read quantity ${rq} outside 1..125`, 10);
      if (wq < 1 || wq > 121) sink.violation('MODBUS_BAD_QUANTITY', `FC 23: write quantity ${wq} outside 1..121`, 14);
      if (bc !== wq * 2 || n !== 9 + bc) {
        sink.violation('MODBUS_BAD_BYTE_COUNT', `FC 23: byte count ${bc} for write quantity ${wq} with ${n - 9} value bytes`, 16);
      }
      sink.range(MODBUS_TABLE_HOLDING_REGISTERS, rs, rq, false);
      sink.range(MODBUS_TABLE_HOLDING_REGISTERS, ws, wq, true);
      return;
    }
    case 24:
      // 6.18: FIFO pointer address
      if (n !== 2) {
        badLen(sink, fc, n, '2');
        if (n < 2) return;
      }
      sink.range(MODBUS_TABLE_HOLDING_REGISTERS, u16(buf, d), 1, false);
      return;
    case 43:
      // 6.19-6.21: MEI type; 14 = Read Device ID code (1..4) + object id
      if (n < 1) {
        badLen(sink, fc, n, 'a MEI type');
        return;
      }
      if (buf[d] === MEI_READ_DEVICE_ID) {
        if (n !== 3) badLen(sink, fc, n, '3 for Read Device Identification');
        else if (buf[d + 1]! < 1 || buf[d + 1]! > 4) sink.violation('MODBUS_BAD_VALUE', `FC 43/14: read device id code ${buf[d + 1]!}`, 9);
      }
      return;
    default:
      if (fc === 0) sink.violation('MODBUS_BAD_FUNCTION_CODE', 'function code 0', 7);
      return;
  }
}

function decodeResponse(fc: number, buf: Buffer, d: number, n: number, sink: PduSink): void {
  switch (fc) {
    case 1:
    case 2:
    case 3:
    case 4: {
      const bc = checkByteCount(sink, fc, buf, d, n);
      if (bc > 0 && fc >= 3 && (bc & 1) !== 0) sink.violation('MODBUS_BAD_BYTE_COUNT', `FC ${fc}: odd register byte count ${bc}`, 8);
      return;
    }
    case 5:
    case 6:
    case 15:
    case 16:
      if (n !== 4) badLen(sink, fc, n, '4');
      return;
    case 7:
      if (n !== 1) badLen(sink, fc, n, '1');
      return;
    case 8:
      if (n < 2) badLen(sink, fc, n, 'a sub-function (2)');
      return;
    case 11:
      if (n !== 4) badLen(sink, fc, n, '4');
      return;
    case 12:
    case 17:
    case 20:
    case 21:
    case 23:
      checkByteCount(sink, fc, buf, d, n);
      return;
    case 22:
      if (n !== 6) badLen(sink, fc, n, '6');
      return;
    case 24: {
      // 6.18: byte count (2), FIFO count (2, <= 31), values
      if (n < 4) {
        badLen(sink, fc, n, 'at least 4');
        return;
      }
      const bc = u16(buf, d);
      const cnt = u16(buf, d + 2);
      if (bc !== n - 2 || bc !== 2 + cnt * 2 || cnt > 31) {
        sink.violation('MODBUS_BAD_BYTE_COUNT', `FC 24: byte count ${bc}, FIFO count ${cnt}, ${n - 2} bytes`, 8);
      }
      return;
    }
    case 43:
      if (n < 1) {
        badLen(sink, fc, n, 'a MEI type');
        return;
      }
      if (buf[d] === MEI_READ_DEVICE_ID) decodeDeviceId(buf, d, n, sink);
      return;
    default:
      if (fc === 0) sink.violation('MODBUS_BAD_FUNCTION_CODE', 'function code 0', 7);
      return;
  }
}

/**
 * FC 43 / MEI 14 response (spec section 6.21): MEI, read device id code, conformity level, more
 * follows, next object id, number of objects, then objects (id, length, value).
 */
function decodeDeviceId(buf: Buffer, d: number, n: number, sink: PduSink): void {
  if (n < 6) {
    badLen(sink, 43, n, 'at least 6 for a Read Device Identification response');
    return;
  }
  const count = buf[d + 5]!;
  const end = d + n;
  let p = d + 6;
  for (let i = 0; i < count; i++) {
    if (p + 2 > end || p + 2 + buf[p + 1]! > end) {
      sink.violation('MODBUS_BAD_OBJECT_LENGTH', `FC 43/14: object ${i + 1} of ${count} runs past the PDU end`, p - d + 8);
      return;
    }
    const id = buf[p]!;
    const olen = buf[p + 1]!;
    if (id < DEVICE_ID_KEYS.length && olen > 0) {
      let e = p + 2 + olen;
      while (e > p + 2 && (buf[e - 1] === 0 || buf[e - 1] === 0x20)) e--;
      if (e > p + 2) sink.identity(WHO_SENDER, DEVICE_ID_KEYS[id]!, buf.toString('latin1', p + 2, e));
    }
    p += 2 + olen;
  }
  if (p !== end) sink.violation('MODBUS_TRAILING_BYTES', `FC 43/14: ${end - p} bytes after ${count} objects`, p - d + 8);
}

/** True when fc (without the exception bit) is a public function code. */
function knownFc(fc: number): boolean {
  return fc < 128 && INFO[fc] !== undefined;
}

export const modbusTcp: Dissector<ModbusState> = {
  id: 'modbus',
  name: 'Modbus/TCP',
  transports: ['tcp'],
  ports: [MODBUS_PORT],
  spaces: ['function'],
  objectSpaces: ['unit'],

  /** MBAP framing: protocol id 0, length 2..260 (see MAX_TOLERATED_LEN); total = 6 + length. */
  pduLength(buf: Buffer, off: number, avail: number): number {
    if (avail >= 3 && buf[off + 2] !== 0) return -1;
    if (avail >= 4 && buf[off + 3] !== 0) return -1;
    if (avail < 6) return 0;
    const mlen = (buf[off + 4]! << 8) | buf[off + 5]!;
    if (mlen < MIN_LEN || mlen > MAX_TOLERATED_LEN) return -1;
    return 6 + mlen;
  },

  /**
   * For connections on other ports: a whole MBAP PDU with protocol id 0, a sane length and a public
   * function code (or its exception) at the start of the payload; extra bytes must start another MBAP
   * header with protocol id 0.
   */
  heuristic(buf: Buffer, off: number, len: number): boolean {
    if (len < HDR + 1) return false;
    if (buf[off + 2] !== 0 || buf[off + 3] !== 0) return false;
    const mlen = (buf[off + 4]! << 8) | buf[off + 5]!;
    if (mlen < MIN_LEN || mlen > MAX_LEN || 6 + mlen > len) return false;
    if (!knownFc(buf[off + 7]! & 0x7f)) return false;
    const rest = len - 6 - mlen;
    if (rest === 0) return true;
    const q = off + 6 + mlen;
    return rest >= 6 && buf[q + 2] === 0 && buf[q + 3] === 0;
  },

  createState(): ModbusState {
    return new ModbusState();
  },
  resetState(state: ModbusState): void {
    state.pendingTid = -1;
    state.pendingFc = -1;
  },

  decode: decodeModbus,

  describe(space: number, code: number, variant = 0): FunctionInfo {
    if (space === 0 && code >= 0 && code < 128) {
      if (code === 43 && variant === MEI_READ_DEVICE_ID) return INFO_DEVICE_ID;
      if (code === 43 && variant === MEI_CANOPEN) return INFO_CANOPEN;
      const i = INFO[code];
      if (i) return i;
    }
    return { name: unknownName(code), opClass: 'other' };
  },

  describeObject(space: number, key: number | string): string {
    return space === MODBUS_OBJECT_UNIT && typeof key === 'number' ? `unit ${key}` : String(key);
  },
};
