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
export type { FlowBatch, FlowDelta, EventDelta, EventKind } from './flows/flowAggregator.js';
export { mergeCounters, mergeFlowDelta } from './flows/flowDelta.js';
export { Baseline, BaselineError } from './baseline/baseline.js';
export type { CaptureRow } from './baseline/baseline.js';
export { BaselineReader } from './baseline/reader.js';
export type {
  BaselineOverview, CapturePointRecord, CaptureRecordRow, DiagnosticCountRecord, DiagnosticRecord, EventRecord, FlowFunction, FlowObject, FlowRange, FlowRecord,
  HourActivity, IdentityRecord, L2FrameRecord, MacRecord, ProtocolStatRecord, ReadFilter, ScanRecord,
} from './baseline/reader.js';
export { SCHEMA_VERSION } from './baseline/schema.js';
export { ingestCaptures, ingestSources } from './pipeline/ingestCaptures.js';
export type { IngestResult, IngestFileResult, IngestOptions, IngestProgress } from './pipeline/ingestCaptures.js';
export { fileSource } from './pipeline/fileSource.js';
export type { CaptureSource, CaptureUnit, SourcePlan, PipelineStore, SourceStore } from './pipeline/source.js';
export { FLOWS_SCHEMA, flowsDocument, operationTotals } from './report/flowsDocument.js';
export { EVENTS_SCHEMA, eventsDocument } from './report/eventsDocument.js';
export { canonicalJson, isoTime } from './report/json.js';
export { DiagnosticLog, formatDiagnostic } from './diagnostics.js';
export { buildAssets, assetsFrom } from './assets/buildAssets.js';
export type { AssetInputs, BuildAssetsOptions } from './assets/buildAssets.js';
export { assetsDocument, assetsCsv, writeAssetsJson } from './report/assetsDocument.js';
export { loadDesign, loadDesignText, parsePurdueLevel } from './design/loadDesign.js';
export type { LoadDesignOptions } from './design/loadDesign.js';
export { diffDesign, DEFAULT_MAX_ZONE_SIZE } from './design/diffDesign.js';
export type { DiffOptions } from './design/diffDesign.js';
export { evaluateFlow, ConduitIndex, mainSpace } from './design/evaluateFlow.js';
export { ZoneIndex } from './design/zoneIndex.js';
export { DESIGN_CODES } from './design/designCodes.js';
export type { DesignCode, DesignCodeInfo } from './design/designCodes.js';
export { matchProtocolName, normalizeProtocol } from './design/protocolNames.js';
export { parseTimeOption } from './design/timeWindow.js';
export { BREAK_REASONS, OPERATION_CLASSES } from './design/types.js';
export type {
  Design, DesignZone, DesignConduit, DesignRule, AssetEntry, AssetTarget, LoadedDesign, DiffResult, FlowVerdict,
  BreakReason, Verdict, UnzonedAsset, UnusedRule, DiffSummary, SourcePos, OperationClass,
} from './design/types.js';
export { diffDocument, breakingInOrder } from './report/diffDocument.js';
export { implementationReport } from './report/implementationReport.js';
export { buildCommunicationGraph, DEFAULT_WEIGHTING, pairKey } from './graph/buildGraph.js';
export type { CommunicationGraph, GraphWeighting, PairStats } from './graph/buildGraph.js';
export { proposeZones, DEFAULT_PROPOSE_OPTIONS, DEFAULT_SEED } from './zones/proposeZones.js';
export type { Proposal, ProposeOptions, Zone, ZoneKind, Conduit, ConduitRule, RiskFlag, Adjustment, AssetPlacement, ProposalQuality } from './zones/types.js';
export { zonesDocument } from './report/zonesDocument.js';
export { zonesYaml } from './report/zonesYaml.js';
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostics.js';
export { DIAGNOSTIC_CATALOGUE, diagnosticInfo, isDiagnosticCode, type DiagnosticInfo } from './diagnosticCatalogue.js';
export { renderReport, renderPayload } from './report/html/renderReport.js';
export { buildReportModel } from './report/html/buildReportModel.js';
export type { ReportParts } from './report/html/buildReportModel.js';
export { reportData, REPORT_SECTIONS } from './report/html/reportData.js';
export type { ReportOptions, ReportSection } from './report/html/reportData.js';
export { ReportModelError, parseReportPart } from './report/html/model.js';
export type { ReportModel, AssetsDoc, ZonesDoc, DiffDoc, EventsDoc } from './report/html/model.js';
