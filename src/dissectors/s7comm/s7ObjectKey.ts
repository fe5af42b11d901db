/**
 * Object keys reported by the s7comm dissector through sink.object() (cheap: numbers, no strings on
 * the hot path for the items engineers write), and their renderings for later stages.
 *
 *  object space 0 (OBJ_VARIABLE): s7ObjectKey(area, db, address, transportSize, count) of a Read/Write
 *     Var S7ANY item; address is the raw 24-bit S7ANY address (byte address << 3 | bit; for counters
 *     and timers the number). Rendered as engineers write ANY pointers: `DB10.DBX4.0`, `M100.3`,
 *     `DB10.DBB4`, `MB100`, `IW0`, `MD100`, `C5`, `T3`, with `[n]` when the item holds n > 1 elements
 *     (`DB10.DBB0[20]`, `T0[8]`). Transport sizes are read as in Wireshark's packet-s7comm.c: BIT is X,
 *     BYTE and CHAR are B, WORD, INT, DATE and S5TIME are W, DWORD, DINT, REAL, TIME_OF_DAY and TIME
 *     are D; COUNTER / TIMER items count counters and timers.
 *  object space 1 (OBJ_BLOCK): s7BlockKey(blockType, number), blockType the block type code
 *     (0x08 OB, 0x0a DB, 0x0b SDB, 0x0c FC, 0x0d SFC, 0x0e FB, 0x0f SFB).
 *  object space 2 (OBJ_SZL): szlKey(id, index).
 * Numeric keys stay below 2^48 (the flow sink's per-space key range).
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

/** The 16 S7ANY areas with their letters; the index is the area's 4-bit number in a variable key. */
const AREAS: ReadonlyArray<readonly [number, string]> = [
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
];
const AREA_LETTERS: ReadonlyMap<number, string> = new Map(AREAS);
/** Area code -> index in AREAS, -1 for an unknown area. */
const AREA_INDEX = new Int8Array(256).fill(-1);
AREAS.forEach(([code], i) => (AREA_INDEX[code] = i));

/** S7ANY transport sizes (packet-s7comm.c, "Transport sizes in item data"). */
export const TS_BIT = 0x01;
export const TS_BYTE = 0x02;
export const TS_WORD = 0x04;
export const TS_DWORD = 0x06;
const TRANSPORT_NAMES: ReadonlyMap<number, string> = new Map([
  [0x01, 'BIT'],
  [0x02, 'BYTE'],
  [0x03, 'CHAR'],
  [0x04, 'WORD'],
  [0x05, 'INT'],
  [0x06, 'DWORD'],
  [0x07, 'DINT'],
  [0x08, 'REAL'],
  [0x09, 'DATE'],
  [0x0a, 'TOD'],
  [0x0b, 'TIME'],
  [0x0c, 'S5TIME'],
  [0x0f, 'DATE_AND_TIME'],
  [0x1c, 'COUNTER'],
  [0x1d, 'TIMER'],
  [0x1e, 'IEC_TIMER'],
  [0x1f, 'IEC_COUNTER'],
  [0x20, 'HS_COUNTER'],
]);

const CLASS_X = 0;
const CLASS_B = 1;
const CLASS_W = 2;
const CLASS_D = 3;
const CLASS_LETTERS = ['X', 'B', 'W', 'D'];
/** The representative transport size of each class (what decodeS7ObjectKey returns). */
const CLASS_SIZES = [TS_BIT, TS_BYTE, TS_WORD, TS_DWORD];
/** Transport size -> CLASS_*, -1 when the item is not written as X/B/W/D. */
const SIZE_CLASS = new Int8Array(256).fill(-1);
for (const [size, c] of [
  [0x01, CLASS_X],
  [0x02, CLASS_B],
  [0x03, CLASS_B],
  [0x04, CLASS_W],
  [0x05, CLASS_W],
  [0x09, CLASS_W],
  [0x0c, CLASS_W],
  [0x06, CLASS_D],
  [0x07, CLASS_D],
  [0x08, CLASS_D],
  [0x0a, CLASS_D],
  [0x0b, CLASS_D],
] as const) {
  SIZE_CLASS[size] = c;
}

function isCounterOrTimer(area: number): boolean {
  return area === AREA_COUNTER || area === AREA_TIMER || area === AREA_IEC_COUNTER || area === AREA_IEC_TIMER;
}

export interface S7Variable {
  area: number;
  /** DB (or instance DB) number; 0 outside the DB and DI areas. */
  db: number;
  /** Raw S7ANY address: byte << 3 | bit (for counters/timers: the number). */
  address: number;
  /** Transport size (a numeric key keeps its class: BIT, BYTE, WORD or DWORD for X/B/W/D). */
  size: number;
  /** Number of elements of that size. */
  count: number;
}

