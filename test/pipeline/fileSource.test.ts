/**
 * Sources into the pipeline driver: fileSource plans capture files (skips known content, orders by
 * first timestamp, marks the last unit), and ingestSources takes any source, so a source that yields
 * its units one by one (as a live interface's rotation segments will) gives the same baseline.
 */
import { createReadStream, copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { contentIdentity } from '../../src/ingest/contentIdentity.js';
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

describe('fileSource content identity', () => {
  test('fileSource(a gzip copy of a stored plain capture, and two forms of a new one).plan() skips the copy and plans the new one once', async () => {
    const plain = join(tmp, 'known.pcap');
    copyFileSync(capturePath('modbus/cisagov_modbus_example.pcap'), plain);
    const gzCopy = join(tmp, 'known-copy.pcap.gz');
    writeFileSync(gzCopy, gzipSync(readFileSync(plain)));
    const fresh = join(tmp, 'fresh.pcap');
    copyFileSync(capturePath('bacnet/cisagov_bacnet_example.pcap'), fresh);
    const freshGz = join(tmp, 'fresh-twin.cap.gz');
    writeFileSync(freshGz, gzipSync(readFileSync(fresh), { level: 1 }));
    const b = Baseline.open(':memory:');
    try {
      await ingestCaptures(b, [plain], { workers: 1 });
      const plan = await fileSource([gzCopy, fresh, freshGz]).plan(b);
      expect(plan.settled.map((r) => [basename(r.path), r.status, r.note])).toEqual([
        ['known-copy.pcap.gz', 'skipped', `already in the baseline (as ${plain}, the same capture content)`],
        ['fresh-twin.cap.gz', 'skipped', `same content as another input of this run (as ${fresh})`],
      ]);
      const units = [...(plan.units as CaptureUnit[])];
      expect(units.map((u) => [basename(u.path), u.contentId === u.fingerprint])).toEqual([['fresh.pcap', true]]);
    } finally {
      b.close();
    }
  });

  test('ingestCaptures(a gzip capture) records its content identity; fileSource(its plain form).plan() then skips it', async () => {
    const gz = join(tmp, 'stored.pcap.gz');
    writeFileSync(gz, gzipSync(readFileSync(capturePath('enip/cisagov_enip_cip_example.pcap'))));
    const plain = join(tmp, 'stored-plain.pcap');
    copyFileSync(capturePath('enip/cisagov_enip_cip_example.pcap'), plain);
    const b = Baseline.open(':memory:');
    try {
      await ingestCaptures(b, [gz], { workers: 1, decodeAs: { 'tcp:48010': 'opcua' } });
      const [c] = b.reader().captures();
      expect(c).toMatchObject({ compression: 'gzip', contentId: (await contentIdentity(plain)).id, decodeOptions: '{"decodeAs":{"tcp:48010":"opcua"}}' });
      expect(c!.contentId).not.toBe(c!.fingerprint);
      const plan = await fileSource([plain]).plan(b);
      expect(plan.settled.map((r) => r.status)).toEqual(['skipped']);
      expect([...(plan.units as CaptureUnit[])]).toHaveLength(0);
    } finally {
      b.close();
    }
  });
});

describe('fileSource and a store of schema 1', () => {
  test('fileSource(inputs).plan() reads only the stored gzip captures that could be one of them, and learns their content identity', async () => {
    const db = join(tmp, 'v1.db');
    copyFileSync(join(REPO_ROOT, 'fixtures', 'stores', 'v1-refinery-unit3.db'), db);
    const b = Baseline.open(db);
    const cwd = process.cwd();
    process.chdir(REPO_ROOT); // the v1 store recorded paths relative to the repository
    try {
      const unknown = b.capturesWithoutContentId().length;
      expect(unknown).toBe(demoFiles.length);
      const other = await fileSource([capturePath('bacnet/cisagov_bacnet_example.pcap')]).plan(b);
      expect([...(other.units as CaptureUnit[])]).toHaveLength(1);
      expect(b.capturesWithoutContentId()).toHaveLength(unknown); // no stored capture could be it: none read
      const plain = join(tmp, 'day3.pcapng');
      writeFileSync(plain, gunzipSync(readFileSync(demoFiles[2]!)));
      const twin = await fileSource([plain]).plan(b);
      expect(twin.settled.map((r) => [r.status, r.note])).toEqual([['skipped', `already in the baseline (as fixtures/refinery-unit3/${basename(demoFiles[2]!)}, the same capture content)`]]);
      expect(b.capturesWithoutContentId()).toHaveLength(unknown - 1);
    } finally {
      process.chdir(cwd);
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
