/** The `zonescope assets` table: one line per asset, then the inventory lists. */
import type { AssetSet } from '../../assets/types.js';
import { day } from '../format.js';

function cut(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}~`;
}

export function assetsTable(set: AssetSet): string {
  const head = ['ip', 'mac', 'name', 'vendor / product', 'roles', 'level', 'safety', 'first seen', 'last seen'];
  const rows = set.assets.map((a) => [
    a.ip ?? '-',
    a.mac ?? (a.behindRouter ? '(behind router)' : '-'),
    cut(a.name ?? '-', 28),
    // The product says more than the vendor: the vendor is shortened first.
    cut([a.vendor && a.product ? cut(a.vendor, 20) : a.vendor, a.product].filter((x) => x).join(' / ') || '-', 44),
    cut(a.roles.map((r) => `${r.role}(${r.count})`).join(' ') || '-', 48),
    a.purdueLevel === null ? '?' : `${a.purdueLevel} (${Math.round(a.levelConfidence * 100)}%)`,
    a.safety ? 'SAFETY' : '',
    day(a.firstSeen || null).slice(0, 16),
    day(a.lastSeen || null).slice(0, 16),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line)];
  out.push('', `${set.assets.length} assets; ${set.assets.filter((a) => a.safety).length} safety; ${set.assets.filter((a) => a.purdueLevel === null).length} without a level`);
  if (set.unseen.length > 0) out.push(`unseen (in the inventory, never in the traffic): ${set.unseen.map((e) => `${e.id} (line ${e.line}${e.ip ? `, ${e.ip}` : ''})`).join(', ')}`);
  if (set.uninventoried.length > 0) out.push(`uninventoried (in the traffic, in no inventory row): ${set.uninventoried.join(', ')}`);
  return `${out.join('\n')}\n`;
}
