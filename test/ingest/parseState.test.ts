import { ParseState } from '../../src/ingest/parseState.js';
import type { Diagnostic } from '../../src/diagnostics.js';

function state(chunk: number): { s: ParseState; diags: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  return { s: new ParseState(() => undefined, { fileName: 'cap\n1.pcap', startOffset: 0, onDiagnostic: (d) => diags.push(d) }, chunk), diags };
}

test('ParseState.compact() moves the unconsumed tail to the front and keeps file offsets (base)', () => {
  const { s } = state(16);
  Buffer.from('0123456789abcdef').copy(s.buf);
  s.end = 16;
  s.start = 10;
  s.compact();
  expect([s.start, s.end, s.base, s.buf.length]).toEqual([0, 6, 10, 16]);
  expect(s.buf.toString('latin1', 0, 6)).toBe('abcdef');
});

test('ParseState.compact() grows the buffer (power of 2) when one record needs more than it holds', () => {
  const { s } = state(16);
  Buffer.from('0123456789abcdef').copy(s.buf);
  s.end = 16;
  s.start = 4;
  s.need = 40;
  s.compact();
  expect([s.start, s.end, s.base, s.buf.length]).toEqual([0, 12, 4, 64]);
  expect(s.buf.toString('latin1', 0, 12)).toBe('456789abcdef');
  expect(s.dv.byteLength).toBe(64);
});

test('ParseState.diag() counts errors and warnings, not notes, and escapes control characters in file and message', () => {
  const { s, diags } = state(16);
  s.diag('PCAP_BAD_RECORD_LENGTH', 'error', 'bad\tthing', 3, 40);
  s.diag('PCAP_TRUNCATED_RECORD', 'warning', 'odd');
  s.diag('CAPTURE_RESYNC', 'note', 'fyi', undefined, 0);
  expect([s.errors, s.warnings]).toEqual([1, 1]);
  expect(diags).toEqual([
    { code: 'PCAP_BAD_RECORD_LENGTH', severity: 'error', message: 'bad\\tthing', file: 'cap\\n1.pcap', frame: 3, offset: 40 },
    { code: 'PCAP_TRUNCATED_RECORD', severity: 'warning', message: 'odd', file: 'cap\\n1.pcap' },
    { code: 'CAPTURE_RESYNC', severity: 'note', message: 'fyi', file: 'cap\\n1.pcap', offset: 0 },
  ]);
});

test('ParseState.badTime() is an error that says the record is dropped, and counts it', () => {
  const { s, diags } = state(16);
  s.badTime('PCAP_BAD_TIMESTAMP', 'no time', 7, 99);
  expect(s.badTimestamps).toBe(1);
  expect(diags[0]).toMatchObject({ severity: 'error', message: 'no time; record dropped', frame: 7, offset: 99 });
});
