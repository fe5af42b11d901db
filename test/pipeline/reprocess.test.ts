/** planReprocess: which captures differ in decode options, and which cannot be read again as ingested. */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureRecordRow } from '../../src/baseline/reader.js';
import { fingerprintFile } from '../../src/ingest/fingerprint.js';
import { decodeOptionsText } from '../../src/pipeline/decodeOptions.js';
import { planReprocess } from '../../src/pipeline/reprocess.js';
import { capturePath } from '../util/captures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-reprocess-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let nextId = 1;
function row(path: string, fingerprint: string, firstSeen: number, decodeOptions: string | null, extra: Partial<CaptureRecordRow> = {}): CaptureRecordRow {
  return {
    id: nextId++, fingerprint, path, size: 0, format: 'pcap', compression: 'none', frames: 1, ipPackets: 1, bytes: 1, firstSeen, lastSeen: firstSeen,
    errors: 0, warnings: 0, ingestedAt: '', contentId: fingerprint, decodeOptions, resumedFrom: null, ...extra,
  };
}

describe('planReprocess', () => {
  const NONE = decodeOptionsText({});
  const OPCUA = decodeOptionsText({ 'tcp:48010': 'opcua' });

  test('planReprocess(captures, new options) counts those recorded otherwise (or not at all) and names the first in time order', async () => {
    const a = join(tmp, 'a.pcap');
    const b = join(tmp, 'b.pcap');
    copyFileSync(capturePath('modbus/zeek_modbusSmall.pcap'), a);
    copyFileSync(capturePath('bacnet/cisagov_bacnet_example.pcap'), b);
    const fa = (await fingerprintFile(a)).id;
    const fb = (await fingerprintFile(b)).id;
    const rows = [row(b, fb, 200, NONE), row(a, fa, 100, OPCUA)];
    expect(await planReprocess(rows, { 'tcp:48010': 'opcua' })).toEqual({ captures: 2, changed: 1, firstChanged: b, paths: [a, b], problems: [] });
    expect((await planReprocess(rows, {})).firstChanged).toBe(a);
    const old = [row(a, fa, 100, null)];
    expect((await planReprocess(old, {})).changed).toBe(1);
    expect((await planReprocess([row(a, fa, 100, NONE)], {})).changed).toBe(0);
  });

  test('planReprocess(a live interval, a standard-input capture, a missing file, a changed file) names each with why', async () => {
    const c = join(tmp, 'c.pcap');
    copyFileSync(capturePath('modbus/zeek_modbusSmall.pcap'), c);
    const fc = (await fingerprintFile(c)).id;
    const changed = join(tmp, 'changed.pcap');
    writeFileSync(changed, 'other bytes');
    const plan = await planReprocess(
      [
        row(c, fc, 1, NONE),
        row('live:eth1@2026-02-01T00:00:00Z#3', 'l1', 2, NONE),
        row(join(tmpdir(), 'zonescope-stdin-x1', 'standard-input'), 's1', 3, NONE),
        row(join(tmp, 'gone.pcap'), 'g1', 4, NONE),
        row(changed, 'c1', 5, NONE),
      ],
      {},
    );
    expect(plan.paths).toEqual([c]);
    expect(plan.problems.map((p) => [p.path.replace(tmp, 'T').replace(tmpdir(), 'TMP'), p.why.split(':')[0]])).toEqual([
      ['live:eth1@2026-02-01T00:00:00Z#3', 'a live-capture interval'],
      ['TMP/zonescope-stdin-x1/standard-input', 'read from standard input'],
      ['T/gone.pcap', 'no such file (paths are as recorded, relative to the folder the ingest ran in)'],
      ['T/changed.pcap', 'the file there changed since it was ingested (another content)'],
    ]);
  });

  test('planReprocess(a file resumed after it grew) reads it once, and does not check the shorter version it had', async () => {
    const g = join(tmp, 'grown.pcap');
    copyFileSync(capturePath('modbus/zeek_modbusSmall.pcap'), g);
    const fg = (await fingerprintFile(g)).id;
    const shorter = row(g, 'the-shorter-version', 1, NONE);
    const plan = await planReprocess([shorter, row(g, fg, 1, NONE, { resumedFrom: shorter.id })], {});
    expect(plan).toMatchObject({ paths: [g], problems: [] });
  });
});
