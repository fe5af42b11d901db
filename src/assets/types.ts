/**
 * The assets stage's data: one asset per IP seen in flows (plus MAC-only assets), with identity, roles,
 * Purdue level and safety, each carrying the evidence that decided it. Later stages (graph, zones,
 * design, report) take these types; `assets@1` JSON (docs/INTERFACES.md) is their snake_case rendering.
 */
import type { Diagnostic } from '../diagnostics.js';

/** Purdue levels as IEC 62443 users write them; 3.5 is the industrial DMZ. */
export type PurdueLevel = 0 | 1 | 2 | 3 | 3.5 | 4 | 5;
export const PURDUE_LEVELS: readonly PurdueLevel[] = [0, 1, 2, 3, 3.5, 4, 5];

/** One piece of evidence: what was seen, where, and when. */
export interface Evidence {
  /** what this evidence supports: identity (vendor/product/name), role, level, safety */
  about: 'identity' | 'role' | 'level' | 'safety' | 'router';
  /** one readable sentence: "answers Modbus FC 3 from 2 hosts", "ENIP ListIdentity: 1756-L83E" */
  text: string;
  /** where it came from: a protocol id, 'oui', 'inventory', 'option' (--safety), 'traffic' */
  source: string;
  capture?: string;
  frame?: number;
  /** inventory file line, when source is 'inventory' */
  line?: number;
  firstSeen?: number;
  lastSeen?: number;
}

export interface AssetRole {
  /** e.g. modbus-server, modbus-client, enip-server, io-scanner, io-adapter, engineering, poller, historian,
   * remote-access-server, file-server, dns-server, ntp-server, dhcp-server, web-server, site-service, scanner, safety-controller */
  role: string;
  /** how many host pairs / flows / PDUs showed it (the number the evidence text states) */
  count: number;
}

export interface Asset {
  /** the IP, or the MAC for a MAC-only asset */
  id: string;
  ip: string | null;
  /** the MAC its own frames come from (null when behind a router or unknown) */
  mac: string | null;
  /** its packets arrive from a MAC that many IPs share (a router): no MAC vendor from that MAC */
  behindRouter: boolean;
  /** inventory name, else a host name from the traffic */
  name: string | null;
  hostnames: string[];
  inventoryId: string | null;
  vendor: string | null;
  product: string | null;
  /** firmware/revision, serial, order number ... as seen */
  identity: Record<string, string>;
  roles: AssetRole[];
  purdueLevel: PurdueLevel | null;
  /** 0..1 */
  levelConfidence: number;
  safety: boolean;
  safetyReason: string | null;
  /** in the uncertain set of a later stage (zones); false here */
  packets: number;
  bytes: number;
  firstSeen: number;
  lastSeen: number;
  inInventory: boolean;
  evidence: Evidence[];
}

export interface InventoryEntry {
  /** 1-based line in the CSV */
  line: number;
  name: string;
  id: string;
  /** an IP or a CIDR as written; null when the row names none */
  ip: string | null;
  /** prefix length when `ip` is a CIDR (32/128 for a single address) */
  prefix: number | null;
  mac: string | null;
  purdueLevel: PurdueLevel | null;
  role: string | null;
}

export interface Inventory {
  file: string;
  entries: InventoryEntry[];
  diagnostics: Diagnostic[];
}

export interface AssetSet {
  assets: Asset[];
  /** inventory rows whose IP/CIDR/MAC matched no observed asset */
  unseen: InventoryEntry[];
  /** asset ids that no inventory row covers (empty when no inventory was given) */
  uninventoried: string[];
  diagnostics: Diagnostic[];
}
