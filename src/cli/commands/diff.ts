/**
 * `zonescope diff <design.yaml> [captures..]`: which observed flows the design would break, and why.
 * Reads the baseline (--db, or the default store), or ingests captures given directly into a temporary
 * store first. Output: a terminal table grouped by reason, `--json FILE|-` (zonescope/diff@1), or
 * `--format implementation-report`. Exit 0 nothing breaks, 1 something breaks, 2 bad design or input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { loadInventory } from '../../assets/inventory.js';
import type { Inventory } from '../../assets/types.js';
import { Baseline } from '../../baseline/baseline.js';
import { ingestCaptures } from '../../pipeline/ingestCaptures.js';
import { BaselineReader } from '../../baseline/reader.js';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics.js';
import { diffDesign, DEFAULT_MAX_ZONE_SIZE } from '../../design/diffDesign.js';
import { loadDesign } from '../../design/loadDesign.js';
import { parseTimeOption } from '../../design/timeWindow.js';
import { BREAK_REASONS, type DiffResult, type FlowVerdict } from '../../design/types.js';
import { breakingInOrder, diffDocument } from '../../report/diffDocument.js';
import { implementationReport } from '../../report/implementationReport.js';
import { canonicalJson, isoTime } from '../../report/json.js';
import { exitCode } from '../exitCode.js';
import { num } from '../format.js';
import { openReader } from '../store.js';
import { CliInputError, UsageError, type CliContext, type Command } from './command.js';

interface DiffArgs {
  design: string;
  inputs?: string[];
  db?: string;
  inventory?: string;
  json?: string;
  format?: string;
  since?: string;
  until?: string;
  'max-zone-size'?: number;
  quiet?: boolean;
}

const FORMATS = ['table', 'implementation-report'] as const;
/** Rows per reason in the terminal table; --json has every flow. */
const MAX_ROWS = 100;

export const diffCommand: Command = {
  name: 'diff <design> [inputs..]',
  describe: 'which observed flows a zone/conduit design (YAML) would break, and why',
  builder: (y: Argv) =>
    y
      .positional('design', { type: 'string', describe: 'the design YAML (IEC 62443-3-2 zones and conduits)', demandOption: true })
      .positional('inputs', { type: 'string', array: true, describe: 'captures to ingest into a temporary store instead of reading --db' })
      .option('db', { type: 'string', describe: 'baseline store (default ./zonescope.db, else ./zonescope-out/zonescope.db)' })
      .option('inventory', { type: 'string', describe: 'asset inventory CSV (name,id,ip,mac,purdue_level,role) resolving names and ids' })
      .option('json', { type: 'string', describe: 'write zonescope/diff@1 JSON to FILE (- for stdout)' })
      .option('format', { type: 'string', choices: FORMATS, default: 'table', describe: 'terminal output' })
      .option('since', { type: 'string', describe: 'evaluate flows from T: ISO date/time or a duration back from the last record (14d, 36h)' })
      .option('until', { type: 'string', describe: 'evaluate flows up to T (same forms as --since)' })
      .option('max-zone-size', { type: 'number', default: DEFAULT_MAX_ZONE_SIZE, describe: 'zones holding more assets are a design finding' })
      .option('quiet', { type: 'boolean', alias: 'q', default: false, describe: 'no progress output' }),
  run: (args: DiffArgs, ctx: CliContext) => runDiff(args, ctx),
};

function printDiagnostics(ds: readonly Diagnostic[], ctx: CliContext): void {
  for (const d of ds) ctx.err(`${formatDiagnostic(d)}\n`);
}

async function runDiff(a: DiffArgs, ctx: CliContext): Promise<number> {
  const maxZone = a['max-zone-size'] ?? DEFAULT_MAX_ZONE_SIZE;
  if (!Number.isInteger(maxZone) || maxZone < 1) throw new UsageError(`--max-zone-size ${maxZone}: expected a whole number of at least 1`);
  let inventory: Inventory | null = null;
  let inputFailed = false;
  if (a.inventory !== undefined) {
    inventory = loadInventory(a.inventory);
    printDiagnostics(inventory.diagnostics, ctx);
    if (inventory.diagnostics.some((d) => d.severity === 'error')) inputFailed = true;
  }
  const loaded = loadDesign(a.design, { inventory, file: a.design });
  printDiagnostics(loaded.diagnostics, ctx);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
  if (!loaded.design || errors > 0) {
    ctx.err(`zonescope: ${a.design}: ${errors} error${errors === 1 ? '' : 's'} in the design; nothing evaluated\n`);
    return exitCode({ inputFailed: true });
  }
  const design = loaded.design;
  const { reader, cleanup, failed } = await openFlows(a, ctx);
  if (failed) inputFailed = true;
  try {
    const last = reader.overview().lastSeen;
    const since = a.since === undefined ? undefined : timeArg('--since', a.since, last, 'since');
    const until = a.until === undefined ? undefined : timeArg('--until', a.until, last, 'until');
    if (since !== undefined && until !== undefined && until < since) throw new UsageError(`--until ${a.until} is before --since ${a.since}`);
    const flows = reader.flows({ since, until });
    const result = diffDesign(design, flows, undefined, { since, until, hostMacs: reader.hostMacs(), inventory, maxZoneSize: maxZone });
    printDiagnostics(result.diagnostics, ctx);
    if (a.json !== undefined) {
      const text = canonicalJson(diffDocument(result, loaded.diagnostics));
      if (a.json === '-') ctx.out(text);
      else writeFileSync(a.json, text);
    }
    if (a.json !== '-') {
      if (a.format === 'implementation-report') {
        ctx.out(implementationReport(result, { date: last === null ? undefined : isoTime(last).slice(0, 10) }));
      } else ctx.out(diffTable(result, reader.path));
    }
    return exitCode({ inputFailed, findings: result.summary.breaking > 0 });
  } finally {
    reader.close();
    cleanup();
  }
}

