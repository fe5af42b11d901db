/**
 * Capture format by magic number, never by file name:
 *  - classic pcap (draft-ietf-opsawg-pcap §4): a1b2c3d4 (µs), a1b23c4d (ns), in either byte order, and
 *    a1b2cd34 (Kuznetzov's "modified" pcap, 24-byte record header);
 *  - pcapng (draft-ietf-opsawg-pcapng §4.1): the Section Header Block type 0a0d0d0a.
 */
export type Detected =
  | { format: 'pcap'; le: boolean; nsMul: number; fracLimit: number; recHdr: number }
  | { format: 'pcapng' }
  | { format: 'unknown'; magicHex: string };

export const SHB_TYPE = 0x0a0d0d0a;
const PCAP_US = 0xa1b2c3d4;
const PCAP_NS = 0xa1b23c4d;
const PCAP_KUZNETZOV = 0xa1b2cd34;

/** Reads the first 4 bytes at `p` (the caller ensures they are there). */
export function detectFormat(buf: Buffer, p: number): Detected {
  const be = buf.readUInt32BE(p);
  const le = buf.readUInt32LE(p);
  if (be === SHB_TYPE) return { format: 'pcapng' };
  const isMagic = (m: number): boolean => m === PCAP_US || m === PCAP_NS || m === PCAP_KUZNETZOV;
  const magic = isMagic(be) ? be : le;
  if (!isMagic(magic)) return { format: 'unknown', magicHex: buf.toString('hex', p, p + 4) };
  return {
    format: 'pcap',
    le: magic === le && magic !== be,
    nsMul: magic === PCAP_NS ? 1 : 1000,
    fracLimit: magic === PCAP_NS ? 1e9 : 1e6,
    recHdr: magic === PCAP_KUZNETZOV ? 24 : 16,
  };
}
