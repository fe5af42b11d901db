/**
 * zonescope command line (yargs). The only module that reads argv, prints, or sets the exit code;
 * everything else is the library in src/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { Baseline, BaselineError } from '../baseline/baseline.js';
import { ingestCaptures, type IngestResult } from '../pipeline/ingestCaptures.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { defaultDissectors } from '../dissectors/index.js';
import { createRegistry, type Registry } from '../dissectors/registry.js';
import { BaselineReader } from '../baseline/reader.js';
import { flowsDocument, operationTotals } from '../report/flowsDocument.js';
import { canonicalJson } from '../report/json.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, exitCode } from './exitCode.js';
import { bytes, day, duration, num } from './format.js';
import { createProgress } from './progress.js';
import { CliInputError, UsageError, type CliContext } from './commands/command.js';
import { COMMANDS } from './commands/index.js';

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}


const MAX_PRINTED_DIAGNOSTICS = 40;

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let code = 0;
  const out = (s: string): void => void io.stdout.write(s);
  const err = (s: string): void => void io.stderr.write(s);

  const withStoreOptions = <T>(y: Argv<T>) =>
    y
      .option('db', { type: 'string', describe: 'baseline store (SQLite)', default: './zonescope.db' })
      .option('quiet', { type: 'boolean', alias: 'q', describe: 'no progress bar', default: false });
  const withIngestOptions = <T>(y: Argv<T>) =>
    y
      .option('decode-as', {
        type: 'string',
        array: true,
        describe: 'dissect a port as a protocol, e.g. 48010=opcua or udp:2223=cip-io (repeatable)',
      })
      .option('max-connections', { type: 'number', describe: 'live connections kept in memory; past it, payload-less then least recently active ones are folded', default: 100_000 })
      .option('workers', { type: 'number', describe: 'worker threads sharing the work (default: 2 for inputs of 64 MB or more, else 1)' });

  const ctx: CliContext = {
    out,
    err,
    stdoutIsTTY: Boolean(io.stdout.isTTY),
    stderrIsTTY: Boolean(io.stderr.isTTY),
    columns: io.stdout.columns ?? 80,
  };

  let parser = yargs(stdoutDashes(argv))
    .scriptName('zonescope')
    .usage('$0 <command> [options]\n\nSegment industrial networks the IEC 62443 way: ingest captures into a baseline, see every flow down to function codes.')
    .command(
      'ingest <inputs..>',
      'add captures (files, directories, globs; .pcap .pcapng .cap, optionally .gz) to the baseline',
      (y) => withIngestOptions(withStoreOptions(y.positional('inputs', { type: 'string', array: true, demandOption: true }))),
      async (a) => {
        code = await runIngest(a.inputs as string[], a.db, a, io);
      },
    )
    .command(
      'analyze <inputs..>',
      'the main job in one go: ingest the captures into <out>/zonescope.db and write the results into --out',
      (y) =>
        withIngestOptions(
          y
            .positional('inputs', { type: 'string', array: true, demandOption: true })
            .option('out', { type: 'string', describe: 'output folder', default: './zonescope-out' })
            .option('db', { type: 'string', describe: 'baseline store (default <out>/zonescope.db)' })
            .option('quiet', { type: 'boolean', alias: 'q', default: false }),
        ),
      async (a) => {
        const outDir = resolve(a.out);
        mkdirSync(outDir, { recursive: true });
        const db = a.db ?? join(outDir, 'zonescope.db');
        code = await runIngest(a.inputs as string[], db, a, io);
        if (code === EXIT_INTERNAL) return;
        const baseline = BaselineReader.open(db);
        try {
          const registry = createRegistry(defaultDissectors);
          const flowsPath = join(outDir, 'flows.json');
          writeFileSync(flowsPath, canonicalJson(buildFlowsDocument(baseline, registry)));
          err(`wrote ${flowsPath}\n`);
        } finally {
          baseline.close();
        }
      },
    )
    .command(
      'flows',
      'the observed flows with their per-protocol operations',
      (y) => withStoreOptions(y).option('json', { type: 'string', describe: 'write zonescope/flows@2 JSON to FILE (- for stdout)' }),
      (a) => {
        const baseline = openExisting(a.db);
        try {
          const registry = createRegistry(defaultDissectors);
          const doc = buildFlowsDocument(baseline, registry);
          if (a.json !== undefined) {
            if (a.json === '-') out(canonicalJson(doc));
            else writeFileSync(a.json, canonicalJson(doc));
          } else {
            out(flowsTable(baseline));
          }
        } finally {
          baseline.close();
        }
      },
    );
  for (const c of COMMANDS) {
    parser = parser.command(c.name, c.describe, (y) => c.builder(y), async (a) => {
      code = await c.run(a, ctx);
    });
  }
  parser = parser
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, e) => {
      throw e ?? new UsageError(msg);
    });

  try {
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof UsageError || (e instanceof Error && e.name === 'YError')) {
      err(`zonescope: ${(e as Error).message}\n(see zonescope --help)\n`);
      return exitCode({ usageError: true });
    }
    if (e instanceof CliInputError) {
      err(`zonescope: ${e.message}\n`);
      return exitCode({ inputFailed: true });
    }
    if (e instanceof BaselineError) {
      err(`zonescope: ${e.code}: ${e.message}\n`);
      return exitCode({ inputFailed: true });
    }
    if (e instanceof Error && /^(decode-as|DECODE_AS)/i.test(e.message)) {
      err(`zonescope: ${e.message}\n`);
      return exitCode({ usageError: true });
    }
    err(`zonescope: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    return exitCode({ internalError: true });
  }
  return code;
}

/** `--json -` means stdout (INTERFACES.md); yargs would take a lone '-' as a positional. */
function stdoutDashes(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--') && !a.includes('=') && argv[i + 1] === '-') {
      out.push(`${a}=-`);
      i++;
    } else out.push(a);
  }
  return out;
}

