/** `zonescope ingest <inputs..>`: add captures to the baseline (files, folders, globs, `-` for standard input). */
import type { Argv } from 'yargs';
import { withDb, withDecodeOptions, withVerbosity } from '../options.js';
import { runIngest } from '../runIngest.js';
import { DEFAULT_STORE } from '../store.js';
import type { Command } from './command.js';

export const ingestCommand: Command = {
  name: 'ingest <inputs..>',
  describe: 'add captures (files, folders, globs, - for standard input; .pcap .pcapng .cap, optionally .gz) to the baseline',
  builder: (y: Argv) =>
    withDecodeOptions(withVerbosity(withDb(y.positional('inputs', { type: 'string', array: true, demandOption: true }), `baseline store (SQLite; default ${DEFAULT_STORE})`)))
      .example('$0 ingest caps/ --db plant.db', 'every capture under caps/, in time order')
      .example('tcpdump -w - -i eth1 -c 10000 | $0 ingest -', 'a capture from standard input'),
  async run(a: { inputs: string[]; db?: string; quiet?: boolean; verbose?: boolean; 'decode-as'?: unknown; 'max-connections'?: number; workers?: number }, ctx) {
    return (await runIngest(a.inputs, a.db ?? DEFAULT_STORE, a, ctx)).code;
  },
};
