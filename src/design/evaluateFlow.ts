/**
 * The verdict on one observed flow under a design, with the first reason that applies in the order of
 * docs/INTERFACES.md "Diff JSON": an endpoint in no zone (unzoned-asset); same zone (never breaks);
 * no-conduit; protocol-not-allowed; wrong-direction; operation-not-allowed. Operations are checked per
 * function as a DPI firewall checks each PDU: a function passes when some rule of the right protocol
 * and direction allows its class (and, in the protocol's main code space, its code).
 */
import type { FlowFunction, FlowRecord } from '../baseline/reader.js';
import { defaultDissectors } from '../dissectors/index.js';
import { normalizeProtocol } from './protocolNames.js';
import { portText } from './readConduit.js';
import type { BreakReason, BrokenFunction, DesignConduit, DesignRule, FlowVerdict, Verdict } from './types.js';

/** The main code space of each dissector (the one function_codes restrict): modbus 'function', enip 'cip' ... */
const MAIN_SPACE = new Map(defaultDissectors.map((d) => [d.id, d.spaces[0]!]));

export function mainSpace(protocol: string): string | undefined {
  return MAIN_SPACE.get(protocol);
}

/** Conduits by unordered zone pair. */
export class ConduitIndex {
  readonly #byPair = new Map<string, DesignConduit[]>();
  constructor(conduits: readonly DesignConduit[]) {
    for (const c of conduits) {
      for (const a of c.connects) {
        for (const b of c.connects) {
          if (a === b) continue;
          const k = `${a}\u0000${b}`;
          const l = this.#byPair.get(k) ?? [];
          l.push(c);
          this.#byPair.set(k, l);
        }
      }
    }
  }
  readonly #allowed = new Map<string, string>();
  between(a: string, b: string): readonly DesignConduit[] {
    return this.#byPair.get(`${a}\u0000${b}`) ?? [];
  }
  /** "C3 allows HTTPS 443, RDP 3389" for the conduits between two zones (built once per pair). */
  allowedText(a: string, b: string): string {
    const k = `${a}\u0000${b}`;
    let t = this.#allowed.get(k);
    if (t === undefined) {
      const between = this.between(a, b);
      const allowed = between.flatMap((c) => c.rules.map((r) => `${r.protocol ?? r.transport ?? 'any'} ${portText(r.ports)}`));
      t = `${between.map((c) => c.id).join(', ')} ${allowed.length > 0 ? `allow${between.length === 1 ? 's' : ''} ${allowed.join(', ')}` : 'allow nothing'}`;
      this.#allowed.set(k, t);
    }
    return t;
  }
}

export function ruleMatchesService(r: DesignRule, transport: string, port: number, protocolNorm: string): boolean {
  if (r.transport !== null && r.transport !== transport) return false;
  if (r.ports !== null && !r.ports.some(([lo, hi]) => port >= lo && port <= hi)) return false;
  if (r.protocolIds !== null && !r.protocolIds.includes(protocolNorm)) return false;
  return true;
}

export function ruleAllowsDirection(r: DesignRule, src: string, dst: string): boolean {
  if (r.initiator === null) return true;
  return r.initiator === src && (r.responder === null || r.responder === dst);
}

/** A function passes a rule: its class is allowed, and in the main space its code is listed (codes are checked on requests). */
export function ruleAllowsFunction(r: DesignRule, f: FlowFunction, main: string | undefined): boolean {
  // A carrier (ENIP SendRRData, OPC UA MSG chunk, COTP DT ...) is no operation: the service it carries is checked.
  if (f.opClass === 'carrier') return true;
  if (r.operations !== null && !(r.operations as readonly string[]).includes(f.opClass)) return false;
  if (r.functionCodes !== null && f.space === main && f.requests > 0 && !r.functionCodes.includes(f.code)) return false;
  return true;
}

export function ruleLabel(r: DesignRule): string {
  const parts = [r.conduit, r.protocol ?? 'any protocol'];
  if (r.ports) parts.push(portText(r.ports));
  if (r.direction) parts.push(r.direction);
  else if (r.initiator) parts.push(`${r.initiator} -> ${r.responder ?? 'any'}`);
  return parts.join(' ');
}

export interface FlowZones {
  srcZone: string | null;
  dstZone: string | null;
  /** the destination is broadcast or multicast */
  local: boolean;
}

/**
 * Seen-counts of a flow: packets, bytes, first/last seen, distinct UTC days and hours with activity.
 * `windowed`: the flow was read for a time window, so packets and bytes are its hours' inside it.
 */
export function flowCounts(f: FlowRecord, windowed = false): Pick<FlowVerdict, 'packets' | 'bytes' | 'firstSeen' | 'lastSeen' | 'daysSeen' | 'hoursSeen'> {
  // hours come sorted: count the day changes
  let days = 0;
  let last = -1;
  let packets = 0;
  let bytes = 0;
  for (const h of f.hours) {
    packets += h.packets;
    bytes += h.bytes;
    const d = Math.floor(h.hour / 24);
    if (d !== last) {
      days++;
      last = d;
    }
  }
  return {
    packets: windowed ? packets : f.packetsToResponder + f.packetsToInitiator,
    bytes: windowed ? bytes : f.bytesToResponder + f.bytesToInitiator,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    daysSeen: days,
    hoursSeen: f.hours.length,
  };
}

