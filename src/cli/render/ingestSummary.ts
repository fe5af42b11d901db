/**
 * The summary ingest and analyze print on standard error: files by status (skipped files folded into
 * one line with a count; --verbose lists them), volume, time span, dissection coverage, scans, what was
 * not analysed (notAnalysed.ts), the capture points (tunnels the frames arrived through), and each
 * problem code with its count and what it means (from the diagnostic catalogue). "problems: none" only
 * when no diagnostic was reported and nothing was lost.
 */
import type { StoreNews } from '../../baseline/baseline.js';
import { describeDecodeAs } from '../../pipeline/decodeOptions.js';
import type { IngestResult } from '../../pipeline/ingestCaptures.js';
import { diagnosticInfo } from '../../diagnosticCatalogue.js';
import { bytes, day, duration, num } from '../format.js';
import { capturePointText } from '../../report/capturePointText.js';
import { compareIp } from './ipOrder.js';
import { notAnalysed } from './notAnalysed.js';

export interface SummaryOptions {
  dbPath: string;
  verbose: boolean;
  /** Diagnostics printed above the summary, and how many could be. */
  printed: number;
  maxPrinted: number;
  /** What the run added to the store (src/baseline/storeNews.ts). */
  news?: StoreNews;
  /** Captures of the store decoded with other decode options than this run's. */
  decodeOptions?: DecodeOptionsNotice;
  /** The run was ingest --reprocess. */
  reprocess?: { captures: number; changed: number; firstChanged: string | null; decodeAs: Record<string, string> };
}

