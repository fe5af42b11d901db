import type { IngestFileResult, IngestResult } from '../../../src/pipeline/ingestCaptures.js';
import { DiagnosticLog } from '../../../src/diagnostics.js';
import { newFrameCounters } from '../../../src/flows/flowDelta.js';
import { ingestSummary, newsLine } from '../../../src/cli/render/ingestSummary.js';

function file(path: string, status: IngestFileResult['status'], note?: string): IngestFileResult {
  return { path, status, note, frames: 0, ipPackets: 0, bytes: 0, firstTs: null, lastTs: null, errors: 0, warnings: 0 };
}

function result(files: IngestFileResult[], log = new DiagnosticLog()): IngestResult {
  return { files, frames: 10, ipPackets: 9, bytes: 1000, firstTs: 0, lastTs: 86400, flows: 3, scans: [], diagnostics: log, protocols: new Map(), frameKinds: newFrameCounters(), l2ByEtherType: new Map(), undecodedLinktypes: new Map(), capturePoints: [], elapsedMs: 500, failed: false };
}

describe('ingestSummary', () => {
  const files = [
    file('a.pcap', 'ingested'),
    ...Array.from({ length: 500 }, (_, i) => file(`old-${i}.pcap.gz`, 'skipped', `already in the baseline (as /caps/old-${i}.pcap)`)),
    file('dup.pcap', 'skipped', 'same content as another input of this run'),
  ];

  test('ingestSummary(500 skipped files) folds them into one line with the count and the kinds of reason', () => {
    const text = ingestSummary(result(files), { dbPath: 'z.db', verbose: false, printed: 0, maxPrinted: 40 });
    expect(text.split('\n').filter((l) => l.includes('skipped:'))).toEqual([
      '  skipped: 501 files (already in the baseline or same content as another input of this run; --verbose lists them)',
    ]);
    expect(text).toMatch(/^zonescope: 502 files \(1 ingested, 501 skipped\) into z\.db in 500 ms$/m);
  });

  test('ingestSummary(--verbose) lists every skipped file with its note', () => {
    const text = ingestSummary(result(files), { dbPath: 'z.db', verbose: true, printed: 0, maxPrinted: 40 });
    expect(text.split('\n').filter((l) => l.startsWith('  skipped: '))).toHaveLength(501);
  });

  test('ingestSummary(problems) lists each code with its count, severity, meaning and what to do', () => {
    const log = new DiagnosticLog();
    for (let i = 0; i < 3; i++) log.report({ code: 'PCAP_TRUNCATED_RECORD', severity: 'warning', message: 'cut' });
    const text = ingestSummary(result([file('a.pcap', 'ingested')], log), { dbPath: 'z.db', verbose: false, printed: 3, maxPrinted: 40 });
    expect(text).toMatch(/^ {4}PCAP_TRUNCATED_RECORD x3 \(warning\): A pcap file ends inside a record .*resumed\.$/m);
    expect(ingestSummary(result([file('a.pcap', 'ingested')]), { dbPath: 'z.db', verbose: false, printed: 0, maxPrinted: 40 })).toMatch(/^ {2}problems: none$/m);
  });

  test('ingestSummary(news) says what the run added: flows, hosts in address order, protocols', () => {
    const news = { flows: 3, hosts: ['10.0.0.10', '10.0.0.9'], protocols: ['bacnet'], goneFlows: 0 };
    const text = ingestSummary(result([file('a.pcap', 'ingested')]), { dbPath: 'z.db', verbose: false, printed: 0, maxPrinted: 40, news });
    expect(text).toMatch(/^ {2}3 new flows, 2 new hosts \(10\.0\.0\.9, 10\.0\.0\.10\), 1 new protocol \(bacnet\)$/m);
    expect(newsLine({ flows: 1, hosts: [], protocols: [], goneFlows: 0 })).toBe('1 new flow, 0 new hosts, 0 new protocols');
    const many = Array.from({ length: 7 }, (_, i) => `10.0.0.${i + 1}`);
    expect(newsLine({ flows: 0, hosts: many, protocols: [], goneFlows: 2 })).toBe(
      '0 new flows, 7 new hosts (10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5, 2 more), 0 new protocols, 2 flows of the store before gone',
    );
  });

  test('ingestSummary(captures decoded with other options) suggests --reprocess with this run\'s options', () => {
    const text = ingestSummary(result([file('a.pcap', 'skipped', 'already in the baseline')]), {
      dbPath: 'z.db', verbose: false, printed: 0, maxPrinted: 40, decodeOptions: { other: 28, unknown: 2, decodeAs: { 'tcp:48010': 'opcua' } },
    });
    expect(text).toContain(
      "  decode options: 28 captures in the baseline were decoded with other decode options than this run's (--decode-as tcp:48010=opcua); " +
        "2 captures were ingested by an older zonescope, which did not record their decode options: to decode the whole baseline with this run's, run zonescope ingest --reprocess --decode-as tcp:48010=opcua --db z.db",
    );
    expect(ingestSummary(result([]), { dbPath: 'z.db', verbose: false, printed: 0, maxPrinted: 40 })).not.toContain('decode options');
  });

  test('ingestSummary(a reprocess) says how many captures had other options, from which one on, and that all were rebuilt', () => {
    const text = ingestSummary(result([file('a.pcap', 'ingested')]), {
      dbPath: 'z.db', verbose: false, printed: 0, maxPrinted: 40, reprocess: { captures: 30, changed: 12, firstChanged: 'caps/day-19.pcap', decodeAs: {} },
    });
    expect(text).toContain('  reprocessed: 12 captures of 30 had other decode options than --decode-as none (from caps/day-19.pcap on); the store was rebuilt from every capture with them, in one transaction');
  });
});
