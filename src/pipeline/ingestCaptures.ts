/**
 * The pipeline driver: sources in, batches out to the store. ingestSources() reads every unit of every
 * source (source.ts) one by one through ONE flow aggregator (so a TCP connection that spans rotated
 * files stays one connection) and commits each unit's deltas in one transaction with the unit's
 * capture row (the flow deltas of a large unit written into that transaction in parts while it is
 * read: src/flows/flowPart.ts, so memory does not grow with a unit's time span), and the aggregator's
 * live state after the unit with them (liveState.ts): a run starts
 * from the state the last commit left, so a connection (and scan/flood counting) that spans runs
 * is one, and a kill between two commits loses nothing a re-run does not redo. ingestCaptures() is the library side of `zonescope ingest`: capture files
 * (fileSource.ts: a file already in the baseline is skipped whatever its name; one that grew since is
 * resumed) as the one source. Bad records become diagnostics; every good record is kept.
 */
import { DECODED_LINKTYPES } from '../decode/decodePacket.js';
import { DiagnosticLog, type Diagnostic, type Severity } from '../diagnostics.js';
import { availableParallelism } from 'node:os';
import { defaultDissectors } from '../dissectors/index.js';
import { createRegistry, type Registry } from '../dissectors/registry.js';
import {
  CAPTURE_POINT_RULES,
  FRAME_RULES,
  PROTOCOL_RULES,
  SCAN_RULES,
  capturePointKey,
  mergeCounters,
  newFrameCounters,
  newProtocolStats,
  type CapturePointDelta,
  type FlowBatch,
  type FrameCounters,
  type ProtocolStatsDelta,
  type ScanDelta,
} from '../flows/flowDelta.js';
import type { FlowPart } from '../flows/flowPart.js';
import { decodeLiveState, encodeLiveState, type LiveState } from '../flows/liveState.js';
import { InProcessProcessor, ShardedProcessor, workerLaunch, type FileProcessor, type FileResult } from './fileProcessors.js';
import { decodeOptionsText } from './decodeOptions.js';
import { fileSource, settledResult } from './fileSource.js';
import type { CaptureSource, CaptureUnit, PipelineStore, SourcePlan } from './source.js';

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
  scans: ScanDelta[];
  /** Every problem of the run, counted per code (the first few of each kept in full). */
  diagnostics: DiagnosticLog;
  /** Dissection coverage of this run per protocol (the batches' deltas added by PROTOCOL_RULES). */
  protocols: Map<string, ProtocolStatsDelta>;
  /** The tunnels the frames of this run arrived through, over all its files (by capturePointKey, sorted). */
  capturePoints: CapturePointDelta[];
  /** What decoding made of this run's frames (the committed batches' counters added by FRAME_RULES). */
  frameKinds: FrameCounters;
  /** This run's non-IP frames other than ARP by EtherType (0: IEEE 802.3 LLC), those with a source MAC. */
  l2ByEtherType: Map<number, number>;
  /** Frames of link types that are not decoded, by the files' undecoded link types ("105" or "105, 127"). */
  undecodedLinktypes: Map<string, number>;
  elapsedMs: number;
  /** True when any input failed or had an error (the CLI exits 2). */
  failed: boolean;
}

export interface IngestOptions {
  /**
   * The dissectors to use. Default: the built-in ones (defaultDissectors) with `decodeAs`. A custom
   * registry is used in this thread only (worker threads build the default one): with more than one
   * worker wanted, the run says so (PIPELINE_WORKERS_UNAVAILABLE) and reads in this thread.
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
  /**
   * Connection folds after which a file's flow deltas are written in a part into the file's
   * transaction while it is read (src/flows/flowPart.ts; default DEFAULT_PART_FOLDS; Infinity: at
   * the file's end only). Same store either way; parts keep memory flat in a file's time span.
   */
  partFolds?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Every diagnostic as it happens (the CLI prints the first ones). */
  onDiagnostic?: (d: Diagnostic) => void;
}

