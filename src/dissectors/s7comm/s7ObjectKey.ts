/**
 * Numeric object keys reported by the s7comm dissector through sink.object() (cheap: numbers, no
 * strings on the hot path), and their decoders for later stages (reports, designs).
 *
 *  object space 0 (OBJ_VARIABLE): s7ObjectKey(area, db, address) of a Read/Write Var S7ANY item;
 *     address is the raw 24-bit S7ANY address (byte address << 3 | bit), db 0 outside DBs.
 *  object space 1 (OBJ_BLOCK): s7BlockKey(blockType, number), blockType the block type code
 *     (0x08 OB, 0x0a DB, 0x0b SDB, 0x0c FC, 0x0d SFC, 0x0e FB, 0x0f SFB).
 *  object space 2 (OBJ_SZL): szlKey(id, index).
 * All keys stay below 2^53, so they are exact JavaScript numbers.
 */
import {
  AREA_ANALOG_IN,
  AREA_ANALOG_OUT,
  AREA_COUNTER,
  AREA_DB,
  AREA_DI,
  AREA_FLAGS,
  AREA_IEC_COUNTER,
  AREA_IEC_TIMER,
  AREA_INPUTS,
  AREA_LOCAL,
  AREA_OUTPUTS,
  AREA_PERIPHERAL,
  AREA_PREVIOUS_LOCAL,
  AREA_SYSFLAGS,
  AREA_SYSINFO,
  AREA_TIMER,
  OBJ_BLOCK,
  OBJ_SZL,
  OBJ_VARIABLE,
} from './s7Codes.js';

const TWO_24 = 0x1000000;
const TWO_40 = 0x10000000000;

/** Key of an S7ANY item: area (8 bits) | DB number (16 bits) | raw address (24 bits). */
export function s7ObjectKey(area: number, db: number, address: number): number {
  return (area & 0xff) * TWO_40 + (db & 0xffff) * TWO_24 + (address & 0xffffff);
}

export interface S7Variable {
  area: number;
  db: number;
  /** Raw S7ANY address: byte << 3 | bit (for counters/timers: the number). */
  address: number;
}

export function decodeS7ObjectKey(key: number): S7Variable {
  const area = Math.floor(key / TWO_40) & 0xff;
  const rest = key - area * TWO_40;
  const db = Math.floor(rest / TWO_24) & 0xffff;
  return { area, db, address: rest - db * TWO_24 };
}

const AREA_LETTERS: ReadonlyMap<number, string> = new Map([
  [AREA_SYSINFO, 'SI'],
  [AREA_SYSFLAGS, 'SF'],
  [AREA_ANALOG_IN, 'AI'],
  [AREA_ANALOG_OUT, 'AQ'],
  [AREA_COUNTER, 'C'],
  [AREA_TIMER, 'T'],
  [AREA_IEC_COUNTER, 'IEC_C'],
  [AREA_IEC_TIMER, 'IEC_T'],
  [AREA_PERIPHERAL, 'P'],
  [AREA_INPUTS, 'I'],
  [AREA_OUTPUTS, 'Q'],
  [AREA_FLAGS, 'M'],
  [AREA_DB, 'DB'],
  [AREA_DI, 'DI'],
  [AREA_LOCAL, 'L'],
  [AREA_PREVIOUS_LOCAL, 'V'],
]);

/** Human form of a variable key: `DB1.DBX10.2`, `M0.0`, `Q1.0`, `C5`, `T3`, `area 0x99 12.0`. */
export function formatS7ObjectKey(key: number): string {
  const { area, db, address } = decodeS7ObjectKey(key);
  if (area === AREA_COUNTER || area === AREA_TIMER || area === AREA_IEC_COUNTER || area === AREA_IEC_TIMER) {
    return `${AREA_LETTERS.get(area)}${address}`;
  }
  const where = `${address >>> 3}.${address & 7}`;
  if (area === AREA_DB) return `DB${db}.DBX${where}`;
  if (area === AREA_DI) return `DI${db}.DIX${where}`;
  const letters = AREA_LETTERS.get(area);
  return letters ? `${letters}${where}` : `area 0x${area.toString(16)} ${where}`;
}

/** Key of a program block: block type (subblock code) << 20 | block number (5 decimal digits). */
export function s7BlockKey(blockType: number, number: number): number {
  return (blockType & 0xff) * 0x100000 + (number & 0xfffff);
}

/** Key of an SZL read: SZL id << 16 | index. */
export function szlKey(id: number, index: number): number {
  return (id & 0xffff) * 0x10000 + (index & 0xffff);
}

/** Block type codes (the two hex characters of a block file name, Wireshark packet-s7comm.c). */
const BLOCK_TYPES: ReadonlyMap<number, string> = new Map([
  [0x08, 'OB'],
  [0x0a, 'DB'],
  [0x0b, 'SDB'],
  [0x0c, 'FC'],
  [0x0d, 'SFC'],
  [0x0e, 'FB'],
  [0x0f, 'SFB'],
]);

/** Human form of a block key: `OB1`, `FC3`, `DB10`; an unknown type `block 0x41 7`. */
export function formatS7BlockKey(key: number): string {
  const type = Math.floor(key / 0x100000) & 0xff;
  const number = key % 0x100000;
  const letters = BLOCK_TYPES.get(type);
  return letters ? `${letters}${number}` : `block 0x${type.toString(16).padStart(2, '0')} ${number}`;
}

/** Human form of an SZL key: `SZL 0x0011 index 0x0000`. */
export function formatSzlKey(key: number): string {
  const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
  return `SZL ${hex(Math.floor(key / 0x10000) & 0xffff)} index ${hex(key % 0x10000)}`;
}

/** Dissector.describeObject of s7comm: object spaces 'variable', 'block', 'szl'. */
export function describeS7Object(space: number, key: number | string): string {
  if (typeof key === 'string') return key;
  if (space === OBJ_VARIABLE) return formatS7ObjectKey(key);
  if (space === OBJ_BLOCK) return formatS7BlockKey(key);
  if (space === OBJ_SZL) return formatSzlKey(key);
  return String(key);
}
