/** renderReport / reportData / buildReportModel on the demo plant (real baseline, test documents). */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaselineReader } from '../../../src/baseline/reader.js';
import { buildReportModel } from '../../../src/report/html/buildReportModel.js';
import { ReportModelError } from '../../../src/report/html/model.js';
import { escapeHtml, jsonForScript, renderReport } from '../../../src/report/html/renderReport.js';
import { reportData } from '../../../src/report/html/reportData.js';
import { demoParts, demoStore, GROUND_TRUTH } from './reportFixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-report-'));
let reader: BaselineReader;
let parts: ReturnType<typeof demoParts>;
beforeAll(async () => {
  reader = await demoStore(tmp);
  parts = demoParts(reader);
});
afterAll(() => {
  reader?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('jsonForScript / escapeHtml', () => {
  test('jsonForScript(strings with </script>, <!--, U+2028/9) has no < and parses back to the same value', () => {
    const v = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'line\u2028sep\u2029', d: '&amp; >' };
    const s = jsonForScript(v);
    expect(s).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(s)).toEqual(v);
  });
  test('escapeHtml(markup) escapes & < > " \'', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});

describe('renderReport(demo plant)', () => {
  test('renderReport(model) is one file whose CSP allows exactly its inline script and style, by hash, and names no external URL', () => {
    const html = renderReport(buildReportModel(reader, parts));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    // The page's elements: one style in the head, the data block and one script at the end of the body.
    const head = html.slice(0, html.indexOf('</head>'));
    const styles = [...head.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    const scripts = [/\n<script>([\s\S]*)<\/script>\n<\/body>\n<\/html>\n$/.exec(html)![1]!];
    expect(styles.length).toBe(1);
    expect(html.match(/<script[ >]/g)!.length).toBe(2);
    expect(html).toMatch(/<script type="application\/json" id="zs-data">[^<]*<\/script>\n<script>/);
    const hash = (s: string): string => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    expect(csp).toContain(`script-src ${hash(scripts[0]!)}`);
    expect(csp).toContain(`style-src ${hash(styles[0]!)}`);
    // The only URLs are XML namespace names inside the script (never fetched).
    const urls = [...new Set(html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [])].sort();
    expect(urls).toEqual(['http://www.w3.org/1999/xhtml', 'http://www.w3.org/2000/svg']);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);
  });

  test('renderReport(same model) gives the same bytes twice', () => {
    expect(renderReport(buildReportModel(reader, parts))).toBe(renderReport(buildReportModel(reader, parts)));
  });
});

describe('reportData(demo model)', () => {
  test('reportData(model) puts every asset of each zone in that zone and links every breaking flow to its observed flow', () => {
    const d = reportData(buildReportModel(reader, parts));
    expect(d.zones.map((z) => z.id)).toEqual(['Z1-SIS', 'Z2-BPCS', 'Z3-OPS', 'Z4-DMZ', 'Z5-ENT']);
    for (const z of d.zones) {
      const expected = GROUND_TRUTH.assets.filter((a) => a.zone === z.id).map((a) => a.ip).sort();
      expect(z.assets.map((i) => d.assets[i]!.ip).sort()).toEqual(expected);
    }
    expect(d.assets.find((a) => a.ip === '10.20.3.77')!.zone).toBe(-1);
    expect(d.diff!.breaking.length).toBe(GROUND_TRUTH.expected_breaking.length);
    for (const b of d.diff!.breaking) {
      expect(b.flow).toBeGreaterThanOrEqual(0);
      const f = d.flows[b.flow]!;
      expect([d.assets[f.s]!.ip, d.assets[f.d]!.ip, f.p]).toEqual([b.src, b.dst, b.p]);
      expect(f.br).toBeGreaterThanOrEqual(0);
    }
    expect(d.flows.filter((f) => f.br >= 0).length).toBe(GROUND_TRUTH.expected_breaking.length);
  });

  test('reportData(model) gives each conduit rule exactly the cross-zone flows it carries, with their host pairs', () => {
    const d = reportData(buildReportModel(reader, parts));
    const carried = new Set<number>();
    for (const c of d.conduits) {
      for (const r of c.rules) {
        expect(r.flows.length).toBeGreaterThan(0);
        for (const fi of r.flows) {
          const f = d.flows[fi]!;
          expect([d.assets[f.s]!.zone, d.assets[f.d]!.zone, f.t, f.p]).toEqual([r.iz, r.rz, r.transport, r.port]);
          expect(r.pairs).toContainEqual([f.s, f.d]);
          carried.add(fi);
        }
        expect(r.packets).toBe(r.flows.reduce((n, fi) => n + d.flows[fi]!.pk, 0));
      }
    }
    const cross = d.flows.map((f, i) => ({ f, i })).filter(({ f }) => d.assets[f.s]!.zone >= 0 && d.assets[f.d]!.zone >= 0 && d.assets[f.s]!.zone !== d.assets[f.d]!.zone);
    expect(cross.length).toBeGreaterThan(10);
    expect(cross.every(({ i }) => carried.has(i))).toBe(true);
  });

  test('reportData(baseline only) has no zones, no conduits and no diff, and one asset per flow endpoint', () => {
    const d = reportData(buildReportModel(reader, {}));
    expect(d.has).toEqual({ assets: false, zones: false, diff: false, events: false });
    expect([d.zones.length, d.conduits.length, d.diff]).toEqual([0, 0, null]);
    const ends = new Set(reader.flows().flatMap((f) => [f.src, f.dst]));
    expect(d.assets.map((a) => a.ip).sort()).toEqual([...ends].sort());
    expect(d.summary.flows).toBe(reader.overview().flows);
  });

  test('reportData(flows) packs each flow\'s hours so that they sum to its packets', () => {
    const d = reportData(buildReportModel(reader, {}));
    const flows = reader.flows();
    d.flows.forEach((f, i) => {
      const sum = f.h ? f.h.split(',').reduce((n, p) => n + parseInt(p.split('.')[1]!, 36), 0) : 0;
      expect(sum).toBe(flows[i]!.hours.reduce((n, h) => n + h.packets, 0));
    });
  });
});

describe('buildReportModel(bad parts)', () => {
  test('buildReportModel(zones with a numeric zone id) throws ReportModelError naming the part and the path', () => {
    expect(() => buildReportModel(reader, { zones: { schema: 'zonescope/zones@1', zones: [{ id: 3, assets: [] }], conduits: [] } })).toThrow(ReportModelError);
    expect(() => buildReportModel(reader, { zones: { schema: 'zonescope/zones@1', zones: [{ id: 3, assets: [] }], conduits: [] } })).toThrow(/^zones: zones\[0\]\.id: /);
  });
  test('buildReportModel(a diff document of another schema) throws ReportModelError', () => {
    expect(() => buildReportModel(reader, { diff: { schema: 'zonescope/zones@1', breaking: [] } })).toThrow(/^diff: schema: /);
  });
  test('buildReportModel(documents with fields a newer schema adds) keeps working', () => {
    const zones = parts.zones as { zones: Array<Record<string, unknown>> };
    const newer = { ...zones, schema: 'zonescope/zones@2', extra: [1, 2], zones: zones.zones.map((z) => ({ ...z, future: { x: 1 } })) };
    expect(reportData(buildReportModel(reader, { zones: newer })).zones.length).toBe(5);
  });
});
