/**
 * The report model: what one HTML report shows, made of the documents the stages write
 * (docs/INTERFACES.md: `zonescope/assets@1`, `zonescope/zones@1`, `zonescope/diff@1`,
 * `zonescope/events@1`) plus the baseline itself read through BaselineReader (overview, captures,
 * diagnostics, per-protocol coverage, flows with their hours). Every part is optional except the
 * baseline: a report without a design has no diff section, without zones no zone graph, and says so.
 *
 * The document shapes are parsed loosely (zod `looseObject`): fields a later schema version adds are
 * kept and ignored, fields the report reads are checked, so a bad document is a clear error and a
 * newer one still renders.
 */
import { z } from 'zod';
import type {
  BaselineOverview,
  CapturePointRecord, CaptureRecordRow,
  DiagnosticCountRecord,
  DiagnosticRecord,
  FlowRecord,
  ProtocolStatRecord,
  ScanRecord,
} from '../../baseline/reader.js';

const str = z.string();
const optStr = z.string().nullable().optional();
const optNum = z.number().nullable().optional();
const level = z.number().nullable().optional();

const evidenceSchema = z.union([
  z.string(),
  z.looseObject({
    about: optStr,
    text: z.string(),
    source: optStr,
    capture: optStr,
    frame: optNum,
    line: optNum,
    first_seen: optStr,
    last_seen: optStr,
  }),
]);

const roleSchema = z.union([z.string(), z.looseObject({ role: str, count: optNum })]);

export const assetSchema = z.looseObject({
  id: optStr,
  ip: optStr,
  mac: optStr,
  behind_router: z.boolean().nullable().optional(),
  name: optStr,
  hostnames: z.array(str).optional(),
  inventory_id: optStr,
  vendor: optStr,
  product: optStr,
  identity: z.record(str, z.unknown()).optional(),
  roles: z.array(roleSchema).optional(),
  purdue_level: level,
  level_confidence: optNum,
  safety: z.boolean().nullable().optional(),
  safety_reason: optStr,
  uncertain: z.union([z.boolean(), z.number(), z.looseObject({})]).nullable().optional(),
  packets: optNum,
  bytes: optNum,
  first_seen: optStr,
  last_seen: optStr,
  in_inventory: z.boolean().nullable().optional(),
  evidence: z.array(evidenceSchema).optional(),
  zone: optStr,
});

export const assetsDocSchema = z.looseObject({
  schema: z.string().regex(/^zonescope\/assets@\d+$/),
  assets: z.array(assetSchema),
  unseen: z.array(z.looseObject({ line: optNum, name: optStr, id: optStr, ip: optStr })).optional(),
  uninventoried: z.array(str).optional(),
  diagnostics: z.array(z.looseObject({ code: str, severity: optStr, file: optStr, line: optNum, column: optNum, message: optStr })).optional(),
});

const riskSchema = z.union([z.string(), z.looseObject({ reason: optStr, code: optStr, text: optStr })]);

/** What a conduit rule and a breaking flow both say of the traffic they stand for. */
const trafficFields = {
  transport: optStr,
  port: optNum,
  protocol: optStr,
  operations: z.array(str).optional(),
  function_codes: z.array(z.union([z.number(), z.string()])).optional(),
  packets: optNum,
  bytes: optNum,
  first_seen: optStr,
  last_seen: optStr,
  days_seen: optNum,
};

export const conduitRuleSchema = z.looseObject({
  initiator_zone: str,
  responder_zone: str,
  ...trafficFields,
  hosts: z.union([z.number(), z.array(z.unknown())]).nullable().optional(),
  host_pairs: z.array(z.union([z.tuple([str, str]), z.looseObject({ src: str, dst: str })])).optional(),
  risky: z.union([z.boolean(), z.array(riskSchema), z.string()]).nullable().optional(),
  risks: z.array(riskSchema).optional(),
});

