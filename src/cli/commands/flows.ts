/**
 * `zonescope flows`: the observed flows with their operations. On a terminal an aligned table with a
 * totals line; in a pipe tab-separated values only (nothing on standard error); `--csv FILE`,
 * `--json FILE` (`-` for standard output). Filters: --protocol, --host (IP or CIDR), --since/--until.
 */
import type { Argv } from 'yargs';
import type { FlowRecord } from '../../baseline/reader.js';
import { canonicalJson } from '../../report/json.js';
import { atInterrupt } from '../interrupt.js';
import { hostOption, lastString, listValues, withDb, withTimeWindow } from '../options.js';
import { writeOutput } from '../output.js';
import { readFlowsDocument } from '../readFlowsDocument.js';
import { FLOW_COLUMNS, FLOW_SORT_KEYS, flowCells, flowDetail, sortFlows, totalsLine, type FlowSortKey } from '../render/flowsTable.js';
import { alignedTable, csvTable, tsvTable } from '../render/table.js';
import { openReader } from '../store.js';
import { parseTimeOption } from '../timeOption.js';
import { UsageError, type Command } from './command.js';

interface FlowsArgs {
  db?: string;
  json?: string;
  csv?: string;
  sort: FlowSortKey;
  protocol?: unknown;
  host?: unknown;
  since?: string;
  until?: string;
  detail?: boolean;
}

export const flowsCommand: Command = {
  name: 'flows',
  describe: 'the observed flows with their per-protocol operations',
  builder: (y: Argv) =>
    withTimeWindow(withDb(y), 'activity')
      .option('json', { type: 'string', requiresArg: true, coerce: lastString, describe: 'write zonescope/flows@2 JSON to FILE (- for standard output)' })
      .option('csv', { type: 'string', requiresArg: true, coerce: lastString, describe: 'write the table as CSV to FILE (- for standard output)' })
      .option('sort', { choices: FLOW_SORT_KEYS, default: 'src' as FlowSortKey, describe: 'row order (addresses in numeric order; counts and times largest/latest first)' })
      .option('protocol', { type: 'string', requiresArg: true, describe: 'only these protocols (repeatable or comma-separated), e.g. modbus,s7comm' })
      .option('host', { type: 'string', requiresArg: true, describe: 'only flows with an endpoint at this IP or in this CIDR (repeatable)' })
      .option('detail', { type: 'boolean', default: false, describe: 'under each row: every function with its counts, Modbus ranges (0-based starts), objects' })
      .example('$0 flows --host 10.20.1.0/24 --protocol modbus --sort packets', 'the busiest Modbus flows of one subnet'),
  async run(a: FlowsArgs, ctx) {
    const hosts = hostOption(a.host);
    const protocols = new Set(listValues(a.protocol).map((p) => p.toLowerCase()));
    const reader = openReader(a.db, ctx);
    const unregister = atInterrupt(() => reader.close());
    try {
      const last = a.since !== undefined || a.until !== undefined ? reader.overview().lastSeen : null;
      const since = a.since !== undefined ? parseTimeOption('since', a.since, last) : undefined;
      const until = a.until !== undefined ? parseTimeOption('until', a.until, last, true) : undefined;
      const filtered = hosts.length > 0 || protocols.size > 0 || since !== undefined || until !== undefined;
      let flows: FlowRecord[] = reader.flows(since !== undefined || until !== undefined ? { since, until } : {});
      if (protocols.size > 0) flows = flows.filter((f) => protocols.has(f.protocol));
      if (hosts.length > 0) flows = flows.filter((f) => hosts.some((m) => m(f.src) || m(f.dst)));
      if (a.json !== undefined) {
        // The engineering events of the same selection (time window, hosts, protocols).
        let events = reader.events(since !== undefined || until !== undefined ? { since, until } : {});
        if (protocols.size > 0) events = events.filter((e) => protocols.has(e.protocol));
        if (hosts.length > 0) events = events.filter((e) => hosts.some((m) => m(e.src) || m(e.dst)));
        // Capture points are per file: a time window keeps those of the captures in it; hosts and protocols do not apply.
        const points = reader.capturePoints(since !== undefined || until !== undefined ? { since, until } : {});
        writeOutput(a.json, canonicalJson(readFlowsDocument(reader, flows, filtered ? [] : reader.scans(), events, points)), ctx, '--json');
        if (a.json !== '-') ctx.err(`wrote ${a.json} (${flows.length} flows)\n`);
      }
      const sorted = sortFlows(flows, a.sort);
      if (a.csv !== undefined) {
        writeOutput(a.csv, csvTable(FLOW_COLUMNS, sorted.map((f) => flowCells(f, false))), ctx, '--csv');
        if (a.csv !== '-') ctx.err(`wrote ${a.csv} (${flows.length} flows)\n`);
      }
      if (a.json !== undefined || a.csv !== undefined) return 0;
      if (ctx.stdoutIsTTY) {
        const table = alignedTable(FLOW_COLUMNS, sorted.map((f) => flowCells(f, true)));
        if (a.detail) {
          const lines = table.split('\n');
          ctx.out(`${lines[0]}\n`);
          sorted.forEach((f, i) => ctx.out(`${lines[i + 1]}\n${flowDetail(f)}`));
        } else ctx.out(table);
        ctx.out(`${totalsLine(sorted)}\n`);
        if (sorted.some((f) => f.protocol === 'modbus')) ctx.out('Modbus addresses are 0-based protocol addresses (holding register 0 is 40001 in Modicon notation).\n');
      } else {
        ctx.out(tsvTable(FLOW_COLUMNS, sorted.map((f) => flowCells(f, false))));
        if (a.detail) for (const f of sorted) ctx.out(`# ${f.src} ${f.dst} ${f.transport}/${f.protocol} ${f.port}\n${flowDetail(f)}`);
      }
      return 0;
    } finally {
      unregister();
      reader.close();
    }
  },
};
