/**
 * One conduit of a design document and its `protocols_allowed` rules, in the free form engineers write
 * ("Modbus/TCP", 502, "Z3 -> Z2 (read only, FC 3/4 only)") and in the structured form propose writes
 * (transport, initiator, operations, function_codes). Zone references may be unique prefixes.
 */
import { isScalar, isSeq } from 'yaml';
import { intersect, parseCodeList, parseDirection, parseRestrictions } from './parseDirection.js';
import { matchProtocolName, TRANSPORTS } from './protocolNames.js';
import { OPERATION_CLASSES, type DesignConduit, type DesignRule, type OperationClass } from './types.js';
import type { At, FieldReader } from './yamlFields.js';

export type ZoneRef = { id: string } | { error: 'unknown' | 'ambiguous'; candidates: string[] };

/** Exact id (case aside), else the unique id it is a prefix of (at a word boundary first: Z3 -> Z3-OPS, not Z30). */
export function resolveZoneRef(ref: string, zoneIds: readonly string[]): ZoneRef {
  const r = ref.trim().toLowerCase();
  const exact = zoneIds.filter((z) => z.toLowerCase() === r);
  if (exact.length === 1) return { id: exact[0]! };
  const boundary = zoneIds.filter((z) => z.toLowerCase().startsWith(r) && /^[^a-z0-9]/i.test(z.slice(r.length)));
  if (boundary.length === 1) return { id: boundary[0]! };
  if (boundary.length > 1) return { error: 'ambiguous', candidates: boundary };
  const prefix = zoneIds.filter((z) => z.toLowerCase().startsWith(r));
  if (prefix.length === 1) return { id: prefix[0]! };
  return prefix.length > 1 ? { error: 'ambiguous', candidates: prefix } : { error: 'unknown', candidates: [] };
}

export function readConduit(r: FieldReader, c: At, zoneIds: readonly string[]): DesignConduit | null {
  if (!r.map(c, `conduit ${c.path}`)) return null;
  const id = r.requiredText(c, 'conduit_id', `the conduit at ${c.path}`);
  if (id === undefined) return null;
  const conduit: DesignConduit = {
    id,
    name: r.text(r.field(c, 'name'), 'name') ?? null,
    connects: [],
    connectsPos: r.pos(r.field(c, 'connects') ?? c),
    securityLevel: r.text(r.field(c, 'security_level'), 'security_level') ?? null,
    rules: [],
    controls: (r.texts(r.field(c, 'controls'), 'controls') ?? []).map((t) => t.text),
    pos: r.pos(c),
  };
  const connectsAt = r.field(c, 'connects');
  if (!connectsAt) r.report('DESIGN_MISSING_FIELD', `conduit ${id} has no connects (the zones it joins)`, c);
  const refs = r.texts(connectsAt, `connects of conduit ${id}`);
  for (const ref of refs ?? []) {
    const z = zoneRef(r, ref.text, ref.at, zoneIds, `connects of conduit ${id}`);
    if (z && !conduit.connects.includes(z)) conduit.connects.push(z);
  }
  if (refs && connectsAt && refs.length === conduit.connects.length && conduit.connects.length < 2) {
    r.report('DESIGN_BAD_CONNECTS', `conduit ${id} connects ${conduit.connects.length === 0 ? 'no zone' : `only ${conduit.connects[0]}`}; a conduit joins at least two different zones`, connectsAt);
  }
  const rulesAt = r.field(c, 'protocols_allowed');
  for (const [i, ra] of (r.list(rulesAt, `protocols_allowed of conduit ${id}`) ?? []).entries()) {
    const rule = readRule(r, ra, i, conduit, zoneIds);
    if (rule) conduit.rules.push(rule);
  }
  return conduit;
}

function zoneRef(r: FieldReader, text: string, at: At, zoneIds: readonly string[], where: string): string | null {
  const z = resolveZoneRef(text, zoneIds);
  if ('id' in z) return z.id;
  if (z.error === 'ambiguous') r.report('DESIGN_AMBIGUOUS_ZONE', `'${text}' in ${where} is a prefix of several zones: ${z.candidates.join(', ')}`, at);
  else r.report('DESIGN_UNKNOWN_ZONE', `'${text}' in ${where} is not a zone of this design (zones: ${zoneIds.join(', ') || 'none'})`, at);
  return null;
}

