/**
 * Names and operation classes of the s7comm dissector's codes (see s7Codes.ts for the spaces).
 * Classes follow ../shared/design/INTERFACES.md "Operation classes": S7 Read Var read, Write Var
 * write, block download/upload program, PLC stop/start and PI services control, SZL reads and
 * identity requests diagnostic, Setup Communication session.
 * Names follow Wireshark's packet-s7comm.c / s7comm_plus plugin (Thomas Wiens), upper-snake.
 */
import type { FunctionClass, FunctionInfo } from '../types.js';
import { unknownName } from '../types.js';
import {
  FN_COTP_CC,
  FN_COTP_CR,
  FN_COTP_DC,
  FN_COTP_DR,
  FN_COTP_DT_SEGMENT,
  FN_COTP_ER,
  FN_PI_SERVICE,
  FN_S7_ACK,
  PI_DELE,
  PI_GARB,
  PI_INSE,
  PI_MODU,
  PI_NC,
  PI_P_PROGRAM,
  PLUS_EXT_KEEP_ALIVE,
  PLUS_KEEP_ALIVE,
  PLUS_NOTIFICATION,
  SPACE_COTP,
  SPACE_FUNCTION,
  SPACE_PLUS,
  SPACE_USERDATA,
} from './s7Codes.js';

type Table = ReadonlyMap<number, FunctionInfo>;

function table(rows: Array<[number, string, FunctionClass]>): Table {
  return new Map(rows.map(([code, name, opClass]) => [code, Object.freeze({ name, opClass })]));
}

/** Space 0: S7comm parameter function codes (and the unmatched-Ack pseudo-code). */
const FUNCTIONS = table([
  [0x00, 'CPU_SERVICES', 'other'],
  [0x04, 'READ_VAR', 'read'],
  [0x05, 'WRITE_VAR', 'write'],
  [0x1a, 'REQUEST_DOWNLOAD', 'program'],
  [0x1b, 'DOWNLOAD_BLOCK', 'program'],
  [0x1c, 'DOWNLOAD_ENDED', 'program'],
  [0x1d, 'START_UPLOAD', 'program'],
  [0x1e, 'UPLOAD', 'program'],
  [0x1f, 'END_UPLOAD', 'program'],
  [0x28, 'PI_SERVICE', 'control'],
  [0x29, 'PLC_STOP', 'control'],
  [0xf0, 'SETUP_COMMUNICATION', 'session'],
  [FN_S7_ACK, 'ACK', 'other'],
]);

/**
 * Space 3: COTP TPDUs that carry no S7 PDU. Connection set-up and tear-down are session; a DT
 * segment carries part of an S7 PDU, which is counted (once) by its own function when complete.
 */
const COTP = table([
  [FN_COTP_CR, 'COTP_CONNECTION_REQUEST', 'session'],
  [FN_COTP_CC, 'COTP_CONNECTION_CONFIRM', 'session'],
  [FN_COTP_DR, 'COTP_DISCONNECT_REQUEST', 'session'],
  [FN_COTP_DC, 'COTP_DISCONNECT_CONFIRM', 'session'],
  [FN_COTP_ER, 'COTP_TPDU_ERROR', 'session'],
  [FN_COTP_DT_SEGMENT, 'COTP_DT_SEGMENT', 'carrier'],
]);

/** PI service variants of FN_PI_SERVICE (all 'control' per INTERFACES.md: "PI services"). */
const PI_NAMES: ReadonlyMap<number, string> = new Map([
  [PI_INSE, 'PI_SERVICE_INSE'], // activate (insert) downloaded blocks
  [PI_DELE, 'PI_SERVICE_DELE'], // delete blocks
  [PI_P_PROGRAM, 'PI_SERVICE_P_PROGRAM'], // PLC start (warm / cold restart)
  [PI_GARB, 'PI_SERVICE_GARB'], // compress memory
  [PI_MODU, 'PI_SERVICE_MODU'], // copy RAM to ROM
  [PI_NC, 'PI_SERVICE_NC'], // Sinumerik _N_ services
]);

