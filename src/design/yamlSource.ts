/**
 * YAML text -> a `yaml` Document with source positions, refusing what no design needs and what could
 * exhaust the process: documents over `maxBytes`, nesting deeper than `maxDepth` (checked on the text
 * before parsing: the parser recurses and a few hundred thousand brackets abort Node), and alias bombs
 * (yaml's maxAliasCount). Every problem is a positioned Diagnostic; nothing throws.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { designDiagnostic } from './designCodes.js';
import type { SourcePos } from './types.js';

export interface YamlLimits {
  maxBytes: number;
  maxDepth: number;
  maxAliasCount: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 32, maxAliasCount: 200 };

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** The position of a node (its first character), or of the document start. */
export function posOf(src: YamlSource, node: Node | null | undefined, path: string): SourcePos {
  const offset = node?.range?.[0] ?? 0;
  const p = src.lines.linePos(offset);
  return { file: src.file, line: p.line, column: p.col, path };
}

/**
 * Nesting depth as the text shows it, without parsing: open flow brackets plus block indentation
 * levels plus inline "- " sequence starts, outside quotes and comments. Returns the first line and
 * column where `limit` is exceeded, or null.
 */
export function tooDeepAt(text: string, limit: number): { line: number; column: number; depth: number } | null {
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | null = null;
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    let i = 0;
    if (quote === null && flow === 0) {
      while (i < raw.length && raw[i] === ' ') i++;
      if (i >= raw.length || raw[i] === '#' || raw[i] === '\r') continue;
      while (indents.length > 0 && indents[indents.length - 1]! >= i) indents.pop();
      indents.push(i);
      // "- - - x": every dash opens one more level
      let j = i;
      while (raw[j] === '-' && (raw[j + 1] === ' ' || raw[j + 1] === undefined)) {
        indents.push(j + 1);
        j += 2;
        while (raw[j] === ' ') j++;
      }
      i = j;
    }
    for (; i < raw.length; i++) {
      const c = raw[i];
      if (quote) {
        if (c === quote) quote = null;
        else if (c === '\\' && quote === '"') i++;
        continue;
      }
      if (c === '#' && (i === 0 || raw[i - 1] === ' ')) break;
      if (c === '"' || (c === "'" && (i === 0 || /[\s[{,:]/.test(raw[i - 1]!)))) quote = c;
      else if (c === '[' || c === '{') {
        flow++;
        if (indents.length + flow > limit) return { line: lineNo, column: i + 1, depth: indents.length + flow };
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    if (indents.length + flow > limit) return { line: lineNo, column: 1, depth: indents.length + flow };
  }
  return null;
}

/** First line of a yaml error message, without the "at line L, column C" the diagnostic already carries. */
function yamlMessage(m: string): string {
  return m.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

export function parseYamlSource(
  text: string,
  file: string,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): { source: YamlSource | null; diagnostics: Diagnostic[] } {
  const start = { file, line: 1, column: 1, path: '' };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    return {
      source: null,
      diagnostics: [designDiagnostic('DESIGN_TOO_LARGE', `the document is ${bytes} bytes; a design is refused above ${limits.maxBytes} bytes`, start)],
    };
  }
  const deep = tooDeepAt(text, limits.maxDepth);
  if (deep) {
    return {
      source: null,
      diagnostics: [
        designDiagnostic('DESIGN_TOO_DEEP', `nesting reaches depth ${deep.depth} here; a design is refused above depth ${limits.maxDepth}`, { ...start, line: deep.line, column: deep.column }),
      ],
    };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const src: YamlSource = { file, doc, lines };
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const p = lines.linePos(e.pos[0]);
    const at = { file, line: p.line, column: p.col, path: '' };
    if (e.code === 'DUPLICATE_KEY') {
      const key = /^["']?([^"':\n]+)/.exec(text.slice(e.pos[0]))?.[1]?.trim() ?? '';
      diagnostics.push(designDiagnostic('DESIGN_DUPLICATE_KEY', `key '${key}' is already defined in the same mapping`, at));
    }
    else if (e.code === 'RESOURCE_EXHAUSTION') diagnostics.push(designDiagnostic('DESIGN_TOO_DEEP', yamlMessage(e.message), at));
    else diagnostics.push(designDiagnostic('DESIGN_YAML_SYNTAX', yamlMessage(e.message), at));
  }
  if (diagnostics.length > 0) return { source: null, diagnostics };
  const firstAlias = findAlias(doc.contents);
  if (firstAlias) {
    try {
      doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      const msg = (e as Error).message;
      const code = /resource exhaustion/i.test(msg) ? 'DESIGN_ALIAS_BOMB' : 'DESIGN_YAML_SYNTAX';
      const text = code === 'DESIGN_ALIAS_BOMB' ? `aliases expand beyond ${limits.maxAliasCount} nodes; refused` : msg;
      return { source: null, diagnostics: [designDiagnostic(code, text, posOf(src, firstAlias, ''))] };
    }
  }
  return { source: src, diagnostics };
}

/** The first alias in document order (iterative walk). */
function findAlias(root: unknown): Node | null {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isAlias(n)) return n;
    if (isMap(n) || isSeq(n)) {
      const items = n.items as unknown[];
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    } else if (isPair(n)) {
      stack.push(n.value, n.key);
    }
  }
  return null;
}

/** Follow an alias to its anchored node. */
export function deref(src: YamlSource, n: unknown): Node | null {
  if (isAlias(n)) return (n.resolve(src.doc) as Node | undefined) ?? null;
  if (isMap(n) || isSeq(n) || isScalar(n)) return n;
  return null;
}
