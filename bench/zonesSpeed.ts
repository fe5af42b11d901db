/**
 * Zoner speed: a synthetic plant-shaped baseline of 10 000 assets and 100 000 host pairs (490 cells
 * of 14 PLCs and 6 HMIs polling them, 100 supervisory pollers of five cells each, services, DMZ,
 * enterprise, and one-off links between cells) zoned with conduits (proposeZones with its default
 * stability reruns). Target: under 10 s and under 1 GB peak memory. Exit code 1 when missed.
 *   node dist/bench/zonesSpeed.js
 */
import type { Asset, PurdueLevel } from '../src/assets/types.js';
import type { FlowRecord } from '../src/baseline/reader.js';
import { proposeZones } from '../src/zones/proposeZones.js';
import { seededRandom } from './seededRandom.js';

const CELLS = 490;
const PLCS = 14;
const HMIS = 6;
const POLLERS = 100;
const TARGET_PAIRS = 100_000;

const rng = seededRandom;

function mkAsset(ip: string, level: PurdueLevel, role: string): Asset {
  return {
    id: ip, ip, mac: null, behindRouter: false, name: null, hostnames: [], inventoryId: null, vendor: null, product: null, identity: {},
    roles: [{ role, count: 1 }], purdueLevel: level, levelConfidence: 1, safety: false, safetyReason: null, packets: 0, bytes: 0,
    firstSeen: 0, lastSeen: 0, inInventory: false, evidence: [],
  };
}

const H0 = 20541 * 24;
const STEADY = Array.from({ length: 84 }, (_, i) => ({ hour: H0 + i * 2, packets: 20, bytes: 2000 }));
let id = 1;
function mkFlow(src: string, dst: string, port: number, protocol: string, steady: boolean): FlowRecord {
  const hours = steady ? STEADY : [{ hour: H0 + 30, packets: 4, bytes: 300 }];
  return {
    id: id++, src, dst, transport: 'tcp', port, protocol, packetsToResponder: 10, packetsToInitiator: 10, bytesToResponder: 1000, bytesToInitiator: 1000,
    connections: hours.length, firstSeen: hours[0]!.hour * 3600, lastSeen: hours[hours.length - 1]!.hour * 3600 + 60, evidence: {}, hours,
    functions: protocol === 'modbus' ? [{ space: 'function', code: 3, variant: 0, name: 'READ_HOLDING_REGISTERS', opClass: 'read', requests: 10, responses: 10, exceptions: 0 }] : [],
    ranges: [], objects: [], attributes: [],
  };
}

export function syntheticBaseline(): { assets: Asset[]; flows: FlowRecord[] } {
  const r = rng(62443);
  const assets: Asset[] = [];
  const flows: FlowRecord[] = [];
  const pairs = new Set<string>();
  const add = (s: string, d: string, port: number, proto: string, steady: boolean): void => {
    const k = s < d ? `${s}|${d}` : `${d}|${s}`;
    if (s === d || pairs.has(k)) return;
    pairs.add(k);
    flows.push(mkFlow(s, d, port, proto, steady));
  };
  const plcs: string[][] = [];
  const hmis: string[][] = [];
  for (let c = 0; c < CELLS; c++) {
    const net = `10.${100 + (c >> 8)}.${c & 255}`;
    plcs.push(Array.from({ length: PLCS }, (_, k) => `${net}.${10 + k}`));
    hmis.push(Array.from({ length: HMIS }, (_, k) => `${net}.${100 + k}`));
    for (const p of plcs[c]!) assets.push(mkAsset(p, 1, 'plc'));
    for (const h of hmis[c]!) assets.push(mkAsset(h, 2, 'hmi'));
    for (const h of hmis[c]!) for (const p of plcs[c]!) add(h, p, 502, 'modbus', true);
    for (let k = 0; k < PLCS; k++) add(plcs[c]![k]!, plcs[c]![(k + 1) % PLCS]!, 44818, 'enip', true);
  }
  for (let i = 0; i < POLLERS; i++) {
    const ip = `10.90.${i >> 8}.${i & 255}`;
    assets.push(mkAsset(ip, 2, 'scada'));
    for (let k = 0; k < 5; k++) for (const p of plcs[(i * 5 + k) % CELLS]!) add(ip, p, 502, 'modbus', true);
  }
  for (let i = 0; i < 50; i++) assets.push(mkAsset(`10.91.0.${i + 1}`, 3, 'historian'));
  for (let i = 0; i < 25; i++) assets.push(mkAsset(`172.16.0.${i + 1}`, 3.5, 'jump-host'));
  while (assets.length < 10_000) assets.push(mkAsset(`10.200.${(assets.length >> 8) & 255}.${assets.length & 255}`, 4, 'enterprise-client'));
  for (let i = 0; i < 50; i++) for (let k = 0; k < 2; k++) add(`10.91.0.${i + 1}`, `10.90.0.${(i * 2 + k) % POLLERS}`, 4840, 'opcua', true);
  // One-off links between random hosts until there are 100 000 pairs.
  while (pairs.size < TARGET_PAIRS) {
    const a = assets[Math.floor(r() * assets.length)]!.ip!;
    const b = assets[Math.floor(r() * assets.length)]!.ip!;
    add(a, b, 443, 'https', false);
  }
  return { assets, flows };
}

function main(): number {
  const { assets, flows } = syntheticBaseline();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const p = proposeZones(assets, flows);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rssMB = process.resourceUsage().maxRSS / 1024;
  const ok = ms < 10_000 && rssMB < 1024;
  process.stdout.write(
    `zones bench: ${assets.length} assets, ${flows.length} pairs -> ${p.zones.length} zones, ${p.conduits.length} conduits, ${p.quality.rules} rules ` +
      `in ${(ms / 1000).toFixed(2)} s (target < 10 s; ${(cpuMs / 1000).toFixed(2)} s of CPU), peak ${rssMB.toFixed(0)} MB (target < 1024 MB)${ok ? '' : '  MISSED'}\n`,
  );
  return ok ? 0 : 1;
}

if (process.argv[1] && /zonesSpeed\.[jt]s$/.test(process.argv[1])) process.exitCode = main();
