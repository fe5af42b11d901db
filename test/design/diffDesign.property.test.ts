/**
 * Property test: for designs generated at random over the demo baseline (random zoning with host
 * entries and CIDRs, conduits, protocols by name variants, ports, transports, directions by prefix,
 * full id or structured initiator, text and structured restrictions), diffDesign agrees flow by flow
 * with the deliberately simple reference evaluator below: same verdict, same reason. Seeded.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { BaselineReader, type FlowRecord } from '../../src/baseline/reader.js';
import { diffDesign } from '../../src/design/diffDesign.js';
import { loadDesign } from '../../src/design/loadDesign.js';
import { demoStore } from './demoStore.js';

/** Design protocol names and the flow labels they stand for (written here independently of src/design). */
const NAMES: Record<string, string[]> = {
  'Modbus/TCP': ['modbus'], modbus: ['modbus'], 'EtherNet/IP': ['enip', 'cip-io'], ENIP: ['enip'], 'CIP I/O': ['cip-io'],
  'OPC UA': ['opcua'], 'PI-to-PI': ['pi'], HTTPS: ['https', 'tls'], RDP: ['rdp'], DNS: ['dns'], NTP: ['ntp'], http: ['http'], TriStation: ['tristation'],
};
/** The code space function_codes restrict, per protocol. */
const MAIN: Record<string, string> = {
  modbus: 'function', enip: 'cip', 'cip-io': 'io', s7comm: 'function', opcua: 'service',
  dns: 'opcode', netbios: 'opcode', mdns: 'opcode', llmnr: 'opcode', dhcp: 'message type',
};
const READ_ONLY = ['read', 'diagnostic', 'session'];

interface MRule {
  proto: string | null;
  port: number | null;
  transport: 'tcp' | 'udp' | null;
  dir: 'none' | 'ab' | 'ba';
  style: 'prefix' | 'full' | 'structured';
  text: string[];
  ops: string[] | null;
  codes: number[] | null;
}
interface MConduit {
  a: number;
  b: number;
  rules: MRule[];
}
interface MDesign {
  k: number;
  hostZone: number[];
  subnetZone: Array<number | null>;
  conduits: MConduit[];
}

let flows: FlowRecord[] = [];
let hosts: string[] = [];
let subnets: string[] = [];
let ports: number[] = [];
/** per protocol, the main-space codes its flows request (a rule listing exactly these passes them) */
let requestCodes: number[][] = [];
let store: Awaited<ReturnType<typeof demoStore>>;
beforeAll(async () => {
  store = await demoStore();
  const r = BaselineReader.open(store.db);
  flows = r.flows();
  r.close();
  hosts = [...new Set(flows.flatMap((f) => [f.src, f.dst]))].sort();
  subnets = [...new Set(hosts.flatMap((h) => [`${h.split('.').slice(0, 3).join('.')}.0/24`, `${h.split('.').slice(0, 2).join('.')}.0.0/16`]))].sort();
  ports = [...new Set(flows.map((f) => f.port))].sort((a, b) => a - b);
  const byProto = new Map<string, Set<number>>();
  for (const f of flows) for (const fn of f.functions) if (fn.space === MAIN[f.protocol] && fn.requests > 0) byProto.set(f.protocol, (byProto.get(f.protocol) ?? new Set()).add(fn.code));
  requestCodes = [...byProto.values()].map((s) => [...s].sort((a, b) => a - b));
});
afterAll(() => store.cleanup());

const zid = (i: number): string => `Z${i + 1}-ZONE${i + 1}`;

/** Names whose labels include the protocol (so that derived rules hit observed flows). */
const namesFor = (protocol: string): string[] => Object.keys(NAMES).filter((n) => NAMES[n]!.includes(protocol));

function arbRule(derived: FlowRecord | null): fc.Arbitrary<MRule> {
  const names = derived ? namesFor(derived.protocol) : [];
  const classes = derived ? [...new Set(derived.functions.filter((fn) => fn.opClass !== 'carrier').map((fn) => fn.opClass))] : [];
  const codes = derived ? [...new Set(derived.functions.filter((fn) => fn.space === MAIN[derived.protocol] && fn.requests > 0).map((fn) => fn.code))] : [];
  return fc.record({
    proto: names.length > 0 ? fc.option(fc.constantFrom(...names), { freq: 6 }) : fc.option(fc.constantFrom(...Object.keys(NAMES)), { freq: 4 }),
    port: derived ? fc.option(fc.constant(derived.port), { freq: 2 }) : fc.option(fc.oneof(fc.constantFrom(...ports), fc.integer({ min: 1, max: 65535 })), { freq: 2 }),
    transport: fc.option(derived ? fc.constant(derived.transport as 'tcp' | 'udp') : fc.constantFrom<'tcp' | 'udp'>('tcp', 'udp'), { freq: 1 }),
    dir: fc.constantFrom<MRule['dir']>('none', 'ab', 'ba', 'ab', 'ba'),
    style: fc.constantFrom<MRule['style']>('prefix', 'full', 'structured'),
    text: fc.subarray(['read only', 'FC 3/4 only', 'FC 3 only', 'unidirectional', 'patch downloads only'], { maxLength: derived ? 1 : 5 }),
    ops: fc.option(fc.oneof(fc.subarray(['read', 'write', 'session', 'diagnostic', 'io']), fc.constant(classes), fc.subarray(classes)), { freq: 2 }),
    codes: fc.option(fc.oneof(fc.subarray([0, 3, 4, 6, 16, 76, 77, 84, 631, 634]), fc.constant(codes), fc.subarray(codes)), { freq: 2 }),
  }).map((r) => (r.proto === null && r.port === null ? { ...r, port: derived?.port ?? ports[0]! } : r));
}

