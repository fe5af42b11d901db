/**
 * MMS (ISO 9506-2) confirmed service choices (ConfirmedServiceRequest context tags) with operation
 * classes (docs/INTERFACES.md): reads, name lists and attribute reads are `read`, writes and the
 * definition/deletion of variables, lists and journals `write`; file transfer out of the server
 * (fileOpen/fileRead/fileClose/fileDirectory) is `read`, into it (obtainFile, fileDelete, fileRename)
 * `program`, like domain and program-invocation management; start/stop/reset/kill are `control`;
 * identify and status `diagnostic`. Space 1 'session' holds the association-level PDUs.
 *
 * Space 0 also names the COTP pseudo-codes (>= 0x100) the ISO transport layer reports (see
 * ../s7comm/s7Codes.ts), so that one connection's functions are described by one dissector.
 */
import type { FunctionInfo, OpClass } from '../types.js';
import { unknownName } from '../types.js';

export const MMS_SPACE_SERVICE = 0;
export const MMS_SPACE_SESSION = 1;

/** Space 1 codes: MMS PDU tags outside confirmed services, and ISO session connect/accept. */
export const MMS_INITIATE_REQUEST = 8;
export const MMS_INITIATE_RESPONSE = 9;
export const MMS_INITIATE_ERROR = 10;
export const MMS_CONCLUDE_REQUEST = 11;
export const MMS_CONCLUDE_RESPONSE = 12;
export const MMS_CONCLUDE_ERROR = 13;
export const MMS_UNCONFIRMED = 3;
export const MMS_REJECT = 4;
export const MMS_CANCEL_REQUEST = 5;
export const MMS_CANCEL_RESPONSE = 6;
export const MMS_CANCEL_ERROR = 7;

