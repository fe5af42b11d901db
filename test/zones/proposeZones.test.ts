import type { Asset } from '../../src/assets/types.js';
import type { FlowRecord } from '../../src/baseline/reader.js';
import { proposeZones } from '../../src/zones/proposeZones.js';
import type { Proposal } from '../../src/zones/types.js';
import { levelRank } from '../../src/zones/levels.js';
import { asset, flow, READ, steady } from './helpers/synthetic.js';

/** Two cells (two PLCs and an HMI each) and a SCADA server polling both, a historian reading SCADA. */
function twoCells(): { assets: Asset[]; flows: FlowRecord[] } {
  const assets = [
    asset('10.1.1.11', 1, { role: 'plc' }), asset('10.1.1.12', 1, { role: 'plc' }), asset('10.1.1.21', 2, { role: 'hmi' }),
    asset('10.1.2.11', 1, { role: 'plc' }), asset('10.1.2.12', 1, { role: 'plc' }), asset('10.1.2.21', 2, { role: 'hmi' }),
    asset('10.1.9.10', 2, { role: 'scada' }), asset('10.1.9.20', 3, { role: 'historian' }),
  ];
  const flows = [
    flow('10.1.1.21', '10.1.1.11', 502, 'modbus', steady(7), { fn: READ }),
    flow('10.1.1.21', '10.1.1.12', 502, 'modbus', steady(7), { fn: READ }),
    flow('10.1.2.21', '10.1.2.11', 502, 'modbus', steady(7), { fn: READ }),
    flow('10.1.2.21', '10.1.2.12', 502, 'modbus', steady(7), { fn: READ }),
    ...['10.1.1.11', '10.1.1.12', '10.1.2.11', '10.1.2.12'].map((p) => flow('10.1.9.10', p, 502, 'modbus', steady(7), { fn: READ })),
    flow('10.1.9.20', '10.1.9.10', 4840, 'opcua', steady(7, 2)),
  ];
  return { assets, flows };
}

const zoneOf = (p: Proposal, ip: string): string => p.placements.find((x) => x.asset.ip === ip)!.zone;
const zone = (p: Proposal, ip: string) => p.zones.find((z) => z.id === zoneOf(p, ip))!;

