/**
 * Louvain (Blondel et al. 2008, "Fast unfolding of communities in large networks") on the part of
 * the communication graph induced by `nodes`, with a seeded generator so the same input and seed give
 * the same groups. graphology-communities-louvain does the work.
 */
import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { EdgeAttributes } from '../graph/buildGraph.js';
import type { CommunicationGraph } from '../graph/buildGraph.js';

export function seededRng(seed: number): () => number {
  const g = xoroshiro128plus(seed | 0);
  return () => uniformFloat64(g);
}

type Subgraph = Graph<Record<string, never>, EdgeAttributes>;
const cache = new WeakMap<CommunicationGraph, Map<string, Subgraph>>();

/** The subgraph induced by `nodes`, built once per node list (the stability reruns reuse it). */
function inducedSubgraph(cg: CommunicationGraph, nodes: readonly string[]): Subgraph {
  let byKey = cache.get(cg);
  if (!byKey) cache.set(cg, (byKey = new Map()));
  const key = nodes.join('\u0001');
  const hit = byKey.get(key);
  if (hit) return hit;
  const inSet = new Set(nodes);
  const sub: Subgraph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  for (const n of nodes) sub.addNode(n);
  for (const [key, p] of cg.pairs) if (inSet.has(p.a) && inSet.has(p.b)) sub.addUndirectedEdgeWithKey(key, p.a, p.b, { weight: p.weight });
  byKey.set(key, sub);
  return sub;
}

/**
 * Groups of `nodes` (ids, in the caller's order): each group lists its members in that order, groups
 * ordered by their first member. Nodes with no edge inside the set are groups of one.
 */
export function louvainGroups(cg: CommunicationGraph, nodes: readonly string[], opts: { resolution: number; seed: number }): string[][] {
  if (nodes.length === 0) return [];
  const sub = inducedSubgraph(cg, nodes);
  let mapping: Record<string, number>;
  if (sub.size === 0) {
    mapping = Object.fromEntries(nodes.map((n, i) => [n, i]));
  } else {
    mapping = louvain(sub, { getEdgeWeight: 'weight', resolution: opts.resolution, rng: seededRng(opts.seed) });
  }
  const byCommunity = new Map<number, string[]>();
  for (const n of nodes) {
    const c = mapping[n]!;
    const g = byCommunity.get(c);
    if (g) g.push(n);
    else byCommunity.set(c, [n]);
  }
  return [...byCommunity.values()];
}
