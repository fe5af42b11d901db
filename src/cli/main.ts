/**
 * zonescope command line: the yargs setup and ONE top-level handler. The commands live in
 * commands/ (one file each), rendering in render/. Every failure ends as one line with the documented
 * exit code (exitCode.ts), never a stack trace: usage errors (2, with the command's own help), bad
 * inputs (2), internal errors (3: `zonescope: internal error: <message> (run with ZONESCOPE_DEBUG=1
 * for the stack)`). A closed pipe (`| head`) ends output quietly; Ctrl-C and SIGTERM are handled by
 * runCli() (interrupt.ts).
 */
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { BaselineError } from '../baseline/baseline.js';
import { CliInputError, UsageError, type CliContext, type Command } from './commands/command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT_OK, exitCode } from './exitCode.js';
import { runInterrupt, SIGNAL_EXIT } from './interrupt.js';
import { FILE_OPTIONS, STDIN_INPUT } from './options.js';
import { zonescopeVersion } from './version.js';

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  env?: Record<string, string | undefined>;
}

/** A usage error with the help text of the command it concerns. */
class UsageWithHelp extends Error {
  constructor(message: string, readonly help: string) {
    super(message);
  }
}

/** Writes to a stream until it breaks (EPIPE: the reader went away); then writes are dropped quietly. */
function guardedWriter(stream: NodeJS.WriteStream): (s: string) => void {
  let broken = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    // EPIPE / destroyed: the other end of the pipe is gone (`| head`). Nothing else can be done
    // with a broken output stream either; the command finishes its work (e.g. analyze keeps ingesting).
    void e;
    broken = true;
  });
  return (s: string) => {
    if (broken || stream.destroyed) return;
    try {
      stream.write(s);
    } catch {
      broken = true;
    }
  };
}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }): Promise<number> {
  const out = guardedWriter(io.stdout);
  const err = guardedWriter(io.stderr);
  const env = io.env ?? {};
  const ctx: CliContext = {
    out,
    err,
    stdoutIsTTY: Boolean(io.stdout.isTTY),
    stderrIsTTY: Boolean(io.stderr.isTTY),
    columns: io.stdout.columns || 80,
    stdin: io.stdin,
    stderrStream: io.stderr,
  };

  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    out(`${zonescopeVersion()}\n`);
    return EXIT_OK;
  }

  let code = EXIT_OK;
  let parser: Argv = yargs(joinDashValues(argv))
    .scriptName('zonescope')
    .usage('$0 <command> [options]\n\nSegment industrial networks the IEC 62443 way: ingest captures into a baseline, see every flow down to function codes.')
    .epilogue('zonescope --version prints the version. Exit codes: 0 ok, 1 findings, 2 usage error or bad input, 3 internal error.');
  for (const c of COMMANDS) {
    let commandYargs: Argv | null = null;
    parser = parser.command(
      c.name,
      c.describe,
      (y) => (commandYargs = c.builder(y) as Argv),
      async (a) => {
        try {
          code = await c.run(a, ctx);
        } catch (e) {
          // A usage problem found by the command itself: show that command's help.
          if (e instanceof UsageError && commandYargs) throw new UsageWithHelp(e.message, helpOf(commandYargs));
          throw e;
        }
      },
    );
  }
  parser = parser
    .demandCommand(1, 'name a command')
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, io.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, e, y) => {
      if (e && !(e instanceof UsageError) && e.name !== 'YError') throw e;
      if (e instanceof UsageWithHelp) throw e;
      throw new UsageWithHelp(usageMessage(msg ?? e?.message ?? 'usage error', argv), helpOf(y));
    });

  try {
    await parser.parseAsync();
  } catch (e) {
    return reportFailure(e, ctx, env);
  }
  return code;
}

function helpOf(y: Argv): string {
  let help = '';
  y.showHelp((s: string) => {
    help = s;
  });
  return help;
}

/** Errors already reported, so that a rejection seen twice (yargs, then the process) prints once. */
const reported = new WeakSet<object>();

/** Every failure -> one line (usage errors: the line and the command's help) and its exit code. */
export function reportFailure(e: unknown, ctx: Pick<CliContext, 'err'>, env: Record<string, string | undefined> = {}): number {
  if (typeof e === 'object' && e !== null) {
    if (reported.has(e)) return exitCode({ internalError: !(e instanceof UsageError || e instanceof UsageWithHelp || e instanceof CliInputError || e instanceof BaselineError) });
    reported.add(e);
  }
  if (e instanceof UsageWithHelp) {
    ctx.err(`zonescope: ${e.message}\n${e.help ? `\n${e.help}\n` : ''}`);
    return exitCode({ usageError: true });
  }
  if (e instanceof UsageError || (e instanceof Error && e.name === 'YError')) {
    ctx.err(`zonescope: ${e.message} (see zonescope --help)\n`);
    return exitCode({ usageError: true });
  }
  if (e instanceof CliInputError) {
    ctx.err(`zonescope: ${e.message}\n`);
    return exitCode({ inputFailed: true });
  }
  if (e instanceof BaselineError) {
    ctx.err(`zonescope: ${e.code}: ${e.message}\n`);
    return exitCode({ inputFailed: true });
  }
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (env.ZONESCOPE_DEBUG === '1' && e instanceof Error && e.stack) {
    ctx.err(`zonescope: internal error: ${e.stack}\n`);
  } else {
    ctx.err(`zonescope: internal error: ${message} (run with ZONESCOPE_DEBUG=1 for the stack)\n`);
  }
  return exitCode({ internalError: true });
}

/** yargs' messages, made to name what was mistyped. */
function usageMessage(msg: string, argv: string[]): string {
  const first = argv.find((a) => !a.startsWith('-'));
  const known = COMMANDS.map((c: Command) => c.name.split(' ')[0]);
  if (/^Did you mean /.test(msg) && first) return `unknown command '${first}': ${msg.replace(/^Did you mean/, 'did you mean')}`;
  if (/^Unknown argument/.test(msg) && first && !known.includes(first)) return `unknown command '${first}' (commands: ${known.join(', ')})`;
  return msg;
}

/** `--json -` means standard output (INTERFACES.md); yargs would take a lone '-' as a positional. */
function joinDashValues(argv: string[]): string[] {
  const res: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (FILE_OPTIONS.has(a) && argv[i + 1] === '-') {
      res.push(`${a}=-`);
      i++;
    } else if (a === '-') res.push(STDIN_INPUT);
    else res.push(a);
  }
  return res;
}

/**
 * The process around main() for bin/zonescope.js: exit code, Ctrl-C (130) and SIGTERM (143) with a
 * line saying what happened, and a last-resort one-line report of anything that escaped.
 */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  const env = process.env;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    const line = runInterrupt(signal);
    try {
      process.stderr.write(line);
    } catch {
      // stderr gone
    }
    process.exit(SIGNAL_EXIT[signal]);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const lastResort = (e: unknown): void => {
    if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') return;
    if (typeof e === 'object' && e !== null && reported.has(e)) return;
    process.exitCode = reportFailure(e, { err: (s) => void process.stderr.write(s) }, env);
    process.exit();
  };
  process.on('uncaughtException', lastResort);
  process.on('unhandledRejection', lastResort);
  main(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env }).then((c) => {
    process.exitCode = c;
  }, lastResort);
}
