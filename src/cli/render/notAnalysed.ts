/**
 * The ingest summary's account of what the run did not analyse (issue 13, finding 7), so that
 * "problems: none" is never printed over data that was silently skipped:
 *  - frames of link types that are not decoded;
 *  - per protocol, PDUs lost to a short snap length (segments cut by it), bytes missing in TCP gaps
 *    (segments the capture lacks), bytes not parsed (resyncing, partial and oversize PDUs);
 *  - frames with no IP, by kind (ARP, LLDP, STP, other EtherTypes): not flows, but not lost either
 *    (ARP gives host MACs, the others MAC-only assets), so a fact and not a problem.
 */
import type { IngestResult } from '../../pipeline/ingestCaptures.js';
import { bytes, num } from '../format.js';

export type NotAnalysedInput = Pick<IngestResult, 'protocols' | 'frameKinds' | 'l2ByEtherType' | 'undecodedLinktypes'>;

export interface NotAnalysed {
  /** Summary lines (indented), empty when the run analysed everything. */
  lines: string[];
  /** True when data was lost to analysis (link types, snap length, gaps, unparsed bytes). */
  lossy: boolean;
}

const ETHERTYPE_LLDP = 0x88cc;
const ETHERTYPE_LLC = 0;

export function notAnalysed(r: NotAnalysedInput): NotAnalysed {
  const lost: string[] = [];
  for (const [types, frames] of [...r.undecodedLinktypes].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    lost.push(`${num(frames)} frame${frames === 1 ? '' : 's'} of link type ${types}: not decoded, counted only (DECODE_UNSUPPORTED_LINKTYPE); capture from an Ethernet SPAN port or TAP`);
  }
  const protos = [...r.protocols.values()].sort((a, b) => (a.protocol < b.protocol ? -1 : 1));
  for (const p of protos) {
    if (p.snapCutSegments > 0) {
      lost.push(
        `${p.protocol}: ${num(p.snapCutSegments)} segment${p.snapCutSegments === 1 ? '' : 's'} with PDUs not analysed (${bytes(p.snapLostBytes)}): ` +
          `frames cut to ${num(p.snapCaplen)} bytes by the capture's snaplen; capture with -s 0`,
      );
    }
    if (p.gapBytes > 0) lost.push(`${p.protocol}: ${bytes(p.gapBytes)} missing in TCP gaps (segments the capture lacks): their PDUs not analysed`);
    if (p.unparsedBytes > 0) lost.push(`${p.protocol}: ${bytes(p.unparsedBytes)} not parsed (resyncing after a gap or a framing error, partial or oversize PDUs)`);
  }
  const lines = lost.length > 0 ? ['  not analysed:', ...lost.map((l) => `    ${l}`)] : [];
  const nonIp = nonIpLine(r);
  if (nonIp) lines.push(nonIp);
  return { lines, lossy: lost.length > 0 };
}

/** "frames with no IP: 16 (4 ARP, 2 LLDP, 10 STP)", or null when every frame carried IP. */
function nonIpLine(r: NotAnalysedInput): string | null {
  const k = r.frameKinds;
  const total = k.arpPackets + k.otherL2;
  if (total === 0) return null;
  const parts: string[] = [];
  if (k.arpPackets > 0) parts.push(`${num(k.arpPackets)} ARP`);
  const lldp = r.l2ByEtherType.get(ETHERTYPE_LLDP) ?? 0;
  if (lldp > 0) parts.push(`${num(lldp)} LLDP`);
  if (k.stp > 0) parts.push(`${num(k.stp)} STP`);
  const llc = Math.max(0, (r.l2ByEtherType.get(ETHERTYPE_LLC) ?? 0) - k.stp);
  if (llc > 0) parts.push(`${num(llc)} other IEEE 802.3 LLC`);
  let named = k.arpPackets + lldp + k.stp + llc;
  for (const [t, n] of [...r.l2ByEtherType].sort((a, b) => a[0] - b[0])) {
    if (t === ETHERTYPE_LLDP || t === ETHERTYPE_LLC) continue;
    parts.push(`${num(n)} EtherType 0x${t.toString(16).padStart(4, '0')}`);
    named += n;
  }
  if (total > named) parts.push(`${num(total - named)} other`);
  return `  frames with no IP: ${num(total)} (${parts.join(', ')}): not flows; ARP gives host MACs, the others MAC-only assets`;
}