/** Space 1: userdata (group << 8 | subfunction). */
const USERDATA = table([
  // group 0: mode transition (push from the CPU; subfunction = the new mode)
  [0x0000, 'MODE_TRANSITION_STOP', 'diagnostic'],
  [0x0001, 'MODE_TRANSITION_WARM_RESTART', 'diagnostic'],
  [0x0002, 'MODE_TRANSITION_RUN', 'diagnostic'],
  [0x0003, 'MODE_TRANSITION_HOT_RESTART', 'diagnostic'],
  [0x0004, 'MODE_TRANSITION_HOLD', 'diagnostic'],
  [0x0006, 'MODE_TRANSITION_COLD_RESTART', 'diagnostic'],
  [0x0009, 'MODE_TRANSITION_RUN_R', 'diagnostic'],
  [0x0011, 'MODE_TRANSITION_LINK_UP', 'diagnostic'],
  [0x0012, 'MODE_TRANSITION_UPDATE', 'diagnostic'],
  // group 1: programmer commands (test and installation functions). Status and stack reads are
  // diagnostic; modify variable writes process data; force, breakpoints, exit HOLD and memory
  // reset change how the CPU runs, so they are control.
  [0x0101, 'BLOCK_STATUS', 'diagnostic'],
  [0x0102, 'VARIABLE_STATUS', 'diagnostic'],
  [0x0103, 'OUTPUT_ISTACK', 'diagnostic'],
  [0x0104, 'OUTPUT_BSTACK', 'diagnostic'],
  [0x0105, 'OUTPUT_LSTACK', 'diagnostic'],
  [0x0106, 'TIME_MEASUREMENT', 'diagnostic'],
  [0x0107, 'FORCE_SELECTION', 'diagnostic'],
  [0x0108, 'MODIFY_VARIABLE', 'write'],
  [0x0109, 'FORCE', 'control'],
  [0x010a, 'BREAKPOINT', 'control'],
  [0x010b, 'EXIT_HOLD', 'control'],
  [0x010c, 'MEMORY_RESET', 'control'],
  [0x010d, 'DISABLE_JOB', 'diagnostic'],
  [0x010e, 'ENABLE_JOB', 'diagnostic'],
  [0x010f, 'DELETE_JOB', 'diagnostic'],
  [0x0110, 'READ_JOB_LIST', 'diagnostic'],
  [0x0111, 'READ_JOB', 'diagnostic'],
  [0x0112, 'REPLACE_JOB', 'diagnostic'],
  [0x0113, 'BLOCK_STATUS_V2', 'diagnostic'],
  [0x0116, 'FLASH_LED', 'diagnostic'],
  // group 2: cyclic services (subscriptions are read, as OPC UA subscriptions)
  [0x0201, 'CYCLIC_TRANSFER', 'read'],
  [0x0204, 'CYCLIC_UNSUBSCRIBE', 'read'],
  [0x0205, 'CYCLIC_CHANGE_DRIVEN', 'read'],
  [0x0207, 'CYCLIC_CHANGE_DRIVEN_MODIFY', 'read'],
  [0x0208, 'CYCLIC_RDREC', 'read'],
  // group 3: block functions
  [0x0301, 'LIST_BLOCKS', 'diagnostic'],
  [0x0302, 'LIST_BLOCKS_OF_TYPE', 'diagnostic'],
  [0x0303, 'GET_BLOCK_INFO', 'diagnostic'],
  // group 4: CPU functions
  [0x0401, 'READ_SZL', 'diagnostic'],
  [0x0402, 'MESSAGE_SERVICE', 'diagnostic'],
  [0x0403, 'DIAGNOSTIC_MESSAGE', 'diagnostic'],
  [0x0405, 'ALARM_8_INDICATION', 'diagnostic'],
  [0x0406, 'NOTIFY_INDICATION', 'diagnostic'],
  [0x0407, 'ALARM_8_LOCK', 'diagnostic'],
  [0x0408, 'ALARM_8_UNLOCK', 'diagnostic'],
  [0x0409, 'SCAN_INDICATION', 'diagnostic'],
  [0x040b, 'ALARM_ACK', 'diagnostic'],
  [0x040c, 'ALARM_ACK_INDICATION', 'diagnostic'],
  [0x040d, 'ALARM_LOCK_INDICATION', 'diagnostic'],
  [0x040e, 'ALARM_UNLOCK_INDICATION', 'diagnostic'],
  [0x0411, 'ALARM_SQ_INDICATION', 'diagnostic'],
  [0x0412, 'ALARM_S_INDICATION', 'diagnostic'],
  [0x0413, 'ALARM_QUERY', 'diagnostic'],
  [0x0416, 'NOTIFY_8_INDICATION', 'diagnostic'],
  // group 5: security (PLC password: legitimation of the connection)
  [0x0501, 'PLC_PASSWORD', 'session'],
  [0x0502, 'CLEAN_SESSION', 'session'],
  // group 6: programmed block communication BSEND/BRECV (data pushed into the partner)
  [0x0601, 'BSEND_BRECV', 'write'],
  // group 7: time functions (setting the clock changes CPU state: control)
  [0x0701, 'READ_CLOCK', 'diagnostic'],
  [0x0702, 'SET_CLOCK', 'control'],
  [0x0703, 'READ_CLOCK_FOLLOWING', 'diagnostic'],
  [0x0704, 'SET_CLOCK_2', 'control'],
  // group 0xf: Sinumerik NC programming (file download/upload)
  [0x0f01, 'NC_REQUEST_DOWNLOAD', 'program'],
  [0x0f02, 'NC_DOWNLOAD_BLOCK', 'program'],
  [0x0f03, 'NC_CONTINUE_DOWNLOAD', 'program'],
  [0x0f04, 'NC_DOWNLOAD_ENDED', 'program'],
  [0x0f06, 'NC_START_UPLOAD', 'program'],
  [0x0f07, 'NC_UPLOAD', 'program'],
  [0x0f08, 'NC_CONTINUE_UPLOAD', 'program'],
]);