/** 502, "502", "5450-5460", [80, 443] -> inclusive ranges; undefined after reporting a bad one. */
function readPorts(r: FieldReader, at: At, what: string): Array<[number, number]> | undefined {
  const items: At[] = isSeq(at.node) ? (r.list(at, what) ?? []) : [at];
  const out: Array<[number, number]> = [];
  for (const it of items) {
    const v = isScalar(it.node) ? it.node.value : undefined;
    const s = typeof v === 'number' || typeof v === 'string' ? String(v).trim() : '';
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(s);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || lo > 65535 || hi > 65535 || hi < lo) {
      r.report('DESIGN_BAD_PORT', `port '${isScalar(it.node) ? String(it.node.value) : 'a collection'}' of ${what} is not a whole number from 0 to 65535 or a range of them`, it);
      return undefined;
    }
    out.push([lo, hi]);
  }
  return out;
}

function readRule(r: FieldReader, ra: At, index: number, conduit: DesignConduit, zoneIds: readonly string[]): DesignRule | null {
  const what = `rule ${index + 1} of conduit ${conduit.id}`;
  if (!r.map(ra, what)) return null;
  const rule: DesignRule = {
    conduit: conduit.id, index, protocol: null, protocolIds: null, transport: null, ports: null, direction: null,
    initiator: null, responder: null, unidirectional: false, operations: null, functionCodes: null, notes: [], pos: r.pos(ra),
  };
  let ok = true;
  const portAt = r.field(ra, 'port') ?? r.field(ra, 'ports');
  if (portAt && !r.isNull(portAt)) {
    const ports = readPorts(r, portAt, what);
    if (ports) rule.ports = ports;
    else ok = false;
  }
  const trAt = r.field(ra, 'transport');
  const tr = r.text(trAt, 'transport')?.trim().toLowerCase();
  if (tr !== undefined) {
    if (TRANSPORTS.has(tr)) rule.transport = tr;
    else if (tr !== 'any') {
      r.report('DESIGN_BAD_TRANSPORT', `transport '${tr}' of ${what} is not an IP transport (tcp, udp, icmp, ...)`, trAt!);
      ok = false;
    }
  }
  const protoAt = r.field(ra, 'protocol');
  const proto = r.text(protoAt, 'protocol');
  if (proto !== undefined) {
    rule.protocol = proto;
    const m = matchProtocolName(proto);
    const bare = proto.trim().toLowerCase();
    if (bare === 'tcp' || bare === 'udp') {
      rule.transport ??= bare;
    } else if (m.known) rule.protocolIds = m.ids;
    else if (rule.ports) {
      r.report('DESIGN_PROTOCOL_BY_PORT', `protocol '${proto}' of ${what} is not a protocol zonescope recognises; the rule matches port ${portText(rule.ports)} whatever the protocol`, protoAt!);
    } else {
      r.report('DESIGN_UNKNOWN_PROTOCOL', `protocol '${proto}' of ${what} is not a protocol zonescope recognises (e.g. modbus, enip, s7comm, opcua, https, rdp, pi) and no port is given`, protoAt!);
      ok = false;
    }
  } else if (!rule.ports) {
    r.report('DESIGN_MISSING_FIELD', `${what} names neither a protocol nor a port`, ra);
    ok = false;
  }
  const dirAt = r.field(ra, 'direction');
  const dir = r.text(dirAt, 'direction');
  if (dir !== undefined && dirAt) {
    rule.direction = dir;
    const d = parseDirection(dir);
    if (!d) {
      r.report('DESIGN_BAD_DIRECTION', `direction '${dir}' of ${what} is not of the form "INITIATOR -> RESPONDER (notes)"`, dirAt);
      ok = false;
    } else {
      if (d.initiator !== null && d.responder !== null) {
        const a = directionZone(r, d.initiator, dirAt, zoneIds, conduit, what);
        const b = directionZone(r, d.responder, dirAt, zoneIds, conduit, what);
        if (a === null || b === null) ok = false;
        else if (a === b) {
          r.report('DESIGN_BAD_DIRECTION', `direction '${dir}' of ${what} names ${a} on both sides`, dirAt);
          ok = false;
        } else {
          rule.initiator = a;
          rule.responder = b;
        }
      }
      const res = parseRestrictions(d.restrictions);
      rule.operations = res.operations;
      rule.functionCodes = res.functionCodes;
      rule.unidirectional = res.unidirectional;
      const p = r.pos(dirAt);
      for (const n of res.notes) rule.notes.push({ text: n, pos: p });
    }
  }
  if (!readStructured(r, ra, rule, zoneIds, conduit, what)) ok = false;
  if (rule.initiator !== null && rule.responder === null) {
    const others = conduit.connects.filter((z) => z !== rule.initiator);
    if (others.length === 1) rule.responder = others[0]!;
  }
  return ok ? rule : null;
}

