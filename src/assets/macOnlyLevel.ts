/**
 * Roles and a Purdue level for MAC-only assets (no IP traffic) from the EtherTypes they send:
 * PROFINET RT (0x8892) and EtherCAT (0x88a4) cyclic I/O come from field devices and their controllers
 * (level 0, low confidence); IEC 61850 GOOSE (0x88b8) from protection IEDs (level 1); sampled values
 * (0x88ba) from merging units (level 0); LLDP (0x88cc) and MRP (0x88e3) from switches (no level).
 */
import type { L2FrameRecord } from '../baseline/reader.js';
import type { AssetRole, Evidence, PurdueLevel } from './types.js';
import type { LevelDecision } from './inferLevels.js';

const ETHERTYPES: Record<number, [string, string, PurdueLevel | null, number]> = {
  0x8892: ['profinet-rt', 'PROFINET RT', 0, 0.4],
  0x88a4: ['ethercat', 'EtherCAT', 0, 0.5],
  0x88b8: ['goose-publisher', 'IEC 61850 GOOSE', 1, 0.5],
  0x88ba: ['sampled-values', 'IEC 61850 sampled values', 0, 0.5],
  0x88cc: ['lldp', 'LLDP', null, 0],
  0x88e3: ['mrp', 'MRP (media redundancy)', null, 0],
  0x88f7: ['ptp', 'PTP (IEEE 1588)', null, 0],
};

const LLC: [string, string, PurdueLevel | null, number] = ['llc', 'IEEE 802.3 LLC (STP, CDP, ...)', null, 0];

export function macOnlyLevel(frames: readonly L2FrameRecord[]): { level: LevelDecision; roles: { roles: AssetRole[]; evidence: Evidence[] } } {
  const roles: AssetRole[] = [];
  const evidence: Evidence[] = [];
  let best: LevelDecision = { level: null, confidence: 0, evidence: [] };
  for (const f of frames) {
    // Values up to 1500 are IEEE 802.3 lengths: LLC frames (STP, CDP, LLDP over SNAP, ...).
    const t = f.etherType <= 1500 ? LLC : ETHERTYPES[f.etherType];
    const hex = `0x${f.etherType.toString(16).padStart(4, '0')}`;
    const label = t === LLC ? t[1] : t ? `${t[1]} (${hex})` : `EtherType ${hex}`;
    const e: Evidence = { about: 'role', text: `sends ${f.packets} ${label} frames and no IP`, source: 'traffic', firstSeen: f.firstSeen, lastSeen: f.lastSeen };
    roles.push({ role: t ? t[0] : `ethertype-${hex}`, count: f.packets });
    evidence.push(e);
    if (t && t[2] !== null && t[3] > best.confidence) {
      best = { level: t[2], confidence: t[3], evidence: [{ ...e, about: 'level', text: `${e.text}: level ${t[2]}` }] };
    }
  }
  if (best.level === null) best.evidence = [{ about: 'level', text: 'MAC-only: its frames do not tell its level', source: 'traffic' }];
  return { level: best, roles: { roles, evidence } };
}
