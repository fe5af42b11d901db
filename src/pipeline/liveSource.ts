/**
 * A live interface as a pipeline source: one capture unit per commit interval, so the store holds
 * everything up to the last interval (a crash loses at most that interval, never the store), and the
 * same aggregator carries connections from one interval to the next. When the capture stops (the
 * signal, or the duration), the interval under way ends early and a last, empty unit closes every live
 * connection.
 *
 * Units are named `live:IF@START#N` in the store's captures table; their fingerprints are unique to
 * the run, so re-running never skips anything. With `evidence` (capture --write), every packet is also
 * written to rotated pcapng files (liveEvidence.ts): a unit then also ends at each rotation, records
 * the file its packets went to and how far they reach into it, and the closed file is recorded once
 * that unit is committed. Packets that arrive while the driver commits between two
 * units go to the next unit (the record callback is the aggregator's, which outlives the units).
 */
import type { Diagnostic } from '../diagnostics.js';
import { LiveCapture, LiveCaptureError, type LiveCaptureOptions, type LiveStats } from '../ingest/liveCapture.js';
import type { ReadSummary } from '../ingest/readCapture.js';
import type { CaptureRecord } from '../ingest/record.js';
import { LiveEvidence, type LiveEvidenceOptions } from './liveEvidence.js';
import type { CaptureSource, CaptureUnit, SourcePlan, UnitReadOptions } from './source.js';

export interface LiveSourceOptions extends LiveCaptureOptions {
  /** Commit to the store every this many milliseconds (default 10 000). */
  commitEveryMs?: number;
  /** Stop after this many milliseconds (default: until the signal). */
  durationMs?: number;
  /** Stops the capture: the interval under way is committed, then every connection closed. */
  signal: AbortSignal;
  /** Called once the interface is open and capturing. */
  onStart?: () => void;
  /** Also write every packet to rotated pcapng files in a folder (capture --write). */
  evidence?: Omit<LiveEvidenceOptions, 'interface' | 'filter'>;
  /** Problems met after the last unit was committed (recording the last evidence file). */
  onDiagnostic?: (d: Diagnostic) => void;
}

export interface LiveSource extends CaptureSource {
  /** Counters of the capture so far (zero before it starts). */
  stats(): LiveStats;
  /** The interface's link type once open. */
  readonly started: boolean;
  /** The evidence files so far (null without `evidence`). */
  evidence(): ReturnType<LiveEvidence['stats']> | null;
}

const ZERO: LiveStats = { packets: 0, bytes: 0, truncated: 0, interfaceDrops: 0, notDelivered: 0 };

