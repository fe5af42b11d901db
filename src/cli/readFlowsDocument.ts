/**
 * The flows document (`zonescope/flows@1`) built from the baseline reader (src/baseline/reader.ts),
 * the one read path of the CLI. flowsDocument() still takes the store's snake_case rows, so the
 * reader's records are mapped back here; drop the mapping once flowsDocument takes FlowRecords.
 */
import type { FlowRow, ScanRow } from '../baseline/baseline.js';
import type { BaselineReader, FlowRecord, ScanRecord } from '../baseline/reader.js';
import { defaultDissectors } from '../dissectors/index.js';
import { createRegistry } from '../dissectors/registry.js';
import { flowsDocument } from '../report/flowsDocument.js';

export function readFlowsDocument(reader: BaselineReader, flows: FlowRecord[] = reader.flows(), scans: ScanRecord[] = reader.scans()): Record<string, unknown> {
  const registry = createRegistry(defaultDissectors);
  return flowsDocument(flows.map(toFlowRow), { mainSpace: (p) => registry.byId(p)?.spaces[0], scans: scans.map(toScanRow) });
}

function toFlowRow(f: FlowRecord): FlowRow {
  return {
    id: f.id, src: f.src, dst: f.dst, transport: f.transport, port: f.port, protocol: f.protocol,
    packets_to_responder: f.packetsToResponder, packets_to_initiator: f.packetsToInitiator,
    bytes_to_responder: f.bytesToResponder, bytes_to_initiator: f.bytesToInitiator,
    connections: f.connections, first_seen: f.firstSeen, last_seen: f.lastSeen,
    evidence: f.evidence, hours: f.hours,
    functions: f.functions.map((fn) => ({
      space: fn.space, code: fn.code, variant: fn.variant, name: fn.name, op_class: fn.opClass,
      requests: fn.requests, responses: fn.responses, exceptions: fn.exceptions,
    })),
    ranges: f.ranges, objects: f.objects, attributes: f.attributes,
  };
}

function toScanRow(s: ScanRecord): ScanRow {
  return {
    kind: s.kind, host: s.host, transport: s.transport, attempts: s.attempts, packets: s.packets, bytes: s.bytes,
    peers: s.peers, ports: s.ports, first_seen: s.firstSeen, last_seen: s.lastSeen,
  };
}
