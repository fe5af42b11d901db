/**
 * Time options (docs/INTERFACES.md "Times"): an ISO 8601 UTC date or date-time (`2026-02-01`,
 * `2026-02-01T06:00:00Z`) or a duration back from the baseline's last record (`14d`, `36h`, `90m`).
 */
import { UsageError } from './commands/command.js';

/** Unix seconds for `value`; `lastSeen` anchors durations (null: an empty baseline, durations give undefined). */
export function parseTimeOption(option: string, value: string, lastSeen: number | null, endOfDay = false): number | undefined {
  const v = value.trim();
  const dur = /^(\d+(?:\.\d+)?)([dhm])$/.exec(v);
  if (dur) {
    if (lastSeen === null) return undefined;
    const unit = dur[2] === 'd' ? 86400 : dur[2] === 'h' ? 3600 : 60;
    return lastSeen - Number(dur[1]) * unit;
  }
  const date = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v);
  if (date || dateTime) {
    const ms = Date.parse(date ? `${v}T00:00:00Z` : v);
    if (Number.isFinite(ms)) return ms / 1000 + (date && endOfDay ? 86400 - 1e-6 : 0);
  }
  throw new UsageError(`--${option} '${value}': expected an ISO 8601 UTC date or date-time (2026-02-01, 2026-02-01T06:00:00Z) or a duration back from the last record (14d, 36h, 90m)`);
}
