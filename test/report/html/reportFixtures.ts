/**
 * Test data for the report tests. The baseline is real (the demo plant, ingested with the current
 * ingest); the assets, zones, diff and events documents are HAND-MADE TEST DATA shaped per
 * docs/INTERFACES.md, derived from fixtures/refinery-unit3/ground-truth.json, standing in for the
 * stages built on other branches (the lead wires the real outputs in at merge).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Baseline } from '../../../src/baseline/baseline.js';
import { ingestCaptures } from '../../../src/pipeline/ingestCaptures.js';
import { BaselineReader, type FlowRecord } from '../../../src/baseline/reader.js';
import { isoTime } from '../../../src/report/json.js';
import { REPO_ROOT } from '../../util/captures.js';
import { modbusAdu, tcpFrame } from '../../util/frameBuilder.js';
import { buildPcap } from '../../util/pcap.js';
import { encap, identityImage, listIdentityReply } from '../../dissectors/enip/enipBuilders.js';

interface GtAsset { id: string; name: string; ip: string; mac: string; vendor: string; role: string; purdue_level: number; zone: string | null; in_inventory: boolean }
interface GtBreaking { src: string; dst: string; transport: string; port: number; protocol: string; src_zone: string | null; dst_zone: string | null; reason: string; detail: string }
interface GroundTruth { assets: GtAsset[]; expected_breaking: GtBreaking[] }

export const GROUND_TRUTH = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/refinery-unit3/ground-truth.json'), 'utf8')) as GroundTruth;

/** Ingest the captures into a store at dir/name.db (the real ingest) and open it read-only. */
export async function ingestStore(dir: string, name: string, inputs: string[]): Promise<BaselineReader> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.db`);
  const b = Baseline.open(path);
  try {
    await ingestCaptures(b, inputs, { workers: 1 });
  } finally {
    b.close();
  }
  return BaselineReader.open(path);
}

export const demoStore = (dir: string): Promise<BaselineReader> => ingestStore(dir, 'demo', [join(REPO_ROOT, 'fixtures', 'refinery-unit3')]);

const LEVEL_OF_ZONE: Record<string, number> = { 'Z1-SIS': 1, 'Z2-BPCS': 1, 'Z3-OPS': 3, 'Z4-DMZ': 3.5, 'Z5-ENT': 4 };

function opsOf(f: FlowRecord): string[] {
  return [...new Set(f.functions.filter((x) => x.requests > 0 && x.opClass !== 'carrier' && x.space !== 'encapsulation').map((x) => x.opClass))].sort();
}

/** zonescope/assets@1, zones@1, diff@1 and events@1 documents for the demo plant (test data). */
export function demoParts(reader: BaselineReader): { assets: unknown; zones: unknown; diff: unknown; events: unknown } {
  const flows = reader.flows();
  const gt = new Map(GROUND_TRUTH.assets.map((a) => [a.ip, a]));
  const zoneOf = (ip: string): string | null => gt.get(ip)?.zone ?? null;
  const assets = GROUND_TRUTH.assets.map((a) => ({
    id: a.ip, ip: a.ip, mac: a.mac, behind_router: false, name: a.id, hostnames: [], inventory_id: a.in_inventory ? a.id : null,
    vendor: a.vendor, product: a.name, identity: {}, roles: [{ role: a.role, count: 1 }], purdue_level: a.purdue_level, level_confidence: 0.9,
    safety: a.zone === 'Z1-SIS', safety_reason: a.zone === 'Z1-SIS' ? 'test data: in the SIS zone of the ground truth' : null,
    packets: 0, bytes: 0, first_seen: null, last_seen: null, in_inventory: a.in_inventory,
    evidence: [{ about: 'level', text: `test data: ground truth says ${a.role}`, source: 'test' }],
  }));
  const zoneIds = [...new Set(GROUND_TRUTH.assets.map((a) => a.zone).filter((z): z is string => z !== null))].sort();
  const zones = zoneIds.map((z) => {
    const members = GROUND_TRUTH.assets.filter((a) => a.zone === z);
    return {
      id: z, name: `${z} (test data)`, purdue_level: Math.min(...members.map((m) => m.purdue_level)),
      purdue_levels: [...new Set(members.map((m) => m.purdue_level))].sort(), security_level_target: z === 'Z1-SIS' ? 'SL 3' : 'SL 2',
      assets: members.map((m) => m.ip), rationale: 'test data from ground-truth.json', metrics: { internal_bytes_share: 0.5 },
    };
  });
  const rules = new Map<string, { initiator_zone: string; responder_zone: string; transport: string; port: number; protocol: string; operations: string[]; packets: number; bytes: number; first: number; last: number; days: Set<number>; risky: string[] }>();
  for (const f of flows) {
    const a = zoneOf(f.src);
    const b = zoneOf(f.dst);
    if (!a || !b || a === b) continue;
    const k = [a, b, f.transport, f.port, f.protocol].join('|');
    const r = rules.get(k) ?? { initiator_zone: a, responder_zone: b, transport: f.transport, port: f.port, protocol: f.protocol, operations: [], packets: 0, bytes: 0, first: Infinity, last: 0, days: new Set<number>(), risky: [] };
    r.operations = [...new Set([...r.operations, ...opsOf(f)])].sort();
    r.packets += f.packetsToInitiator + f.packetsToResponder;
    r.bytes += f.bytesToInitiator + f.bytesToResponder;
    r.first = Math.min(r.first, f.firstSeen);
    r.last = Math.max(r.last, f.lastSeen);
    for (const h of f.hours) r.days.add(Math.floor(h.hour / 24));
    rules.set(k, r);
  }
  const conduits = new Map<string, { id: string; connects: string[]; flows: unknown[] }>();
  for (const r of [...rules.values()]) {
    const pair = [r.initiator_zone, r.responder_zone].sort();
    const key = pair.join('~');
    const c = conduits.get(key) ?? { id: '', connects: pair, flows: [] };
    const risky: string[] = [];
    if (r.operations.some((o) => ['write', 'program', 'control'].includes(o)) && LEVEL_OF_ZONE[r.initiator_zone]! > LEVEL_OF_ZONE[r.responder_zone]!) risky.push('writes into control from a higher level');
    if (r.days.size === 1) risky.push('seen on one day only');
    c.flows.push({
      initiator_zone: r.initiator_zone, responder_zone: r.responder_zone, transport: r.transport, port: r.port, protocol: r.protocol,
      operations: r.operations, function_codes: [], packets: r.packets, bytes: r.bytes, first_seen: isoTime(r.first), last_seen: isoTime(r.last),
      days_seen: r.days.size, hosts: 0, risky: risky.length > 0 ? risky : false,
    });
    conduits.set(key, c);
  }
  const conduitList = [...conduits.values()].sort((x, y) => x.connects.join().localeCompare(y.connects.join()));
  conduitList.forEach((c, i) => (c.id = `C${String(i + 1).padStart(2, '0')}`));
  const findFlow = (b: GtBreaking): FlowRecord | undefined => flows.find((f) => f.src === b.src && f.dst === b.dst && f.transport === b.transport && f.port === b.port);
  const breaking = GROUND_TRUTH.expected_breaking.map((b) => {
    const f = findFlow(b);
    const days = new Set((f?.hours ?? []).map((h) => Math.floor(h.hour / 24)));
    return {
      ...b, operations: f ? opsOf(f) : [], packets: f ? f.packetsToInitiator + f.packetsToResponder : 0, bytes: f ? f.bytesToInitiator + f.bytesToResponder : 0,
      first_seen: f ? isoTime(f.firstSeen) : null, last_seen: f ? isoTime(f.lastSeen) : null, days_seen: days.size,
    };
  });
  const events = flows.flatMap((f) =>
    f.functions.filter((x) => x.requests > 0 && (x.opClass === 'write' || x.opClass === 'program' || x.opClass === 'control')).map((x) => ({
      time: isoTime(f.firstSeen), src: f.src, dst: f.dst, protocol: f.protocol, kind: x.opClass, code: x.code, name: x.name, first: true, count: x.requests, capture: null, frame: null,
    })),
  );
  return {
    assets: { schema: 'zonescope/assets@1', assets, unseen: [{ line: 28, name: 'OT SIEM', id: 'SIEM-01', ip: '10.30.1.60' }], uninventoried: ['10.20.3.77'], diagnostics: [] },
    zones: { schema: 'zonescope/zones@1', baseline: {}, assets: [], zones, conduits: conduitList, quality: { zones: zones.length, conduits: conduitList.length } },
    diff: {
      schema: 'zonescope/diff@1',
      summary: { observed_flows: flows.length, allowed: flows.length - breaking.length, breaking: breaking.length, unzoned_assets: 1, unused_rules: 1 },
      breaking, unzoned_assets: [{ ip: '10.20.3.77', flows: 3 }],
      unused_rules: [{ conduit: 'C2-OPS-DMZ', protocol: 'HTTPS', port: 443, direction: 'Z4 -> Z3' }],
      findings: [{ code: 'DESIGN_WRITE_INTO_CONTROL', severity: 'warning', message: 'test data: a conduit allows writes into control from a higher level' }],
      warnings: [],
    },
    events: { schema: 'zonescope/events@1', events },
  };
}

/** Attacker-chosen device names: each one sets window.__xss if it ever runs. */
export const XSS_NAMES = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '</script><script>window.__xss=3</script>',
  '"><svg onload="window.__xss=4">',
];

/**
 * A capture in which an ENIP ListIdentity reply (product name) and a Modbus FC 43/14 response
 * (vendor, product code, product and model names) carry XSS_NAMES.
 */
export function writeXssCapture(path: string): void {
  const frames: Buffer[] = [];
  const conv = (client: string, server: string, port: number, req: Buffer, resp: Buffer): void => {
    const c = { src: client, dst: server, sport: 50000 + frames.length, dport: port };
    const s = { src: server, dst: client, sport: port, dport: c.sport };
    frames.push(tcpFrame({ ...c, seq: 100, flags: 0x02 }));
    frames.push(tcpFrame({ ...s, seq: 900, ack: 101, flags: 0x12 }));
    frames.push(tcpFrame({ ...c, seq: 101, ack: 901, flags: 0x10 }));
    frames.push(tcpFrame({ ...c, seq: 101, ack: 901, flags: 0x18, payload: req }));
    frames.push(tcpFrame({ ...s, seq: 901, ack: 101 + req.length, flags: 0x18, payload: resp }));
  };
  conv('10.9.0.5', '10.9.0.10', 44818, encap(0x63, Buffer.alloc(0), { session: 0 }),
    encap(0x63, listIdentityReply(identityImage(1, 14, 0x6a, 32, 11, 0xc0ffee01, XSS_NAMES[0]!)), { session: 0 }));
  conv('10.9.0.5', '10.9.0.11', 44818, encap(0x63, Buffer.alloc(0), { session: 0 }),
    encap(0x63, listIdentityReply(identityImage(1, 14, 0x6a, 32, 11, 0xc0ffee02, XSS_NAMES[2]!)), { session: 0 }));
  const objects = [XSS_NAMES[1]!, XSS_NAMES[3]!, '1.0', 'x', XSS_NAMES[0]!, XSS_NAMES[2]!];
  const body: number[] = [0x2b, 0x0e, 0x01, 0x01, 0x00, 0x00, objects.length];
  objects.forEach((o, id) => body.push(id, Buffer.byteLength(o, 'latin1'), ...Buffer.from(o, 'latin1')));
  conv('10.9.0.5', '10.9.0.20', 502, modbusAdu(1, 1, [0x2b, 0x0e, 0x01, 0x00]), modbusAdu(1, 1, body));
  writeFileSync(path, buildPcap(1, frames));
}

/**
 * The assets a store's identities describe (test data: the assets stage does this for real): one
 * asset per identified IP, name/vendor/product from what the dissectors stored.
 */
export function assetsFromIdentities(reader: BaselineReader): unknown {
  const by = new Map<string, Record<string, string>>();
  for (const r of reader.identities()) by.set(r.ip, { ...(by.get(r.ip) ?? {}), [r.key]: r.value });
  return {
    schema: 'zonescope/assets@1',
    assets: [...by].map(([ip, id]) => ({
      id: ip, ip, name: id.product_name ?? id.model_name ?? null, vendor: id.vendor ?? id.vendor_name ?? null, product: id.product_name ?? id.product_code ?? null,
      identity: id, roles: [{ role: id.model_name ?? 'device', count: 1 }], purdue_level: 1,
      evidence: Object.entries(id).map(([k, v]) => ({ about: 'identity', text: `${k}: ${v}`, source: 'test' })),
    })),
  };
}
