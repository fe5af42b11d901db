/**
 * A generated plant past the canvas threshold (2 000 assets, 8 000 flows): the zone graph paints its
 * dots on a canvas, a click on a painted dot selects that asset, the tables stay virtual (a few dozen
 * rows in the DOM), and the page logs no error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { generateReportModel } from '../../../bench/reportModel.js';
import { renderReport } from '../../../src/report/html/renderReport.js';
import { launch, openReport } from './browser.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-report-large-'));
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('renderReport(a generated plant of 2 000 assets)', () => {
  test('renderReport(2 000 assets) paints the dots on a canvas, a click on one selects it, and the tables render only the rows in view', async () => {
    const file = join(tmp, 'large.html');
    writeFileSync(file, renderReport(generateReportModel(2000, 8000)));
    const o = await openReport(browser, file);
    const { page } = o;
    expect(o.consoleErrors).toEqual([]);
    expect(await page.locator('#zones canvas.dots').getAttribute('data-assets')).toBe('2000');
    expect(await page.locator('#zones circle.asset').count()).toBe(0);
    await page.locator('#zones').scrollIntoViewIfNeeded();
    const at = await page.evaluate<[number, number] | null>(`(() => {
      const c = document.querySelector('#zones canvas.dots');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const r = c.getBoundingClientRect();
      const k = window.devicePixelRatio || 1;
      for (let y = Math.floor(c.height / 3); y < c.height; y += 2)
        for (let x = Math.floor(c.width / 3); x < c.width; x += 2) if (d[(y * c.width + x) * 4 + 3] === 255) return [r.left + (x + 1) / k, r.top + (y + 1) / k];
      return null;
    })()`);
    expect(at).not.toBeNull();
    await page.mouse.click(at![0], at![1]);
    expect(await page.locator('aside.details .kind').innerText()).toMatch(/asset/i);
    expect(await page.locator('aside.details h2').innerText()).toMatch(/^HOST-\d{5}$/);
    expect(await page.locator('#flows .row').count()).toBeLessThan(60);
    expect(await page.locator('#flows .foot').innerText()).toBe('8,000 rows');
    expect(await page.locator('#assets .row').count()).toBeLessThan(60);
    await page.context().close();
  });
});
