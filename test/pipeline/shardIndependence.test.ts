/**
 * What parallel ingest computes does not depend on how the address pairs are spread over the shards:
 * the real captures, the demo plant and a plant-shaped capture read by 2, 3, 5 and 7 aggregators
 * (shards) under several pair hashes give, unit by unit, the batch (flows, identities, MACs, scans,
 * protocols, events, counters) and at the end the live state of one aggregator over every frame.
 * The shards run in this thread as ShardedProcessor runs them in workers: each gets the frames of
 * its pairs (non-IP frames to shard 0), and at a unit's end the time of the unit's last frame.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { decodePacket } from '../../src/decode/decodePacket.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { FlowAggregator, type FlowBatch } from '../../src/flows/flowAggregator.js';
import { liveConnList, mergeLiveStates, type LiveState } from '../../src/flows/liveState.js';
import { mergeBatches } from '../../src/flows/mergeBatches.js';
import { pairShard, pairShardIn, weightedSplit } from '../../src/flows/pairShard.js';
import { fileSource } from '../../src/pipeline/fileSource.js';
import type { CaptureUnit } from '../../src/pipeline/source.js';
import { writePlantBenchCapture } from '../../fixtures/generator/benchPlant.js';
import { CAPTURES_DIR, REPO_ROOT } from '../util/captures.js';

/** A shard of an unordered address pair (4 words each); must keep both directions of a pair together. */
type ShardOf = (src: Uint32Array, dst: Uint32Array, shards: number) => number;

const mix = (x: number): number => {
  const h = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  const g = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (g ^ (g >>> 16)) >>> 0;
};
/** Each address hashed with a seed, the hashes added: another balanced spread. */
const seeded = (seed: number): ShardOf => (s, d, n) => {
  const h = (w: Uint32Array): number => mix(w[3]! ^ mix(w[2]! ^ mix(w[1]! ^ mix(w[0]! ^ seed))));
  return ((h(s) + h(d)) >>> 0) % n;
};
/** The raw addresses' XOR (the hash before the balanced one): the same pair of every cell together. */
const xorOfAddresses: ShardOf = (s, d, n) => mix((s[3]! ^ d[3]!) ^ (s[2]! ^ d[2]!) ^ (s[1]! ^ d[1]!) ^ (s[0]! ^ d[0]!)) % n;
/** The smaller address's last byte: every pair of a host with a low last byte together, unevenly. */
const lowByte: ShardOf = (s, d, n) => Math.min(s[3]! & 255, d[3]! & 255) % n;

const SPREADS: Array<[string, number, ShardOf]> = [
  ['pairShard', 2, pairShard],
  ['pairShard', 3, pairShard],
  ["ShardedProcessor's split of 2", 2, (s, d) => pairShardIn(s, d, weightedSplit([0.75, 1]))],
  ["ShardedProcessor's split of 3", 3, (s, d) => pairShardIn(s, d, weightedSplit([0.75, 1, 1]))],
  ['xor of the addresses', 2, xorOfAddresses],
  ['seeded 1', 2, seeded(1)],
  ['seeded 2', 3, seeded(2)],
  ['seeded 3', 5, seeded(3)],
  ['lowest last byte', 7, lowByte],
];

interface Run {
  batches: FlowBatch[];
  live: LiveState;
}

/** Read `inputs` (one file source) through `shards` aggregators, frames spread by `shardOf`. */
async function shardedRun(inputs: string[], shards: number, shardOf: ShardOf): Promise<Run> {
  const registry = createRegistry(defaultDissectors);
  const aggs = Array.from({ length: shards }, () => new FlowAggregator({ registry }));
  const store = Baseline.open(':memory:');
  try {
    const units = [...((await fileSource(inputs).plan(store)).units as CaptureUnit[])];
    expect(units.length).toBeGreaterThan(0);
    const pkt = new DecodedPacket();
    const batches: FlowBatch[] = [];
    let now: number | undefined;
    for (const [i, u] of units.entries()) {
      for (const a of aggs) a.loc.file = u.path;
      await u.read(
        (rec) => {
          now = rec.tsSec + rec.tsNsec / 1e9;
          const res = decodePacket(rec, pkt);
          const a = aggs[pkt.ipVersion === 0 ? 0 : shardOf(pkt.src, pkt.dst, shards)]!;
          a.loc.frame = rec.frame;
          a.loc.fileOffset = rec.fileOffset;
          a.onPacket(rec, pkt, res);
        },
        { onDiagnostic: () => {}, onProgress: () => {} },
      );
      const last = i === units.length - 1;
      batches.push(mergeBatches(aggs.map((a) => a.takeBatch(last, shards > 1 ? now : undefined))));
    }
    return { batches, live: mergeLiveStates(aggs.map((a) => a.exportState())) };
  } finally {
    store.close();
  }
}

const sortedJson = (list: unknown[]): string[] => list.map((x) => JSON.stringify(x)).sort();

/** A run in a form that does not depend on the order of the shards' items. */
function canonical(r: Run): unknown {
  return {
    batches: r.batches.map((b) => ({
      flows: sortedJson(b.flows), identities: sortedJson(b.identities), macs: sortedJson(b.macs), arp: sortedJson(b.arp),
      l2: sortedJson(b.l2), scans: sortedJson(b.scans), protocols: sortedJson(b.protocols), capturePoints: sortedJson(b.capturePoints),
      events: sortedJson(b.events), counters: b.counters, liveConnections: b.liveConnections,
    })),
    live: { now: r.live.now, conns: sortedJson(liveConnList(r.live)), originators: r.live.originators },
  };
}

async function expectIndependent(inputs: string[], spreads = SPREADS): Promise<void> {
  const one = canonical(await shardedRun(inputs, 1, () => 0));
  for (const [name, shards, shardOf] of spreads) {
    const other = canonical(await shardedRun(inputs, shards, shardOf));
    expect([name, shards, other]).toEqual([name, shards, one]);
  }
}

describe('sharded aggregation is independent of the spread of address pairs', () => {
  test('every real capture (one run over all, connections spanning files): each spread equals one aggregator', async () => {
    await expectIndependent([CAPTURES_DIR]);
  });

  test('the demo plant: three spreads equal one aggregator', async () => {
    // Three spreads only: the demo plant is the largest input here (a few seconds a spread).
    await expectIndependent([join(REPO_ROOT, 'fixtures', 'refinery-unit3')], SPREADS.filter(([name, n]) => n === 2 && ["pairShard", "ShardedProcessor's split of 2", 'xor of the addresses'].includes(name)));
  });

  test('a plant-shaped capture: each spread equals one aggregator', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'zs-spread-'));
    try {
      const file = join(tmp, 'plant.pcap');
      writePlantBenchCapture(file, { bytes: 3e6, hosts: 64, seed: 11 });
      await expectIndependent([file]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
