import { deviceTypeName, knownVendorIds, vendorName } from '../../../src/dissectors/enip/vendorName.js';
import { tshark } from '../tsharkTcp.js';

/** tshark's value strings of a field: value -> name. */
function tsharkValues(field: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of tshark(['-G', 'values']).split('\n')) {
    const [kind, f, value, name] = line.split('\t');
    if (kind === 'V' && f === field) out.set(Number(value), name!);
  }
  return out;
}

describe('vendorName', () => {
  test('vendorName(every id in the table) equals tshark enip.lir.vendor, except 1251 (newer than tshark 4.0)', () => {
    const theirs = tsharkValues('enip.lir.vendor');
    expect(theirs.size).toBeGreaterThan(1000);
    const ids = knownVendorIds().filter((id) => id !== 1251);
    expect(ids.length).toBeGreaterThan(30);
    for (const id of ids) expect([id, vendorName(id)]).toEqual([id, theirs.get(id)]);
    expect(theirs.has(1251)).toBe(false);
    expect(vendorName(1251)).toBe('Siemens AG');
    expect(vendorName(65000)).toBeUndefined();
  });

  test('deviceTypeName(every CIP device type tshark knows) equals tshark cip.id.device_type', () => {
    const theirs = tsharkValues('cip.id.device_type');
    expect(theirs.size).toBeGreaterThan(40);
    for (const [id, name] of theirs) expect([id, deviceTypeName(id)]).toEqual([id, name]);
    expect(deviceTypeName(999)).toBeUndefined();
  });
});
