/**
 * ingestCaptures(): capture files -> baseline, the library side of `zonescope ingest`.
 *
 * Inputs (files, directories, globs) are expanded, fingerprinted (a file already in the baseline is
 * skipped whatever its name; one that grew since is resumed after the last record ingested), ordered
 * by first timestamp, and read one by one through ONE flow aggregator (so a TCP connection that spans
 * rotated files stays one connection). Each file's deltas are committed in one transaction with the
 * file's row. Bad records become diagnostics; every good record is kept.
 */
import { DiagnosticLog, type Diagnostic, type Severity } from '../diagnostics.js';
import { availableParallelism } from 'node:os';
import { defaultDissectors } from '../dissectors/index.js';
import { createRegistry, type Registry } from '../dissectors/registry.js';
import type { FlowBatch } from '../flows/flowAggregator.js';
import { fingerprintFile, HEAD_BYTES, prefixHash } from '../ingest/fingerprint.js';
import { expandInputs } from '../ingest/inputs.js';
import { peekCapture } from '../ingest/readCapture.js';
import type { Baseline } from '../baseline/baseline.js';
import { InProcessProcessor, ShardedProcessor, workerScript, type FileProcessor } from './fileProcessors.js';

export interface IngestProgress {
  /** 1-based index of the file being read, and how many will be read. */
  file: number;
  files: number;
  path: string;
  /** File bytes consumed so far across the run, and the total of the files to read. */
  bytesDone: number;
  bytesTotal: number;
  packets: number;
  elapsedMs: number;
}

export interface IngestFileResult {
  path: string;
  status: 'ingested' | 'resumed' | 'skipped' | 'failed';
  /** Why it was skipped / failed, or what was resumed. */
  note?: string;
  frames: number;
  ipPackets: number;
  bytes: number;
  firstTs: number | null;
  lastTs: number | null;
  errors: number;
  warnings: number;
}

export interface IngestResult {
  files: IngestFileResult[];
  frames: number;
  ipPackets: number;
  bytes: number;
  firstTs: number | null;
  lastTs: number | null;
  /** Flows and scans touched by this run. */
  flows: number;
  scans: Array<{ kind: 'scan' | 'flood'; host: string; transport: string; attempts: number; peers: number; ports: number }>;
  /** Every problem of the run, counted per code (the first few of each kept in full). */
  diagnostics: DiagnosticLog;
  /** Dissection coverage of this run per protocol. */
  protocols: Map<string, { connections: number; pdus: number; malformed: number; unparsedBytes: number; gapBytes: number }>;
  elapsedMs: number;
  /** True when any input failed or had an error (the CLI exits 2). */
  failed: boolean;
}

export interface IngestOptions {
  /**
   * The dissectors to use. Default: the built-in ones (defaultDissectors) with `decodeAs`. A custom
   * registry is used in this thread only (worker threads build the default one).
   */
  registry?: Registry;
  /** Decode-as overrides for the default registry, e.g. { '48010': 'opcua' }. */
  decodeAs?: Record<string, string>;
  /**
   * Worker threads that share the work by address pair. Default: 2 (or the number of cores, if fewer)
   * for inputs of 64 MB or more, else 1 (this thread). The results are the same either way, except
   * that scan detection counts failed attempts per shard.
   */
  workers?: number;
  /** See FlowAggregatorOptions. */
  maxConnections?: number;
  scanThreshold?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Every diagnostic as it happens (the CLI prints the first ones). */
  onDiagnostic?: (d: Diagnostic) => void;
}

interface Planned {
  path: string;
  size: number;
  fingerprint: string;
  headHash: string;
  firstTs: number | null;
  startOffset: number;
  resumedFrom: number | null;
  note?: string;
}

