/**
 * A capture file's deltas written in parts while it is read (src/flows/flowPart.ts, Baseline.writePart)
 * give the store a file written at once gives: the same flows document (byte for byte), events,
 * scans, hosts, identities, captures and coverage, in one thread and in worker threads; and the file
 * is still committed all or nothing: a failure before its commit leaves nothing of it, inside a
 * rebuild's transaction too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import type { FlowDelta } from '../../src/flows/flowDelta.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import type { PipelineStore } from '../../src/pipeline/source.js';
import { flowsMeta } from '../../src/cli/readFlowsDocument.js';
import { flowsDocument } from '../../src/report/flowsDocument.js';
import { canonicalJson } from '../../src/report/json.js';
import { writePlantBenchCapture } from '../../fixtures/generator/benchPlant.js';
import { CAPTURES_DIR, REPO_ROOT, capturePath } from '../util/captures.js';

const registry = createRegistry(defaultDissectors);

/** Classic little-endian pcaps of one link type as one file, each record's time shifted by its file's seconds. */
function concatPcaps(files: Array<[Buffer, number]>): Buffer {
  const head = Buffer.from(files[0]![0].subarray(0, 24));
  head.writeUInt32LE(Math.max(...files.map(([f]) => f.readUInt32LE(16))), 16);
  const out: Buffer[] = [head];
  for (const [f, shift] of files) {
    for (let off = 24; off + 16 <= f.length; ) {
      const rec = Buffer.from(f.subarray(off, off + 16 + f.readUInt32LE(off + 8)));
      rec.writeUInt32LE(rec.readUInt32LE(0) + shift, 0);
      out.push(rec);
      off += rec.length;
    }
  }
  return Buffer.concat(out);
}

/** A store that counts the parts written into it (and their flow deltas). */
function counting(b: Baseline): { store: PipelineStore; parts: () => number } {
  let parts = 0;
  const store: PipelineStore = {
    captureByFingerprint: (...a) => b.captureByFingerprint(...a),
    captureByContentId: (...a) => b.captureByContentId(...a),
    capturesWithoutContentId: () => b.capturesWithoutContentId(),
    setContentId: (...a) => b.setContentId(...a),
    grownFrom: (...a) => b.grownFrom(...a),
    capturesAtPath: (...a) => b.capturesAtPath(...a),
    commitCapture: (...a) => b.commitCapture(...a),
    commitDeltas: (...a) => b.commitDeltas(...a),
    liveState: () => b.liveState(),
    writePart: (flows: readonly FlowDelta[]) => {
      parts++;
      b.writePart(flows);
    },
    abortParts: () => b.abortParts(),
  };
  return { store, parts: () => parts };
}

/** Everything the reader gives of a store (flow row ids left out), and the flows document as `flows --json` writes it. */
function readAll(b: Baseline): { doc: string; rest: unknown } {
  const reader = b.reader();
  const doc = canonicalJson(
    flowsDocument(reader.flows(), {
      mainSpace: (p) => registry.byId(p)?.spaces[0], meta: flowsMeta(reader), scans: reader.scans(), events: reader.events(), capturePoints: reader.capturePoints(),
    }),
  );
  const first = reader.overview().firstSeen ?? 0;
  const day = Math.floor(first / 86400) * 86400 + 86400;
  const rest = {
    flows: reader.flows().map(({ id: _id, ...f }) => f),
    dayFlows: reader.flows({ since: day, until: day + 86399 }).map(({ id: _id, ...f }) => f),
    events: reader.events(),
    scans: reader.scans(),
    identities: reader.identities(),
    macs: reader.hostMacs(),
    captures: reader.captures().map(({ ingestedAt: _t, ...c }) => c),
    stats: reader.protocolStats(),
    points: reader.capturePoints(),
    overview: reader.overview(),
  };
  return { doc, rest };
}

async function ingested(inputs: string[], workers: number, partFolds: number): Promise<{ doc: string; rest: unknown; parts: number; summary: unknown }> {
  const b = Baseline.open(':memory:');
  try {
    const { store, parts } = counting(b);
    const r = await ingestCaptures(store, inputs, { workers, partFolds });
    expect(r.diagnostics.counts.has('PIPELINE_WORKERS_UNAVAILABLE')).toBe(false);
    const summary = { flows: r.flows, frames: r.frames, scans: r.scans, protocols: [...r.protocols], failed: r.failed, files: r.files };
    return { ...readAll(b), parts: parts(), summary };
  } finally {
    b.close();
  }
}

