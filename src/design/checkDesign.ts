/**
 * Cross-reference checks of a loaded design: duplicate ids, conduits referenced but not defined and the
 * reverse, an asset in two zones at the same specificity, and the restrictions kept but not checked.
 */
import type { Diagnostic } from '../diagnostics.js';
import { designDiagnostic } from './designCodes.js';
import { portText } from './readConduit.js';
import type { AssetTarget, Design, SourcePos } from './types.js';

const at = (p: SourcePos): string => `line ${p.line}`;

export function targetKey(t: AssetTarget): string {
  return t.kind === 'mac' ? `mac ${t.mac}` : `${t.ip}/${t.prefix}`;
}

export function checkDesign(design: Design): Diagnostic[] {
  const out: Diagnostic[] = [];
  const zones = new Map<string, SourcePos>();
  for (const z of design.zones) {
    const first = zones.get(z.id);
    if (first) out.push(designDiagnostic('DESIGN_DUPLICATE_ZONE', `zone_id ${z.id} is already defined at ${at(first)}`, { ...z.pos, path: `${z.pos.path}.zone_id` }));
    else zones.set(z.id, z.pos);
  }
  const conduits = new Map<string, Design['conduits'][number]>();
  for (const c of design.conduits) {
    const first = conduits.get(c.id);
    if (first) out.push(designDiagnostic('DESIGN_DUPLICATE_CONDUIT', `conduit_id ${c.id} is already defined at ${at(first.pos)}`, { ...c.pos, path: `${c.pos.path}.conduit_id` }));
    else conduits.set(c.id, c);
  }
  for (const [zi, z] of design.zones.entries()) {
    for (const [ci, ref] of z.allowedConduits.entries()) {
      const pos = { ...z.pos, path: `zones[${zi}].allowed_conduits[${ci}]` };
      const c = conduits.get(ref);
      if (!c) out.push(designDiagnostic('DESIGN_UNKNOWN_CONDUIT', `'${ref}' in allowed_conduits of zone ${z.id} is not a conduit of this design (conduits: ${[...conduits.keys()].join(', ') || 'none'})`, pos));
      else if (!c.connects.includes(z.id)) out.push(designDiagnostic('DESIGN_CONDUIT_NOT_CONNECTED', `zone ${z.id} lists ${ref}, which connects ${c.connects.join(', ')} only`, pos));
    }
  }
  for (const c of design.conduits) {
    for (const zid of c.connects) {
      const z = design.zones.find((x) => x.id === zid);
      if (z && z.listsConduits && !z.allowedConduits.includes(c.id)) {
        out.push(designDiagnostic('DESIGN_CONDUIT_UNREFERENCED', `conduit ${c.id} connects ${zid}, but zone ${zid} does not list it in allowed_conduits (the conduit is still evaluated)`, c.connectsPos));
      }
    }
    for (const r of c.rules) {
      for (const n of r.notes) {
        out.push(designDiagnostic('DESIGN_RESTRICTION_NOT_CHECKED', `'${n.text}' on ${c.id} ${r.protocol ?? 'port'} ${portText(r.ports)} is kept as a note, not machine-checked`, n.pos));
      }
      if (r.unidirectional && r.transport !== 'udp') {
        out.push(designDiagnostic('DESIGN_UNIDIRECTIONAL_TCP', `${c.id} ${r.protocol ?? 'port'} ${portText(r.ports)} is unidirectional: who initiates is checked; that no payload flows back cannot be checked on TCP`, { ...r.pos, path: `${r.pos.path}.direction` }));
      }
    }
  }
  // The same address in two zones at the same specificity (an IP beats a CIDR; a /24 beats a /16).
  const owner = new Map<string, { zone: string; pos: SourcePos; text: string }>();
  for (const z of design.zones) {
    for (const a of z.assets) {
      for (const t of a.targets) {
        const k = targetKey(t);
        const first = owner.get(k);
        if (!first) owner.set(k, { zone: z.id, pos: a.pos, text: a.text });
        else if (first.zone !== z.id) {
          const what = t.kind === 'mac' ? t.mac : t.prefix === (t.family === 4 ? 32 : 128) ? t.ip : `${t.ip}/${t.prefix}`;
          out.push(designDiagnostic('DESIGN_ASSET_IN_TWO_ZONES', `'${a.text}' puts ${what} in zone ${z.id}, but '${first.text}' (${at(first.pos)}) already puts it in zone ${first.zone} at the same specificity`, a.pos));
        }
      }
    }
  }
  return out;
}
