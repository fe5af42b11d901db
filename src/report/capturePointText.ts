/**
 * A capture point in words, as the summary and the report show it:
 * `erspan-ii 192.0.2.1 -> 192.0.2.2 session 7`, `vxlan 10.0.0.1 -> 10.0.0.2 vni 5001`,
 * `mpls 00:00:5e:00:53:01 -> 00:00:5e:00:53:02 label 16`, `gre 192.0.2.1 -> 192.0.2.2`.
 */
const ID_NAMES: Readonly<Record<string, string>> = {
  gre: 'key',
  'erspan-ii': 'session',
  'erspan-iii': 'session',
  vxlan: 'vni',
  mpls: 'label',
  pppoe: 'session',
};

export interface CapturePointLike {
  encapsulation: string;
  outerSrc: string;
  outerDst: string;
  /** -1 or null: none */
  tunnelId: number | null;
}

export function capturePointText(c: CapturePointLike): string {
  const ends = c.outerSrc || c.outerDst ? ` ${c.outerSrc || '?'} -> ${c.outerDst || '?'}` : '';
  const idName = ID_NAMES[c.encapsulation] ?? 'id';
  const id = c.tunnelId !== null && c.tunnelId >= 0 ? ` ${idName} ${c.tunnelId}` : '';
  return `${c.encapsulation}${ends}${id}`;
}
