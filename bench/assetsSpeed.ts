/**
 * Bench: the assets stage on a synthetic baseline store of 10 000 hosts and 100 000 flows (issue 8:
 * under 5 s). Plant-shaped: controllers polled by HMIs and historians over ENIP / Modbus / S7,
 * engineering stations that write, DNS servers, DMZ web servers and their enterprise clients; every
 * host has its MAC and the controllers an ENIP identity. The store is written through Baseline (one
 * capture's batch) into a temporary file; the timed part is what `zonescope assets` does: open the
 * store, read it through BaselineReader and build the assets.
 * Run: node dist/bench/assetsSpeed.js [hosts] [flows]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowRecord, IdentityRecord, MacRecord } from '../src/baseline/reader.js';
import { BaselineReader } from '../src/baseline/reader.js';
import { Baseline } from '../src/baseline/baseline.js';
import type { FlowBatch, FlowDelta } from '../src/flows/flowAggregator.js';
import { fnKey } from '../src/flows/conn.js';
import { buildAssets } from '../src/assets/buildAssets.js';
import { seededRandom } from './seededRandom.js';

const HOSTS = Number(process.argv[2] ?? 10_000);
const FLOWS = Number(process.argv[3] ?? 100_000);

const rng = seededRandom;

function build(): { flows: FlowRecord[]; identities: IdentityRecord[]; hostMacs: MacRecord[] } {
  const r = rng(62443);
  const ip = (i: number): string => `10.${Math.floor(i / 254 / 256) % 256}.${Math.floor(i / 254) % 256}.${(i % 254) + 1}`;
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

/** The synthetic records as one capture's batch, written through the store's own writer. */
function writeStore(path: string, d: ReturnType<typeof build>): void {
  const flows: FlowDelta[] = d.flows.map((f) => ({
    key: `${f.src}|${f.dst}|${f.transport}|${f.port}|${f.protocol}`, src: f.src, dst: f.dst, transport: f.transport, port: f.port,
    protocol: f.protocol, evidence: { syn: f.connections }, packetsToResponder: f.packetsToResponder, packetsToInitiator: f.packetsToInitiator,
    bytesToResponder: f.bytesToResponder, bytesToInitiator: f.bytesToInitiator, connections: f.connections, firstTs: f.firstSeen, lastTs: f.lastSeen,
    hours: [Math.floor(f.firstSeen / 3600), f.packetsToResponder + f.packetsToInitiator, f.bytesToResponder + f.bytesToInitiator],
    functions: new Map(f.functions.map((fn) => [fnKey(0, fn.code, 0), { space: 0, code: fn.code, variant: 0, requests: fn.requests, responses: fn.responses, exceptions: 0, spaceName: fn.space, name: fn.name, opClass: fn.opClass, days: [Math.floor(f.firstSeen / 86400), fn.requests, fn.responses, 0] }])),
    ranges: new Map(), objects: new Map(), attributes: new Map(),
  }) as unknown as FlowDelta);
  const batch: FlowBatch = {
    flows,
    identities: d.identities.map((i) => ({ ip: i.ip, protocol: i.protocol, key: i.key, value: i.value, count: i.count, firstTs: i.firstSeen, lastTs: i.lastSeen, file: 'synthetic', frame: i.frame })),
    macs: d.hostMacs.map((m) => ({ ip: m.ip, mac: m.mac, packets: m.packets, firstTs: m.firstSeen, lastTs: m.lastSeen })),
    arp: [], l2: [], scans: [], protocols: [], capturePoints: [], events: [],
    counters: { frames: 1, ipPackets: 1, arpPackets: 0, otherL2: 0, stp: 0, truncated: 0, malformed: 0, unsupportedLinktype: 0, bytes: 1, firstTs: 1_770_000_000, lastTs: 1_772_400_000 },
    liveConnections: 0,
  };
  const b = Baseline.open(path);
  try {
    b.commitCapture({ fingerprint: 'synthetic', headHash: 'synthetic', path: 'synthetic', size: 0, format: 'pcap', compression: 'none', linktypes: [1], endOffset: 0, frames: 1, truncated: false, errors: 0, warnings: 0, resumedFrom: null }, batch, [], new Map());
  } finally {
    b.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'zs-assets-bench-'));
try {
  const t0 = performance.now();
  const data = build();
  const store = join(dir, 'bench.db');
  writeStore(store, data);
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const reader = BaselineReader.open(store);
  const tRead0 = performance.now();
  const set = buildAssets(reader);
  const t2 = performance.now();
  reader.close();
  const cpu = process.cpuUsage(cpu0);
  const hosts = new Set(data.flows.flatMap((f) => [f.src, f.dst])).size;
  const levels = Object.fromEntries([0, 1, 2, 3, 3.5, 4, null].map((l) => [String(l), set.assets.filter((a) => a.purdueLevel === l).length]));
  process.stdout.write(
    `assets: ${set.assets.length} assets (${hosts} hosts, ${data.flows.length} flows) from the store in ${((t2 - t1) / 1000).toFixed(2)} s ` +
      `(CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; open ${((tRead0 - t1) / 1000).toFixed(2)} s); synthetic store written in ${((t1 - t0) / 1000).toFixed(2)} s; ` +
      `levels ${JSON.stringify(levels)}\n`,
  );
  if (t2 - t1 > 5000) process.exitCode = 1;
} finally {
  if (process.env.KEEP_STORE) process.stdout.write(`kept ${dir}\n`); else rmSync(dir, { recursive: true, force: true });
}
