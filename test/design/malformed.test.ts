/**
 * The corpus of malformed designs (test/design/malformed/*.yaml, expectations in expected.json): each
 * kind has its own code and message at the right line and column, and the real CLI exits 2 without
 * evaluating anything (and without a stack trace).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDesign } from '../../src/design/loadDesign.js';
import { REPO_ROOT } from '../util/captures.js';
import { demoStore } from './demoStore.js';
import { runMain } from '../util/runMain.js';

const DIR = join(REPO_ROOT, 'test', 'design', 'malformed');
interface Expect {
  code: string;
  line: number;
  column: number;
  path?: string;
  message: string;
}
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expect>;

const run = runMain;

let store: Awaited<ReturnType<typeof demoStore>>;
beforeAll(async () => {
  store = await demoStore();
});
afterAll(() => store.cleanup());

describe('malformed designs', () => {
  test('the corpus has at least 15 kinds, each with its own code, and every file has an expectation', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect(Object.keys(expected).sort()).toEqual(files);
    expect(new Set(Object.values(expected).map((e) => e.code)).size).toBeGreaterThanOrEqual(15);
  });

  test.each(Object.entries(expected))('loadDesign(%s) reports its problem at its line and column', (file, e) => {
    const { diagnostics } = loadDesign(join(DIR, file), { file });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    const first = errors[0]!;
    expect({ code: first.code, line: first.line, column: first.column }).toEqual({ code: e.code, line: e.line, column: e.column });
    if (e.path) expect(first.path).toBe(e.path);
    expect(first.message).toContain(e.message);
    expect(first.file).toBe(file);
  });

  test.each(Object.entries(expected))('zonescope diff %s exits 2 with file:line:column and the code', async (file, e) => {
    const r = await run(['diff', join(DIR, file), '--db', store.db]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(DIR, file)}:${e.line}:${e.column}`);
    expect(r.err).toContain(`${e.code}: `);
    expect(r.err).toMatch(/nothing evaluated/);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
    expect(r.out).toBe('');
  });

  test('zonescope diff (a document over the size limit) exits 2 with DESIGN_TOO_LARGE at 1:1', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'zs-big-'));
    try {
      const big = join(tmp, 'big.yaml');
      writeFileSync(big, `zones:\n${'  - zone_id: Z\n    assets: ["10.0.0.1"]\n'.repeat(120_000)}`);
      const r = await run(['diff', big, '--db', store.db]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${big}:1:1 DESIGN_TOO_LARGE: the document is`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('zonescope diff (a missing design file) exits 2 with DESIGN_UNREADABLE', async () => {
    const r = await run(['diff', join(DIR, 'no-such-design.yaml'), '--db', store.db]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/DESIGN_UNREADABLE: cannot read .*no-such-design\.yaml/);
  });
});
