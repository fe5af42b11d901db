/**
 * zones.yaml: the proposal as a design document in the design schema (docs/INTERFACES.md "Zones YAML
 * written by propose"), so the engineer edits it and feeds it to `diff`. Asset entries are IPs (MACs
 * for MAC-only assets); each minimum-conduit rule is one structured `protocols_allowed` entry.
 * Written line by line (not by a YAML library) so the layout is exactly the documented one and the
 * same proposal gives the same bytes; strings are double-quoted JSON strings, which YAML reads as is.
 */
import type { Proposal, Zone } from '../zones/types.js';
import { assetAddress } from './zonesDocument.js';

const PLAIN = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const RESERVED = /^(y|yes|n|no|true|false|on|off|null)$/i;

function scalar(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

function list(items: readonly (string | number)[]): string {
  return `[${items.map((x) => (typeof x === 'number' ? String(x) : scalar(x))).join(', ')}]`;
}

function levelField(z: Zone): string {
  if (z.purdueLevels.length === 0) return 'null';
  if (z.purdueLevels.length === 1) return String(z.purdueLevels[0]);
  return JSON.stringify(`${z.purdueLevels[0]}-${z.purdueLevels[z.purdueLevels.length - 1]}`);
}

function comment(text: string, indent: string): string {
  return `${indent}# ${text.replace(/\s*\n\s*/g, ' ')}`;
}

export interface ZonesYamlOptions {
  /** protocols whose rules list operations and function codes (the dissected ones) */
  hasFunctionCodes: (protocol: string) => boolean;
}

export function zonesYaml(p: Proposal, opts: ZonesYamlOptions): string {
  const addr = new Map(p.placements.map((x) => [x.asset.id, assetAddress(x.asset)]));
  const out: string[] = [
    '# Zones and minimum conduits proposed by zonescope from the observed traffic',
    `# (seed ${p.options.seed}, resolution ${p.options.resolution}${p.options.maxZoneSize > 0 ? `, max zone size ${p.options.maxZoneSize}` : ''}; modularity ${p.quality.modularity}).`,
    '# Edit it and check it with: zonescope diff zones.yaml',
    'zones:',
  ];
  if (p.zones.length === 0) out[out.length - 1] = 'zones: []';
  for (const z of p.zones) {
    out.push(comment(z.rationale, '  '));
    out.push(comment(`SL-T: ${z.securityLevelReason}`, '  '));
    out.push(`  - zone_id: ${scalar(z.id)}`);
    out.push(`    name: ${JSON.stringify(z.name)}`);
    out.push(`    purdue_level: ${levelField(z)}`);
    out.push(`    security_level_target: ${JSON.stringify(z.securityLevelTarget)}`);
    out.push(`    assets: [${z.assets.map((id) => JSON.stringify(addr.get(id) ?? id)).join(', ')}]`);
    out.push(`    allowed_conduits: ${list(z.conduits)}`);
  }
  out.push(p.conduits.length === 0 ? 'conduits: []' : 'conduits:');
  for (const c of p.conduits) {
    out.push(`  - conduit_id: ${scalar(c.id)}`);
    out.push(`    connects: ${list(c.connects)}`);
    out.push(`    security_level: ${JSON.stringify(c.securityLevel)}`);
    out.push('    protocols_allowed:');
    for (const r of c.rules) {
      out.push(comment(`${r.hostPairs.length} host pair${r.hostPairs.length === 1 ? '' : 's'}: ${r.hostPairs.slice(0, 4).map((h) => `${h.src} -> ${h.dst}`).join(', ')}${r.hostPairs.length > 4 ? ' ...' : ''}; ${r.daysSeen} day${r.daysSeen === 1 ? '' : 's'} seen`, '      '));
      for (const f of r.risky) out.push(comment(`RISKY ${f.flag}: ${f.reason}`, '      '));
      out.push(`      - protocol: ${scalar(r.protocol)}`);
      out.push(`        transport: ${scalar(r.transport)}`);
      out.push(`        port: ${r.port}`);
      out.push(`        direction: ${JSON.stringify(`${r.initiatorZone} -> ${r.responderZone}`)}`);
      if (opts.hasFunctionCodes(r.protocol)) {
        out.push(`        initiator: ${scalar(r.initiatorZone)}`);
        if (r.operations.length > 0) out.push(`        operations: ${list(r.operations)}`);
        if (r.functionCodes.length > 0) out.push(`        function_codes: ${list(r.functionCodes)}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
