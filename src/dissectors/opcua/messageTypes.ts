/**
 * OPC UA Connection Protocol and Secure Conversation message types (OPC 10000-6, 7.1.2.2 Table 50
 * "OPC UA Connection Protocol Message header" and 6.7.2.2 "Message Header"): the 3 ASCII bytes of
 * MessageType read as a 24-bit big-endian number are the codes of space 1 ('message').
 *
 * Two derived codes count the chunks of MSG messages apart (6.7.2.2 IsFinal, 6.7.3):
 *  - MessageType * 256 + 'A' (e.g. MSG_ABORT): an abort chunk;
 *  - MessageType * 256 + 'C' (e.g. MSG_CONTINUATION): a chunk after the first of a multi-chunk message
 *    (only the first chunk carries the service type, so a message is counted once, on its first chunk).
 *
 * Classes: HEL, ACK, ERR, RHE are session; OPN, MSG, CLO carry a service counted in space 0 and are
 * `carrier`s (no operation of their own), as are the later and abort chunks of a message. A first
 * chunk whose service cannot be read (encrypted, malformed) has variant MESSAGE_UNREADABLE and the
 * class known without the body: OPN and CLO session, MSG other.
 */
import type { FunctionClass, FunctionInfo } from '../types.js';
import { unknownName } from '../types.js';

export const MT_HEL = 0x48454c; // 'HEL' Hello (7.1.2.3)
export const MT_ACK = 0x41434b; // 'ACK' Acknowledge (7.1.2.4)
export const MT_ERR = 0x455252; // 'ERR' Error (7.1.2.5)
export const MT_RHE = 0x524845; // 'RHE' ReverseHello (7.1.2.6)
export const MT_OPN = 0x4f504e; // 'OPN' OpenSecureChannel (6.7.2.2)
export const MT_MSG = 0x4d5347; // 'MSG' secured service message (6.7.2.2)
export const MT_CLO = 0x434c4f; // 'CLO' CloseSecureChannel (6.7.2.2)

/** IsFinal byte values (6.7.2.2). */
export const CHUNK_FINAL = 0x46; // 'F'
export const CHUNK_INTERMEDIATE = 0x43; // 'C'
export const CHUNK_ABORT = 0x41; // 'A'

/** Code of an abort chunk of message type `mt`. */
export function abortCode(mt: number): number {
  return mt * 256 + CHUNK_ABORT;
}
/** Code of a continuation chunk (second and later chunks) of message type `mt`. */
export function continuationCode(mt: number): number {
  return mt * 256 + CHUNK_INTERMEDIATE;
}

/** Smallest valid MessageSize per type (header 8 + the fixed fields of the body). */
export function minMessageSize(mt: number): number {
  switch (mt) {
    case MT_HEL:
      return 32; // 5 x UInt32 + EndpointUrl length
    case MT_ACK:
      return 28; // 5 x UInt32
    case MT_ERR:
      return 16; // Error + Reason length
    case MT_RHE:
      return 16; // ServerUri length + EndpointUrl length
    case MT_OPN:
      return 32; // SecureChannelId + 3 string lengths + sequence header
    case MT_MSG:
    case MT_CLO:
      return 24; // SecureChannelId + TokenId + sequence header
    default:
      return -1;
  }
}

export function isMessageType(mt: number): boolean {
  return minMessageSize(mt) > 0;
}

/** Message types whose IsFinal byte may be other than 'F' (6.7.2.2: "only meaningful for MSG"). */
export function isChunkedType(mt: number): boolean {
  return mt === MT_MSG;
}

/** Variant of a first chunk whose service type could not be read (encrypted body, malformed header). */
export const MESSAGE_UNREADABLE = 1;

const NAMES: ReadonlyMap<number, FunctionInfo> = new Map<number, FunctionInfo>(
  (
    [
      [MT_HEL, 'HEL', 'session'],
      [MT_ACK, 'ACK', 'session'],
      [MT_ERR, 'ERR', 'session'],
      [MT_RHE, 'RHE', 'session'],
      [MT_OPN, 'OPN', 'carrier'],
      [MT_MSG, 'MSG', 'carrier'],
      [MT_CLO, 'CLO', 'carrier'],
      [abortCode(MT_MSG), 'MSG_ABORT', 'carrier'],
      [continuationCode(MT_MSG), 'MSG_CONTINUATION', 'carrier'],
    ] as ReadonlyArray<readonly [number, string, FunctionClass]>
  ).map(([code, name, opClass]) => [code, Object.freeze({ name, opClass })]),
);

const UNREADABLE: ReadonlyMap<number, FunctionInfo> = new Map<number, FunctionInfo>([
  [MT_OPN, Object.freeze({ name: 'OPN_UNREADABLE', opClass: 'session' as const })],
  [MT_CLO, Object.freeze({ name: 'CLO_UNREADABLE', opClass: 'session' as const })],
  [MT_MSG, Object.freeze({ name: 'MSG_UNREADABLE', opClass: 'other' as const })],
]);

/** Name and class of a space-1 code (see the file comment). */
export function describeMessageType(code: number, variant = 0): FunctionInfo {
  if (variant === MESSAGE_UNREADABLE) {
    const u = UNREADABLE.get(code);
    if (u) return u;
  }
  return NAMES.get(code) ?? { name: unknownName(code), opClass: 'other' };
}
