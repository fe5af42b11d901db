/**
 * The DNP3 link-layer CRC (IEEE 1815-2012 section 9.2.4.2.3.4): CRC-16 with polynomial 0x3D65,
 * processed LSB first (reflected polynomial 0xA6BC), initial value 0, complemented, sent low byte first.
 */
const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa6bc : c >>> 1;
  TABLE[i] = c;
}

/** CRC of buf[off, off+len). */
export function dnp3Crc(buf: Buffer, off: number, len: number): number {
  let crc = 0;
  for (let i = off; i < off + len; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ buf[i]!) & 0xff]!;
  return ~crc & 0xffff;
}

/** True when the two bytes after buf[off, off+len) hold that block's CRC (little-endian). */
export function dnp3CrcOk(buf: Buffer, off: number, len: number): boolean {
  const c = dnp3Crc(buf, off, len);
  return buf[off + len] === (c & 0xff) && buf[off + len + 1] === c >>> 8;
}
