/**
 * MAC vendor from the IEEE registry (the `oui-data` package: keys are the assignment's hex prefix,
 * 6 digits for MA-L, 7 for MA-M, 9 for MA-S; values the organisation's name and address on separate
 * lines). The longest assignment wins, so a MA-S block is not shown as "IEEE Registration Authority".
 * The registry (5 MB of JSON) is read once, on first use.
 */
import { createRequire } from 'node:module';

let table: Record<string, string> | null = null;

function registry(): Record<string, string> {
  if (table === null) table = createRequire(import.meta.url)('oui-data') as Record<string, string>;
  return table;
}

/** `aa:bb:cc:dd:ee:ff` -> the registered organisation, or null (unregistered, locally administered or multicast). */
export function ouiVendor(mac: string): string | null {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (hex.length !== 12) return null;
  const first = Number.parseInt(hex.slice(0, 2), 16);
  // Locally administered (bit 1) or group (bit 0) addresses have no registered vendor.
  if ((first & 0x03) !== 0) return null;
  const t = registry();
  for (const n of [9, 7, 6]) {
    const v = t[hex.slice(0, n)];
    if (v !== undefined) return v.split('\n')[0]!.trim() || null;
  }
  return null;
}

/** Is this MAC locally administered (randomised, virtual) rather than vendor-assigned? */
export function isLocallyAdministered(mac: string): boolean {
  const first = Number.parseInt(mac.slice(0, 2), 16);
  return (first & 0x02) !== 0;
}
