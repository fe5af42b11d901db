/**
 * Which baseline store a command reads (docs/INTERFACES.md): `--db FILE` when given; else
 * ./zonescope.db when it exists; else the analyze output folder's store ./zonescope-out/zonescope.db,
 * saying which. A missing store is a CliInputError that says what to run.
 */
import { existsSync } from 'node:fs';
import { BaselineError } from '../baseline/baseline.js';
import { BaselineReader } from '../baseline/reader.js';
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

/** Open the store read-only for a command; store problems become one-line CliInputErrors. */
export function openReader(db: string | undefined, ctx: CliContext): BaselineReader {
  const path = resolveStorePath(db, ctx);
  if (!existsSync(path)) throw new CliInputError(`baseline store ${path} does not exist; run 'zonescope ingest CAPTURES --db ${path}' first`);
  try {
    return BaselineReader.open(path);
  } catch (e) {
    if (e instanceof BaselineError) throw new CliInputError(`${e.code}: ${e.message}`);
    throw e;
  }
}
