/**
 * Adjusted Rand index (Hubert & Arabie 1985) of two labelings of the same items: 1 for identical
 * partitions, about 0 for chance agreement. Test helper.
 */
export function adjustedRandIndex(truth: readonly string[], found: readonly string[]): number {
  if (truth.length !== found.length) throw new Error('labelings of different lengths');
  const n = truth.length;
  const c2 = (x: number): number => (x * (x - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = `${truth[i]}\u0000${found[i]}`;
    cells.set(k, (cells.get(k) ?? 0) + 1);
    rows.set(truth[i]!, (rows.get(truth[i]!) ?? 0) + 1);
    cols.set(found[i]!, (cols.get(found[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const v of cells.values()) index += c2(v);
  let a = 0;
  for (const v of rows.values()) a += c2(v);
  let b = 0;
  for (const v of cols.values()) b += c2(v);
  const expected = (a * b) / c2(n);
  const max = (a + b) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
