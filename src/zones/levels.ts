/** Purdue level arithmetic for the zone constraints: 3.5 (the DMZ) sits between 3 and 4. */
import type { Asset, PurdueLevel } from '../assets/types.js';
import { PURDUE_LEVELS } from '../assets/types.js';

/** Position of a level on the Purdue ladder: 0 1 2 3 3.5 4 5 -> 0..6. */
export function levelRank(level: PurdueLevel): number {
  return PURDUE_LEVELS.indexOf(level);
}

/** Distinct known levels of `assets`, ascending. */
export function levelsOf(assets: Iterable<Asset>): PurdueLevel[] {
  const s = new Set<PurdueLevel>();
  for (const a of assets) if (a.purdueLevel !== null) s.add(a.purdueLevel);
  return [...s].sort((x, y) => levelRank(x) - levelRank(y));
}

/** A zone may span at most two adjacent Purdue levels (L1 with L2 is a control cell; L1 with L3 is not). */
export function spanOk(levels: readonly PurdueLevel[]): boolean {
  if (levels.length === 0) return true;
  return levelRank(levels[levels.length - 1]!) - levelRank(levels[0]!) <= 1;
}

export function formatLevels(levels: readonly PurdueLevel[]): string {
  if (levels.length === 0) return 'no known level';
  return levels.length === 1 ? `L${levels[0]}` : `L${levels[0]}-${levels[levels.length - 1]}`;
}

/** Controllers and field devices: levels 0 and 1. */
export function isController(a: Asset): boolean {
  return a.purdueLevel === 0 || a.purdueLevel === 1;
}

export function hasRole(a: Asset, ...roles: string[]): boolean {
  return a.roles.some((r) => roles.includes(r.role));
}
