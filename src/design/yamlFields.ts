/**
 * Typed, positioned reads of YAML nodes for the design schema: each getter reports a DESIGN_* diagnostic
 * at the node's line and column (and its document path) when the value has the wrong type, and returns
 * undefined so that loading goes on and reports every problem in one run.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { designDiagnostic, type DesignCode } from './designCodes.js';
import type { SourcePos } from './types.js';
import { deref, posOf, type YamlSource } from './yamlSource.js';

/** A node with the path that reached it. */
export interface At {
  node: Node | null;
  path: string;
}

export class FieldReader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly src: YamlSource) {}

  pos(at: At): SourcePos {
    return posOf(this.src, at.node, at.path);
  }

  report(code: DesignCode, message: string, at: At | SourcePos): void {
    this.diagnostics.push(designDiagnostic(code, message, 'node' in at ? this.pos(at) : at));
  }

  /** The pair of `key` in a mapping (value dereferenced), or undefined when absent. */
  field(map: At, key: string): At | undefined {
    if (!isMap(map.node)) return undefined;
    for (const p of (map.node as YAMLMap).items as Pair[]) {
      const k = deref(this.src, p.key);
      if (isScalar(k) && String(k.value) === key) {
        const v = deref(this.src, p.value);
        // a key with no value ("assets:") points at the key
        return { node: v ?? k, path: map.path ? `${map.path}.${key}` : key };
      }
    }
    return undefined;
  }

  isNull(at: At): boolean {
    return at.node === null || (isScalar(at.node) && at.node.value === null);
  }

  /** Items of a sequence; undefined (and a diagnostic) when it is something else. A null value is an empty list. */
  list(at: At | undefined, what: string): At[] | undefined {
    if (!at) return undefined;
    if (this.isNull(at)) return [];
    if (!isSeq(at.node)) {
      this.report('DESIGN_WRONG_TYPE', `${what} must be a list, not ${describe(at.node)}`, at);
      return undefined;
    }
    return (at.node.items as unknown[]).map((n, i) => ({ node: deref(this.src, n), path: `${at.path}[${i}]` }));
  }

  /** A mapping; reports DESIGN_NOT_A_MAPPING otherwise. */
  map(at: At, what: string): boolean {
    if (isMap(at.node)) return true;
    this.report('DESIGN_NOT_A_MAPPING', `${what} must be a mapping of fields, not ${describe(at.node)}`, at);
    return false;
  }

  /** A text (numbers are accepted and rendered: ids like 3 or SL levels like 2). */
  text(at: At | undefined, what: string): string | undefined {
    if (!at || this.isNull(at)) return undefined;
    if (isScalar(at.node) && (typeof at.node.value === 'string' || typeof at.node.value === 'number')) return String(at.node.value);
    this.report('DESIGN_WRONG_TYPE', `${what} must be a text, not ${describe(at.node)}`, at);
    return undefined;
  }

  /** A required text: DESIGN_MISSING_FIELD at the mapping when absent. */
  requiredText(map: At, key: string, what: string): string | undefined {
    const f = this.field(map, key);
    if (!f || this.isNull(f)) {
      this.report('DESIGN_MISSING_FIELD', `${what} has no ${key}`, f ?? map);
      return undefined;
    }
    const t = this.text(f, key);
    if (t !== undefined && t.trim() === '') {
      this.report('DESIGN_MISSING_FIELD', `${what} has an empty ${key}`, f);
      return undefined;
    }
    return t?.trim();
  }

  /** Scalar value as is (string | number | boolean | null), or undefined for collections (reported). */
  scalar(at: At, what: string): string | number | boolean | null | undefined {
    if (isScalar(at.node)) {
      const v = at.node.value;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    }
    this.report('DESIGN_WRONG_TYPE', `${what} must be a single value, not ${describe(at.node)}`, at);
    return undefined;
  }

  /** Texts of a list of scalars (list of texts). */
  texts(at: At | undefined, what: string): Array<{ text: string; at: At }> | undefined {
    const items = this.list(at, what);
    if (!items) return undefined;
    const out: Array<{ text: string; at: At }> = [];
    for (const it of items) {
      const t = this.text(it, `each entry of ${what}`);
      if (t !== undefined) out.push({ text: t, at: it });
    }
    return out;
  }
}

export function describe(n: Node | null): string {
  if (n === null) return 'nothing';
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) {
    const v = n.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return `the text '${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
    return `${typeof v} ${String(v)}`;
  }
  return 'something else';
}
