import { parse } from 'yaml';
import type { Asset } from '../../src/assets/types.js';
import type { FlowRecord } from '../../src/baseline/reader.js';
import { zonesDocument } from '../../src/report/zonesDocument.js';
import { zonesYaml } from '../../src/report/zonesYaml.js';
import { dissectorMainSpace, proposeZones } from '../../src/zones/proposeZones.js';
import { breakingFlows } from '../zones/helpers/miniDiff.js';
import { asset, flow, READ, steady, WRITE } from '../zones/helpers/synthetic.js';

function plant(): { assets: Asset[]; flows: FlowRecord[] } {
  const assets = [asset('10.1.1.11', 1), asset('10.1.1.21', 2, { role: 'hmi' }), asset('10.1.9.20', 3, { role: 'historian' }), asset('172.16.0.10', 3.5), asset('10.50.0.21', 4)];
  const flows = [
    flow('10.1.1.21', '10.1.1.11', 502, 'modbus', steady(7), { fn: READ }),
    flow('10.1.9.20', '10.1.1.11', 502, 'modbus', steady(7, 3), { fn: WRITE }),
    flow('10.1.9.20', '172.16.0.10', 5450, 'pi', steady(7)),
    flow('10.50.0.21', '172.16.0.10', 443, 'https', steady(5, 8)),
    flow('10.1.1.21', '10.1.9.20', 53, 'dns', steady(7, 6), { transport: 'udp' }),
  ];
  return { assets, flows };
}
const opts = { hasFunctionCodes: (p: string) => dissectorMainSpace(p) !== undefined };

describe('zonesYaml', () => {
  test('zonesYaml(proposal) writes the design schema of INTERFACES.md: zones with IP assets, structured rules', () => {
    const { assets, flows } = plant();
    const p = proposeZones(assets, flows);
    const doc = parse(zonesYaml(p, opts)) as { zones: Array<Record<string, unknown>>; conduits: Array<Record<string, unknown>> };
    expect(doc.zones.map((z) => z.zone_id)).toEqual(p.zones.map((z) => z.id));
    const cell = doc.zones.find((z) => (z.assets as string[]).includes('10.1.1.11'))!;
    expect(Object.keys(cell)).toEqual(['zone_id', 'name', 'purdue_level', 'security_level_target', 'assets', 'allowed_conduits']);
    expect(cell.purdue_level).toBe('1-2');
    expect(doc.zones.find((z) => (z.assets as string[]).includes('172.16.0.10'))!.purdue_level).toBe(3.5);
    const rules = doc.conduits.flatMap((c) => c.protocols_allowed as Array<Record<string, unknown>>);
    const modbus = rules.find((r) => r.protocol === 'modbus')!;
    expect(modbus).toEqual({ protocol: 'modbus', transport: 'tcp', port: 502, direction: `${modbus.initiator} -> ${p.placements.find((x) => x.asset.ip === '10.1.1.11')!.zone}`, initiator: modbus.initiator, operations: ['read', 'write'], function_codes: [3, 16] });
    const https = rules.find((r) => r.protocol === 'https')!;
    expect(Object.keys(https)).toEqual(['protocol', 'transport', 'port', 'direction']);
  });

  test('zonesYaml(proposal) round trip: checked against its own flows, nothing breaks', () => {
    const { assets, flows } = plant();
    const p = proposeZones(assets, flows);
    expect(breakingFlows(zonesYaml(p, opts), flows, dissectorMainSpace)).toEqual([]);
    // and the check can fail: a write the proposal never saw breaks it
    const extra = flow('10.1.9.20', '10.1.1.11', 502, 'modbus', [3], { fn: [['function', 6, 'write']] });
    expect(breakingFlows(zonesYaml(p, opts), [extra], dissectorMainSpace).map((b) => b.reason)).toEqual(['operation-not-allowed']);
  });

  test('zonesYaml(empty proposal) is a valid document with no zones and no conduits', () => {
    const doc = parse(zonesYaml(proposeZones([], []), opts)) as Record<string, unknown>;
    expect(doc.zones).toEqual([]);
    expect(doc.conduits).toEqual([]);
  });
});

interface ZonesDoc {
  schema: string;
  assets: Array<{ ip: string; zone: string; uncertain: boolean }>;
  zones: Array<{ id: string; purdue_level: number; purdue_levels: number[]; metrics: Record<string, number> }>;
  conduits: Array<{ flows: Array<Record<string, unknown> & { first_seen: string }> }>;
  quality: Record<string, number>;
}

describe('zonesDocument', () => {
  test('zonesDocument(proposal) is zones@1: assets with zone, zones with purdue_level and purdue_levels, conduits with flows, quality', () => {
    const { assets, flows } = plant();
    const doc = zonesDocument(proposeZones(assets, flows)) as unknown as ZonesDoc;
    expect(doc.schema).toBe('zonescope/zones@1');
    expect(Object.keys(doc)).toEqual(['schema', 'options', 'assets', 'zones', 'conduits', 'adjustments', 'quality', 'notes']);
    const plc = doc.assets.find((a) => a.ip === '10.1.1.11')!;
    expect(plc.zone).toMatch(/^Z\d\d$/);
    expect(plc.uncertain).toBe(false);
    const z = doc.zones.find((x) => x.id === plc.zone)!;
    expect(z.purdue_level).toBe(1);
    expect(z.purdue_levels).toEqual([1, 2]);
    expect(Object.keys(z.metrics)).toContain('internal_bytes_share');
    const rule = doc.conduits[0]!.flows[0]!;
    expect(Object.keys(rule).slice(0, 6)).toEqual(['initiator_zone', 'responder_zone', 'transport', 'port', 'protocol', 'operations']);
    expect(rule.first_seen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Object.keys(doc.quality)).toEqual(['modularity', 'cross_zone_bytes_share', 'cross_zone_flows_share', 'zones', 'conduits', 'rules', 'uncertain_assets']);
  });
});
