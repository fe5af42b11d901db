/**
 * Device names are attacker-controlled. A capture whose ENIP ListIdentity product names and Modbus
 * FC 43/14 device-identification objects carry <script> and <img onerror> payloads is ingested; the
 * identities reach the report model (through an assets document made from the store's identities,
 * as the assets stage does) and a zone name and a diff detail carry payloads too. In Chromium none of
 * it runs: no flag set, no dialog, no CSP violation, and the payloads are shown as plain text.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { BaselineReader } from '../../../src/baseline/reader.js';
import { buildReportModel } from '../../../src/report/html/buildReportModel.js';
import { renderReport } from '../../../src/report/html/renderReport.js';
import { launch, openReport } from './browser.js';
import { assetsFromIdentities, ingestStore, writeXssCapture, XSS_NAMES } from './reportFixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-report-xss-'));
let browser: Browser;
let reader: BaselineReader;

beforeAll(async () => {
  const cap = join(tmp, 'xss.pcap');
  writeXssCapture(cap);
  reader = await ingestStore(tmp, 'xss', [cap]);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  reader?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('renderReport(hostile identities)', () => {
  test('ingest(the crafted capture) stores the payloads as ENIP and Modbus identities', () => {
    const ids = reader.identities();
    const values = (proto: string): string[] => ids.filter((i) => i.protocol === proto).map((i) => i.value);
    expect(values('enip')).toEqual(expect.arrayContaining([XSS_NAMES[0], XSS_NAMES[2]]));
    expect(values('modbus')).toEqual(expect.arrayContaining([XSS_NAMES[1], XSS_NAMES[3], XSS_NAMES[0], XSS_NAMES[2]]));
  });

  test('renderReport(payloads in names, zones and diff) runs none of them in Chromium and shows them as text', async () => {
    const assets = assetsFromIdentities(reader) as { assets: Array<{ ip: string }> };
    const ips = assets.assets.map((a) => a.ip);
    expect(ips.length).toBe(3);
    const zones = {
      schema: 'zonescope/zones@1',
      zones: [{ id: 'Z01', name: XSS_NAMES[1], purdue_level: 1, purdue_levels: [1], security_level_target: XSS_NAMES[3], assets: [...ips, '10.9.0.5'], rationale: XSS_NAMES[0] }],
      conduits: [],
    };
    const diff = {
      schema: 'zonescope/diff@1', summary: { breaking: 1 },
      breaking: [{ src: '10.9.0.5', dst: ips[0], transport: 'tcp', port: 44818, protocol: 'enip', src_zone: XSS_NAMES[2], dst_zone: 'Z01', reason: 'no-conduit', detail: XSS_NAMES[1] }],
      findings: [{ code: 'X', severity: 'warning', message: XSS_NAMES[0] }],
    };
    const file = join(tmp, 'report.html');
    const html = renderReport(buildReportModel(reader, { title: XSS_NAMES[2], assets, zones, diff }));
    writeFileSync(file, html);
    // No payload survives as markup anywhere in the file (the data block escapes every '<').
    for (const p of XSS_NAMES) expect(html).not.toContain(p);
    expect(readFileSync(file, 'utf8').match(/<script/g)!.length).toBe(2);

    const o = await openReport(browser, file);
    const { page } = o;
    await page.locator('#zones [data-zone="Z01"] circle').click();
    await page.locator('#assets .row').first().click();
    await page.waitForTimeout(300);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(o.dialogs).toEqual([]);
    expect(await o.cspViolations()).toEqual([]);
    expect(o.consoleErrors).toEqual([]);
    expect(o.requests).toEqual([`file://${file}`]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#app script, #app svg svg').count()).toBe(0);
    const text = await page.locator('body').innerText();
    for (const p of XSS_NAMES) expect(text).toContain(p);
    expect(await page.title()).toBe(`zonescope report: ${XSS_NAMES[2]}`);
    await page.context().close();
  });
});
