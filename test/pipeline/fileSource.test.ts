/**
 * Sources into the pipeline driver: fileSource plans capture files (skips known content, orders by
 * first timestamp, marks the last unit), and ingestSources takes any source, so a source that yields
 * its units one by one (as a live interface's rotation segments will) gives the same baseline.
 */
import { createReadStream, copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { readCaptureStream } from '../../src/ingest/readCapture.js';
import { fileSource } from '../../src/pipeline/fileSource.js';
import { ingestCaptures, ingestSources } from '../../src/pipeline/ingestCaptures.js';
import type { CaptureSource, CaptureUnit } from '../../src/pipeline/source.js';
import { capturePath, REPO_ROOT } from '../util/captures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-source-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DEMO = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
const demoFiles = readdirSync(DEMO).filter((n) => n.endsWith('.gz')).sort().map((n) => join(DEMO, n));

/** A source that hands out its units one at a time, read from byte streams (no file for workers). */
function streamSource(paths: string[]): CaptureSource {
  return {
    plan: async () => ({
      units: (async function* (): AsyncGenerator<CaptureUnit> {
        for (let i = 0; i < paths.length; i++) {
          const path = paths[i]!;
          yield {
            path: `live:${basename(path)}`, size: 0, fingerprint: `live-${i}`, headHash: `live-${i}`, startOffset: 0, resumedFrom: null,
            last: i === paths.length - 1,
            read: (onRecord, opts) => readCaptureStream(createReadStream(path), onRecord, { fileName: `live:${basename(path)}`, ...opts }),
          };
        }
      })(),
      settled: [],
      diagnostics: [],
      bytesTotal: 0,
      files: false,
    }),
  };
}

function flowsOf(b: Baseline): unknown[] {
  return b.reader().flows().map(({ id: _id, ...rest }) => rest);
}

describe('fileSource', () => {
  test('fileSource(files named against their time order).plan() orders units by first timestamp and marks the last', async () => {
    copyFileSync(capturePath('iec104/iti_090813_diverse.pcap'), join(tmp, 'a-late.pcap')); // August 2009
    copyFileSync(capturePath('enip/cisagov_enip_cip_example.pcap'), join(tmp, 'b-early.pcap')); // October 2008
    const b = Baseline.open(':memory:');
    try {
      const plan = await fileSource([join(tmp, 'a-late.pcap'), join(tmp, 'b-early.pcap')]).plan(b);
      const units = [...(plan.units as CaptureUnit[])];
      expect(units.map((u) => [basename(u.path), u.last, u.file?.startOffset])).toEqual([['b-early.pcap', false, 0], ['a-late.pcap', true, 0]]);
      expect(plan.files).toBe(true);
      expect(plan.bytesTotal).toBe(units.reduce((s, u) => s + u.size, 0));
    } finally {
      b.close();
    }
  });

  test('fileSource(files already in the store).plan() settles them as skipped and plans no unit', async () => {
    const b = Baseline.open(':memory:');
    try {
      await ingestCaptures(b, demoFiles.slice(0, 2), { workers: 1 });
      const plan = await fileSource(demoFiles.slice(0, 3)).plan(b);
      expect(plan.settled.map((r) => [basename(r.path), r.status])).toEqual(demoFiles.slice(0, 2).map((f) => [basename(f), 'skipped']));
      expect([...(plan.units as CaptureUnit[])].map((u) => basename(u.path))).toEqual([basename(demoFiles[2]!)]);
    } finally {
      b.close();
    }
  });
});

describe('ingestSources', () => {
  test('ingestSources(a source yielding stream units one by one) gives the flows of ingestCaptures(the same files)', async () => {
    const files = demoFiles.slice(0, 4);
    const a = Baseline.open(':memory:');
    const b = Baseline.open(':memory:');
    try {
      const ra = await ingestCaptures(a, files, { workers: 1 });
      const rb = await ingestSources(b, [streamSource(files)], { workers: 1 });
      expect(rb.files.map((f) => f.status)).toEqual(['ingested', 'ingested', 'ingested', 'ingested']);
      expect(rb.ipPackets).toBe(ra.ipPackets);
      expect(rb.ipPackets).toBeGreaterThan(0);
      expect(flowsOf(b)).toEqual(flowsOf(a));
      expect(b.reader().captures().map((c) => c.path)).toEqual(files.map((f) => `live:${basename(f)}`));
    } finally {
      a.close();
      b.close();
    }
  });

  test('ingestSources(two sources) reads them in order through one aggregator: the same flows as one source of all files', async () => {
    const a = Baseline.open(':memory:');
    const b = Baseline.open(':memory:');
    try {
      await ingestCaptures(a, demoFiles.slice(0, 4), { workers: 1 });
      await ingestSources(b, [fileSource(demoFiles.slice(0, 2)), fileSource(demoFiles.slice(2, 4))], { workers: 1 });
      expect(flowsOf(b)).toEqual(flowsOf(a));
    } finally {
      a.close();
      b.close();
    }
  });
});
