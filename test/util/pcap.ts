/**
 * Writing classic pcap bytes in tests: the ONE builder (file header, record header, whole files), read
 * back through the production reader (src/ingest/readCapture.ts) and by tshark as the oracle. Damage
 * is made by passing odd values (a magic, a snap length, an origlen) or by editing the bytes.
 */

export interface PcapHeaderOptions {
  /** little-endian (default) or big-endian */
  le?: boolean;
  /** default 0xa1b2c3d4 (microseconds); 0xa1b23c4d for nanoseconds */
  magic?: number;
  snaplen?: number;
  linktype?: number;
}

/** The 24-byte file header, version 2.4. */
export function pcapHeader(opts: PcapHeaderOptions = {}): Buffer {
  const le = opts.le ?? true;
  const b = Buffer.alloc(24);
  const w32 = (v: number, o: number): number => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  const w16 = (v: number, o: number): number => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  w32(opts.magic ?? 0xa1b2c3d4, 0);
  w16(2, 4);
  w16(4, 6);
  w32(opts.snaplen ?? 262144, 16);
  w32(opts.linktype ?? 1, 20);
  return b;
}

/** One record: 16-byte header (seconds, fraction, captured and original length) and the data. */
export function pcapRecord(sec: number, frac: number, data: Uint8Array, origlen = data.length, le = true): Buffer {
  const b = Buffer.alloc(16 + data.length);
  const w32 = (v: number, o: number): number => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  w32(sec, 0);
  w32(frac, 4);
  w32(data.length, 8);
  w32(origlen, 12);
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(b, 16);
  return b;
}

/** A little-endian microsecond pcap of `frames`, one second apart from 1700000000 (or at `times`, float seconds). */
export function buildPcap(linktype: number, frames: ReadonlyArray<Uint8Array>, snaplen = 262144, times?: readonly number[]): Buffer {
  return Buffer.concat([
    pcapHeader({ linktype, snaplen }),
    ...frames.map((f, i) => {
      const t = times?.[i] ?? 1700000000 + i;
      const sec = Math.floor(t);
      return pcapRecord(sec, Math.round((t - sec) * 1e6), f);
    }),
  ]);
}
