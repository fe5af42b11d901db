/**
 * A progress bar on a TTY (percentage, files, MB, packets/s, ETA); nothing in pipes or with --quiet.
 * The bar is sized so the whole line fits the terminal (cli-progress would otherwise cut the end off),
 * and stop() clears it, so what follows (a diagnostic, the summary, "interrupted") starts on a clean line.
 */
import cliProgress from 'cli-progress';
import type { IngestProgress } from '../pipeline/ingestCaptures.js';

export interface ProgressReporter {
  update(p: IngestProgress): void;
  stop(): void;
}

const FORMAT = ' {bar} {percentage}% {file}/{files} files {mb}/{mbTotal} MB {pps} pkt/s ETA {eta_formatted}';

/** The width of the line without the bar, for the largest values these totals can show. */
export function progressTextWidth(files: number, mbTotal: number): number {
  const f = String(files).length;
  const mb = String(Math.round(mbTotal)).length;
  // ' ' + ' 100%' + ' f/f files' + ' mb/mb MB' + ' 9,999,999 pkt/s' + ' ETA 99h59m'
  return 1 + 5 + (2 + 2 * f + 6) + (2 + 2 * mb + 3) + 16 + 11;
}

export function progressBarSize(columns: number, files: number, mbTotal: number): number {
  return Math.max(5, Math.min(40, columns - 1 - progressTextWidth(files, mbTotal)));
}

export function createProgress(stream: NodeJS.WriteStream | undefined, enabled: boolean): ProgressReporter {
  if (!enabled || !stream?.isTTY) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(p) {
      const mbTotal = p.bytesTotal / 1e6;
      const payload = {
        file: p.file,
        files: p.files,
        mb: (p.bytesDone / 1e6).toFixed(0),
        mbTotal: mbTotal.toFixed(0),
        pps: p.elapsedMs > 0 ? Math.round((p.packets * 1000) / p.elapsedMs).toLocaleString('en-US') : '0',
      };
      if (bar === null) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: FORMAT,
            barsize: progressBarSize(stream.columns || 80, p.files, mbTotal),
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(1, p.bytesTotal), p.bytesDone, payload);
      } else bar.update(p.bytesDone, payload);
    },
    stop() {
      if (bar !== null) {
        bar.stop();
        bar = null;
      }
    },
  };
}
