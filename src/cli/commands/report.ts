/**
 * `zonescope report [--db FILE] [--out DIR] [--assets F] [--zones F] [--diff F] [--events F]`: (re)build
 * the offline HTML report <out>/report.html from the baseline and the stage documents. A document not
 * named explicitly is taken from <out> when it is there (assets.json, zones.json, diff.json,
 * events.json, as analyze writes them); a part that is absent leaves its section out, and the report
 * says so. Exit 0; 2 for a missing store or an unreadable or malformed document.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { buildAssets } from '../../assets/buildAssets.js';
import { loadInventory } from '../../assets/inventory.js';
import type { Inventory } from '../../assets/types.js';
import { diffDesign } from '../../design/diffDesign.js';
import { loadDesign } from '../../design/loadDesign.js';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics.js';
import { assetsDocument } from '../../report/assetsDocument.js';
import { diffDocument } from '../../report/diffDocument.js';
import { eventsDocument } from '../../report/eventsDocument.js';
import { zonesDocument } from '../../report/zonesDocument.js';
import { proposeZones } from '../../zones/proposeZones.js';
import { exitCode } from '../exitCode.js';
import { parseSafetyOption } from './assets.js';
import { buildReportModel, type ReportParts } from '../../report/html/buildReportModel.js';
import { ReportModelError } from '../../report/html/model.js';
import { renderReport } from '../../report/html/renderReport.js';
import { bytes } from '../format.js';
import { openReader } from '../store.js';
import { CliInputError, type CliContext, type Command } from './command.js';

const PARTS = ['assets', 'zones', 'diff', 'events'] as const;

interface ReportArgs {
  db?: string;
  out: string;
  title?: string;
  assets?: string;
  zones?: string;
  diff?: string;
  events?: string;
  design?: string;
  inventory?: string;
  safety?: string;
  quiet?: boolean;
}

function readJson(path: string, part: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliInputError(`--${part} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliInputError(`${path}: not JSON: ${(e as Error).message}`);
  }
}

export const reportCommand: Command = {
  name: 'report',
  describe: 'rebuild the offline HTML report (<out>/report.html) from the baseline and the stage documents',
  builder: (y: Argv) =>
    y
      .option('db', { type: 'string', describe: 'baseline store (default ./zonescope.db, else ./zonescope-out/zonescope.db)' })
      .option('out', { type: 'string', default: './zonescope-out', describe: 'output folder; its assets.json, zones.json, diff.json, events.json are used when present' })
      .option('title', { type: 'string', describe: "the report's title (default: the store's file name)" })
      .option('assets', { type: 'string', describe: 'zonescope/assets@1 JSON' })
      .option('zones', { type: 'string', describe: 'zonescope/zones@1 JSON' })
      .option('diff', { type: 'string', describe: 'zonescope/diff@1 JSON' })
      .option('events', { type: 'string', describe: 'zonescope/events@1 JSON' })
      .option('design', { type: 'string', requiresArg: true, describe: 'a zone/conduit design YAML: the report gets its diff section (computed now)' })
      .option('inventory', { type: 'string', requiresArg: true, describe: 'asset inventory CSV: the assets (and the design names) are resolved with it (computed now)' })
      .option('safety', { type: 'string', requiresArg: true, describe: 'comma-separated IPs of safety assets' })
      .option('quiet', { type: 'boolean', alias: 'q', default: false }),
  async run(a: ReportArgs, ctx: CliContext): Promise<number> {
    const outDir = resolve(a.out);
    const parts: ReportParts = {};
    if (a.title !== undefined) parts.title = a.title;
    for (const part of PARTS) {
      const named = a[part];
      const inOut = join(outDir, `${part}.json`);
      if (named !== undefined) parts[part] = readJson(named, part);
      else if (existsSync(inOut)) {
        parts[part] = readJson(inOut, part);
        ctx.err(`zonescope: using ${inOut}\n`);
      }
    }
    const safety = parseSafetyOption(a.safety);
    let inputFailed = false;
    const show = (ds: readonly Diagnostic[]): void => {
      for (const d of ds) if (d.severity !== 'note') ctx.err(`${formatDiagnostic(d)}\n`);
      if (ds.some((d) => d.severity === 'error')) inputFailed = true;
    };
    let inventory: Inventory | undefined;
    if (a.inventory !== undefined) {
      inventory = loadInventory(a.inventory);
      show(inventory.diagnostics);
    }
    const reader = openReader(a.db, ctx);
    let html: string;
    try {
      // What the stored documents do not hold, or what --inventory/--safety/--design change, is computed now.
      const compute = a.inventory !== undefined || a.safety !== undefined || parts.assets === undefined || parts.zones === undefined || a.design !== undefined;
      if (compute) {
        const flows = reader.flows();
        const assets = buildAssets(reader, { inventory, safety });
        if (a.assets === undefined && (parts.assets === undefined || a.inventory !== undefined || a.safety !== undefined)) parts.assets = assetsDocument(assets);
        if (parts.zones === undefined) parts.zones = zonesDocument(proposeZones(assets.assets, flows), reader.overview());
        if (a.design !== undefined) {
          const loaded = loadDesign(a.design, { inventory: inventory ?? null, file: a.design });
          show(loaded.diagnostics);
          if (loaded.design && !loaded.diagnostics.some((d) => d.severity === 'error')) {
            const result = diffDesign(loaded.design, flows, assets.assets, { hostMacs: reader.hostMacs(), inventory: inventory ?? null });
            parts.diff = diffDocument(result, loaded.diagnostics);
            parts.designName = a.design.replace(/^.*[\\/]/, '');
          } else ctx.err(`zonescope: ${a.design}: the design has errors; the report has no diff section\n`);
        }
      }
      // The events section from the store when no events@1 document was given or found.
      if (parts.events === undefined) parts.events = eventsDocument(reader.events());
      html = renderReport(buildReportModel(reader, parts));
    } catch (e) {
      if (e instanceof ReportModelError) throw new CliInputError(e.message);
      throw e;
    } finally {
      reader.close();
    }
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, 'report.html');
    writeFileSync(path, html);
    ctx.err(`wrote ${path} (${bytes(Buffer.byteLength(html))})\n`);
    return exitCode({ inputFailed });
  },
};