export function liveSource(opts: LiveSourceOptions): LiveSource {
  let capture: LiveCapture | null = null;
  let evidence: LiveEvidence | null = null;
  let finalStats: LiveStats | null = null;
  let run = '';
  const state = {
    onRecord: null as ((rec: CaptureRecord) => void) | null,
    records: 0,
    bytes: 0,
    first: null as number | null,
    last: null as number | null,
  };
  const source: LiveSource = {
    get started() {
      return capture !== null;
    },
    stats: () => finalStats ?? capture?.stats() ?? ZERO,
    evidence: () => evidence?.stats() ?? null,
    plan: async (): Promise<SourcePlan> => {
      run = `live:${opts.interface}@${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`;
      // Opening here makes a missing privilege or interface an error before anything is written.
      capture = LiveCapture.open(opts, (rec) => {
        const t = rec.tsSec + rec.tsNsec / 1e9;
        if (state.first === null) state.first = t;
        state.last = t;
        state.records++;
        state.bytes += rec.origlen;
        evidence?.write(rec);
        state.onRecord?.(rec);
      });
      if (opts.evidence) {
        try {
          evidence = LiveEvidence.open({ ...opts.evidence, interface: opts.interface, filter: opts.filter }, capture.linktype, run);
        } catch (e) {
          capture.close();
          throw new LiveCaptureError('LIVE_WRITE_DIR', `--write ${opts.evidence.dir}: ${(e as Error).message}: create the folder or make it writable, or name another; nothing was captured`);
        }
      }
      opts.onStart?.();
      return { units: units(capture), settled: [], diagnostics: [], bytesTotal: 0, files: false };
    },
  };

  async function* units(cap: LiveCapture): AsyncGenerator<CaptureUnit> {
    const base = run;
    const every = Math.max(100, opts.commitEveryMs ?? 10_000);
    const stopAt = opts.durationMs !== undefined ? Date.now() + opts.durationMs : Infinity;
    let seq = 0;
    let drops0 = 0;
    const stopped = (): boolean => opts.signal.aborted || Date.now() >= stopAt;
    const unit = (last: boolean, read: CaptureUnit['read']): CaptureUnit => {
      seq++;
      const id = `${base}#${seq}`;
      const frameFile = evidence?.currentPath ?? undefined;
      return { path: id, size: 0, fingerprint: id, headHash: evidence?.headHash ?? id, startOffset: 0, resumedFrom: null, last, read, frameFile };
    };
    /** Problems met between two units (recording a closed evidence file): stored with the next unit. */
    let between: Diagnostic[] = [];
    /** At a unit's end: the evidence file flushed (and rotated when due); what the unit's row records. */
    const boundary = (s: ReadSummary, ro: Pick<UnitReadOptions, 'onDiagnostic' | 'setFrameFile'>, last: boolean): void => {
      for (const d of between) ro.onDiagnostic(d);
      s.warnings += between.length;
      between = [];
      if (!evidence) return;
      const b = last ? evidence.end() : evidence.boundary(Date.now(), !stopped());
      // Packets that arrive before the next unit starts go to the file open now (rotated or not).
      const current = evidence.currentPath;
      if (current !== null) ro.setFrameFile?.(current);
      s.endOffset = b.endOffset;
      for (const d of b.diagnostics) ro.onDiagnostic(d);
      s.warnings += b.diagnostics.length;
    };
    const summary = (): ReadSummary => {
      const s: ReadSummary = {
        format: 'live', compression: 'none', linktypes: [cap.linktype], records: state.records, frames: state.records,
        firstTsSec: state.first, lastTsSec: state.last, endOffset: 0, bytes: state.bytes, truncated: false, errors: 0, warnings: 0, badTimestamps: 0,
      };
      state.records = 0;
      state.bytes = 0;
      state.first = null;
      state.last = null;
      return s;
    };
    /**
     * Interface drops (rx_dropped) are reported per interval. Packets the interface received but did not
     * deliver are only known at the end: at an interval's end some are still in the kernel's buffer and
     * arrive in the next interval, so they are reported once, after the capture is closed.
     */
    const reportDrops = (onDiagnostic: (d: Diagnostic) => void, path: string, st: LiveStats, final: boolean): number => {
      let warnings = 0;
      const drops = st.interfaceDrops ?? 0;
      if (drops > drops0) {
        onDiagnostic({ code: 'LIVE_DROPS', severity: 'warning', file: path, message: `the interface dropped ${drops - drops0} packets in this interval (rx_dropped): raise --buffer, filter, or lower the mirror's rate` });
        warnings++;
      }
      drops0 = drops;
      const nd = st.notDelivered ?? 0;
      if (final && nd > 0) {
        onDiagnostic({ code: 'LIVE_DROPS', severity: 'warning', file: path, message: `${nd} packets the interface received were never delivered to the capture` });
        warnings++;
      }
      return warnings;
    };
    let completed = false;
    try {
      while (!stopped()) {
        yield unit(false, (onRecord, ro) => {
          state.onRecord = onRecord;
          const path = `${base}#${seq}`;
          return new Promise<ReadSummary>((resolve) => {
            const end = Math.min(Date.now() + every, stopAt, evidence?.rotateAt ?? Infinity);
            const finish = (): void => {
              clearInterval(tick);
              opts.signal.removeEventListener('abort', finish);
              const s = summary();
              s.warnings = reportDrops(ro.onDiagnostic, path, cap.stats(), false);
              boundary(s, ro, false);
              resolve(s);
            };
            const tick = setInterval(() => {
              ro.onProgress(0);
              evidence?.flush();
              if (Date.now() >= end) finish();
            }, Math.min(250, every));
            opts.signal.addEventListener('abort', finish, { once: true });
          });
        });
        // The unit is committed: record the evidence files it closed.
        if (evidence) between.push(...(await evidence.settle()));
      }
      completed = true;
    } finally {
      finalStats = cap.stats();
      cap.close();
      // A failed run leaves its file closed but unrecorded: its live units say how far they committed.
      if (!completed) evidence?.abandon();
    }
    // Close every connection still open: nothing more will come.
    yield unit(true, async (_onRecord, ro) => {
      const s = summary();
      s.warnings = reportDrops(ro.onDiagnostic, `${base}#${seq}`, finalStats!, true);
      boundary(s, ro, true);
      return s;
    });
    if (evidence) for (const d of await evidence.settle()) opts.onDiagnostic?.(d);
  }

  return source;
}