function timeArg(name: string, text: string, last: number | null, edge: 'since' | 'until'): number {
  const t = parseTimeOption(text, last, edge);
  if (!t.ok) throw new UsageError(`${name} ${t.message}`);
  return t.value;
}

/** The store to read: captures given directly are ingested into a temporary one (removed afterwards). */
async function openFlows(a: DiffArgs, ctx: CliContext): Promise<{ reader: BaselineReader; cleanup: () => void; failed: boolean }> {
  const inputs = a.inputs ?? [];
  if (inputs.length === 0) return { reader: openReader(a.db, ctx), cleanup: () => undefined, failed: false };
  if (a.db !== undefined) throw new UsageError('give either captures or --db, not both');
  const dir = mkdtempSync(join(tmpdir(), 'zonescope-diff-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const path = join(dir, 'zonescope.db');
    const baseline = Baseline.open(path);
    let result;
    try {
      result = await ingestCaptures(baseline, inputs, { onDiagnostic: (d) => { if (d.severity === 'error') ctx.err(`${formatDiagnostic(d)}\n`); } });
    } finally {
      baseline.close();
    }
    const ingested = result.files.filter((f) => f.status !== 'failed').length;
    if (ingested === 0) throw new CliInputError(`none of the ${result.files.length} capture${result.files.length === 1 ? '' : 's'} could be read`);
    if (!a.quiet) ctx.err(`zonescope: ingested ${ingested} capture${ingested === 1 ? '' : 's'} into a temporary store\n`);
    return { reader: BaselineReader.open(path), cleanup, failed: result.failed };
  } catch (e) {
    cleanup();
    throw e;
  }
}

function when(ts: number): string {
  return isoTime(ts).slice(0, 16).replace('T', ' ');
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_c, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function flowRow(v: FlowVerdict): string[] {
  return [
    v.src, v.dst, `${v.protocol} ${v.transport}/${v.port}`, `${v.srcZone ?? '-'} -> ${v.dstZone ?? '-'}`, num(v.packets),
    String(v.daysSeen), String(v.hoursSeen), when(v.firstSeen), when(v.lastSeen), v.detail,
  ];
}

export function diffTable(result: DiffResult, store: string): string {
  const s = result.summary;
  const L: string[] = [];
  const win = result.window.since !== null || result.window.until !== null
    ? ` in ${result.window.since === null ? '...' : when(result.window.since)} .. ${result.window.until === null ? '...' : when(result.window.until)}`
    : '';
  L.push(`zonescope diff: ${result.design.file} against ${store}${win}`);
  L.push(`${num(s.observedFlows)} observed flows: ${num(s.breaking)} breaking, ${num(s.allowed)} allowed by a conduit, ${num(s.sameZone)} inside one zone${s.local > 0 ? `, ${num(s.local)} broadcast/multicast` : ''}`);
  const breaking = breakingInOrder(result);
  for (const reason of BREAK_REASONS) {
    const group = breaking.filter((v) => v.reason === reason);
    if (group.length === 0) continue;
    L.push('', `${reason} (${group.length})`);
    const rows = [['SRC', 'DST', 'SERVICE', 'ZONES', 'PACKETS', 'DAYS', 'HOURS', 'FIRST SEEN', 'LAST SEEN', 'WHY'], ...group.slice(0, MAX_ROWS).map(flowRow)];
    L.push(...table(rows).map((l) => `  ${l}`));
    if (group.length > MAX_ROWS) L.push(`  ... and ${num(group.length - MAX_ROWS)} more (--json FILE lists every flow)`);
  }
  if (result.unzonedAssets.length > 0) {
    L.push('', `assets in no zone (${result.unzonedAssets.length})`);
    for (const u of result.unzonedAssets) L.push(`  ${u.ip}${u.name ? ` ${u.name}` : ''}${u.inventoryId ? ` (${u.inventoryId})` : ''}: ${u.flows} flow${u.flows === 1 ? '' : 's'}${u.flows === 0 ? ' (inventory or asset list only; not seen)' : ''}`);
  }
  if (result.unusedRules.length > 0) {
    L.push('', `rules no observed flow uses (${result.unusedRules.length})`);
    for (const u of result.unusedRules) L.push(`  ${u.pos.file}:${u.pos.line}:${u.pos.column} ${u.conduit} ${u.protocol ?? 'any'} ${u.ports ? u.ports.map(([x, y]) => (x === y ? x : `${x}-${y}`)).join(',') : 'any port'} ${u.direction ?? ''}`.trimEnd());
  }
  if (result.findings.length > 0) {
    L.push('', `findings on the design (${result.findings.length})`);
    for (const f of result.findings) L.push(`  ${formatDiagnostic(f)}`);
  }
  return `${L.join('\n')}\n`;
}
