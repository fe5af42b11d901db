/**
 * zonescope propose [--db FILE] [--out DIR] [--inventory CSV] [--safety IPS] [--max-zone-size N]
 *                   [--resolution R] [--seed N]
 * Zones and minimum conduits from the baseline: writes zones.json (zonescope/zones@1) and zones.yaml
 * (the design schema, for `diff`) into --out and prints a short summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import type { Argv } from 'yargs';
import { loadInventory, inventoryEntryFor } from '../../assets/inventory.js';
import type { Asset, Evidence, Inventory } from '../../assets/types.js';
import type { BaselineOverview, BaselineReader, FlowRecord } from '../../baseline/reader.js';
import { formatDiagnostic } from '../../diagnostics.js';
import { canonicalJson } from '../../report/json.js';
import { zonesDocument } from '../../report/zonesDocument.js';
import { zonesYaml } from '../../report/zonesYaml.js';
import { DEFAULT_SEED, dissectorMainSpace, proposeZones } from '../../zones/proposeZones.js';
import type { Proposal } from '../../zones/types.js';
import { exitCode } from '../exitCode.js';
import { openReader } from '../store.js';
import { UsageError, type CliContext, type Command } from './command.js';

interface ProposeArgs {
  db?: string;
  out: string;
  inventory?: string;
  safety?: string;
  'max-zone-size': number;
  resolution: number;
  seed: number;
  quiet?: boolean;
}

export const proposeCommand: Command = {
  name: 'propose',
  describe: 'propose zones and the minimum conduits between them from the observed traffic (zones.json, zones.yaml)',
  builder: (y: Argv) =>
    y
      .option('db', { type: 'string', describe: 'baseline store (default ./zonescope.db, else ./zonescope-out/zonescope.db)' })
      .option('out', { type: 'string', describe: 'output folder for zones.json and zones.yaml', default: './zonescope-out' })
      .option('inventory', { type: 'string', describe: 'asset inventory CSV (name,id,ip,mac,purdue_level,role)' })
      .option('safety', { type: 'string', describe: 'comma-separated IPs of safety assets (SIS controllers and their stations)' })
      .option('max-zone-size', { type: 'number', describe: 'split zones larger than N along their sub-communities (0: no limit)', default: 0 })
      .option('resolution', { type: 'number', describe: 'Louvain resolution (higher: smaller zones)', default: 1 })
      .option('seed', { type: 'number', describe: "seed of Louvain's random generator", default: DEFAULT_SEED })
      .option('quiet', { type: 'boolean', alias: 'q', default: false }),
  async run(a: ProposeArgs, ctx: CliContext): Promise<number> {
    if (!Number.isFinite(a.resolution) || a.resolution <= 0) throw new UsageError(`--resolution ${a.resolution}: expected a number above 0`);
    if (!Number.isSafeInteger(a.seed)) throw new UsageError(`--seed ${a.seed}: expected a whole number`);
    if (!Number.isInteger(a['max-zone-size']) || a['max-zone-size'] < 0) throw new UsageError(`--max-zone-size ${a['max-zone-size']}: expected a whole number, 0 for no limit`);
    const safety = parseSafety(a.safety);
    let inventory: Inventory | null = null;
    let badInput = false;
    if (a.inventory !== undefined) {
      inventory = loadInventory(a.inventory);
      for (const d of inventory.diagnostics) ctx.err(`${formatDiagnostic(d)}\n`);
      if (inventory.diagnostics.some((d) => d.severity === 'error')) badInput = true;
    }
    const reader = openReader(a.db, ctx);
    let proposal: Proposal;
    let overview: BaselineOverview;
    try {
      const flows = reader.flows();
      overview = reader.overview();
      const assets = assetsForZoning(reader, flows, inventory, safety);
      proposal = proposeZones(assets, flows, { resolution: a.resolution, seed: a.seed, maxZoneSize: a['max-zone-size'] });
    } finally {
      reader.close();
    }
    const paths = writeProposal(proposal, a.out, overview);
    ctx.out(proposalSummary(proposal, overview));
    ctx.err(`wrote ${paths.join(', ')}\n`);
    return exitCode({ inputFailed: badInput });
  },
};

/** Write zones.json and zones.yaml into `outDir` (created if missing); returns the paths written. */
export function writeProposal(p: Proposal, outDir: string, overview?: BaselineOverview): string[] {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'zones.json');
  const yaml = join(dir, 'zones.yaml');
  writeFileSync(json, canonicalJson(zonesDocument(p, overview)));
  writeFileSync(yaml, zonesYaml(p, { hasFunctionCodes: (proto) => dissectorMainSpace(proto) !== undefined }));
  return [json, yaml];
}

function parseSafety(text: string | undefined): Set<string> {
  const out = new Set<string>();
  if (text === undefined) return out;
  for (const part of text.split(',')) {
    const ip = part.trim();
    if (ip === '') continue;
    if (!ipaddr.IPv4.isValidFourPartDecimal(ip) && !ipaddr.IPv6.isValid(ip)) throw new UsageError(`--safety: '${ip}' is not an IP address`);
    out.add(ip);
  }
  return out;
}

/**
 * The assets to zone. Interim, until the assets stage's buildAssets(reader, {inventory, safety}) is on
 * main (then this function is replaced by it): one asset per IP seen in flows, its MAC from the
 * store, name, level and role from the inventory, safety from --safety, a safety role in the
 * inventory or TriStation/TSAA traffic (UDP 1502/1503), scanners from the store's scan summary.
 */
