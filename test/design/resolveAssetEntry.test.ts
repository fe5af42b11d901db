import { parseInventory } from '../../src/assets/inventory.js';
import { canonicalMac, expandIdRange, indexInventory, resolveAssetEntry } from '../../src/design/resolveAssetEntry.js';

const inv = indexInventory(
  parseInventory(
    'name,id,ip,mac,purdue_level,role\nControlLogix PLC,PLC-01,10.20.1.10,,1,plc\nControlLogix PLC,PLC-02,10.20.1.11,,1,plc\n' +
      'ControlLogix PLC,PLC-03,,00:1D:9C:00:00:03,1,plc\nEngineering Workstation,EWS-01,10.20.3.10,,2,engineering-workstation\nCorporate,ENT,10.50.0.0/16,,4,enterprise\n',
    'assets.csv',
  ),
);
const ips = (text: string): string[] => resolveAssetEntry(text, inv).targets.map((t) => (t.kind === 'ip' ? `${t.ip}/${t.prefix}` : t.mac));

describe('resolveAssetEntry', () => {
  test('resolveAssetEntry(IP, CIDR, MAC) stands for the address, the network normalised', () => {
    expect(ips('10.20.1.10')).toEqual(['10.20.1.10/32']);
    expect(ips('10.20.1.77/24')).toEqual(['10.20.1.0/24']);
    expect(ips('00-1D-9C-00-00-03')).toEqual(['00:1d:9c:00:00:03']);
    expect(ips('fd00::1')).toEqual(['fd00::1/128']);
  });
  test('resolveAssetEntry(inventory id, name, "Name (ID)", range) resolves through the inventory', () => {
    expect(ips('EWS-01')).toEqual(['10.20.3.10/32']);
    expect(ips('engineering workstation')).toEqual(['10.20.3.10/32']);
    expect(ips('Engineering Workstation (EWS-01)')).toEqual(['10.20.3.10/32']);
    expect(ips('ControlLogix PLCs (PLC-01 through PLC-03)')).toEqual(['10.20.1.10/32', '10.20.1.11/32', '00:1d:9c:00:00:03']);
    expect(ips('Corporate')).toEqual(['10.50.0.0/16']);
    expect(ips('ControlLogix PLCs')).toEqual(['10.20.1.10/32', '10.20.1.11/32', '00:1d:9c:00:00:03']);
  });
  test('resolveAssetEntry(a range with ids not in the inventory) keeps the found ones and names the missing', () => {
    const r = resolveAssetEntry('PLCs (PLC-02 through PLC-05)', inv);
    expect(r.inventoryIds).toEqual(['PLC-02', 'PLC-03']);
    expect(r.missingIds).toEqual(['PLC-04', 'PLC-05']);
  });
  test('resolveAssetEntry(free text, a bad address) is unresolved with a reason, or flagged as a bad address', () => {
    expect(resolveAssetEntry('Corporate systems accessing OT data', inv)).toMatchObject({ kind: 'unresolved', targets: [] });
    expect(resolveAssetEntry('10.20.1.300', inv)).toMatchObject({ kind: 'unresolved', badAddress: '10.20.1.300' });
    expect(resolveAssetEntry('10.20.1.0/33', inv).badAddress).toBe('10.20.1.0/33');
  });
  test('expandIdRange and canonicalMac keep padding and reject mismatched prefixes', () => {
    expect(expandIdRange('HMI-01 through HMI-03')).toEqual(['HMI-01', 'HMI-02', 'HMI-03']);
    expect(expandIdRange('HMI-01 through PLC-03')).toBeNull();
    expect(canonicalMac('001d.9c00.0003')).toBeNull();
    expect(canonicalMac('001D9C000003')).toBe('00:1d:9c:00:00:03');
  });
});
