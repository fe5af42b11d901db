/**
 * Was the baseline long enough? Per day of the capture period: assets seen for the first time, host
 * pairs (edges of the communication graph) seen for the first time, flows seen for the first time;
 * the days since the last new edge; the flows active on one day only. From each flow's hourly activity.
 */
import type { FlowRecord } from '../../baseline/reader.js';
import type { PCompleteness } from './payload.js';

/**
 * `ends[i]` are the asset indices of flow i's initiator and responder; `day0` is floor(first seen /
 * 86400) of the baseline and `days` the number of days in its period.
 */
export function baselineCompleteness(flows: readonly FlowRecord[], ends: ReadonlyArray<readonly [number, number]>, day0: number, days: number): PCompleteness {
  const newAssets = new Array<number>(days).fill(0);
  const newEdges = new Array<number>(days).fill(0);
  const newFlows = new Array<number>(days).fill(0);
  let maxAsset = -1;
  for (const [s, d] of ends) maxAsset = Math.max(maxAsset, s, d);
  const assetFirst = new Float64Array(maxAsset + 1).fill(Infinity);
  const edgeFirst = new Map<number, number>();
  const oneDayFlows: number[] = [];
  flows.forEach((f, i) => {
    let active = 0;
    let last = NaN;
    for (const h of f.hours) {
      const day = Math.floor(h.hour / 24);
      if (day !== last) active++;
      last = day;
    }
    const firstDay = f.hours.length > 0 ? Math.floor(f.hours[0]!.hour / 24) - day0 : Math.floor(f.firstSeen / 86400) - day0;
    if (active === 1) oneDayFlows.push(i);
    if (firstDay >= 0 && firstDay < days) newFlows[firstDay]!++;
    const [s, d] = ends[i]!;
    assetFirst[s] = Math.min(assetFirst[s]!, firstDay);
    assetFirst[d] = Math.min(assetFirst[d]!, firstDay);
    const e = s < d ? s * (maxAsset + 1) + d : d * (maxAsset + 1) + s;
    edgeFirst.set(e, Math.min(edgeFirst.get(e) ?? Infinity, firstDay));
  });
  for (const day of assetFirst) if (day >= 0 && day < days) newAssets[day]!++;
  let lastNewEdge = -1;
  for (const day of edgeFirst.values()) {
    if (day >= 0 && day < days) newEdges[day]!++;
    lastNewEdge = Math.max(lastNewEdge, day);
  }
  return { newAssets, newEdges, newFlows, daysSinceLastNewEdge: lastNewEdge >= 0 && days > 0 ? days - 1 - lastNewEdge : null, oneDayFlows };
}
