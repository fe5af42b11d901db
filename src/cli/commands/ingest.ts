/** `zonescope ingest [inputs..]`: add captures to the baseline (files, folders, globs, `-` for standard input); `--reprocess` re-decodes it. */
import type { Argv } from 'yargs';
import { withDb, withDecodeOptions, withVerbosity } from '../options.js';
import { runIngest } from '../runIngest.js';
import { DEFAULT_STORE } from '../store.js';
import { UsageError, type Command } from './command.js';

export const ingestCommand: Command = {
  name: 'ingest [inputs..]',
  describe: 'add captures (files, folders, globs, - for standard input; .pcap .pcapng .cap, optionally .gz) to the baseline',
  builder: (y: Argv) =>
    withDecodeOptions(withVerbosity(withDb(y.positional('inputs', { type: 'string', array: true }), `baseline store (SQLite; default ${DEFAULT_STORE})`)))
      .option('reprocess', {
        type: 'boolean',
        describe: 'decode every capture of the store again with this run\'s decode options (e.g. a new --decode-as), in one transaction; inputs given too are added',
      })
      .example('$0 ingest caps/ --db plant.db', 'every capture under caps/, in time order')
      .example('tcpdump -w - -i eth1 -c 10000 | $0 ingest -', 'a capture from standard input')
      .example('$0 ingest --reprocess --decode-as 48010=opcua --db plant.db', 'the whole baseline decoded again with port 48010 as OPC UA'),
  async run(a: { inputs?: string[]; db?: string; reprocess?: boolean; quiet?: boolean; verbose?: boolean; 'decode-as'?: unknown; 'max-connections'?: number; workers?: number }, ctx) {
    const inputs = a.inputs ?? [];
    if (inputs.length === 0 && a.reprocess !== true) throw new UsageError('ingest needs at least one input (a capture file, folder or glob, or - for standard input), or --reprocess');
    return (await runIngest(inputs, a.db ?? DEFAULT_STORE, a, ctx)).code;
  },
};
