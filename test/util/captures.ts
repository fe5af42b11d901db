/**
 * Where the real public ICS captures are: fixtures/captures/ (a byte-identical copy of
 * ../shared/captures with its SOURCES.md and LICENSES/), so a fresh clone can run every test.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CAPTURES_DIR = join(REPO_ROOT, 'fixtures', 'captures');

/** Every capture file (relative path like 'modbus/zeek_modbusSmall.pcap'), sorted. */
export function listCaptures(): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      if (statSync(p).isDirectory()) {
        if (n !== 'LICENSES') walk(p, r);
      } else if (/\.(pcap|pcapng|cap)$/.test(n)) out.push(r);
    }
  };
  walk(CAPTURES_DIR, '');
  return out;
}

export function capturePath(rel: string): string {
  return join(CAPTURES_DIR, rel);
}
