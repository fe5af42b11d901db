/**
 * Problems are data: every bad input becomes a Diagnostic with a stable code and a location
 * (file, frame, byte offset for captures; file, line, column for YAML). Rendered like a compiler:
 *   plant-07.pcapng: frame 1042 @0x1a3f0 [modbus] MODBUS_LENGTH_MISMATCH: length 253 > 12 bytes left
 *   design.yaml:12:5 zones[2].allowed_conduits[0]: DESIGN_UNKNOWN_CONDUIT 'C9'
 * Each code's severity, meaning and remedy are declared once in diagnosticCatalogue.ts.
 */

import type { DiagnosticCode } from './diagnosticCatalogue.js';

export type { DiagnosticCode } from './diagnosticCatalogue.js';
export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  /** Stable upper-case code, e.g. PCAP_TRUNCATED_RECORD, MODBUS_LENGTH_MISMATCH: declared in diagnosticCatalogue.ts. */
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Capture or design file the problem is in. */
  file?: string;
  /** 1-based frame number in the capture file (as Wireshark numbers them). */
  frame?: number;
  /** Byte offset in the (decompressed) capture file: of the record, or of the faulty byte when known. */
  offset?: number;
  /** Dissector id when the problem is in a protocol PDU. */
  protocol?: string;
  /** YAML location (1-based). */
  line?: number;
  column?: number;
  /** Path inside a document, e.g. zones[2].allowed_conduits[0]. */
  path?: string;
}

/** Renders a diagnostic on one line, the way compilers do. */
export function formatDiagnostic(d: Diagnostic): string {
  let where = d.file ?? '';
  if (d.line !== undefined) {
    where += `:${d.line}${d.column !== undefined ? `:${d.column}` : ''}`;
    if (d.path) where += ` ${d.path}`;
  } else {
    if (d.frame !== undefined) where += `${where ? ': ' : ''}frame ${d.frame}`;
    if (d.offset !== undefined) where += ` @0x${d.offset.toString(16)}`;
  }
  const proto = d.protocol ? `[${d.protocol}] ` : '';
  const sev = d.severity === 'error' ? '' : `${d.severity}: `;
  return `${where ? `${where}${d.line !== undefined || d.frame !== undefined || d.offset !== undefined ? '' : ':'} ` : ''}${proto}${sev}${d.code}: ${d.message}`;
}

/**
 * Collects diagnostics without flooding: every occurrence is counted per code, but only the first
 * `keepPerCode` of each code are kept in full (a corrupt capture can yield millions of the same).
 */
export class DiagnosticLog {
  readonly kept: Diagnostic[] = [];
  readonly counts = new Map<DiagnosticCode, { severity: Severity; count: number }>();
  constructor(readonly keepPerCode = 20) {}

  report(d: Diagnostic): void {
    const c = this.counts.get(d.code);
    if (c) {
      c.count++;
      if (c.count <= this.keepPerCode) this.kept.push(d);
    } else {
      this.counts.set(d.code, { severity: d.severity, count: 1 });
      this.kept.push(d);
    }
  }

  /** Add another log's counts and kept diagnostics (keeping at most keepPerCode of each code). */
  merge(other: DiagnosticLog): void {
    const keptPerCode = new Map<DiagnosticCode, number>();
    for (const d of this.kept) keptPerCode.set(d.code, (keptPerCode.get(d.code) ?? 0) + 1);
    for (const d of other.kept) {
      const n = keptPerCode.get(d.code) ?? 0;
      if (n < this.keepPerCode) {
        this.kept.push(d);
        keptPerCode.set(d.code, n + 1);
      }
    }
    for (const [code, c] of other.counts) {
      const mine = this.counts.get(code);
      if (mine) mine.count += c.count;
      else this.counts.set(code, { severity: c.severity, count: c.count });
    }
  }

  /** Number of diagnostics of the given severity (all codes). */
  total(severity?: Severity): number {
    let n = 0;
    for (const c of this.counts.values()) if (!severity || c.severity === severity) n += c.count;
    return n;
  }

  /** Occurrences beyond the kept ones, per code (for "... and 12345 more" lines). */
  suppressed(): Array<{ code: DiagnosticCode; count: number }> {
    const out: Array<{ code: DiagnosticCode; count: number }> = [];
    for (const [code, c] of [...this.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (c.count > this.keepPerCode) out.push({ code, count: c.count - this.keepPerCode });
    }
    return out;
  }
}
