/**
 * Issue 12 (engineering events) on S7 sessions made by the generator (seeded, deterministic): two
 * engineering workstations stop a PLC, download blocks, activate them (PI _INSE), start the PLC
 * (PI P_PROGRAM) and upload blocks, with PDUs often split across TCP segments; an HMI polls and
 * writes every day. Through the real binary, the two days ingested in reverse order in two runs:
 * every S7 download/upload/stop/PI Job is listed at the frame tshark shows it in, and the first
 * write of each pair is the earliest over both captures, with the count of both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePlant, type GenerationResult } from '../../../fixtures/generator/generatePlant.js';
import type { PlantDescription } from '../../../fixtures/generator/plant.js';
import { zonescope } from '../../util/cli.js';
import { compareWithOracle, eventsOracle, tsharkBlockNames, tsharkPiBlocks, type EventJson } from './eventsOracle.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-events-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function s7Plant(): PlantDescription {
  const reads = [{ db: 1, start: 0, length: 4 }, { db: 2, start: 8, length: 16 }];
  return {
    name: 's7events',
    startDate: '2026-03-02',
    days: 2,
    maintenanceDays: [1],
    assets: [
      { id: 'HMI', name: 'HMI', ip: '10.0.2.10', mac: '18:03:73:00:00:10', role: 'hmi', purdueLevel: 2, stack: 'windows' },
      { id: 'EWS-1', name: 'EWS-1', ip: '10.0.3.10', mac: '10:98:36:00:00:11', role: 'engineering-workstation', purdueLevel: 2, stack: 'windows' },
      { id: 'EWS-2', name: 'EWS-2', ip: '10.0.3.11', mac: '10:98:36:00:00:12', role: 'engineering-workstation', purdueLevel: 2, stack: 'windows' },
      { id: 'PLC-A', name: 'S7-300', ip: '10.0.1.11', mac: '00:0e:8c:00:01:11', role: 'plc', purdueLevel: 1, stack: 'embedded' },
      { id: 'PLC-B', name: 'S7-400', ip: '10.0.1.12', mac: '00:0e:8c:00:01:12', role: 'plc', purdueLevel: 1, stack: 'embedded' },
    ],
    sessions: [
      { id: 'hmi-a', client: 'HMI', server: 'PLC-A', schedule: { days: 'all', hours: [1, 4], everyMinutes: 30, jitterSec: 300 }, session: { kind: 's7comm', spec: { reads, polls: 3, intervalUs: 1e6, writes: 2, splitChance: 0.3 } } },
      {
        id: 'ews1-a', client: 'EWS-1', server: 'PLC-A', schedule: { days: 'maintenance', hours: [2, 4], everyMinutes: 60 },
        session: { kind: 's7comm', spec: { reads, polls: 1, intervalUs: 1e6, plcStop: true, downloadBlocks: 3, activate: true, plcStart: true, uploadBlocks: 1, splitChance: 0.3 } },
      },
      {
        id: 'ews2-b', client: 'EWS-2', server: 'PLC-B', schedule: { days: 'all', hours: [5, 6], everyMinutes: 60, jitterSec: 600 },
        session: { kind: 's7comm', spec: { reads, polls: 1, intervalUs: 1e6, uploadBlocks: 2, writes: 1, splitChance: 0.3 } },
      },
    ],
    output: { prefix: 's7events', pcapngDays: [0], plainDays: [1] },
  };
}

describe('zonescope events on generated S7 sessions with downloads and PLC stops', () => {
  let gen: GenerationResult;
  let files: string[] = [];
  let events: EventJson[] = [];
  const db = join(tmp, 's7.db');
  beforeAll(() => {
    gen = generatePlant(s7Plant(), { seed: 1212, outDir: tmp });
    files = gen.files.map((f) => join(tmp, f.name));
    // The later day first, then the earlier one in a second run: "first" must still be the earliest.
    expect(zonescope(['ingest', files[1]!, '--db', db, '-q']).status).toBe(0);
    expect(zonescope(['ingest', files[0]!, '--db', db, '-q']).status).toBe(0);
    const r = zonescope(['events', '--db', db, '--json', '-']);
    expect(r.status).toBe(0);
    events = (JSON.parse(r.stdout) as { events: EventJson[] }).events;
  });

  test('generatePlant(S7 maintenance day) holds stops, downloads, PI services and uploads as tshark reads them', () => {
    const oracle = eventsOracle([files[1]!]);
    const codes = new Set(oracle.each.map((e) => e.code));
    for (const c of [0x29, 0x1a, 0x1b, 0x1c, 0x28, 0x1d, 0x1e, 0x1f]) expect(codes).toContain(c);
  });

  test('events(two days, ingested in reverse order) are every S7 program/control Job at its tshark frame, and the first write of each pair over both days', () => {
    const oracle = eventsOracle(files);
    expect(oracle.each.length).toBeGreaterThan(10);
    expect(oracle.firsts.size).toBe(2);
    expect(compareWithOracle(events, oracle)).toEqual([]);
    // The HMI's first write is on the first day, counted with the second day's.
    const hmi = events.find((e) => e.kind === 'write' && e.src === '10.0.2.10')!;
    expect(hmi.capture).toBe(files[0]);
    expect(hmi.first).toBe(true);
  });

  test('events(PI services) are named by service; downloads, uploads and block activations name their blocks as tshark reads them', () => {
    const pi = events.filter((e) => e.code === 0x28).map((e) => e.name);
    expect(new Set(pi)).toEqual(new Set(['PI_SERVICE_INSE', 'PI_SERVICE_P_PROGRAM']));
    for (const [fn, name] of [[0x1a, 'REQUEST_DOWNLOAD'], [0x1b, 'DOWNLOAD_BLOCK'], [0x1d, 'START_UPLOAD']] as const) {
      const theirs = files.flatMap((f) => tsharkBlockNames(f, fn).map((x) => `${f} ${x}`));
      const ours = events.filter((e) => e.name === name).map((e) => `${e.capture} #${e.frame} ${e.object}`);
      expect(theirs.length).toBeGreaterThan(0);
      expect(ours.sort()).toEqual(theirs.sort());
    }
    const inse = files.flatMap((f) => tsharkPiBlocks(f).map((x) => `${f} ${x}`));
    expect(inse.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.name === 'PI_SERVICE_INSE').map((e) => `${e.capture} #${e.frame} ${e.object}`)).toEqual(inse);
  });

  test('events --since (the maintenance day) lists that day only; the HMI write there is not the first', () => {
    const r = zonescope(['events', '--db', db, '--since', '2026-03-03', '--json', '-']);
    expect(r.status).toBe(0);
    const day = (JSON.parse(r.stdout) as { events: EventJson[] }).events;
    expect(day.length).toBeGreaterThan(0);
    expect(day.every((e) => e.time >= '2026-03-03')).toBe(true);
    expect(day.filter((e) => e.kind !== 'write')).toEqual(events.filter((e) => e.kind !== 'write' && e.time >= '2026-03-03'));
    const hmi = day.find((e) => e.kind === 'write' && e.src === '10.0.2.10')!;
    expect(hmi.capture).toBe(files[1]);
    expect(hmi.first).toBe(false);
    const oracleDay = eventsOracle([files[1]!]);
    expect(hmi.frame).toBe([...oracleDay.firsts.values()].find((f) => f.src === '10.0.2.10')!.frame);
  });

  test('events --kind program --host (a PLC) in a pipe is TSV of that PLC\'s downloads and uploads only', () => {
    const r = zonescope(['events', '--db', db, '--kind', 'program', '--host', '10.0.1.11']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('TIME\tKIND\tSRC\tDST\tPROTO\tCODE\tNAME\tOBJECT\tFIRST\tCOUNT\tCAPTURE\tFRAME');
    const rows = lines.slice(1).map((l) => l.split('\t'));
    expect(rows.length).toBe(events.filter((e) => e.kind === 'program' && e.dst === '10.0.1.11').length);
    expect(rows.every((c) => c[1] === 'program' && c[3] === '10.0.1.11')).toBe(true);
    expect(r.stderr).toBe('');
  });
});