const SERVICES: ReadonlyArray<readonly [number, string, OpClass]> = [
  [0, 'STATUS', 'diagnostic'], [1, 'GET_NAME_LIST', 'read'], [2, 'IDENTIFY', 'diagnostic'], [3, 'RENAME', 'write'],
  [4, 'READ', 'read'], [5, 'WRITE', 'write'], [6, 'GET_VARIABLE_ACCESS_ATTRIBUTES', 'read'],
  [7, 'DEFINE_NAMED_VARIABLE', 'write'], [8, 'DEFINE_SCATTERED_ACCESS', 'write'], [9, 'GET_SCATTERED_ACCESS_ATTRIBUTES', 'read'],
  [10, 'DELETE_VARIABLE_ACCESS', 'write'], [11, 'DEFINE_NAMED_VARIABLE_LIST', 'write'], [12, 'GET_NAMED_VARIABLE_LIST_ATTRIBUTES', 'read'],
  [13, 'DELETE_NAMED_VARIABLE_LIST', 'write'], [14, 'DEFINE_NAMED_TYPE', 'write'], [15, 'GET_NAMED_TYPE_ATTRIBUTES', 'read'],
  [16, 'DELETE_NAMED_TYPE', 'write'], [17, 'INPUT', 'read'], [18, 'OUTPUT', 'write'], [19, 'TAKE_CONTROL', 'control'],
  [20, 'RELINQUISH_CONTROL', 'control'], [21, 'DEFINE_SEMAPHORE', 'write'], [22, 'DELETE_SEMAPHORE', 'write'],
  [23, 'REPORT_SEMAPHORE_STATUS', 'read'], [24, 'REPORT_POOL_SEMAPHORE_STATUS', 'read'], [25, 'REPORT_SEMAPHORE_ENTRY_STATUS', 'read'],
  [26, 'INITIATE_DOWNLOAD_SEQUENCE', 'program'], [27, 'DOWNLOAD_SEGMENT', 'program'], [28, 'TERMINATE_DOWNLOAD_SEQUENCE', 'program'],
  [29, 'INITIATE_UPLOAD_SEQUENCE', 'program'], [30, 'UPLOAD_SEGMENT', 'program'], [31, 'TERMINATE_UPLOAD_SEQUENCE', 'program'],
  [32, 'REQUEST_DOMAIN_DOWNLOAD', 'program'], [33, 'REQUEST_DOMAIN_UPLOAD', 'program'], [34, 'LOAD_DOMAIN_CONTENT', 'program'],
  [35, 'STORE_DOMAIN_CONTENT', 'program'], [36, 'DELETE_DOMAIN', 'program'], [37, 'GET_DOMAIN_ATTRIBUTES', 'read'],
  [38, 'CREATE_PROGRAM_INVOCATION', 'program'], [39, 'DELETE_PROGRAM_INVOCATION', 'program'], [40, 'START', 'control'],
  [41, 'STOP', 'control'], [42, 'RESUME', 'control'], [43, 'RESET', 'control'], [44, 'KILL', 'control'],
  [45, 'GET_PROGRAM_INVOCATION_ATTRIBUTES', 'read'], [46, 'OBTAIN_FILE', 'program'], [47, 'DEFINE_EVENT_CONDITION', 'write'],
  [48, 'DELETE_EVENT_CONDITION', 'write'], [49, 'GET_EVENT_CONDITION_ATTRIBUTES', 'read'], [50, 'REPORT_EVENT_CONDITION_STATUS', 'read'],
  [51, 'ALTER_EVENT_CONDITION_MONITORING', 'write'], [52, 'TRIGGER_EVENT', 'control'], [53, 'DEFINE_EVENT_ACTION', 'write'],
  [54, 'DELETE_EVENT_ACTION', 'write'], [55, 'GET_EVENT_ACTION_ATTRIBUTES', 'read'], [56, 'REPORT_EVENT_ACTION_STATUS', 'read'],
  [57, 'DEFINE_EVENT_ENROLLMENT', 'write'], [58, 'DELETE_EVENT_ENROLLMENT', 'write'], [59, 'ALTER_EVENT_ENROLLMENT', 'write'],
  [60, 'REPORT_EVENT_ENROLLMENT_STATUS', 'read'], [61, 'GET_EVENT_ENROLLMENT_ATTRIBUTES', 'read'], [62, 'ACKNOWLEDGE_EVENT_NOTIFICATION', 'write'],
  [63, 'GET_ALARM_SUMMARY', 'read'], [64, 'GET_ALARM_ENROLLMENT_SUMMARY', 'read'], [65, 'READ_JOURNAL', 'read'],
  [66, 'WRITE_JOURNAL', 'write'], [67, 'INITIALIZE_JOURNAL', 'write'], [68, 'REPORT_JOURNAL_STATUS', 'read'],
  [69, 'CREATE_JOURNAL', 'write'], [70, 'DELETE_JOURNAL', 'write'], [71, 'GET_CAPABILITY_LIST', 'read'],
  [72, 'FILE_OPEN', 'read'], [73, 'FILE_READ', 'read'], [74, 'FILE_CLOSE', 'read'], [75, 'FILE_RENAME', 'program'],
  [76, 'FILE_DELETE', 'program'], [77, 'FILE_DIRECTORY', 'read'],
];
const SESSION: ReadonlyArray<readonly [number, string]> = [
  [MMS_UNCONFIRMED, 'UNCONFIRMED_PDU'], [MMS_REJECT, 'REJECT'], [MMS_CANCEL_REQUEST, 'CANCEL_REQUEST'],
  [MMS_CANCEL_RESPONSE, 'CANCEL_RESPONSE'], [MMS_CANCEL_ERROR, 'CANCEL_ERROR'], [MMS_INITIATE_REQUEST, 'INITIATE_REQUEST'],
  [MMS_INITIATE_RESPONSE, 'INITIATE_RESPONSE'], [MMS_INITIATE_ERROR, 'INITIATE_ERROR'], [MMS_CONCLUDE_REQUEST, 'CONCLUDE_REQUEST'],
  [MMS_CONCLUDE_RESPONSE, 'CONCLUDE_RESPONSE'], [MMS_CONCLUDE_ERROR, 'CONCLUDE_ERROR'],
];

const SVC = new Map<number, FunctionInfo>(SERVICES.map(([c, name, opClass]) => [c, Object.freeze({ name, opClass })]));
const SES = new Map<number, FunctionInfo>(SESSION.map(([c, name]) => [c, Object.freeze({ name, opClass: 'session' as OpClass })]));

export function describeMmsService(space: number, code: number): FunctionInfo | undefined {
  return space === MMS_SPACE_SERVICE ? SVC.get(code) : space === MMS_SPACE_SESSION ? SES.get(code) : undefined;
}

export function mmsChangesState(service: number): boolean {
  const c = SVC.get(service)?.opClass;
  return c === 'write' || c === 'control' || c === 'program';
}

export { unknownName };
