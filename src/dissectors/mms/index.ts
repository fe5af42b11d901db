/**
 * MMS (ISO 9506) and S7comm-plus on TCP 102: the ISO transport (TPKT + COTP) is the s7comm dissector's;
 * it tells from the first TSDU what the connection carries (../types.ts Dissector.carried) and the
 * session then reports `mms` or `s7comm-plus`, described by these two dissectors. They claim no port:
 * TCP 102 stays s7comm's until the content says otherwise.
 */
import type { Dissector, FunctionInfo } from '../types.js';
import { unknownName } from '../types.js';
import { SPACE_COTP, createS7State, decodeS7comm, resetS7State, describeS7, s7comm, tpktPduLength } from '../s7comm/index.js';
import type { S7State } from '../s7comm/index.js';
import { describeMmsService } from './mmsCodes.js';

/** The ISO transport's COTP TPDUs keep s7comm's space number (SPACE_COTP) on an MMS connection. */
export const MMS_SPACES: readonly string[] = ['function', 'session', 'unused', 'cotp'];

export function describeMms(space: number, code: number): FunctionInfo {
  if (space === SPACE_COTP) return describeS7(SPACE_COTP, code);
  return describeMmsService(space, code) ?? { name: unknownName(code), opClass: 'other' };
}

const carried = (st: S7State): string | undefined => st.carries;

export const mms: Dissector<S7State> = {
  id: 'mms',
  name: 'MMS',
  transports: ['tcp'],
  ports: [],
  spaces: MMS_SPACES,
  pduLength: tpktPduLength,
  createState: createS7State,
  resetState: resetS7State,
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
  resetState: resetS7State,
  decode: decodeS7comm,
  carried,
  describe: describeS7,
};

export { decodeMmsTsdu, looksLikeIsoSession, MmsState, MMS_SERVICE_UNKNOWN } from './decodeMmsTsdu.js';
export * from './mmsCodes.js';
