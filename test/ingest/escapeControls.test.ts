import { escapeControls } from '../../src/ingest/escapeControls.js';

test('escapeControls(text with newline, CR, tab, ESC, DEL, C1 and U+2028) writes each as an escape', () => {
  expect(escapeControls('a\nb\rc\td\u001be\u007ff\u0085g\u2028h')).toBe('a\\nb\\rc\\td\\x1be\\x7ff\\x85g\\u2028h');
});

test('escapeControls(plain text, accents, backslashes) returns it unchanged', () => {
  for (const t of ['plant-07.pcapng', '/data/Zürich ölraffinerie/été.pcap', 'C:\\caps\\a.pcap', '']) expect(escapeControls(t)).toBe(t);
});
