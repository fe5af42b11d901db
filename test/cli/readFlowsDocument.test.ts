import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { BaselineReader } from '../../src/baseline/reader.js';
import { readFlowsDocument } from '../../src/cli/readFlowsDocument.js';
import { zonescopeVersion } from '../../src/cli/version.js';
import { SCHEMA_VERSION } from '../../src/baseline/schema.js';
import { isoTime } from '../../src/report/json.js';
import { zonescope } from '../util/cli.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { capturePath } from '../util/captures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-rfd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('readFlowsDocument(reader) is the flows@2 document of the reader flows: every flow, its packets and its functions', async () => {
  const db = join(tmp, 'x.db');
  const b = Baseline.open(db);
  await ingestCaptures(b, [capturePath('modbus/zeek_modbusSmall.pcap'), capturePath('enip/cisagov_enip_cip_example.pcap')], {});
  b.close();
  const r = BaselineReader.open(db);
  try {
    const flows = r.flows();
    const doc = readFlowsDocument(r) as { schema: string; flows: Array<{ src: string; packets: number; functions: Array<{ code: number }> }> };
    expect(doc.schema).toBe('zonescope/flows@2');
    expect(doc.flows.map((f) => [f.src, f.packets])).toEqual(flows.map((f) => [f.src, f.packetsToResponder + f.packetsToInitiator]));
    const modbus = doc.flows.find((_, i) => flows[i]!.protocol === 'modbus')!;
    expect(modbus.functions.map((f) => f.code).sort((a, b) => a - b)).toEqual([1, 15]);
    const only = readFlowsDocument(r, flows.slice(0, 1), []) as { flows: unknown[] };
    expect(only.flows).toHaveLength(1);
  } finally {
    r.close();
  }
});

test('readFlowsDocument(reader) always has schema, meta, flows, scans, capture_points and events, and meta says what the store holds', async () => {
  const db = join(tmp, 'meta.db');
  const b = Baseline.open(db);
  await ingestCaptures(b, [capturePath('modbus/zeek_modbusSmall.pcap'), capturePath('enip/cisagov_enip_cip_example.pcap')], {});
  b.close();
  const r = BaselineReader.open(db);
  try {
    const doc = readFlowsDocument(r) as { meta: Record<string, unknown>; scans: unknown[] };
    expect(Object.keys(doc)).toEqual(['schema', 'meta', 'flows', 'scans', 'capture_points', 'events']);
    expect(doc.scans).toEqual([]);
    const o = r.overview();
    expect(doc.meta).toEqual({
      tool: 'zonescope', version: zonescopeVersion(), store_schema_version: SCHEMA_VERSION, captures: 2,
      first_seen: isoTime(o.firstSeen!), last_seen: isoTime(o.lastSeen!),
    });
    expect(zonescopeVersion()).toMatch(/^\d+\.\d+\.\d+/);
  } finally {
    r.close();
  }
});

test('zonescope flows --json - (an empty store, then a store without scans) prints every top-level key, the same bytes twice', () => {
  const empty = join(tmp, 'empty.db');
  Baseline.open(empty).close();
  const e = zonescope(['flows', '--db', empty, '--json', '-']);
  expect(e.status).toBe(0);
  const doc = JSON.parse(e.stdout) as Record<string, unknown>;
  expect(doc).toEqual({
    schema: 'zonescope/flows@2',
    meta: { tool: 'zonescope', version: zonescopeVersion(), store_schema_version: SCHEMA_VERSION, captures: 0, first_seen: null, last_seen: null },
    flows: [],
    scans: [],
    capture_points: [],
    events: [],
  });
  const db = join(tmp, 'meta.db');
  const a = zonescope(['flows', '--db', db, '--json', '-']);
  expect(a.status).toBe(0);
  expect(JSON.parse(a.stdout)).toMatchObject({ scans: [], meta: { captures: 2 } });
  expect(zonescope(['flows', '--db', db, '--json', '-']).stdout).toBe(a.stdout);
});
