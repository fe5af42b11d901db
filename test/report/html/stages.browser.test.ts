/**
 * The report of the real stage documents: the demo plant ingested, then `propose` (zones.json),
 * `assets --json` and `diff --json` with the example design and inventory, then `report --out`, which
 * picks them up; in Chromium: nothing leaves file://, no console error, every zone and conduit id of
 * zones.json on the page, a click on a zone shows its assets, the diff section lists every breaking
 * flow of diff.json (the demo's expected ones among them). (`analyze` writes the same documents once
 * it is wired to the stages.)
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { main } from '../../../src/cli/main.js';
import { REPO_ROOT } from '../../util/captures.js';
import { NullStream } from '../../util/nullStream.js';
import { launch, openReport } from './browser.js';
import { GROUND_TRUTH } from './reportFixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-report-stages-'));
const analyzed = join(tmp, 'analyze');
let browser: Browser;
const run = async (args: string[]): Promise<number> => {
  const out = new NullStream();
  return main(args, { stdout: out as unknown as NodeJS.WriteStream, stderr: new NullStream() as unknown as NodeJS.WriteStream });
};
const db = join(tmp, 'zonescope.db');
const design = join(REPO_ROOT, 'fixtures/examples/refinery-unit3.yaml');
const inventory = join(REPO_ROOT, 'fixtures/examples/refinery-unit3.assets.csv');

beforeAll(async () => {
  expect(await run(['ingest', join(REPO_ROOT, 'fixtures/refinery-unit3'), '--db', db, '-q'])).toBe(0);
  expect(await run(['propose', '--db', db, '--out', tmp, '--inventory', inventory])).toBe(0);
  expect(await run(['assets', '--db', db, '--inventory', inventory, '--json', join(tmp, 'assets.json')])).toBe(0);
  expect(await run(['diff', design, '--db', db, '--inventory', inventory, '--json', join(tmp, 'diff.json')])).toBe(1);
  expect(await run(['report', '--db', db, '--out', tmp, '--title', 'refinery-unit3'])).toBe(0);
  // The main job in one go: analyze writes the same documents and the report into its folder (exit 1: the design breaks flows).
  expect(await run(['analyze', join(REPO_ROOT, 'fixtures/refinery-unit3'), '--out', analyzed, '--design', design, '--inventory', inventory, '-q'])).toBe(1);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('zonescope report (propose, assets and diff documents of the demo plant) and zonescope analyze', () => {
  test.each([
    ['zonescope report of the stage documents', tmp],
    ['zonescope analyze --design --inventory', analyzed],
  ])('report.html of %s: own file only, no error, every zone and conduit id, zone click shows its assets, every breaking flow', async (_what, dir) => {
    const file = join(dir, 'report.html');
    expect(statSync(file).size).toBeLessThan(1_000_000);
    const zones = JSON.parse(readFileSync(join(dir, 'zones.json'), 'utf8')) as { zones: Array<{ id: string; assets: string[] }>; conduits: Array<{ id: string }> };
    const diff = JSON.parse(readFileSync(join(dir, 'diff.json'), 'utf8')) as { breaking: Array<{ src: string; reason: string }> };
    const o = await openReport(browser, file);
    const { page } = o;
    expect(o.requests).toEqual([`file://${file}`]);
    expect(o.consoleErrors).toEqual([]);
    expect(o.pageErrors).toEqual([]);
    expect(await o.cspViolations()).toEqual([]);
    const text = await page.locator('main').innerText();
    for (const z of zones.zones) expect(text).toContain(z.id);
    for (const c of zones.conduits) expect(text).toContain(c.id);
    const zone = zones.zones.find((z) => z.assets.length > 1)!;
    await page.locator(`#zones [data-zone="${zone.id}"] circle`).click();
    const panel = await page.locator('aside.details').innerText();
    for (const ip of zone.assets) expect(panel).toContain(ip);
    expect(await page.locator('#diff .group tbody tr').count()).toBe(diff.breaking.length);
    const diffText = await page.locator('#diff').innerText();
    for (const b of GROUND_TRUTH.expected_breaking) expect(diffText).toContain(b.src);
    for (const r of new Set(diff.breaking.map((b) => b.reason))) expect(diffText).toContain(r);
    if (dir === analyzed) {
      // The README's screenshot: the report of the quick start's analyze with the design, a zone selected.
      await page.setViewportSize({ width: 1680, height: 1000 });
      await page.evaluate('window.scrollTo(0, 0)');
      await page.locator(`#zones [data-zone="${zone.id}"] circle`).click();
      await page.evaluate('window.scrollTo(0, 0)');
      const shot = join(REPO_ROOT, 'reports', 'demo', 'report.png');
      await page.screenshot({ path: shot });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
    }
    await page.context().close();
  });
});