function openExisting(path: string): BaselineReader {
  return BaselineReader.open(path);
}

function parseDecodeAs(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const m = /^((?:tcp|udp):)?(\d{1,5})=([a-z0-9-]+)$/i.exec(item.trim());
    if (!m || Number(m[2]) > 65535) throw new UsageError(`--decode-as '${item}': expected PORT=PROTOCOL, e.g. 48010=opcua or tcp:48010=opcua`);
    out[`${m[1] ?? ''}${m[2]}`] = m[3]!.toLowerCase();
  }
  return out;
}

/** Parse and check --decode-as (an unknown protocol id is a usage error). */
function checkedDecodeAs(decodeAs: string[] | undefined): Record<string, string> {
  const map = parseDecodeAs(decodeAs);
  try {
    createRegistry(defaultDissectors, { decodeAs: map });
  } catch (e) {
    throw new UsageError(`--decode-as: ${(e as Error).message}`);
  }
  return map;
}

export function buildFlowsDocument(baseline: BaselineReader, registry: Registry): Record<string, unknown> {
  return flowsDocument(baseline.flows(), {
    mainSpace: (p) => registry.byId(p)?.spaces[0],
    scans: baseline.scans(),
  });
}

interface IngestArgs {
  quiet?: boolean;
  'decode-as'?: string[];
  'max-connections'?: number;
  workers?: number;
}

async function runIngest(inputs: string[], dbPath: string, a: IngestArgs, io: Io): Promise<number> {
  const err = (s: string): void => void io.stderr.write(s);
  const decodeAs = checkedDecodeAs(a['decode-as']);
  if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 1 || a.workers > 64)) {
    throw new UsageError(`--workers ${a.workers}: expected a whole number from 1 to 64`);
  }
  const baseline = Baseline.open(dbPath);
  const progress = createProgress(io.stderr, !a.quiet);
  let printed = 0;
  let result: IngestResult;
  try {
    result = await ingestCaptures(baseline, inputs, {
      decodeAs,
      workers: a.workers,
      maxConnections: a['max-connections'],
      onProgress: (p) => progress.update(p),
      onDiagnostic: (d: Diagnostic) => {
        if (printed < MAX_PRINTED_DIAGNOSTICS && (d.severity !== 'note' || printed < MAX_PRINTED_DIAGNOSTICS)) {
          progress.stop();
          err(`${formatDiagnostic(d)}\n`);
        }
        printed++;
      },
    });
  } finally {
    progress.stop();
    baseline.close();
  }
  err(summaryText(result, dbPath, printed));
  return exitCode({ inputFailed: result.failed });
}

