/**
 * DNP3 function codes (IEEE 1815-2012 table 4-2 application layer, section 9.2.4.1.3 link layer) with
 * their operation classes (docs/INTERFACES.md): controls (select/operate, freezes, restarts, start/stop
 * of applications, enable/disable of unsolicited reporting, which changes what the master is told) are
 * `control`; file transfer and configuration activation are `program`; responses carry data and are `read`.
 */
import type { FunctionInfo, OpClass } from '../types.js';
import { unknownName } from '../types.js';

export const DNP3_SPACE_APP = 0;
export const DNP3_SPACE_LINK = 1;

export const FC_CONFIRM = 0x00;
export const FC_RESPONSE = 0x81;
export const FC_UNSOLICITED_RESPONSE = 0x82;
export const FC_AUTHENTICATE_RESPONSE = 0x83;

const APP: ReadonlyArray<readonly [number, string, OpClass]> = [
  [0x00, 'CONFIRM', 'session'],
  [0x01, 'READ', 'read'],
  [0x02, 'WRITE', 'write'],
  [0x03, 'SELECT', 'control'],
  [0x04, 'OPERATE', 'control'],
  [0x05, 'DIRECT_OPERATE', 'control'],
  [0x06, 'DIRECT_OPERATE_NR', 'control'],
  [0x07, 'IMMED_FREEZE', 'control'],
  [0x08, 'IMMED_FREEZE_NR', 'control'],
  [0x09, 'FREEZE_CLEAR', 'control'],
  [0x0a, 'FREEZE_CLEAR_NR', 'control'],
  [0x0b, 'FREEZE_AT_TIME', 'control'],
  [0x0c, 'FREEZE_AT_TIME_NR', 'control'],
  [0x0d, 'COLD_RESTART', 'control'],
  [0x0e, 'WARM_RESTART', 'control'],
  [0x0f, 'INITIALIZE_DATA', 'control'],
  [0x10, 'INITIALIZE_APPL', 'control'],
  [0x11, 'START_APPL', 'control'],
  [0x12, 'STOP_APPL', 'control'],
  [0x13, 'SAVE_CONFIG', 'program'],
  [0x14, 'ENABLE_UNSOLICITED', 'control'],
  [0x15, 'DISABLE_UNSOLICITED', 'control'],
  [0x16, 'ASSIGN_CLASS', 'write'],
  [0x17, 'DELAY_MEASURE', 'diagnostic'],
  [0x18, 'RECORD_CURRENT_TIME', 'session'],
  [0x19, 'OPEN_FILE', 'program'],
  [0x1a, 'CLOSE_FILE', 'program'],
  [0x1b, 'DELETE_FILE', 'program'],
  [0x1c, 'GET_FILE_INFO', 'read'],
  [0x1d, 'AUTHENTICATE_FILE', 'program'],
  [0x1e, 'ABORT_FILE', 'program'],
  [0x1f, 'ACTIVATE_CONFIG', 'program'],
  [0x20, 'AUTHENTICATE_REQ', 'session'],
  [0x21, 'AUTH_REQ_NO_ACK', 'session'],
  [0x81, 'RESPONSE', 'read'],
  [0x82, 'UNSOLICITED_RESPONSE', 'read'],
  [0x83, 'AUTHENTICATE_RESP', 'session'],
];

/** Link function codes: PRM bit (0x40) | function; primary 0x40.., secondary 0x00... */
const LINK: ReadonlyArray<readonly [number, string]> = [
  [0x40, 'RESET_LINK_STATES'],
  [0x41, 'RESET_USER_PROCESS'],
  [0x42, 'TEST_LINK_STATES'],
  [0x43, 'CONFIRMED_USER_DATA'],
  [0x44, 'UNCONFIRMED_USER_DATA'],
  [0x49, 'REQUEST_LINK_STATUS'],
  [0x00, 'ACK'],
  [0x01, 'NACK'],
  [0x0b, 'LINK_STATUS'],
  [0x0f, 'NOT_SUPPORTED'],
];

const APP_INFO = new Map<number, FunctionInfo>(APP.map(([c, name, opClass]) => [c, Object.freeze({ name, opClass })]));
const LINK_INFO = new Map<number, FunctionInfo>(LINK.map(([c, name]) => [c, Object.freeze({ name, opClass: 'session' as OpClass })]));

export function describeDnp3(space: number, code: number): FunctionInfo {
  const i = space === DNP3_SPACE_APP ? APP_INFO.get(code) : space === DNP3_SPACE_LINK ? LINK_INFO.get(code) : undefined;
  return i ?? { name: unknownName(code), opClass: 'other' };
}

export function isWriteOrControl(fc: number): boolean {
  const c = APP_INFO.get(fc)?.opClass;
  return c === 'write' || c === 'control' || c === 'program';
}

/**
 * Request functions whose object headers are followed by object data (IEEE 1815-2012 section 4.4):
 * WRITE, SELECT, OPERATE, DIRECT_OPERATE(_NR), FREEZE_AT_TIME(_NR), the file and authentication
 * requests. The others (READ, freezes, restarts, (dis)enable unsolicited, ASSIGN_CLASS) carry headers only.
 */
const CARRY_DATA = new Set([0x02, 0x03, 0x04, 0x05, 0x06, 0x0b, 0x0c, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21]);
export function carriesObjects(fc: number): boolean {
  return CARRY_DATA.has(fc);
}
