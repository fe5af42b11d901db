/**
 * Report model -> the page's data block (payload.ts): assets, zones, conduit rules, flows and diff
 * entries cross-referenced by index, rule -> flows and host pairs resolved, activity hours packed.
 * Pure and deterministic: the same model gives the same payload, in a stable order.
 */
import { capturePointText } from '../capturePointText.js';
import type { FlowRecord } from '../../baseline/reader.js';
import { CARRIER_CLASS } from '../flowsDocument.js';
import { baselineCompleteness } from './completeness.js';
import type { AssetDoc, ConduitRuleDoc, ReportModel } from './model.js';
import type { PAsset, PBreaking, PConduit, PDiff, PEvent, PEvidence, PFlow, PQuality, PRule, PZone, Payload } from './payload.js';

const MAX_DIAGNOSTICS = 2000;
/** Past this many (flow, hour) pairs, single flows keep no hourly activity of their own in the page (its size). */
export const FLOW_HOURS_BUDGET = 400_000;

/** ISO time (or null) -> unix seconds (or null). */
function secs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t / 1000 : null;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function blankAsset(id: string, ip: string | null): PAsset {
  return {
    id, ip, mac: null, name: null, vendor: null, product: null, roles: [], level: null, conf: null, zone: -1,
    safety: false, safetyReason: null, uncertain: null, packets: 0, bytes: 0, first: null, last: null,
    inInventory: null, behindRouter: false, hostnames: [], identity: [], evidence: [],
  };
}

function fromDoc(a: AssetDoc): PAsset {
  const id = a.id ?? a.ip ?? a.mac ?? '';
  const p = blankAsset(id, a.ip ?? null);
  p.mac = a.mac ?? null;
  p.name = a.name ?? null;
  p.vendor = a.vendor ?? null;
  p.product = a.product ?? null;
  p.roles = (a.roles ?? []).map((r) => (typeof r === 'string' ? r : r.count ? `${r.role} (${r.count})` : r.role));
  p.level = a.purdue_level ?? null;
  p.conf = a.level_confidence ?? null;
  p.safety = a.safety === true;
  p.safetyReason = a.safety_reason ?? null;
  if (a.uncertain !== undefined && a.uncertain !== null && a.uncertain !== false) p.uncertain = a.uncertain === true ? 'uncertain' : text(a.uncertain);
  p.packets = a.packets ?? 0;
  p.bytes = a.bytes ?? 0;
  p.first = secs(a.first_seen);
  p.last = secs(a.last_seen);
  p.inInventory = a.in_inventory ?? null;
  p.behindRouter = a.behind_router === true;
  p.hostnames = a.hostnames ?? [];
  p.identity = Object.entries(a.identity ?? {}).map(([k, v]) => [k, text(v)] as [string, string]);
  p.evidence = (a.evidence ?? []).map((e): PEvidence => {
    if (typeof e === 'string') return ['', e, '', ''];
    const where = [e.capture ?? '', e.frame !== null && e.frame !== undefined ? `frame ${e.frame}` : '', e.line !== null && e.line !== undefined ? `line ${e.line}` : '']
      .filter((s) => s !== '')
      .join(' ');
    return [e.about ?? '', e.text, e.source ?? '', where];
  });
  return p;
}

/** The packed activity of a flow: "hour.packets" base 36, hours from baseHour. */
function packHours(f: FlowRecord, baseHour: number): string {
  return f.hours.map((h) => `${(h.hour - baseHour).toString(36)}.${h.packets.toString(36)}`).join(',');
}

/** Packets per hour of a set of flows, packed like packHours (hours from baseHour, in order). */
function packActivity(flows: readonly FlowRecord[], which: Iterable<number>, baseHour: number, hours: number): string {
  const sum = new Float64Array(Math.max(0, hours));
  for (const i of which) {
    for (const h of flows[i]!.hours) {
      const k = h.hour - baseHour;
      if (k >= 0 && k < sum.length) sum[k]! += h.packets;
    }
  }
  const out: string[] = [];
  sum.forEach((p, k) => {
    if (p > 0) out.push(`${k.toString(36)}.${p.toString(36)}`);
  });
  return out.join(',');
}

