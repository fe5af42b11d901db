/** zonescope library API: re-exports only. */
export type { CaptureRecord } from './ingest/record.js';
export { newCaptureRecord, LINKTYPE } from './ingest/record.js';
export { readCaptureFile, readCaptureStream, peekCapture } from './ingest/readCapture.js';
export { expandInputs } from './ingest/inputs.js';
export { fingerprintFile } from './ingest/fingerprint.js';
export { DecodedPacket, DECODE } from './decode/packet.js';
export { decodePacket } from './decode/decodePacket.js';
export { ipToString, macToString } from './decode/format.js';
export type { Dissector, PduSink, OpClass, FunctionClass, FunctionInfo } from './dissectors/types.js';
export { createRegistry } from './dissectors/registry.js';
export type { Registry } from './dissectors/registry.js';
export { defaultDissectors } from './dissectors/index.js';
export { AppSession } from './dissectors/session.js';
export { FlowAggregator } from './flows/flowAggregator.js';
export type { FlowBatch, FlowDelta } from './flows/flowAggregator.js';
export { mergeCounters, mergeFlowDelta } from './flows/flowDelta.js';
export { Baseline, BaselineError } from './baseline/baseline.js';
export type { FlowRow, CaptureRow } from './baseline/baseline.js';
export { BaselineReader } from './baseline/reader.js';
export type {
  BaselineOverview, CaptureRecordRow, DiagnosticCountRecord, DiagnosticRecord, FlowFunction, FlowObject, FlowRange, FlowRecord,
  HourActivity, IdentityRecord, L2FrameRecord, MacRecord, ProtocolStatRecord, ReadFilter, ScanRecord,
} from './baseline/reader.js';
export { SCHEMA_VERSION } from './baseline/schema.js';
export { ingestCaptures, ingestSources } from './pipeline/ingestCaptures.js';
export type { IngestResult, IngestFileResult, IngestOptions, IngestProgress } from './pipeline/ingestCaptures.js';
export { fileSource } from './pipeline/fileSource.js';
export type { CaptureSource, CaptureUnit, SourcePlan, PipelineStore, SourceStore } from './pipeline/source.js';
export { FLOWS_SCHEMA, flowsDocument, operationTotals } from './report/flowsDocument.js';
export { canonicalJson, isoTime } from './report/json.js';
export { DiagnosticLog, formatDiagnostic } from './diagnostics.js';
export type { Diagnostic, Severity } from './diagnostics.js';
