/**
 * Deterministic layout of the zone graph: one row per Purdue level (enterprise on top, field devices
 * at the bottom, as Purdue diagrams are drawn; or one column per level when that fits the page
 * better), zones as discs side by side, each zone's assets on a sunflower spiral inside its disc.
 * Assets in no zone form a dashed group of their own, last.
 */
import type { Payload } from '../payload.js';

export interface ZoneDisc {
  /** zone index, -1 for the unzoned group */
  z: number;
  x: number;
  y: number;
  r: number;
  members: number[];
}

export interface Layout {
  discs: ZoneDisc[];
  /** per asset: x, y (NaN when the asset is not drawn) */
  ax: Float64Array;
  ay: Float64Array;
  width: number;
  height: number;
}

const GAP = 60;
const ROW_GAP = 90;

/** Rows of levels (enterprise on top) or, when that is much taller than wide, columns (enterprise on the left). */
export function zoneLayout(d: Payload, labelWidth: (z: number) => number = () => 0): Layout {
  const rows = place(d, false, labelWidth);
  if (rows.height <= rows.width * 0.75) return rows;
  const cols = place(d, true, labelWidth);
  const fit = (l: Layout): number => Math.abs(Math.log(l.width / l.height / 2));
  return fit(cols) < fit(rows) ? cols : rows;
}

function place(d: Payload, transpose: boolean, labelWidth: (z: number) => number): Layout {
  const ax = new Float64Array(d.assets.length).fill(NaN);
  const ay = new Float64Array(d.assets.length).fill(NaN);
  const groups: Array<{ z: number; level: number; members: number[] }> = d.zones.map((z, i) => ({
    z: i,
    level: z.levels.length > 0 ? Math.min(...z.levels) : -1,
    members: z.assets,
  }));
  const unzoned = d.assets.map((a, i) => (a.zone < 0 ? i : -1)).filter((i) => i >= 0);
  if (unzoned.length > 0) groups.push({ z: -1, level: -2, members: unzoned });
  const bands = new Map<number, typeof groups>();
  for (const g of groups) bands.set(g.level, [...(bands.get(g.level) ?? []), g]);
  const levels = [...bands.keys()].sort((a, b) => b - a);
  const discs: ZoneDisc[] = [];
  const bandLengths: number[] = [];
  // Along a band: zones side by side; across bands: one band per level.
  let across = 0;
  for (const lv of levels) {
    const band = bands.get(lv)!;
    const radii = band.map((g) => Math.max(34, 11 * Math.sqrt(g.members.length) + 14));
    const maxR = Math.max(...radii);
    const maxLabel = Math.max(...band.map((g) => labelWidth(g.z)));
    let along = 0;
    band.forEach((g, k) => {
      const r = radii[k]!;
      // In a row, a disc takes the room of its label too; in a column, the column is as wide as its widest label.
      const room = transpose ? 2 * r + 40 : Math.max(2 * r, labelWidth(g.z));
      discs.push({ z: g.z, x: along + room / 2, y: across + maxR + (transpose ? 0 : 30), r, members: g.members });
      along += room + GAP;
    });
    bandLengths.push(along - GAP);
    across += transpose ? Math.max(2 * maxR, maxLabel) + GAP : 2 * maxR + ROW_GAP;
  }
  const length = Math.max(300, ...bandLengths);
  let di = 0;
  levels.forEach((lv, li) => {
    const n = bands.get(lv)!.length;
    const shift = (length - bandLengths[li]!) / 2;
    for (let k = 0; k < n; k++) discs[di + k]!.x += shift;
    di += n;
  });
  if (transpose) {
    // Columns: centre each disc in its column's width; leave room above for the labels.
    let x = 0;
    let li = 0;
    let k = 0;
    const widths = levels.map((lv) => { const band = bands.get(lv)!; return Math.max(...band.map((g) => Math.max(34, 11 * Math.sqrt(g.members.length) + 14) * 2), ...band.map((g) => labelWidth(g.z))); });
    const colX: number[] = [];
    for (const w of widths) {
      colX.push(x + w / 2);
      x += w + GAP;
    }
    for (const disc of discs) {
      const y = disc.x + 30;
      disc.x = colX[li]!;
      disc.y = y;
      if (++k === bands.get(levels[li]!)!.length) {
        li++;
        k = 0;
      }
    }
    across = x;
  }
  for (const disc of discs) {
    const n = disc.members.length;
    const inner = disc.r - 10;
    disc.members.forEach((a, k) => {
      if (!Number.isNaN(ax[a]!)) return;
      const rr = n === 1 ? 0 : inner * Math.sqrt((k + 0.5) / n);
      const t = k * 2.399963229728653;
      ax[a] = disc.x + rr * Math.cos(t);
      ay[a] = disc.y + rr * Math.sin(t);
    });
  }
  const extent = Math.max(200, across - (transpose ? GAP : ROW_GAP) + (transpose ? 0 : 30));
  return transpose ? { discs, ax, ay, width: extent, height: length + 30 } : { discs, ax, ay, width: length, height: extent };
}