export interface DecodeOptionsNotice {
  /** Captures recorded with other decode options, and with none recorded (older stores). */
  other: number;
  unknown: number;
  /** This run's decode-as overrides. */
  decodeAs: Record<string, string>;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${num(n)} ${n === 1 ? one : many}`;

/** "3 new flows, 1 new host (10.20.1.99), 1 new protocol (bacnet)"; a rebuild adds the flows it no longer has. */
export function newsLine(n: StoreNews): string {
  const list = (xs: string[], max: number): string => (xs.length === 0 ? '' : ` (${xs.slice(0, max).join(', ')}${xs.length > max ? `, ${num(xs.length - max)} more` : ''})`);
  const hosts = [...n.hosts].sort(compareIp);
  const parts = [plural(n.flows, 'new flow'), `${plural(hosts.length, 'new host')}${list(hosts, 5)}`, `${plural(n.protocols.length, 'new protocol')}${list(n.protocols, 8)}`];
  if (n.goneFlows > 0) parts.push(`${plural(n.goneFlows, 'flow')} of the store before gone`);
  return parts.join(', ');
}

export function ingestSummary(r: IngestResult, o: SummaryOptions): string {
  const lines: string[] = [];
  const by = (s: string): number => r.files.filter((f) => f.status === s).length;
  const parts = [`${by('ingested')} ingested`];
  if (by('resumed')) parts.push(`${by('resumed')} resumed`);
  if (by('skipped')) parts.push(`${by('skipped')} skipped`);
  if (by('failed')) parts.push(`${by('failed')} failed`);
  lines.push(`zonescope: ${r.files.length} file${r.files.length === 1 ? '' : 's'} (${parts.join(', ')}) into ${o.dbPath} in ${duration(r.elapsedMs)}`);
  const secs = r.elapsedMs / 1000;
  lines.push(
    `  ${num(r.frames)} frames (${num(r.ipPackets)} IP), ${bytes(r.bytes)}` +
      (secs > 0 && r.frames > 0 ? `, ${num(Math.round(r.frames / secs))} packets/s` : ''),
  );
  if (r.firstTs !== null && r.lastTs !== null) {
    lines.push(`  time span: ${day(r.firstTs)} .. ${day(r.lastTs)} (${((r.lastTs - r.firstTs) / 86400).toFixed(1)} days)`);
  }
  lines.push(`  flows touched: ${num(r.flows)}`);
  if (o.news) lines.push(`  ${newsLine(o.news)}`);
  if (o.reprocess) {
    const p = o.reprocess;
    lines.push(
      `  reprocessed: ${p.changed === 0 ? 'no capture had' : `${plural(p.changed, 'capture')} of ${num(p.captures)} had`} other decode options than --decode-as ${describeDecodeAs(p.decodeAs)}` +
        `${p.firstChanged !== null ? ` (from ${p.firstChanged} on)` : ''}; the store was rebuilt from every capture with them, in one transaction`,
    );
  }
  if (o.decodeOptions) {
    const d = o.decodeOptions;
    const what = [
      d.other > 0 ? `${plural(d.other, 'capture')} in the baseline ${d.other === 1 ? 'was' : 'were'} decoded with other decode options than this run's (--decode-as ${describeDecodeAs(d.decodeAs)})` : '',
      d.unknown > 0 ? `${plural(d.unknown, 'capture')} ${d.unknown === 1 ? 'was' : 'were'} ingested by an older zonescope, which did not record ${d.unknown === 1 ? 'its' : 'their'} decode options` : '',
    ].filter(Boolean).join('; ');
    const flag = Object.keys(d.decodeAs).length > 0 ? ` --decode-as ${describeDecodeAs(d.decodeAs)}` : '';
    lines.push(`  decode options: ${what}: to decode the whole baseline with this run's, run zonescope ingest --reprocess${flag} --db ${o.dbPath}`);
  }
  const protos = [...r.protocols].filter(([, p]) => p.pdus > 0 || p.malformed > 0).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (protos.length > 0) {
    lines.push(
      `  dissected: ${protos
        .map(([id, p]) => {
          const notes: string[] = [];
          if (p.malformed) notes.push(`${num(p.malformed)} malformed`);
          return `${id} ${num(p.pdus)} PDUs${notes.length ? ` (${notes.join(', ')})` : ''}`;
        })
        .join(', ')}`,
    );
  }
  for (const s of r.scans) {
    lines.push(
      s.kind === 'scan'
        ? `  scan: ${s.host} made ${num(s.attempts)} failed ${s.transport} attempts to ${num(s.peers)} hosts on ${num(s.ports)} ports (summarised, not listed as flows)`
        : `  flood: ${s.host} received ${num(s.attempts)} failed ${s.transport} attempts from ${num(s.peers)} hosts on ${num(s.ports)} ports (summarised, not listed as flows)`,
    );
  }
  const skipped = r.files.filter((f) => f.status === 'skipped');
  if (skipped.length > 0) {
    if (o.verbose) for (const f of skipped) lines.push(`  skipped: ${f.path}: ${f.note ?? ''}`);
    else {
      // Notes name the stored copy ("already in the baseline (as X)"): fold them to their kind.
      const notes = new Set(skipped.map((f) => (f.note ?? '').replace(/ \(as .*\)$/, '')));
      const why = [...notes].sort().join(' or ');
      lines.push(`  skipped: ${num(skipped.length)} file${skipped.length === 1 ? '' : 's'} (${why}; --verbose lists them)`);
    }
  }
  for (const f of r.files) {
    if (f.status === 'failed' || f.status === 'resumed') lines.push(`  ${f.status}: ${f.path}: ${f.note ?? ''}`);
  }
  const skippedData = notAnalysed(r);
  lines.push(...skippedData.lines);
  // A tunnel is how the sensor was fed (a fact about the capture, not a problem): one line each.
  for (const c of r.capturePoints) lines.push(`  capture point: ${capturePointText(c)}: ${num(c.frames)} frame${c.frames === 1 ? '' : 's'} (inner frames decoded as captured directly)`);
  const counts = [...r.diagnostics.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (counts.length > 0) {
    lines.push('  problems:');
    for (const [code, c] of counts) {
      const info = diagnosticInfo(code);
      lines.push(`    ${code} x${num(c.count)} (${c.severity}): ${info ? `${info.meaning} ${info.action}` : 'not in the catalogue'}`);
    }
    if (o.printed > o.maxPrinted) {
      lines.push(`  (${num(o.printed - o.maxPrinted)} more diagnostics not printed; all are in the store: sqlite3 ${o.dbPath} 'SELECT * FROM diagnostics')`);
    }
  } else if (!skippedData.lossy) lines.push('  problems: none');
  return `${lines.join('\n')}\n`;
}
