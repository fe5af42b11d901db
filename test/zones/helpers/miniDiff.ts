/**
 * TEST HELPER: the flows a zones.yaml (in the form propose writes: IP assets, structured rules) would
 * break, by the rules of docs/INTERFACES.md "Design YAML": same zone never breaks; else a conduit
 * between the two zones must hold an entry with the flow's protocol, transport and port, its initiator
 * zone, and (when listed) its operation classes and main-space function codes. A stand-in for
 * `zonescope diff` until the design stage is on main.
 */
import { parse } from 'yaml';
import type { FlowRecord } from '../../../src/baseline/reader.js';

interface Entry { protocol: string; transport?: string; port: number; direction: string; initiator?: string; operations?: string[]; function_codes?: number[] }
interface Doc {
  zones: Array<{ zone_id: string; assets: string[]; allowed_conduits: string[] }>;
  conduits: Array<{ conduit_id: string; connects: [string, string]; protocols_allowed: Entry[] }>;
}

export function breakingFlows(yamlText: string, flows: readonly FlowRecord[], mainSpace: (p: string) => string | undefined): Array<{ flow: FlowRecord; reason: string }> {
  const doc = parse(yamlText) as Doc;
  const zoneOf = new Map<string, string>();
  for (const z of doc.zones) for (const a of z.assets) zoneOf.set(a, z.zone_id);
  const out: Array<{ flow: FlowRecord; reason: string }> = [];
  for (const f of flows) {
    const zs = zoneOf.get(f.src);
    const zd = zoneOf.get(f.dst);
    if (zs === undefined || zd === undefined) {
      out.push({ flow: f, reason: 'unzoned-asset' });
      continue;
    }
    if (zs === zd) continue;
    const conduits = doc.conduits.filter((c) => c.connects.includes(zs) && c.connects.includes(zd));
    if (conduits.length === 0) {
      out.push({ flow: f, reason: 'no-conduit' });
      continue;
    }
    const entries = conduits.flatMap((c) => c.protocols_allowed).filter((e) => e.protocol === f.protocol && e.port === f.port && (e.transport ?? f.transport) === f.transport);
    if (entries.length === 0) {
      out.push({ flow: f, reason: 'protocol-not-allowed' });
      continue;
    }
    const dir = entries.filter((e) => (e.initiator ?? e.direction.split('->')[0]!.trim()) === zs);
    if (dir.length === 0) {
      out.push({ flow: f, reason: 'wrong-direction' });
      continue;
    }
    const ops = new Set(f.functions.filter((x) => x.requests > 0).map((x) => x.opClass));
    const space = mainSpace(f.protocol);
    const codes = new Set(f.functions.filter((x) => x.requests > 0 && x.space === space).map((x) => x.code));
    const ok = dir.some((e) => (!e.operations || [...ops].every((o) => e.operations!.includes(o))) && (!e.function_codes || [...codes].every((c) => e.function_codes!.includes(c))));
    if (!ok) out.push({ flow: f, reason: 'operation-not-allowed' });
  }
  return out;
}
