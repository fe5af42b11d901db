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
    const reader = openReader(a.db, ctx);
    let html: string;
    try {
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
    return 0;
  },
};