/** Ingest capture files (files, directories, globs) into the baseline: fileSource(inputs) as the one source. */
export function ingestCaptures(baseline: PipelineStore, inputs: string[], opts: IngestOptions): Promise<IngestResult> {
  return ingestSources(baseline, [fileSource(inputs)], opts);
}

/** Read every unit of `sources`, in order, through one aggregator, committing each unit to `baseline`. */
export async function ingestSources(baseline: PipelineStore, sources: CaptureSource[], opts: IngestOptions): Promise<IngestResult> {
  const t0 = Date.now();
  const runLog = new DiagnosticLog(50);
  const report = (d: Diagnostic): void => {
    runLog.report(d);
    opts.onDiagnostic?.(d);
  };
  const results: IngestFileResult[] = [];
  let failed = false;

  const plans: SourcePlan[] = [];
  for (const source of sources) {
    const plan = await source.plan(baseline);
    for (const d of plan.diagnostics) report(d);
    if (plan.diagnostics.some((d) => d.severity === 'error')) failed = true;
    results.push(...plan.settled);
    plans.push(plan);
  }

  const bytesTotal = plans.reduce((s, p) => s + p.bytesTotal, 0);
  const processor = await createProcessor(opts, bytesTotal, plans.every((p) => p.files), report);
  try {
    const stored = baseline.liveState?.() ?? null;
    const state = stored === null ? null : decodeLiveState(stored);
    if (state !== null) await processor.restore(state);
    return await readUnits(processor);
  } catch (e) {
    // A unit that failed half-way: the parts of it written so far are dropped with it.
    baseline.abortParts?.();
    throw e;
  } finally {
    await processor.close();
  }

  async function readUnits(proc: FileProcessor): Promise<IngestResult> {
    let bytesBefore = 0;
    let lastCaptureId: number | null = null;
    const totals = { frames: 0, ipPackets: 0, bytes: 0, firstTs: Infinity, lastTs: -Infinity, flows: new Set<string>() };
    const scans = new Map<string, IngestResult['scans'][number]>();
    const protocols: IngestResult['protocols'] = new Map();
    const points = new Map<string, CapturePointDelta>();
    const notAnalysed = { frameKinds: newFrameCounters(), l2ByEtherType: new Map<number, number>(), undecodedLinktypes: new Map<string, number>() };
    /** What a committed unit's frames were, for the summary's "not analysed" lines. */
    const countKinds = (batch: FlowBatch, linktypes: readonly number[]): void => {
      mergeCounters(FRAME_RULES, notAnalysed.frameKinds, batch.counters);
      for (const l of batch.l2) notAnalysed.l2ByEtherType.set(l.etherType, (notAnalysed.l2ByEtherType.get(l.etherType) ?? 0) + l.packets);
      if (batch.counters.unsupportedLinktype > 0) {
        const k = linktypes.filter((t) => !DECODED_LINKTYPES.has(t)).join(', ') || 'unknown';
        notAnalysed.undecodedLinktypes.set(k, (notAnalysed.undecodedLinktypes.get(k) ?? 0) + batch.counters.unsupportedLinktype);
      }
    };
    const absorb = (batch: FlowBatch): void => {
      for (const c of batch.capturePoints) {
        const k = capturePointKey(c);
        const e = points.get(k);
        if (e) mergeCounters(CAPTURE_POINT_RULES, e, c);
        else points.set(k, { ...c });
      }
      for (const f of batch.flows) totals.flows.add(f.key);
      for (const s of batch.scans) {
        const k = `${s.kind}|${s.host}|${s.transport}`;
        const e = scans.get(k);
        if (e) mergeCounters(SCAN_RULES, e, s);
        else scans.set(k, { ...s });
      }
      for (const p of batch.protocols) {
        let e = protocols.get(p.protocol);
        if (!e) protocols.set(p.protocol, (e = newProtocolStats(p.protocol)));
        mergeCounters(PROTOCOL_RULES, e, p);
      }
    };

    /** The unit's parts, written into its transaction (the store commits them with the unit). */
    const writePart = baseline.writePart;
    const partWriter = (unit: { parted: boolean }): ((part: FlowPart) => void) | undefined =>
      writePart === undefined
        ? undefined
        : (part: FlowPart): void => {
            unit.parted = true;
            for (const f of part.flows) totals.flows.add(f.key);
            writePart.call(baseline, part.flows);
          };
    const known = (pl: SourcePlan): CaptureUnit[] | null => (Array.isArray(pl.units) ? (pl.units as CaptureUnit[]) : null);
    const files = plans.reduce((n, pl) => n + (known(pl)?.length ?? 0), 0);
    /** Records of the units read so far (for progress: units may be committed later than read). */
    let recordsRead = 0;
    // With readAhead, the next unit is read while the workers finish the one before and it is
    // committed; its parts wait until then (they belong to its own transaction).
    const ahead = proc.readAhead?.bind(proc);
    let chain: Promise<void> = Promise.resolve();
    let broken: { error: unknown } | null = null;
    let i = 0;
    try {
      await readAll();
    } catch (e) {
      // A unit read ahead failed: the one before it is committed (or fails) first, so that the parts
      // dropped with the failure are only this unit's.
      await chain.catch(() => undefined);
      throw e;
    }
    await chain;

    async function readAll(): Promise<void> {
      for (let si = 0; si < plans.length; si++) for await (const p of plans[si]!.units) {
        if (broken !== null) break;
        i++;
        // The sessions' buffered data is closed at the end of the last unit of the last source that has any.
        const last = p.last && plans.slice(si + 1).every((pl) => known(pl)?.length === 0);
        const fileStart = bytesBefore;
        const fileIndex = i;
        const unit = { parted: false };
        let records = 0;
        const progress = (consumed: number, n: number): void => {
          records = n;
          opts.onProgress?.({
            file: fileIndex, files: Math.max(files, fileIndex), path: p.path, bytesDone: fileStart + consumed, bytesTotal,
            packets: recordsRead + n, elapsedMs: Date.now() - t0,
          });
        };
        bytesBefore += p.size;
        const write = partWriter(unit);
        if (ahead === undefined) {
          const r = await proc.run(p, last, progress, write);
          recordsRead += records;
          settle(p, last, unit, r);
          continue;
        }
        let open = false;
        const held: FlowPart[] = [];
        const opened = chain.then(() => {
          open = true;
          for (const part of held.splice(0)) write!(part);
        });
        // (its failure is seen through `chain`; none is unhandled while this unit is read)
        opened.catch(() => undefined);
        const { result } = await ahead(p, last, progress, write === undefined ? undefined : (part: FlowPart) => (open ? write(part) : void held.push(part)));
        recordsRead += records;
        chain = opened.then(() => result).then((r) => settle(p, last, unit, r));
        chain.catch((e: unknown) => {
          broken ??= { error: e };
        });
      }
    }

    /** Commit a unit that was read (or say why it is not kept), and count it in the run's totals. */
    function settle(p: CaptureUnit, last: boolean, unit: { parted: boolean }, r: FileResult): void {
      const { summary, batch, log: fileLog, live } = r;
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
      // A 0-byte file is as empty as a header-only one: CAPTURE_EMPTY, a warning (docs/INTERFACES.md).
      const empty = summary.bytes === 0 && errors === 0;
      const readable = (summary.format !== 'unknown' || empty) && !(summary.records === 0 && errors > 0 && summary.frames === 0);
      if (!readable) {
        failed = true;
        results.push({ ...settledResult(p.path, 'failed', fileLog.kept.find((d) => d.severity === 'error')?.message ?? 'unreadable'), errors });
        if (last && lastCaptureId !== null && (unit.parted || hasContent(batch))) baseline.commitDeltas(lastCaptureId, batch, storedForm(live));
        else baseline.abortParts?.();
        return;
      }
      if (errors > 0) failed = true;
      const captureId = baseline.commitCapture(
        {
          fingerprint: p.fingerprint, headHash: p.headHash, path: p.path, size: p.size, format: summary.format,
          compression: summary.compression, linktypes: summary.linktypes, endOffset: summary.endOffset,
          // A resumed file's row counts the records it added: the earlier row holds those before (overview sums them).
          frames: p.startOffset > 0 ? summary.records : summary.frames,
          truncated: summary.truncated, errors, warnings, resumedFrom: p.resumedFrom, contentId: p.contentId,
          decodeOptions: opts.registry === undefined ? decodeOptionsText(opts.decodeAs) : null,
        },
        batch,
        fileLog.kept,
        fileLog.counts as Map<string, { severity: Severity; count: number }>,
        storedForm(live),
      );
      if (captureId === null) {
        // Another process committed the same content while this one read it: one copy is kept.
        results.push(settledResult(p.path, 'skipped', 'ingested meanwhile by another process'));
        return;
      }
      lastCaptureId = captureId;
      countKinds(batch, summary.linktypes);
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
      capturePoints: [...points.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c),
      ...notAnalysed,
      elapsedMs: Date.now() - t0,
      failed,
    };
  }
}

