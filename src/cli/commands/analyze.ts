/**
 * `zonescope analyze <inputs..>`: the main job in one go: ingest the captures into <out>/zonescope.db
 * and write the results (flows.json; later stages add theirs) into --out.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { BaselineReader } from '../../baseline/reader.js';
import { canonicalJson } from '../../report/json.js';
import { atInterrupt } from '../interrupt.js';
import { lastString, withDb, withDecodeOptions, withVerbosity } from '../options.js';
import { prepareOutDir, writeOutput } from '../output.js';
import { readFlowsDocument } from '../readFlowsDocument.js';
import { runIngest } from '../runIngest.js';
import type { Command } from './command.js';

export const DEFAULT_OUT = './zonescope-out';

export const analyzeCommand: Command = {
  name: 'analyze <inputs..>',
  describe: 'the main job in one go: ingest the captures into <out>/zonescope.db and write the results into --out',
  builder: (y: Argv) =>
    withDecodeOptions(
      withVerbosity(
        withDb(
          y
            .positional('inputs', { type: 'string', array: true, demandOption: true })
            .option('out', { type: 'string', requiresArg: true, coerce: lastString, describe: `output folder (default ${DEFAULT_OUT})` }),
          'baseline store (default <out>/zonescope.db)',
        ),
      ),
    ),
  async run(a: { inputs: string[]; out?: string; db?: string; quiet?: boolean; verbose?: boolean; 'decode-as'?: unknown; 'max-connections'?: number; workers?: number }, ctx) {
    const outDir = prepareOutDir(a.out ?? DEFAULT_OUT);
    const db = a.db ?? join(outDir, 'zonescope.db');
    const { code } = await runIngest(a.inputs, db, a, ctx);
    const reader = BaselineReader.open(db);
    const unregister = atInterrupt(() => reader.close());
    try {
      const flowsPath = join(outDir, 'flows.json');
      writeOutput(flowsPath, canonicalJson(readFlowsDocument(reader)), ctx, '--out');
      if (!a.quiet) ctx.err(`wrote ${flowsPath}\n`);
    } finally {
      unregister();
      reader.close();
    }
    return code;
  },
};
