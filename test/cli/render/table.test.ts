import { alignedTable, csvTable, tsvTable, type Column } from '../../../src/cli/render/table.js';

const cols: Column[] = [{ header: 'NAME' }, { header: 'N', right: true }, { header: 'NOTE' }];
const rows = [
  ['plc-1', '5', 'a, "b"'],
  ['hmi-10', '1234', 'tab\there'],
];

describe('tables', () => {
  test('alignedTable(columns, rows) pads columns, right-aligns numbers, leaves the last column unpadded', () => {
    expect(alignedTable(cols, rows)).toBe('NAME       N  NOTE\nplc-1      5  a, "b"\nhmi-10  1234  tab\there\n');
  });

  test('tsvTable(columns, rows) writes one tab-separated line per row; tabs inside cells become spaces', () => {
    expect(tsvTable(cols, rows)).toBe('NAME\tN\tNOTE\nplc-1\t5\ta, "b"\nhmi-10\t1234\ttab here\n');
  });

  test('csvTable(columns, rows) quotes cells with commas or quotes (RFC 4180, CRLF)', () => {
    expect(csvTable(cols, rows)).toBe('NAME,N,NOTE\r\nplc-1,5,"a, ""b"""\r\nhmi-10,1234,tab\there\r\n');
  });
});
