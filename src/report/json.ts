/**
 * Canonical JSON and time formatting shared by every document zonescope writes: UTC ISO-8601 times
 * with microseconds, two-space indentation, keys in the order the document builder sets them
 * (builders set them in a fixed order), so the same baseline gives the same bytes.
 */

/** UTC ISO-8601 time from float seconds since the epoch: 2026-01-05T07:00:00.123456Z. */
export function isoTime(ts: number): string {
  const sec = Math.floor(ts);
  let micros = Math.round((ts - sec) * 1e6);
  let s = sec;
  if (micros >= 1e6) {
    s += 1;
    micros -= 1e6;
  }
  const base = new Date(s * 1000).toISOString().slice(0, 19);
  return micros === 0 ? `${base}Z` : `${base}.${String(micros).padStart(6, '0')}Z`;
}

export function canonicalJson(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
