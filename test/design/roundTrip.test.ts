/**
 * Round trip: a zones.yaml in the form `propose` writes (docs/INTERFACES.md "Zones YAML written by
 * propose": IP asset entries, one structured rule per minimum-conduit flow) loads with no error and no
 * warning without an inventory and, diffed against its own baseline, breaks nothing. Until the zones
 * stage lands, the document is written here from the demo's ground-truth zoning and the observed flows,
 * the way propose does. A hand-broken copy shows the test can fail.
 */
import { stringify } from 'yaml';
import { BaselineReader, type FlowRecord } from '../../src/baseline/reader.js';
import { diffDesign } from '../../src/design/diffDesign.js';
import { mainSpace } from '../../src/design/evaluateFlow.js';
import { loadDesign } from '../../src/design/loadDesign.js';
import { demoStore, groundTruth } from './demoStore.js';

let store: Awaited<ReturnType<typeof demoStore>>;
let flows: FlowRecord[];
beforeAll(async () => {
  store = await demoStore();
  const r = BaselineReader.open(store.db);
  flows = r.flows();
  r.close();
});
afterAll(() => store.cleanup());

/** The propose form: zones of IPs, conduits with one structured rule per (initiator zone, responder zone, transport, port, protocol). */
function proposeForm(zoneOfIp: Map<string, string>, observed: FlowRecord[]): string {
  const zoneIds = [...new Set(zoneOfIp.values())].sort();
  const conduits = new Map<string, { connects: [string, string]; rules: Map<string, Record<string, unknown>> }>();
  for (const f of observed) {
    const a = zoneOfIp.get(f.src)!;
    const b = zoneOfIp.get(f.dst)!;
    if (a === b) continue;
    const pair = [a, b].sort() as [string, string];
    const id = `C-${pair[0]}-${pair[1]}`;
    const c = conduits.get(id) ?? { connects: pair, rules: new Map() };
    conduits.set(id, c);
    const rk = `${a}>${b} ${f.transport}/${f.port} ${f.protocol}`;
    const rule = (c.rules.get(rk) ?? { protocol: f.protocol, transport: f.transport, port: f.port, direction: `${a} -> ${b}`, initiator: a }) as Record<string, unknown>;
    const main = mainSpace(f.protocol);
    if (f.functions.length > 0) {
      const ops = new Set<string>((rule.operations as string[] | undefined) ?? []);
      for (const fn of f.functions) if (fn.opClass !== 'carrier') ops.add(fn.opClass);
      rule.operations = [...ops].sort();
      const codes = new Set<number>((rule.function_codes as number[] | undefined) ?? []);
      for (const fn of f.functions) if (fn.space === main && fn.requests > 0) codes.add(fn.code);
      if (codes.size > 0) rule.function_codes = [...codes].sort((x, y) => x - y);
    }
    c.rules.set(rk, rule);
  }
  const doc = {
    zones: zoneIds.map((z) => ({
      zone_id: z,
      name: `zone ${z}`,
      security_level_target: 'SL 2',
      assets: [...zoneOfIp].filter(([, zz]) => zz === z).map(([ip]) => ip).sort(),
      allowed_conduits: [...conduits].filter(([, c]) => c.connects.includes(z)).map(([id]) => id).sort(),
    })),
    conduits: [...conduits].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, c]) => ({
      conduit_id: id, connects: c.connects, security_level: 'SL 2', protocols_allowed: [...c.rules.values()],
    })),
  };
  return stringify(doc);
}

function groundTruthZoning(): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of groundTruth().assets) m.set(a.ip, a.zone ?? 'Z0-UNASSIGNED');
  // observed hosts that the ground truth lists in no asset (the Z5 CIDR's hosts) go with the zone of their /16
  for (const f of flows) for (const ip of [f.src, f.dst]) if (!m.has(ip)) m.set(ip, ip.startsWith('10.50.') ? 'Z5-ENT' : 'Z0-UNASSIGNED');
  return m;
}

describe('the propose form of zones.yaml', () => {
  test('loadDesign(zones.yaml in the propose form, no inventory) has no error and no warning', () => {
    const text = proposeForm(groundTruthZoning(), flows);
    const { design, diagnostics } = loadDesign(text, { file: 'zones.yaml' });
    expect(diagnostics).toEqual([]);
    expect(design!.conduits.length).toBeGreaterThan(3);
    expect(design!.conduits.flatMap((c) => c.rules).every((r) => r.initiator !== null && r.transport !== null)).toBe(true);
  });

  test('diffDesign(zones.yaml, its own baseline) breaks nothing and uses every rule', () => {
    const { design } = loadDesign(proposeForm(groundTruthZoning(), flows), { file: 'zones.yaml' });
    const result = diffDesign(design!, flows);
    expect(result.flows.filter((v) => v.verdict === 'breaking')).toEqual([]);
    expect(result.summary.observedFlows).toBe(flows.length);
    expect(result.unusedRules).toEqual([]);
    expect(result.unzonedAssets).toEqual([]);
  });

  test('diffDesign(zones.yaml without the write codes of one rule) breaks exactly that flow', () => {
    const text = proposeForm(groundTruthZoning(), flows).replace(/function_codes:\n(\s+)- 3\n\s+- 4\n\s+- 6\n\s+- 16\n/, 'function_codes:\n$1- 3\n$1- 4\n');
    expect(text).not.toMatch(/- 16\n/);
    const { design, diagnostics } = loadDesign(text, { file: 'zones.yaml' });
    expect(diagnostics).toEqual([]);
    const broken = diffDesign(design!, flows).flows.filter((v) => v.verdict === 'breaking');
    expect(broken.map((v) => [v.src, v.dst, v.reason, v.functions.map((f) => f.code)])).toEqual([['10.30.1.30', '10.20.1.12', 'operation-not-allowed', [6, 16]]]);
  });
});
