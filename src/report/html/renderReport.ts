/**
 * ReportModel -> one self-contained HTML file: inline CSS, the data as a JSON block
 * (type application/json, never executed), the bundled page script; a Content-Security-Policy that
 * allows exactly that script and that style (by sha256) and nothing from anywhere else, so an
 * injected tag neither runs nor loads. The page renders every string from the data with textContent.
 */
import { createHash } from 'node:crypto';
import { clientScript } from './clientScript.js';
import type { ReportModel } from './model.js';
import { reportData, type ReportOptions } from './reportData.js';
import { toWire, type Payload } from './payload.js';
import { REPORT_CSS } from './styles.js';

/** JSON that is safe inside <script type="application/json">: no `<` (so no `</script>` or `<!--`), no U+2028/9. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const sha256 = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

export function contentSecurityPolicy(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    'img-src data:',
    "connect-src 'none'",
    "font-src 'none'",
    "object-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The page for an already reduced payload (the bench renders generated payloads directly). */
export function renderPayload(payload: Payload): string {
  const script = clientScript().replace(/<\/(script)/gi, '<\\/$1');
  if (/<!--|<script/i.test(script)) throw new Error('the page script contains an HTML comment or script opener and cannot be inlined');
  const csp = contentSecurityPolicy(script, REPORT_CSS);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`zonescope report: ${payload.title}`)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<noscript><p class="noscript">This report draws its tables and graphs with the script inside this file; enable JavaScript for file:// pages to read it. Nothing is fetched from the network.</p></noscript>',
    '<div id="app"></div>',
    `<script type="application/json" id="zs-data">${jsonForScript(toWire(payload))}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The whole report, or only some sections (`{ sections: ['summary', 'diff'] }`: the page `diff --html` writes). */
export function renderReport(model: ReportModel, opts: ReportOptions = {}): string {
  return renderPayload(reportData(model, opts));
}
