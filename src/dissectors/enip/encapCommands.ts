/**
 * EtherNet/IP encapsulation commands (ODVA CIP Vol. 2, EtherNet/IP Adaptation of CIP, 2-3.2
 * "Command field", table 2-3.2) with their names and operation classes
 * (../shared/design/INTERFACES.md "Operation classes").
 */
import type { FunctionInfo } from '../types.js';
import { unknownName } from '../types.js';

export const ENIP_NOP = 0x0000;
export const ENIP_LIST_SERVICES = 0x0004;
export const ENIP_LIST_IDENTITY = 0x0063;
export const ENIP_LIST_INTERFACES = 0x0064;
export const ENIP_REGISTER_SESSION = 0x0065;
export const ENIP_UNREGISTER_SESSION = 0x0066;
export const ENIP_SEND_RR_DATA = 0x006f;
export const ENIP_SEND_UNIT_DATA = 0x0070;
export const ENIP_INDICATE_STATUS = 0x0072;
export const ENIP_CANCEL = 0x0073;
/** CIP Vol. 8 (CIP Security) 3-5: StartDTLS over UDP. */
export const ENIP_START_DTLS = 0x00c8;

const COMMANDS = new Map<number, FunctionInfo>([
  [ENIP_NOP, { name: 'NOP', opClass: 'session' }],
  [ENIP_LIST_SERVICES, { name: 'LIST_SERVICES', opClass: 'diagnostic' }],
  [ENIP_LIST_IDENTITY, { name: 'LIST_IDENTITY', opClass: 'diagnostic' }],
  [ENIP_LIST_INTERFACES, { name: 'LIST_INTERFACES', opClass: 'diagnostic' }],
  [ENIP_REGISTER_SESSION, { name: 'REGISTER_SESSION', opClass: 'session' }],
  [ENIP_UNREGISTER_SESSION, { name: 'UNREGISTER_SESSION', opClass: 'session' }],
  // SendRRData / SendUnitData only carry CIP messages, which are counted (and classed) in space 0:
  // carriers, no operation of their own (each PDU counts in one operation class).
  [ENIP_SEND_RR_DATA, { name: 'SEND_RR_DATA', opClass: 'carrier' }],
  [ENIP_SEND_UNIT_DATA, { name: 'SEND_UNIT_DATA', opClass: 'carrier' }],
  [ENIP_INDICATE_STATUS, { name: 'INDICATE_STATUS', opClass: 'diagnostic' }],
  [ENIP_CANCEL, { name: 'CANCEL', opClass: 'session' }],
  [ENIP_START_DTLS, { name: 'START_DTLS', opClass: 'session' }],
]);

/** True when `code` is a command defined by Vol. 2 table 2-3.2 (or Vol. 8 StartDTLS). */
export function isKnownEncapCommand(code: number): boolean {
  return COMMANDS.has(code);
}

/** Name and operation class of an encapsulation command; unknown commands keep their number. */
export function describeEncapCommand(code: number): FunctionInfo {
  return COMMANDS.get(code) ?? { name: unknownName(code), opClass: 'other' };
}
