/**
 * Scan and flood detection: a failed attempt (no payload, no answer) is counted against the host
 * that made it and the host that received it. Past `threshold` attempts made by one host (a port
 * scan, a sweep) or received by one host (a SYN flood from spoofed sources, a target probed by many
 * hosts), further attempts are summarised (ScanDelta) instead of kept as one flow each. Memory is
 * bounded: the per-address counts start over past PROBE_MAP_LIMIT addresses.
 */
import { IPPROTO_TCP, IPPROTO_UDP } from '../decode/packet.js';
import type { Conn } from './conn.js';
import type { ConnHosts } from './connHosts.js';
import { DistinctCounter } from './distinctCounter.js';
import type { ScanDelta } from './flowDelta.js';
import type { ProbeState } from './liveState.js';

/** Addresses whose failed attempts are counted at once (scan/flood detection memory bound). */
export const PROBE_MAP_LIMIT = 1 << 18;
/** Distinct ports kept per summary. */
const MAX_PORTS = 65536;

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A failed attempt: no payload and no answer from the other side (port scans, dead hosts). */
export function isProbe(conn: Conn): boolean {
  if (conn.payloadSeen) return false;
  if (conn.proto !== IPPROTO_TCP && conn.proto !== IPPROTO_UDP) return false;
  const initIsA = conn.initiatorIsA === 1;
  const answered = initIsA ? conn.answeredB : conn.answeredA;
  // A SYN answered by SYN-ACK then torn down at once is still a probe (half-open scan).
  return !answered || (conn.pktsA + conn.pktsB <= 4 && conn.closeFlags !== 0);
}

type Summary = ScanDelta;
/**
 * The flowKey of a connection summarised as a failed attempt (it never becomes a flow): ABSORBED,
 * then 's' (scan) or 'f' (flood), then the side ('A' / 'B') of the host it is summarised under.
 */
const ABSORBED = '\u0000absorbed:';
/** The distinct peers and ports of one summary (kind|host|transport) over every batch and run. */
interface Distinct {
  peerSet: DistinctCounter;
  portSet: Set<number>;
}

export class ProbeDetector {
  private readonly threshold: number;
  private readonly hosts: ConnHosts;
  /** Failed attempts made by (probesFrom) and received by (probesTo) an address, over the runs (liveState.ts). */
  private readonly probesFrom = new Map<number | string, number>();
  private readonly probesTo = new Map<number | string, number>();
  /** Addresses past the threshold, kept apart (never forgotten). */
  private readonly scanners = new Set<number | string>();
  private readonly flooded = new Set<number | string>();
  private scans = new Map<string, Summary>();
  /**
   * Distinct peers and ports per summary since the first run (a batch reports the totals so far:
   * the store keeps the largest, SCAN_RULES), so they do not depend on how the input is split.
   */
  private readonly distinct = new Map<string, Distinct>();

  constructor(hosts: ConnHosts, threshold: number) {
    this.hosts = hosts;
    this.threshold = threshold;
  }

  /**
   * A connection folded for the first time (its initiator decided): when it is a failed attempt of a
   * scanner or towards a flooded host, it is summarised here and true is returned (no flow for it).
   */
  absorb(conn: Conn, transport: string): boolean {
    if (conn.flowKey.startsWith(ABSORBED)) {
      // Later packets of an attempt already summarised (it spans batches): the same summary.
      this.summarise(conn, conn.flowKey[ABSORBED.length] === 's' ? 'scan' : 'flood', conn.flowKey.endsWith('A'), transport, false);
      return true;
    }
    if (conn.counted || !isProbe(conn)) return false;
    const initIsA = conn.initiatorIsA === 1;
    if (this.count(this.probesFrom, this.hosts.addrKey(conn, initIsA), this.scanners)) {
      this.summarise(conn, 'scan', initIsA, transport, true);
      return true;
    }
    if (this.count(this.probesTo, this.hosts.addrKey(conn, !initIsA), this.flooded)) {
      this.summarise(conn, 'flood', !initIsA, transport, true);
      return true;
    }
    return false;
  }

