/**
 * Minimum conduits: for each pair of zones with traffic between them, the rules that carry exactly
 * the observed cross-zone flows and no more: one rule per (initiator zone, responder zone, transport,
 * port, protocol, operation classes of the host pair's flow), with the function codes and the host
 * pairs behind it; the risky ones flagged with the reason.
 */
import type { FlowRecord } from '../baseline/reader.js';
import { levelRank } from './levels.js';
import type { Conduit, ConduitRule, RiskFlag, Zone } from './types.js';

/** Protocols whose sessions carry engineering or remote control in clear text. */
const CLEARTEXT_ENGINEERING = new Set(['telnet', 'ftp', 'tftp', 'vnc', 'tristation', 'rlogin']);
const CHANGES = ['write', 'program', 'control'];

interface RuleAcc {
  rule: ConduitRule;
  ops: Set<string>;
  codes: Set<number>;
  pairs: Set<string>;
  days: Set<number>;
  securityNone: boolean;
}

const rank = (z: Zone): number => (z.purdueLevel === null ? -1 : levelRank(z.purdueLevel));
const topRank = (z: Zone): number => (z.purdueLevels.length === 0 ? -1 : levelRank(z.purdueLevels[z.purdueLevels.length - 1]!));
const DMZ = levelRank(3.5);

