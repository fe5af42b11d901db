/**
 * BaselineReader: every read filterable by host and time window (checked against the unfiltered read
 * filtered here), reads that never throw on odd stored values, and reads beside a running ingest in
 * another process that never fail and always see one consistent state.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Baseline } from '../../src/baseline/baseline.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { BaselineReader, type ReadFilter } from '../../src/baseline/reader.js';
import { capturePath, REPO_ROOT } from '../util/captures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DEMO = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
const V1_STORE = join(REPO_ROOT, 'fixtures', 'stores', 'v1-refinery-unit3.db');

describe('BaselineReader filters', () => {
  let reader: BaselineReader;
  let all: ReturnType<typeof everything>;
  let hosts: string[];
  let since: number;
  let until: number;

  function everything(r: BaselineReader, f: ReadFilter = {}) {
    return r.snapshot(() => ({
      flows: r.flows(f), identities: r.identities(f), hostMacs: r.hostMacs(f), arp: r.arp(f), l2Frames: r.l2Frames(f),
      scans: r.scans(f), captures: r.captures(f), diagnostics: r.diagnostics(f), diagnosticCounts: r.diagnosticCounts(f),
      protocolStats: r.protocolStats(f), overview: r.overview(f),
    }));
  }

  beforeAll(() => {
    const path = join(tmp, 'filters.db');
    copyFileSync(V1_STORE, path);
    reader = BaselineReader.open(path);
    all = everything(reader);
    // Two hosts of the plant that have identities and MACs; a window of three days in the middle.
    hosts = [...new Set(all.identities.map((i) => i.ip))].slice(0, 2);
    const demo = all.captures.filter((c) => c.path.includes('refinery-unit3'));
    since = demo[10]!.firstSeen!;
    until = demo[12]!.lastSeen!;
  });
  afterAll(() => reader.close());

  test('BaselineReader.open(the demo store) reads something of every kind (else the filters below prove nothing)', () => {
    expect(hosts).toHaveLength(2);
    for (const [k, v] of Object.entries(all)) if (Array.isArray(v) && k !== 'diagnostics' && k !== 'diagnosticCounts' && k !== 'scans') expect([k, v.length > 0]).toEqual([k, true]);
  });

  test('BaselineReader.flows/identities/hostMacs/arp/scans({ hosts }) keep the records of those hosts', () => {
    const h = new Set(hosts);
    const got = everything(reader, { hosts });
    expect(got.flows).toEqual(all.flows.filter((f) => h.has(f.src) || h.has(f.dst)));
    expect(got.flows.length).toBeLessThan(all.flows.length);
    expect(got.identities).toEqual(all.identities.filter((i) => h.has(i.ip)));
    expect(got.hostMacs).toEqual(all.hostMacs.filter((m) => h.has(m.ip)));
    expect(got.arp).toEqual(all.arp.filter((m) => h.has(m.ip)));
    expect(got.scans).toEqual(all.scans.filter((s) => h.has(s.host)));
    const macs = new Set([...all.hostMacs, ...all.arp].filter((m) => h.has(m.ip)).map((m) => m.mac));
    expect(got.l2Frames).toEqual(all.l2Frames.filter((l) => macs.has(l.mac)));
    expect(got.overview.flows).toBe(got.flows.length);
    // per-file records do not depend on hosts
    expect(got.captures).toEqual(all.captures);
    expect(got.protocolStats).toEqual(all.protocolStats);
  });

  test('BaselineReader reads({ since, until }) keep what overlaps the window', () => {
    const got = everything(reader, { since, until });
    const overlap = (r: { firstSeen: number | null; lastSeen: number | null }) => r.lastSeen! >= since && r.firstSeen! <= until;
    expect(got.captures).toEqual(all.captures.filter(overlap));
    expect(got.captures.length).toBeGreaterThanOrEqual(3);
    expect(got.captures.length).toBeLessThan(all.captures.length);
    expect(got.identities).toEqual(all.identities.filter(overlap));
    expect(got.hostMacs).toEqual(all.hostMacs.filter(overlap));
    expect(got.arp).toEqual(all.arp.filter(overlap));
    expect(got.l2Frames).toEqual(all.l2Frames.filter(overlap));
    expect(got.overview.captures).toBe(got.captures.length);
    expect(got.overview.flows).toBe(got.flows.length);
    expect(got.overview.ipPackets).toBe(got.captures.reduce((s, c) => s + c.ipPackets, 0));
    // protocol stats of the window's files only: fewer PDUs than over all files
    const pdus = (xs: typeof all.protocolStats) => xs.reduce((s, p) => s + p.pdus, 0);
    expect(pdus(got.protocolStats)).toBeGreaterThan(0);
    expect(pdus(got.protocolStats)).toBeLessThan(pdus(all.protocolStats));
    // flows: only the window's hours
    for (const f of got.flows) for (const hr of f.hours) expect((hr.hour + 1) * 3600 > since && hr.hour * 3600 <= until).toBe(true);
    const packets = (fs: typeof all.flows) => fs.reduce((s, f) => s + f.hours.reduce((t, h) => t + h.packets, 0), 0);
    expect(packets(got.flows)).toBeLessThan(packets(all.flows));
  });

  test('BaselineReader reads({ hosts: [] }) read nothing per host', () => {
    const got = everything(reader, { hosts: [] });
    expect([got.flows, got.identities, got.hostMacs, got.arp, got.l2Frames, got.scans].map((x) => x.length)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('BaselineReader.protocolStats() is camelCase with numbers', () => {
    for (const p of all.protocolStats) {
      expect(Object.keys(p).sort()).toEqual(['connections', 'gapBytes', 'malformed', 'pdus', 'protocol', 'retransmittedBytes', 'snapCaplen', 'snapCutSegments', 'snapLostBytes', 'unparsedBytes']);
      for (const [k, v] of Object.entries(p)) if (k !== 'protocol') expect(typeof v).toBe('number');
    }
  });
});

describe('BaselineReader on odd stored values', () => {
  test('BaselineReader.flows/captures/identities(times stored as text or NULL) return null or 0, never throw', () => {
    const path = join(tmp, 'odd.db');
    copyFileSync(V1_STORE, path);
    const db = new Database(path);
    db.exec("UPDATE flows SET first_seen = 'yesterday', last_seen = 1e400 WHERE id = 1");
    db.exec("UPDATE captures SET first_seen = NULL, last_seen = 'soon' WHERE id = 1");
    db.exec("UPDATE identities SET first_seen = x'00ff'");
    db.pragma('foreign_keys = OFF');
    db.exec('INSERT INTO flow_hours (flow_id, hour, packets, bytes) VALUES (99999, 1, 1, 1)'); // an orphan row
    db.close();
    const r = BaselineReader.open(path);
    try {
      const f = r.flows().find((x) => x.id === 1)!;
      expect([f.firstSeen, f.lastSeen]).toEqual([0, 0]);
      const c = r.captures().find((x) => x.id === 1)!;
      expect([c.firstSeen, c.lastSeen]).toEqual([null, null]);
      // An unusable first_seen is read as the row's last_seen (storeTimes.ts), never thrown on.
      expect(r.identities().every((i) => i.firstSeen === i.lastSeen && i.lastSeen > 0)).toBe(true);
      expect(r.overview().flows).toBe(82);
      expect(() => r.flows({ since: 0, until: 2e9, hosts: ['10.0.0.1'] })).not.toThrow();
    } finally {
      r.close();
    }
  });
});

describe('BaselineReader beside a running ingest', () => {
  test('BaselineReader.flows() read in a loop by another process during an ingest never fails and always sees one consistent state', async () => {
    const store = join(tmp, 'concurrent.db');
    const stop = join(tmp, 'concurrent.stop');
    Baseline.open(store).close();
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'util', 'readLoop.ts'), store, stop], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.startsWith('ready\n')) resolve();
      });
      child.on('exit', () => reject(new Error(`reader exited before it was ready: ${err}`)));
    });
    const b = Baseline.open(store);
    try {
      const r = await ingestCaptures(b, [DEMO, capturePath('enip/cisagov_enip_cip_example.pcap'), capturePath('modbus/cisagov_modbus_example.pcap')], { workers: 1 });
      expect(r.files).toHaveLength(30);
    } finally {
      b.close();
    }
    writeFileSync(stop, '');
    expect(await exited).toBe(0);
    const result = JSON.parse(out.split('\n')[1]!) as { reads: number; failures: string[]; inconsistent: string[]; states: number[] };
    expect(result.failures).toEqual([]);
    expect(result.inconsistent).toEqual([]);
    // The reads overlapped the ingest: they saw several states between empty and all 30 files.
    expect(result.states.length).toBeGreaterThanOrEqual(3);
    expect(result.states[result.states.length - 1]).toBe(30);
    expect(result.reads).toBeGreaterThan(10);
  }, 60_000);
});
