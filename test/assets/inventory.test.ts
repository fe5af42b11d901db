import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryCoversIp, inventoryEntryFor, loadInventory, normaliseMac, parseInventory } from '../../src/assets/inventory.js';

const HEADER = 'name,id,ip,mac,purdue_level,role';

describe('parseInventory', () => {
  test('parseInventory(the refinery example) keeps every row with no diagnostic', () => {
    const inv = loadInventory('fixtures/examples/refinery-unit3.assets.csv');
    expect(inv.diagnostics).toEqual([]);
    expect(inv.entries).toHaveLength(33);
    const ent = inv.entries.find((e) => e.id === 'ENT')!;
    expect(ent).toMatchObject({ ip: '10.50.0.0', prefix: 16, purdueLevel: 4, role: 'enterprise', line: 34 });
    expect(inv.entries.find((e) => e.id === 'DMZ-HIST-01')!.purdueLevel).toBe(3.5);
    expect(inv.entries[0]).toEqual({
      line: 2, name: 'Triconex 3008 Safety Controller', id: 'SIS-01', ip: '10.10.1.11', prefix: 32, mac: null, purdueLevel: 1, role: 'safety-controller',
    });
  });

  test('parseInventory(12+ kinds of bad rows) gives one positioned diagnostic per bad row and keeps the good rows', () => {
    const csv = [
      'name,id,ip,mac,purdue_level,role,location', // 1: unknown column (warning)
      'PLC A,PLC-A,10.0.0.1,00:1d:9c:00:00:01,1,plc,hall', // 2 good
      'PLC B,PLC-B,10.0.0.300,,1,plc,hall', // 3 bad IP
      'Cell,CELL,10.0.0.0/33,,1,plc,hall', // 4 bad CIDR (prefix)
      'Cell2,CELL2,10.0.0.0/x,,1,plc,hall', // 5 bad CIDR (not a number)
      'PLC C,PLC-C,10.0.0.3,00:1d:9c:00:00,1,plc,hall', // 6 bad MAC
      'PLC D,PLC-D,10.0.0.4,,7,plc,hall', // 7 bad level
      'PLC E,PLC-A,10.0.0.5,,1,plc,hall', // 8 duplicate id
      'PLC F,PLC-F,10.0.0.1,,1,plc,hall', // 9 duplicate IP
      'PLC G,PLC-G,10.0.0.7,00-1D-9C-00-00-01,1,plc,hall', // 10 duplicate MAC (other spelling)
      'PLC H,PLC-H,10.0.0.8,,1,plc', // 11 field count
      ',,10.0.0.9,,1,plc,hall', // 12 neither name nor id
      '"PLC "I",PLC-I,10.0.0.10,,1,plc,hall', // 13 text after closing quote
      'PLC \u0007J,PLC-J,10.0.0.11,,1,plc,hall', // 14 control character
      'HMI,HMI-1,10.0.0.12,,level 2,hmi,hall', // 15 good ("level 2")
      '"HMI, spare",HMI-2,,,2,hmi,store', // 16 good name with comma, no address (warning)
      '# a comment line',
      '',
      'Enterprise,ENT,10.50.0.0/16,,4,enterprise,hq', // 19 good CIDR
      'Open,OPEN,10.0.0.13,,1,plc,"never closed', // 20 unterminated quote
    ].join('\r\n');
    const inv = parseInventory(csv, 'assets.csv');
    const got = inv.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`);
    expect(got).toEqual([
      '1:34 warning INVENTORY_UNKNOWN_COLUMN',
      '3:13 error INVENTORY_BAD_IP',
      '4:11 error INVENTORY_BAD_CIDR',
      '5:13 error INVENTORY_BAD_CIDR',
      '6:22 error INVENTORY_BAD_MAC',
      '7:23 error INVENTORY_BAD_LEVEL',
      '8:7 error INVENTORY_DUPLICATE_ID',
      '9:13 error INVENTORY_DUPLICATE_IP',
      '10:22 error INVENTORY_DUPLICATE_MAC',
      '11:25 error INVENTORY_FIELD_COUNT',
      '12:2 error INVENTORY_MISSING_ID',
      '13:7 error INVENTORY_BAD_QUOTE',
      '14:1 error INVENTORY_CONTROL_CHARACTER',
      '16:20 warning INVENTORY_NO_ADDRESS',
      '20:28 error INVENTORY_UNTERMINATED_QUOTE',
    ]);
    for (const d of inv.diagnostics) expect(d.file).toBe('assets.csv');
    expect(inv.entries.map((e) => e.id)).toEqual(['PLC-A', 'HMI-1', 'HMI-2', 'ENT']);
    expect(inv.entries[1]!.purdueLevel).toBe(2);
    expect(inv.entries[2]!.name).toBe('HMI, spare');
    expect(inv.entries[0]!.mac).toBe('00:1d:9c:00:00:01');
  });

  test('parseInventory(no address columns, or an empty file) says so', () => {
    expect(parseInventory('name,id,role\nA,B,plc\n', 'x.csv').diagnostics.map((d) => d.code)).toEqual(['INVENTORY_MISSING_COLUMN']);
    expect(parseInventory('', 'x.csv').diagnostics.map((d) => d.code)).toEqual(['INVENTORY_EMPTY']);
    expect(parseInventory(`\ufeff${HEADER}\n`, 'x.csv').diagnostics.map((d) => d.code)).toEqual(['INVENTORY_EMPTY']);
  });

  test('parseInventory(a CIDR with host bits) stores the network address', () => {
    const inv = parseInventory(`${HEADER}\nCorp,C,10.50.3.4/16,,4,enterprise\n`, 'x.csv');
    expect(inv.entries[0]).toMatchObject({ ip: '10.50.0.0', prefix: 16 });
  });
});

describe('loadInventory', () => {
  test('loadInventory(a missing file) is one INVENTORY_UNREADABLE diagnostic', () => {
    const inv = loadInventory('/nonexistent/assets.csv');
    expect(inv.entries).toEqual([]);
    expect(inv.diagnostics.map((d) => d.code)).toEqual(['INVENTORY_UNREADABLE']);
  });
  test('loadInventory(a file) parses it with its path in the diagnostics', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-inv-'));
    const p = join(dir, 'a.csv');
    writeFileSync(p, `${HEADER}\nA,A,1.2.3,,1,plc\n`);
    expect(loadInventory(p).diagnostics[0]).toMatchObject({ file: p, line: 2, column: 5, code: 'INVENTORY_BAD_IP' });
  });
});

describe('inventoryEntryFor', () => {
  const inv = parseInventory(
    [HEADER, 'Corp,ENT,10.50.0.0/16,,4,enterprise', 'Lab,LAB,10.50.7.0/24,,4,lab', 'PC,PC-1,10.50.7.9,,4,pc', 'Mac only,M-1,,00:11:22:33:44:55,0,io'].join('\n'),
    'x.csv',
  );
  test('inventoryEntryFor(ip) prefers the exact address, then the most specific CIDR', () => {
    expect(inventoryEntryFor(inv.entries, '10.50.7.9', null)!.id).toBe('PC-1');
    expect(inventoryEntryFor(inv.entries, '10.50.7.10', null)!.id).toBe('LAB');
    expect(inventoryEntryFor(inv.entries, '10.50.8.1', null)!.id).toBe('ENT');
    expect(inventoryEntryFor(inv.entries, '10.51.0.1', null)).toBeNull();
  });
  test('inventoryEntryFor(mac) matches a MAC-only row in any spelling', () => {
    expect(inventoryEntryFor(inv.entries, null, '00-11-22-33-44-55')!.id).toBe('M-1');
    expect(inventoryEntryFor(inv.entries, '10.9.9.9', '00:11:22:33:44:55')!.id).toBe('M-1');
  });
  test('entryCoversIp(cidr row) covers hosts inside it only', () => {
    expect(entryCoversIp(inv.entries[0]!, '10.50.255.255')).toBe(true);
    expect(entryCoversIp(inv.entries[0]!, '10.49.0.1')).toBe(false);
  });
});

describe('normaliseMac', () => {
  test('normaliseMac(common spellings) gives lower-case colon form, null otherwise', () => {
    expect(normaliseMac('00:1D:9C:C1:00:0A')).toBe('00:1d:9c:c1:00:0a');
    expect(normaliseMac('001d.9cc1.000a')).toBe('00:1d:9c:c1:00:0a');
    expect(normaliseMac('001d9cc1000a')).toBe('00:1d:9c:c1:00:0a');
    expect(normaliseMac('00:1d:9c:c1:00')).toBeNull();
    expect(normaliseMac('zz:1d:9c:c1:00:0a')).toBeNull();
  });
});
