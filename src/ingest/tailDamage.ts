/**
 * At the end of input, a record or block that claims more bytes than remain is either truncated (the
 * capture was cut) or has a damaged length. It is damage when a complete, plausible record or block
 * (with a plausible successor, or ending exactly at the end of the file) starts inside it: then it is
 * reported and parsing resumes there instead of dropping everything after it.
 */
import type { ParseState } from './parseState.js';
import { isPacketBlock } from './pcapngBlocks.js';
import type { PcapngSection } from './pcapngInterfaces.js';
import type { PcapFormat } from './pcapRecords.js';
import { alignUp, blockPlausible, pcapPlausible } from './resync.js';

/** Classic pcap: true (and s.start moved onto the good record) when the tail is damage. */
export function pcapTailDamage(s: ParseState, f: PcapFormat): boolean {
  const p = s.start;
  const end = s.end;
  const hdr = f.recHdr;
  const dv = s.dv;
  if (end - p < hdr) return false;
  for (let q = p + 1; q + hdr <= end; q++) {
    if (!pcapPlausible(s, f, q, s.prevSec)) continue;
    const next = q + hdr + dv.getUint32(q + 8, f.le);
    if (next === end || (next + hdr <= end && pcapPlausible(s, f, next, dv.getUint32(q, f.le)))) {
      const caplen = dv.getUint32(p + 8, f.le);
      s.frames++;
      s.diag(
        'PCAP_BAD_RECORD_LENGTH',
        'error',
        `record claims ${caplen} captured bytes but only ${end - p - hdr} remain and a valid record follows at 0x${(s.base + q).toString(16)}; resynchronising`,
        s.frames,
        s.base + p,
      );
      s.damageAt = s.base + p;
      s.start = q;
      s.resynced(q);
      return true;
    }
  }
  return false;
}

/** pcapng: true (and s.start moved onto the good block) when the tail is damage. */
export function pcapngTailDamage(s: ParseState, section: PcapngSection): boolean {
  const p = s.start;
  const end = s.end;
  if (end - p < 12) return false;
  for (let q = alignUp(s, p + 4); q + 12 <= end; q += 4) {
    if (blockPlausible(s, section, q, true) !== 1) continue;
    const type = s.dv.getUint32(p, s.le);
    const packet = isPacketBlock(type);
    if (packet) s.frames++;
    s.diag(
      'PCAPNG_BAD_BLOCK_LENGTH',
      'error',
      `block type 0x${type.toString(16)} claims ${s.dv.getUint32(p + 4, s.le)} bytes but only ${end - p} remain and a valid block follows at 0x${(s.base + q).toString(16)}; resynchronising`,
      packet ? s.frames : s.frames + 1,
      s.base + p,
    );
    s.damageAt = s.base + p;
    s.start = q;
    s.resynced(q);
    return true;
  }
  return false;
}
