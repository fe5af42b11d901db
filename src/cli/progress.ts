/** A progress bar on a TTY (files, MB, packets/s, ETA); nothing in pipes or with --quiet. */
import cliProgress from 'cli-progress';
import type { IngestProgress } from '../pipeline/ingestCaptures.js';

export interface ProgressReporter {
  update(p: IngestProgress): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): ProgressReporter {
  if (!enabled || !stream.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {percentage}% | file {file}/{files} | {mb}/{mbTotal} MB | {pps} pkt/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = {
        file: p.file,
        files: p.files,
        mb: (p.bytesDone / 1e6).toFixed(0),
        mbTotal: (p.bytesTotal / 1e6).toFixed(0),
        pps: p.elapsedMs > 0 ? Math.round((p.packets * 1000) / p.elapsedMs).toLocaleString('en-US') : '0',
      };
      if (!started) {
        bar.start(Math.max(1, p.bytesTotal), p.bytesDone, payload);
        started = true;
      } else bar.update(p.bytesDone, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
