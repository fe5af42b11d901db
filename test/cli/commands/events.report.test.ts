/**
 * The engineering events in the HTML report: `zonescope report` without an events@1 document lists
 * the store's events in its events section; `--events F` takes that document instead; `analyze`
 * writes events.json beside flows.json, and flows.json lists the same events under `events`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturePath } from '../../util/captures.js';
import { runMain } from '../../util/runMain.js';
import type { EventJson } from './eventsOracle.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-events-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The events of the page's data block (the report's own payload format). */
function pageEvents(html: string): Array<{ time: string; kind: string; frame: number | null; name: string }> | null {
  const m = /<script type="application\/json" id="zs-data">([\s\S]*?)<\/script>/.exec(html);
  return (JSON.parse(m![1]!) as { events: Array<{ time: string; kind: string; frame: number | null; name: string }> | null }).events;
}

describe('events in the report, flows.json and analyze', () => {
  const db = join(tmp, 's7.db');
  let events: EventJson[] = [];
  beforeAll(async () => {
    expect((await runMain(['ingest', capturePath('s7comm/cisagov_snap7.pcap'), '--db', db, '-q'])).code).toBe(0);
    const r = await runMain(['events', '--db', db, '--json', '-']);
    events = (JSON.parse(r.out) as { events: EventJson[] }).events;
  });

  test('main(report) without an events document shows the store\'s events, each with its time, kind and frame', async () => {
    const out = join(tmp, 'r1');
    expect((await runMain(['report', '--db', db, '--out', out])).code).toBe(0);
    const page = pageEvents(readFileSync(join(out, 'report.html'), 'utf8'));
    expect(events.length).toBeGreaterThan(5);
    expect(page!.map((e) => [e.time, e.kind, e.name, e.frame])).toEqual(events.map((e) => [e.time, e.kind, e.name, e.frame]));
  });

  test('main(report --events F) shows the events of F instead', async () => {
    const out = join(tmp, 'r2');
    const f = join(tmp, 'one.json');
    writeFileSync(f, JSON.stringify({ schema: 'zonescope/events@1', events: [events[0]] }));
    expect((await runMain(['report', '--db', db, '--out', out, '--events', f])).code).toBe(0);
    expect(pageEvents(readFileSync(join(out, 'report.html'), 'utf8'))!.map((e) => e.frame)).toEqual([events[0]!.frame]);
  });

  test('main(flows --json) lists the events under `events`, as events --json does', async () => {
    const r = await runMain(['flows', '--db', db, '--json', '-']);
    expect((JSON.parse(r.out) as { events: EventJson[] }).events).toEqual(events);
  });

  test('main(analyze) writes events.json, the events of its store', async () => {
    const out = join(tmp, 'an');
    expect((await runMain(['analyze', capturePath('s7comm/cisagov_snap7.pcap'), '--out', out, '-q'])).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'events.json'), 'utf8')) as { schema: string; events: EventJson[] };
    expect(doc.schema).toBe('zonescope/events@1');
    expect(doc.events.map((e) => [e.time, e.kind, e.frame])).toEqual(events.map((e) => [e.time, e.kind, e.frame]));
  });
});
