/**
 * The ingest step ingest and analyze share: check the inputs (an input set with no capture is exit 2,
 * before any store is created), read `-` from standard input, run ingestCaptures with a progress bar,
 * print diagnostics (the first ones; --quiet: errors only) and the summary, and always close the store,
 * also on Ctrl-C ("interrupted; run again to resume").
 */
import { Baseline } from '../baseline/baseline.js';
import { ingestCaptures, type IngestResult } from '../pipeline/ingestCaptures.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { expandInputs } from '../ingest/inputs.js';
import { CliInputError, type CliContext } from './commands/command.js';
import { EXIT_OK, exitCode } from './exitCode.js';
import { atInterrupt, setInterruptHint } from './interrupt.js';
import { DEFAULT_MAX_CONNECTIONS, parseDecodeAs, STDIN_INPUT } from './options.js';
import { createProgress } from './progress.js';
import { ingestSummary } from './render/ingestSummary.js';
import { spoolStdin, type SpooledInput } from './stdinCapture.js';

export const MAX_PRINTED_DIAGNOSTICS = 40;

export interface IngestArgs {
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
  if (expanded.files.length === 0 && stdinCount === 0) {
    for (const d of expanded.diagnostics) if (!quiet || d.severity === 'error') print(d);
    throw new CliInputError(`no capture file among the inputs (${inputs.map((i) => (isStdin(i) ? '-' : i)).join(' ')}); name .pcap, .pcapng or .cap files (optionally .gz), folders holding them, or - for standard input`);
  }
  let spooled: SpooledInput | null = null;
  if (stdinCount === 1) {
    if (!ctx.stdin) throw new CliInputError("'-' (standard input) is not available here");
    spooled = await spoolStdin(ctx.stdin);
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
  const unhint = setInterruptHint('; run again to resume (captures already committed are kept and skipped)');
  let printed = 0;
  let result: IngestResult;
  try {
    result = await ingestCaptures(baseline, spooled ? [...files, spooled.path] : [...files], {
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
    });
  } finally {
    unhint();
    unregister();
    cleanup();
  }
  if (!quiet) ctx.err(ingestSummary(result, { dbPath, verbose, printed, maxPrinted: MAX_PRINTED_DIAGNOSTICS }));
  if (result.files.every((f) => f.status === 'failed') && result.files.length > 0) {
    return { code: exitCode({ inputFailed: true }), result };
  }
  return { code: result.failed ? exitCode({ inputFailed: true }) : EXIT_OK, result };
}