/** Distinct UTC days of a flow's (sorted) active hours. */
export function daysActive(f: FlowRecord): number {
  let n = 0;
  let last = NaN;
  for (const h of f.hours) {
    const day = Math.floor(h.hour / 24);
    if (day !== last) n++;
    last = day;
  }
  return n;
}

function norm(s: string | null | undefined): string {
  return (s ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

function risks(r: ConduitRuleDoc): string[] {
  const out: string[] = [];
  const add = (x: unknown): void => {
    if (typeof x === 'string') out.push(x);
    else if (x && typeof x === 'object') {
      const o = x as { reason?: unknown; text?: unknown; code?: unknown };
      out.push(text(o.reason ?? o.text ?? o.code));
    }
  };
  if (r.risky === true) out.push('risky');
  else if (typeof r.risky === 'string') out.push(r.risky);
  else if (Array.isArray(r.risky)) r.risky.forEach(add);
  (r.risks ?? []).forEach(add);
  return [...new Set(out.filter((s) => s !== ''))];
}

/** The report's sections, in page order (ids as in the page's anchors). */
export const REPORT_SECTIONS = ['summary', 'zones', 'purdue', 'conduits', 'assets', 'flows', 'activity', 'completeness', 'diff', 'events', 'quality'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export interface ReportOptions {
  /** show only these sections (e.g. ['summary', 'diff'] for the page `diff --html` writes) */
  sections?: readonly ReportSection[];
}

export function reportData(model: ReportModel, opts: ReportOptions = {}): Payload {
  const ov = model.baseline.overview;
  const first = ov.firstSeen;
  const baseHour = first !== null ? Math.floor(first / 3600) : 0;
  const day0 = first !== null ? Math.floor(first / 86400) : 0;
  const days = first !== null && ov.lastSeen !== null ? Math.floor(ov.lastSeen / 86400) - day0 + 1 : 0;

  // Assets: the assets document's, then the zones document's, then any endpoint of a flow.
  const assets: PAsset[] = [];
  const byId = new Map<string, number>();
  const put = (p: PAsset): number => {
    const have = byId.get(p.id);
    if (have !== undefined) return have;
    byId.set(p.id, assets.length);
    if (p.ip) byId.set(p.ip, assets.length);
    if (p.mac && !p.ip) byId.set(p.mac, assets.length);
    assets.push(p);
    return assets.length - 1;
  };
  for (const a of model.assets?.assets ?? []) put(fromDoc(a));
  const zoneOfAsset = new Map<string, string>();
  for (const a of model.zones?.assets ?? []) {
    const i = put(fromDoc(a));
    if (a.zone) zoneOfAsset.set(assets[i]!.id, a.zone);
  }
  const ref = (ip: string): number => byId.get(ip) ?? put(blankAsset(ip, /[:.]/.test(ip) ? ip : null));
  const flowSD = model.flows.map((f) => [ref(f.src), ref(f.dst)] as const);
  for (const a of model.assets?.assets ?? []) if (a.zone) zoneOfAsset.set(a.id ?? a.ip ?? '', a.zone);

  // Zones.
  const zones: PZone[] = [];
  const zoneIdx = new Map<string, number>();
  for (const z of model.zones?.zones ?? []) {
    const levels = z.purdue_levels ?? (z.purdue_level !== null && z.purdue_level !== undefined ? [z.purdue_level] : []);
    const members: number[] = [];
    for (const id of z.assets) {
      const i = byId.get(id) ?? put(blankAsset(id, /^[0-9.:a-f]+$/i.test(id) && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(id) ? id : null));
      members.push(i);
    }
    zoneIdx.set(z.id, zones.length);
    zones.push({
      id: z.id,
      name: z.name ?? z.id,
      levels,
      slt: z.security_level_target ?? null,
      sltReason: z.security_level_reason ?? null,
      assets: members,
      rationale: z.rationale === null || z.rationale === undefined ? null : text(z.rationale),
      metrics: Object.entries(z.metrics ?? {}).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : text(v)] as [string, string]),
    });
    for (const i of members) assets[i]!.zone = zones.length - 1;
  }
  for (const [id, zid] of zoneOfAsset) {
    const i = byId.get(id);
    const zi = zoneIdx.get(zid);
    if (i !== undefined && zi !== undefined && assets[i]!.zone === -1) assets[i]!.zone = zi;
  }
  for (const u of model.zones?.uncertain ?? []) {
    const id = typeof u === 'string' ? u : u.ip ?? u.id ?? '';
    const i = byId.get(id);
    if (i !== undefined && assets[i]!.uncertain === null) assets[i]!.uncertain = typeof u === 'string' ? 'uncertain' : text(u);
  }

  // Flows.
  const flowHours = model.flows.reduce((n, f) => n + f.hours.length, 0) <= FLOW_HOURS_BUDGET;
  const flows: PFlow[] = model.flows.map((f, i): PFlow => {
    const ops: Record<string, number> = {};
    // Carriers (SendRRData, Unconnected Send, OPC UA chunks ...) are no operation: the service they carry is (flows@2).
    for (const fn of f.functions) if (fn.requests > 0 && fn.opClass !== CARRIER_CLASS) ops[fn.opClass] = (ops[fn.opClass] ?? 0) + fn.requests;
    return {
      s: flowSD[i]![0], d: flowSD[i]![1], t: f.transport, p: f.port, pr: f.protocol,
      pk: f.packetsToResponder + f.packetsToInitiator, b: f.bytesToResponder + f.bytesToInitiator, c: f.connections,
      f: f.firstSeen, l: f.lastSeen, days: daysActive(f), ops,
      fn: f.functions.map((x) => [x.space, x.code, x.name, x.opClass, x.requests, x.responses, x.exceptions]),
      h: flowHours ? packHours(f, baseHour) : '', br: -1,
    };
  });
  const flowKey = (s: string, d: string, t: string, p: number, pr: string): string => `${s}|${d}|${t}|${p}|${norm(pr)}`;
  const flowByKey = new Map<string, number>();
  const flowsByPair = new Map<string, number[]>();
  model.flows.forEach((f, i) => {
    flowByKey.set(flowKey(f.src, f.dst, f.transport, f.port, f.protocol), i);
    const k = `${f.src}|${f.dst}|${f.transport}|${f.port}`;
    flowsByPair.set(k, [...(flowsByPair.get(k) ?? []), i]);
  });

  // Conduits and their rules, each with the observed flows it carries.
  const flowsByZonePair = new Map<string, number[]>();
  flows.forEach((f, i) => {
    const zs = assets[f.s]!.zone;
    const zd = assets[f.d]!.zone;
    if (zs < 0 || zd < 0 || zs === zd) return;
    const k = `${zs}>${zd}`;
    flowsByZonePair.set(k, [...(flowsByZonePair.get(k) ?? []), i]);
  });
  const conduits: PConduit[] = (model.zones?.conduits ?? []).map((c): PConduit => {
    const rules = (c.flows ?? []).map((r): PRule => {
      const iz = zoneIdx.get(r.initiator_zone) ?? -1;
      const rz = zoneIdx.get(r.responder_zone) ?? -1;
      const carried = (flowsByZonePair.get(`${iz}>${rz}`) ?? []).filter((i) => {
        const f = flows[i]!;
        return (r.transport ? f.t === r.transport : true) && (r.port !== null && r.port !== undefined ? f.p === r.port : true) && (r.protocol ? norm(f.pr) === norm(r.protocol) : true);
      });
      let pairs: Array<[number, number]>;
      if (r.host_pairs) pairs = r.host_pairs.map((hp) => (Array.isArray(hp) ? [ref(hp[0]), ref(hp[1])] : [ref(hp.src), ref(hp.dst)]));
      else {
        const seen = new Set<string>();
        pairs = [];
        for (const i of carried) {
          const k = `${flows[i]!.s},${flows[i]!.d}`;
          if (!seen.has(k)) {
            seen.add(k);
            pairs.push([flows[i]!.s, flows[i]!.d]);
          }
        }
      }
      return {
        iz, rz, transport: r.transport ?? '', port: r.port ?? null, protocol: r.protocol ?? '',
        ops: (r.operations ?? []).filter((o) => o !== CARRIER_CLASS), fcs: (r.function_codes ?? []).map(String), packets: r.packets ?? 0, bytes: r.bytes ?? 0,
        first: secs(r.first_seen), last: secs(r.last_seen), days: r.days_seen ?? null, pairs, risks: risks(r), flows: carried,
      };
    });
    return { id: c.id, a: zoneIdx.get(c.connects[0] ?? '') ?? -1, b: zoneIdx.get(c.connects[1] ?? '') ?? -1, rules };
  });

  const diff = model.diff ? diffData(model, ref, flowByKey, flowsByPair, flows, flowKey) : null;
  const events: PEvent[] | null = model.events
    ? model.events.events.map((e) => ({
        time: e.time, src: e.src, dst: e.dst, protocol: e.protocol ?? '', kind: e.kind, code: text(e.code), name: e.name ?? '',
        first: e.first === true, count: e.count ?? 1, capture: e.capture ?? '', frame: e.frame ?? null,
      }))
    : null;

  const rules = conduits.reduce((n, c) => n + c.rules.length, 0);
  const riskyRules = conduits.reduce((n, c) => n + c.rules.filter((r) => r.risks.length > 0).length, 0);
  const quality = qualityData(model);
  const sev = (s: string): number => model.baseline.diagnosticCounts.filter((c) => c.severity === s).reduce((n, c) => n + c.count, 0);
  return {
    v: 1,
    title: model.title,
    sections: opts.sections ? REPORT_SECTIONS.filter((x) => opts.sections!.includes(x)) : null,
    has: { assets: model.assets !== undefined, zones: model.zones !== undefined, diff: diff !== null, events: events !== null },
    summary: {
      first, last: ov.lastSeen, captures: ov.captures, frames: ov.frames, ipPackets: ov.ipPackets, bytes: ov.bytes,
      assets: assets.length, flows: flows.length, zones: zones.length, conduits: conduits.length, rules, riskyRules,
      breaking: diff ? diff.breaking.length : null, errors: sev('error'), warnings: sev('warning'),
      unseen: (model.assets?.unseen ?? []).map((u) => [u.name, u.id ? `(${u.id})` : '', u.ip ?? ''].filter(Boolean).join(' ')),
      uninventoried: model.assets?.uninventoried?.length ?? 0,
      uncertain: assets.filter((a) => a.uncertain !== null).length,
    },
    baseHour, day0, days, flowHours,
    activity: {
      all: packActivity(model.flows, model.flows.keys(), baseHour, (days + 1) * 24),
      conduits: conduits.map((c) => packActivity(model.flows, new Set(c.rules.flatMap((r) => r.flows)), baseHour, (days + 1) * 24)),
    },
    assets, zones, conduits, flows,
    completeness: baselineCompleteness(model.flows, flowSD, day0, days),
    diff, events, quality,
  };
}

function diffData(
  model: ReportModel,
  ref: (ip: string) => number,
  flowByKey: Map<string, number>,
  flowsByPair: Map<string, number[]>,
  flows: PFlow[],
  flowKey: (s: string, d: string, t: string, p: number, pr: string) => string,
): PDiff {
  const d = model.diff!;
  const breaking: PBreaking[] = d.breaking.map((b, i): PBreaking => {
    const t = b.transport ?? '';
    const p = b.port ?? 0;
    const exact = flowByKey.get(flowKey(b.src, b.dst, t, p, b.protocol ?? ''));
    const loose = flowsByPair.get(`${b.src}|${b.dst}|${t}|${p}`);
    const flow = exact ?? (loose && loose.length === 1 ? loose[0]! : -1);
    if (flow >= 0 && flows[flow]!.br < 0) flows[flow]!.br = i;
    return {
      s: ref(b.src), d: ref(b.dst), src: b.src, dst: b.dst, t, p: b.port ?? null, pr: b.protocol ?? '', sz: b.src_zone ?? null, dz: b.dst_zone ?? null,
      reason: b.reason, detail: b.detail ?? '', ops: b.operations ?? [], packets: b.packets ?? null,
      first: secs(b.first_seen), last: secs(b.last_seen), days: b.days_seen ?? null, flow,
    };
  });
  const where = (x: { file?: string | null; line?: number | null; column?: number | null }): string =>
    [x.file ?? '', x.line !== null && x.line !== undefined ? `${x.line}${x.column ? `:${x.column}` : ''}` : ''].filter(Boolean).join(':');
  return {
    design: model.designName ?? null,
    summary: Object.entries(d.summary ?? {}).map(([k, v]) => [k.replace(/_/g, ' '), text(v)] as [string, string]),
    breaking,
    unused: (d.unused_rules ?? []).map((u) => ({ conduit: u.conduit ?? '', protocol: u.protocol ?? '', port: text(u.port), direction: u.direction ?? '' })),
    unzoned: (d.unzoned_assets ?? []).map((u) => ({ ip: u.ip, flows: u.flows ?? null })),
    findings: (d.findings ?? []).map((f) => ({ code: f.code ?? '', severity: f.severity ?? '', message: f.message ?? f.text ?? '', where: where(f) })),
    warnings: (d.warnings ?? []).map((w) => ({ code: w.code ?? '', message: w.message ?? '', where: where(w) })),
  };
}

function qualityData(model: ReportModel): PQuality {
  const b = model.baseline;
  return {
    counts: b.diagnosticCounts.map((c) => ({ code: c.code, severity: c.severity, count: c.count })),
    diagnostics: b.diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) => ({
      capture: d.capture, severity: d.severity, code: d.code, frame: d.frame, offset: d.offset, protocol: d.protocol ?? '', message: d.message,
    })),
    diagnosticsTotal: b.diagnostics.length,
    captures: b.captures.map((c) => ({
      path: c.path, format: `${c.format}${c.compression && c.compression !== 'none' ? `+${c.compression}` : ''}`, frames: c.frames, bytes: c.bytes,
      first: c.firstSeen, last: c.lastSeen, errors: c.errors, warnings: c.warnings,
      // The tunnels its frames arrived through (how the sensor was fed), e.g. `erspan-ii 192.0.2.1 -> 192.0.2.2 session 7 (1,234 frames)`.
      points: (b.capturePoints ?? []).filter((p) => p.captureId === c.id).map((p) => `${capturePointText(p)} (${p.frames.toLocaleString('en-US')} frames)`),
    })),
    protocols: b.protocolStats.map((p) => ({
      protocol: p.protocol, connections: p.connections, pdus: p.pdus, malformed: p.malformed, unparsed: p.unparsedBytes, gap: p.gapBytes, retransmitted: p.retransmittedBytes,
    })),
    scans: b.scans.map((s) => ({ kind: s.kind, host: s.host, transport: s.transport, attempts: s.attempts, peers: s.peers, ports: s.ports, first: s.firstSeen, last: s.lastSeen })),
    inventory: (model.assets?.diagnostics ?? []).map((d) => ({
      code: d.code, severity: d.severity ?? '', where: [d.file ?? '', d.line ?? '', d.column ?? ''].filter((x) => x !== '').join(':'), message: d.message ?? '',
    })),
  };
}
