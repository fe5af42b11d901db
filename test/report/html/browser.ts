/**
 * Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with the launch flags of
 * ../shared/design/DEPENDENCIES.md and a fresh profile per launch. `openReport` loads a report from
 * file:// and records everything the page does that a report must never do: requests to anything but
 * the file itself (all other requests are aborted), console errors, page errors, CSP violations, dialogs.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export interface Opened {
  page: Page;
  /** every URL the page requested, the report itself included */
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  /** performance.now() when the graph and the asset table were painted, and when all sections were */
  times: { graph?: number; assets?: number; all?: number };
  cspViolations(): Promise<string[]>;
}

export async function openReport(browser: Browser, file: string, viewport = { width: 1440, height: 900 }): Promise<Opened> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const o: Opened = {
    page, requests: [], consoleErrors: [], pageErrors: [], dialogs: [], times: {},
    cspViolations: () => page.evaluate<string[]>('window.__csp ?? []'),
  };
  await context.route('**/*', (route) => (route.request().url().startsWith('file://') ? route.continue() : route.abort()));
  page.on('request', (r) => o.requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') o.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => o.pageErrors.push(e.message));
  page.on('dialog', (d) => { o.dialogs.push(d.message()); void d.dismiss(); });
  // (browser-side code as strings: this test program is typed for Node, without the DOM)
  await page.addInitScript({
    content: "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));",
  });
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-rendered=all]', { timeout: 30000 });
  o.times = await page.evaluate<Opened['times']>('window.__zsTimes');
  return o;
}
