/**
 * One asset entry of a zone -> the addresses it stands for: an IP, a CIDR, a MAC, an inventory id or
 * name, "Name (ID)", "Name (ID-01 through ID-12)", or free text equal to an inventory name (case and
 * punctuation aside). What resolves to nothing is reported by the caller; nothing is dropped silently.
 */
import ipaddr from 'ipaddr.js';
import type { Inventory, InventoryEntry } from '../assets/types.js';
import type { AssetEntryKind, AssetTarget } from './types.js';

export interface ResolvedEntry {
  kind: AssetEntryKind;
  targets: AssetTarget[];
  inventoryIds: string[];
  /** the entry looks like an address but is not a valid one */
  badAddress?: string;
  /** ids of a range or list that are not in the inventory */
  missingIds: string[];
  /** why nothing resolved */
  why?: string;
}

const MAC_RE = /^([0-9a-f]{2})([:-]?)([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i;
const LOOKS_IPV4 = /^\d{1,3}(?:\.\d{1,3}){1,3}(?:\/\d+)?$/;
const LOOKS_IPV6 = /^[0-9a-f:]*:[0-9a-f:.]*(?:\/\d+)?$/i;

/** Canonical MAC: lower case, colon separated; null when not a MAC. */
export function canonicalMac(s: string): string | null {
  const m = MAC_RE.exec(s.trim());
  return m ? m.slice(1).filter((_x, i) => i !== 1).join(':').toLowerCase() : null;
}

/** An IP or CIDR -> target (network address normalised); null when not valid. */
export function ipTarget(s: string, label: string, prefixHint?: number | null): AssetTarget | null {
  const t = s.trim();
  try {
    if (t.includes('/')) {
      if (!ipaddr.isValidCIDR(t)) return null;
      const [addr, prefix] = ipaddr.parseCIDR(t);
      const net = networkOf(addr, prefix);
      return { kind: 'ip', ip: net, prefix, family: addr.kind() === 'ipv4' ? 4 : 6, label };
    }
    if (!ipaddr.isValid(t) || (LOOKS_IPV4.test(t) && !ipaddr.IPv4.isValidFourPartDecimal(t))) return null;
    const addr = ipaddr.parse(t);
    const max = addr.kind() === 'ipv4' ? 32 : 128;
    const prefix = prefixHint ?? max;
    return { kind: 'ip', ip: networkOf(addr, prefix), prefix, family: max === 32 ? 4 : 6, label };
  } catch {
    return null;
  }
}

function networkOf(addr: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): string {
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i]! &= keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** "Allen-Bradley PLCs" ~ "allenbradleyplcs". */
export function normalizeName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function entryTargets(e: InventoryEntry): AssetTarget[] {
  const out: AssetTarget[] = [];
  const label = `${e.name} (${e.id})`;
  if (e.ip) {
    const t = ipTarget(e.ip.includes('/') ? e.ip : e.ip, label, e.ip.includes('/') ? null : e.prefix);
    if (t) out.push(t);
  }
  if (e.mac) {
    const m = canonicalMac(e.mac);
    if (m) out.push({ kind: 'mac', mac: m, label });
  }
  return out;
}

/** Inventory lookups built once per design. */
export interface InventoryIndex {
  byId: Map<string, InventoryEntry>;
  byName: Map<string, InventoryEntry[]>;
}

export function indexInventory(inv: Inventory | null | undefined): InventoryIndex {
  const byId = new Map<string, InventoryEntry>();
  const byName = new Map<string, InventoryEntry[]>();
  for (const e of inv?.entries ?? []) {
    if (e.id) byId.set(e.id.toLowerCase(), e);
    const n = normalizeName(e.name);
    if (n) {
      const l = byName.get(n) ?? [];
      l.push(e);
      byName.set(n, l);
    }
  }
  return { byId, byName };
}

/** "PLC-01 through PLC-12" (also "to", "-", "..", "–") -> the ids, keeping the zero padding. */
export function expandIdRange(s: string): string[] | null {
  const m = /^\s*([A-Za-z0-9_-]*?[A-Za-z_-])(\d+)\s*(?:through|thru|to|\.\.|–|—|-)\s*(?:([A-Za-z0-9_-]*?[A-Za-z_-]))?(\d+)\s*$/i.exec(s);
  if (!m) return null;
  const prefix = m[1]!;
  if (m[3] !== undefined && m[3].toLowerCase() !== prefix.toLowerCase()) return null;
  const lo = Number(m[2]);
  const hi = Number(m[4]);
  if (hi < lo || hi - lo > 4096) return null;
  const width = m[2]!.length;
  const out: string[] = [];
  for (let n = lo; n <= hi; n++) out.push(`${prefix}${String(n).padStart(width, '0')}`);
  return out;
}

/** Inventory rows of a name, also for the plural a design may use ("ControlLogix PLCs" for rows named "ControlLogix PLC"). */
function byName(inv: InventoryIndex, text: string): InventoryEntry[] | undefined {
  const n = normalizeName(text);
  return inv.byName.get(n) ?? (n.endsWith('s') ? inv.byName.get(n.slice(0, -1)) ?? (n.endsWith('es') ? inv.byName.get(n.slice(0, -2)) : undefined) : undefined);
}

function fromEntries(kind: AssetEntryKind, entries: InventoryEntry[], missing: string[] = []): ResolvedEntry {
  return { kind, targets: entries.flatMap(entryTargets), inventoryIds: entries.map((e) => e.id), missingIds: missing };
}

export function resolveAssetEntry(text: string, inv: InventoryIndex): ResolvedEntry {
  const t = text.trim();
  const none = (why: string): ResolvedEntry => ({ kind: 'unresolved', targets: [], inventoryIds: [], missingIds: [], why });
  if (t === '') return none('the entry is empty');
  const mac = canonicalMac(t);
  if (mac) return { kind: 'mac', targets: [{ kind: 'mac', mac, label: t }], inventoryIds: [], missingIds: [] };
  if (LOOKS_IPV4.test(t) || (LOOKS_IPV6.test(t) && t.includes(':') && !/^[0-9a-f]{2}(:[0-9a-f]{2}){2,}$/i.test(t))) {
    const ip = ipTarget(t, t);
    if (!ip) return { ...none('not a valid address'), badAddress: t };
    return { kind: t.includes('/') ? 'cidr' : 'ip', targets: [ip], inventoryIds: [], missingIds: [] };
  }
  const byId = inv.byId.get(t.toLowerCase());
  if (byId) return fromEntries('inventory-id', [byId]);
  const named = byName(inv, t);
  if (named) return fromEntries('inventory-name', named);
  const paren = /^(.*?)\s*\(([^()]+)\)\s*$/.exec(t);
  if (paren) {
    const inner = paren[2]!.trim();
    const one = inv.byId.get(inner.toLowerCase());
    if (one) return fromEntries('inventory-id', [one]);
    const innerIp = resolveInner(inner);
    if (innerIp) return innerIp;
    const ids = expandIdRange(inner) ?? (inner.includes(',') ? inner.split(',').map((x) => x.trim()) : null);
    if (ids) {
      const found = ids.map((id) => inv.byId.get(id.toLowerCase())).filter((e): e is InventoryEntry => e !== undefined);
      const missing = ids.filter((id) => !inv.byId.has(id.toLowerCase()));
      if (found.length > 0) return fromEntries('inventory-range', found, missing);
      return { ...none(`none of ${ids.length} ids ${ids[0]} .. ${ids[ids.length - 1]} is in the inventory`), missingIds: missing };
    }
    const outerNamed = byName(inv, paren[1]!);
    if (outerNamed) return fromEntries('inventory-name', outerNamed);
    return none(`neither '${inner}' nor '${paren[1]}' is an inventory id or name`);
  }
  return none('not an IP, CIDR, MAC, nor an inventory name or id');
}

function resolveInner(inner: string): ResolvedEntry | null {
  const mac = canonicalMac(inner);
  if (mac) return { kind: 'mac', targets: [{ kind: 'mac', mac, label: inner }], inventoryIds: [], missingIds: [] };
  if (LOOKS_IPV4.test(inner)) {
    const ip = ipTarget(inner, inner);
    if (ip) return { kind: inner.includes('/') ? 'cidr' : 'ip', targets: [ip], inventoryIds: [], missingIds: [] };
  }
  return null;
}
