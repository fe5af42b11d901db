/**
 * Warnings about times that are valid but odd: before 1990 or after 2100, or far back in time on the
 * same interface. The record is kept (real captures are dated 1970, or jump years when a clock is
 * set); the first of each kind in a file is a warning with frame and offset, the rest are counted
 * and summed up in one note at the end of the file.
 */
import type { DiagnosticCode } from '../diagnosticCatalogue.js';
import type { Severity } from '../diagnostics.js';
import { BACKWARDS_WARN_SEC, isoTime, isPlausibleTime } from './timestamps.js';

export type DiagFn = (code: DiagnosticCode, severity: Severity, message: string, frame?: number, offset?: number) => void;

export class TimeWatch {
  private readonly lastSec: number[] = [];
  private implausible = 0;
  private backwards = 0;
  /** Frame and offset of the first odd record of each kind (where the end-of-file note points). */
  private readonly firstAt = { implausible: [0, 0], backwards: [0, 0] };

  constructor(private readonly diag: DiagFn) {}

  /** Seconds of the interface's previous kept record (NaN before the first; classic pcap's interface 0). */
  last(ifid: number): number {
    return this.lastSec[ifid] ?? NaN;
  }

  setLast(ifid: number, sec: number): void {
    this.lastSec[ifid] = sec;
  }

  /**
   * Judges a time the hot loops found odd (they test the window inline and call this only then);
   * `prev` is the previous delivered time on the interface (NaN before the first). Warns on the first
   * of each kind, counts the rest.
   */
  odd(ifid: number, sec: number, prev: number, frame: number, offset: number): void {
    this.lastSec[ifid] = sec;
    if (!isPlausibleTime(sec)) {
      if (this.implausible++ === 0) {
        this.firstAt.implausible = [frame, offset];
        this.diag(
          'CAPTURE_IMPLAUSIBLE_TIME',
          'warning',
          `record dated ${isoTime(sec)}, outside 1990..2100 (clock not set?); kept`,
          frame,
          offset,
        );
      }
    }
    if (sec + BACKWARDS_WARN_SEC < prev) {
      if (this.backwards++ === 0) {
        this.firstAt.backwards = [frame, offset];
        this.diag(
          'CAPTURE_TIME_BACKWARDS',
          'warning',
          `record dated ${isoTime(sec)}, ${Math.round(prev - sec)} s before the previous record on interface ${ifid}; kept`,
          frame,
          offset,
        );
      }
    }
  }

  /** One note per kind when more than the first odd record was seen (located at the first). */
  finish(): void {
    const [f1, o1] = this.firstAt.implausible;
    if (this.implausible > 1) {
      this.diag('CAPTURE_IMPLAUSIBLE_TIME', 'note', `${this.implausible} records in all are dated outside 1990..2100, from this one on`, f1, o1);
    }
    const [f2, o2] = this.firstAt.backwards;
    if (this.backwards > 1) {
      this.diag(
        'CAPTURE_TIME_BACKWARDS',
        'note',
        `${this.backwards} records in all go back more than ${BACKWARDS_WARN_SEC} s on their interface, from this one on`,
        f2,
        o2,
      );
    }
  }
}