/** initiator, operations, function_codes (the form propose writes); they narrow what the text says. */
function readStructured(r: FieldReader, ra: At, rule: DesignRule, zoneIds: readonly string[], conduit: DesignConduit, what: string): boolean {
  let ok = true;
  for (const key of ['initiator', 'responder'] as const) {
    const at = r.field(ra, key);
    const t = r.text(at, key);
    if (t === undefined || !at) continue;
    const z = directionZone(r, t, at, zoneIds, conduit, what);
    if (z === null) {
      ok = false;
      continue;
    }
    if (rule[key] !== null && rule[key] !== z) {
      r.report('DESIGN_DIRECTION_CONFLICT', `${key} ${z} of ${what} contradicts its direction '${rule.direction}'`, at);
      ok = false;
    } else rule[key] = z;
  }
  const opsAt = r.field(ra, 'operations');
  const ops = r.texts(opsAt, `operations of ${what}`);
  if (ops) {
    const list: OperationClass[] = [];
    for (const o of ops) {
      const v = o.text.trim().toLowerCase().replace(/[\s_-]+/g, '');
      if (v === 'readonly') list.push('read', 'diagnostic', 'session');
      else if ((OPERATION_CLASSES as readonly string[]).includes(v)) list.push(v as OperationClass);
      else {
        r.report('DESIGN_UNKNOWN_OPERATION', `'${o.text}' in operations of ${what} is not an operation class (${OPERATION_CLASSES.join(', ')})`, o.at);
        ok = false;
      }
    }
    rule.operations = intersect(rule.operations, [...new Set(list)]);
  }
  const fcAt = r.field(ra, 'function_codes');
  if (fcAt && !r.isNull(fcAt)) {
    const codes = readCodes(r, fcAt, what);
    if (codes === undefined) ok = false;
    else rule.functionCodes = rule.functionCodes ? rule.functionCodes.filter((c) => codes.includes(c)) : codes;
  }
  return ok;
}

function readCodes(r: FieldReader, at: At, what: string): number[] | undefined {
  if (isScalar(at.node) && typeof at.node.value === 'string') {
    const l = parseCodeList(at.node.value);
    if (l && l.every((c) => c <= 65535)) return l;
    r.report('DESIGN_BAD_FUNCTION_CODE', `function_codes '${at.node.value}' of ${what} is not a list of codes`, at);
    return undefined;
  }
  const items = isScalar(at.node) ? [at] : r.list(at, `function_codes of ${what}`);
  if (!items) return undefined;
  const out: number[] = [];
  for (const it of items) {
    const v = isScalar(it.node) ? it.node.value : undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(v) ? Number(v.trim()) : NaN;
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      r.report('DESIGN_BAD_FUNCTION_CODE', `function code '${isScalar(it.node) ? String(it.node.value) : 'a collection'}' of ${what} is not a whole number from 0 to 65535`, it);
      return undefined;
    }
    if (!out.includes(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

function directionZone(r: FieldReader, ref: string, at: At, zoneIds: readonly string[], conduit: DesignConduit, what: string): string | null {
  const z = resolveZoneRef(ref, conduit.connects.length > 0 ? conduit.connects : zoneIds);
  if ('id' in z) return z.id;
  const anywhere = resolveZoneRef(ref, zoneIds);
  if ('id' in anywhere) {
    r.report('DESIGN_DIRECTION_NOT_CONNECTED', `'${ref}' in the direction of ${what} is zone ${anywhere.id}, which the conduit does not connect (it connects ${conduit.connects.join(', ')})`, at);
  } else if (z.error === 'ambiguous') {
    r.report('DESIGN_AMBIGUOUS_ZONE', `'${ref}' in the direction of ${what} is a prefix of several zones: ${z.candidates.join(', ')}`, at);
  } else {
    r.report('DESIGN_UNKNOWN_ZONE', `'${ref}' in the direction of ${what} is not a zone of this design`, at);
  }
  return null;
}

export function portText(ports: Array<[number, number]> | null): string {
  if (!ports) return 'any';
  return ports.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(', ');
}
