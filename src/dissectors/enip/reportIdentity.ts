/**
 * Identity evidence from a CIP Identity object image: the ListIdentity reply's CIP Identity item
 * (Vol. 2 2-4.3.2, after the encapsulation version and socket address) and the Get_Attributes_All
 * reply of the Identity object (Vol. 1 5A-2.2, instance attributes 1-7) share the layout
 * vendor u16, device type u16, product code u16, revision u8.u8, status u16, serial u32,
 * product name SHORT_STRING. Strings are fine here: identity PDUs are rare.
 */
import type { PduSink } from '../types.js';
import { deviceTypeName, vendorName } from './vendorName.js';

/** Minimum size of the identity image (with an empty product name). */
export const IDENTITY_MIN = 15;

/**
 * Reports the identity image at buf[p, end) about endpoint `who`. Returns the offset after the
 * product name, or -1 when the image is truncated (nothing is reported then).
 */
export function reportIdentity(buf: Buffer, p: number, end: number, sink: PduSink, who: number): number {
  if (end - p < IDENTITY_MIN) return -1;
  const nameLen = buf[p + 14]!;
  if (p + IDENTITY_MIN + nameLen > end) return -1;
  const vendor = buf.readUInt16LE(p);
  const deviceType = buf.readUInt16LE(p + 2);
  const productCode = buf.readUInt16LE(p + 4);
  const major = buf[p + 6]!;
  const minor = buf[p + 7]!;
  const serial = buf.readUInt32LE(p + 10);
  sink.identity(who, 'vendor_id', String(vendor));
  const vName = vendorName(vendor);
  if (vName) sink.identity(who, 'vendor', vName);
  sink.identity(who, 'device_type', String(deviceType));
  const dName = deviceTypeName(deviceType);
  if (dName) sink.identity(who, 'device_type_name', dName);
  sink.identity(who, 'product_code', String(productCode));
  sink.identity(who, 'revision', `${major}.${minor < 10 ? '0' : ''}${minor}`);
  sink.identity(who, 'serial', `0x${serial.toString(16).padStart(8, '0')}`);
  // Keep printable characters only: the name ends up in reports.
  const name = buf.toString('latin1', p + IDENTITY_MIN, p + IDENTITY_MIN + nameLen).replace(/[^\x20-\x7e\xa0-\xff]/g, '');
  if (name.length > 0) sink.identity(who, 'product_name', name);
  return p + IDENTITY_MIN + nameLen;
}