export function minimumConduits(flows: readonly FlowRecord[], zoneOfIp: (ip: string) => string | undefined, zones: readonly Zone[], mainSpace: (p: string) => string | undefined): Conduit[] {
  const byId = new Map(zones.map((z) => [z.id, z]));
  const rules = new Map<string, RuleAcc>();
  for (const f of flows) {
    const zi = zoneOfIp(f.src);
    const zr = zoneOfIp(f.dst);
    if (zi === undefined || zr === undefined || zi === zr) continue;
    // Host pairs whose flows use different operation classes get rules of their own: a historian's
    // reads and an MES host's writes on the same port are two rules, so no pair is allowed more than it did.
    const flowOps = [...new Set(f.functions.filter((fn) => fn.requests > 0 && fn.opClass !== 'carrier').map((fn) => fn.opClass))].sort();
    const key = `${zi}|${zr}|${f.transport}|${f.port}|${f.protocol}|${flowOps.join(',')}`;
    let r = rules.get(key);
    if (!r) {
      r = {
        rule: {
          initiatorZone: zi, responderZone: zr, transport: f.transport, port: f.port, protocol: f.protocol, operations: [], functionCodes: [],
          hostPairs: [], packets: 0, bytes: 0, firstSeen: f.firstSeen, lastSeen: f.lastSeen, daysSeen: 0, risky: [],
        },
        ops: new Set(), codes: new Set(), pairs: new Set(), days: new Set(), securityNone: false,
      };
      rules.set(key, r);
    }
    const space = mainSpace(f.protocol);
    for (const fn of f.functions) {
      if (fn.requests <= 0) continue;
      // A carrier (SendRRData, an OPC UA chunk) is no operation: the service it carries is the rule's.
      if (fn.opClass !== 'carrier') r.ops.add(fn.opClass);
      if (space !== undefined && fn.space === space) r.codes.add(fn.code);
    }
    r.pairs.add(`${f.src}\u0000${f.dst}`);
    let lastDay = NaN;
    for (const h of f.hours) {
      const d = Math.floor(h.hour / 24);
      if (d !== lastDay) r.days.add((lastDay = d));
    }
    r.rule.packets += f.packetsToResponder + f.packetsToInitiator;
    r.rule.bytes += f.bytesToResponder + f.bytesToInitiator;
    r.rule.firstSeen = Math.min(r.rule.firstSeen, f.firstSeen);
    r.rule.lastSeen = Math.max(r.rule.lastSeen, f.lastSeen);
    if (f.attributes.some((a) => (a.key === 'security_mode' && a.value === 'None') || (a.key === 'security_policy' && /#None$/.test(a.value)))) r.securityNone = true;
  }
  const conduits = new Map<string, Conduit>();
  const sorted = [...rules.values()]
    .map((acc) => ({ acc, pair: pairOf(acc.rule).join('|') }))
    .sort((x, y) => {
      const ra = x.acc.rule;
      const rb = y.acc.rule;
      return cmp(x.pair, y.pair) || cmp(ra.initiatorZone, rb.initiatorZone) || cmp(ra.protocol, rb.protocol) || cmp(ra.transport, rb.transport) || ra.port - rb.port || cmp([...x.acc.ops].sort().join(','), [...y.acc.ops].sort().join(','));
    });
  for (const { acc } of sorted) {
    const r = acc.rule;
    r.operations = [...acc.ops].sort();
    r.functionCodes = [...acc.codes].sort((a, b) => a - b);
    r.hostPairs = [...acc.pairs].sort().map((p) => {
      const [src, dst] = p.split('\u0000') as [string, string];
      return { src, dst };
    });
    r.daysSeen = Math.max(1, acc.days.size);
    r.risky = riskFlags(r, byId.get(r.initiatorZone)!, byId.get(r.responderZone)!, acc.securityNone);
    const connects = pairOf(r);
    const ck = connects.join('|');
    let c = conduits.get(ck);
    if (!c) {
      c = { id: '', connects, securityLevel: '', rules: [] };
      conduits.set(ck, c);
    }
    c.rules.push(r);
  }
  const out = [...conduits.values()];
  out.forEach((c, i) => {
    c.id = `C${String(i + 1).padStart(2, '0')}`;
    // A conduit is held to the higher target of the zones it joins (IEC 62443-3-2 ZCR 5).
    const sl = c.connects.map((z) => Number(/\d/.exec(byId.get(z)!.securityLevelTarget)?.[0] ?? '1'));
    c.securityLevel = `SL ${Math.max(...sl)}`;
  });
  return out;
}

function pairOf(r: ConduitRule): [string, string] {
  return r.initiatorZone < r.responderZone ? [r.initiatorZone, r.responderZone] : [r.responderZone, r.initiatorZone];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function riskFlags(r: ConduitRule, zi: Zone, zr: Zone, securityNone: boolean): RiskFlag[] {
  const out: RiskFlag[] = [];
  const changes = r.operations.filter((o) => CHANGES.includes(o));
  if (changes.length > 0 && zr.kind === 'control' && rank(zi) > rank(zr)) {
    out.push({ flag: 'write-into-control', reason: `${changes.join(', ')} into control zone ${zr.id} from ${zi.id} (level ${zi.purdueLevel ?? '?'})` });
  }
  if (zi.kind === 'enterprise' && topRank(zr) >= 0 && topRank(zr) < DMZ) {
    out.push({ flag: 'enterprise-below-dmz', reason: `the enterprise (${zi.id}) reaches ${zr.id} below the DMZ` });
  } else if ((rank(zi) > DMZ && topRank(zr) >= 0 && topRank(zr) < DMZ) || (rank(zr) > DMZ && topRank(zi) >= 0 && topRank(zi) < DMZ)) {
    out.push({ flag: 'crosses-dmz', reason: `traffic between ${zi.id} and ${zr.id} crosses the DMZ without terminating there` });
  }
  if (CLEARTEXT_ENGINEERING.has(r.protocol) || r.operations.includes('program') || r.operations.includes('control')) {
    out.push({ flag: 'cleartext-engineering', reason: `cleartext engineering (${r.protocol}${r.operations.length ? `: ${r.operations.join(', ')}` : ''}) across zones` });
  }
  if (r.protocol === 'opcua' && securityNone) out.push({ flag: 'opcua-security-none', reason: 'OPC UA with security mode None across zones' });
  if (r.daysSeen === 1) out.push({ flag: 'one-day', reason: 'seen on one day only: a one-off, not a standing need?' });
  return out;
}
