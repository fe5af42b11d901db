/**
 * What each host does on the wire, summed from the flows: per protocol, which hosts it initiated to
 * and which initiated to it, and which operation classes it requested from whom. The roles and the
 * Purdue levels are read from this summary.
 */
import type { FlowRecord } from '../baseline/reader.js';

export interface Span {
  peers: Set<string>;
  flows: number;
  connections: number;
  firstSeen: number;
  lastSeen: number;
}

export interface Behaviour {
  ip: string;
  /** protocol -> the servers this host initiated to */
  asClient: Map<string, Span>;
  /** protocol -> the clients that initiated to this host */
  asServer: Map<string, Span>;
  /** operation class -> protocol -> servers it requested that class from (requests counted in `pdus`) */
  requested: Map<string, Map<string, Span & { pdus: number }>>;
  peers: Set<string>;
  packets: number;
  bytes: number;
  firstSeen: number;
  lastSeen: number;
}

function newBehaviour(ip: string): Behaviour {
  return { ip, asClient: new Map(), asServer: new Map(), requested: new Map(), peers: new Set(), packets: 0, bytes: 0, firstSeen: Infinity, lastSeen: -Infinity };
}

function addSpan<S extends Span>(m: Map<string, S>, key: string, peer: string, f: FlowRecord, make: () => S): S {
  let s = m.get(key);
  if (!s) m.set(key, (s = make()));
  s.peers.add(peer);
  s.flows++;
  s.connections += f.connections;
  if (f.firstSeen < s.firstSeen) s.firstSeen = f.firstSeen;
  if (f.lastSeen > s.lastSeen) s.lastSeen = f.lastSeen;
  return s;
}

function touch(b: Behaviour, packets: number, bytes: number, f: FlowRecord): void {
  b.packets += packets;
  b.bytes += bytes;
  if (f.firstSeen < b.firstSeen) b.firstSeen = f.firstSeen;
  if (f.lastSeen > b.lastSeen) b.lastSeen = f.lastSeen;
}

const classSpan = (): Span & { pdus: number } => ({ peers: new Set(), flows: 0, connections: 0, firstSeen: Infinity, lastSeen: -Infinity, pdus: 0 });

const span = (): Span => ({ peers: new Set(), flows: 0, connections: 0, firstSeen: Infinity, lastSeen: -Infinity });

/** Protocol key of a flow: its protocol id ('tristation-peer' for UDP 1503), or `transport/port` when nothing labelled it. */
export function flowProtocol(f: FlowRecord): string {
  if (f.protocol === 'unknown') return `${f.transport}/${f.port}`;
  // Triconex: UDP 1502 is TriStation (engineering), 1503 the controllers' peer-to-peer link.
  if (f.protocol === 'tristation' && f.port === 1503) return 'tristation-peer';
  return f.protocol;
}

/**
 * `isHost` tells which addresses are hosts (assets); traffic to others (broadcast, multicast) counts for
 * the sender's packets and bytes but makes no peer and no role.
 */
export function summariseBehaviour(flows: readonly FlowRecord[], isHost: (ip: string) => boolean = () => true): Map<string, Behaviour> {
  const out = new Map<string, Behaviour>();
  const get = (ip: string): Behaviour => {
    let b = out.get(ip);
    if (!b) out.set(ip, (b = newBehaviour(ip)));
    return b;
  };
  for (const f of flows) {
    const srcHost = isHost(f.src);
    const dstHost = isHost(f.dst);
    const packets = f.packetsToResponder + f.packetsToInitiator;
    const bytes = f.bytesToResponder + f.bytesToInitiator;
    if (!srcHost || !dstHost) {
      if (srcHost) touch(get(f.src), packets, bytes, f);
      if (dstHost) touch(get(f.dst), packets, bytes, f);
      continue;
    }
    const c = get(f.src);
    const s = get(f.dst);
    const proto = flowProtocol(f);
    touch(c, packets, bytes, f);
    if (s !== c) touch(s, packets, bytes, f);
    if (f.src === f.dst) continue;
    c.peers.add(f.dst);
    s.peers.add(f.src);
    addSpan(c.asClient, proto, f.dst, f, span);
    addSpan(s.asServer, proto, f.src, f, span);
    if (f.functions.length === 0) continue;
    const perClass = new Map<string, number>();
    for (const fn of f.functions) if (fn.requests > 0) perClass.set(fn.opClass, (perClass.get(fn.opClass) ?? 0) + fn.requests);
    for (const [cls, n] of perClass) {
      let m = c.requested.get(cls);
      if (!m) c.requested.set(cls, (m = new Map()));
      addSpan(m, proto, f.dst, f, classSpan).pdus += n;
    }
  }
  return out;
}