export const zonesDocSchema = z.looseObject({
  schema: z.string().regex(/^zonescope\/zones@\d+$/),
  assets: z.array(assetSchema).optional(),
  zones: z.array(
    z.looseObject({
      id: str,
      name: optStr,
      purdue_level: level,
      purdue_levels: z.array(z.number()).optional(),
      security_level_target: optStr,
      security_level_reason: optStr,
      assets: z.array(str),
      rationale: z.union([z.string(), z.looseObject({})]).nullable().optional(),
      metrics: z.record(str, z.unknown()).optional(),
    }),
  ),
  conduits: z.array(z.looseObject({ id: str, connects: z.array(str), flows: z.array(conduitRuleSchema).optional() })),
  uncertain: z.array(z.union([z.string(), z.looseObject({ ip: optStr, id: optStr })])).optional(),
  adjustments: z.array(z.unknown()).optional(),
  quality: z.record(str, z.unknown()).optional(),
});

export const diffDocSchema = z.looseObject({
  schema: z.string().regex(/^zonescope\/diff@\d+$/),
  summary: z.record(str, z.unknown()).optional(),
  breaking: z.array(
    z.looseObject({
      src: str,
      dst: str,
      ...trafficFields,
      src_zone: optStr,
      dst_zone: optStr,
      reason: str,
      detail: optStr,
      hours_seen: optNum,
    }),
  ),
  unzoned_assets: z.array(z.looseObject({ ip: str, flows: optNum })).optional(),
  unused_rules: z.array(z.looseObject({ conduit: optStr, protocol: optStr, port: z.union([z.number(), z.string()]).nullable().optional(), direction: optStr })).optional(),
  findings: z.array(z.looseObject({ code: optStr, severity: optStr, message: optStr, text: optStr, line: optNum, column: optNum })).optional(),
  warnings: z.array(z.looseObject({ code: optStr, message: optStr, line: optNum, column: optNum, file: optStr })).optional(),
});

export const eventsDocSchema = z.looseObject({
  schema: z.string().regex(/^zonescope\/events@\d+$/),
  events: z.array(
    z.looseObject({
      time: str,
      src: str,
      dst: str,
      protocol: optStr,
      kind: str,
      code: z.union([z.number(), z.string()]).nullable().optional(),
      name: optStr,
      first: z.boolean().nullable().optional(),
      count: optNum,
      capture: optStr,
      frame: optNum,
    }),
  ),
});

export type AssetsDoc = z.infer<typeof assetsDocSchema>;
export type AssetDoc = z.infer<typeof assetSchema>;
export type ZonesDoc = z.infer<typeof zonesDocSchema>;
export type ConduitRuleDoc = z.infer<typeof conduitRuleSchema>;
export type DiffDoc = z.infer<typeof diffDocSchema>;
export type EventsDoc = z.infer<typeof eventsDocSchema>;

/** What the baseline says about itself (every field read through BaselineReader). */
export interface BaselinePart {
  overview: BaselineOverview;
  captures: CaptureRecordRow[];
  /** the tunnels each capture's frames arrived through (BaselineReader.capturePoints()); absent: none read */
  capturePoints?: CapturePointRecord[];
  diagnostics: DiagnosticRecord[];
  diagnosticCounts: DiagnosticCountRecord[];
  protocolStats: ProtocolStatRecord[];
  scans: ScanRecord[];
}

export interface ReportModel {
  /** shown in the title bar; e.g. the store's or the plant's name */
  title: string;
  baseline: BaselinePart;
  /** the observed flows with hours and functions (BaselineReader.flows()) */
  flows: FlowRecord[];
  assets?: AssetsDoc;
  zones?: ZonesDoc;
  diff?: DiffDoc;
  events?: EventsDoc;
  /** the design file the diff was made against, as the user named it */
  designName?: string;
}

/** A report part that failed to parse: which one, and where in it. */
export class ReportModelError extends Error {
  override name = 'ReportModelError';
}

/** Check a document a stage wrote (parsed JSON) against the shape the report reads; throws ReportModelError naming the part and the path. */
export function parseReportPart<T>(schema: z.ZodType<T>, doc: unknown, part: string): T {
  const r = schema.safeParse(doc);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  throw new ReportModelError(`${part}: ${path || '(document)'}: ${issue.message}`);
}
