/**
 * TEST HELPER: Asset[] built from a plant's spec (ids, IPs, roles, levels, safety as the generator
 * declares them), standing in for the assets stage in tests that check the zoner alone. Every
 * flow endpoint the spec lacks becomes an asset with no level, as the assets stage would list it.
 */
import type { Asset } from '../../../src/assets/types.js';
import type { PurdueLevel } from '../../../src/assets/types.js';
import type { FlowRecord } from '../../../src/baseline/reader.js';

export interface SpecAsset {
  id: string;
  name: string;
  ip: string;
  mac: string;
  role: string;
  purdueLevel: number | null;
  safety: boolean;
}

export function assetsFromSpec(spec: readonly SpecAsset[], flows: readonly FlowRecord[]): Asset[] {
  const seen = new Set<string>();
  for (const f of flows) {
    seen.add(f.src);
    seen.add(f.dst);
  }
  const out: Asset[] = [];
  const listed = new Set<string>();
  for (const s of spec) {
    if (!seen.has(s.ip)) continue;
    listed.add(s.ip);
    out.push({
      id: s.ip, ip: s.ip, mac: s.mac, behindRouter: false, name: s.id, hostnames: [], inventoryId: s.id, vendor: null, product: null, identity: {},
      roles: [{ role: s.role, count: 1 }], purdueLevel: s.purdueLevel as PurdueLevel | null, levelConfidence: 1,
      safety: s.safety, safetyReason: s.safety ? 'plant spec (test helper)' : null,
      packets: 0, bytes: 0, firstSeen: 0, lastSeen: 0, inInventory: true,
      evidence: [{ about: 'level', text: `plant spec: level ${s.purdueLevel}`, source: 'test-helper' }],
    });
  }
  for (const ip of [...seen].sort()) {
    if (listed.has(ip)) continue;
    out.push({
      id: ip, ip, mac: null, behindRouter: false, name: null, hostnames: [], inventoryId: null, vendor: null, product: null, identity: {},
      roles: [], purdueLevel: null, levelConfidence: 0, safety: false, safetyReason: null, packets: 0, bytes: 0, firstSeen: 0, lastSeen: 0,
      inInventory: false, evidence: [],
    });
  }
  return out;
}