describe('proposeZones', () => {
  test('proposeZones(two cells and a SCADA server polling both) keeps the cells apart and puts SCADA in the operations layer', () => {
    const { assets, flows } = twoCells();
    const p = proposeZones(assets, flows);
    expect(zoneOf(p, '10.1.1.11')).toBe(zoneOf(p, '10.1.1.21'));
    expect(zoneOf(p, '10.1.2.11')).toBe(zoneOf(p, '10.1.2.21'));
    expect(zoneOf(p, '10.1.1.11')).not.toBe(zoneOf(p, '10.1.2.11'));
    expect(zoneOf(p, '10.1.9.10')).toBe(zoneOf(p, '10.1.9.20'));
    expect(zone(p, '10.1.9.10').kind).toBe('supervisory');
    const adj = p.adjustments.find((a) => a.kind === 'supervisory-poller')!;
    expect(adj.assets).toEqual(['10.1.9.10']);
    expect(adj.reason).toMatch(/polls 4 controllers in 2 cells/);
  });

  test('proposeZones(a historian polling PLCs directly) never lets a zone span more than two adjacent levels', () => {
    const { assets, flows } = twoCells();
    flows.push(flow('10.1.9.20', '10.1.1.11', 502, 'modbus', steady(7), { fn: READ }), flow('10.1.9.20', '10.1.1.12', 502, 'modbus', steady(7), { fn: READ }));
    const p = proposeZones(assets, flows);
    for (const z of p.zones) {
      if (z.purdueLevels.length > 0) expect(levelRank(z.purdueLevels[z.purdueLevels.length - 1]!) - levelRank(z.purdueLevels[0]!)).toBeLessThanOrEqual(1);
    }
    expect(zoneOf(p, '10.1.9.20')).not.toBe(zoneOf(p, '10.1.1.11'));
  });

  test('proposeZones(a safety controller talking steadily to a PLC) keeps it in a zone of safety assets only', () => {
    const { assets, flows } = twoCells();
    assets.push(asset('10.1.5.11', 1, { safety: true }), asset('10.1.5.20', 2, { safety: true }));
    flows.push(flow('10.1.5.11', '10.1.1.11', 44818, 'enip', steady(7)), flow('10.1.5.20', '10.1.5.11', 1502, 'tristation', steady(7, 2), { transport: 'udp' }));
    const p = proposeZones(assets, flows);
    const z = zone(p, '10.1.5.11');
    expect(z.kind).toBe('safety');
    expect(z.assets).toEqual(['10.1.5.11', '10.1.5.20']);
    expect(z.securityLevelTarget).toBe('SL 3');
    expect(p.adjustments.filter((a) => a.kind === 'safety-alone').map((a) => a.assets[0])).toEqual(['10.1.5.11', '10.1.5.20']);
  });

  test('proposeZones(a domain controller most hosts reach, a scanner, DMZ and enterprise hosts) gives each its own zone', () => {
    const { assets, flows } = twoCells();
    assets.push(asset('10.1.9.30', 2), asset('10.1.8.10', 3, { role: 'domain-controller' }), asset('10.1.8.99', 3, { role: 'scanner' }), asset('172.16.0.10', 3.5), asset('10.50.0.21', 4), asset('10.50.0.22', 4));
    for (const c of ['10.1.1.21', '10.1.2.21', '10.1.9.10', '10.1.9.20', '10.1.9.30', '10.1.8.99']) flows.push(flow(c, '10.1.8.10', 53, 'dns', steady(7, 4), { transport: 'udp' }));
    for (const t of ['10.1.1.11', '10.1.1.21', '10.1.2.11', '10.1.9.10']) flows.push(flow('10.1.8.99', t, 445, 'smb', [30]));
    flows.push(flow('10.1.9.20', '172.16.0.10', 5450, 'pi', steady(7)), flow('10.50.0.21', '172.16.0.10', 443, 'https', steady(5, 8)), flow('10.50.0.22', '172.16.0.10', 443, 'https', steady(5, 8)));
    const p = proposeZones(assets, flows);
    expect(zone(p, '10.1.8.10').kind).toBe('site-services');
    expect(zone(p, '10.1.8.10').assets).toEqual(['10.1.8.10']);
    expect(zone(p, '10.1.8.99').kind).toBe('security-tools');
    expect(zone(p, '172.16.0.10').kind).toBe('dmz');
    expect(zone(p, '10.50.0.21').kind).toBe('enterprise');
    expect(zoneOf(p, '10.50.0.21')).toBe(zoneOf(p, '10.50.0.22'));
    expect(p.adjustments.find((a) => a.kind === 'site-service')!.reason).toMatch(/answers 5 of the 5 other level 2-3 hosts/);
    // the cells are not pulled together by the services they share
    expect(zoneOf(p, '10.1.1.11')).not.toBe(zoneOf(p, '10.1.2.11'));
  });

  test('proposeZones(two cells on one flat subnet, no traffic between them) zones them apart by traffic', () => {
    const assets = ['11', '12', '21', '31', '32', '41'].map((h) => asset(`192.168.1.${h}`, h === '21' || h === '41' ? 2 : 1));
    const flows = [
      flow('192.168.1.21', '192.168.1.11', 502, 'modbus', steady(3), { fn: READ }), flow('192.168.1.21', '192.168.1.12', 502, 'modbus', steady(3), { fn: READ }),
      flow('192.168.1.41', '192.168.1.31', 502, 'modbus', steady(3), { fn: READ }), flow('192.168.1.41', '192.168.1.32', 502, 'modbus', steady(3), { fn: READ }),
    ];
    const p = proposeZones(assets, flows);
    expect(p.zones).toHaveLength(2);
    expect(zoneOf(p, '192.168.1.11')).toBe(zoneOf(p, '192.168.1.21'));
    expect(zoneOf(p, '192.168.1.31')).toBe(zoneOf(p, '192.168.1.41'));
    expect(zoneOf(p, '192.168.1.11')).not.toBe(zoneOf(p, '192.168.1.31'));
  });

  test('proposeZones(--max-zone-size 3 on a cell of eight) splits it along its sub-communities and says so', () => {
    const assets = [asset('10.3.0.1', 2), asset('10.3.0.2', 2), ...[11, 12, 13, 14, 21, 22, 23].map((h) => asset(`10.3.0.${h}`, 1))];
    const flows = [
      ...[11, 12, 13, 14].map((h) => flow('10.3.0.1', `10.3.0.${h}`, 502, 'modbus', steady(3), { fn: READ })),
      ...[21, 22, 23].map((h) => flow('10.3.0.2', `10.3.0.${h}`, 502, 'modbus', steady(3), { fn: READ })),
      flow('10.3.0.1', '10.3.0.2', 123, 'ntp', steady(3, 6), { transport: 'udp' }),
    ];
    const whole = proposeZones(assets, flows);
    const split = proposeZones(assets, flows, { maxZoneSize: 3 });
    expect(Math.max(...whole.zones.map((z) => z.assets.length))).toBeGreaterThan(3);
    expect(Math.max(...split.zones.map((z) => z.assets.length))).toBeLessThanOrEqual(3);
    expect(split.adjustments.some((a) => a.kind === 'max-zone-size' && /exceeded --max-zone-size 3/.test(a.reason))).toBe(true);
  });

  test('proposeZones(a host that talks to nobody) places it with its subnet and says it is a stated choice', () => {
    const { assets, flows } = twoCells();
    assets.push(asset('10.1.2.99', 2), asset('10.77.0.5', null));
    const p = proposeZones(assets, flows);
    expect(zoneOf(p, '10.1.2.99')).toBe(zoneOf(p, '10.1.2.11'));
    expect(p.adjustments.find((a) => a.assets[0] === '10.1.2.99')!.reason).toMatch(/talks to nobody: placed with the 3 host\(s\) of its subnet 10.1.2.0\/24/);
    expect(zone(p, '10.77.0.5').kind).toBe('unclassified');
  });

  test('proposeZones(no assets, no flows) returns an empty proposal with a note', () => {
    const p = proposeZones([], []);
    expect(p.zones).toEqual([]);
    expect(p.conduits).toEqual([]);
    expect(p.notes.map((n) => n.code)).toEqual(['ZONES_NO_FLOWS', 'ZONES_EMPTY']);
    expect(p.quality.modularity).toBe(0);
  });

  test('proposeZones(one host, no flows) gives one zone and says so', () => {
    const p = proposeZones([asset('10.0.0.1', 2)], []);
    expect(p.zones).toHaveLength(1);
    expect(p.notes.map((n) => n.code)).toContain('ZONES_ONE_HOST');
  });

  test('proposeZones(flows between hosts the asset list lacks) zones them with no level and records it', () => {
    const p = proposeZones([], [flow('10.9.0.1', '10.9.0.2', 80, 'http', steady(2))]);
    expect(p.placements.map((x) => x.asset.ip)).toEqual(['10.9.0.1', '10.9.0.2']);
    expect(p.notes.map((n) => n.code)).toContain('ZONES_UNLISTED_HOSTS');
    expect(p.adjustments.filter((a) => a.kind === 'unlisted-host')).toHaveLength(2);
  });

  test('proposeZones(the same input twice) returns the same proposal, zones ordered by level then size', () => {
    const { assets, flows } = twoCells();
    const a = proposeZones(assets, flows);
    expect(proposeZones(assets, flows)).toEqual(a);
    const keys = a.zones.map((z) => [z.purdueLevel === null ? 99 : levelRank(z.purdueLevel), -z.assets.length]);
    expect(keys).toEqual([...keys].sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!));
    expect(a.zones.map((z) => z.id)).toEqual(a.zones.map((_z, i) => `Z0${i + 1}`));
  });

  test('proposeZones(zone names and levels) names zones from their roles and gives purdue_level the lowest of purdue_levels', () => {
    const p = proposeZones(...Object.values(twoCells()) as [Asset[], FlowRecord[]]);
    const cell = zone(p, '10.1.1.11');
    expect(cell.name).toBe('Control cell: 2 PLCs, 1 HMI');
    expect(cell.purdueLevel).toBe(1);
    expect(cell.purdueLevels).toEqual([1, 2]);
    expect(cell.rationale).toMatch(/^3 assets at L1-2; \d+% of the bytes/);
  });
});

