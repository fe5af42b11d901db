import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { withCatalogue } from '../scripts/diagnosticsReadme.js';
import { catalogueMarkdown, DIAGNOSTIC_CATALOGUE, diagnosticInfo, isDiagnosticCode, type DiagnosticCode } from '../src/diagnosticCatalogue.js';
import { REPO_ROOT } from './util/captures.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : n.endsWith('.ts') ? [p] : [];
  });
}

const codes = Object.keys(DIAGNOSTIC_CATALOGUE) as DiagnosticCode[];
const src = sources(join(REPO_ROOT, 'src'))
  .filter((p) => !p.endsWith('diagnosticCatalogue.ts'))
  .map((p) => readFileSync(p, 'utf8'))
  .join('\n');

describe('DIAGNOSTIC_CATALOGUE', () => {
  test('DIAGNOSTIC_CATALOGUE: every entry has a severity, a stage, and one-sentence meaning and action', () => {
    expect(codes.length).toBeGreaterThanOrEqual(75);
    for (const c of codes) {
      const i = DIAGNOSTIC_CATALOGUE[c];
      expect(c).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/);
      expect(['error', 'warning', 'note']).toContain(i.severity);
      expect(i.meaning).toMatch(/^[A-Z].*\.$/);
      expect(i.action).toMatch(/^[A-Z].*\.$/);
    }
  });

  test('DIAGNOSTIC_CATALOGUE: every code is reported somewhere in src/ (no dead entries)', () => {
    const unused = codes.filter((c) => !src.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });

  test('DIAGNOSTIC_CATALOGUE: every code literal reported in src/ is declared', () => {
    const reported = new Set<string>();
    for (const m of src.matchAll(/(?:violation|diag|badBlock)\(\s*(?:p,\s*)?'([A-Z][A-Z0-9_]+)'/g)) reported.add(m[1]!);
    for (const m of src.matchAll(/code: '([A-Z][A-Z0-9_]+)'/g)) reported.add(m[1]!);
    for (const m of src.matchAll(/new BaselineError\(\s*'([A-Z][A-Z0-9_]+)'/g)) reported.add(m[1]!);
    expect(reported.size).toBeGreaterThan(60);
    expect([...reported].filter((c) => !isDiagnosticCode(c))).toEqual([]);
  });

  test('diagnosticInfo(code) returns the entry, and undefined for a code from elsewhere', () => {
    expect(diagnosticInfo('PCAP_TRUNCATED_RECORD')?.severity).toBe('warning');
    expect(diagnosticInfo('NOT_A_CODE')).toBeUndefined();
  });

  test('README.md lists the catalogue as npm run docs:diagnostics writes it', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(withCatalogue(readme));
    for (const c of codes) expect(readme).toContain(`| \`${c}\` | ${DIAGNOSTIC_CATALOGUE[c].severity} |`);
  });

  test('catalogueMarkdown() has one table row per code', () => {
    expect(catalogueMarkdown().split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(codes.length);
  });
});
