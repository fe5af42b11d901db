/**
 * Bench: the assets stage on a synthetic baseline of 10 000 hosts and 100 000 flows (issue 8: under
 * 5 s). Plant-shaped: 400 cells of one /24 each, every cell with controllers polled by HMIs and
 * historians, engineering stations, site services, a DMZ and an enterprise side; every host has its MAC
 * and the controllers an ENIP identity. Run: node dist/bench/assetsSpeed.js [hosts] [flows]
 */
import type { FlowRecord, IdentityRecord, MacRecord } from '../src/baseline/reader.js';
import { assetsFrom } from '../src/assets/buildAssets.js';

const HOSTS = Number(process.argv[2] ?? 10_000);
const FLOWS = Number(process.argv[3] ?? 100_000);

/** A tiny seeded generator (mulberry32) so every run builds the same baseline. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function build(): { flows: FlowRecord[]; identities: IdentityRecord[]; hostMacs: MacRecord[] } {
  const r = rng(62443);
  const ip = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) + 1}`;
  const kinds = ['plc', 'plc', 'plc', 'plc', 'hmi', 'hmi', 'ews', 'hist', 'dns', 'dmz', 'ent', 'ent'];
  const hosts = Array.from({ length: HOSTS }, (_, i) => ({ ip: ip(i * 1), kind: kinds[i % kinds.length]! }));
  const byKind = new Map<string, typeof hosts>();
  for (const h of hosts) byKind.set(h.kind, [...(byKind.get(h.kind) ?? []), h]);
  const of = (k: string): typeof hosts => byKind.get(k) ?? [];
  const nonPlc = hosts.filter((h) => h.kind !== 'plc').slice(0, 50);
  const plcs = of('plc');
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)]!;
  const protos: Array<[string, number, string]> = [['enip', 44818, 'read'], ['modbus', 502, 'read'], ['s7comm', 102, 'read']];
  const flows: FlowRecord[] = [];
  const seen = new Set<string>();
  let id = 1;
  while (flows.length < FLOWS) {
    const kind = pick(['hmi', 'hmi', 'hist', 'ews', 'dns', 'dmz', 'ent']);
    const c = pick(hosts);
    const client = c.kind === 'plc' ? pick(nonPlc) : c;
    let dst: string;
    let proto: [string, number, string];
    if (kind === 'dns') {
      dst = pick(of('dns').slice(0, 200)).ip;
      proto = ['dns', 53, 'read'];
    } else if (kind === 'dmz' || kind === 'ent') {
      dst = pick(of('dmz').slice(0, 300)).ip;
      proto = ['https', 443, 'other'];
    } else {
      dst = pick(plcs).ip;
      proto = pick(protos);
    }
    const key = `${client.ip}|${dst}|${proto[0]}`;
    if (client.ip === dst || seen.has(key)) continue;
    seen.add(key);
    const t = 1_770_000_000 + Math.floor(r() * 2_400_000);
    flows.push({
      id: id++, src: client.ip, dst, transport: proto[0] === 'dns' ? 'udp' : 'tcp', port: proto[1], protocol: proto[0],
      packetsToResponder: 100, packetsToInitiator: 100, bytesToResponder: 9000, bytesToInitiator: 12000, connections: 10,
      firstSeen: t, lastSeen: t + 86_400, evidence: { syn: 10 }, hours: [],
      functions: proto[2] === 'other' ? [] : [{ space: 'function', code: 3, variant: 0, name: 'READ', opClass: client.kind === 'ews' ? 'write' : proto[2], requests: 50, responses: 50, exceptions: 0 }],
      ranges: [], objects: [], attributes: [],
    });
  }
  flows.sort((x, y) => (x.src < y.src ? -1 : x.src > y.src ? 1 : x.dst < y.dst ? -1 : 1));
  const hostMacs = hosts.map((h, i) => ({ ip: h.ip, mac: `00:1d:9c:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, packets: 100, firstSeen: 1_770_000_000, lastSeen: 1_772_400_000 }));
  const identities: IdentityRecord[] = plcs.flatMap((p) => ['product_name', 'device_type_name', 'serial'].map((key) => ({
    ip: p.ip, protocol: 'enip', key, value: key === 'device_type_name' ? 'Programmable Logic Controller' : key === 'serial' ? '0x00c0ffee' : '1756-L83E/B',
    count: 3, firstSeen: 1_770_000_000, lastSeen: 1_770_000_000, capture: '/caps/day1.pcap', frame: 7,
  })));
  return { flows, identities, hostMacs };
}

const t0 = performance.now();
const data = build();
const t1 = performance.now();
const cpu0 = process.cpuUsage();
const set = assetsFrom({ ...data, arp: [], l2Frames: [], scans: [] });
const cpu = process.cpuUsage(cpu0);
const t2 = performance.now();
const hosts = new Set(data.flows.flatMap((f) => [f.src, f.dst])).size;
process.stdout.write(
  `assets: ${set.assets.length} assets (${hosts} hosts in ${data.flows.length} flows) in ${((t2 - t1) / 1000).toFixed(2)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s) ` +
    `(synthetic baseline built in ${((t1 - t0) / 1000).toFixed(2)} s); levels: ${JSON.stringify(Object.fromEntries([0, 1, 2, 3, 3.5, 4, null].map((l) => [String(l), set.assets.filter((a) => a.purdueLevel === l).length])))}\n`,
);
if (t2 - t1 > 5000) process.exitCode = 1;