function arbDesign(): fc.Arbitrary<MDesign> {
  return fc.integer({ min: 1, max: 5 }).chain((k) => {
    const zone = fc.integer({ min: 0, max: k - 1 });
    return fc
      .record({
        hostZone: fc.array(fc.oneof({ arbitrary: zone, weight: 9 }, { arbitrary: fc.constant(-1), weight: 1 }), { minLength: hosts.length, maxLength: hosts.length }),
        subnetZone: fc.array(fc.option(zone, { freq: 3 }), { minLength: subnets.length, maxLength: subnets.length }),
      })
      .chain(({ hostZone, subnetZone }) => {
        const base: MDesign = { k, hostZone, subnetZone, conduits: [] };
        // conduits between the zones of observed flows, with rules aimed at those flows, plus random ones
        const cross = flows.filter((f) => {
          const a = modelZone(base, f.src);
          const b = modelZone(base, f.dst);
          return a !== null && b !== null && a !== b;
        });
        const randomConduit: fc.Arbitrary<MConduit> = fc
          .record({ a: zone, off: fc.integer({ min: 1, max: Math.max(1, k - 1) }), rules: fc.array(arbRule(null), { maxLength: 3 }) })
          .map(({ a, off, rules }) => ({ a, b: (a + off) % k, rules }));
        const aimed: fc.Arbitrary<MConduit> | null = cross.length === 0 ? null : fc.constantFrom(...cross).chain((f) =>
          fc.array(fc.oneof(arbRule(f), arbRule(null)), { minLength: 1, maxLength: 3 }).map((rules) => ({ a: modelZone(base, f.src)!, b: modelZone(base, f.dst)!, rules })),
        );
        const conduit = aimed ? fc.oneof({ arbitrary: aimed, weight: 3 }, { arbitrary: randomConduit, weight: 1 }) : randomConduit;
        return (k === 1 ? fc.constant<MConduit[]>([]) : fc.array(conduit, { maxLength: 8 })).map((conduits) => ({ ...base, conduits }));
      });
  });
}

/** The model's zone of a host: its own entry, else the most specific subnet entry (/24 before /16). */
function modelZone(m: MDesign, ip: string): number | null {
  const h = m.hostZone[hosts.indexOf(ip)]!;
  if (h >= 0) return h;
  const s24 = subnets.indexOf(`${ip.split('.').slice(0, 3).join('.')}.0/24`);
  if (s24 >= 0 && m.subnetZone[s24] !== null) return m.subnetZone[s24]!;
  const s16 = subnets.indexOf(`${ip.split('.').slice(0, 2).join('.')}.0.0/16`);
  if (s16 >= 0 && m.subnetZone[s16] !== null) return m.subnetZone[s16]!;
  return null;
}

function yamlOf(m: MDesign): string {
  const zones = Array.from({ length: m.k }, (_x, i) => ({
    zone_id: zid(i),
    assets: [...hosts.filter((_h, j) => m.hostZone[j] === i), ...subnets.filter((_s, j) => m.subnetZone[j] === i)],
    allowed_conduits: m.conduits.flatMap((c, ci) => (c.a === i || c.b === i ? [`C${ci + 1}`] : [])),
  }));
  const conduits = m.conduits.map((c, ci) => ({
    conduit_id: `C${ci + 1}`,
    connects: [zid(c.a), zid(c.b)],
    protocols_allowed: c.rules.map((r) => {
      const out: Record<string, unknown> = {};
      if (r.proto !== null) out.protocol = r.proto;
      if (r.port !== null) out.port = r.port;
      if (r.transport !== null) out.transport = r.transport;
      const [from, to] = r.dir === 'ab' ? [c.a, c.b] : [c.b, c.a];
      if (r.dir !== 'none' && r.style === 'structured') out.initiator = zid(from);
      else if (r.dir !== 'none') {
        const ref = (i: number): string => (r.style === 'prefix' ? `Z${i + 1}` : zid(i));
        out.direction = `${ref(from)} -> ${ref(to)}${r.text.length > 0 ? ` (${r.text.join(', ')})` : ''}`;
      }
      if (r.ops !== null) out.operations = r.ops;
      if (r.codes !== null) out.function_codes = r.codes;
      return out;
    }),
  }));
  return stringify({ zones, conduits });
}

