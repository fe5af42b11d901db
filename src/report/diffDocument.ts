/**
 * The `zonescope/diff@1` JSON document (docs/INTERFACES.md "Diff JSON") from a DiffResult: breaking
 * flows first by reason order then by flow, every flow's verdict, hosts in no zone, unused rules,
 * findings on the design and warnings, all with their positions. Keys in a fixed order, times in UTC.
 */
import type { Diagnostic } from '../diagnostics.js';
import { BREAK_REASONS, type DiffResult, type FlowVerdict } from '../design/types.js';
import { isoTime } from './json.js';

const portText = (ports: Array<[number, number]> | null): number | string | null =>
  ports === null ? null : ports.length === 1 && ports[0]![0] === ports[0]![1] ? ports[0]![0] : ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');

function flowEntry(v: FlowVerdict): Record<string, unknown> {
  return {
    src: v.src, dst: v.dst, transport: v.transport, port: v.port, protocol: v.protocol,
    src_zone: v.srcZone, dst_zone: v.dstZone, verdict: v.verdict, reason: v.reason, detail: v.detail,
    conduit: v.conduit, rule: v.rule === null ? null : v.rule + 1,
    operations: v.operations,
    functions: v.functions.map((f) => ({ space: f.space, code: f.code, name: f.name, op_class: f.opClass, requests: f.requests })),
    unchecked: v.unchecked,
    packets: v.packets, bytes: v.bytes, first_seen: isoTime(v.firstSeen), last_seen: isoTime(v.lastSeen),
    days_seen: v.daysSeen, hours_seen: v.hoursSeen,
  };
}

function diagEntry(d: Diagnostic): Record<string, unknown> {
  return { code: d.code, severity: d.severity, message: d.message, file: d.file ?? null, line: d.line ?? null, column: d.column ?? null, path: d.path ?? null };
}

/** Breaking flows in the order the terminal table shows them: by reason (INTERFACES.md order), then flow order. */
export function breakingInOrder(result: DiffResult): FlowVerdict[] {
  const rank = new Map(BREAK_REASONS.map((r, i) => [r, i]));
  return result.flows
    .map((v, i) => ({ v, i }))
    .filter((x) => x.v.verdict === 'breaking')
    .sort((a, b) => rank.get(a.v.reason!)! - rank.get(b.v.reason!)! || a.i - b.i)
    .map((x) => x.v);
}

export function diffDocument(result: DiffResult, warnings: readonly Diagnostic[] = []): Record<string, unknown> {
  const s = result.summary;
  return {
    schema: 'zonescope/diff@1',
    design: result.design.file,
    window: {
      since: result.window.since === null ? null : isoTime(result.window.since),
      until: result.window.until === null ? null : isoTime(result.window.until),
    },
    summary: {
      observed_flows: s.observedFlows, allowed: s.allowed, same_zone: s.sameZone, local: s.local, breaking: s.breaking,
      by_reason: { ...s.byReason }, unzoned_assets: s.unzonedAssets, unused_rules: s.unusedRules, findings: s.findings,
    },
    breaking: breakingInOrder(result).map(flowEntry),
    flows: result.flows.map(flowEntry),
    unzoned_assets: result.unzonedAssets.map((u) => ({ ip: u.ip, mac: u.mac, flows: u.flows, packets: u.packets, inventory_id: u.inventoryId, name: u.name })),
    unused_rules: result.unusedRules.map((u) => ({
      conduit: u.conduit, rule: u.rule + 1, protocol: u.protocol, port: portText(u.ports), direction: u.direction, line: u.pos.line, column: u.pos.column, path: u.pos.path,
    })),
    findings: result.findings.map(diagEntry),
    warnings: [...warnings, ...result.diagnostics].map(diagEntry),
  };
}
