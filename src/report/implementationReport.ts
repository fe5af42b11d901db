/**
 * The "IEC 62443 Zone Implementation Report" that integrators hand over (the layout of
 * fixtures/examples/implementation-report-format.txt): zones with SL-T, asset counts, conduits and
 * controls; conduits with protocols and direction, allow/deny rule counts and whether DPI is needed;
 * validation results from the diff: cross-zone flows allowed and breaking, prohibited paths observed,
 * function-code restrictions checked, restrictions not machine-checked. Plain text, deterministic.
 */
import { ruleLabel } from '../design/evaluateFlow.js';
import { portText } from '../design/readConduit.js';
import type { DesignRule, DiffResult, FlowVerdict } from '../design/types.js';

export interface ImplementationReportOptions {
  /** shown as Implementation Date when the design has no assessment_date (YYYY-MM-DD) */
  date?: string;
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;

function ruleText(r: DesignRule): string {
  const dir = r.initiator ? `${r.initiator} -> ${r.responder ?? 'any'}` : 'either way';
  const limits: string[] = [];
  if (r.operations) limits.push(`operations ${r.operations.join('/')}`);
  if (r.functionCodes) limits.push(`codes ${r.functionCodes.join('/')}`);
  if (r.unidirectional) limits.push('unidirectional');
  const t = [r.protocol ?? 'any protocol', r.transport, r.ports ? portText(r.ports) : null].filter((x) => x !== null).join(' ');
  return `${t}, ${dir}${limits.length > 0 ? ` (${limits.join(', ')})` : ''}`;
}

const flowText = (v: FlowVerdict): string => `${v.src} (${v.srcZone ?? 'no zone'}) -> ${v.dst} (${v.dstZone ?? 'no zone'}) ${v.protocol} ${v.transport}/${v.port}`;

export function implementationReport(result: DiffResult, options: ImplementationReportOptions = {}): string {
  const d = result.design;
  const L: string[] = [];
  L.push('IEC 62443 Zone Implementation Report');
  L.push('=====================================');
  L.push(`Facility: ${d.facility ?? '(not stated in the design)'}`);
  L.push(`Implementation Date: ${d.assessmentDate ?? options.date ?? '(not stated)'}`);
  L.push(`Standard: ${d.standard ?? 'IEC 62443-3-2/3-3'}`);
  L.push('');
  L.push('ZONE ARCHITECTURE:');
  for (const z of d.zones) {
    L.push(`Zone ${z.id}: ${z.name} (SL-T: ${(z.securityLevelTarget ?? 'not stated').replace(/^SL\s*/i, '')})`);
    L.push(`Assets: ${result.zoneMembers[z.id]?.length ?? 0}`);
    L.push(`Conduits: ${z.allowedConduits.length > 0 ? z.allowedConduits.join(', ') : 'none'}`);
    L.push(`Controls: ${z.securityRequirements.length > 0 ? z.securityRequirements.join('; ') : 'none stated'}`);
    L.push('');
  }
  L.push('CONDUIT CONFIGURATION:');
  for (const c of d.conduits) {
    const through = result.flows.filter((v) => v.srcZone !== null && v.dstZone !== null && v.srcZone !== v.dstZone && c.connects.includes(v.srcZone) && c.connects.includes(v.dstZone));
    const denied = through.filter((v) => v.verdict === 'breaking').length;
    const dpi = c.rules.filter((r) => r.operations !== null || r.functionCodes !== null).length;
    L.push(`Conduit ${c.id}: ${c.connects.join(' <-> ')}${c.securityLevel ? ` (SL: ${c.securityLevel.replace(/^SL\s*/i, '')})` : ''}`);
    L.push(`Protocols: ${c.rules.length > 0 ? c.rules.map(ruleText).join('; ') : 'none'}`);
    L.push(`Firewall Rules: ${c.rules.length} allow / ${denied} deny (observed flows between these zones the rules drop; everything else denied by default)`);
    L.push(`DPI Enabled: ${dpi > 0 ? `Yes (operation or function-code filtering on ${plural(dpi, 'rule')})` : 'No (port and direction rules only)'}`);
    if (c.controls.length > 0) L.push(`Controls: ${c.controls.join('; ')}`);
    L.push('');
  }
  L.push('VALIDATION RESULTS:');
  const cross = result.flows.filter((v) => v.srcZone !== null && v.dstZone !== null && v.srcZone !== v.dstZone);
  const pass = cross.filter((v) => v.verdict === 'allowed').length;
  L.push(`Cross-zone tests: ${pass} pass / ${cross.length - pass} fail (${plural(cross.length, 'observed cross-zone flow')})`);
  const prohibited = result.flows.filter((v) => v.reason === 'no-conduit');
  L.push(`Prohibited path tests: ${prohibited.length === 0 ? 'all blocked (no flow observed between zones without a conduit)' : `${plural(prohibited.length, 'exception')}`}`);
  for (const v of prohibited) L.push(`  - ${flowText(v)}: ${v.packets} packets, ${v.daysSeen} days`);
  const fcRules = d.conduits.flatMap((c) => c.rules).filter((r) => r.operations !== null || r.functionCodes !== null);
  if (fcRules.length === 0) L.push('Protocol enforcement: no operation or function-code restriction in the design');
  else {
    L.push('Protocol enforcement:');
    for (const r of fcRules) {
      const checked = result.flows.filter((v) => v.conduit === r.conduit && v.rule === r.index && (v.verdict === 'allowed' || v.reason === 'operation-not-allowed'));
      const bad = checked.filter((v) => v.reason === 'operation-not-allowed');
      L.push(`  - ${ruleLabel(r)}: ${plural(checked.length, 'flow')} checked, ${bad.length === 0 ? 'all within the restriction (verified)' : `${bad.length} outside it`}`);
      for (const v of bad) L.push(`      ${flowText(v)}: ${v.functions.map((f) => `${f.code} ${f.name}`).join(', ')}`);
    }
  }
  const unzoned = result.flows.filter((v) => v.reason === 'unzoned-asset').length;
  L.push(`Unzoned assets: ${result.unzonedAssets.length}${unzoned > 0 ? ` (${plural(unzoned, 'flow')} involve them)` : ''}`);
  for (const u of result.unzonedAssets) L.push(`  - ${u.ip}${u.name ? ` ${u.name}` : ''}${u.inventoryId ? ` (${u.inventoryId})` : ''}: ${plural(u.flows, 'flow')}`);
  const notes = d.conduits.flatMap((c) => c.rules.flatMap((r) => r.notes.map((n) => `${ruleLabel(r)}: ${n.text}`)));
  L.push(`Not machine-checked: ${notes.length === 0 ? 'none' : plural(notes.length, 'restriction')}`);
  for (const n of notes) L.push(`  - ${n}`);
  L.push(`Result: ${result.summary.breaking === 0 ? 'PASS (no observed flow breaks)' : `FAIL (${plural(result.summary.breaking, 'observed flow')} would break)`}`);
  return `${L.join('\n')}\n`;
}
