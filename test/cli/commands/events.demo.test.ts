/**
 * Issue 12 (engineering events) on the demo plant fixtures/refinery-unit3, through the real binary:
 * the first Modbus and CIP write of each host pair over the 28 days is at the frame tshark shows,
 * with the count of all of them; on each maintenance day that ground-truth.json names, the
 * engineering workstation's writes (its "download": bursts of Write Tag) are listed for the day at
 * the frame of its first write that day, `first` only where no earlier day had one.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../util/captures.js';
import { zonescope } from '../../util/cli.js';
import { compareWithOracle, eventsOracle, firstKey, type EventJson, type Oracle } from './eventsOracle.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-events-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DEMO = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
const truth = JSON.parse(readFileSync(join(DEMO, 'ground-truth.json'), 'utf8')) as {
  period: { maintenance_days: string[] };
  assets: Array<{ id: string; ip: string; role?: string }>;
};
const EWS = truth.assets.find((a) => a.id === 'EWS-01')!.ip;
const files = readdirSync(DEMO).filter((n) => /\.pcap(ng)?(\.gz)?$/.test(n)).sort().map((n) => join(DEMO, n));
/** The capture of a UTC day: the demo's files are named by their start time (..._20260205000000...). */
const fileOf = (day: string): string => files.find((f) => f.includes(`_${day.replace(/-/g, '')}000000`))!;

describe('zonescope events on the demo plant', () => {
  const db = join(tmp, 'demo.db');
  let events: EventJson[] = [];
  let allOracle: Oracle;
  beforeAll(() => {
    allOracle = eventsOracle(files);
    expect(zonescope(['ingest', DEMO, '--db', db, '-q']).status).toBe(0);
    const r = zonescope(['events', '--db', db, '--json', '-']);
    expect(r.status).toBe(0);
    events = (JSON.parse(r.stdout) as { events: EventJson[] }).events;
  });

  test('events(demo) are the first Modbus and CIP write of each pair over 28 days, at the frame and with the count tshark gives', () => {
    expect(allOracle.firsts.size).toBeGreaterThan(2);
    const diff = compareWithOracle(events, allOracle);
    expect(diff).toEqual([]);
  });

  test.each(truth.period.maintenance_days)('events --since %s --until (that day) --host EWS-01: its writes of the day at the frame tshark shows', (day) => {
    const r = zonescope(['events', '--db', db, '--since', day, '--until', day, '--host', EWS, '--kind', 'write', '--json', '-']);
    expect(r.status).toBe(0);
    const ours = (JSON.parse(r.stdout) as { events: EventJson[] }).events;
    const dayOracle = eventsOracle([fileOf(day)]);
    const theirs = [...dayOracle.firsts.values()].filter((f) => f.src === EWS);
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours.map((e) => `${e.dst} ${e.code} #${e.frame} x${e.count} first=${e.first}`).sort()).toEqual(
      theirs.map((t) => {
        const overall = allOracle.firsts.get(firstKey(t.protocol, t.src, t.dst, t.code))!;
        return `${t.dst} ${t.code} #${t.frame} x${t.count} first=${overall.file === t.file && overall.frame === t.frame}`;
      }).sort(),
    );
    expect(ours.every((e) => e.time.startsWith(day) && e.capture === fileOf(day))).toBe(true);
  });
});
