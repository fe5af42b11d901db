/**
 * A live interface as a pipeline source: one capture unit per commit interval, so the store holds
 * everything up to the last interval (a crash loses at most that interval, never the store), and the
 * same aggregator carries connections from one interval to the next. When the capture stops (the
 * signal, or the duration), the interval under way ends early and a last, empty unit closes every live
 * connection.
 *
 * Units are named `live:IF@START#N` in the store's captures table; their fingerprints are unique to
 * the run, so re-running never skips anything. Packets that arrive while the driver commits between two
 * units go to the next unit (the record callback is the aggregator's, which outlives the units).
 */
import type { Diagnostic } from '../diagnostics.js';
import { LiveCapture, type LiveCaptureOptions, type LiveStats } from '../ingest/liveCapture.js';
import type { ReadSummary } from '../ingest/readCapture.js';
import type { CaptureRecord } from '../ingest/record.js';
import type { CaptureSource, CaptureUnit, SourcePlan } from './source.js';

export interface LiveSourceOptions extends LiveCaptureOptions {
  /** Commit to the store every this many milliseconds (default 10 000). */
  commitEveryMs?: number;
  /** Stop after this many milliseconds (default: until the signal). */
  durationMs?: number;
  /** Stops the capture: the interval under way is committed, then every connection closed. */
  signal: AbortSignal;
  /** Called once the interface is open and capturing. */
  onStart?: () => void;
}

export interface LiveSource extends CaptureSource {
  /** Counters of the capture so far (zero before it starts). */
  stats(): LiveStats;
  /** The interface's link type once open. */
  readonly started: boolean;
}

const ZERO: LiveStats = { packets: 0, bytes: 0, truncated: 0, interfaceDrops: 0, notDelivered: 0 };

export function liveSource(opts: LiveSourceOptions): LiveSource {
  let capture: LiveCapture | null = null;
  let finalStats: LiveStats | null = null;
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
    plan: async (): Promise<SourcePlan> => {
      // Opening here makes a missing privilege or interface an error before anything is written.
      capture = LiveCapture.open(opts, (rec) => {
        const t = rec.tsSec + rec.tsNsec / 1e9;
        if (state.first === null) state.first = t;
        state.last = t;
        state.records++;
        state.bytes += rec.origlen;
        state.onRecord?.(rec);
      });
      opts.onStart?.();
      return { units: units(capture), settled: [], diagnostics: [], bytesTotal: 0, files: false };
    },
  };

  async function* units(cap: LiveCapture): AsyncGenerator<CaptureUnit> {
    const startIso = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const base = `live:${opts.interface}@${startIso}`;
    const every = Math.max(100, opts.commitEveryMs ?? 10_000);
    const stopAt = opts.durationMs !== undefined ? Date.now() + opts.durationMs : Infinity;
    let seq = 0;
    let drops0 = 0;
    const stopped = (): boolean => opts.signal.aborted || Date.now() >= stopAt;
    const unit = (last: boolean, read: CaptureUnit['read']): CaptureUnit => {
      seq++;
      const id = `${base}#${seq}`;
      return { path: id, size: 0, fingerprint: id, headHash: id, startOffset: 0, resumedFrom: null, last, read };
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
    try {
      while (!stopped()) {
        yield unit(false, (onRecord, ro) => {
          state.onRecord = onRecord;
          const path = `${base}#${seq}`;
          return new Promise<ReadSummary>((resolve) => {
            const end = Math.min(Date.now() + every, stopAt);
            const finish = (): void => {
              clearInterval(tick);
              opts.signal.removeEventListener('abort', finish);
              const s = summary();
              s.warnings = reportDrops(ro.onDiagnostic, path, cap.stats(), false);
              resolve(s);
            };
            const tick = setInterval(() => {
              ro.onProgress(0);
              if (Date.now() >= end) finish();
            }, Math.min(250, every));
            opts.signal.addEventListener('abort', finish, { once: true });
          });
        });
      }
    } finally {
      finalStats = cap.stats();
      cap.close();
    }
    // Close every connection still open: nothing more will come.
    yield unit(true, async (_onRecord, ro) => {
      const s = summary();
      s.warnings = reportDrops(ro.onDiagnostic, `${base}#${seq}`, finalStats!, true);
      return s;
    });
  }

  return source;
}
