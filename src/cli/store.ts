/**
 * Which baseline store a command reads (docs/INTERFACES.md): `--db FILE` when given; else
 * ./zonescope.db when it exists; else the analyze output folder's store ./zonescope-out/zonescope.db,
 * saying which. A missing store is a CliInputError that says what to run.
 */
import { existsSync } from 'node:fs';
import { BaselineError } from '../baseline/baseline.js';
import { BaselineReader } from '../baseline/reader.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { escapeControls } from '../ingest/escapeControls.js';
import { CliInputError, type CliContext } from './commands/command.js';

export const DEFAULT_STORE = './zonescope.db';
export const ANALYZE_STORE = './zonescope-out/zonescope.db';

export function resolveStorePath(db: string | undefined, ctx: CliContext): string {
  if (db !== undefined) return db;
  if (existsSync(DEFAULT_STORE)) return DEFAULT_STORE;
  if (existsSync(ANALYZE_STORE)) {
    ctx.err(`zonescope: reading ${ANALYZE_STORE} (the store of 'zonescope analyze'; --db names another)\n`);
    return ANALYZE_STORE;
  }
  throw new CliInputError(
    `no baseline store: neither ${DEFAULT_STORE} nor ${ANALYZE_STORE} exists; run 'zonescope ingest CAPTURES' or 'zonescope analyze CAPTURES' first, or name one with --db`,
  );
}

/**
 * Open the store read-only for a command; store problems become one-line CliInputErrors, and times the
 * store holds that a date cannot (reportTimeProblems) warnings.
 */
export function openReader(db: string | undefined, ctx: CliContext): BaselineReader {
  const path = resolveStorePath(db, ctx);
  if (!existsSync(path)) throw new CliInputError(`baseline store ${path} does not exist; run 'zonescope ingest CAPTURES --db ${path}' first`);
  let reader: BaselineReader;
  try {
    reader = BaselineReader.open(path);
  } catch (e) {
    if (e instanceof BaselineError) throw new CliInputError(`${e.code}: ${e.message}`);
    throw e;
  }
  reportTimeProblems(reader, ctx);
  return reader;
}

/** A BASELINE_TIME_INVALID warning per capture and field whose stored times a date cannot hold. */
export function reportTimeProblems(reader: BaselineReader, ctx: CliContext): void {
  for (const p of reader.timeProblems()) {
    const what = p.capture !== null ? `capture ${escapeControls(p.capture)}: ${p.field} (${p.example})` : `${p.field}: ${p.rows} row${p.rows === 1 ? '' : 's'} (${p.example})`;
    const d: Diagnostic = {
      code: 'BASELINE_TIME_INVALID',
      severity: 'warning',
      file: reader.path,
      message: `${what} is no time a date can hold; ${p.readAs}. Ingest the captures into a new store to be rid of it`,
    };
    ctx.err(`${formatDiagnostic(d)}\n`);
  }
}
