/**
 * Issue 12 (engineering events) on the real captures of fixtures/captures, through the real binary:
 * `zonescope events --json -` lists every S7 block upload/download, PLC stop and PI service Job, and
 * the first Modbus, CIP and S7 write of each host pair, each at the frame tshark shows it in (the
 * oracle: eventsOracle.ts). The captures that hold them: s7comm/cisagov_snap7.pcap (uploads, PLC
 * stop, three PI services, Write Var), s7comm/cisagov_s7ident.pcap (uploads), the Modbus captures
 * (writes of FC 5, 6, 15, 16, 21, 22, 23) and the CIP ones (Set_Attribute_List, Set_Attribute_Single).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturePath, listCaptures } from '../../util/captures.js';
import { zonescope } from '../../util/cli.js';
import { compareWithOracle, eventsOracle, tsharkBlockNames, type EventJson } from './eventsOracle.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-events-captures-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const WITH_EVENTS = listCaptures().filter((rel) => /^(modbus|enip|s7comm)\//.test(rel));

describe('zonescope events on the real captures', () => {
  const db = join(tmp, 'captures.db');
  let events: EventJson[] = [];
  beforeAll(() => {
    const ing = zonescope(['ingest', ...WITH_EVENTS.map(capturePath), '--db', db, '-q']);
    expect(ing.status).toBe(0);
    const r = zonescope(['events', '--db', db, '--json', '-']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { schema: string; events: EventJson[] };
    expect(doc.schema).toBe('zonescope/events@1');
    events = doc.events;
  });

  test.each(WITH_EVENTS)('events(%s) are the frames tshark shows: every S7 program/control Job, the first write of each (pair, protocol, code)', (rel) => {
    const file = capturePath(rel);
    const oracle = eventsOracle([file]);
    expect(compareWithOracle(events.filter((e) => e.capture === file), oracle)).toEqual([]);
  });

  test('events(real captures) hold the kinds the issue names: S7 upload, PLC stop, PI service; Modbus and CIP first writes', () => {
    const names = new Set(events.map((e) => `${e.protocol} ${e.kind} ${e.name}`));
    for (const n of ['s7comm program START_UPLOAD', 's7comm program UPLOAD', 's7comm program END_UPLOAD', 's7comm control PLC_STOP', 's7comm control PI_SERVICE_P_PROGRAM']) expect(names).toContain(n);
    expect(events.some((e) => e.protocol === 'modbus' && e.kind === 'write')).toBe(true);
    expect(events.some((e) => e.protocol === 'enip' && e.kind === 'write')).toBe(true);
  });

  test('events(snap7) name the block each upload starts with as tshark reads its file name (_TTNNNNNF)', () => {
    const file = capturePath('s7comm/cisagov_snap7.pcap');
    const theirs = tsharkBlockNames(file, 0x1d);
    const ours = events.filter((e) => e.capture === file && e.name === 'START_UPLOAD').map((e) => `#${e.frame} ${e.object}`);
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours).toEqual(theirs);
  });

  test('events(a program/control event) is first only as the earliest of its (pair, code)', () => {
    const seen = new Set<string>();
    const s7 = events.filter((e) => e.protocol === 's7comm' && (e.kind === 'program' || e.kind === 'control'));
    expect(s7.length).toBeGreaterThan(1);
    for (const e of s7) {
      const k = `${e.src} ${e.dst} ${e.space} ${e.code} ${e.name}`;
      expect([k, e.first]).toEqual([k, !seen.has(k)]);
      seen.add(k);
    }
  });
});
