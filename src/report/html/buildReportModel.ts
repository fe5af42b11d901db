/**
 * Assemble a ReportModel from the baseline (through BaselineReader, the only way to read it) and the
 * documents the later stages produced. Each part is checked against the shape the report reads
 * (model.ts); a part that is absent leaves its section out, and the page says why.
 */
import type { BaselineReader } from '../../baseline/reader.js';
import {
  assetsDocSchema,
  diffDocSchema,
  eventsDocSchema,
  parseReportPart,
  zonesDocSchema,
  type ReportModel,
} from './model.js';

export interface ReportParts {
  title?: string;
  /** zonescope/assets@1 (parsed JSON or the stage's object) */
  assets?: unknown;
  /** zonescope/zones@1 */
  zones?: unknown;
  /** zonescope/diff@1 */
  diff?: unknown;
  /** zonescope/events@1 */
  events?: unknown;
  /** the design file's name, shown above the diff */
  designName?: string;
}

export function buildReportModel(reader: BaselineReader, parts: ReportParts = {}): ReportModel {
  const model: ReportModel = {
    title: parts.title ?? reader.path.replace(/^.*[\\/]/, ''),
    baseline: reader.snapshot(() => ({
      overview: reader.overview(),
      captures: reader.captures(),
      capturePoints: reader.capturePoints(),
      diagnostics: reader.diagnostics(),
      diagnosticCounts: reader.diagnosticCounts(),
      protocolStats: reader.protocolStats(),
      scans: reader.scans(),
    })),
    flows: reader.flows(),
  };
  if (parts.assets !== undefined) model.assets = parseReportPart(assetsDocSchema, parts.assets, 'assets');
  if (parts.zones !== undefined) model.zones = parseReportPart(zonesDocSchema, parts.zones, 'zones');
  if (parts.diff !== undefined) model.diff = parseReportPart(diffDocSchema, parts.diff, 'diff');
  if (parts.events !== undefined) model.events = parseReportPart(eventsDocSchema, parts.events, 'events');
  if (parts.designName !== undefined) model.designName = parts.designName;
  return model;
}