/** The reference: the rules of docs/INTERFACES.md written as plainly as possible, on the model. */
function reference(m: MDesign, f: FlowRecord): { verdict: string; reason: string | null } {
  const zs = modelZone(m, f.src);
  const zd = modelZone(m, f.dst);
  if (zs === null || zd === null) return { verdict: 'breaking', reason: 'unzoned-asset' };
  if (zs === zd) return { verdict: 'same-zone', reason: null };
  const cs = m.conduits.filter((c) => (c.a === zs && c.b === zd) || (c.a === zd && c.b === zs));
  if (cs.length === 0) return { verdict: 'breaking', reason: 'no-conduit' };
  const svc: Array<{ r: MRule; c: MConduit }> = [];
  for (const c of cs) {
    for (const r of c.rules) {
      if (r.proto !== null && !NAMES[r.proto]!.includes(f.protocol)) continue;
      if (r.port !== null && r.port !== f.port) continue;
      if (r.transport !== null && r.transport !== f.transport) continue;
      svc.push({ r, c });
    }
  }
  if (svc.length === 0) return { verdict: 'breaking', reason: 'protocol-not-allowed' };
  const dirOk = svc.filter(({ r, c }) => {
    if (r.dir !== 'none') {
      const init = r.dir === 'ab' ? c.a : c.b;
      if (init !== zs) return false;
    }
    const textual = r.dir !== 'none' && r.style !== 'structured';
    if (textual && r.text.includes('unidirectional') && f.transport === 'udp' && f.packetsToInitiator > 0) return false;
    return true;
  });
  if (dirOk.length === 0) return { verdict: 'breaking', reason: 'wrong-direction' };
  for (const fn of f.functions) {
    if (fn.requests + fn.responses + fn.exceptions === 0) continue;
    const ok = dirOk.some(({ r }) => {
      const textual = r.dir !== 'none' && r.style !== 'structured';
      let ops: string[] | null = textual && r.text.includes('read only') ? READ_ONLY : null;
      if (r.ops !== null) ops = ops === null ? r.ops : ops.filter((o) => r.ops!.includes(o));
      let codes: number[] | null = null;
      if (textual && r.text.includes('FC 3/4 only')) codes = [3, 4];
      if (textual && r.text.includes('FC 3 only')) codes = codes === null ? [3] : codes.filter((c) => c === 3);
      if (r.codes !== null) codes = codes === null ? r.codes : codes.filter((c) => r.codes!.includes(c));
      if (fn.opClass === 'carrier') return true; // no operation of its own (docs/INTERFACES.md)
      if (ops !== null && !ops.includes(fn.opClass)) return false;
      if (codes !== null && fn.space === MAIN[f.protocol] && fn.requests > 0 && !codes.includes(fn.code)) return false;
      return true;
    });
    if (!ok) return { verdict: 'breaking', reason: 'operation-not-allowed' };
  }
  return { verdict: 'allowed', reason: null };
}

describe('diffDesign against a reference evaluator', () => {
  test('diffDesign(random design over the demo baseline) agrees with the reference on every flow (seeded)', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(arbDesign(), (m) => {
        const { design, diagnostics } = loadDesign(yamlOf(m), { file: 'random.yaml' });
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const result = diffDesign(design!, flows);
        for (const [i, v] of result.flows.entries()) {
          const want = reference(m, flows[i]!);
          const k = want.reason ?? want.verdict;
          seen.set(k, (seen.get(k) ?? 0) + 1);
          expect({ flow: `${v.src} -> ${v.dst} ${v.protocol}/${v.port}`, verdict: v.verdict, reason: v.reason }).toEqual({
            flow: `${v.src} -> ${v.dst} ${v.protocol}/${v.port}`, ...want,
          });
        }
      }),
      { seed: 62443, numRuns: 200 },
    );
    // and not only by chance: each cross-zone verdict is common
    for (const k of ['allowed', 'no-conduit', 'operation-not-allowed', 'protocol-not-allowed', 'wrong-direction']) expect(seen.get(k)).toBeGreaterThan(100);
    // the generated designs reach every verdict and every reason
    expect([...seen.keys()].sort()).toEqual(['allowed', 'no-conduit', 'operation-not-allowed', 'protocol-not-allowed', 'same-zone', 'unzoned-asset', 'wrong-direction']);
  });
});
