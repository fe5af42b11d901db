/**
 * loadDesign(path | text, {inventory}) -> {design, diagnostics}: the IEC 62443-3-2 zone document of
 * docs/INTERFACES.md "Design YAML", read with source positions so that every problem points at
 * file:line:column and the document path. Free fields are kept (criticality, controls) or ignored.
 * A design with any error-severity diagnostic must not be evaluated (exit 2); `design` is still
 * returned when the document had the overall shape of one, so that every problem is reported at once.
 */
import { readFileSync } from 'node:fs';
import type { Inventory } from '../assets/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { checkDesign } from './checkDesign.js';
import { designDiagnostic } from './designCodes.js';
import { indexInventory, resolveAssetEntry, type InventoryIndex } from './resolveAssetEntry.js';
import { readConduit } from './readConduit.js';
import type { AssetEntry, Design, DesignZone, LoadedDesign } from './types.js';
import { FieldReader, type At } from './yamlFields.js';
import { DEFAULT_YAML_LIMITS, parseYamlSource, type YamlLimits } from './yamlSource.js';

export interface LoadDesignOptions {
  inventory?: Inventory | null;
  /** the file name shown in diagnostics when text is given (default design.yaml) */
  file?: string;
  limits?: Partial<YamlLimits>;
}

/** A design from a path, or from YAML text (anything with a line break is taken as text). */
export function loadDesign(pathOrText: string, options: LoadDesignOptions = {}): LoadedDesign {
  let text = pathOrText;
  let file = options.file ?? 'design.yaml';
  if (!pathOrText.includes('\n')) {
    file = options.file ?? pathOrText;
    try {
      text = readFileSync(pathOrText, 'utf8');
    } catch (e) {
      return { design: null, diagnostics: [designDiagnostic('DESIGN_UNREADABLE', `cannot read ${pathOrText}: ${(e as Error).message}`, { file })] };
    }
  }
  return loadDesignText(text, file, options);
}

export function loadDesignText(text: string, file: string, options: LoadDesignOptions = {}): LoadedDesign {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const parsed = parseYamlSource(text, file, limits);
  if (!parsed.source) return { design: null, diagnostics: parsed.diagnostics };
  const r = new FieldReader(parsed.source);
  const root: At = { node: parsed.source.doc.contents, path: '' };
  if (r.isNull(root) || !r.map(root, 'the design document')) {
    if (r.isNull(root)) r.report('DESIGN_NOT_A_MAPPING', 'the document is empty; a design has zones: and conduits:', root);
    return { design: null, diagnostics: [...parsed.diagnostics, ...r.diagnostics] };
  }
  const inv = indexInventory(options.inventory);
  const design: Design = {
    file,
    facility: r.text(r.field(root, 'facility'), 'facility') ?? null,
    assessmentDate: r.text(r.field(root, 'assessment_date'), 'assessment_date') ?? null,
    standard: r.text(r.field(root, 'standard'), 'standard') ?? null,
    zones: [],
    conduits: [],
  };
  const zonesAt = r.field(root, 'zones');
  if (!zonesAt || r.isNull(zonesAt)) r.report('DESIGN_NO_ZONES', 'the document has no zones: list', zonesAt ?? root);
  for (const z of r.list(zonesAt, 'zones') ?? []) {
    const zone = readZone(r, z, inv, Boolean(options.inventory));
    if (zone) design.zones.push(zone);
  }
  const zoneIds = design.zones.map((z) => z.id);
  for (const c of r.list(r.field(root, 'conduits'), 'conduits') ?? []) {
    const conduit = readConduit(r, c, zoneIds);
    if (conduit) design.conduits.push(conduit);
  }
  const diagnostics: Diagnostic[] = [...parsed.diagnostics, ...r.diagnostics, ...checkDesign(design)];
  return { design, diagnostics };
}

const LEVELS = [0, 1, 2, 3, 3.5, 4, 5];

