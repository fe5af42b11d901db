/**
 * The zones stage's data: a proposal of zones and minimum conduits, every zone, rule and adjustment
 * carrying its reason in numbers. `zones@1` JSON and zones.yaml (docs/INTERFACES.md) render it.
 */
import type { Asset, PurdueLevel } from '../assets/types.js';
import type { GraphWeighting } from '../graph/buildGraph.js';

/** What decided a zone's shape: traffic (Louvain) or one of the engineers' rules. */
export type ZoneKind = 'safety' | 'security-tools' | 'site-services' | 'dmz' | 'enterprise' | 'control' | 'supervisory' | 'operations' | 'unclassified';

export interface ProposeOptions {
  /** Louvain resolution (higher: smaller zones). Default 1. */
  resolution: number;
  /** Seed of Louvain's random generator. Default 62443. */
  seed: number;
  /** Split zones larger than this along their sub-communities (0: no limit). Default 0. */
  maxZoneSize: number;
  /** How many extra seeds the proposal is rerun under to find assets whose zone is uncertain. Default 4. */
  stabilityRuns: number;
  /** Edge weighting of the communication graph. */
  weighting: Partial<GraphWeighting>;
  /** A host reached by at least this share of the site's hosts (levels 2-3 and unknown) is a site service ("almost every host reaches"). Default 0.75. */
  serviceReach: number;
  /** ... and by at least this many of them. Default 5. */
  serviceMinClients: number;
  /** A host polls a controller when the pair is active in at least this share of the baseline's hours. Default 0.1. */
  pollShare: number;
  /** The protocol's main code space (Modbus 'function', ENIP 'cip', ...), whose codes a rule lists. */
  mainSpace: (protocol: string) => string | undefined;
}

export interface Adjustment {
  /** safety-alone | security-tools | site-service | dmz | enterprise | supervisory-poller | level-span | follows-traffic | no-traffic | max-zone-size | unlisted-host */
  kind: string;
  assets: string[];
  /** the zone it went to (its final id) */
  zone: string | null;
  reason: string;
}

export interface ZoneMetrics {
  assets: number;
  /** share of the bytes of flows touching the zone's members that stay inside it */
  internalBytesShare: number;
  /** the same for the graph's (steadiness) weight */
  internalWeightShare: number;
  internalFlows: number;
  externalFlows: number;
  internalBytes: number;
  externalBytes: number;
}

export interface Zone {
  id: string;
  name: string;
  kind: ZoneKind;
  /** lowest Purdue level of its members (null: none known) */
  purdueLevel: PurdueLevel | null;
  purdueLevels: PurdueLevel[];
  securityLevelTarget: string;
  securityLevelReason: string;
  /** asset ids, sorted */
  assets: string[];
  /** members with most weight inside the zone */
  hubs: Array<{ asset: string; peers: number; weightShare: number }>;
  /** IPv4 /24 (or the address itself) -> members */
  subnets: Array<{ subnet: string; assets: number }>;
  rationale: string;
  metrics: ZoneMetrics;
  conduits: string[];
}

export interface RiskFlag {
  flag: 'write-into-control' | 'enterprise-below-dmz' | 'crosses-dmz' | 'cleartext-engineering' | 'opcua-security-none' | 'one-day';
  reason: string;
}

export interface ConduitRule {
  initiatorZone: string;
  responderZone: string;
  transport: string;
  port: number;
  protocol: string;
  /** operation classes seen (requests), sorted */
  operations: string[];
  /** codes of the protocol's main code space seen in requests, sorted */
  functionCodes: number[];
  /** the allowlisted (initiator, responder) IP pairs */
  hostPairs: Array<{ src: string; dst: string }>;
  packets: number;
  bytes: number;
  firstSeen: number;
  lastSeen: number;
  daysSeen: number;
  risky: RiskFlag[];
}

export interface Conduit {
  id: string;
  /** the two zones, sorted */
  connects: [string, string];
  securityLevel: string;
  rules: ConduitRule[];
}

export interface AssetPlacement {
  asset: Asset;
  zone: string;
  /** moved to another zone in this many of the stability reruns */
  moved: number;
  runs: number;
}

export interface ProposalQuality {
  modularity: number;
  crossZoneBytesShare: number;
  crossZoneFlowsShare: number;
  zones: number;
  conduits: number;
  rules: number;
  uncertainAssets: number;
}

export interface Proposal {
  options: { resolution: number; seed: number; maxZoneSize: number; stabilityRuns: number; weighting: GraphWeighting };
  placements: AssetPlacement[];
  zones: Zone[];
  conduits: Conduit[];
  adjustments: Adjustment[];
  quality: ProposalQuality;
  /** stated choices and problems (empty baseline, no flows, levels contradicting traffic ...) */
  notes: Array<{ code: string; message: string }>;
}