  /**
   * Count one failed attempt of `addr`; true when the address is (now) past the threshold. Past
   * PROBE_MAP_LIMIT addresses the counts start over (addresses with few attempts, e.g. the spoofed
   * sources of a flood, are forgotten; the ones past the threshold stay in `over`).
   */
  private count(counts: Map<number | string, number>, addr: number | string, over: Set<number | string>): boolean {
    if (over.has(addr)) return true;
    const n = (counts.get(addr) ?? 0) + 1;
    if (n > this.threshold) {
      over.add(addr);
      counts.delete(addr);
      return true;
    }
    if (counts.size >= PROBE_MAP_LIMIT) counts.clear();
    counts.set(addr, n);
    return false;
  }

  private summarise(conn: Conn, kind: 'scan' | 'flood', sideA: boolean, transport: string, attempt: boolean): void {
    const host = this.hosts.ip(conn, sideA);
    const k = `${kind}|${host}|${transport}`;
    let s = this.scans.get(k);
    if (!s) {
      s = { kind, host, transport, attempts: 0, packets: 0, bytes: 0, peers: 0, ports: 0, firstTs: conn.deltaFirstTs, lastTs: conn.lastTs };
      this.scans.set(k, s);
    }
    let ds = this.distinct.get(k);
    if (!ds) {
      ds = { peerSet: new DistinctCounter(), portSet: new Set() };
      this.distinct.set(k, ds);
    }
    const initIsA = conn.initiatorIsA === 1;
    if (attempt) {
      s.attempts++;
      conn.counted = true;
      conn.flowKey = `${ABSORBED}${kind[0]}${sideA ? 'A' : 'B'}`;
    }
    s.packets += conn.pktsA + conn.pktsB;
    s.bytes += conn.bytesA + conn.bytesB;
    if (conn.deltaFirstTs < s.firstTs) s.firstTs = conn.deltaFirstTs;
    if (conn.lastTs > s.lastTs) s.lastTs = conn.lastTs;
    const peer = this.hosts.addrKey(conn, !sideA);
    ds.peerSet.add(typeof peer === 'number' ? peer : hashString(peer));
    if (ds.portSet.size < MAX_PORTS) ds.portSet.add(initIsA ? conn.portB : conn.portA);
  }

  /** The counters as plain data, to carry into a later run (liveState.ts). */
  exportState(): ProbeState {
    const distinct = [...this.distinct].map(([k, d]) => ({ key: k, peers: d.peerSet.exportState(), ports: [...d.portSet] }));
    return { from: [...this.probesFrom], to: [...this.probesTo], scanners: [...this.scanners], flooded: [...this.flooded], distinct };
  }

  /** Go on from the counters of an earlier run (added to any counted since this detector began). */
  importState(s: ProbeState): void {
    for (const [k, n] of s.from) this.probesFrom.set(k, (this.probesFrom.get(k) ?? 0) + n);
    for (const [k, n] of s.to) this.probesTo.set(k, (this.probesTo.get(k) ?? 0) + n);
    for (const k of s.scanners) this.scanners.add(k);
    for (const k of s.flooded) this.flooded.add(k);
    for (const d of s.distinct ?? []) {
      if (this.distinct.has(d.key)) continue;
      this.distinct.set(d.key, { peerSet: DistinctCounter.fromState(d.peers), portSet: new Set(d.ports) });
    }
  }

  /** The summaries since the previous call. */
  take(): ScanDelta[] {
    const out = [...this.scans].map(([k, s]) => {
      const ds = this.distinct.get(k)!;
      return { ...s, peers: ds.peerSet.count, ports: ds.portSet.size };
    });
    this.scans = new Map();
    return out;
  }
}
