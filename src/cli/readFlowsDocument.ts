/** The flows document (`zonescope/flows@2`) built from the baseline reader (src/baseline/reader.ts), the one read path of the CLI. */
import type { BaselineReader, CapturePointRecord, EventRecord, FlowRecord, ScanRecord } from '../baseline/reader.js';
import { defaultDissectors } from '../dissectors/index.js';
import { createRegistry } from '../dissectors/registry.js';
import { flowsDocument } from '../report/flowsDocument.js';

export function readFlowsDocument(
  reader: BaselineReader,
  flows: FlowRecord[] = reader.flows(),
  scans: ScanRecord[] = reader.scans(),
  events: EventRecord[] = reader.events(),
  capturePoints: CapturePointRecord[] = reader.capturePoints(),
): Record<string, unknown> {
  const registry = createRegistry(defaultDissectors);
  return flowsDocument(flows, { mainSpace: (p) => registry.byId(p)?.spaces[0], scans, events, capturePoints });
}
