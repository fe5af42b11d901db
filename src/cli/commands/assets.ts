/**
 * `zonescope assets [--db FILE] [--inventory CSV] [--safety IPS] [--json FILE|-] [--csv FILE]`: the
 * assets with identity, roles, Purdue level and safety; a table, `zonescope/assets@1` JSON or CSV.
 * Exit 0; 2 for an unreadable store or an inventory with bad rows (the good rows are still used).
 */
import { writeFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import type { Argv } from 'yargs';
import { buildAssets } from '../../assets/buildAssets.js';
import { loadInventory } from '../../assets/inventory.js';
import { formatDiagnostic } from '../../diagnostics.js';
import { assetsCsv, assetsDocument } from '../../report/assetsDocument.js';
import { canonicalJson } from '../../report/json.js';
import { exitCode } from '../exitCode.js';
import { assetsTable } from '../render/assetsTable.js';
import { openReader } from '../store.js';
import { CliInputError, UsageError, type CliContext, type Command } from './command.js';

/** `--safety 10.10.1.11,10.10.1.12` -> the IPs (normalised); a bad one is a usage error. */
export function parseSafetyOption(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  const out: string[] = [];
  for (const part of (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(','))) {
    const s = part.trim();
    if (s === '') continue;
    if (!ipaddr.isValid(s)) throw new UsageError(`--safety: '${s}' is not an IP address`);
    out.push(ipaddr.parse(s).toString());
  }
  return out;
}

interface AssetsArgs {
  db?: string;
  inventory?: string;
  safety?: string | string[];
  json?: string;
  csv?: string;
}

export const assetsCommand: Command = {
  name: 'assets',
  describe: 'assets with identity, roles, Purdue level, safety and the evidence for each',
  builder: (y: Argv) =>
    y
      .option('db', { type: 'string', describe: 'baseline store (default ./zonescope.db, else ./zonescope-out/zonescope.db)' })
      .option('inventory', { type: 'string', describe: 'asset inventory CSV (name,id,ip,mac,purdue_level,role)' })
      .option('safety', { type: 'string', describe: 'IPs of safety assets, comma-separated' })
      .option('json', { type: 'string', describe: 'write zonescope/assets@1 JSON to FILE (- for stdout)' })
      .option('csv', { type: 'string', describe: 'write the assets as CSV to FILE (- for stdout)' }),
  async run(args: AssetsArgs, ctx: CliContext): Promise<number> {
    const safety = parseSafetyOption(args.safety);
    const inventory = args.inventory !== undefined ? loadInventory(args.inventory) : undefined;
    if (inventory && inventory.diagnostics.some((d) => d.code === 'INVENTORY_UNREADABLE')) {
      throw new CliInputError(inventory.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    }
    const reader = openReader(args.db, ctx);
    let set;
    try {
      set = buildAssets(reader, { inventory, safety });
    } finally {
      reader.close();
    }
    for (const d of set.diagnostics) ctx.err(`${formatDiagnostic(d)}\n`);
    const write = (path: string, text: string): void => {
      if (path === '-') ctx.out(text);
      else {
        try {
          writeFileSync(path, text);
        } catch (e) {
          throw new CliInputError(`cannot write ${path}: ${(e as Error).message}`);
        }
      }
    };
    if (args.json !== undefined) write(args.json, canonicalJson(assetsDocument(set)));
    if (args.csv !== undefined) write(args.csv, assetsCsv(set));
    if (args.json === undefined && args.csv === undefined) ctx.out(assetsTable(set));
    return exitCode({ inputFailed: set.diagnostics.some((d) => d.severity === 'error') });
  },
};