describe('proposeZones stability and stated choices', () => {
  test('proposeZones(a ring of hosts with no community structure) flags the assets whose zone changes under other seeds, with how often', () => {
    const assets = Array.from({ length: 16 }, (_, i) => asset(`10.6.0.${i + 1}`, 2));
    const flows = assets.map((a, i) => flow(a.ip!, assets[(i + 1) % 16]!.ip!, 443, 'https', steady(3, 2)));
    const p = proposeZones(assets, flows, { stabilityRuns: 4 });
    const uncertain = p.placements.filter((x) => x.moved > 0);
    expect(uncertain.length).toBeGreaterThan(0);
    expect(uncertain.every((x) => x.moved <= 4 && x.runs === 4)).toBe(true);
    expect(p.quality.uncertainAssets).toBe(uncertain.length);
  });

  test('proposeZones(two clear cells) flags no asset uncertain', () => {
    const { assets, flows } = twoCells();
    expect(proposeZones(assets, flows, { stabilityRuns: 6 }).quality.uncertainAssets).toBe(0);
  });

  test('proposeZones(an inventory level that all of a host traffic contradicts) keeps the level and says so', () => {
    const { assets, flows } = twoCells();
    const wrong = asset('10.1.1.30', 4);
    wrong.evidence = [{ about: 'level', text: 'inventory: level 4', source: 'inventory', line: 9 }];
    assets.push(wrong);
    for (const p of ['10.1.1.11', '10.1.1.12', '10.1.2.11']) flows.push(flow('10.1.1.30', p, 502, 'modbus', steady(7), { fn: READ }));
    const p = proposeZones(assets, flows);
    expect(p.notes.find((n) => n.code === 'ZONES_LEVEL_CONTRADICTED')!.message).toMatch(/inventory says level 4, but all 3 of its peers are more than one level away/);
    expect(zone(p, '10.1.1.30').kind).toBe('enterprise');
  });
});
