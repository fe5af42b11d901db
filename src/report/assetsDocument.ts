/**
 * The `zonescope/assets@1` document (docs/INTERFACES.md "Assets JSON") and its CSV form: snake_case,
 * keys in a fixed order, times as UTC ISO-8601, so the same baseline gives the same bytes.
 */
import { writeFileSync } from 'node:fs';
import type { Asset, AssetSet, Evidence, InventoryEntry } from '../assets/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { canonicalJson, isoTime } from './json.js';

const time = (t: number | undefined): string | null => (t === undefined || !Number.isFinite(t) || t <= 0 ? null : isoTime(t));

function evidenceEntry(e: Evidence): Record<string, unknown> {
  const o: Record<string, unknown> = { about: e.about, text: e.text, source: e.source };
  if (e.capture !== undefined) o.capture = e.capture.split(/[\\/]/).pop();
  if (e.frame !== undefined) o.frame = e.frame;
  if (e.line !== undefined) o.line = e.line;
  if (e.firstSeen !== undefined) o.first_seen = time(e.firstSeen);
  if (e.lastSeen !== undefined) o.last_seen = time(e.lastSeen);
  return o;
}

export function assetEntry(a: Asset): Record<string, unknown> {
  const identity: Record<string, string> = {};
  for (const k of Object.keys(a.identity).sort()) identity[k] = a.identity[k]!;
  return {
    id: a.id, ip: a.ip, mac: a.mac, behind_router: a.behindRouter, name: a.name, hostnames: a.hostnames,
    inventory_id: a.inventoryId, vendor: a.vendor, product: a.product, identity,
    roles: a.roles.map((r) => ({ role: r.role, count: r.count })),
    purdue_level: a.purdueLevel, level_confidence: Math.round(a.levelConfidence * 100) / 100,
    safety: a.safety, safety_reason: a.safetyReason,
    packets: a.packets, bytes: a.bytes, first_seen: time(a.firstSeen), last_seen: time(a.lastSeen), in_inventory: a.inInventory,
    evidence: a.evidence.map(evidenceEntry),
  };
}

function unseenEntry(e: InventoryEntry): Record<string, unknown> {
  return { line: e.line, name: e.name, id: e.id, ip: e.ip, mac: e.mac, purdue_level: e.purdueLevel, role: e.role };
}

function diagnosticEntry(d: Diagnostic): Record<string, unknown> {
  const o: Record<string, unknown> = { code: d.code, severity: d.severity };
  if (d.file !== undefined) o.file = d.file;
  if (d.line !== undefined) o.line = d.line;
  if (d.column !== undefined) o.column = d.column;
  o.message = d.message;
  return o;
}

export function assetsDocument(set: AssetSet): Record<string, unknown> {
  return {
    schema: 'zonescope/assets@1',
    assets: set.assets.map(assetEntry),
    unseen: set.unseen.map(unseenEntry),
    uninventoried: set.uninventoried,
    diagnostics: set.diagnostics.map(diagnosticEntry),
  };
}

/** Writes assets.json (canonical JSON); analyze calls this for its output folder. */
export function writeAssetsJson(set: AssetSet, path: string): void {
  writeFileSync(path, canonicalJson(assetsDocument(set)));
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading = + - @ is prefixed with ' (spreadsheet formula injection). */
function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const ASSET_CSV_COLUMNS = [
  'id', 'ip', 'mac', 'name', 'inventory_id', 'vendor', 'product', 'roles', 'purdue_level', 'level_confidence', 'safety',
  'safety_reason', 'behind_router', 'hostnames', 'packets', 'bytes', 'first_seen', 'last_seen', 'in_inventory', 'level_evidence',
] as const;

/**
 * The assets as CSV (RFC 4180: CRLF, a header row), UTF-8 with a byte-order mark so that spreadsheet
 * programs read names with accents correctly.
 */
export function assetsCsv(set: AssetSet): string {
  const lines = [ASSET_CSV_COLUMNS.join(',')];
  for (const a of set.assets) {
    lines.push([
      a.id, a.ip, a.mac, a.name, a.inventoryId, a.vendor, a.product, a.roles.map((r) => `${r.role} (${r.count})`).join('; '),
      a.purdueLevel, Math.round(a.levelConfidence * 100) / 100, a.safety, a.safetyReason, a.behindRouter, a.hostnames.join('; '),
      a.packets, a.bytes, time(a.firstSeen), time(a.lastSeen), a.inInventory,
      a.evidence.filter((e) => e.about === 'level').map((e) => e.text).join('; '),
    ].map(csvField).join(','));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
