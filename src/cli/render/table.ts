/**
 * Tables as text: aligned columns for a terminal, tab-separated values for pipes (one header line,
 * no padding, so `cut -f` and `awk -F'\t'` work), and RFC 4180 CSV for files.
 */

export interface Column {
  header: string;
  /** right-align (numbers) */
  right?: boolean;
}

/** Aligned columns separated by two spaces; the last column is not padded. */
export function alignedTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        if (i === cells.length - 1 && !columns[i]!.right) return cell;
        return columns[i]!.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].map((l) => `${l}\n`).join('');
}

/** Tab-separated values: tabs and newlines inside a cell become spaces. */
export function tsvTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const clean = (s: string): string => s.replace(/[\t\r\n]+/g, ' ');
  return [columns.map((c) => c.header), ...rows].map((r) => `${r.map(clean).join('\t')}\n`).join('');
}

/** RFC 4180 CSV (CRLF line ends; a cell with a comma, quote or line break is quoted). */
export function csvTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [columns.map((c) => c.header), ...rows].map((r) => `${r.map(cell).join(',')}\r\n`).join('');
}
