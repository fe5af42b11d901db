/**
 * The CLI from source in a process of its own (for tests that run it as another user, or beside
 * another process): node --import tsx test/util/runCli.ts ARGS...
 */
import { main } from '../../src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`zonescope: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 3;
  },
);
