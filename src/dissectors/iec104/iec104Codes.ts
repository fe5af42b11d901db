/**
 * IEC 60870-5-104 codes: ASDU type identifications (IEC 60870-5-101 clause 7.2.1.1, 104 clause 8)
 * and the APCI S/U formats (104 clause 5), with their operation classes (docs/INTERFACES.md): process
 * information in monitor direction is `read`; single, double and regulating-step commands and reset
 * process are `control`; set-point, bitstring and parameter commands and clock synchronisation (it sets
 * the outstation's clock) are `write`; (counter) interrogation and read commands are `read`; file
 * transfer is `program`; test and delay acquisition are `diagnostic`; end of initialisation and the
 * APCI frames are `session`.
 */
import type { FunctionInfo, OpClass } from '../types.js';
import { unknownName } from '../types.js';

export const IEC104_SPACE_ASDU = 0;
export const IEC104_SPACE_APCI = 1;

/** APCI pseudo-codes (space 1): the U-format control octet, and 0x01 for an S-format frame. */
export const APCI_S = 0x01;
export const U_STARTDT_ACT = 0x07;
export const U_STARTDT_CON = 0x0b;
export const U_STOPDT_ACT = 0x13;
export const U_STOPDT_CON = 0x23;
export const U_TESTFR_ACT = 0x43;
export const U_TESTFR_CON = 0x83;

const TYPES: ReadonlyArray<readonly [number, string, OpClass]> = [
  [1, 'M_SP_NA_1', 'read'], [2, 'M_SP_TA_1', 'read'], [3, 'M_DP_NA_1', 'read'], [4, 'M_DP_TA_1', 'read'],
  [5, 'M_ST_NA_1', 'read'], [6, 'M_ST_TA_1', 'read'], [7, 'M_BO_NA_1', 'read'], [8, 'M_BO_TA_1', 'read'],
  [9, 'M_ME_NA_1', 'read'], [10, 'M_ME_TA_1', 'read'], [11, 'M_ME_NB_1', 'read'], [12, 'M_ME_TB_1', 'read'],
  [13, 'M_ME_NC_1', 'read'], [14, 'M_ME_TC_1', 'read'], [15, 'M_IT_NA_1', 'read'], [16, 'M_IT_TA_1', 'read'],
  [17, 'M_EP_TA_1', 'read'], [18, 'M_EP_TB_1', 'read'], [19, 'M_EP_TC_1', 'read'], [20, 'M_PS_NA_1', 'read'],
  [21, 'M_ME_ND_1', 'read'], [30, 'M_SP_TB_1', 'read'], [31, 'M_DP_TB_1', 'read'], [32, 'M_ST_TB_1', 'read'],
  [33, 'M_BO_TB_1', 'read'], [34, 'M_ME_TD_1', 'read'], [35, 'M_ME_TE_1', 'read'], [36, 'M_ME_TF_1', 'read'],
  [37, 'M_IT_TB_1', 'read'], [38, 'M_EP_TD_1', 'read'], [39, 'M_EP_TE_1', 'read'], [40, 'M_EP_TF_1', 'read'],
  [41, 'S_IT_TC_1', 'read'],
  [45, 'C_SC_NA_1', 'control'], [46, 'C_DC_NA_1', 'control'], [47, 'C_RC_NA_1', 'control'],
  [48, 'C_SE_NA_1', 'write'], [49, 'C_SE_NB_1', 'write'], [50, 'C_SE_NC_1', 'write'], [51, 'C_BO_NA_1', 'write'],
  [58, 'C_SC_TA_1', 'control'], [59, 'C_DC_TA_1', 'control'], [60, 'C_RC_TA_1', 'control'],
  [61, 'C_SE_TA_1', 'write'], [62, 'C_SE_TB_1', 'write'], [63, 'C_SE_TC_1', 'write'], [64, 'C_BO_TA_1', 'write'],
  [70, 'M_EI_NA_1', 'session'],
  [100, 'C_IC_NA_1', 'read'], [101, 'C_CI_NA_1', 'read'], [102, 'C_RD_NA_1', 'read'], [103, 'C_CS_NA_1', 'write'],
  [104, 'C_TS_NA_1', 'diagnostic'], [105, 'C_RP_NA_1', 'control'], [106, 'C_CD_NA_1', 'diagnostic'], [107, 'C_TS_TA_1', 'diagnostic'],
  [110, 'P_ME_NA_1', 'write'], [111, 'P_ME_NB_1', 'write'], [112, 'P_ME_NC_1', 'write'], [113, 'P_AC_NA_1', 'write'],
  [120, 'F_FR_NA_1', 'program'], [121, 'F_SR_NA_1', 'program'], [122, 'F_SC_NA_1', 'program'], [123, 'F_LS_NA_1', 'program'],
  [124, 'F_AF_NA_1', 'program'], [125, 'F_SG_NA_1', 'program'], [126, 'F_DR_TA_1', 'read'], [127, 'F_SC_NB_1', 'program'],
];

const APCI: ReadonlyArray<readonly [number, string]> = [
  [APCI_S, 'S_FORMAT'],
  [U_STARTDT_ACT, 'STARTDT_ACT'], [U_STARTDT_CON, 'STARTDT_CON'],
  [U_STOPDT_ACT, 'STOPDT_ACT'], [U_STOPDT_CON, 'STOPDT_CON'],
  [U_TESTFR_ACT, 'TESTFR_ACT'], [U_TESTFR_CON, 'TESTFR_CON'],
];

const TYPE_INFO = new Map<number, FunctionInfo>(TYPES.map(([c, name, opClass]) => [c, Object.freeze({ name, opClass })]));
const APCI_INFO = new Map<number, FunctionInfo>(APCI.map(([c, name]) => [c, Object.freeze({ name, opClass: 'session' as OpClass })]));

export function describeIec104(space: number, code: number): FunctionInfo {
  const i = space === IEC104_SPACE_ASDU ? TYPE_INFO.get(code) : space === IEC104_SPACE_APCI ? APCI_INFO.get(code) : undefined;
  return i ?? { name: unknownName(code), opClass: 'other' };
}

export function isKnownUFormat(ctrl: number): boolean {
  return ctrl !== APCI_S && APCI_INFO.has(ctrl);
}

/** Classes that change the outstation: its objects are marked write. */
export function changesState(typeId: number): boolean {
  const c = TYPE_INFO.get(typeId)?.opClass;
  return c === 'write' || c === 'control' || c === 'program';
}