/** 1, 3.5, "1-2", "L3", "Level 3.5", "3/4" -> the levels it spans; null when it is none of these. */
export function parsePurdueLevel(v: string | number): number[] | null {
  if (typeof v === 'number') return LEVELS.includes(v) ? [v] : null;
  const m = /^\s*(?:l|level)?\s*(\d(?:\.5)?)\s*(?:(?:-|–|to|\/|and)\s*(?:l|level)?\s*(\d(?:\.5)?))?\s*$/i.exec(v);
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (!LEVELS.includes(a) || !LEVELS.includes(b) || b < a) return null;
  return LEVELS.filter((l) => l >= a && l <= b && (l === a || l === b || Number.isInteger(l)));
}

function readZone(r: FieldReader, z: At, inv: InventoryIndex, haveInventory: boolean): DesignZone | null {
  if (!r.map(z, `zone ${z.path}`)) return null;
  const id = r.requiredText(z, 'zone_id', `the zone at ${z.path}`);
  if (id === undefined) return null;
  const zone: DesignZone = {
    id,
    name: r.text(r.field(z, 'name'), 'name') ?? id,
    purdueLevel: null,
    purdueLevels: [],
    securityLevelTarget: r.text(r.field(z, 'security_level_target'), 'security_level_target') ?? null,
    assets: [],
    allowedConduits: [],
    listsConduits: r.field(z, 'allowed_conduits') !== undefined,
    criticality: r.text(r.field(z, 'criticality'), 'criticality') ?? null,
    securityRequirements: (r.texts(r.field(z, 'security_requirements'), 'security_requirements') ?? []).map((t) => t.text),
    pos: r.pos(z),
  };
  const lvl = r.field(z, 'purdue_level');
  if (lvl && !r.isNull(lvl)) {
    const v = r.scalar(lvl, 'purdue_level');
    if (v !== undefined && v !== null) {
      const levels = typeof v === 'boolean' ? null : parsePurdueLevel(v);
      if (!levels) r.report('DESIGN_BAD_PURDUE_LEVEL', `purdue_level '${String(v)}' of zone ${id} is not a level 0-5 (3.5 for the DMZ) or a range like "1-2"`, lvl);
      else {
        zone.purdueLevel = String(v);
        zone.purdueLevels = levels;
      }
    }
  }
  const assetsAt = r.field(z, 'assets');
  for (const a of r.texts(assetsAt, `assets of zone ${id}`) ?? []) zone.assets.push(readAsset(r, a.text, a.at, inv, haveInventory, id));
  if (zone.assets.length > 0 && zone.assets.every((a) => a.targets.length === 0)) {
    r.report('DESIGN_EMPTY_ZONE', `zone ${id} resolves to no asset: none of its ${zone.assets.length} entries names an address`, z);
  }
  for (const c of r.texts(r.field(z, 'allowed_conduits'), `allowed_conduits of zone ${id}`) ?? []) zone.allowedConduits.push(c.text.trim());
  return zone;
}

function readAsset(r: FieldReader, text: string, at: At, inv: InventoryIndex, haveInventory: boolean, zone: string): AssetEntry {
  const res = resolveAssetEntry(text, inv);
  const entry: AssetEntry = { text, kind: res.kind, inventoryIds: res.inventoryIds, targets: res.targets, pos: r.pos(at) };
  if (res.badAddress) {
    r.report('DESIGN_BAD_ADDRESS', `'${text}' in zone ${zone} looks like an address but is not a valid IP, CIDR or MAC`, at);
  } else if (res.kind === 'unresolved') {
    const hint = haveInventory ? '' : ' (no inventory was given: --inventory CSV resolves names and ids)';
    r.report('DESIGN_UNRESOLVED_ASSET', `'${text}' in zone ${zone} resolves to no asset: ${res.why ?? 'unknown'}${hint}`, at);
  } else {
    if (res.missingIds.length > 0) {
      r.report('DESIGN_UNRESOLVED_ASSET', `'${text}' in zone ${zone}: ${res.missingIds.join(', ')} not in the inventory`, at);
    }
    if (res.targets.length === 0) {
      r.report('DESIGN_UNRESOLVED_ASSET', `'${text}' in zone ${zone}: inventory row ${res.inventoryIds.join(', ')} has no IP or MAC`, at);
    }
  }
  return entry;
}
