/** The flows document (`zonescope/flows@2`) built from the baseline reader (src/baseline/reader.ts), the one read path of the CLI. */
import type { BaselineReader, CapturePointRecord, EventRecord, FlowRecord, ScanRecord } from '../baseline/reader.js';
import { SCHEMA_VERSION } from '../baseline/schema.js';
import { defaultDissectors } from '../dissectors/index.js';
import { createRegistry } from '../dissectors/registry.js';
import { flowsDocument, type FlowsMeta } from '../report/flowsDocument.js';
import { zonescopeVersion } from './version.js';

export function readFlowsDocument(
  reader: BaselineReader,
  flows: FlowRecord[] = reader.flows(),
  scans: ScanRecord[] = reader.scans(),
  events: EventRecord[] = reader.events(),
  capturePoints: CapturePointRecord[] = reader.capturePoints(),
): Record<string, unknown> {
  const registry = createRegistry(defaultDissectors);
  return flowsDocument(flows, { mainSpace: (p) => registry.byId(p)?.spaces[0], meta: flowsMeta(reader), scans, events, capturePoints });
}

/** The `meta` block of a flows document read from this store (the whole store: its captures and their time span). */
export function flowsMeta(reader: BaselineReader): FlowsMeta {
  const o = reader.overview();
  return { version: zonescopeVersion(), storeSchemaVersion: SCHEMA_VERSION, captures: o.captures, firstSeen: o.firstSeen, lastSeen: o.lastSeen };
}
