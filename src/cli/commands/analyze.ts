/**
 * `zonescope analyze <inputs..>`: the main job in one go. Ingest the captures into <out>/zonescope.db,
 * then write into --out: flows.json, assets.json (identity, roles, Purdue level with evidence),
 * zones.json and zones.yaml (the proposal and its minimum conduits) and, with --design, diff.json
 * (every observed flow the design would break). Exit 1 when the design breaks flows.
 */
import { basename, join } from 'node:path';
import type { Argv } from 'yargs';
import { buildAssets } from '../../assets/buildAssets.js';
import { loadInventory } from '../../assets/inventory.js';
import type { Inventory } from '../../assets/types.js';
import { BaselineReader } from '../../baseline/reader.js';
import { diffDesign } from '../../design/diffDesign.js';
import { loadDesign } from '../../design/loadDesign.js';
import type { DiffResult } from '../../design/types.js';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics.js';
import { assetsDocument } from '../../report/assetsDocument.js';
import { diffDocument } from '../../report/diffDocument.js';
import { buildReportModel } from '../../report/html/buildReportModel.js';
import { renderReport } from '../../report/html/renderReport.js';
import { canonicalJson } from '../../report/json.js';
import { zonesDocument } from '../../report/zonesDocument.js';
import { proposeZones } from '../../zones/proposeZones.js';
import { exitCode } from '../exitCode.js';
import { atInterrupt } from '../interrupt.js';
import { lastString, withDb, withDecodeOptions, withVerbosity } from '../options.js';
import { prepareOutDir, writeOutput } from '../output.js';
import { readFlowsDocument } from '../readFlowsDocument.js';
import { eventsDocument } from '../../report/eventsDocument.js';
import { runIngest } from '../runIngest.js';
import { reportTimeProblems } from '../store.js';
import { parseSafetyOption } from './assets.js';
import type { CliContext, Command } from './command.js';
import { proposalSummary, writeProposal } from './propose.js';

export const DEFAULT_OUT = './zonescope-out';

interface AnalyzeArgs {
  inputs: string[];
  out?: string;
  db?: string;
  inventory?: string;
  design?: string;
  safety?: string;
  quiet?: boolean;
  verbose?: boolean;
  'decode-as'?: unknown;
  'max-connections'?: number;
  workers?: number;
}

export const analyzeCommand: Command = {
  name: 'analyze <inputs..>',
  describe: 'the main job in one go: ingest the captures, know the assets, propose zones and conduits, diff a design; results in --out',
  builder: (y: Argv) =>
    withDecodeOptions(
      withVerbosity(
        withDb(
          y
            .positional('inputs', { type: 'string', array: true, demandOption: true })
            .option('out', { type: 'string', requiresArg: true, coerce: lastString, describe: `output folder (default ${DEFAULT_OUT})` })
            .option('inventory', { type: 'string', requiresArg: true, coerce: lastString, describe: 'asset inventory CSV (name,id,ip,mac,purdue_level,role)' })
            .option('design', { type: 'string', requiresArg: true, coerce: lastString, describe: 'zone/conduit design YAML to diff against the traffic (writes diff.json)' })
            .option('safety', { type: 'string', requiresArg: true, describe: 'comma-separated IPs of safety assets (SIS controllers and their stations)' }),
          'baseline store (default <out>/zonescope.db)',
        ),
      ),
    ),
  async run(a: AnalyzeArgs, ctx: CliContext): Promise<number> {
    const safety = parseSafetyOption(a.safety);
    const outDir = prepareOutDir(a.out ?? DEFAULT_OUT);
    const db = a.db ?? join(outDir, 'zonescope.db');
    const say = (s: string): void => {
      if (!a.quiet) ctx.err(s);
    };
    const problems = (ds: readonly Diagnostic[]): boolean => {
      for (const d of ds) if (d.severity !== 'note' || a.verbose) ctx.err(`${formatDiagnostic(d)}\n`);
      return ds.some((d) => d.severity === 'error');
    };
    let inputFailed = false;
    let inventory: Inventory | undefined;
    if (a.inventory !== undefined) {
      inventory = loadInventory(a.inventory);
      if (problems(inventory.diagnostics)) inputFailed = true;
    }
    const { code } = await runIngest(a.inputs, db, a, ctx);
    const reader = BaselineReader.open(db);
    if (a.quiet !== true) reportTimeProblems(reader, ctx);
    const unregister = atInterrupt(() => reader.close());
    let diff: DiffResult | null = null;
    try {
      const written: string[] = [];
      const write = (name: string, text: string): void => {
        const path = join(outDir, name);
        writeOutput(path, text, ctx, '--out');
        written.push(path);
      };
      const flows = reader.flows();
      const overview = reader.overview();
      const events = reader.events();
      write('flows.json', canonicalJson(readFlowsDocument(reader, flows, reader.scans(), events)));
      const eventsDoc = eventsDocument(events);
      write('events.json', canonicalJson(eventsDoc));
      const assets = buildAssets(reader, { inventory, safety });
      const assetsDoc = assetsDocument(assets);
      write('assets.json', canonicalJson(assetsDoc));
      const proposal = proposeZones(assets.assets, flows);
      written.push(...writeProposal(proposal, outDir, overview));
      if (!a.quiet) ctx.out(proposalSummary(proposal, overview));
      let diffDoc: unknown;
      if (a.design !== undefined) {
        const loaded = loadDesign(a.design, { inventory: inventory ?? null, file: a.design });
        if (problems(loaded.diagnostics)) inputFailed = true;
        if (loaded.design && !loaded.diagnostics.some((d) => d.severity === 'error')) {
          diff = diffDesign(loaded.design, flows, assets.assets, { hostMacs: reader.hostMacs(), inventory: inventory ?? null });
          problems(diff.diagnostics);
          diffDoc = diffDocument(diff, loaded.diagnostics);
          write('diff.json', canonicalJson(diffDoc));
          const s = diff.summary;
          say(
            `zonescope: design ${a.design}: ${s.breaking} of ${s.observedFlows} observed flows would break` +
              `${s.unzonedAssets ? `, ${s.unzonedAssets} assets in no zone` : ''}${s.unusedRules ? `, ${s.unusedRules} rules unused` : ''}` +
              ` (zonescope diff ${a.design} --db ${db}${a.inventory ? ` --inventory ${a.inventory}` : ''} for the table)\n`,
          );
        } else {
          ctx.err(`zonescope: ${a.design}: the design has errors; no diff written\n`);
        }
      }
      const model = buildReportModel(reader, {
        title: basename(outDir), assets: assetsDoc, zones: zonesDocument(proposal, overview), diff: diffDoc, events: eventsDoc,
        designName: a.design === undefined ? undefined : basename(a.design),
      });
      write('report.html', renderReport(model));
      say(`wrote ${written.join(', ')}\n`);
    } finally {
      unregister();
      reader.close();
    }
    if (code !== 0) return code;
    return exitCode({ inputFailed, findings: diff !== null && diff.summary.breaking > 0 });
  },
};
