/**
 * pcapng blocks (draft-ietf-opsawg-pcapng §3.1 layout): walks the complete blocks in the window and
 * delivers the packets of §4.3 Enhanced Packet Blocks, §4.4 Simple Packet Blocks and Appendix A
 * obsolete Packet Blocks; sections and interfaces go to pcapngInterfaces.ts; other types are skipped
 * (§3.1: a reader skips blocks it does not know). A packet whose time a Date cannot hold (a huge
 * if_tsoffset, a coarse if_tsresol, garbage) is dropped with an error; an odd one is kept with a warning.
 */
import type { DiagnosticCode } from '../diagnosticCatalogue.js';
import type { ParseState } from './parseState.js';
import { PcapngSection, readInterfaceBlock, readSectionBlock, unitText, type PcapngInterface } from './pcapngInterfaces.js';
import { MAX_CAPLEN } from './pcapRecords.js';
import { SHB_TYPE } from './detectFormat.js';
import { BACKWARDS_WARN_SEC, MAX_DATE_SEC, pcapngTime, PLAUSIBLE_FROM_SEC, PLAUSIBLE_UNTIL_SEC } from './timestamps.js';

/** Largest pcapng block we accept at all (any type). */
export const MAX_BLOCK_LENGTH = 16 * 1024 * 1024;

// Block types (draft-ietf-opsawg-pcapng §10.1).
export const BT_SHB = SHB_TYPE;
export const BT_IDB = 1;
export const BT_PB = 2; // obsolete Packet Block (Appendix A)
export const BT_SPB = 3;
export const BT_EPB = 6;
export const BT_JOURNAL = 9;
export const BT_DSB = 10;
export const BT_CUSTOM = 0xbad;
export const BT_CUSTOM_NOCOPY = 0x40000bad;
export const BT_SYSDIG_EVENT = 0x204;
export const BOM = 0x1a2b3c4d;

export function isPacketBlock(type: number): boolean {
  return type === BT_EPB || type === BT_PB || type === BT_SPB;
}

/**
 * Walks complete blocks from s.start. Returns true when it stopped at a damaged block header (a
 * diagnostic was reported, s.start is one past it): the caller resynchronises.
 */
export function parsePcapngBlocks(s: ParseState, section: PcapngSection): boolean {
  const end = s.end;
  const dv = s.dv;
  let p = s.start;
  for (;;) {
    if (s.stopped) break;
    if (end - p < 12) {
      s.need = 12;
      break;
    }
    const type = dv.getUint32(p, s.le);
    if (type === BT_SHB) {
      // §4.1: the byte-order magic decides this section's endianness.
      const bomLe = dv.getUint32(p + 8, true);
      if (bomLe === BOM) s.le = true;
      else if (dv.getUint32(p + 8, false) === BOM) s.le = false;
      else return badBlock(s, p, 'PCAPNG_BAD_BYTE_ORDER_MAGIC', `section header with byte-order magic 0x${bomLe.toString(16)}`);
    }
    const le = s.le;
    const len = dv.getUint32(p + 4, le);
    if (len < 12 || (len & 3) !== 0 || len > MAX_BLOCK_LENGTH) {
      return badBlock(s, p, 'PCAPNG_BAD_BLOCK_LENGTH', `block type 0x${type.toString(16)} with total length ${len} (must be a multiple of 4, >= 12)`);
    }
    if (end - p < len) {
      s.need = len;
      break;
    }
    const trail = dv.getUint32(p + len - 4, le);
    if (trail !== len) {
      return badBlock(s, p, 'PCAPNG_BLOCK_LENGTH_MISMATCH', `block type 0x${type.toString(16)}: total length ${len} but trailing length ${trail}`);
    }
    switch (type) {
      case BT_EPB:
      case BT_PB:
        packetBlock(s, section, p, len, type);
        break;
      case BT_SPB:
        simplePacketBlock(s, section, p, len);
        break;
      case BT_IDB:
        readInterfaceBlock(s, section, p, len);
        break;
      case BT_SHB:
        readSectionBlock(s, section, p, len);
        break;
      case BT_CUSTOM:
      case BT_CUSTOM_NOCOPY:
      case BT_JOURNAL:
      case BT_SYSDIG_EVENT:
        // Not packets, but Wireshark (4.0) numbers them as frames: count them so frame numbers
        // stay Wireshark's; they are not delivered.
        s.frames++;
        break;
      default:
        break; // NRB, ISB, DSB, unknown: skipped
    }
    p += len;
    s.endOffset = s.base + p;
  }
  s.start = p;
  return false;
}

/** Reports a damaged block at p and leaves the window one byte past it, for the resync. */
export function badBlock(s: ParseState, p: number, code: DiagnosticCode, message: string): true {
  // A damaged packet block still counts as a frame, so the frames after it keep their numbers.
  const packet = isPacketBlock(s.dv.getUint32(p, s.le));
  if (packet) s.frames++;
  s.diag(code, 'error', `${message}; resynchronising`, packet ? s.frames : s.frames + 1, s.base + p);
  s.damageAt = s.base + p;
  s.start = p + 1;
  return true;
}

