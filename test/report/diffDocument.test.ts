import { diffDesign } from '../../src/design/diffDesign.js';
import { loadDesign } from '../../src/design/loadDesign.js';
import { breakingInOrder, diffDocument } from '../../src/report/diffDocument.js';
import { implementationReport } from '../../src/report/implementationReport.js';
import { flow } from '../design/flowFixture.js';

const TEXT = `facility: "Test plant"
zones:
  - zone_id: Z1-CTRL
    name: Control
    security_level_target: "SL 3"
    assets: ["10.0.1.0/24"]
    allowed_conduits: [C1]
  - zone_id: Z3-OPS
    name: Operations
    assets: ["10.0.3.0/24"]
    allowed_conduits: [C1]
conduits:
  - conduit_id: C1
    connects: [Z1-CTRL, Z3-OPS]
    protocols_allowed:
      - protocol: modbus
        port: 502
        direction: "Z3 -> Z1 (read only, patch Tuesdays only)"
      - protocol: https
        port: 443
        direction: "Z1 -> Z3"
`;

function result() {
  const { design } = loadDesign(TEXT, { file: 'd.yaml' });
  return diffDesign(design!, [
    flow('10.0.3.5', '10.0.1.5', 'modbus', 502, { fns: [['function', 3, 'read'], ['function', 16, 'write']] }),
    flow('10.0.3.6', '10.0.1.5', 'modbus', 502, { fns: [['function', 3, 'read']] }),
    flow('10.9.9.9', '10.0.1.5', 'modbus', 502),
  ]);
}

describe('diffDocument', () => {
  test('diffDocument(result) is zonescope/diff@1 with breaking flows by reason order, times in UTC, 1-based rules', () => {
    const doc = diffDocument(result()) as { schema: string; summary: unknown; breaking: Array<{ reason: string }>; flows: unknown[]; unused_rules: unknown[] };
    expect(doc.schema).toBe('zonescope/diff@1');
    expect(doc.summary).toMatchObject({ observed_flows: 3, allowed: 1, breaking: 2, unzoned_assets: 1, unused_rules: 1 });
    expect(doc.breaking.map((b) => b.reason)).toEqual(['unzoned-asset', 'operation-not-allowed']);
    expect(doc.breaking[1]).toMatchObject({ conduit: 'C1', rule: 1, operations: ['write'], functions: [{ space: 'function', code: 16, name: 'F16', op_class: 'write', requests: 1 }], first_seen: '2026-01-26T00:00:00Z', days_seen: 2, hours_seen: 3 });
    expect(doc.flows[1]).toMatchObject({ verdict: 'allowed', unchecked: ['patch Tuesdays only'] });
    expect(doc.unused_rules).toEqual([{ conduit: 'C1', rule: 2, protocol: 'https', port: 443, direction: 'Z1 -> Z3', line: 19, column: 9, path: 'conduits[0].protocols_allowed[1]' }]);
  });

  test('breakingInOrder(result) orders by reason (INTERFACES.md order), then flow order', () => {
    expect(breakingInOrder(result()).map((v) => v.src)).toEqual(['10.9.9.9', '10.0.3.5']);
  });
});

describe('implementationReport', () => {
  test('implementationReport(result) has the integrator layout: zones, conduits with rule counts and DPI, validation results', () => {
    const t = implementationReport(result(), { date: '2026-02-22' });
    expect(t).toMatch(/^IEC 62443 Zone Implementation Report\n=+\nFacility: Test plant\nImplementation Date: 2026-02-22\nStandard: IEC 62443-3-2\/3-3\n/);
    expect(t).toContain('Zone Z1-CTRL: Control (SL-T: 3)\nAssets: 1\nConduits: C1\n');
    expect(t).toContain('Conduit C1: Z1-CTRL <-> Z3-OPS\nProtocols: modbus 502, Z3-OPS -> Z1-CTRL (operations read/diagnostic/session); https 443, Z1-CTRL -> Z3-OPS\n');
    expect(t).toContain('Firewall Rules: 2 allow / 1 deny');
    expect(t).toContain('DPI Enabled: Yes (operation or function-code filtering on 1 rule)');
    expect(t).toContain('Cross-zone tests: 1 pass / 1 fail (2 observed cross-zone flows)');
    expect(t).toContain('Prohibited path tests: all blocked');
    expect(t).toContain('  - C1 modbus 502 Z3 -> Z1 (read only, patch Tuesdays only): 2 flows checked, 1 outside it\n      10.0.3.5 (Z3-OPS) -> 10.0.1.5 (Z1-CTRL) modbus tcp/502: 16 F16\n');
    expect(t).toContain('Not machine-checked: 1 restriction\n  - C1 modbus 502 Z3 -> Z1 (read only, patch Tuesdays only): patch Tuesdays only\n');
    expect(t.trimEnd().split('\n').pop()).toBe('Result: FAIL (2 observed flows would break)');
  });
});
