/**
 * Capture points end to end: crafted ERSPAN II, VXLAN and plain captures (test/decode/tunnelFrames.ts)
 * through the real ingest into a store: each tunnel is a capture point of its capture (encapsulation,
 * outer endpoints, id, frames), read back by BaselineReader.capturePoints(), in the run's result and in
 * the flows document's `capture_points`; the plain capture has none.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { flowsMeta } from '../../src/cli/readFlowsDocument.js';
import { flowsDocument } from '../../src/report/flowsDocument.js';
import { buildReportModel } from '../../src/report/html/buildReportModel.js';
import { reportData } from '../../src/report/html/reportData.js';
import { buildPcap } from '../util/pcap.js';
import { ingestToTempStore, type TempStore } from '../util/tempStore.js';
import * as t from '../decode/tunnelFrames.js';

const T0 = 1_767_600_000;

describe('capture points through ingest and the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-points-'));
  let store: TempStore;
  const inner = [...t.modbusConversation('10.30.1.50', '10.20.1.10', 50001, 3)];
  beforeAll(async () => {
    const times = inner.map((_, i) => T0 + i);
    writeFileSync(join(dir, 'a-erspan.pcap'), buildPcap(1, inner.map((f, i) => t.erspan2(f, i)), 262144, times));
    writeFileSync(join(dir, 'b-vxlan.pcap'), buildPcap(1, inner.map((f, i) => t.vxlan(f, i)), 262144, times.map((x) => x + 100)));
    writeFileSync(join(dir, 'c-plain.pcap'), buildPcap(1, inner, 262144, times.map((x) => x + 200)));
    store = await ingestToTempStore([join(dir, 'a-erspan.pcap'), join(dir, 'b-vxlan.pcap'), join(dir, 'c-plain.pcap')], { workers: 1 });
  });
  afterAll(() => {
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('BaselineReader.capturePoints() holds each tunnel of each capture with its frames, none for the plain capture', () => {
    const points = store.reader.capturePoints();
    expect(points.map((p) => [p.capture.split('/').pop(), p.encapsulation, p.outerSrc, p.outerDst, p.tunnelId, p.frames, p.firstSeen, p.lastSeen])).toEqual([
      ['a-erspan.pcap', 'erspan-ii', '192.0.2.1', '192.0.2.2', 7, inner.length, T0, T0 + inner.length - 1],
      ['b-vxlan.pcap', 'vxlan', '192.0.2.1', '192.0.2.2', 5001, inner.length, T0 + 100, T0 + 100 + inner.length - 1],
    ]);
    expect(store.reader.capturePoints({ since: T0 + 100 }).map((p) => p.encapsulation)).toEqual(['vxlan']);
    // The tunnel is not a flow of the plant: the only flow is the inner Modbus one, with every frame of the three captures.
    expect(store.reader.flows().map((f) => `${f.src} ${f.dst} ${f.port} ${f.packetsToInitiator + f.packetsToResponder}`)).toEqual([`10.30.1.50 10.20.1.10 502 ${3 * inner.length}`]);
  });

  test('ingestCaptures(the three captures).capturePoints sums each tunnel over the run, and the diagnostics hold no tunnel note', () => {
    expect(store.result.capturePoints.map((p) => `${p.encapsulation} ${p.tunnelId} ${p.frames}`)).toEqual([`erspan-ii 7 ${inner.length}`, `vxlan 5001 ${inner.length}`]);
    expect([...store.result.diagnostics.counts.keys()]).toEqual([]);
  });

  test('flowsDocument(flows, capturePoints) lists them under capture_points in snake_case with UTC times', () => {
    const registry = createRegistry(defaultDissectors);
    const doc = flowsDocument(store.reader.flows(), { mainSpace: (p) => registry.byId(p)?.spaces[0], meta: flowsMeta(store.reader), capturePoints: store.reader.capturePoints() });
    const points = doc.capture_points as Array<Record<string, unknown>>;
    expect(points.map((p) => ({ ...p, capture: String(p.capture).split('/').pop() }))[0]).toEqual({
      capture: 'a-erspan.pcap', encapsulation: 'erspan-ii', outer_src: '192.0.2.1', outer_dst: '192.0.2.2', tunnel_id: 7, frames: inner.length,
      first_seen: '2026-01-05T08:00:00Z', last_seen: `2026-01-05T08:00:${String(inner.length - 1).padStart(2, '0')}Z`,
    });
    // Every top-level key is always there (flows.json: empty lists included).
    expect(flowsDocument([], { mainSpace: () => undefined, meta: flowsMeta(store.reader), capturePoints: [] })).toHaveProperty('capture_points', []);
  });

  test('reportData(model of the store) lists each capture with its capture points (the plain one none)', () => {
    const q = reportData(buildReportModel(store.reader)).quality;
    expect(q.captures.map((c) => [c.path.split('/').pop(), c.points])).toEqual([
      ['a-erspan.pcap', [`erspan-ii 192.0.2.1 -> 192.0.2.2 session 7 (${inner.length} frames)`]],
      ['b-vxlan.pcap', [`vxlan 192.0.2.1 -> 192.0.2.2 vni 5001 (${inner.length} frames)`]],
      ['c-plain.pcap', []],
    ]);
  });
});
