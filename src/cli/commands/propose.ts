/**
 * zonescope propose [--db FILE] [--out DIR] [--inventory CSV] [--safety IPS] [--max-zone-size N]
 *                   [--resolution R] [--seed N]
 * Zones and minimum conduits from the baseline: writes zones.json (zonescope/zones@1) and zones.yaml
 * (the design schema, for `diff`) into --out and prints a short summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { buildAssets } from '../../assets/buildAssets.js';
import { loadInventory } from '../../assets/inventory.js';
import type { Inventory } from '../../assets/types.js';
import type { BaselineOverview } from '../../baseline/reader.js';
import { formatDiagnostic } from '../../diagnostics.js';
import { canonicalJson } from '../../report/json.js';
import { zonesDocument } from '../../report/zonesDocument.js';
import { zonesYaml } from '../../report/zonesYaml.js';
import { DEFAULT_SEED, dissectorMainSpace, proposeZones } from '../../zones/proposeZones.js';
import type { Proposal } from '../../zones/types.js';
import { exitCode } from '../exitCode.js';
import { openReader } from '../store.js';
import { parseSafetyOption } from './assets.js';
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
    const safety = parseSafetyOption(a.safety);
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
      const assets = buildAssets(reader, { inventory: inventory ?? undefined, safety }).assets;
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
