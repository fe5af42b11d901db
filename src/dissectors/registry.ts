/**
 * The dissector registry, after Wireshark's dissector tables: built from an ordered array of
 * dissectors (no global singleton, no import-time registration), it answers lookups in the order
 * decode-as override -> port table -> heuristics. The first dissector in the array that declares a
 * port owns it. Service labels (services.ts) name ports no dissector claims.
 */
import type { Dissector } from './types.js';
import { serviceForPort as servicePortLabel } from './services.js';

export type Transport = 'tcp' | 'udp';

export interface Registry {
  readonly dissectors: readonly Dissector[];
  byId(id: string): Dissector | undefined;
  /** decode-as override first, then the port table. */
  byPort(transport: Transport, port: number): Dissector | undefined;
  heuristics(transport: Transport): readonly Dissector[];
  /** service label for a port when no dissector claims it: 'https', 'rdp', 'dns', ... or undefined */
  serviceForPort(transport: Transport, port: number): string | undefined;
}

export interface RegistryOptions {
  /**
   * Decode-as overrides from the command line: key '48010' (TCP and UDP, where the dissector runs on
   * that transport), 'tcp:48010' or 'udp:2222'; value a dissector id. An unknown id, a bad key, or a
   * transport the dissector does not run on is an error thrown here.
   */
  decodeAs?: Record<string, string>;
}

function parsePort(s: string, key: string): number {
  if (!/^\d{1,5}$/.test(s)) throw new Error(`decode-as '${key}': '${s}' is not a port number`);
  const p = Number(s);
  if (p < 1 || p > 65535) throw new Error(`decode-as '${key}': port ${p} is out of range 1..65535`);
  return p;
}

export function createRegistry(dissectors: readonly Dissector[], opts?: RegistryOptions): Registry {
  const list: readonly Dissector[] = Object.freeze([...dissectors]);
  const ids = new Map<string, Dissector>();
  for (const d of list) {
    if (ids.has(d.id)) throw new Error(`dissector id '${d.id}' is registered twice`);
    ids.set(d.id, d);
  }
  const ports: Record<Transport, Map<number, Dissector>> = { tcp: new Map(), udp: new Map() };
  const overrides: Record<Transport, Map<number, Dissector>> = { tcp: new Map(), udp: new Map() };
  const heur: Record<Transport, Dissector[]> = { tcp: [], udp: [] };
  for (const d of list) {
    for (const t of d.transports) {
      for (const p of d.ports) if (!ports[t].has(p)) ports[t].set(p, d);
      if (d.heuristic) heur[t].push(d);
    }
  }
  for (const [key, id] of Object.entries(opts?.decodeAs ?? {})) {
    const d = ids.get(id);
    if (!d) {
      throw new Error(`decode-as '${key}=${id}': unknown dissector id '${id}' (known: ${[...ids.keys()].join(', ') || 'none'})`);
    }
    const m = /^(tcp|udp):(.*)$/i.exec(key);
    if (m) {
      const t = m[1]!.toLowerCase() as Transport;
      const port = parsePort(m[2]!, key);
      if (!d.transports.includes(t)) throw new Error(`decode-as '${key}=${id}': ${d.name} does not run over ${t}`);
      overrides[t].set(port, d);
    } else {
      const port = parsePort(key, key);
      for (const t of d.transports) overrides[t].set(port, d);
    }
  }
  const frozenHeur: Record<Transport, readonly Dissector[]> = {
    tcp: Object.freeze(heur.tcp),
    udp: Object.freeze(heur.udp),
  };

  const byPort = (transport: Transport, port: number): Dissector | undefined =>
    overrides[transport].get(port) ?? ports[transport].get(port);

  return {
    dissectors: list,
    byId: (id) => ids.get(id),
    byPort,
    heuristics: (transport) => frozenHeur[transport],
    serviceForPort: (transport, port) => (byPort(transport, port) ? undefined : servicePortLabel(transport, port)),
  };
}
