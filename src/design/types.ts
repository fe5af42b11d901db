/**
 * The design stage's data: a zone/conduit design as loaded from the IEC 62443-3-2 YAML document
 * (docs/INTERFACES.md "Design YAML"), with every asset entry, rule and restriction resolved and
 * located in its source file, and the result of diffing it against observed flows.
 */
import type { Diagnostic } from '../diagnostics.js';

/** Where something is in the design file (1-based line and column) and its document path. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
  /** e.g. zones[2].allowed_conduits[0] */
  path: string;
}

/** One address an asset entry stands for. */
export type AssetTarget =
  | { kind: 'ip'; ip: string; prefix: number; family: 4 | 6; label: string }
  | { kind: 'mac'; mac: string; label: string };

/** How an entry was understood. */
export type AssetEntryKind = 'ip' | 'cidr' | 'mac' | 'inventory-id' | 'inventory-name' | 'inventory-range' | 'unresolved';

export interface AssetEntry {
  /** the entry as written */
  text: string;
  kind: AssetEntryKind;
  /** the inventory ids it resolved to (inventory kinds) */
  inventoryIds: string[];
  targets: AssetTarget[];
  pos: SourcePos;
}

export interface DesignZone {
  id: string;
  name: string;
  /** as written: 1, "1-2", 3.5 */
  purdueLevel: string | null;
  /** the levels it spans, e.g. [1, 2] for "1-2" */
  purdueLevels: number[];
  securityLevelTarget: string | null;
  assets: AssetEntry[];
  allowedConduits: string[];
  /** the zone has an allowed_conduits field (a zone without one is not checked against connects) */
  listsConduits: boolean;
  /** free text fields kept for the report */
  criticality: string | null;
  securityRequirements: string[];
  pos: SourcePos;
}

/** Operation classes as docs/INTERFACES.md "Operation classes" names them. */
export type OperationClass = 'read' | 'write' | 'program' | 'control' | 'diagnostic' | 'session' | 'io' | 'other';
export const OPERATION_CLASSES: readonly OperationClass[] = ['read', 'write', 'program', 'control', 'diagnostic', 'session', 'io', 'other'];
/** What "read only" allows. */
export const READ_ONLY: readonly OperationClass[] = ['read', 'diagnostic', 'session'];

/** A restriction of a rule that zonescope does not check; reported, never treated as allowed or denied. */
export interface RuleNote {
  text: string;
  pos: SourcePos;
}

export interface DesignRule {
  conduit: string;
  /** index in the conduit's protocols_allowed */
  index: number;
  /** the protocol as written ("Modbus/TCP"), or null for a port-only rule */
  protocol: string | null;
  /** the flow protocol labels it matches (normalised, e.g. 'modbus', 'cipio'); null = any protocol */
  protocolIds: string[] | null;
  /** tcp, udp, or another IP transport as flows name it (icmp, gre, ip-115 ...); null = any */
  transport: string | null;
  /** allowed responder ports; null = any */
  ports: Array<[number, number]> | null;
  /** the direction as written, or null */
  direction: string | null;
  /** zone ids; null = either way */
  initiator: string | null;
  responder: string | null;
  unidirectional: boolean;
  /** allowed operation classes; null = any */
  operations: OperationClass[] | null;
  /** allowed codes of the protocol's main code space; null = any code of the allowed classes */
  functionCodes: number[] | null;
  /** restrictions kept but not machine-checked */
  notes: RuleNote[];
  pos: SourcePos;
}

export interface DesignConduit {
  id: string;
  name: string | null;
  connects: string[];
  /** where connects is written (the conduit itself when absent) */
  connectsPos: SourcePos;
  securityLevel: string | null;
  rules: DesignRule[];
  /** free text controls (firewall, data diode ...), for the implementation report */
  controls: string[];
  pos: SourcePos;
}

export interface Design {
  file: string;
  facility: string | null;
  assessmentDate: string | null;
  standard: string | null;
  zones: DesignZone[];
  conduits: DesignConduit[];
}

export interface LoadedDesign {
  /** null when the document could not be read as a design at all */
  design: Design | null;
  diagnostics: Diagnostic[];
}

export type BreakReason = 'unzoned-asset' | 'no-conduit' | 'protocol-not-allowed' | 'wrong-direction' | 'operation-not-allowed';
export const BREAK_REASONS: readonly BreakReason[] = ['unzoned-asset', 'no-conduit', 'protocol-not-allowed', 'wrong-direction', 'operation-not-allowed'];

/** allowed: a conduit rule carries it; same-zone: both ends in one zone; local: broadcast/multicast, never routed through a conduit. */
export type Verdict = 'allowed' | 'same-zone' | 'local' | 'breaking';

export interface BrokenFunction {
  space: string;
  code: number;
  name: string;
  opClass: string;
  requests: number;
}

export interface FlowVerdict {
  src: string;
  dst: string;
  transport: string;
  port: number;
  protocol: string;
  srcZone: string | null;
  dstZone: string | null;
  verdict: Verdict;
  reason: BreakReason | null;
  /** one sentence saying why */
  detail: string;
  /** the conduit and rule that carry it (allowed) or that came closest (breaking) */
  conduit: string | null;
  rule: number | null;
  /** operation classes that break it (operation-not-allowed) */
  operations: string[];
  functions: BrokenFunction[];
  /** restrictions of the allowing rule that were not machine-checked */
  unchecked: string[];
  packets: number;
  bytes: number;
  firstSeen: number;
  lastSeen: number;
  daysSeen: number;
  hoursSeen: number;
}

export interface UnzonedAsset {
  ip: string;
  mac: string | null;
  /** observed flows it takes part in */
  flows: number;
  packets: number;
  /** inventory row when known */
  inventoryId: string | null;
  name: string | null;
}

export interface UnusedRule {
  conduit: string;
  rule: number;
  protocol: string | null;
  ports: Array<[number, number]> | null;
  direction: string | null;
  pos: SourcePos;
}

export interface DiffSummary {
  observedFlows: number;
  allowed: number;
  sameZone: number;
  local: number;
  breaking: number;
  byReason: Record<BreakReason, number>;
  unzonedAssets: number;
  unusedRules: number;
  findings: number;
}

export interface DiffResult {
  design: Design;
  window: { since: number | null; until: number | null };
  /** every observed flow with its verdict, in flow order (src, dst, transport, port, protocol) */
  flows: FlowVerdict[];
  unzonedAssets: UnzonedAsset[];
  /** zone id -> its assets: host entries of the design plus observed hosts placed in it */
  zoneMembers: Record<string, string[]>;
  unusedRules: UnusedRule[];
  /** findings on the design itself (DESIGN_SAFETY_SHARED_ZONE ...) */
  findings: Diagnostic[];
  /** problems met while evaluating (zone conflicts found through MACs ...) */
  diagnostics: Diagnostic[];
  summary: DiffSummary;
}
