/**
 * Direction strings of design documents: "Z3 -> Z2 (read only, FC 3/4 only)" means hosts in the left
 * zone initiate connections to servers in the right zone; the parenthesised restrictions that are
 * understood are enforced, the rest kept as notes (docs/INTERFACES.md "Design YAML").
 */
import { READ_ONLY, type OperationClass } from './types.js';

export interface ParsedDirection {
  /** zone references as written (may be prefixes); null = either way */
  initiator: string | null;
  responder: string | null;
  /** the restriction phrases, split on commas and semicolons */
  restrictions: string[];
}

const ARROW = /\s*(?:->|→|=>|-->|⟶)\s*/;
const BOTH = /^(?:both|bidirectional|bi-directional|any|either|<->|two-way|both ways)$/i;

/** Parses a direction; null when the text is not a direction at all. */
export function parseDirection(text: string): ParsedDirection | null {
  let t = text.trim();
  const restrictions: string[] = [];
  // Parenthesised notes anywhere after the zones, e.g. "Z3 -> Z2 (read only)".
  t = t.replace(/\(([^()]*)\)/g, (_m, inner: string) => {
    restrictions.push(...splitRestrictions(inner));
    return ' ';
  }).trim();
  // "Z3 -> Z2, read only" / "Z3 -> Z2: read only"
  const tail = /^([^,;:]*?)\s*[,;:]\s*(.+)$/.exec(t);
  if (tail && ARROW.test(tail[1]!)) {
    t = tail[1]!.trim();
    restrictions.push(...splitRestrictions(tail[2]!));
  }
  if (BOTH.test(t)) return { initiator: null, responder: null, restrictions };
  const bi = /^(\S+)\s*(?:<->|<=>|↔)\s*(\S+)$/.exec(t);
  if (bi) return { initiator: null, responder: null, restrictions };
  const parts = t.split(ARROW);
  if (parts.length !== 2) return null;
  const [a, b] = parts.map((p) => p.trim());
  if (!a || !b || /\s/.test(a) || /\s/.test(b)) return null;
  return { initiator: a, responder: b, restrictions };
}

function splitRestrictions(s: string): string[] {
  return s
    .split(/[,;]/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

export interface Restrictions {
  operations: OperationClass[] | null;
  functionCodes: number[] | null;
  unidirectional: boolean;
  /** phrases not understood, kept as written */
  notes: string[];
}

const READ_ONLY_RE = /^(?:read[- ]?only|reads? only|read access only|read-only access|ro)$/i;
const FC_RE = /^(?:modbus\s+)?(?:fc|fcs|function\s+codes?|function\s+code)\s*((?:\d+\s*(?:\/|,|&|\+|and|or|-|to)?\s*)+?)\s*(?:only)?$/i;
const UNI_RE = /^uni-?directional\b\s*(.*)$/i;

/** Splits "3/4", "3, 4", "1-4", "3 and 4" into codes; null when something else is in it. */
export function parseCodeList(s: string): number[] | null {
  const out = new Set<number>();
  for (const part of s.split(/\s*(?:\/|,|&|\+|\band\b|\bor\b)\s*/i)) {
    if (part === '') continue;
    const range = /^(\d+)\s*(?:-|to)\s*(\d+)$/i.exec(part);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      if (hi < lo || hi - lo > 65535) return null;
      for (let c = lo; c <= hi; c++) out.add(c);
    } else if (/^\d+$/.test(part)) out.add(Number(part));
    else return null;
  }
  return out.size > 0 ? [...out].sort((a, b) => a - b) : null;
}

/** Which restriction phrases are understood: "read only", "FC 3/4 only", "unidirectional ...". */
export function parseRestrictions(phrases: readonly string[]): Restrictions {
  const r: Restrictions = { operations: null, functionCodes: null, unidirectional: false, notes: [] };
  for (const p of phrases) {
    if (READ_ONLY_RE.test(p)) {
      r.operations = intersect(r.operations, READ_ONLY);
      continue;
    }
    const fc = FC_RE.exec(p);
    const codes = fc ? parseCodeList(fc[1]!.trim()) : null;
    if (codes) {
      r.functionCodes = r.functionCodes ? r.functionCodes.filter((c) => codes.includes(c)) : codes;
      continue;
    }
    const uni = UNI_RE.exec(p);
    if (uni) {
      r.unidirectional = true;
      if (uni[1]!.trim() !== '') r.notes.push(p);
      continue;
    }
    r.notes.push(p);
  }
  return r;
}

export function intersect(a: readonly OperationClass[] | null, b: readonly OperationClass[]): OperationClass[] {
  return a ? a.filter((x) => b.includes(x)) : [...b];
}
