/**
 * The data block of the HTML report: the report model reduced to what the page shows, with assets,
 * zones and flows cross-referenced by index so that 5 000 assets and 50 000 flows stay small. Built by
 * reportData.ts, read by the page script (client/). Times are unix seconds (UTC); the page formats them.
 * Every string in it may come from packets, an inventory or a design: the page only ever sets it as text.
 */

/** [about, text, source, where] */
export type PEvidence = [string, string, string, string];

export interface PAsset {
  id: string;
  ip: string | null;
  mac: string | null;
  name: string | null;
  vendor: string | null;
  product: string | null;
  roles: string[];
  level: number | null;
  conf: number | null;
  /** zone index, -1 for none */
  zone: number;
  safety: boolean;
  safetyReason: string | null;
  /** why the zoning is unsure of it, null when it is not */
  uncertain: string | null;
  packets: number;
  bytes: number;
  first: number | null;
  last: number | null;
  inInventory: boolean | null;
  behindRouter: boolean;
  hostnames: string[];
  identity: Array<[string, string]>;
  evidence: PEvidence[];
}

export interface PZone {
  id: string;
  name: string;
  levels: number[];
  slt: string | null;
  sltReason: string | null;
  assets: number[];
  rationale: string | null;
  metrics: Array<[string, string]>;
}

export interface PRule {
  /** initiator / responder zone indices */
  iz: number;
  rz: number;
  transport: string;
  port: number | null;
  protocol: string;
  ops: string[];
  fcs: string[];
  packets: number;
  bytes: number;
  first: number | null;
  last: number | null;
  days: number | null;
  /** [initiator asset, responder asset] */
  pairs: Array<[number, number]>;
  risks: string[];
  /** indices of the observed flows this rule carries */
  flows: number[];
}

export interface PConduit {
  id: string;
  a: number;
  b: number;
  rules: PRule[];
}

/** [space, code, name, class, requests, responses, exceptions] */
export type PFunction = [string, number, string, string, number, number, number];

export interface PFlow {
  s: number;
  d: number;
  t: string;
  p: number;
  pr: string;
  pk: number;
  b: number;
  c: number;
  f: number;
  l: number;
  days: number;
  /** operation class -> requests */
  ops: Record<string, number>;
  fn: PFunction[];
  /** active hours: "hour.packets" in base 36, hours from Payload.baseHour, comma separated ('' when Payload.flowHours is false) */
  h: string;
  /** index into Payload.diff.breaking, -1 when the flow does not break (or there is no diff) */
  br: number;
}

export interface PBreaking {
  s: number;
  d: number;
  src: string;
  dst: string;
  t: string;
  p: number | null;
  pr: string;
  sz: string | null;
  dz: string | null;
  reason: string;
  detail: string;
  ops: string[];
  packets: number | null;
  first: number | null;
  last: number | null;
  days: number | null;
  /** the observed flow, -1 when not found in the baseline */
  flow: number;
}

export interface PDiff {
  design: string | null;
  summary: Array<[string, string]>;
  breaking: PBreaking[];
  unused: Array<{ conduit: string; protocol: string; port: string; direction: string }>;
  unzoned: Array<{ ip: string; flows: number | null }>;
  findings: Array<{ code: string; severity: string; message: string; where: string }>;
  warnings: Array<{ code: string; message: string; where: string }>;
}

export interface PEvent {
  time: string;
  src: string;
  dst: string;
  protocol: string;
  kind: string;
  code: string;
  name: string;
  first: boolean;
  count: number;
  capture: string;
  frame: number | null;
}

export interface PCompleteness {
  /** one entry per day of the period, day 0 = Payload.day0 */
  newAssets: number[];
  newEdges: number[];
  newFlows: number[];
  daysSinceLastNewEdge: number | null;
  /** flows active on one day only */
  oneDayFlows: number[];
}

export interface PQuality {
  counts: Array<{ code: string; severity: string; count: number }>;
  diagnostics: Array<{ capture: string; severity: string; code: string; frame: number | null; offset: number | null; protocol: string; message: string }>;
  diagnosticsTotal: number;
  captures: Array<{ path: string; format: string; frames: number; bytes: number; first: number | null; last: number | null; errors: number; warnings: number; points: string[] }>;
  protocols: Array<{ protocol: string; connections: number; pdus: number; malformed: number; unparsed: number; gap: number; retransmitted: number }>;
  scans: Array<{ kind: string; host: string; transport: string; attempts: number; peers: number; ports: number; first: number; last: number }>;
  inventory: Array<{ code: string; severity: string; where: string; message: string }>;
}

export interface Payload {
  v: 1;
  title: string;
  /** the section ids to show (e.g. ['summary', 'diff'] for `diff --html`); null for all */
  sections: string[] | null;
  has: { assets: boolean; zones: boolean; diff: boolean; events: boolean };
  summary: {
    first: number | null;
    last: number | null;
    captures: number;
    frames: number;
    ipPackets: number;
    bytes: number;
    assets: number;
    flows: number;
    zones: number;
    conduits: number;
    rules: number;
    riskyRules: number;
    breaking: number | null;
    errors: number;
    warnings: number;
    unseen: string[];
    uninventoried: number;
    uncertain: number;
  };
  /** floor(first seen / 3600) of the baseline: the origin of PFlow.h */
  baseHour: number;
  /** floor(first seen / 86400) of the baseline, and the number of days in the period */
  day0: number;
  days: number;
  /** false when the plant has too many flow-hours to keep each flow's own (then only conduits and the whole plant have a heatmap) */
  flowHours: boolean;
  /** packets per hour of the period ("hour.packets" base 36 from day0 * 24): of every flow, and of each conduit's flows */
  activity: { all: string; conduits: string[] };
  assets: PAsset[];
  zones: PZone[];
  conduits: PConduit[];
  flows: PFlow[];
  completeness: PCompleteness;
  diff: PDiff | null;
  events: PEvent[] | null;
  quality: PQuality;
}

/** PFlow as it travels in the page (an array: 50 000 flows, half the bytes of objects). */
export type PFlowRow = [number, number, string, number, string, number, number, number, number, number, number, Record<string, number>, PFunction[], string, number];

/** The payload as written into the page: flows as rows. */
export type WirePayload = Omit<Payload, 'flows'> & { flows: PFlowRow[] };

export function toWire(p: Payload): WirePayload {
  return { ...p, flows: p.flows.map((f): PFlowRow => [f.s, f.d, f.t, f.p, f.pr, f.pk, f.b, f.c, f.f, f.l, f.days, f.ops, f.fn, f.h, f.br]) };
}

export function fromWire(w: WirePayload): Payload {
  return {
    ...w,
    flows: w.flows.map(([s, d, t, p, pr, pk, b, c, f, l, days, ops, fn, h, br]): PFlow => ({ s, d, t, p, pr, pk, b, c, f, l, days, ops, fn, h, br })),
  };
}