const TWO_10 = 0x400;
const TWO_26 = 0x4000000;
const TWO_42 = 0x40000000000;
const TWO_44 = 0x100000000000;

/**
 * Key of a Read/Write Var S7ANY item. A number for every item of a known area with a byte address
 * below 65536, an X/B/W/D size (any size in the counter and timer areas) and a count up to 1024 (128
 * for bits): area index (4 bits) | size class (2) | DB (16) | byte address or number (16) | for X the
 * bit (3) and count - 1 (7), else count - 1 (10). Any other item is keyed by its rendering (a string).
 */
export function s7ObjectKey(area: number, db: number, address: number, size: number, count: number): number | string {
  const ai = AREA_INDEX[area & 0xff]!;
  const ct = isCounterOrTimer(area);
  const cls = ct ? CLASS_B : SIZE_CLASS[size & 0xff]!;
  const byte = ct ? address : address >>> 3;
  const bit = ct ? 0 : address & 7;
  const inDb = area === AREA_DB || area === AREA_DI;
  let low: number;
  if (cls === CLASS_X && count >= 1 && count <= 128) low = bit * 128 + count - 1;
  else if (cls > CLASS_X && bit === 0 && count >= 1 && count <= 1024) low = count - 1;
  else low = -1;
  if (ai < 0 || cls < 0 || low < 0 || byte > 0xffff) return formatS7Item(area, db, address, size, count);
  return ai * TWO_44 + cls * TWO_42 + (inDb ? db & 0xffff : 0) * TWO_26 + byte * TWO_10 + low;
}

/** The parts of a numeric variable key (the size is its class's representative). */
export function decodeS7ObjectKey(key: number): S7Variable {
  const ai = Math.floor(key / TWO_44) & 0xf;
  const cls = Math.floor(key / TWO_42) & 3;
  const db = Math.floor(key / TWO_26) & 0xffff;
  const byte = Math.floor(key / TWO_10) & 0xffff;
  const low = key % TWO_10;
  const area = AREAS[ai]![0];
  if (isCounterOrTimer(area)) return { area, db, address: byte, size: area === AREA_COUNTER || area === AREA_IEC_COUNTER ? 0x1c : 0x1d, count: low + 1 };
  if (cls === CLASS_X) return { area, db, address: byte * 8 + (low >>> 7), size: TS_BIT, count: (low & 0x7f) + 1 };
  return { area, db, address: byte * 8, size: CLASS_SIZES[cls]!, count: low + 1 };
}

/**
 * The ANY pointer as engineers write it: `DB10.DBX4.0`, `M100.3`, `DB10.DBB4`, `MB100`, `IW0`,
 * `MD100`, `C5`, `T3`, `DB10.DBB0[20]`; a size with no X/B/W/D letter is named (`DB1.DBX0.0
 * DATE_AND_TIME`, `size 0x42`), an unknown area shown by its code (`area 0x99 12.1`).
 */
export function formatS7Item(area: number, db: number, address: number, size: number, count: number): string {
  const n = count === 1 ? '' : `[${count}]`;
  const letters = AREA_LETTERS.get(area);
  if (letters !== undefined && isCounterOrTimer(area)) return `${letters}${address}${n}`;
  const byte = address >>> 3;
  const bit = address & 7;
  const cls = SIZE_CLASS[size & 0xff]!;
  let prefix: string;
  let bitLetter: string;
  if (area === AREA_DB || area === AREA_DI) {
    prefix = `${letters}${db}.${letters}`;
    bitLetter = 'X';
  } else {
    prefix = letters ?? `area 0x${area.toString(16)} `;
    bitLetter = '';
  }
  if (cls === CLASS_X) return `${prefix}${bitLetter}${byte}.${bit}${n}`;
  if (cls > CLASS_X) return `${prefix}${CLASS_LETTERS[cls]}${byte}${bit === 0 ? '' : `.${bit}`}${n}`;
  const name = TRANSPORT_NAMES.get(size) ?? `size 0x${size.toString(16).padStart(2, '0')}`;
  return `${prefix}${bitLetter}${byte}.${bit} ${name}${n}`;
}

/** Human form of a variable key (numeric or already rendered). */
export function formatS7ObjectKey(key: number | string): string {
  if (typeof key === 'string') return key;
  const v = decodeS7ObjectKey(key);
  return formatS7Item(v.area, v.db, v.address, v.size, v.count);
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
