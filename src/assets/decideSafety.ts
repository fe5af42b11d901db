/**
 * Safety verdicts: a safety controller or its engineering station, recognised from the inventory role,
 * from identity (Triconex, HIMA, GuardLogix, S7 F-CPU product names, CIP Safety), from traffic
 * (Triconex TriStation / TSAA on UDP 1500-1503) or named by the user (`--safety IP,...`). Every
 * reason is kept as evidence; the first one is the asset's `safetyReason`.
 */
import type { Evidence, InventoryEntry } from './types.js';
import type { IdentityFact } from './identityFacts.js';
import type { RoleResult } from './inferRoles.js';
import { factText } from './identityFacts.js';

/** Product names and order numbers of safety controllers. */
const SAFETY_PRODUCT = /triconex|tricon\b|trident|tri-gp|hima|himax|himatrix|planar4|guardlogix|1756-L[678]\dE?S|5069-L\d+\w*S\d?\b|compactguardlogix|6ES7\s?\d{3}-\dF|\bF-CPU\b|safety|\bSIS\b|deltav sis|prosafe|safematic|pilz|pss ?4000|ac800m ?hi|\bhi[ -]?controller/i;
const SAFETY_ROLE = /safety|\bsis\b|\besd\b|emergency shut/i;
const PRODUCT_KEYS = new Set(['product_name', 'product', 'model', 'order_number', 'hardware_order_number', 'module', 'device_type_name', 'system_name', 'application_name']);

export function decideSafety(
  ip: string | null, roles: RoleResult | undefined, facts: readonly IdentityFact[], entry: InventoryEntry | null,
  safetyOption: ReadonlySet<string>, inventoryFile: string | null,
): Evidence[] {
  const out: Evidence[] = [];
  if (ip !== null && safetyOption.has(ip)) out.push({ about: 'safety', text: 'named safety by --safety', source: 'option' });
  if (entry?.role && SAFETY_ROLE.test(entry.role)) {
    out.push({ about: 'safety', text: `inventory ${inventoryFile ?? ''}:${entry.line} (${entry.id}): role ${entry.role}`, source: 'inventory', line: entry.line });
  }
  if (roles) {
    roles.roles.forEach((r, i) => {
      if (r.role === 'safety-controller') out.push({ ...roles.evidence[i]!, about: 'safety', text: `safety controller: ${roles.evidence[i]!.text}` });
      if (r.role === 'safety-engineering') out.push({ ...roles.evidence[i]!, about: 'safety', text: `safety engineering station: ${roles.evidence[i]!.text}` });
    });
  }
  for (const f of facts) {
    if (!PRODUCT_KEYS.has(f.key) || !SAFETY_PRODUCT.test(f.value)) continue;
    out.push({
      about: 'safety', text: `safety product: ${factText(f)}`, source: f.protocol,
      capture: f.capture ?? undefined, frame: f.frame, firstSeen: f.firstSeen, lastSeen: f.lastSeen,
    });
  }
  return out;
}
