/**
 * Resynchronisation after damage: scanning forward for the next plausible pcap record header or
 * pcapng block, so the good records after a damaged one are still delivered.
 *
 * A candidate must look like a real record: sane lengths (never more than MAX_CAPLEN, whatever the
 * header's snaplen says), a sub-second field below a second, a time a Date holds and near the last good
 * record's (or, before any, inside 1990..2100), and a plausible successor. pcapng candidates sit on
 * 4-byte aligned offsets only (§3.1: every block length is a multiple of 4) and must repeat their
 * length in the trailer.
 */
import type { ParseState } from './parseState.js';
import {
  BOM,
  BT_CUSTOM,
  BT_CUSTOM_NOCOPY,
  BT_DSB,
  BT_EPB,
  BT_IDB,
  BT_PB,
  BT_SHB,
  BT_SPB,
  BT_SYSDIG_EVENT,
} from './pcapngBlocks.js';
import type { PcapngSection } from './pcapngInterfaces.js';
import { MAX_CAPLEN, type PcapFormat } from './pcapRecords.js';
import { isResumeTime, pcapngTime, type TimeOut } from './timestamps.js';

/** Largest block a resync candidate may claim (keeps the look-ahead bounded). */
export const RESYNC_MAX_BLOCK = 1024 * 1024;

/** True when a plausible classic record header starts at window offset q. */
export function pcapPlausible(s: ParseState, f: PcapFormat, q: number, prevSec: number): boolean {
  const dv = s.dv;
  const le = f.le;
  const caplen = dv.getUint32(q + 8, le);
  const origlen = dv.getUint32(q + 12, le);
  if (caplen === 0 || caplen > MAX_CAPLEN || origlen < caplen || origlen > MAX_CAPLEN * 4) return false;
  if (dv.getUint32(q + 4, le) >= f.fracLimit) return false;
  return isResumeTime(dv.getUint32(q, le), prevSec);
}

/** True when the record at q is plausible and so is its successor (or, at the end, it is complete). */
export function pcapPlausiblePair(s: ParseState, f: PcapFormat, q: number, final: boolean): boolean | 'wait' {
  if (!pcapPlausible(s, f, q, s.prevSec)) return false;
  const hdr = f.recHdr;
  const next = q + hdr + s.dv.getUint32(q + 8, f.le);
  if (next + hdr <= s.end) return pcapPlausible(s, f, next, s.dv.getUint32(q, f.le));
  // The last record: complete (a cut successor header may follow); one that runs past the end of
  // the file cannot be checked, and delivering nothing beats resuming on garbage.
  if (final) return next <= s.end;
  s.need = next + hdr - q;
  return 'wait';
}

/**
 * Scans for the next plausible record from s.start: 'found' (s.start is on it), 'wait' for more
 * bytes, or 'failed' at the end of input (the rest is skipped, with a note).
 */
export function resyncPcap(s: ParseState, f: PcapFormat, final: boolean): 'found' | 'wait' | 'failed' {
  const hdr = f.recHdr;
  const end = s.end;
  let q = s.start;
  for (; q + hdr <= end; q++) {
    const r = pcapPlausiblePair(s, f, q, final);
    if (r === false) continue;
    s.start = q;
    if (r === 'wait') return 'wait';
    s.resynced(q);
    return 'found';
  }
  s.start = q;
  s.need = hdr;
  if (!final) return 'wait';
  s.diag('PCAP_RESYNC_FAILED', 'note', `no plausible record after the damage: ${s.base + end - s.damageAt} byte(s) skipped to the end`, undefined, s.damageAt);
  s.start = end;
  return 'failed';
}

const scratch: TimeOut = { tsSec: 0, tsNsec: 0 };

function knownType(type: number): boolean {
  return (type >= BT_IDB && type <= BT_DSB) || type === BT_SYSDIG_EVENT || type === BT_CUSTOM || type === BT_CUSTOM_NOCOPY;
}

/** 1 when a plausible, complete block starts at window offset q; 0 when not; -1 = need more data. */
export function blockPlausible(s: ParseState, section: PcapngSection, q: number, final: boolean): number {
  const dv = s.dv;
  let le = s.le;
  const type = dv.getUint32(q, le);
  if (type === BT_SHB) {
    if (dv.getUint32(q + 8, true) === BOM) le = true;
    else if (dv.getUint32(q + 8, false) === BOM) le = false;
    else return 0;
  } else if (!knownType(type)) {
    return 0;
  }
  const len = dv.getUint32(q + 4, le);
  if (len < 12 || (len & 3) !== 0 || len > RESYNC_MAX_BLOCK) return 0;
  if (q + len > s.end) {
    if (final) return 0;
    s.need = len;
    return -1;
  }
  if (dv.getUint32(q + len - 4, le) !== len) return 0;
  switch (type) {
    case BT_EPB:
    case BT_PB: {
      if (len < 32) return 0;
      const ifid = type === BT_EPB ? dv.getUint32(q + 8, le) : dv.getUint16(q + 8, le);
      const iface = section.interfaces[ifid];
      const caplen = dv.getUint32(q + 20, le);
      if (iface === undefined || caplen > len - 32 || caplen > MAX_CAPLEN) return 0;
      pcapngTime(dv.getUint32(q + 12, le), dv.getUint32(q + 16, le), iface.resol, iface.offsetSec, scratch);
      return isResumeTime(scratch.tsSec, s.prevSec) ? 1 : 0;
    }
    case BT_SPB:
      return len >= 16 && section.interfaces.length > 0 ? 1 : 0;
    case BT_IDB:
      // Link type, then a reserved 16-bit field that must be zero (§4.2).
      return len >= 20 && dv.getUint16(q + 10, le) === 0 ? 1 : 0;
    case BT_SHB:
      return len >= 28 ? 1 : 0;
    default:
      return 1;
  }
}

/** The first 4-byte aligned window offset >= q (aligned in the file, where blocks are). */
export function alignUp(s: ParseState, q: number): number {
  return q + ((4 - ((s.base + q) & 3)) & 3);
}

export function resyncPcapng(s: ParseState, section: PcapngSection, final: boolean): 'found' | 'wait' | 'failed' {
  const end = s.end;
  let q = alignUp(s, s.start);
  for (; q + 12 <= end; q += 4) {
    const r = blockPlausible(s, section, q, final);
    if (r === 0) continue;
    s.start = q;
    if (r < 0) return 'wait';
    s.resynced(q);
    return 'found';
  }
  s.start = Math.min(q, end);
  s.need = 12;
  if (!final) return 'wait';
  s.diag('PCAPNG_RESYNC_FAILED', 'note', `no plausible block after the damage: ${s.base + end - s.damageAt} byte(s) skipped to the end`, undefined, s.damageAt);
  s.start = end;
  return 'failed';
}