/**
 * Space 2: S7comm-plus function codes. GetVariable is 0x04FC (0x0524 is GetLink) per the
 * s7comm_plus Wireshark plugin. Explore browses the object tree: read, as OPC UA Browse.
 * Invoke calls a method on a PLC object: write, as OPC UA Call.
 */
const PLUS = table([
  [0x04b1, 'ERROR', 'other'],
  [0x04bb, 'EXPLORE', 'read'],
  [0x04ca, 'CREATE_OBJECT', 'session'],
  [0x04d4, 'DELETE_OBJECT', 'session'],
  [0x04f2, 'SET_VARIABLE', 'write'],
  [0x04fc, 'GET_VARIABLE', 'read'],
  [0x0506, 'ADD_LINK', 'other'],
  [0x051a, 'REMOVE_LINK', 'other'],
  [0x0524, 'GET_LINK', 'read'],
  [0x0542, 'SET_MULTI_VARIABLES', 'write'],
  [0x054c, 'GET_MULTI_VARIABLES', 'read'],
  [0x0556, 'BEGIN_SEQUENCE', 'other'],
  [0x0560, 'END_SEQUENCE', 'other'],
  [0x056b, 'INVOKE', 'write'],
  [0x057c, 'SET_VAR_SUBSTREAMED', 'write'],
  [0x0586, 'GET_VAR_SUBSTREAMED', 'read'],
  [0x0590, 'GET_VARIABLES_ADDRESS', 'read'],
  [0x059a, 'ABORT', 'session'],
  [PLUS_NOTIFICATION, 'NOTIFICATION', 'read'],
  [PLUS_KEEP_ALIVE, 'KEEP_ALIVE', 'session'],
  [PLUS_EXT_KEEP_ALIVE, 'EXTENDED_KEEP_ALIVE', 'session'],
]);

function unknown(code: number): FunctionInfo {
  return { name: unknownName(code), opClass: 'other' };
}

/** describe() of the s7comm dissector: never throws; unknown codes are `Unknown (0x..)`, 'other'. */
export function describeS7(space: number, code: number, variant = 0): FunctionInfo {
  let t: Table | undefined;
  if (space === SPACE_FUNCTION) t = FUNCTIONS;
  else if (space === SPACE_USERDATA) t = USERDATA;
  else if (space === SPACE_PLUS) t = PLUS;
  else if (space === SPACE_COTP) t = COTP;
  const info = t?.get(code);
  if (!info) return unknown(code);
  if (space === SPACE_FUNCTION && code === FN_PI_SERVICE && variant !== 0) {
    const name = PI_NAMES.get(variant);
    if (name) return { name, opClass: info.opClass };
  }
  return info;
}
