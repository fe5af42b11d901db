/**
 * MMS (ISO 9506) and S7comm-plus on TCP 102: the ISO transport (TPKT + COTP) is the s7comm dissector's;
 * it tells from the first TSDU what the connection carries (../types.ts Dissector.carried) and the
 * session then reports `mms` or `s7comm-plus`, described by these two dissectors. They claim no port:
 * TCP 102 stays s7comm's until the content says otherwise.
 */
import type { Dissector, FunctionInfo } from '../types.js';
import { unknownName } from '../types.js';
import { createS7State, decodeS7comm, describeS7, s7comm, tpktPduLength } from '../s7comm/index.js';
import type { S7State } from '../s7comm/index.js';
import { describeMmsService, MMS_SPACE_SERVICE } from './mmsCodes.js';

export function describeMms(space: number, code: number): FunctionInfo {
  if (space === MMS_SPACE_SERVICE && code >= 0x100) return describeS7(0, code); // COTP pseudo-codes
  return describeMmsService(space, code) ?? { name: unknownName(code), opClass: 'other' };
}

const carried = (st: S7State): string | undefined => st.carries;

export const mms: Dissector<S7State> = {
  id: 'mms',
  name: 'MMS',
  transports: ['tcp'],
  ports: [],
  spaces: ['function', 'session'],
  pduLength: tpktPduLength,
  createState: createS7State,
  decode: decodeS7comm,
  carried,
  describe: describeMms,
};

export const s7commPlus: Dissector<S7State> = {
  id: 's7comm-plus',
  name: 'S7comm-plus',
  transports: ['tcp'],
  ports: [],
  spaces: s7comm.spaces,
  pduLength: tpktPduLength,
  createState: createS7State,
  decode: decodeS7comm,
  carried,
  describe: describeS7,
};

export { decodeMmsTsdu, looksLikeIsoSession, MmsState, MMS_SERVICE_UNKNOWN } from './decodeMmsTsdu.js';
export * from './mmsCodes.js';
