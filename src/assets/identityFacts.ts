/**
 * Identity facts per asset from the identities table: what a host said about itself (ENIP ListIdentity
 * and Identity object, Modbus FC 43/14 device identification, S7 SZL, OPC UA application description,
 * NetBIOS node status) and what the name services said about it (DNS / mDNS / LLMNR answers, NetBIOS
 * NB records, DHCP host name and vendor class, keyed by MAC: src/dissectors/dns/nameFacts.ts).
 * Each fact keeps its protocol, capture file, frame and first/last seen.
 */
import type { IdentityRecord } from '../baseline/reader.js';
import {
  FACT_ANSWER_A, FACT_ANSWER_AAAA, FACT_ANSWER_PTR, FACT_DHCP_ADDRESS, FACT_DHCP_HOST_NAME, FACT_DHCP_VENDOR_CLASS,
  FACT_NB_ADDRESS, SUBJECT_FACTS,
} from '../dissectors/dns/nameFacts.js';

export interface IdentityFact {
  protocol: string;
  key: string;
  value: string;
  /** the host that reported it (for name-service answers: the server) */
  reporter: string;
  count: number;
  capture: string | null;
  frame: number;
  firstSeen: number;
  lastSeen: number;
}

/** Host-name facts by source, in the order a name is preferred. */
const NAME_RANK: Record<string, number> = {
  'dhcp:host_name': 0, 'netbios:netbios_name': 1, 'netbios:nb_address': 1, 'dns:ptr': 2, 'dns:a': 3, 'dns:aaaa': 3,
  'llmnr:a': 4, 'llmnr:aaaa': 4, 'llmnr:ptr': 4, 'mdns:a': 5, 'mdns:aaaa': 5, 'mdns:ptr': 5, 'opcua:application_name': 6,
};

export const PROTOCOL_LABEL: Record<string, string> = {
  enip: 'ENIP', modbus: 'Modbus', s7comm: 'S7', opcua: 'OPC UA', dns: 'DNS', mdns: 'mDNS', llmnr: 'LLMNR', netbios: 'NetBIOS', dhcp: 'DHCP',
};

export function protocolLabel(p: string): string {
  return PROTOCOL_LABEL[p] ?? p;
}

/** Strips a NetBIOS suffix `<xx>`; only workstation (00) and server (20) names name a host. */
function netbiosHostName(v: string): string | null {
  const m = /^(.*)<([0-9a-f]{2})>$/.exec(v);
  if (!m) return v;
  return m[2] === '00' || m[2] === '20' ? m[1]!.trim() : null;
}

export interface FactsResult {
  /** asset id (IP) -> facts about it, own identity and names */
  byIp: Map<string, IdentityFact[]>;
  /** MAC -> facts keyed by MAC (DHCP), for assets known by MAC */
  byMac: Map<string, IdentityFact[]>;
  /** MAC -> IP from DHCP acknowledgements */
  dhcpAddress: Map<string, string>;
}

function push<K>(m: Map<K, IdentityFact[]>, k: K, f: IdentityFact): void {
  const l = m.get(k);
  if (l) l.push(f);
  else m.set(k, [f]);
}

export function collectIdentityFacts(rows: readonly IdentityRecord[]): FactsResult {
  const byIp = new Map<string, IdentityFact[]>();
  const byMac = new Map<string, IdentityFact[]>();
  const dhcpAddress = new Map<string, string>();
  for (const r of rows) {
    const base = { protocol: r.protocol, reporter: r.ip, count: r.count, capture: r.capture, frame: r.frame, firstSeen: r.firstSeen, lastSeen: r.lastSeen };
    if (!SUBJECT_FACTS.has(r.key)) {
      push(byIp, r.ip, { ...base, key: r.key, value: r.value });
      continue;
    }
    const sp = r.value.indexOf(' ');
    if (sp <= 0) continue;
    const subject = r.value.slice(0, sp);
    const text = r.value.slice(sp + 1);
    switch (r.key) {
      case FACT_ANSWER_A:
      case FACT_ANSWER_AAAA:
      case FACT_ANSWER_PTR:
        push(byIp, subject, { ...base, key: r.key.slice('answer_'.length), value: text });
        break;
      case FACT_NB_ADDRESS: {
        const n = netbiosHostName(text);
        if (n) push(byIp, subject, { ...base, key: 'nb_address', value: n });
        break;
      }
      case FACT_DHCP_HOST_NAME:
        push(byMac, subject, { ...base, key: 'host_name', value: text });
        break;
      case FACT_DHCP_VENDOR_CLASS:
        push(byMac, subject, { ...base, key: 'vendor_class', value: text });
        break;
      case FACT_DHCP_ADDRESS:
        if (!dhcpAddress.has(subject)) dhcpAddress.set(subject, text);
        break;
    }
  }
  return { byIp, byMac, dhcpAddress };
}