/** §4.3 Enhanced Packet Block, and Appendix A obsolete Packet Block (16-bit interface id). */
function packetBlock(s: ParseState, section: PcapngSection, p: number, len: number, type: number): void {
  const dv = s.dv;
  const le = s.le;
  const frame = ++s.frames;
  const at = s.base + p;
  if (len < 32) {
    s.diag('PCAPNG_BAD_PACKET', 'error', `packet block of ${len} bytes (< 32)`, frame, at);
    return;
  }
  const ifid = type === BT_EPB ? dv.getUint32(p + 8, le) : dv.getUint16(p + 8, le);
  const hi = dv.getUint32(p + 12, le);
  const lo = dv.getUint32(p + 16, le);
  const caplen = dv.getUint32(p + 20, le);
  const origlen = dv.getUint32(p + 24, le);
  if (caplen > len - 32 || caplen > MAX_CAPLEN) {
    s.diag('PCAPNG_BAD_CAPLEN', 'error', `captured length ${caplen} does not fit a block of ${len} bytes`, frame, at);
    return;
  }
  const iface = section.interfaces[ifid];
  if (iface === undefined) {
    s.diag('PCAPNG_UNKNOWN_INTERFACE', 'error', `packet on interface ${ifid}, but the section describes ${section.interfaces.length}`, frame, at);
    return;
  }
  const rec = s.rec;
  pcapngTime(hi, lo, iface.resol, iface.offsetSec, rec);
  // pcapngTime gives integers and 0 <= nsec < 1e9: the range is what isDateTime has left to check.
  if (!(rec.tsSec > -MAX_DATE_SEC && rec.tsSec < MAX_DATE_SEC)) {
    if (at >= s.startOffset) badPacketTime(s, iface, hi, lo, ifid, frame, at);
    return;
  }
  if (origlen < caplen && at >= s.startOffset) {
    s.diag('PCAPNG_ORIGLEN_SHORT', 'warning', `original length ${origlen} < captured length ${caplen}`, frame, at);
  }
  deliver(s, section, iface, p + 28, caplen, origlen, ifid, frame, at);
}

/** The error for a packet whose time a Date cannot hold (kept out of the hot path). */
function badPacketTime(s: ParseState, iface: PcapngInterface, hi: number, lo: number, ifid: number, frame: number, at: number): void {
  const units = (BigInt(hi) << 32n) | BigInt(lo);
  const offset = iface.offsetSec !== 0 ? ` plus if_tsoffset ${iface.offsetSec} s` : '';
  s.badTime(
    'PCAPNG_BAD_TIMESTAMP',
    `timestamp ${units} x ${unitText(iface)} on interface ${ifid}${offset} is ${s.rec.tsSec} s, beyond what a date holds (±${MAX_DATE_SEC} s)`,
    frame,
    at,
  );
}

/** §4.4 Simple Packet Block: interface 0, no timestamp (the previous packet block's is used). */
function simplePacketBlock(s: ParseState, section: PcapngSection, p: number, len: number): void {
  const frame = ++s.frames;
  const at = s.base + p;
  if (len < 16) {
    s.diag('PCAPNG_BAD_PACKET', 'error', `simple packet block of ${len} bytes (< 16)`, frame, at);
    return;
  }
  if (section.interfaces.length === 0) {
    s.diag('PCAPNG_UNKNOWN_INTERFACE', 'error', 'simple packet block before any interface description', frame, at);
    return;
  }
  const origlen = s.dv.getUint32(p + 8, s.le);
  // §4.4: captured length = min(original length, block body size).
  const caplen = Math.min(origlen, len - 16);
  s.rec.tsSec = section.lastAnySec;
  s.rec.tsNsec = section.lastAnyNsec;
  deliver(s, section, section.interfaces[0], p + 12, caplen, origlen, 0, frame, at);
}

function deliver(
  s: ParseState,
  section: PcapngSection,
  iface: PcapngInterface,
  data: number,
  caplen: number,
  origlen: number,
  ifid: number,
  frame: number,
  at: number,
): void {
  const rec = s.rec;
  const sec = rec.tsSec;
  const nsec = rec.tsNsec;
  section.lastAnySec = sec;
  section.lastAnyNsec = nsec;
  s.prevSec = sec;
  if (at < s.startOffset) return;
  const prev = iface.lastSec;
  if (sec < PLAUSIBLE_FROM_SEC || sec >= PLAUSIBLE_UNTIL_SEC || sec + BACKWARDS_WARN_SEC < prev) s.watch.odd(ifid, sec, prev, frame, at);
  iface.lastSec = sec;
  rec.data = s.buf;
  rec.offset = data;
  rec.caplen = caplen;
  rec.origlen = origlen;
  rec.linktype = iface.linktype;
  rec.interfaceId = ifid;
  rec.frame = frame;
  rec.fileOffset = at;
  rec.dataFileOffset = s.base + data;
  if (!s.hasFirst) s.delivered(sec, nsec);
  s.lastSec = sec;
  s.lastNsec = nsec;
  s.records++;
  s.onRecord(rec);
}
