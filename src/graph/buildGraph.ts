/**
 * The communication graph: one node per asset (plus any flow endpoint the asset list lacks), one
 * undirected edge per pair of hosts that exchanged traffic, weighted by how steadily they talk.
 *
 * Steadiness over volume: an edge's weight counts the distinct hours and days the pair was active
 * (over all of its flows, both directions) and only the logarithm of its bytes, so a PLC polled every
 * hour for four weeks outweighs a one-off multi-megabyte transfer, and a one-off scan (one hour, one
 * day) weighs little whatever it sent.
 *
 * Nodes and edges are added in a stable order (asset order, then flow order), so the same input gives
 * the same graph, and Louvain under the same seed the same partition.
 */
import Graph from 'graphology';
import type { Asset } from '../assets/types.js';
import type { FlowRecord } from '../baseline/reader.js';

export interface GraphWeighting {
  /** weight per distinct hour the pair was active */
  hour: number;
  /** weight per distinct UTC day the pair was active */
  day: number;
  /** weight per doubling of the pair's bytes: byte * log2(1 + bytes) */
  byte: number;
}

export const DEFAULT_WEIGHTING: Readonly<GraphWeighting> = Object.freeze({ hour: 1, day: 4, byte: 0.5 });

/** What one pair of hosts exchanged, summed over its flows. */
export interface PairStats {
  a: string;
  b: string;
  hours: number;
  days: number;
  bytes: number;
  packets: number;
  flows: number;
  weight: number;
}

export interface NodeAttributes {
  /** index into CommunicationGraph.assets */
  index: number;
}

export interface EdgeAttributes {
  weight: number;
}

export interface CommunicationGraph {
  graph: Graph<NodeAttributes, EdgeAttributes>;
  /** the nodes' assets, in node order (flow endpoints missing from the asset list get a bare asset) */
  assets: Asset[];
  /** node id -> asset */
  byId: Map<string, Asset>;
  /** ids of flow endpoints that were not in the asset list */
  unlisted: string[];
  /** pair key (`a|b`, a < b) -> stats */
  pairs: Map<string, PairStats>;
  /** total weight of every edge */
  totalWeight: number;
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** An asset for a flow endpoint the asset list does not hold: nothing known but its address. */
export function bareAsset(ip: string): Asset {
  return {
    id: ip, ip, mac: null, behindRouter: false, name: null, hostnames: [], inventoryId: null, vendor: null, product: null,
    identity: {}, roles: [], purdueLevel: null, levelConfidence: 0, safety: false, safetyReason: null, packets: 0, bytes: 0,
    firstSeen: 0, lastSeen: 0, inInventory: false,
    evidence: [{ about: 'identity', text: 'seen in flows but not in the asset list', source: 'traffic' }],
  };
}

/** The node id of a flow endpoint: the asset whose IP it is. */
function endpointIds(assets: readonly Asset[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of assets) if (a.ip !== null && !m.has(a.ip)) m.set(a.ip, a.id);
  return m;
}

export function buildCommunicationGraph(assets: readonly Asset[], flows: readonly FlowRecord[], weighting: Partial<GraphWeighting> = {}): CommunicationGraph {
  const w: GraphWeighting = { ...DEFAULT_WEIGHTING, ...weighting };
  const graph = new Graph<NodeAttributes, EdgeAttributes>({ type: 'undirected', multi: false, allowSelfLoops: false });
  const list: Asset[] = [];
  const byId = new Map<string, Asset>();
  const add = (a: Asset): void => {
    if (byId.has(a.id)) return;
    byId.set(a.id, a);
    graph.addNode(a.id, { index: list.length });
    list.push(a);
  };
  for (const a of assets) add(a);
  const ids = endpointIds(assets);
  const unlisted: string[] = [];
  const idOf = (ip: string): string => {
    const id = ids.get(ip);
    if (id !== undefined) return id;
    const bare = bareAsset(ip);
    ids.set(ip, bare.id);
    add(bare);
    unlisted.push(ip);
    return bare.id;
  };
  interface Acc { a: string; b: string; hours: number[]; bytes: number; packets: number; flows: number }
  const acc = new Map<string, Acc>();
  for (const f of flows) {
    const s = idOf(f.src);
    const d = idOf(f.dst);
    if (s === d) continue;
    const key = pairKey(s, d);
    let p = acc.get(key);
    if (p === undefined) {
      p = { a: s < d ? s : d, b: s < d ? d : s, hours: [], bytes: 0, packets: 0, flows: 0 };
      acc.set(key, p);
    }
    for (const h of f.hours) p.hours.push(h.hour);
    p.bytes += f.bytesToResponder + f.bytesToInitiator;
    p.packets += f.packetsToResponder + f.packetsToInitiator;
    p.flows++;
  }
  const pairs = new Map<string, PairStats>();
  let totalWeight = 0;
  for (const [key, p] of acc) {
    // Distinct hours and days over the pair's flows (hours of one flow come sorted and distinct).
    const hs = p.flows > 1 ? Float64Array.from(p.hours).sort() : p.hours;
    let nHours = 0;
    let nDays = 0;
    let lastH = NaN;
    let lastD = NaN;
    for (const h of hs) {
      if (h === lastH) continue;
      lastH = h;
      nHours++;
      const d = Math.floor(h / 24);
      if (d !== lastD) {
        lastD = d;
        nDays++;
      }
    }
    // A flow with no hourly activity recorded still counts as one hour of one day.
    const hours = Math.max(1, nHours);
    nDays = Math.max(1, nDays);
    const weight = w.hour * hours + w.day * nDays + w.byte * Math.log2(1 + p.bytes);
    const st: PairStats = { a: p.a, b: p.b, hours, days: nDays, bytes: p.bytes, packets: p.packets, flows: p.flows, weight };
    pairs.set(key, st);
    graph.addUndirectedEdgeWithKey(key, p.a, p.b, { weight });
    totalWeight += weight;
  }
  return { graph, assets: list, byId, unlisted, pairs, totalWeight };
}
