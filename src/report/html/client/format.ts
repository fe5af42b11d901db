/** Number, size and time formatting for the page; times are UTC, as everywhere in zonescope. */
export function num(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return n.toLocaleString('en-US');
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${n} B`;
  const u = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${u[i]}`;
}

/** 2026-02-05 10:21 (UTC) */
export function time(t: number | null | undefined): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return '';
  return new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

export function day(t: number | null | undefined): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return '';
  return new Date(t * 1000).toISOString().slice(0, 10);
}

export function dayOf(dayIndex: number): string {
  return new Date(dayIndex * 86400000).toISOString().slice(0, 10);
}

export function level(l: number | null | undefined): string {
  return l === null || l === undefined ? '?' : l === 3.5 ? 'L3.5 DMZ' : `L${l}`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${num(n)} ${n === 1 ? word : many}`;
}