/** Worker threads when the input is large enough to repay their start (about 0.2 s each). */
const PARALLEL_MIN_BYTES = 64e6;

/**
 * The processor for this run: worker threads when more than one is wanted and they can run, else this
 * thread. Falling back to this thread is never silent: it is a PIPELINE_WORKERS_UNAVAILABLE warning
 * that says why and what to do (the results are the same, only slower).
 */
async function createProcessor(opts: IngestOptions, bytesTotal: number, files: boolean, report: (d: Diagnostic) => void): Promise<FileProcessor> {
  const cores = availableParallelism();
  const wanted = opts.workers ?? (bytesTotal >= PARALLEL_MIN_BYTES ? Math.min(2, cores) : 1);
  const inThisThread = (): FileProcessor => {
    const registry = opts.registry ?? createRegistry(defaultDissectors, { decodeAs: opts.decodeAs });
    return new InProcessProcessor(registry, { maxConnections: opts.maxConnections, scanThreshold: opts.scanThreshold, partFolds: opts.partFolds });
  };
  if (wanted <= 1) return inThisThread();
  const fallBack = (why: string): FileProcessor => {
    report({
      code: 'PIPELINE_WORKERS_UNAVAILABLE',
      severity: 'warning',
      message: `${wanted} worker threads were wanted, ingesting in one thread instead (same results, slower): ${why}`,
    });
    return inThisThread();
  };
  if (opts.registry !== undefined) return fallBack('a custom dissector registry runs in this thread only (worker threads build the default one): pass no registry, or workers 1');
  if (!files) return fallBack('a source that is not a capture file is read in this thread only');
  const launch = workerLaunch();
  if ('unavailable' in launch) return fallBack(launch.unavailable);
  try {
    return await ShardedProcessor.start(launch, wanted, { decodeAs: opts.decodeAs, maxConnections: opts.maxConnections, scanThreshold: opts.scanThreshold, partFolds: opts.partFolds });
  } catch (e) {
    return fallBack(`a worker thread could not start (${(e as Error).message.split('\n')[0]}): reinstall or rebuild zonescope, or run with one worker`);
  }
}

function storedForm(live: LiveState): { connections: number; data: Uint8Array } {
  return { connections: live.conns.length, data: encodeLiveState(live) };
}

function hasContent(b: FlowBatch): boolean {
  return b.flows.length > 0 || b.protocols.length > 0 || b.identities.length > 0;
}
