/** The parsed data block, its lookup tables and the current selection, shared by every view. */
import type { PAsset, PFlow, Payload } from '../payload.js';

export type Selection = { kind: 'asset' | 'zone' | 'conduit' | 'flow'; i: number };

export interface State {
  data: Payload;
  /** flows of each asset (as initiator or responder) */
  flowsOf: number[][];
  /** zone palette colour per zone index; grey for none */
  zoneColor: (z: number) => string;
  assetLabel: (i: number) => string;
  zoneLabel: (z: number) => string;
  select: (s: Selection) => void;
  onSelect: Array<(s: Selection) => void>;
  /** heatmap subject: a flow list and its title */
  showActivity: (flows: number[], title: string) => void;
  onActivity: Array<(flows: number[], title: string) => void>;
}

const PALETTE = ['#1f77b4', '#e6550d', '#2ca02c', '#9467bd', '#d62728', '#8c564b', '#17becf', '#bcbd22', '#e377c2', '#3182bd', '#31a354', '#756bb1', '#636363', '#fd8d3c', '#6baed6', '#74c476', '#9e9ac8', '#969696'];

export function createState(data: Payload): State {
  const flowsOf: number[][] = data.assets.map(() => []);
  data.flows.forEach((f: PFlow, i: number) => {
    flowsOf[f.s]!.push(i);
    if (f.d !== f.s) flowsOf[f.d]!.push(i);
  });
  const st: State = {
    data,
    flowsOf,
    zoneColor: (z) => (z < 0 ? '#9aa3ae' : PALETTE[z % PALETTE.length]!),
    assetLabel: (i) => {
      const a: PAsset | undefined = data.assets[i];
      if (!a) return '?';
      return a.name ? `${a.name} (${a.ip ?? a.id})` : a.ip ?? a.id;
    },
    zoneLabel: (z) => (z < 0 ? 'no zone' : data.zones[z]!.id),
    onSelect: [],
    onActivity: [],
    select: (s) => st.onSelect.forEach((f) => f(s)),
    showActivity: (flows, title) => st.onActivity.forEach((f) => f(flows, title)),
  };
  return st;
}
