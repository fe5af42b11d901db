/**
 * mergeBatches(): the FlowBatches of several shards of one capture file, as one batch, by the merge
 * rules of flowDelta.ts (sums, minima, maxima, unions), so the result does not depend on the order
 * of the shards.
 */
import {
  CAPTURE_POINT_RULES,
  FRAME_RULES,
  IDENTITY_RULES,
  L2_RULES,
  MAC_RULES,
  PROTOCOL_RULES,
  SHARD_SCAN_RULES,
  capturePointKey,
  cloneFlowDelta,
  mergeCounters,
  mergeFlowDelta,
  type FlowBatch,
  type IdentityDelta,
  type MergeRules,
} from './flowDelta.js';
import { mergeEvents } from './eventDelta.js';

/**
 * The items of `lists` merged by key. An item met once is taken as it is (shards see disjoint address
 * pairs, so most keys are met once); it is copied only when a second one merges into it, so the
 * inputs are never modified.
 */
function byKey<T>(lists: T[][], key: (t: T) => string, merge: (into: T, from: T) => void, clone: (t: T) => T): T[] {
  const m = new Map<string, { t: T; own: boolean }>();
  for (const list of lists) {
    for (const t of list) {
      const k = key(t);
      const e = m.get(k);
      if (e === undefined) m.set(k, { t, own: false });
      else {
        if (!e.own) {
          e.t = clone(e.t);
          e.own = true;
        }
        merge(e.t, t);
      }
    }
  }
  return Array.from(m.values(), (e) => e.t);
}

function byRules<T extends object>(lists: T[][], key: (t: T) => string, rules: MergeRules<T>): T[] {
  return byKey(lists, key, (a, b) => mergeCounters(rules, a, b), (t) => ({ ...t }));
}

/** An identity's first sighting (file, frame) is that of the earliest shard. */
function mergeIdentity(a: IdentityDelta, b: IdentityDelta): void {
  if (b.firstTs < a.firstTs) {
    a.file = b.file;
    a.frame = b.frame;
  }
  mergeCounters(IDENTITY_RULES, a, b);
}

export function mergeBatches(batches: FlowBatch[]): FlowBatch {
  if (batches.length === 1) return batches[0]!;
  const counters = { ...batches[0]!.counters };
  for (const b of batches.slice(1)) mergeCounters(FRAME_RULES, counters, b.counters);
  return {
    flows: byKey(batches.map((b) => b.flows), (f) => f.key, mergeFlowDelta, cloneFlowDelta),
    identities: byKey(
      batches.map((b) => b.identities),
      (i) => `${i.ip}\u0000${i.protocol}\u0000${i.key}\u0000${i.value}`,
      mergeIdentity,
      (i) => ({ ...i }),
    ),
    macs: byRules(batches.map((b) => b.macs), (m) => `${m.ip}|${m.mac}`, MAC_RULES),
    arp: byRules(batches.map((b) => b.arp), (m) => `${m.ip}|${m.mac}`, MAC_RULES),
    l2: byRules(batches.map((b) => b.l2), (l) => `${l.mac}|${l.etherType}`, L2_RULES),
    // Shards see disjoint address pairs: the peers add up; ports may repeat across shards.
    scans: byRules(batches.map((b) => b.scans), (s) => `${s.kind}|${s.host}|${s.transport}`, SHARD_SCAN_RULES),
    protocols: byRules(batches.map((b) => b.protocols), (p) => p.protocol, PROTOCOL_RULES),
    capturePoints: byRules(batches.map((b) => b.capturePoints), capturePointKey, CAPTURE_POINT_RULES).sort((a, b) => (capturePointKey(a) < capturePointKey(b) ? -1 : 1)),
    // Each-kind events all kept; a first-kind event once per (pair, protocol, code): the earliest.
    events: mergeEvents(batches.map((b) => b.events)),
    counters,
    liveConnections: batches.reduce((s, b) => s + b.liveConnections, 0),
  };
}
