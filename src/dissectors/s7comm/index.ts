/**
 * S7comm (Siemens S7-300/400/1200 "S7 communication", protocol id 0x32) over ISO-on-TCP (RFC 1006 TPKT
 * + ISO 8073 COTP class 0) on TCP 102, with recognition of S7comm-plus (protocol id 0x72, S7-1200/1500).
 *
 * Code spaces (see s7Codes.ts):
 *   0 'function'    : S7 parameter function code (Read Var 0x04, Write Var 0x05, ...) and 0x200
 *                     (Ack whose Job was not seen); variant = PI service (FN_PI_SERVICE only).
 *   1 'userdata'    : (function group << 8) | subfunction, e.g. 0x0401 Read SZL.
 *   2 's7comm-plus' : S7comm-plus function code (0x054C GetMultiVariables, ...); 0x10033 notification,
 *                     0x200FF / 0x200FE keep-alives.
 *   3 'cotp'        : COTP TPDUs carrying no S7 PDU, by TPDU code (CR 0xE0, CC 0xD0, DR 0x80, DC 0xC0,
 *                     ER 0x70, DT segment 0xF0).
 * Objects (sink.object): space 0 'variable' Read/Write Var items (s7ObjectKey, shown `DB10.DBX4.0`,
 * `MB100`, `DB10.DBW4`, `MD100`, `T3`, `DB10.DBB0[20]`),
 * 1 'block' (s7BlockKey, shown `OB1`), 2 'szl' (szlKey, shown `SZL 0x0011 index 0x0000`). Identity: SZL 0x0011/0x001C answers (order_number, firmware, module, serial, ...), COTP
 * called TSAP (rack_slot).
 */
import type { Dissector } from '../types.js';
import type { S7State } from './createS7State.js';
import { createS7State, resetS7State } from './createS7State.js';
import { decodeS7comm, s7Heuristic, tpktPduLength } from './decodeS7comm.js';
import { describeS7 } from './describeS7.js';
import { describeS7Object } from './s7ObjectKey.js';

export const s7comm: Dissector<S7State> = {
  id: 's7comm',
  name: 'S7comm',
  transports: ['tcp'],
  ports: [102],
  spaces: ['function', 'userdata', 's7comm-plus', 'cotp'],
  objectSpaces: ['variable', 'block', 'szl'],
  heuristic: s7Heuristic,
  pduLength: tpktPduLength,
  createState: createS7State,
  resetState: resetS7State,
  decode: decodeS7comm,
  carried: (st) => st.carries,
  describe: describeS7,
  describeObject: describeS7Object,
};

export { createS7State, resetS7State, S7State } from './createS7State.js';
export { decodeS7comm, s7Heuristic, tpktPduLength } from './decodeS7comm.js';
export { describeS7 } from './describeS7.js';
export { decodeS7ObjectKey, describeS7Object, formatS7BlockKey, formatS7Item, formatS7ObjectKey, formatSzlKey, s7BlockKey, s7ObjectKey, szlKey } from './s7ObjectKey.js';
export type { S7Variable } from './s7ObjectKey.js';
export * from './s7Codes.js';
