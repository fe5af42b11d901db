import type { Asset } from '../../src/assets/types.js';
import { diffDesign } from '../../src/design/diffDesign.js';
import { loadDesign } from '../../src/design/loadDesign.js';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { flow } from './flowFixture.js';

const design = (text: string) => {
  const r = loadDesign(text, { file: 'design.yaml' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.design!;
};

const TWO_ZONES = `zones:
  - zone_id: Z1-CTRL
    purdue_level: 1
    assets: ["10.0.1.0/24", "10.0.0.0/16"]
    allowed_conduits: [C1]
  - zone_id: Z3-OPS
    purdue_level: 3
    assets: ["10.0.1.50", "00:11:22:33:44:55"]
    allowed_conduits: [C1]
conduits:
  - conduit_id: C1
    connects: [Z1-CTRL, Z3-OPS]
    protocols_allowed:
      - protocol: "Modbus/TCP"
        port: 502
        direction: "Z3 -> Z1 (read only, FC 3/4 only)"
      - protocol: syslog
        transport: udp
        port: 514
        direction: "Z1 -> Z3 (unidirectional)"
`;

describe('loadDesign', () => {
  test('loadDesign(an undefined conduit in allowed_conduits) points at file:line:column and the document path', () => {
    const text = 'zones:\n  - zone_id: Z1\n    assets: ["10.0.0.1"]\n  - zone_id: Z2\n    assets: ["10.0.0.2"]\n  - zone_id: Z3\n    assets: ["10.0.0.3"]\n    allowed_conduits: [C9]\n';
    const d = loadDesign(text, { file: 'design.yaml' }).diagnostics.find((x) => x.code === 'DESIGN_UNKNOWN_CONDUIT')!;
    expect(formatDiagnostic(d)).toBe("design.yaml:6:5 zones[2].allowed_conduits[0] DESIGN_UNKNOWN_CONDUIT: 'C9' in allowed_conduits of zone Z3 is not a conduit of this design (conduits: none)");
  });

  test('loadDesign(the structured form of INTERFACES.md) reads transport, initiator, operations and function codes', () => {
    const d = design(`zones:
  - zone_id: Z02
    purdue_level: "1-2"
    assets: ["10.20.1.10"]
    allowed_conduits: [C01]
  - zone_id: Z03
    assets: ["10.30.1.50"]
    allowed_conduits: [C01]
conduits:
  - conduit_id: C01
    connects: [Z02, Z03]
    protocols_allowed:
      - protocol: modbus
        transport: tcp
        port: 502
        direction: "Z03 -> Z02"
        initiator: Z03
        operations: [read]
        function_codes: [3, 4]
`);
    expect(d.zones[0]!.purdueLevels).toEqual([1, 2]);
    expect(d.conduits[0]!.rules[0]).toMatchObject({ protocolIds: ['modbus'], transport: 'tcp', ports: [[502, 502]], initiator: 'Z03', responder: 'Z02', operations: ['read'], functionCodes: [3, 4] });
  });
});

describe('diffDesign', () => {
  test('diffDesign: the most specific entry wins (IP over /24 over /16), and a MAC places its host', () => {
    const d = design(TWO_ZONES.replace('assets: ["10.0.1.50", ', 'assets: ["10.0.1.50", "10.0.2.0/24", '));
    const r = diffDesign(d, [
      flow('10.0.1.50', '10.0.1.10', 'modbus', 502, { fns: [['function', 3, 'read']] }),
      flow('10.0.2.7', '10.0.1.10', 'modbus', 502),
      flow('10.0.3.7', '10.0.1.10', 'modbus', 502),
      flow('10.0.9.9', '10.0.1.10', 'modbus', 502),
    ], undefined, { hostMacs: [{ ip: '10.0.9.9', mac: '00:11:22:33:44:55', packets: 5, firstSeen: 0, lastSeen: 0 }] });
    // 10.0.1.50: its IP (Z3) beats Z1's /24; 10.0.2.7: Z3's /24 beats Z1's /16; 10.0.3.7: only the /16;
    // 10.0.9.9: in Z1 by the /16 but in Z3 by its MAC, a host entry
    expect(r.flows.map((v) => [v.src, v.srcZone, v.dstZone, v.verdict])).toEqual([
      ['10.0.1.50', 'Z3-OPS', 'Z1-CTRL', 'allowed'], ['10.0.2.7', 'Z3-OPS', 'Z1-CTRL', 'allowed'],
      ['10.0.3.7', 'Z1-CTRL', 'Z1-CTRL', 'same-zone'], ['10.0.9.9', 'Z3-OPS', 'Z1-CTRL', 'allowed'],
    ]);
  });

  test('diffDesign: a MAC shared by many IPs (a router) places none of them', () => {
    const d = design(TWO_ZONES.replace('"10.0.0.0/16"', '"10.9.0.0/16"'));
    const macs = ['10.0.9.9', '10.0.9.10'].map((ip) => ({ ip, mac: '00:11:22:33:44:55', packets: 5, firstSeen: 0, lastSeen: 0 }));
    const r = diffDesign(d, [flow('10.0.9.9', '10.0.1.10', 'modbus', 502)], undefined, { hostMacs: macs });
    expect(r.flows[0]).toMatchObject({ srcZone: null, reason: 'unzoned-asset' });
  });

  test('diffDesign(a MAC entry and an IP entry of one host in two zones) warns DESIGN_ZONE_CONFLICT', () => {
    const d = design(TWO_ZONES.replace('"10.0.0.0/16"', '"10.0.9.9"'));
    const r = diffDesign(d, [flow('10.0.9.9', '10.0.1.10', 'modbus', 502)], undefined, { hostMacs: [{ ip: '10.0.9.9', mac: '00:11:22:33:44:55', packets: 5, firstSeen: 0, lastSeen: 0 }] });
    expect(r.diagnostics.map((x) => x.code)).toEqual(['DESIGN_ZONE_CONFLICT']);
    expect(r.diagnostics[0]!.message).toMatch(/in zones Z1-CTRL, Z3-OPS at the same specificity; evaluated in Z1-CTRL/);
  });

  test('diffDesign: each reason in order, with the functions that break a read-only rule', () => {
    const d = design(TWO_ZONES);
    const flows = [
      flow('10.0.1.50', '10.0.1.10', 'modbus', 502, { fns: [['function', 3, 'read'], ['function', 6, 'write']] }),
      flow('10.0.1.10', '10.0.1.50', 'modbus', 502, { fns: [['function', 3, 'read']] }),
      flow('10.0.1.50', '10.0.1.10', 'https', 443),
      flow('10.0.1.10', '10.0.1.50', 'syslog', 514, { transport: 'udp', packetsToInitiator: 0 }),
      flow('10.0.1.10', '10.0.1.50', 'syslog', 514, { transport: 'udp', packetsToInitiator: 3 }),
      flow('10.0.1.10', '224.0.0.251', 'mdns', 5353, { transport: 'udp' }),
      flow('192.168.1.1', '10.0.1.10', 'modbus', 502),
    ];
    const r = diffDesign(d, flows);
    expect(r.flows.map((v) => [v.verdict, v.reason])).toEqual([
      ['breaking', 'operation-not-allowed'], ['breaking', 'wrong-direction'], ['breaking', 'protocol-not-allowed'],
      ['allowed', null], ['breaking', 'wrong-direction'], ['local', null], ['breaking', 'unzoned-asset'],
    ]);
    expect(r.flows[0]!.functions.map((f) => f.code)).toEqual([6]);
    expect(r.flows[0]!.detail).toBe('FC 6 F6 (write) not allowed by C1 Modbus/TCP 502 Z3 -> Z1 (read only, FC 3/4 only)');
    expect(r.flows[4]!.detail).toMatch(/unidirectional, but 10.0.1.50 sent 3 packets back/);
    expect(r.flows[0]).toMatchObject({ packets: 20, daysSeen: 2, hoursSeen: 3 });
    expect(r.unzonedAssets.map((u) => u.ip)).toEqual(['192.168.1.1']);
    expect(r.unusedRules).toEqual([]);
  });
});

describe('design findings', () => {
  test('diffDesign(findings): safety sharing a zone and reachable, a zone too large, writes into control, a DMZ bypass', () => {
    const d = design(`zones:
  - zone_id: Z1-SIS
    purdue_level: 1
    assets: ["10.1.0.1", "10.1.0.2", "10.1.0.3"]
    allowed_conduits: [C1]
  - zone_id: Z2-DMZ
    purdue_level: 3.5
    assets: ["10.3.0.1"]
  - zone_id: Z3-OPS
    purdue_level: 3
    assets: ["10.2.0.0/24"]
    allowed_conduits: [C1, C2]
  - zone_id: Z4-ENT
    purdue_level: 4
    assets: ["10.4.0.1"]
    allowed_conduits: [C2]
conduits:
  - conduit_id: C1
    connects: [Z1-SIS, Z3-OPS]
    protocols_allowed:
      - protocol: modbus
        port: 502
        direction: "Z3 -> Z1"
  - conduit_id: C2
    connects: [Z3-OPS, Z4-ENT]
    protocols_allowed:
      - protocol: https
        port: 443
`);
    const flows = [flow('10.1.0.9', '10.1.0.1', 'tristation', 1502, { transport: 'udp' }), ...Array.from({ length: 4 }, (_x, i) => flow(`10.2.0.${i + 1}`, '10.2.0.99', 'dns', 53))];
    const r = diffDesign(d, flows, undefined, { maxZoneSize: 4 });
    const codes = r.findings.map((f) => f.code).sort();
    expect(codes).toEqual(['DESIGN_DMZ_BYPASS', 'DESIGN_SAFETY_REACHABLE', 'DESIGN_SAFETY_SHARED_ZONE', 'DESIGN_WRITE_INTO_CONTROL', 'DESIGN_ZONE_TOO_LARGE']);
    const write = r.findings.find((f) => f.code === 'DESIGN_WRITE_INTO_CONTROL')!;
    expect(write).toMatchObject({ line: 21, path: 'conduits[0].protocols_allowed[0]' });
    expect(write.message).toMatch(/allows any operation from Z3-OPS \(level 3\) into control zone Z1-SIS \(level 1\)/);
  });
});

describe('diffDesign with the assets stage', () => {
  const asset = (ip: string, mac: string | null, extra: Partial<Asset> = {}): Asset => ({
    id: ip, ip, mac, behindRouter: false, name: null, hostnames: [], inventoryId: null, vendor: null, product: null, identity: {}, roles: [],
    purdueLevel: null, levelConfidence: 0, safety: false, safetyReason: null, packets: 0, bytes: 0, firstSeen: 0, lastSeen: 0, inInventory: false, evidence: [], ...extra,
  });
  test('diffDesign(design, flows, assets) places hosts by the assets\' own MACs, lists silent assets in no zone, tells safety from the assets', () => {
    const d = design(`zones:
  - zone_id: Z1
    assets: ["00:11:22:33:44:55", "10.0.1.2"]
  - zone_id: Z2
    assets: ["10.0.2.0/24"]
`);
    const assets = [asset('10.0.9.9', '00:11:22:33:44:55', { safety: true }), asset('10.0.1.2', null), asset('10.0.7.7', null), asset('10.0.2.5', null)];
    const r = diffDesign(d, [flow('10.0.9.9', '10.0.1.2', 'modbus', 502), flow('10.0.2.5', '10.0.1.2', 'modbus', 502)], assets, {
      // ignored when assets are given
      hostMacs: [{ ip: '10.0.2.5', mac: '00:11:22:33:44:55', packets: 1, firstSeen: 0, lastSeen: 0 }],
    });
    expect(r.flows.map((v) => [v.srcZone, v.dstZone])).toEqual([['Z1', 'Z1'], ['Z2', 'Z1']]);
    expect(r.unzonedAssets).toEqual([{ ip: '10.0.7.7', mac: null, flows: 0, packets: 0, inventoryId: null, name: null }]);
    expect(r.findings.map((f) => f.code)).toEqual(['DESIGN_SAFETY_SHARED_ZONE']);
    expect(r.zoneMembers).toEqual({ Z1: ['10.0.1.2', '10.0.9.9'], Z2: ['10.0.2.5'] });
  });
});

describe('loadDesign cross references', () => {
  test('loadDesign(a conduit its zone does not list) warns DESIGN_CONDUIT_UNREFERENCED; a zone with no allowed_conduits field is not checked', () => {
    const base = 'zones:\n  - zone_id: A\n    assets: ["10.0.0.1"]\n    allowed_conduits: []\n  - zone_id: B\n    assets: ["10.0.0.2"]\nconduits:\n  - conduit_id: C1\n    connects: [A, B]\n';
    const { diagnostics } = loadDesign(base, { file: 'd.yaml' });
    expect(diagnostics.map((d) => [d.code, d.line, d.column, d.path])).toEqual([['DESIGN_CONDUIT_UNREFERENCED', 9, 15, 'conduits[0].connects']]);
    expect(diagnostics[0]!.message).toMatch(/connects A, but zone A does not list it/);
  });
});