function summaryText(r: IngestResult, dbPath: string, printed: number): string {
  const lines: string[] = [];
  const by = (s: string): number => r.files.filter((f) => f.status === s).length;
  const parts = [`${by('ingested')} ingested`];
  if (by('resumed')) parts.push(`${by('resumed')} resumed`);
  if (by('skipped')) parts.push(`${by('skipped')} skipped`);
  if (by('failed')) parts.push(`${by('failed')} failed`);
  lines.push(`zonescope: ${r.files.length} file${r.files.length === 1 ? '' : 's'} (${parts.join(', ')}) into ${dbPath} in ${duration(r.elapsedMs)}`);
  const secs = r.elapsedMs / 1000;
  lines.push(
    `  ${num(r.frames)} frames (${num(r.ipPackets)} IP), ${bytes(r.bytes)}` +
      (secs > 0 && r.frames > 0 ? `, ${num(Math.round(r.frames / secs))} packets/s` : ''),
  );
  if (r.firstTs !== null) {
    lines.push(`  time span: ${day(r.firstTs)} .. ${day(r.lastTs)} (${((r.lastTs! - r.firstTs) / 86400).toFixed(1)} days)`);
  }
  lines.push(`  flows touched: ${num(r.flows)}`);
  const protos = [...r.protocols].filter(([, p]) => p.pdus > 0 || p.malformed > 0).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (protos.length > 0) {
    lines.push(
      `  dissected: ${protos
        .map(([id, p]) => {
          const notes: string[] = [];
          if (p.malformed) notes.push(`${num(p.malformed)} malformed`);
          if (p.unparsedBytes) notes.push(`${bytes(p.unparsedBytes)} not parsed`);
          if (p.gapBytes) notes.push(`${bytes(p.gapBytes)} lost in capture gaps`);
          return `${id} ${num(p.pdus)} PDUs${notes.length ? ` (${notes.join(', ')})` : ''}`;
        })
        .join(', ')}`,
    );
  }
  for (const s of r.scans) {
    lines.push(
      s.kind === 'scan'
        ? `  scan: ${s.host} made ${num(s.attempts)} failed ${s.transport} attempts to ${num(s.peers)} hosts on ${num(s.ports)} ports (summarised, not listed as flows)`
        : `  flood: ${s.host} received ${num(s.attempts)} failed ${s.transport} attempts from ${num(s.peers)} hosts on ${num(s.ports)} ports (summarised, not listed as flows)`,
    );
  }
  for (const f of r.files) {
    if (f.status === 'skipped' || f.status === 'failed' || f.status === 'resumed') lines.push(`  ${f.status}: ${f.path}: ${f.note ?? ''}`);
  }
  const all = [...r.diagnostics.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  // Notes are facts, not problems (e.g. CAPTURE_POINT_TUNNEL: the frames came through ERSPAN).
  const notes = all.filter(([, c]) => c.severity === 'note');
  if (notes.length > 0) lines.push(`  notes: ${notes.map(([code, c]) => `${code} ${num(c.count)}`).join(', ')}`);
  const counts = all.filter(([, c]) => c.severity !== 'note');
  if (counts.length > 0) {
    lines.push(`  problems: ${counts.map(([code, c]) => `${code} ${num(c.count)} (${c.severity})`).join(', ')}`);
    if (printed > MAX_PRINTED_DIAGNOSTICS) {
      lines.push(`  (${num(printed - MAX_PRINTED_DIAGNOSTICS)} more diagnostics not printed; all are in the store: sqlite3 ${dbPath} 'SELECT * FROM diagnostics')`);
    }
  } else lines.push('  problems: none');
  return `${lines.join('\n')}\n`;
}

function flowsTable(baseline: BaselineReader): string {
  const rows = baseline.flows();
  const lines = [
    ['SRC', 'DST', 'PROTO', 'PORT', 'PACKETS', 'BYTES', 'CONNS', 'OPERATIONS'].join('\t'),
  ];
  for (const f of rows) {
    const ops = operationTotals(f.functions);
    lines.push(
      [
        f.src, f.dst, `${f.transport}/${f.protocol}`, String(f.port), String(f.packetsToResponder + f.packetsToInitiator),
        String(f.bytesToResponder + f.bytesToInitiator), String(f.connections),
        Object.entries(ops).map(([k, v]) => `${k}:${v}`).join(' '),
      ].join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

export { EXIT_BAD_INPUT };
