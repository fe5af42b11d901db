/**
 * The shape of one CLI command: one file per command in src/cli/commands/, registered in index.ts.
 * A command's `run` returns its exit code (exitCode.ts); it prints only through the context, and
 * throws UsageError for a usage problem (exit 2, with the command's help) and CliInputError for a bad
 * input (exit 2, one line). Anything else is an internal error (exit 3, one line, no stack trace).
 * main.ts runs every command through one top-level handler (errors, broken pipes, signals): a
 * command only registers cleanup steps for Ctrl-C with atInterrupt() (interrupt.ts).
 * Shared pieces for a new command (options.ts): withDb (store per INTERFACES.md; open it with
 * openReader from store.ts), withVerbosity, wholeNumber/decimalNumber coerce functions for numeric
 * options (never `type: 'number'`: it lets NaN through), requiresArg for every option with a value;
 * output.ts writeOutput (`--json FILE`, `-` = stdout) and prepareOutDir (`--out DIR`); a new option
 * taking a file where `-` means stdout goes into FILE_OPTIONS.
 */
import type { Argv } from 'yargs';

export interface CliContext {
  out(s: string): void;
  err(s: string): void;
  /** stdout is a terminal (aligned tables, colour) */
  stdoutIsTTY: boolean;
  /** stderr is a terminal (progress bars) */
  stderrIsTTY: boolean;
  columns: number;
  /** Standard input, for commands that read `-` (ingest). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The stderr stream itself, for progress bars (absent: no progress bar). */
  stderrStream?: NodeJS.WriteStream;
}

export interface Command {
  /** yargs command string, e.g. 'diff <design>' */
  name: string;
  describe: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  builder(y: Argv): Argv<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run(args: any, ctx: CliContext): Promise<number>;
}

/** A usage problem: exit 2 with the command's help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A bad or unreadable input (file, store, design): exit 2, one line. */
export class CliInputError extends Error {
  override name = 'CliInputError';
}
