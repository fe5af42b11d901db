/**
 * The ingest step ingest and analyze share: check the inputs (an input set with no capture is exit 2,
 * before any store is created), read `-` from standard input, run ingestCaptures with a progress bar
 * (or, with --reprocess, rebuild the store with the new decode options: src/pipeline/reprocess.ts),
 * print diagnostics (the first ones; --quiet: errors only) and the summary (with what is new in the
 * store, and a hint when the store's captures were decoded with other decode options), and always
 * close the store, also on Ctrl-C ("interrupted; run again to resume").
 */
import { existsSync } from 'node:fs';
import { Baseline } from '../baseline/baseline.js';
import { decodeOptionsText, describeDecodeAs } from '../pipeline/decodeOptions.js';
import { ingestCaptures, type IngestOptions, type IngestResult } from '../pipeline/ingestCaptures.js';
import { reprocessCaptures, ReprocessFailed, type ReprocessOutcome } from '../pipeline/reprocess.js';
import { DiagnosticLog } from '../diagnostics.js';
import { newFrameCounters } from '../flows/flowDelta.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { expandInputs } from '../ingest/inputs.js';
import { CliInputError, type CliContext } from './commands/command.js';
import { EXIT_OK, exitCode } from './exitCode.js';
import { atInterrupt, setInterruptHint } from './interrupt.js';
import { DEFAULT_MAX_CONNECTIONS, parseDecodeAs, STDIN_INPUT } from './options.js';
import { createProgress } from './progress.js';
import { ingestSummary, type DecodeOptionsNotice, type SummaryOptions } from './render/ingestSummary.js';
import { spoolStdin, type SpooledInput } from './stdinCapture.js';

export const MAX_PRINTED_DIAGNOSTICS = 40;

export interface IngestArgs {
  /** ingest --reprocess: decode the store's captures again with these decode options (reprocess.ts). */
  reprocess?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  'decode-as'?: unknown;
  'max-connections'?: number;
  workers?: number;
}

export interface IngestRun {
  code: number;
  result: IngestResult;
}

export async function runIngest(inputs: readonly string[], dbPath: string, a: IngestArgs, ctx: CliContext): Promise<IngestRun> {
  const decodeAs = parseDecodeAs(a['decode-as']);
  const quiet = a.quiet === true;
  const verbose = a.verbose === true;
  const print = (d: Diagnostic): void => ctx.err(`${formatDiagnostic(d)}\n`);

  const isStdin = (i: string): boolean => i === '-' || i === STDIN_INPUT;
  const files = inputs.filter((i) => !isStdin(i));
  const stdinCount = inputs.length - files.length;
  if (stdinCount > 1) throw new CliInputError("'-' (standard input) can be given once");
  const expanded = await expandInputs(files);
  const reprocessOnly = a.reprocess === true && inputs.length === 0;
  if (expanded.files.length === 0 && stdinCount === 0 && !reprocessOnly) {
    for (const d of expanded.diagnostics) if (!quiet || d.severity === 'error') print(d);
    throw new CliInputError(`no capture file among the inputs (${inputs.map((i) => (isStdin(i) ? '-' : i)).join(' ')}); name .pcap, .pcapng or .cap files (optionally .gz), folders holding them, or - for standard input`);
  }
  let spooled: SpooledInput | null = null;
  if (stdinCount === 1) {
    if (!ctx.stdin) throw new CliInputError("'-' (standard input) is not available here");
    spooled = await spoolStdin(ctx.stdin);
  }

  if (a.reprocess === true && !existsSync(dbPath)) {
    throw new CliInputError(`cannot reprocess ${dbPath}: there is no such store; ingest captures into it first (zonescope ingest CAPTURES --db ${dbPath})`);
  }
  const baseline = Baseline.open(dbPath);
  const progress = createProgress(ctx.stderrStream, !quiet && ctx.stderrIsTTY);
  const cleanup = (): void => {
    progress.stop();
    try {
      baseline.close();
    } catch {
      // already closed
    }
    spooled?.remove();
  };
  const unregister = atInterrupt(cleanup);
  const unhint = setInterruptHint(
    a.reprocess === true ? '; the reprocess was undone: the store is as it was' : '; run again to resume (captures already committed are kept and skipped)',
  );
  let printed = 0;
  let result: IngestResult;
  let told: Pick<SummaryOptions, 'news' | 'decodeOptions' | 'reprocess'> = {};
  const options: IngestOptions = {
    decodeAs,
    workers: a.workers,
    maxConnections: a['max-connections'] ?? DEFAULT_MAX_CONNECTIONS,
    onProgress: (p) => progress.update(p),
    onDiagnostic: (d: Diagnostic) => {
      const shown = quiet ? d.severity === 'error' : verbose || d.severity !== 'note';
      if (shown && printed < MAX_PRINTED_DIAGNOSTICS) {
        progress.stop();
        print(d);
      }
      if (shown) printed++;
    },
  };
  const captureInputs = spooled ? [...files, spooled.path] : [...files];
  try {
    if (a.reprocess === true) {
      const outcome = await reprocess(baseline, captureInputs, options, dbPath);
      if (outcome.kind === 'unchanged') {
        if (!quiet) ctx.err(`zonescope: nothing to reprocess: the ${outcome.plan.captures} captures in ${dbPath} were decoded with --decode-as ${describeDecodeAs(decodeAs)} already; the store was left as it was\n`);
        return { code: EXIT_OK, result: emptyResult() };
      }
      result = outcome.result;
      told = { news: outcome.news, reprocess: { captures: outcome.plan.captures, changed: outcome.plan.changed, firstChanged: outcome.plan.firstChanged, decodeAs } };
    } else {
      const mark = baseline.mark();
      result = await ingestCaptures(baseline, captureInputs, options);
      told = { news: baseline.newsSince(mark), decodeOptions: decodeOptionsNotice(baseline, decodeAs) };
    }
  } finally {
    unhint();
    unregister();
    cleanup();
  }
  if (!quiet) ctx.err(ingestSummary(result, { dbPath, verbose, printed, maxPrinted: MAX_PRINTED_DIAGNOSTICS, ...told }));
  if (result.files.every((f) => f.status === 'failed') && result.files.length > 0) {
    return { code: exitCode({ inputFailed: true }), result };
  }
  return { code: result.failed ? exitCode({ inputFailed: true }) : EXIT_OK, result };
}

