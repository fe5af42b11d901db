/**
 * The store's engineering events (migration 004) read through BaselineReader.events(): "first" kept
 * whatever order the captures arrive in, counts added over captures, time windows and hosts, the
 * merge inside one capture (a batch committed in two parts), and a store from an earlier release.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline, type CaptureInfo } from '../../src/baseline/baseline.js';
import { BaselineReader } from '../../src/baseline/reader.js';
import type { EventDelta } from '../../src/flows/eventDelta.js';
import { newFrameCounters, type FlowBatch } from '../../src/flows/flowDelta.js';
import { REPO_ROOT } from '../util/captures.js';
import { runMain } from '../util/runMain.js';

const dir = mkdtempSync(join(tmpdir(), 'zs-read-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const info = (name: string): CaptureInfo => ({
  fingerprint: name, headHash: name, path: name, size: 1, format: 'pcap', compression: 'none', linktypes: [1], endOffset: 24,
  frames: 1, truncated: false, errors: 0, warnings: 0, resumedFrom: null,
});

function batch(events: EventDelta[], firstTs: number, lastTs: number): FlowBatch {
  return {
    flows: [], identities: [], macs: [], arp: [], l2: [], scans: [], protocols: [], events, capturePoints: [],
    counters: { ...newFrameCounters(), frames: 1, firstTs, lastTs }, liveConnections: 0,
  };
}

function ev(kind: EventDelta['kind'], src: string, code: number, ts: number, frame: number, count = 1, file = ''): EventDelta {
  return {
    kind, src, dst: '10.20.1.13', transport: 'tcp', port: 102, protocol: 's7comm', space: 'function', code, variant: 0,
    name: `F${code}`, object: kind === 'program' ? 'OB1' : '', ts, file, frame, count,
  };
}

const T0 = 1_770_000_000;
const EWS = '10.20.3.10';
const HMI = '10.20.2.11';

describe('BaselineReader.events', () => {
  const path = join(dir, 'events.db');
  let reader: BaselineReader;
  beforeAll(() => {
    const store = Baseline.open(path);
    // Day 2 arrives first (its own run), day 1 after it: "first" is day 1's, counts add up.
    store.commitCapture(info('day2.pcap'), batch([ev('write', HMI, 5, T0 + 86400 + 50, 70, 4), ev('program', EWS, 0x1a, T0 + 86400 + 10, 7)], T0 + 86400, T0 + 2 * 86400 - 1), [], new Map());
    const day1 = store.commitCapture(info('day1.pcap'), batch([ev('write', HMI, 5, T0 + 500, 300, 3), ev('program', EWS, 0x1a, T0 + 20, 9)], T0, T0 + 86399), [], new Map())!;
    // The rest of day 1's connections, committed apart (closing them at the end of the run): an
    // earlier write of the same key in the same capture takes the first place.
    store.commitDeltas(day1, batch([ev('write', HMI, 5, T0 + 100, 120, 2), ev('write', EWS, 5, T0 + 600, 400)], T0, T0 + 86399));
    store.close();
    reader = BaselineReader.open(path);
  });
  afterAll(() => reader.close());

  test('events() whole store: each program event; one first write per key at the earliest frame, counts of every capture added', () => {
    expect(reader.events().map((e) => [e.kind, e.src, e.capture, e.frame, e.first, e.count])).toEqual([
      ['program', EWS, 'day1.pcap', 9, true, 1],
      ['write', HMI, 'day1.pcap', 120, true, 9],
      ['write', EWS, 'day1.pcap', 400, true, 1],
      ['program', EWS, 'day2.pcap', 7, false, 1],
    ]);
  });

  test('events({since: day 2}) lists day 2 only; its write is not the first, counted over the window', () => {
    expect(reader.events({ since: T0 + 86400 }).map((e) => [e.kind, e.src, e.capture, e.frame, e.first, e.count])).toEqual([
      ['program', EWS, 'day2.pcap', 7, false, 1],
      ['write', HMI, 'day2.pcap', 70, false, 4],
    ]);
  });

  test('events({until, hosts}) keeps events with an endpoint in hosts up to the time, inclusive', () => {
    expect(reader.events({ until: T0 + 100, hosts: [HMI] }).map((e) => [e.src, e.frame])).toEqual([[HMI, 120]]);
    expect(reader.events({ hosts: ['10.9.9.9'] })).toEqual([]);
  });

  test('events() carry names, objects and codes as stored; capturesWithoutEvents() is 0 when every capture was decoded with events', () => {
    const [p] = reader.events();
    expect(p).toMatchObject({ time: T0 + 20, dst: '10.20.1.13', transport: 'tcp', port: 102, protocol: 's7comm', space: 'function', code: 0x1a, variant: 0, name: 'F26', object: 'OB1' });
    expect(reader.capturesWithoutEvents()).toBe(0);
  });
});

describe('events in a store from an earlier release', () => {
  test('BaselineReader.events(a v1 store, migrated) is empty and capturesWithoutEvents() counts its captures; zonescope events says so, exit 0', async () => {
    const path = join(dir, 'v1.db');
    copyFileSync(join(REPO_ROOT, 'fixtures', 'stores', 'v1-refinery-unit3.db'), path);
    const reader = BaselineReader.open(path);
    const captures = reader.captures().length;
    expect(captures).toBeGreaterThan(0);
    expect(reader.events()).toEqual([]);
    expect(reader.capturesWithoutEvents()).toBe(captures);
    reader.close();
    const r = await runMain(['events', '--db', path]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${captures} captures were ingested before events were recorded`);
  });
});