function fnLabel(protocol: string, f: FlowFunction, main: string | undefined): string {
  const code = protocol === 'modbus' && f.space === main ? `FC ${f.code}` : f.space === main ? `${f.code}` : `${f.space} ${f.code}`;
  return `${code} ${f.name} (${f.opClass})`;
}

/**
 * Evaluates one flow. `used` collects the rules that carried (or would carry, but for its operations)
 * some flow, for the unused-rule report.
 */
export function evaluateFlow(f: FlowRecord, zones: FlowZones, conduits: ConduitIndex, used?: Set<DesignRule>, windowed = false): FlowVerdict {
  const counts = flowCounts(f, windowed);
  const v = (verdict: Verdict, reason: BreakReason | null, detail: string, extra?: Partial<FlowVerdict>): FlowVerdict => {
    const out: FlowVerdict = {
      src: f.src, dst: f.dst, transport: f.transport, port: f.port, protocol: f.protocol,
      srcZone: zones.srcZone, dstZone: zones.dstZone, verdict, reason, detail,
      conduit: null, rule: null, operations: [], functions: [], unchecked: [],
      packets: counts.packets, bytes: counts.bytes, firstSeen: counts.firstSeen, lastSeen: counts.lastSeen,
      daysSeen: counts.daysSeen, hoursSeen: counts.hoursSeen,
    };
    return extra ? Object.assign(out, extra) : out;
  };
  const { srcZone: sz, dstZone: dz } = zones;
  if (sz === null || (dz === null && !zones.local)) {
    const who = [sz === null ? f.src : null, dz === null ? f.dst : null].filter((x) => x !== null);
    return v('breaking', 'unzoned-asset', `${who.join(' and ')} ${who.length > 1 ? 'are' : 'is'} in no zone of the design`);
  }
  if (zones.local) return v('local', null, `${f.dst} is a broadcast or multicast destination: not routed through a conduit`);
  if (dz === null) throw new Error('unreachable');
  if (sz === dz) return v('same-zone', null, `both ends in ${sz}`);
  const between = conduits.between(sz, dz);
  if (between.length === 0) return v('breaking', 'no-conduit', `no conduit connects ${sz} and ${dz}`);
  const norm = normalizeProtocol(f.protocol);
  const service = between.flatMap((c) => c.rules).filter((r) => ruleMatchesService(r, f.transport, f.port, norm));
  if (service.length === 0) {
    return v('breaking', 'protocol-not-allowed', `${conduits.allowedText(sz, dz)}; not ${f.protocol} ${f.transport}/${f.port}`, { conduit: between[0]!.id });
  }
  const backflow = f.transport === 'udp' && f.packetsToInitiator > 0;
  const directed = service.filter((r) => ruleAllowsDirection(r, sz, dz) && !(r.unidirectional && backflow));
  if (directed.length === 0) {
    const r = service[0]!;
    const uni = service.find((x) => x.unidirectional && backflow && ruleAllowsDirection(x, sz, dz));
    const detail = uni
      ? `${ruleLabel(uni)} is unidirectional, but ${f.dst} sent ${f.packetsToInitiator} packets back`
      : `${ruleLabel(r)} allows ${r.initiator} -> ${r.responder ?? 'any'} only; this flow is initiated from ${sz}`;
    return v('breaking', 'wrong-direction', detail, { conduit: r.conduit, rule: r.index });
  }
  for (const r of directed) used?.add(r);
  const main = mainSpace(f.protocol);
  const broken: FlowFunction[] = [];
  for (const fn of f.functions) {
    if (fn.requests + fn.responses + fn.exceptions === 0) continue;
    if (!directed.some((r) => ruleAllowsFunction(r, fn, main))) broken.push(fn);
  }
  const first = directed[0]!;
  if (broken.length > 0) {
    const functions: BrokenFunction[] = broken.map((b) => ({ space: b.space, code: b.code, name: b.name, opClass: b.opClass, requests: b.requests }));
    const ops = [...new Set(broken.map((b) => b.opClass))].sort();
    return v('breaking', 'operation-not-allowed', `${broken.map((b) => fnLabel(f.protocol, b, main)).join(', ')} not allowed by ${directed.map(ruleLabel).join('; ')}`, {
      conduit: first.conduit, rule: first.index, operations: ops, functions,
    });
  }
  const carrier = directed.find((r) => f.functions.every((fn) => ruleAllowsFunction(r, fn, main))) ?? first;
  const unchecked = carrier.notes.map((n) => n.text);
  if (carrier.unidirectional && f.transport === 'tcp') unchecked.push('unidirectional: no payload back cannot be checked on TCP');
  return v('allowed', null, `carried by ${ruleLabel(carrier)}`, { conduit: carrier.conduit, rule: carrier.index, unchecked });
}