/** The reprocess (reprocess.ts); a store that cannot be rebuilt as it was ingested is refused, untouched (exit 2). */
async function reprocess(baseline: Baseline, inputs: string[], options: IngestOptions, dbPath: string): Promise<Exclude<ReprocessOutcome, { kind: 'refused' }>> {
  let outcome: ReprocessOutcome;
  try {
    outcome = await reprocessCaptures(baseline, inputs, options);
  } catch (e) {
    if (!(e instanceof ReprocessFailed)) throw e;
    throw new CliInputError(`cannot reprocess ${dbPath}: ${e.message}; the rebuild was undone, the store is as it was`);
  }
  if (outcome.kind !== 'refused') return outcome;
  const ps = outcome.plan.problems;
  const shown = ps.slice(0, 5).map((p) => `${p.path} (${p.why})`).join(', ');
  throw new CliInputError(
    `cannot reprocess ${dbPath}: ${ps.length} of its ${outcome.plan.captures} captures cannot be read again as they were ingested: ${shown}${ps.length > 5 ? `, and ${ps.length - 5} more` : ''}; ` +
      'the store was left untouched: put the files back where they were ingested from (and run from that folder), or ingest into a new store with the new options',
  );
}

/** Captures of the store decoded with other decode options than this run's (the summary suggests --reprocess). */
function decodeOptionsNotice(baseline: Baseline, decodeAs: Record<string, string>): DecodeOptionsNotice | undefined {
  const now = decodeOptionsText(decodeAs);
  const inUse = baseline.decodeOptionsInUse();
  const other = inUse.filter((u) => u.options !== null && u.options !== now).reduce((n, u) => n + u.captures, 0);
  // Captures of an older store: their options are not known, and only options other than the defaults can differ from them.
  const unknown = Object.keys(decodeAs).length > 0 ? inUse.filter((u) => u.options === null).reduce((n, u) => n + u.captures, 0) : 0;
  return other + unknown > 0 ? { other, unknown, decodeAs } : undefined;
}

function emptyResult(): IngestResult {
  return { files: [], frames: 0, ipPackets: 0, bytes: 0, firstTs: null, lastTs: null, flows: 0, scans: [], diagnostics: new DiagnosticLog(1), protocols: new Map(),
    frameKinds: newFrameCounters(), l2ByEtherType: new Map(), undecodedLinktypes: new Map(), capturePoints: [], elapsedMs: 0, failed: false };
}
