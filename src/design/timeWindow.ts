/**
 * Time options (docs/INTERFACES.md "Times"): an ISO 8601 UTC date or date-time ("2026-02-01",
 * "2026-02-01T06:00:00Z") or a duration back from the baseline's last record ("14d", "36h", "2w",
 * "90m"). A date alone as `until` means the end of that day.
 */
const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 };

export type TimeParse = { ok: true; value: number } | { ok: false; message: string };

export function parseTimeOption(text: string, lastRecord: number | null, edge: 'since' | 'until'): TimeParse {
  const t = text.trim();
  const dur = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(t);
  if (dur) {
    if (lastRecord === null) return { ok: false, message: `'${t}' counts back from the baseline's last record, but the baseline has no records` };
    return { ok: true, value: lastRecord - Number(dur[1]) * UNIT[dur[2]!.toLowerCase()]! };
  }
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(t);
  const iso = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(t);
  const ms = iso ? Date.parse(dateOnly ? `${t}T00:00:00Z` : /Z|[+-]\d{2}:?\d{2}$/.test(t) ? t.replace(' ', 'T') : `${t.replace(' ', 'T')}Z`) : NaN;
  if (Number.isNaN(ms)) {
    return { ok: false, message: `'${t}' is neither an ISO 8601 UTC date or date-time (2026-02-01, 2026-02-01T06:00:00Z) nor a duration back from the last record (14d, 36h)` };
  }
  return { ok: true, value: ms / 1000 + (dateOnly && edge === 'until' ? 86400 - 1e-6 : 0) };
}