export async function ingestCaptures(baseline: Baseline, inputs: string[], opts: IngestOptions): Promise<IngestResult> {
  const t0 = Date.now();
  const runLog = new DiagnosticLog(50);
  const report = (d: Diagnostic): void => {
    runLog.report(d);
    opts.onDiagnostic?.(d);
  };
  const results: IngestFileResult[] = [];
  const emptyResult = (path: string, status: IngestFileResult['status'], note: string): IngestFileResult => ({
    path, status, note, frames: 0, ipPackets: 0, bytes: 0, firstTs: null, lastTs: null, errors: status === 'failed' ? 1 : 0, warnings: 0,
  });

  const expanded = await expandInputs(inputs);
  for (const d of expanded.diagnostics) report(d);
  let failed = expanded.diagnostics.some((d) => d.severity === 'error');

  // Plan: fingerprint, skip known content, resume grown files, order by first timestamp.
  const plan: Planned[] = [];
  const seen = new Set<string>();
  for (const path of expanded.files) {
    let fp: { id: string; head: string; size: number };
    try {
      fp = await fingerprintFile(path);
    } catch (e) {
      report({ code: 'CAPTURE_UNREADABLE', severity: 'error', message: (e as Error).message, file: path });
      results.push(emptyResult(path, 'failed', (e as Error).message));
      failed = true;
      continue;
    }
    if (seen.has(fp.id)) {
      results.push(emptyResult(path, 'skipped', 'same content as another input of this run'));
      continue;
    }
    seen.add(fp.id);
    const known = baseline.captureByFingerprint(fp.id);
    if (known) {
      results.push(emptyResult(path, 'skipped', `already in the baseline (as ${known.path})`));
      continue;
    }
    let grown = baseline.grownFrom(fp.head, fp.size);
    if (!grown) {
      // A file that was shorter than the head when ingested: compare the same prefix.
      for (const c of baseline.capturesAtPath(path)) {
        if (c.size < fp.size && c.size < HEAD_BYTES && (await prefixHash(path, c.size)) === c.head_hash) {
          grown = c;
          break;
        }
      }
    }
    const peek = await peekCapture(path);
    plan.push({
      path,
      size: fp.size,
      fingerprint: fp.id,
      headHash: fp.head,
      firstTs: peek.firstTsSec,
      startOffset: grown ? grown.end_offset : 0,
      resumedFrom: grown ? grown.id : null,
      note: grown ? `grew since it was ingested as ${grown.path} (${grown.size} bytes): resumed at byte ${grown.end_offset}` : undefined,
    });
  }
  plan.sort((a, b) => (a.firstTs ?? Infinity) - (b.firstTs ?? Infinity) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const bytesTotal = plan.reduce((s, p) => s + p.size, 0);
  const processor = createProcessor(opts, bytesTotal);
  try {
    return await readPlan(processor);
  } finally {
    await processor.close();
  }

  async function readPlan(proc: FileProcessor): Promise<IngestResult> {
    let bytesBefore = 0;
    let lastCaptureId: number | null = null;
    const totals = { frames: 0, ipPackets: 0, bytes: 0, firstTs: Infinity, lastTs: -Infinity, flows: new Set<string>() };
    const scans = new Map<string, IngestResult['scans'][number]>();
    const protocols: IngestResult['protocols'] = new Map();
    const absorb = (batch: FlowBatch): void => {
      for (const f of batch.flows) totals.flows.add(f.key);
      for (const s of batch.scans) {
        const k = `${s.kind}|${s.host}|${s.transport}`;
        const e = scans.get(k);
        if (e) {
          e.attempts += s.attempts;
          e.peers = Math.max(e.peers, s.peers);
          e.ports = Math.max(e.ports, s.ports);
        } else scans.set(k, { kind: s.kind, host: s.host, transport: s.transport, attempts: s.attempts, peers: s.peers, ports: s.ports });
      }
      for (const p of batch.protocols) {
        const e = protocols.get(p.protocol) ?? { connections: 0, pdus: 0, malformed: 0, unparsedBytes: 0, gapBytes: 0 };
        e.connections += p.connections;
        e.pdus += p.pdus;
        e.malformed += p.malformed;
        e.unparsedBytes += p.unparsedBytes;
        e.gapBytes += p.gapBytes;
        protocols.set(p.protocol, e);
      }
    };

    for (let i = 0; i < plan.length; i++) {
      const p = plan[i]!;
      const last = i === plan.length - 1;
      const fileStart = bytesBefore;
      const { summary, batch, log: fileLog } = await proc.run(p.path, p.startOffset, last, (consumed, records) =>
        opts.onProgress?.({
          file: i + 1, files: plan.length, path: p.path, bytesDone: fileStart + consumed, bytesTotal,
          packets: totals.frames + records, elapsedMs: Date.now() - t0,
        }),
      );
      bytesBefore += p.size;
      absorb(batch);
      runLog.merge(fileLog);
      if (opts.onDiagnostic) {
        for (const d of fileLog.kept) opts.onDiagnostic(d);
        for (const s of fileLog.suppressed()) {
          opts.onDiagnostic({ code: s.code, severity: 'note', message: `${s.count} more occurrences in this file not shown`, file: p.path });
        }
      }
      const errors = fileLog.total('error');
      const warnings = fileLog.total('warning');
      const c = batch.counters;
      const readable = summary.format !== 'unknown' && !(summary.records === 0 && errors > 0 && summary.frames === 0);
      if (!readable) {
        failed = true;
        results.push({ ...emptyResult(p.path, 'failed', fileLog.kept.find((d) => d.severity === 'error')?.message ?? 'unreadable'), errors });
        if (last && lastCaptureId !== null && hasContent(batch)) baseline.commitDeltas(lastCaptureId, batch);
        continue;
      }
      if (errors > 0) failed = true;
      lastCaptureId = baseline.commitCapture(
        {
          fingerprint: p.fingerprint, headHash: p.headHash, path: p.path, size: p.size, format: summary.format,
          compression: summary.compression, linktypes: summary.linktypes, endOffset: summary.endOffset, frames: summary.frames,
          truncated: summary.truncated, errors, warnings, resumedFrom: p.resumedFrom,
        },
        batch,
        fileLog.kept,
        fileLog.counts as Map<string, { severity: Severity; count: number }>,
      );
      totals.frames += c.frames;
      totals.ipPackets += c.ipPackets;
      totals.bytes += c.bytes;
      if (c.frames > 0) {
        totals.firstTs = Math.min(totals.firstTs, c.firstTs);
        totals.lastTs = Math.max(totals.lastTs, c.lastTs);
      }
      results.push({
        path: p.path, status: p.resumedFrom !== null ? 'resumed' : 'ingested', note: p.note, frames: c.frames, ipPackets: c.ipPackets,
        bytes: c.bytes, firstTs: c.frames > 0 ? c.firstTs : null, lastTs: c.frames > 0 ? c.lastTs : null, errors, warnings,
      });
    }

    return {
      files: results,
      frames: totals.frames,
      ipPackets: totals.ipPackets,
      bytes: totals.bytes,
      firstTs: Number.isFinite(totals.firstTs) ? totals.firstTs : null,
      lastTs: Number.isFinite(totals.lastTs) ? totals.lastTs : null,
      flows: totals.flows.size,
      scans: [...scans.values()],
      diagnostics: runLog,
      protocols,
      elapsedMs: Date.now() - t0,
      failed,
    };
  }
}

/** Worker threads when the input is large enough to repay their start (about 0.2 s each). */
const PARALLEL_MIN_BYTES = 64e6;

function createProcessor(opts: IngestOptions, bytesTotal: number): FileProcessor {
  const cores = availableParallelism();
  const wanted = opts.workers ?? (bytesTotal >= PARALLEL_MIN_BYTES ? Math.min(2, cores) : 1);
  const script = wanted > 1 && opts.registry === undefined ? workerScript() : null;
  if (script !== null) {
    return new ShardedProcessor(script, wanted, { decodeAs: opts.decodeAs, maxConnections: opts.maxConnections, scanThreshold: opts.scanThreshold });
  }
  const registry = opts.registry ?? createRegistry(defaultDissectors, { decodeAs: opts.decodeAs });
  return new InProcessProcessor(registry, { maxConnections: opts.maxConnections, scanThreshold: opts.scanThreshold });
}

function hasContent(b: FlowBatch): boolean {
  return b.flows.length > 0 || b.protocols.length > 0 || b.identities.length > 0;
}
