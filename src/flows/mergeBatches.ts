/**
 * mergeBatches(): the FlowBatches of several shards of one capture file, as one batch. Every field is
 * a sum, a min/max or a union, so the result does not depend on the order of the shards.
 */
import type { FlowBatch, FlowDelta, IdentityDelta, L2Delta, MacDelta, ProtocolStatsDelta, ScanDelta } from './flowAggregator.js';

function byKey<T>(lists: T[][], key: (t: T) => string, merge: (into: T, from: T) => void, clone: (t: T) => T): T[] {
  const m = new Map<string, T>();
  for (const list of lists) {
    for (const t of list) {
      const k = key(t);
      const e = m.get(k);
      if (e) merge(e, t);
      else m.set(k, clone(t));
    }
  }
  return [...m.values()];
}

function mergeFlow(a: FlowDelta, b: FlowDelta): void {
  a.packetsToResponder += b.packetsToResponder;
  a.packetsToInitiator += b.packetsToInitiator;
  a.bytesToResponder += b.bytesToResponder;
  a.bytesToInitiator += b.bytesToInitiator;
  a.connections += b.connections;
  a.firstTs = Math.min(a.firstTs, b.firstTs);
  a.lastTs = Math.max(a.lastTs, b.lastTs);
  for (const [ev, n] of Object.entries(b.evidence)) {
    const k = ev as keyof FlowDelta['evidence'];
    a.evidence[k] = (a.evidence[k] ?? 0) + (n ?? 0);
  }
  for (const [h, [p, by]] of b.hours) {
    const e = a.hours.get(h);
    if (e) {
      e[0] += p;
      e[1] += by;
    } else a.hours.set(h, [p, by]);
  }
  for (const [k, f] of b.functions) {
    const e = a.functions.get(k);
    if (e) {
      e.requests += f.requests;
      e.responses += f.responses;
      e.exceptions += f.exceptions;
    } else a.functions.set(k, { ...f });
  }
  for (const [k, n] of b.ranges) a.ranges.set(k, (a.ranges.get(k) ?? 0) + n);
  for (const [k, o] of b.objects) {
    const e = a.objects.get(k);
    if (e) {
      e.reads += o.reads;
      e.writes += o.writes;
    } else a.objects.set(k, { ...o });
  }
  for (const [k, vs] of b.attributes) {
    const s = a.attributes.get(k) ?? new Set<string>();
    for (const v of vs) s.add(v);
    a.attributes.set(k, s);
  }
}

function cloneFlow(f: FlowDelta): FlowDelta {
  return {
    ...f,
    evidence: { ...f.evidence },
    hours: new Map([...f.hours].map(([h, v]) => [h, [v[0], v[1]]])),
    functions: new Map([...f.functions].map(([k, v]) => [k, { ...v }])),
    ranges: new Map(f.ranges),
    objects: new Map([...f.objects].map(([k, v]) => [k, { ...v }])),
    attributes: new Map([...f.attributes].map(([k, v]) => [k, new Set(v)])),
  };
}

function mergeSeen<T extends { firstTs: number; lastTs: number }>(a: T, b: T): void {
  a.firstTs = Math.min(a.firstTs, b.firstTs);
  a.lastTs = Math.max(a.lastTs, b.lastTs);
}

export function mergeBatches(batches: FlowBatch[]): FlowBatch {
  if (batches.length === 1) return batches[0]!;
  const flows = byKey(batches.map((b) => b.flows), (f) => f.key, mergeFlow, cloneFlow);
  const identities = byKey<IdentityDelta>(
    batches.map((b) => b.identities),
    (i) => `${i.ip}\u0000${i.protocol}\u0000${i.key}\u0000${i.value}`,
    (a, b) => {
      a.count += b.count;
      if (b.firstTs < a.firstTs) {
        a.file = b.file;
        a.frame = b.frame;
      }
      mergeSeen(a, b);
    },
    (i) => ({ ...i }),
  );
  const macMerge = (a: MacDelta, b: MacDelta): void => {
    a.packets += b.packets;
    mergeSeen(a, b);
  };
  const macs = byKey(batches.map((b) => b.macs), (m) => `${m.ip}|${m.mac}`, macMerge, (m) => ({ ...m }));
  const arp = byKey(batches.map((b) => b.arp), (m) => `${m.ip}|${m.mac}`, macMerge, (m) => ({ ...m }));
  const l2 = byKey<L2Delta>(
    batches.map((b) => b.l2),
    (l) => `${l.mac}|${l.etherType}`,
    (a, b) => {
      a.packets += b.packets;
      a.bytes += b.bytes;
      mergeSeen(a, b);
    },
    (l) => ({ ...l }),
  );
  const scans = byKey<ScanDelta>(
    batches.map((b) => b.scans),
    (s) => `${s.kind}|${s.host}|${s.transport}`,
    (a, b) => {
      a.attempts += b.attempts;
      a.packets += b.packets;
      a.bytes += b.bytes;
      // Shards see disjoint address pairs: the peers add up; ports may repeat across shards.
      a.peers += b.peers;
      a.ports = Math.max(a.ports, b.ports);
      mergeSeen(a, b);
    },
    (s) => ({ ...s }),
  );
  const protocols = byKey<ProtocolStatsDelta>(
    batches.map((b) => b.protocols),
    (p) => p.protocol,
    (a, b) => {
      a.connections += b.connections;
      a.pdus += b.pdus;
      a.malformed += b.malformed;
      a.unparsedBytes += b.unparsedBytes;
      a.gapBytes += b.gapBytes;
      a.retransmittedBytes += b.retransmittedBytes;
    },
    (p) => ({ ...p }),
  );
  const counters = { ...batches[0]!.counters };
  for (const b of batches.slice(1)) {
    const c = b.counters;
    counters.frames += c.frames;
    counters.ipPackets += c.ipPackets;
    counters.arpPackets += c.arpPackets;
    counters.otherL2 += c.otherL2;
    counters.truncated += c.truncated;
    counters.malformed += c.malformed;
    counters.unsupportedLinktype += c.unsupportedLinktype;
    counters.bytes += c.bytes;
    counters.firstTs = Math.min(counters.firstTs, c.firstTs);
    counters.lastTs = Math.max(counters.lastTs, c.lastTs);
  }
  return {
    flows,
    identities,
    macs,
    arp,
    l2,
    scans,
    protocols,
    counters,
    liveConnections: batches.reduce((s, b) => s + b.liveConnections, 0),
  };
}