describe('ingestCaptures writing each file in parts (partFolds)', () => {
  let tmp = '';
  let plant = '';
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'zs-parts-'));
    plant = join(tmp, 'plant.pcap');
    writePlantBenchCapture(plant, { bytes: 3e6, hosts: 48, seed: 11 });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test.each([1, 2])('ingestCaptures(a plant-shaped capture, workers %i, a part every 5 folds) stores what one part per file stores', async (workers) => {
    const whole = await ingested([plant], workers, Infinity);
    const parted = await ingested([plant], workers, 5);
    expect(whole.parts).toBe(0);
    expect(parted.parts).toBeGreaterThan(5);
    expect(whole.doc.length).toBeGreaterThan(10000);
    expect(parted.doc).toBe(whole.doc);
    expect(parted.rest).toEqual(whole.rest);
    expect(parted.summary).toEqual(whole.summary);
  }, 120_000);

  test.each([1, 2])('ingestCaptures(every real capture and the demo plant, workers %i, a part after every fold) stores what one part per file stores', async (workers) => {
    const inputs = [CAPTURES_DIR, join(REPO_ROOT, 'fixtures', 'refinery-unit3')];
    const whole = await ingested(inputs, workers, Infinity);
    const parted = await ingested(inputs, workers, 1);
    expect(parted.parts).toBeGreaterThan(100);
    expect(parted.doc).toBe(whole.doc);
    expect(parted.rest).toEqual(whole.rest);
    expect(parted.summary).toEqual(whole.summary);
  }, 240_000);

  test('ingestCaptures(S7, CIP, BACnet and Modbus captures in one file, parts) keeps every event, the first of each write/diagnostic code first', async () => {
    // One file of the captures one after the other (and the S7 one again a year later), so that
    // connections end and parts are taken while the file is read, between the events.
    const one = join(tmp, 'events.pcap');
    const year = 365 * 86400;
    writeFileSync(one, concatPcaps([
      ['enip/cisagov_enip_cip_example.pcap', 0], ['s7comm/cisagov_snap7.pcap', 0], ['s7comm/cisagov_snap7.pcap', year], ['bacnet/cisagov_bacnet_example.pcap', 2 * year], ['modbus/cisagov_modbus_example.pcap', 2 * year],
    ].map(([f, shift]) => [readFileSync(capturePath(f as string)), shift as number])));
    const whole = await ingested([one], 1, Infinity);
    const parted = await ingested([one], 1, 1);
    expect(parted.parts).toBeGreaterThanOrEqual(2);
    const events = (whole.rest as { events: Array<{ kind: string }> }).events;
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['program', 'control', 'write', 'diagnostic']));
    expect(events.length).toBeGreaterThan(40);
    expect((parted.rest as { events: unknown[] }).events).toEqual(events);
    expect(parted.doc).toBe(whole.doc);
    expect(parted.rest).toEqual(whole.rest);
  }, 120_000);

  test('a file whose commit fails after its parts were written leaves nothing of it; the next run stores it whole', async () => {
    const b = Baseline.open(':memory:');
    try {
      const { store, parts } = counting(b);
      const failing: PipelineStore = {
        ...store,
        commitCapture: () => {
          throw new Error('killed before the commit');
        },
      };
      await expect(ingestCaptures(failing, [plant], { workers: 1, partFolds: 5 })).rejects.toThrow('killed before the commit');
      expect(parts()).toBeGreaterThan(5);
      expect(b.reader().flows()).toEqual([]);
      expect(b.reader().captures()).toEqual([]);
      await ingestCaptures(b, [plant], { workers: 1, partFolds: 5 });
      expect(readAll(b)).toEqual((({ doc, rest }) => ({ doc, rest }))(await ingested([plant], 1, Infinity)));
    } finally {
      b.close();
    }
  }, 120_000);

  test('a worker that fails mid-file in a parted run leaves nothing of the file (workers 2)', async () => {
    const b = Baseline.open(':memory:');
    try {
      const { store } = counting(b);
      let written = 0;
      const failing: PipelineStore = {
        ...store,
        writePart: (flows) => {
          if (++written === 3) throw new Error('store full');
          store.writePart!(flows);
        },
      };
      await expect(ingestCaptures(failing, [plant], { workers: 2, partFolds: 5 })).rejects.toThrow('store full');
      expect(written).toBeGreaterThanOrEqual(3);
      expect(b.reader().flows()).toEqual([]);
      expect(b.reader().captures()).toEqual([]);
    } finally {
      b.close();
    }
  }, 120_000);

  test('a commit that fails while the next file is read ahead (workers 2) leaves the files before it and nothing of it or the next (whose parts were held, never written)', async () => {
    const demo = join(REPO_ROOT, 'fixtures', 'refinery-unit3');
    const b = Baseline.open(':memory:');
    const calls: string[] = [];
    try {
      const { store } = counting(b);
      let commits = 0;
      const failing: PipelineStore = {
        ...store,
        writePart: (flows) => {
          calls.push('part');
          store.writePart!(flows);
        },
        commitCapture: (...a) => {
          calls.push('commit');
          if (++commits === 3) throw new Error('disk full at the third commit');
          return store.commitCapture(...a);
        },
      };
      await expect(ingestCaptures(failing, [demo], { workers: 2, partFolds: 1 })).rejects.toThrow('disk full at the third commit');
      expect(b.reader().captures().length).toBe(2);
      // Each file wrote parts, and none was written after the failed commit (the next file's were held).
      expect(calls.filter((c) => c === 'commit').length).toBe(3);
      expect(calls[calls.length - 1]).toBe('commit');
      expect(calls.filter((c) => c === 'part').length).toBeGreaterThan(10);
      // The two committed files are what ingesting them alone stores.
      const firstTwo = b.reader().captures().map((c) => c.path);
      const alone = Baseline.open(':memory:');
      try {
        await ingestCaptures(alone, firstTwo, { workers: 1 });
        expect(readAll(b).doc).toBe(readAll(alone).doc);
      } finally {
        alone.close();
      }
    } finally {
      b.close();
    }
  }, 120_000);

  test.each([1, 2])('a process killed (SIGKILL) after some parts of its file were written leaves nothing of the file (workers %i); the next run stores it whole', async (workers) => {
    const db = join(tmp, `killed-${workers}.db`);
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'util', 'ingestParted.ts'), db, '5', String(workers), plant], { cwd: REPO_ROOT });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<string | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    await new Promise<void>((res) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.split('part').length > 4) res(); // 4 parts written
      });
      void exited.then(() => res());
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(err).toBe('');
    expect(out).not.toContain('done');
    expect(statSync(`${db}-wal`).size).toBeGreaterThan(0); // the parts reached the write-ahead log, uncommitted
    const b = Baseline.open(db);
    try {
      expect(b.reader().captures()).toEqual([]);
      expect(b.reader().flows()).toEqual([]);
      await ingestCaptures(b, [plant], { workers, partFolds: 5 });
      expect(readAll(b)).toEqual((({ doc, rest }) => ({ doc, rest }))(await ingested([plant], workers, Infinity)));
    } finally {
      b.close();
    }
  }, 120_000);

  test('inside a rebuild (replaceAll) the parts are a savepoint: a rebuild in parts gives the store of a fresh run, a failed one leaves the old store', async () => {
    const b = Baseline.open(':memory:');
    try {
      await ingestCaptures(b, [plant], { workers: 1, partFolds: Infinity });
      const before = readAll(b);
      await expect(
        b.replaceAll(async () => {
          const { store } = counting(b);
          await ingestCaptures({ ...store, commitCapture: () => { throw new Error('interrupted'); } }, [plant], { workers: 1, partFolds: 5 });
        }),
      ).rejects.toThrow('interrupted');
      expect(readAll(b)).toEqual(before);
      await b.replaceAll(() => ingestCaptures(b, [plant], { workers: 1, partFolds: 5 }));
      expect(readAll(b)).toEqual(before);
    } finally {
      b.close();
    }
  }, 120_000);
});
