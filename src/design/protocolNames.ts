/**
 * Protocol names as engineers write them in a design ("Modbus/TCP", "OPC UA", "PI-to-PI", "HTTPS")
 * -> the protocol labels zonescope gives flows (dissector ids such as 'modbus', 'cip-io', and the
 * service labels of src/dissectors/services.ts such as 'https', 'rdp', 'pi'). Matching is case- and
 * punctuation-insensitive: both sides are lower-cased and stripped of everything but letters and digits.
 */
import { defaultDissectors } from '../dissectors/index.js';
import { serviceLabels } from '../dissectors/services.js';
import { transportName } from '../flows/flowAggregator.js';

/** 'Modbus/TCP' -> 'modbustcp', 'cip-io' -> 'cipio'. */
export function normalizeProtocol(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Design names that stand for one or more flow labels (normalised), beyond the labels themselves. */
const ALIASES: Record<string, readonly string[]> = {
  modbustcp: ['modbus'],
  mbtcp: ['modbus'],
  ethernetip: ['enip', 'cipio'],
  cip: ['enip', 'cipio'],
  eip: ['enip', 'cipio'],
  implicitio: ['cipio'],
  class1io: ['cipio'],
  s7: ['s7comm', 'isotsap'],
  s7commplus: ['s7comm', 'isotsap'],
  isoontcp: ['s7comm', 'isotsap'],
  opcuatcp: ['opcua'],
  opcuabinary: ['opcua'],
  opcuatcpbinary: ['opcua'],
  https: ['https', 'tls'],
  tls: ['https', 'tls'],
  ssl: ['https', 'tls'],
  pitopi: ['pi'],
  osisoftpi: ['pi'],
  pidataarchive: ['pi'],
  remotedesktop: ['rdp'],
  msrdp: ['rdp'],
  windowsupdate: ['wsus', 'http', 'https', 'tls'],
  triconex: ['tristation', 'tsaa'],
  tristation1131: ['tristation'],
  iec608705104: ['iec104'],
  dnp: ['dnp3'],
};

/** Names that mean "any protocol" (a port-only rule). */
const ANY = new Set(['any', 'all', '']);

/** Every transport name a flow can carry: tcp, udp, icmp, ..., ip-N for the rest. */
export const TRANSPORTS: ReadonlySet<string> = new Set(Array.from({ length: 256 }, (_x, n) => transportName(n)));

function knownLabels(): Set<string> {
  const s = new Set<string>();
  for (const d of defaultDissectors) s.add(normalizeProtocol(d.id));
  for (const l of serviceLabels()) s.add(normalizeProtocol(l));
  for (const l of ['tls', 'ssh', 'http', 'unknown']) s.add(l);
  // flows of other IP transports are labelled with the transport (icmp, gre, ip-115 ...)
  for (const t of TRANSPORTS) if (t !== 'tcp' && t !== 'udp') s.add(normalizeProtocol(t));
  return s;
}

const KNOWN = knownLabels();
/** Dissector display names ('Modbus/TCP', 'EtherNet/IP', 'CIP I/O', 'OPC UA') -> their ids. */
const DISPLAY = new Map(defaultDissectors.map((d) => [normalizeProtocol(d.name), normalizeProtocol(d.id)]));

export interface ProtocolMatch {
  /** normalised flow labels the name stands for; null = any protocol */
  ids: string[] | null;
  known: boolean;
}

/** What a design's protocol name matches. Unknown names come back with known=false and their own normalised form. */
export function matchProtocolName(name: string): ProtocolMatch {
  const n = normalizeProtocol(name);
  if (ANY.has(n) || name.trim() === '*') return { ids: null, known: true };
  const out = new Set<string>();
  if (KNOWN.has(n)) out.add(n);
  const disp = DISPLAY.get(n);
  if (disp) out.add(disp);
  for (const a of ALIASES[n] ?? []) out.add(a);
  if (out.size > 0) return { ids: [...out].sort(), known: true };
  return { ids: [n], known: false };
}

/** Every name a design may use (for messages): flow labels and aliases. */
export function knownProtocolNames(): string[] {
  return [...new Set([...KNOWN, ...Object.keys(ALIASES)])].sort();
}
