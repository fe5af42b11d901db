/**
 * A generated report model for the report bench and tests: `assets` hosts in 50 zones over six
 * levels, `flows` flows (80 % inside a zone), the conduits that carry the others, a diff. Seeded.
 */
import { Rng } from '../fixtures/generator/rng.js';
import type { FlowRecord } from '../src/baseline/reader.js';
import type { ConduitRuleDoc, ReportModel } from '../src/report/html/model.js';
import { isoTime } from '../src/report/json.js';

const T0 = Date.UTC(2026, 0, 5) / 1000;
const DAYS = 28;

const ipOf = (i: number): string => `10.${1 + Math.floor(i / 62500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;

export function generateReportModel(assets: number, flows: number, seed = 62443): ReportModel {
  const rng = new Rng(seed);
  const ZONES = 50;
  const LEVELS = [0, 1, 2, 3, 3.5, 4];
  const zoneOf = (i: number): number => i % ZONES;
  const levelOfZone = (z: number): number => LEVELS[z % LEVELS.length]!;
  const protos: Array<[string, string, number, string[]]> = [
    ['modbus', 'tcp', 502, ['read', 'write']], ['enip', 'tcp', 44818, ['read', 'session']], ['s7comm', 'tcp', 102, ['read', 'program']],
    ['opcua', 'tcp', 4840, ['read', 'session']], ['https', 'tcp', 443, []], ['dns', 'udp', 53, []], ['rdp', 'tcp', 3389, []],
  ];
  const recs: FlowRecord[] = [];
  const seen = new Set<string>();
  while (recs.length < flows) {
    const s = rng.int(0, assets - 1);
    const sameZone = rng.chance(0.8);
    let d = rng.int(0, assets - 1);
    if (sameZone) d = (Math.floor(d / ZONES) * ZONES + zoneOf(s)) % assets;
    if (d === s) continue;
    const [protocol, transport, port, ops] = rng.pick(protos);
    const key = `${s}|${d}|${port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const first = rng.int(0, DAYS * 24 - 1);
    const n = rng.int(1, 40);
    const hours: FlowRecord['hours'] = [];
    for (let k = 0, h = first; k < n && h < DAYS * 24; k++, h += rng.int(1, 12)) hours.push({ hour: Math.floor(T0 / 3600) + h, packets: rng.int(2, 400), bytes: rng.int(200, 40000) });
    const packets = hours.reduce((x, h) => x + h.packets, 0);
    recs.push({
      id: recs.length, src: ipOf(s), dst: ipOf(d), transport, port, protocol,
      packetsToResponder: Math.ceil(packets / 2), packetsToInitiator: Math.floor(packets / 2), bytesToResponder: packets * 60, bytesToInitiator: packets * 70,
      connections: transport === 'tcp' ? n : 0, firstSeen: hours[0]!.hour * 3600 + 5, lastSeen: hours[hours.length - 1]!.hour * 3600 + 3000, evidence: { syn: n },
      hours, functions: ops.map((op, k) => ({ space: 'function', code: k + 3, variant: 0, name: `FN_${k + 3}`, opClass: op, requests: 10, responses: 10, exceptions: 0 })),
      ranges: [], objects: [], attributes: [],
    });
  }
  recs.sort((a, b) => (a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : a.port - b.port));
  const assetsDoc = {
    schema: 'zonescope/assets@1',
    assets: Array.from({ length: assets }, (_, i) => ({
      id: ipOf(i), ip: ipOf(i), mac: `00:1d:9c:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
      name: `HOST-${String(i).padStart(5, '0')}`, vendor: rng.pick(['Rockwell Automation', 'Siemens', 'Schneider Electric', 'Dell Inc.']), product: null,
      roles: [{ role: rng.pick(['modbus-server', 'enip-server', 'hmi', 'historian', 'poller']), count: 2 }], purdue_level: levelOfZone(zoneOf(i)), level_confidence: 0.8,
      safety: i % 97 === 0, evidence: [{ about: 'level', text: 'generated', source: 'bench' }], packets: 0, bytes: 0,
    })),
  };
  const zoneIds = Array.from({ length: ZONES }, (_, z) => `Z${String(z + 1).padStart(2, '0')}`);
  const zoneOfIp = new Map(assetsDoc.assets.map((a, i) => [a.ip, zoneOf(i)]));
  const rules = new Map<string, { iz: number; rz: number; f: FlowRecord }>();
  for (const f of recs) {
    const iz = zoneOfIp.get(f.src)!;
    const rz = zoneOfIp.get(f.dst)!;
    if (iz !== rz) rules.set(`${iz}|${rz}|${f.transport}|${f.port}`, { iz, rz, f });
  }
  const conduits = new Map<string, { id: string; connects: string[]; flows: ConduitRuleDoc[] }>();
  for (const { iz, rz, f } of rules.values()) {
    const pair = [Math.min(iz, rz), Math.max(iz, rz)];
    const k = pair.join('~');
    const c = conduits.get(k) ?? { id: '', connects: pair.map((z) => zoneIds[z]!), flows: [] };
    c.flows.push({ initiator_zone: zoneIds[iz]!, responder_zone: zoneIds[rz]!, transport: f.transport, port: f.port, protocol: f.protocol, operations: [], packets: 0, first_seen: isoTime(f.firstSeen), last_seen: isoTime(f.lastSeen), days_seen: 1, risky: levelOfZone(iz) > levelOfZone(rz) ? ['writes into control from a higher level'] : false });
    conduits.set(k, c);
  }
  const conduitList = [...conduits.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, c], i) => ({ ...c, id: `C${String(i + 1).padStart(4, '0')}` }));
  const breaking = recs.filter((_, i) => i % 50 === 0).map((f) => ({ src: f.src, dst: f.dst, transport: f.transport, port: f.port, protocol: f.protocol, reason: 'no-conduit', detail: 'generated' }));
  return {
    title: `generated plant: ${assets} assets, ${flows} flows`,
    baseline: {
      overview: { captures: 672, frames: 1e9, ipPackets: 1e9, bytes: 1e11, firstSeen: T0, lastSeen: T0 + DAYS * 86400 - 1, flows: recs.length },
      captures: [], diagnostics: [], diagnosticCounts: [], protocolStats: [], scans: [],
    },
    flows: recs,
    assets: assetsDoc as ReportModel['assets'],
    zones: { schema: 'zonescope/zones@1', zones: zoneIds.map((id, z) => ({ id, name: `zone ${id}`, purdue_level: levelOfZone(z), purdue_levels: [levelOfZone(z)], assets: assetsDoc.assets.filter((_, i) => zoneOf(i) === z).map((a) => a.ip) })), conduits: conduitList },
    diff: { schema: 'zonescope/diff@1', summary: { breaking: breaking.length }, breaking },
  };
}

