/**
 * CIP service codes (ODVA CIP Vol. 1, Appendix A, table A-3.1 "CIP Common services") and the
 * object-specific services (codes 0x4B-0x63, table: their meaning depends on the class) of
 * the objects met in plants: Connection Manager (Vol. 1 3-5.5), File object (Vol. 1 5A-42),
 * Modbus object (Vol. 7A), PCCC object and the Logix Symbol/Template objects (Rockwell Logix 5000
 * Data Access, publication 1756-PM020). Operation classes follow ../shared/design/INTERFACES.md.
 */
import type { FunctionClass, FunctionInfo } from '../types.js';
import { unknownName } from '../types.js';

export const CIP_GET_ATTRIBUTES_ALL = 0x01;
export const CIP_MULTIPLE_SERVICE_PACKET = 0x0a;
export const CIP_UNCONNECTED_SEND = 0x52;
export const CIP_FORWARD_OPEN = 0x54;
export const CIP_LARGE_FORWARD_OPEN = 0x5b;
export const CIP_FORWARD_CLOSE = 0x4e;

export const CLASS_IDENTITY = 0x01;
export const CLASS_MESSAGE_ROUTER = 0x02;
export const CLASS_CONNECTION_MANAGER = 0x06;
export const CLASS_FILE = 0x37;
export const CLASS_MODBUS = 0x44;
export const CLASS_PCCC = 0x67;
/** Logix Symbol object: the implicit class of symbolic (tag name) request paths. */
export const CLASS_SYMBOL = 0x6b;
export const CLASS_TEMPLATE = 0x6c;

/** Object-specific service codes (Vol. 1 table ): their meaning depends on the class. */
export function isObjectSpecific(service: number): boolean {
  return service >= 0x4b && service <= 0x63;
}

function info(name: string, opClass: FunctionClass): FunctionInfo {
  return { name, opClass };
}

const COMMON = new Map<number, FunctionInfo>([
  [0x01, info('GET_ATTRIBUTES_ALL', 'read')],
  [0x02, info('SET_ATTRIBUTES_ALL', 'write')],
  [0x03, info('GET_ATTRIBUTE_LIST', 'read')],
  [0x04, info('SET_ATTRIBUTE_LIST', 'write')],
  [0x05, info('RESET', 'control')],
  [0x06, info('START', 'control')],
  [0x07, info('STOP', 'control')],
  [0x08, info('CREATE', 'write')],
  [0x09, info('DELETE', 'write')],
  // A container: the embedded services are counted with their own classes (a carrier, no operation).
  [0x0a, info('MULTIPLE_SERVICE_PACKET', 'carrier')],
  [0x0d, info('APPLY_ATTRIBUTES', 'write')],
  [0x0e, info('GET_ATTRIBUTE_SINGLE', 'read')],
  [0x10, info('SET_ATTRIBUTE_SINGLE', 'write')],
  [0x11, info('FIND_NEXT_OBJECT_INSTANCE', 'read')],
  [0x14, info('ERROR_RESPONSE', 'other')],
  [0x15, info('RESTORE', 'write')],
  [0x16, info('SAVE', 'write')],
  [0x17, info('NO_OPERATION', 'session')],
  [0x18, info('GET_MEMBER', 'read')],
  [0x19, info('SET_MEMBER', 'write')],
  [0x1a, info('INSERT_MEMBER', 'write')],
  [0x1b, info('REMOVE_MEMBER', 'write')],
  [0x1c, info('GROUP_SYNC', 'diagnostic')],
]);

