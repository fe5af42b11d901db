/**
 * Test helper: writes crafted frames as a classic pcap (read back through the production reader,
 * src/ingest/readCapture.ts, and by tshark as the oracle).
 */

/** Writes a classic little-endian microsecond pcap of the given frames (for crafted-capture tests). */
export function buildPcap(linktype: number, frames: ReadonlyArray<Uint8Array>, snaplen = 262144): Buffer {
  const parts: Buffer[] = [];
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(snaplen, 16);
  hdr.writeUInt32LE(linktype, 20);
  parts.push(hdr);
  frames.forEach((f, i) => {
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(1700000000 + i, 0);
    rh.writeUInt32LE(f.length, 8);
    rh.writeUInt32LE(f.length, 12);
    parts.push(rh, Buffer.from(f));
  });
  return Buffer.concat(parts);
}