export function assetsForZoning(reader: BaselineReader, flows: readonly FlowRecord[], inventory: Inventory | null, safety: Set<string>): Asset[] {
  const ips = new Set<string>();
  for (const f of flows) {
    ips.add(f.src);
    ips.add(f.dst);
  }
  const macs = new Map<string, { mac: string; packets: number }>();
  for (const m of reader.hostMacs()) {
    const cur = macs.get(m.ip);
    if (!cur || m.packets > cur.packets) macs.set(m.ip, { mac: m.mac, packets: m.packets });
  }
  const tristation = new Set<string>();
  for (const f of flows) if (f.protocol === 'tristation') (tristation.add(f.src), tristation.add(f.dst));
  const scanners = new Set(reader.scans().filter((s) => s.kind === 'scan').map((s) => s.host));
  return [...ips].sort(compareIps).map((ip) => {
    const mac = macs.get(ip)?.mac ?? null;
    const e = inventory ? inventoryEntryFor(inventory.entries, ip, mac) : null;
    const evidence: Evidence[] = [];
    if (e && e.purdueLevel !== null) evidence.push({ about: 'level', text: `inventory ${e.id}: level ${e.purdueLevel}`, source: 'inventory', line: e.line });
    let safetyReason: string | null = null;
    if (safety.has(ip)) safetyReason = '--safety';
    else if (e?.role && /safety/i.test(e.role)) safetyReason = `inventory role ${e.role}`;
    else if (tristation.has(ip)) safetyReason = 'TriStation/TSAA traffic (UDP 1502/1503)';
    if (safetyReason) evidence.push({ about: 'safety', text: `safety: ${safetyReason}`, source: safetyReason === '--safety' ? 'option' : e?.role && /safety/i.test(e.role) ? 'inventory' : 'traffic' });
    const roles = [];
    if (e?.role) roles.push({ role: e.role, count: 1 });
    if (scanners.has(ip)) roles.push({ role: 'scanner', count: 1 });
    return {
      id: ip, ip, mac, behindRouter: false, name: e ? (e.prefix !== null && e.prefix < 32 ? null : e.id) : null, hostnames: [],
      inventoryId: e?.id ?? null, vendor: null, product: null, identity: {}, roles,
      purdueLevel: e?.purdueLevel ?? null, levelConfidence: e?.purdueLevel !== null && e ? 1 : 0,
      safety: safetyReason !== null, safetyReason, packets: 0, bytes: 0, firstSeen: 0, lastSeen: 0, inInventory: e !== null, evidence,
    };
  });
}

function compareIps(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  if (pa.length === 4 && pb.length === 4 && pa.every(Number.isFinite) && pb.every(Number.isFinite)) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** The terminal summary: zones with levels and sizes, conduits with their rules, risky flags. */
export function proposalSummary(p: Proposal, overview?: BaselineOverview): string {
  const lines: string[] = [];
  lines.push(
    `zonescope: ${p.zones.length} zone${p.zones.length === 1 ? '' : 's'}, ${p.conduits.length} conduit${p.conduits.length === 1 ? '' : 's'} (${p.quality.rules} rules) for ${p.placements.length} assets` +
      `${overview ? ` and ${overview.flows} flows` : ''}; modularity ${p.quality.modularity}, ${pct(p.quality.crossZoneFlowsShare)} of flows and ${pct(p.quality.crossZoneBytesShare)} of bytes cross zones`,
  );
  for (const n of p.notes) lines.push(`  note: ${n.code}: ${n.message}`);
  for (const z of p.zones) {
    const levels = z.purdueLevels.length === 0 ? 'L?' : z.purdueLevels.length === 1 ? `L${z.purdueLevels[0]}` : `L${z.purdueLevels[0]}-${z.purdueLevels[z.purdueLevels.length - 1]}`;
    lines.push(`  ${z.id}  ${levels.padEnd(6)} ${String(z.assets.length).padStart(4)} assets  ${z.securityLevelTarget}  ${z.name}`);
  }
  for (const c of p.conduits) {
    lines.push(`  ${c.id}  ${c.connects[0]} <-> ${c.connects[1]}  ${c.securityLevel}`);
    for (const r of c.rules) {
      const ops = r.operations.length ? ` ${r.operations.join(',')}` : '';
      const fcs = r.functionCodes.length ? ` codes ${r.functionCodes.join(',')}` : '';
      const risky = r.risky.length ? `  RISKY ${r.risky.map((f) => f.flag).join(', ')}` : '';
      lines.push(`       ${r.initiatorZone} -> ${r.responderZone} ${r.protocol} ${r.transport}/${r.port}${ops}${fcs}  ${r.hostPairs.length} host pair${r.hostPairs.length === 1 ? '' : 's'}, ${r.daysSeen} day${r.daysSeen === 1 ? '' : 's'}${risky}`);
    }
  }
  const uncertain = p.placements.filter((x) => x.moved > 0);
  if (uncertain.length > 0) {
    lines.push(`  uncertain: ${uncertain.slice(0, 10).map((x) => `${x.asset.name ?? x.asset.ip ?? x.asset.id} (${x.zone}, moved in ${x.moved} of ${x.runs} reruns)`).join(', ')}${uncertain.length > 10 ? ` and ${uncertain.length - 10} more` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
