/** TEST HELPER: hand-made assets and flows for unit tests of the graph and zones stages. */
import type { Asset, PurdueLevel } from '../../../src/assets/types.js';
import type { FlowFunction, FlowRecord } from '../../../src/baseline/reader.js';

export function asset(ip: string, level: PurdueLevel | null, opts: { role?: string; safety?: boolean; name?: string } = {}): Asset {
  return {
    id: ip, ip, mac: null, behindRouter: false, name: opts.name ?? null, hostnames: [], inventoryId: null, vendor: null, product: null, identity: {},
    roles: opts.role ? [{ role: opts.role, count: 1 }] : [], purdueLevel: level, levelConfidence: 1, safety: opts.safety ?? false,
    safetyReason: opts.safety ? 'test' : null, packets: 0, bytes: 0, firstSeen: 0, lastSeen: 0, inInventory: false,
    evidence: [{ about: 'level', text: `level ${level}`, source: 'test' }],
  };
}

const BASE_HOUR = 20541 * 24; // midnight UTC, 2026-03-29

let nextId = 1;

/** A flow active in `hours` (offsets from a fixed hour); `fn`: [space, code, opClass] requested once each. */
export function flow(src: string, dst: string, port: number, protocol: string, hours: number[], opts: { bytes?: number; transport?: string; fn?: Array<[string, number, string]>; attributes?: Array<{ key: string; value: string }> } = {}): FlowRecord {
  const bytes = opts.bytes ?? 1000;
  const functions: FlowFunction[] = (opts.fn ?? []).map(([space, code, opClass]) => ({ space, code, variant: 0, name: `F${code}`, opClass, requests: 1, responses: 1, exceptions: 0 }));
  const hs = hours.map((h) => ({ hour: BASE_HOUR + h, packets: 10, bytes: Math.round(bytes / hours.length) }));
  return {
    id: nextId++, src, dst, transport: opts.transport ?? 'tcp', port, protocol,
    packetsToResponder: 5 * hours.length, packetsToInitiator: 5 * hours.length, bytesToResponder: bytes / 2, bytesToInitiator: bytes / 2,
    connections: hours.length, firstSeen: (BASE_HOUR + Math.min(...hours)) * 3600, lastSeen: (BASE_HOUR + Math.max(...hours)) * 3600 + 60,
    evidence: { syn: hours.length }, hours: hs, functions, ranges: [], objects: [], attributes: opts.attributes ?? [],
  };
}

/** Every hour of `days` days. */
export function steady(days: number, everyHours = 1): number[] {
  const out: number[] = [];
  for (let h = 0; h < days * 24; h += everyHours) out.push(h);
  return out;
}

export const READ: Array<[string, number, string]> = [['function', 3, 'read']];
export const WRITE: Array<[string, number, string]> = [['function', 3, 'read'], ['function', 16, 'write']];
