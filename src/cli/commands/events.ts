/**
 * `zonescope events`: the engineering events of the baseline (docs/INTERFACES.md "Events JSON"):
 * program downloads/uploads, PLC stop/start, PI services and other control requests, each one; the
 * first write and the first diagnostic request of each code per host pair, the later ones counted
 * on it. Each with its time, capture file and frame number (open it in Wireshark with `-r FILE` and
 * Go to packet). On a terminal an aligned table with a totals line; in a pipe tab-separated values
 * only; `--json FILE` (`-` for standard output) writes zonescope/events@1.
 */
import type { Argv } from 'yargs';
import { eventsDocument } from '../../report/eventsDocument.js';
import { canonicalJson } from '../../report/json.js';
import { atInterrupt } from '../interrupt.js';
import { hostOption, lastString, listValues, withDb, withTimeWindow } from '../options.js';
import { writeOutput } from '../output.js';
import { EVENT_COLUMNS, eventCells, eventsTotalsLine } from '../render/eventsTable.js';
import { alignedTable, tsvTable } from '../render/table.js';
import { openReader } from '../store.js';
import { parseTimeOption } from '../timeOption.js';
import { UsageError, type Command } from './command.js';

export const EVENT_KINDS = ['program', 'control', 'write', 'diagnostic'] as const;

interface EventsArgs {
  db?: string;
  json?: string;
  since?: string;
  until?: string;
  host?: unknown;
  kind?: unknown;
}

export const eventsCommand: Command = {
  name: 'events',
  describe: 'engineering events: program download/upload, PLC stop/start, PI services, the first write of each code per host pair; with capture file and frame',
  builder: (y: Argv) =>
    withTimeWindow(withDb(y), 'events')
      .option('json', { type: 'string', requiresArg: true, coerce: lastString, describe: 'write zonescope/events@1 JSON to FILE (- for standard output)' })
      .option('host', { type: 'string', requiresArg: true, describe: 'only events with an endpoint at this IP or in this CIDR (repeatable)' })
      .option('kind', { type: 'string', requiresArg: true, describe: `only these kinds (repeatable or comma-separated): ${EVENT_KINDS.join(', ')}` })
      .example('$0 events --since 2026-02-05 --until 2026-02-05 --kind program,control', 'downloads and PLC stops of one day'),
  async run(a: EventsArgs, ctx) {
    const hosts = hostOption(a.host);
    const kinds = new Set(listValues(a.kind).map((k) => k.toLowerCase()));
    for (const k of kinds) {
      if (!(EVENT_KINDS as readonly string[]).includes(k)) throw new UsageError(`--kind '${k}': expected one of ${EVENT_KINDS.join(', ')}`);
    }
    const reader = openReader(a.db, ctx);
    const unregister = atInterrupt(() => reader.close());
    try {
      const last = a.since !== undefined || a.until !== undefined ? reader.overview().lastSeen : null;
      const since = a.since !== undefined ? parseTimeOption('since', a.since, last) : undefined;
      const until = a.until !== undefined ? parseTimeOption('until', a.until, last, true) : undefined;
      let events = reader.events({ since, until });
      if (kinds.size > 0) events = events.filter((e) => kinds.has(e.kind));
      if (hosts.length > 0) events = events.filter((e) => hosts.some((m) => m(e.src) || m(e.dst)));
      const missing = reader.capturesWithoutEvents();
      if (missing > 0) {
        ctx.err(`zonescope: ${missing} capture${missing === 1 ? ' was' : 's were'} ingested before events were recorded (store schema 4): their events are not listed; ingest them into a new store to list them\n`);
      }
      if (a.json !== undefined) {
        writeOutput(a.json, canonicalJson(eventsDocument(events)), ctx, '--json');
        if (a.json !== '-') ctx.err(`wrote ${a.json} (${events.length} events)\n`);
        return 0;
      }
      if (ctx.stdoutIsTTY) {
        if (events.length === 0) ctx.out('no engineering events (program downloads/uploads, PLC stop/start, PI services, writes) in the store for this selection\n');
        else ctx.out(`${alignedTable(EVENT_COLUMNS, events.map((e) => eventCells(e, true)))}${eventsTotalsLine(events)}\n`);
      } else ctx.out(tsvTable(EVENT_COLUMNS, events.map((e) => eventCells(e, false))));
      return 0;
    } finally {
      unregister();
      reader.close();
    }
  },
};
