/**
 * Code numbers of the s7comm dissector's four code spaces (Dissector.spaces):
 *
 *  space 0 'function'    : the S7comm parameter function code of Job / Ack / Ack_Data PDUs
 *                          (0x00..0xff), plus the pseudo-code 0x200 for an Ack whose Job was not seen.
 *  space 1 'userdata'    : S7comm Userdata (ROSCTR 7): (function group << 8) | subfunction.
 *  space 2 's7comm-plus' : S7comm-plus (protocol id 0x72) function code (0x0000..0xffff), plus
 *                          pseudo-codes >= 0x10000 for PDUs that carry no function code.
 *  space 3 'cotp'        : ISO 8073 COTP TPDUs that carry no S7 PDU, by their TPDU code (never among
 *                          the S7 functions: they are the transport, not S7 requests).
 */

export const SPACE_FUNCTION = 0;
export const SPACE_USERDATA = 1;
export const SPACE_PLUS = 2;
export const SPACE_COTP = 3;

// --- S7comm protocol (Wireshark packet-s7comm.c naming; no public Siemens spec) ---
export const S7_PROTOCOL_ID = 0x32;
export const S7PLUS_PROTOCOL_ID = 0x72;

/** ROSCTR (PDU type) values of the S7comm header. */
export const ROSCTR_JOB = 1;
export const ROSCTR_ACK = 2;
export const ROSCTR_ACK_DATA = 3;
export const ROSCTR_USERDATA = 7;

/** Parameter function codes (space 0). */
export const FN_CPU_SERVICES = 0x00;
export const FN_READ_VAR = 0x04;
export const FN_WRITE_VAR = 0x05;
export const FN_REQUEST_DOWNLOAD = 0x1a;
export const FN_DOWNLOAD_BLOCK = 0x1b;
export const FN_DOWNLOAD_ENDED = 0x1c;
export const FN_START_UPLOAD = 0x1d;
export const FN_UPLOAD = 0x1e;
export const FN_END_UPLOAD = 0x1f;
export const FN_PI_SERVICE = 0x28;
export const FN_PLC_STOP = 0x29;
export const FN_SETUP_COMMUNICATION = 0xf0;

/**
 * Codes in space 3 ('cotp') for ISO transport (RFC 1006 TPKT + ISO 8073 COTP class 0) TPDUs: the
 * TPDU code (ISO 8073 13.1, table 8). COTP DT TPDUs that complete an S7 PDU are counted by the S7
 * function they carry, never as COTP.
 */
export const FN_COTP_CR = 0xe0; // connection request
export const FN_COTP_CC = 0xd0; // connection confirm
export const FN_COTP_DR = 0x80; // disconnect request
export const FN_COTP_DC = 0xc0; // disconnect confirm
export const FN_COTP_ER = 0x70; // TPDU error
/** A COTP DT TPDU without EOT: one segment of an S7 PDU, buffered until the segment with EOT (a carrier). */
export const FN_COTP_DT_SEGMENT = 0xf0;
/** ROSCTR 2 Ack whose Job (same PDU reference) was not seen on this connection. */
export const FN_S7_ACK = 0x200;

/** Variants of FN_PI_SERVICE (space 0): which PI (program invocation) service was named. */
export const PI_OTHER = 0;
export const PI_INSE = 1;
export const PI_DELE = 2;
export const PI_P_PROGRAM = 3;
export const PI_GARB = 4;
export const PI_MODU = 5;
/** Sinumerik NC services (_N_...). */
export const PI_NC = 6;

/** Userdata function groups (space 1: group << 8 | subfunction). */
export const UD_GROUP_MODE_TRANSITION = 0x0;
export const UD_GROUP_PROGRAMMER = 0x1;
export const UD_GROUP_CYCLIC = 0x2;
export const UD_GROUP_BLOCK = 0x3;
export const UD_GROUP_CPU = 0x4;
export const UD_GROUP_SECURITY = 0x5;
export const UD_GROUP_PBC = 0x6;
export const UD_GROUP_TIME = 0x7;
export const UD_GROUP_NC_PROGRAMMING = 0xf;

export const UD_READ_SZL = (UD_GROUP_CPU << 8) | 0x01;
export const UD_BLOCK_INFO = (UD_GROUP_BLOCK << 8) | 0x03;

// --- S7comm-plus (space 2) ---
export const PLUS_OPCODE_REQUEST = 0x31;
export const PLUS_OPCODE_RESPONSE = 0x32;
export const PLUS_OPCODE_NOTIFICATION = 0x33;
/** Seen from HMIs on cyclic data (Wireshark s7comm_plus plugin: "Response2"). */
export const PLUS_OPCODE_RESPONSE2 = 0x02;

export const PLUS_FN_ERROR = 0x04b1;
export const PLUS_FN_EXPLORE = 0x04bb;
export const PLUS_FN_CREATE_OBJECT = 0x04ca;
export const PLUS_FN_DELETE_OBJECT = 0x04d4;
export const PLUS_FN_SET_VARIABLE = 0x04f2;
export const PLUS_FN_GET_VARIABLE = 0x04fc;
export const PLUS_FN_ADD_LINK = 0x0506;
export const PLUS_FN_REMOVE_LINK = 0x051a;
export const PLUS_FN_GET_LINK = 0x0524;
export const PLUS_FN_SET_MULTI_VARIABLES = 0x0542;
export const PLUS_FN_GET_MULTI_VARIABLES = 0x054c;
export const PLUS_FN_BEGIN_SEQUENCE = 0x0556;
export const PLUS_FN_END_SEQUENCE = 0x0560;
export const PLUS_FN_INVOKE = 0x056b;
export const PLUS_FN_SET_VAR_SUBSTREAMED = 0x057c;
export const PLUS_FN_GET_VAR_SUBSTREAMED = 0x0586;
export const PLUS_FN_GET_VARIABLES_ADDRESS = 0x0590;
export const PLUS_FN_ABORT = 0x059a;

/** Pseudo-codes in space 2 (no function code in the PDU). */
export const PLUS_NOTIFICATION = 0x10000 | PLUS_OPCODE_NOTIFICATION;
/** A PDU with an unknown opcode X is counted as 0x10000 | X (named `Unknown (0x1XXXX)`). */
export const PLUS_OPCODE_BASE = 0x10000;
export const PLUS_KEEP_ALIVE = 0x200ff;
export const PLUS_EXT_KEEP_ALIVE = 0x200fe;

/** S7 memory areas of Read/Write Var S7ANY items. */
export const AREA_SYSINFO = 0x03;
export const AREA_SYSFLAGS = 0x05;
export const AREA_ANALOG_IN = 0x06;
export const AREA_ANALOG_OUT = 0x07;
export const AREA_COUNTER = 0x1c;
export const AREA_TIMER = 0x1d;
export const AREA_IEC_COUNTER = 0x1e;
export const AREA_IEC_TIMER = 0x1f;
export const AREA_PERIPHERAL = 0x80;
export const AREA_INPUTS = 0x81;
export const AREA_OUTPUTS = 0x82;
export const AREA_FLAGS = 0x83;
export const AREA_DB = 0x84;
export const AREA_DI = 0x85;
export const AREA_LOCAL = 0x86;
export const AREA_PREVIOUS_LOCAL = 0x87;

/** Object spaces used in sink.object() (Dissector.objectSpaces: 'variable', 'block', 'szl'). */
export const OBJ_VARIABLE = 0; // Read/Write Var item: s7ObjectKey(area, db, address)
export const OBJ_BLOCK = 1; // program block: s7BlockKey(type, number)
export const OBJ_SZL = 2; // SZL id << 16 | index
