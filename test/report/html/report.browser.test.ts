/**
 * The demo plant's report in headless Chromium: nothing leaves file://, no console error, every zone
 * and conduit id of the zones document on the page, a click on a zone shows its assets, the diff
 * section lists the breaking flows; a screenshot goes to reports/.
 * The baseline is the real demo plant; zones, assets and diff are test documents (reportFixtures.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { BaselineReader } from '../../../src/baseline/reader.js';
import { Baseline } from '../../../src/baseline/baseline.js';
import { BaselineReader as Reader } from '../../../src/baseline/reader.js';
import { buildReportModel } from '../../../src/report/html/buildReportModel.js';
import { renderReport } from '../../../src/report/html/renderReport.js';
import { REPO_ROOT } from '../../util/captures.js';
import { launch, openReport, type Opened } from './browser.js';
import { demoParts, demoStore, GROUND_TRUTH } from './reportFixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-report-browser-'));
let browser: Browser;
let reader: BaselineReader;
let parts: ReturnType<typeof demoParts>;
let file: string;
let demo: Opened;

beforeAll(async () => {
  reader = await demoStore(tmp);
  parts = demoParts(reader);
  file = join(tmp, 'report.html');
  writeFileSync(file, renderReport(buildReportModel(reader, { ...parts, title: 'refinery-unit3 (demo)', designName: 'fixtures/examples/refinery-unit3.yaml' })));
  browser = await launch();
  demo = await openReport(browser, file);
});
afterAll(async () => {
  await browser?.close();
  reader?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('renderReport(demo plant) in Chromium', () => {
  test('renderReport(demo) requests nothing but its own file, logs no error, violates no CSP rule, and is under 1 MB', async () => {
    expect(demo.requests).toEqual([`file://${file}`]);
    expect(demo.consoleErrors).toEqual([]);
    expect(demo.pageErrors).toEqual([]);
    expect(await demo.cspViolations()).toEqual([]);
    expect(statSync(file).size).toBeLessThan(1_000_000);
  });

  test('renderReport(demo) shows every zone id and conduit id of the zones document', async () => {
    const zones = parts.zones as { zones: Array<{ id: string }>; conduits: Array<{ id: string }> };
    const graph = await demo.page.locator('#zones').innerText();
    const conduits = await demo.page.locator('#conduits').innerText();
    for (const z of zones.zones) expect(graph).toContain(z.id);
    for (const c of zones.conduits) {
      expect(graph).toContain(c.id);
      expect(conduits).toContain(c.id);
    }
    expect(zones.zones.length).toBe(5);
    expect(zones.conduits.length).toBeGreaterThan(2);
  });

  test('clicking a zone of the graph shows its assets in the details panel', async () => {
    const { page } = demo;
    await page.locator('#zones [data-zone="Z1-SIS"] circle').click();
    const panel = page.locator('aside.details');
    await expect(panel.isVisible()).resolves.toBe(true);
    const text = await panel.innerText();
    expect(text).toContain('Z1-SIS');
    for (const a of GROUND_TRUTH.assets.filter((x) => x.zone === 'Z1-SIS')) expect(text).toContain(a.ip);
    expect(text).not.toContain('10.20.1.10');
  });

  test('clicking an asset dot and a conduit line shows their details', async () => {
    const { page } = demo;
    await page.locator('#zones circle[data-asset="10.20.3.77"]').click({ force: true });
    expect(await page.locator('aside.details').innerText()).toContain('LAPTOP-X');
    await page.keyboard.press('Escape');
    expect(await page.locator('aside.details').isVisible()).toBe(false);
    await page.locator('#zones line[data-conduit="C01"]').click({ force: true });
    const t = await page.locator('aside.details').innerText();
    expect(t).toMatch(/conduit\s+C01/i);
    expect(t).toContain('→');
  });

  test('the Purdue view has one lane per level seen, every asset, and the breaking cross-level flows in red', async () => {
    const { page } = demo;
    const lanes = await page.locator('#purdue text.lanelabel').allTextContents();
    expect(lanes).toEqual(['L4', 'L3.5 DMZ', 'L3', 'L2', 'L1']);
    expect(await page.locator('#purdue circle.asset').count()).toBe(GROUND_TRUTH.assets.length);
    expect(await page.locator('#purdue path.xflow.bad').count()).toBeGreaterThan(0);
  });

  test('searching an IP selects the asset', async () => {
    const { page } = demo;
    await page.fill('header input[type=search]', '10.30.1.30');
    await page.press('header input[type=search]', 'Enter');
    expect(await page.locator('aside.details h2').innerText()).toBe('MES-01');
  });

  test('the diff section lists every breaking flow, grouped by reason', async () => {
    const diff = await demo.page.locator('#diff').innerText();
    for (const b of GROUND_TRUTH.expected_breaking) {
      expect(diff).toContain(b.reason);
      expect(diff).toContain(`(${b.src})`);
      expect(diff).toContain(b.detail);
    }
    expect(await demo.page.locator('#diff .group').count()).toBe(new Set(GROUND_TRUTH.expected_breaking.map((b) => b.reason)).size);
  });

  test('the assets table sorts by a column and filters by text', async () => {
    const { page } = demo;
    await page.locator('#assets .head div', { hasText: 'Packets' }).click();
    await page.fill('#assets input[type=text]', 'PLC-1');
    const rows = await page.locator('#assets .row').allInnerTexts();
    expect(rows.length).toBe(3);
    expect(rows.every((r) => /PLC-1[012]/.test(r))).toBe(true);
    await page.fill('#assets input[type=text]', '');
  });

  test('the flows table filters by operation class', async () => {
    const { page } = demo;
    await page.selectOption('#flows select[aria-label="operation class"]', 'write');
    const rows = await page.locator('#flows .row').allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.includes('write'))).toBe(true);
    await page.selectOption('#flows select[aria-label="operation class"]', '');
  });

  test('selecting a flow shows its own activity, hour by day, in the heatmap', async () => {
    const { page } = demo;
    const flows = reader.flows();
    const pk = (f: (typeof flows)[number]): number => f.packetsToInitiator + f.packetsToResponder;
    const top = flows.reduce((a, b) => (pk(b) > pk(a) ? b : a));
    await page.locator('#flows .row').first().click();
    expect(await page.locator('#activity strong').innerText()).toContain(`${top.protocol}/${top.port}`);
    const cells = await page.locator('#activity rect title').allTextContents();
    const shown = cells.reduce((n, t) => n + Number(/: ([\d,]+) packets$/.exec(t)![1]!.replace(/,/g, '')), 0);
    expect(shown).toBe(top.hours.reduce((n, h) => n + h.packets, 0));
    expect(cells.filter((t) => !t.endsWith(': 0 packets')).length).toBe(top.hours.length);
  });

  test('takes a screenshot of the report (the README one is of analyze\'s report: stages.browser.test.ts)', async () => {
    const { page } = demo;
    await page.fill('header input[type=search]', '');
    await page.setViewportSize({ width: 1680, height: 1000 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.locator('#zones [data-zone="Z2-BPCS"] circle').click();
    await page.evaluate('window.scrollTo(0, 0)');
    const out = join(tmp, 'report.png');
    await page.screenshot({ path: out });
    expect(statSync(out).size).toBeGreaterThan(20_000);
  });

  test('renderReport(baseline only) says there are no zones and no diff, and still shows assets and flows', async () => {
    const only = join(tmp, 'only.html');
    writeFileSync(only, renderReport(buildReportModel(reader, { title: 'baseline only' })));
    const o = await openReport(browser, only);
    expect(o.consoleErrors).toEqual([]);
    expect(await o.page.locator('#zones').innerText()).toMatch(/No zone proposal/);
    expect(await o.page.locator('#diff').innerText()).toMatch(/No design was given/);
    expect(await o.page.locator('#flows .foot').innerText()).toBe(`${reader.overview().flows} rows`);
    await o.page.context().close();
  });

  test('renderReport(an empty baseline with an empty proposal) says there is nothing yet, without an error', async () => {
    const db = join(tmp, 'empty.db');
    Baseline.open(db).close();
    const empty = Reader.open(db);
    const page1 = join(tmp, 'empty.html');
    writeFileSync(page1, renderReport(buildReportModel(empty, { zones: { schema: 'zonescope/zones@1', zones: [], conduits: [] } })));
    empty.close();
    const o = await openReport(browser, page1);
    expect(o.consoleErrors).toEqual([]);
    expect(o.pageErrors).toEqual([]);
    expect(await o.page.locator('#summary').innerText()).toMatch(/no traffic yet/i);
    expect(await o.page.locator('#zones').innerText()).toMatch(/holds no assets/);
    expect(await o.page.locator('#flows .foot').innerText()).toBe('0 rows');
    await o.page.context().close();
  });

  test('renderReport(model, only summary and diff) is the diff page of its own: those two sections, every breaking flow', async () => {
    const page2 = join(tmp, 'diff.html');
    writeFileSync(page2, renderReport(buildReportModel(reader, parts), { sections: ['summary', 'diff'] }));
    const o = await openReport(browser, page2);
    expect(o.consoleErrors).toEqual([]);
    expect(await o.page.locator('section.card').evaluateAll((els) => els.map((e) => e.id))).toEqual(['summary', 'diff']);
    expect(await o.page.locator('#diff tbody tr').count()).toBeGreaterThanOrEqual(GROUND_TRUTH.expected_breaking.length);
    await o.page.context().close();
  });

  test('the WebGL view (sigma) opens over the same layout without an error where WebGL exists', async () => {
    const o = await openReport(browser, file);
    await o.page.locator('#zones button', { hasText: 'WebGL view' }).click();
    await o.page.waitForSelector('#zones .sigma canvas');
    await o.page.waitForTimeout(500);
    expect(o.consoleErrors).toEqual([]);
    expect(o.pageErrors).toEqual([]);
    await o.page.locator('#zones button', { hasText: 'SVG view' }).click();
    expect(await o.page.locator('#zones .sigma').count()).toBe(0);
    await o.page.context().close();
  });

  test('without WebGL the zone graph is the SVG drawing and no WebGL view is offered', async () => {
    const noGl = await launch(['--disable-webgl', '--disable-3d-apis']);
    try {
      const o = await openReport(noGl, file);
      expect(await o.page.evaluate('!!document.createElement("canvas").getContext("webgl")')).toBe(false);
      expect(await o.page.locator('#zones circle.asset').count()).toBe(GROUND_TRUTH.assets.length);
      expect(await o.page.locator('#zones button', { hasText: 'WebGL view' }).count()).toBe(0);
      expect(o.consoleErrors).toEqual([]);
    } finally {
      await noGl.close();
    }
  });
});
