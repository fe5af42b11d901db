import type { Asset } from '../../src/assets/types.js';
import type { FlowRecord } from '../../src/baseline/reader.js';
import { proposeZones } from '../../src/zones/proposeZones.js';
import type { Proposal } from '../../src/zones/types.js';
import { asset, flow, READ, steady, WRITE } from './helpers/synthetic.js';

function plant(): { assets: Asset[]; flows: FlowRecord[] } {
  const assets = [
    asset('10.1.1.11', 1), asset('10.1.1.12', 1), asset('10.1.1.21', 2, { role: 'hmi' }),
    asset('10.1.9.20', 3, { role: 'historian' }), asset('10.1.9.30', 3), asset('172.16.0.10', 3.5), asset('10.50.0.21', 4),
  ];
  const flows = [
    flow('10.1.1.21', '10.1.1.11', 502, 'modbus', steady(7), { fn: READ }),
    flow('10.1.1.21', '10.1.1.12', 502, 'modbus', steady(7), { fn: READ }),
    flow('10.1.9.20', '10.1.1.11', 502, 'modbus', steady(7, 3), { fn: READ }),
    flow('10.1.9.20', '10.1.1.12', 502, 'modbus', steady(7, 3), { fn: [['function', 4, 'read']] }),
    flow('10.1.9.30', '10.1.1.12', 502, 'modbus', steady(5, 6), { fn: WRITE }),
    flow('10.1.9.30', '10.1.9.20', 443, 'https', steady(7, 2)),
    flow('10.1.1.21', '10.1.9.30', 4840, 'opcua', steady(7, 4), { attributes: [{ key: 'security_mode', value: 'None' }] }),
    flow('10.1.9.20', '172.16.0.10', 5450, 'pi', steady(7)),
    flow('10.50.0.21', '172.16.0.10', 443, 'https', steady(5, 8)),
    flow('10.50.0.21', '10.1.1.21', 3389, 'rdp', [50]),
    flow('10.1.9.30', '10.1.1.11', 102, 's7comm', [70, 71], { fn: [['function', 0x1a, 'program']] }),
  ];
  return { assets, flows };
}

const zoneOfIp = (p: Proposal): Map<string, string> => new Map(p.placements.map((x) => [x.asset.ip!, x.zone]));

describe('minimumConduits (through proposeZones)', () => {
  test('proposeZones(plant) carries every cross-zone flow by exactly one rule that lists its host pair, and no rule without a flow', () => {
    const { assets, flows } = plant();
    const p = proposeZones(assets, flows);
    const z = zoneOfIp(p);
    const cross = flows.filter((f) => z.get(f.src) !== z.get(f.dst));
    expect(cross.length).toBeGreaterThan(5);
    for (const f of cross) {
      const carrying = p.conduits.flatMap((c) => c.rules.filter((r) => r.initiatorZone === z.get(f.src) && r.responderZone === z.get(f.dst) && r.transport === f.transport && r.port === f.port && r.protocol === f.protocol && r.hostPairs.some((h) => h.src === f.src && h.dst === f.dst)));
      expect(carrying).toHaveLength(1);
    }
    const pairs = p.conduits.flatMap((c) => c.rules.flatMap((r) => r.hostPairs.map((h) => `${h.src}>${h.dst}>${r.port}`)));
    expect(pairs.sort()).toEqual(cross.map((f) => `${f.src}>${f.dst}>${f.port}`).sort());
    for (const c of p.conduits) for (const r of c.rules) expect([...c.connects].sort()).toEqual([r.initiatorZone, r.responderZone].sort());
  });

  test('proposeZones(plant) gives host pairs with different operation classes rules of their own, each with its function codes', () => {
    const p = proposeZones(...(Object.values(plant()) as [Asset[], FlowRecord[]]));
    const rules = p.conduits.flatMap((c) => c.rules).filter((r) => r.protocol === 'modbus');
    const reads = rules.find((r) => r.hostPairs.some((h) => h.src === '10.1.9.20'))!;
    const writes = rules.find((r) => r.hostPairs.some((h) => h.src === '10.1.9.30'))!;
    expect(reads).not.toBe(writes);
    expect(reads.operations).toEqual(['read']);
    expect(reads.functionCodes).toEqual([3, 4]);
    expect(reads.hostPairs).toEqual([{ src: '10.1.9.20', dst: '10.1.1.11' }, { src: '10.1.9.20', dst: '10.1.1.12' }]);
    expect(reads.daysSeen).toBe(7);
    expect(reads.risky).toEqual([]);
    expect(writes.operations).toEqual(['read', 'write']);
    expect(writes.functionCodes).toEqual([3, 16]);
    expect(writes.risky.map((f) => f.flag)).toEqual(['write-into-control']);
  });

  test('proposeZones(plant) flags writes and programming into a control zone, the enterprise below the DMZ, OPC UA None, cleartext engineering and one-day rules', () => {
    const p = proposeZones(...(Object.values(plant()) as [Asset[], FlowRecord[]]));
    const rules = p.conduits.flatMap((c) => c.rules);
    const flags = (proto: string): string[] => rules.filter((r) => r.protocol === proto).flatMap((r) => r.risky.map((f) => f.flag));
    expect(flags('modbus')).toContain('write-into-control');
    expect(flags('rdp')).toEqual(expect.arrayContaining(['enterprise-below-dmz', 'one-day']));
    expect(flags('opcua')).toContain('opcua-security-none');
    expect(flags('s7comm')).toEqual(expect.arrayContaining(['write-into-control', 'cleartext-engineering']));
    expect(flags('pi')).toEqual([]);
    const https = rules.find((r) => r.protocol === 'https' && r.hostPairs.some((h) => h.src === '10.50.0.21'))!;
    expect(https.risky).toEqual([]);
    const rdp = rules.find((r) => r.protocol === 'rdp')!;
    expect(rdp.risky.find((f) => f.flag === 'enterprise-below-dmz')!.reason).toMatch(/reaches Z\d\d below the DMZ/);
  });

  test('proposeZones(a control zone receiving writes) asks SL 3 of it, with the reason', () => {
    const p = proposeZones(...(Object.values(plant()) as [Asset[], FlowRecord[]]));
    const cell = p.zones.find((z) => z.assets.includes('10.1.1.11'))!;
    expect(cell.securityLevelTarget).toBe('SL 3');
    expect(cell.securityLevelReason).toMatch(/receives program, write from other zones/);
    const ent = p.zones.find((z) => z.kind === 'enterprise')!;
    expect(ent.securityLevelTarget).toBe('SL 1');
  });
});
