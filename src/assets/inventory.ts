/**
 * The asset inventory CSV (columns `name,id,ip,mac,purdue_level,role`, as in
 * fixtures/examples/refinery-unit3.assets.csv). `ip` may be an address or a CIDR that covers a group of
 * hosts. Bad input is normal input: each bad row is one diagnostic with file:line:column and is left
 * out; every good row is kept. RFC 4180 quoting, CRLF or LF, a UTF-8 BOM and `#` comment lines are
 * accepted.
 */
import { readFileSync, statSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import type { Diagnostic, DiagnosticCode } from '../diagnostics.js';
import { PURDUE_LEVELS, type Inventory, type InventoryEntry, type PurdueLevel } from './types.js';

export const INVENTORY_COLUMNS = ['name', 'id', 'ip', 'mac', 'purdue_level', 'role'] as const;
type Column = (typeof INVENTORY_COLUMNS)[number];

/** An inventory larger than this is refused (a plant inventory is a few thousand rows). */
export const MAX_INVENTORY_BYTES = 32 * 1024 * 1024;

interface Field {
  text: string;
  column: number;
}
interface Row {
  line: number;
  fields: Field[];
}

/** Read and parse an inventory file; an unreadable or oversized file is one diagnostic, no entries. */
export function loadInventory(path: string): Inventory {
  try {
    const size = statSync(path).size;
    if (size > MAX_INVENTORY_BYTES) {
      return { file: path, entries: [], diagnostics: [diag(path, 'INVENTORY_TOO_LARGE', 1, 1, `${size} bytes; the limit is ${MAX_INVENTORY_BYTES}`)] };
    }
    return parseInventory(readFileSync(path, 'utf8'), path);
  } catch (e) {
    return { file: path, entries: [], diagnostics: [diag(path, 'INVENTORY_UNREADABLE', undefined, undefined, (e as Error).message)] };
  }
}

export function parseInventory(text: string, file: string): Inventory {
  const diagnostics: Diagnostic[] = [];
  const entries: InventoryEntry[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = splitCsv(text, file, diagnostics);
  const header = rows.shift();
  if (!header) {
    diagnostics.push(diag(file, 'INVENTORY_EMPTY', 1, 1, 'no header row; expected columns name,id,ip,mac,purdue_level,role', 'warning'));
    return { file, entries, diagnostics };
  }
  const index = new Map<Column, number>();
  header.fields.forEach((f, i) => {
    const name = f.text.trim().toLowerCase().replace(/[\s-]+/g, '_');
    if ((INVENTORY_COLUMNS as readonly string[]).includes(name)) {
      if (index.has(name as Column)) diagnostics.push(diag(file, 'INVENTORY_DUPLICATE_COLUMN', header.line, f.column, `column '${f.text}' appears twice; the first is used`, 'warning'));
      else index.set(name as Column, i);
    } else {
      diagnostics.push(
        diag(file, 'INVENTORY_UNKNOWN_COLUMN', header.line, f.column, `unknown column '${f.text}' (known: ${INVENTORY_COLUMNS.join(', ')}); it is ignored`, 'warning'),
      );
    }
  });
  if (!index.has('ip') && !index.has('mac')) {
    diagnostics.push(diag(file, 'INVENTORY_MISSING_COLUMN', header.line, 1, "the header has neither an 'ip' nor a 'mac' column; no row can be matched to traffic"));
  }
  if (!index.has('name') && !index.has('id')) {
    diagnostics.push(diag(file, 'INVENTORY_MISSING_COLUMN', header.line, 1, "the header has neither a 'name' nor an 'id' column"));
  }

  const seenId = new Map<string, number>();
  const seenIp = new Map<string, number>();
  const seenMac = new Map<string, number>();
  for (const row of rows) {
    const get = (c: Column): Field | undefined => {
      const i = index.get(c);
      return i === undefined ? undefined : row.fields[i];
    };
    const bad = (code: DiagnosticCode, f: Field | undefined, msg: string): void => {
      diagnostics.push(diag(file, code, row.line, f?.column ?? 1, msg));
    };
    if (row.fields.length !== header.fields.length) {
      bad('INVENTORY_FIELD_COUNT', row.fields[Math.min(row.fields.length, header.fields.length) - 1], `${row.fields.length} fields where the header has ${header.fields.length}; the row is left out`);
      continue;
    }
    const name = (get('name')?.text ?? '').trim();
    const id = (get('id')?.text ?? '').trim();
    if (!name && !id) {
      bad('INVENTORY_MISSING_ID', get('id') ?? get('name'), 'the row has neither a name nor an id; it is left out');
      continue;
    }
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(name + id)) {
      bad('INVENTORY_CONTROL_CHARACTER', get('name'), 'control characters in the name or id; the row is left out');
      continue;
    }
    let ip: string | null = null;
    let prefix: number | null = null;
    const ipField = get('ip');
    const ipText = (ipField?.text ?? '').trim();
    if (ipText) {
      const parsed = parseAddressOrCidr(ipText);
      if (typeof parsed === 'string') {
        bad(ipText.includes('/') ? 'INVENTORY_BAD_CIDR' : 'INVENTORY_BAD_IP', ipField, `${parsed}; the row is left out`);
        continue;
      }
      ip = parsed.ip;
      prefix = parsed.prefix;
    }
    let mac: string | null = null;
    const macField = get('mac');
    const macText = (macField?.text ?? '').trim();
    if (macText) {
      mac = normaliseMac(macText);
      if (!mac) {
        bad('INVENTORY_BAD_MAC', macField, `'${macText}' is not a MAC address (expected 00:1d:9c:c1:00:0a); the row is left out`);
        continue;
      }
    }
    let purdueLevel: PurdueLevel | null = null;
    const levelField = get('purdue_level');
    const levelText = (levelField?.text ?? '').trim();
    if (levelText) {
      const n = Number(levelText.replace(/^(level|l)\s*/i, ''));
      if (!PURDUE_LEVELS.includes(n as PurdueLevel)) {
        bad('INVENTORY_BAD_LEVEL', levelField, `purdue_level '${levelText}' is not one of ${PURDUE_LEVELS.join(', ')}; the row is left out`);
        continue;
      }
      purdueLevel = n as PurdueLevel;
    }
    if (id && seenId.has(id)) {
      bad('INVENTORY_DUPLICATE_ID', get('id'), `id '${id}' is already on line ${seenId.get(id)}; this row is left out`);
      continue;
    }
    const ipKey = ip === null ? null : `${ip}/${prefix}`;
    if (ipKey && seenIp.has(ipKey)) {
      bad('INVENTORY_DUPLICATE_IP', ipField, `${ipText} is already on line ${seenIp.get(ipKey)}; this row is left out`);
      continue;
    }
    if (mac && seenMac.has(mac)) {
      bad('INVENTORY_DUPLICATE_MAC', macField, `${macText} is already on line ${seenMac.get(mac)}; this row is left out`);
      continue;
    }
    if (!ip && !mac && (index.has('ip') || index.has('mac'))) {
      diagnostics.push(
        diag(file, 'INVENTORY_NO_ADDRESS', row.line, ipField?.column ?? 1, `'${id || name}' has neither ip nor mac: it can be named in a design but never matched to traffic`, 'warning'),
      );
    }
    if (id) seenId.set(id, row.line);
    if (ipKey) seenIp.set(ipKey, row.line);
    if (mac) seenMac.set(mac, row.line);
    const role = (get('role')?.text ?? '').trim();
    entries.push({ line: row.line, name, id, ip, prefix, mac, purdueLevel, role: role || null });
  }
  if (rows.length === 0 && diagnostics.every((d) => d.severity !== 'error')) {
    diagnostics.push(diag(file, 'INVENTORY_EMPTY', header.line, 1, 'the inventory has a header but no rows', 'warning'));
  }
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { file, entries, diagnostics };
}

/**
 * The inventory row that describes a host: its own IP first, then its MAC, then the most specific
 * CIDR that covers the IP. Null when no row covers it.
 */
export function inventoryEntryFor(entries: readonly InventoryEntry[], ip: string | null, mac: string | null): InventoryEntry | null {
  let addr: ipaddr.IPv4 | ipaddr.IPv6 | null = null;
  if (ip !== null && ipaddr.isValid(ip)) addr = unmap(ipaddr.parse(ip));
  const macN = mac ? normaliseMac(mac) : null;
  let best: InventoryEntry | null = null;
  let bestScore = -1;
  for (const e of entries) {
    let score = -1;
    if (addr && e.ip !== null && e.prefix !== null) {
      const net = unmap(ipaddr.parse(e.ip));
      if (net.kind() === addr.kind() && addr.match(net, e.prefix)) {
        const full = addr.kind() === 'ipv4' ? 32 : 128;
        score = e.prefix === full ? 1000 : e.prefix;
      }
    }
    if (score < 500 && macN && e.mac === macN) score = 500;
    if (score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  return best;
}

/** Whether an inventory row covers an IP (its address, or its CIDR). */
export function entryCoversIp(e: InventoryEntry, ip: string): boolean {
  if (e.ip === null || e.prefix === null || !ipaddr.isValid(ip)) return false;
  const addr = unmap(ipaddr.parse(ip));
  const net = unmap(ipaddr.parse(e.ip));
  return net.kind() === addr.kind() && addr.match(net, e.prefix);
}

/** `aa:bb:cc:dd:ee:ff` from the common spellings (colons, dashes, dots, none); null when it is not one. */
export function normaliseMac(text: string): string | null {
  const hex = text.trim().toLowerCase().replace(/[:\-.]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return null;
  if (!/^([0-9a-f]{2}[:\-]){5}[0-9a-f]{2}$|^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$|^[0-9a-f]{12}$/.test(text.trim().toLowerCase())) return null;
  return hex.match(/../g)!.join(':');
}

function unmap(a: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}

/** An address (prefix = full length) or a CIDR, normalised; a string says what is wrong. */
function parseAddressOrCidr(text: string): { ip: string; prefix: number } | string {
  if (text.includes('/')) {
    const [a, p] = text.split('/', 2) as [string, string];
    if (!ipaddr.isValid(a)) return `'${text}' is not a CIDR: '${a}' is not an IP address`;
    if (!/^\d{1,3}$/.test(p)) return `'${text}' is not a CIDR: prefix '${p}' is not a number`;
    const addr = unmap(ipaddr.parse(a));
    const max = addr.kind() === 'ipv4' ? 32 : 128;
    const prefix = Number(p);
    if (prefix > max) return `'${text}': prefix /${prefix} is longer than ${max}`;
    return { ip: networkAddress(addr, prefix), prefix };
  }
  if (!ipaddr.isValid(text) || (text.includes('.') && !ipaddr.IPv4.isValidFourPartDecimal(text) && !text.includes(':'))) {
    return `'${text}' is not an IP address`;
  }
  const addr = unmap(ipaddr.parse(text));
  return { ip: addr.toString(), prefix: addr.kind() === 'ipv4' ? 32 : 128 };
}

function networkAddress(addr: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): string {
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** RFC 4180 split with 1-based line and column of each field; blank and `#` lines skipped. */
function splitCsv(text: string, file: string, diagnostics: Diagnostic[]): Row[] {
  const rows: Row[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const rowLine = line;
    let lineStart = i;
    // skip blank and comment lines
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    if (text[i] === '#') {
      while (i < n && text[i] !== '\n') i++;
      i++;
      line++;
      continue;
    }
    const fields: Field[] = [];
    let broken = false;
    for (;;) {
      const column = i - lineStart + 1;
      let value = '';
      if (text[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (ch === '\n') {
            line++;
            lineStart = i + 1;
          }
          value += ch;
          i++;
        }
        if (!closed) {
          diagnostics.push(diag(file, 'INVENTORY_UNTERMINATED_QUOTE', rowLine, column, 'a quoted field is never closed; the rest of the file is left out'));
          return rows;
        }
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (!broken) diagnostics.push(diag(file, 'INVENTORY_BAD_QUOTE', rowLine, i - lineStart + 1, 'text after a closing quote; the row is left out'));
          broken = true;
          i++;
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) value += text[i++];
      }
      fields.push({ text: value, column });
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      if (i < n && text[i] === '\r') i++;
      if (i < n && text[i] === '\n') i++;
      line++;
      break;
    }
    if (!broken) rows.push({ line: rowLine, fields });
  }
  return rows;
}

function diag(file: string, code: DiagnosticCode, line: number | undefined, column: number | undefined, message: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  const d: Diagnostic = { code, severity, message, file };
  if (line !== undefined) d.line = line;
  if (column !== undefined) d.column = column;
  return d;
}