/** The facts that name a host, best first (rank, then most often seen, then alphabetical). */
export function nameFacts(facts: readonly IdentityFact[]): IdentityFact[] {
  const out: IdentityFact[] = [];
  for (const f of facts) {
    const key = `${f.protocol}:${f.key}`;
    if (NAME_RANK[key] === undefined) continue;
    if (f.protocol === 'netbios' && f.key === 'netbios_name') {
      const n = netbiosHostName(f.value);
      if (!n) continue;
      out.push({ ...f, value: n });
    } else out.push(f);
  }
  // Service aliases (WPAD, ISATAP) name a service the host offers, not the host: last.
  const alias = (f: IdentityFact): number => (/^(wpad|isatap)(\.|$)/i.test(f.value) ? 1 : 0);
  return out.sort((x, y) => alias(x) - alias(y) || NAME_RANK[`${x.protocol}:${x.key}`]! - NAME_RANK[`${y.protocol}:${y.key}`]! || y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
}

/** Vendor and product as the host itself reports them, with the fact that says so. */
export interface DeviceIdentity {
  vendor: IdentityFact | null;
  product: IdentityFact | null;
  /** other attributes: serial, revision, firmware, order_number, application_uri, ... */
  attributes: Record<string, string>;
}

const VENDOR_KEYS: ReadonlyArray<[string, string]> = [['enip', 'vendor'], ['s7comm', 'vendor'], ['modbus', 'vendor']];
const PRODUCT_KEYS: ReadonlyArray<[string, string]> = [
  ['enip', 'product_name'], ['s7comm', 'order_number'], ['s7comm', 'module'], ['s7comm', 'product_name'],
  ['modbus', 'product'], ['modbus', 'model'], ['modbus', 'product_code'], ['opcua', 'product_uri'],
];
const ATTRIBUTE_KEYS = new Set([
  'device_type_name', 'product_code', 'revision', 'serial', 'order_number', 'hardware_order_number', 'firmware', 'module',
  'system_name', 'plant_id', 'location', 'model', 'vendor_url', 'application_name', 'application_uri', 'product_uri',
  'application_type', 'endpoint_url', 'rack_slot', 'vendor_class',
]);

function pick(facts: readonly IdentityFact[], keys: ReadonlyArray<[string, string]>): IdentityFact | null {
  for (const [p, k] of keys) {
    const c = facts.filter((f) => f.protocol === p && f.key === k).sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : 1));
    if (c.length > 0) return c[0]!;
  }
  return null;
}

export function deviceIdentity(facts: readonly IdentityFact[]): DeviceIdentity {
  const attributes: Record<string, string> = {};
  const sorted = [...facts].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : y.count - x.count || (x.value < y.value ? -1 : 1)));
  for (const f of sorted) {
    if (!ATTRIBUTE_KEYS.has(f.key)) continue;
    const prev = attributes[f.key];
    if (prev === undefined) attributes[f.key] = f.value;
    else if (!prev.split(' | ').includes(f.value)) attributes[f.key] = `${prev} | ${f.value}`;
  }
  return { vendor: pick(facts, VENDOR_KEYS), product: pick(facts, PRODUCT_KEYS), attributes };
}

/** Evidence sentence of one fact: "ENIP product_name: 1756-L83E/B", "DNS answer (A) from 10.30.1.30: opc-01.local". */
export function factText(f: IdentityFact): string {
  const p = protocolLabel(f.protocol);
  switch (f.key) {
    case 'a':
    case 'aaaa':
    case 'ptr':
      return `${p} answer (${f.key.toUpperCase()}) from ${f.reporter}: ${f.value}`;
    case 'nb_address':
      return `${p} name record from ${f.reporter}: ${f.value}`;
    case 'host_name':
      return `${p} option 12 (host name): ${f.value}`;
    case 'vendor_class':
      return `${p} option 60 (vendor class): ${f.value}`;
    default:
      return `${p} ${f.key}: ${f.value}`;
  }
}