/** (class << 8 | service) -> info, for object-specific services. */
const SPECIFIC = new Map<number, FunctionInfo>();
function specific(classId: number, service: number, name: string, opClass: FunctionClass): void {
  SPECIFIC.set(classId * 256 + service, info(name, opClass));
}
// Connection Manager (Vol. 1 3-5.5, table 3-5.11).
specific(CLASS_CONNECTION_MANAGER, 0x4e, 'FORWARD_CLOSE', 'session');
// A container: the embedded request is counted too (and its reply comes back unwrapped): a carrier.
specific(CLASS_CONNECTION_MANAGER, 0x52, 'UNCONNECTED_SEND', 'carrier');
specific(CLASS_CONNECTION_MANAGER, 0x54, 'FORWARD_OPEN', 'session');
specific(CLASS_CONNECTION_MANAGER, 0x56, 'GET_CONNECTION_DATA', 'diagnostic');
specific(CLASS_CONNECTION_MANAGER, 0x57, 'SEARCH_CONNECTION_DATA', 'diagnostic');
specific(CLASS_CONNECTION_MANAGER, 0x5a, 'GET_CONNECTION_OWNER', 'diagnostic');
specific(CLASS_CONNECTION_MANAGER, 0x5b, 'LARGE_FORWARD_OPEN', 'session');
// File object (Vol. 1 5A-42): transfers of files (programs, EDS, firmware) -> program.
specific(CLASS_FILE, 0x4b, 'INITIATE_UPLOAD', 'program');
specific(CLASS_FILE, 0x4c, 'INITIATE_DOWNLOAD', 'program');
specific(CLASS_FILE, 0x4d, 'INITIATE_PARTIAL_READ', 'program');
specific(CLASS_FILE, 0x4e, 'INITIATE_PARTIAL_WRITE', 'program');
specific(CLASS_FILE, 0x4f, 'UPLOAD_TRANSFER', 'program');
specific(CLASS_FILE, 0x50, 'DOWNLOAD_TRANSFER', 'program');
specific(CLASS_FILE, 0x51, 'CLEAR_FILE', 'program');
// Modbus object (Vol. 7A, 5-3).
specific(CLASS_MODBUS, 0x4b, 'READ_DISCRETE_INPUTS', 'read');
specific(CLASS_MODBUS, 0x4c, 'READ_COILS', 'read');
specific(CLASS_MODBUS, 0x4d, 'READ_INPUT_REGISTERS', 'read');
specific(CLASS_MODBUS, 0x4e, 'READ_HOLDING_REGISTERS', 'read');
specific(CLASS_MODBUS, 0x4f, 'WRITE_COILS', 'write');
specific(CLASS_MODBUS, 0x50, 'WRITE_HOLDING_REGISTERS', 'write');
specific(CLASS_MODBUS, 0x51, 'MODBUS_PASSTHROUGH', 'other');
// PCCC object: a tunnelled PCCC command of any kind.
specific(CLASS_PCCC, 0x4b, 'EXECUTE_PCCC', 'other');
// Logix Symbol object (1756-PM020): tag services.
specific(CLASS_SYMBOL, 0x4c, 'READ_TAG', 'read');
specific(CLASS_SYMBOL, 0x4d, 'WRITE_TAG', 'write');
specific(CLASS_SYMBOL, 0x4e, 'READ_MODIFY_WRITE_TAG', 'write');
specific(CLASS_SYMBOL, 0x52, 'READ_TAG_FRAGMENTED', 'read');
specific(CLASS_SYMBOL, 0x53, 'WRITE_TAG_FRAGMENTED', 'write');
specific(CLASS_SYMBOL, 0x55, 'GET_INSTANCE_ATTRIBUTE_LIST', 'read');
// Logix Template object.
specific(CLASS_TEMPLATE, 0x4c, 'READ_TEMPLATE', 'read');

/** Operation class of a CIP service without allocating (the hot path's version of describeCipService). */
export function cipOpClass(service: number, classId = 0): FunctionClass {
  const common = COMMON.get(service);
  if (common) return common.opClass;
  if (isObjectSpecific(service)) {
    const s = SPECIFIC.get(classId * 256 + service);
    if (s) return s.opClass;
  }
  return 'other';
}

/**
 * Name and operation class of CIP service `service` (request code, without the 0x80 reply bit).
 * `classId` tells object-specific services apart (0x52 on the Connection Manager is
 * UNCONNECTED_SEND, on a Logix tag READ_TAG_FRAGMENTED); it is ignored for common services.
 * Unknown codes keep their number: `Unknown (0x4b)`, class 'other'.
 */
export function describeCipService(service: number, classId = 0): FunctionInfo {
  const common = COMMON.get(service);
  if (common) return common;
  if (isObjectSpecific(service)) {
    const s = SPECIFIC.get(classId * 256 + service);
    if (s) return s;
  }
  return { name: unknownName(service), opClass: 'other' };
}
