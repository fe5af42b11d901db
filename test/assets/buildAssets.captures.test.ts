/**
 * Issue 8 done-when on the real captures of fixtures/captures: every ENIP product name (ListIdentity
 * and Identity object), Modbus device-identification object and S7 order number that tshark shows is
 * on the asset of the host that sent it.
 */
import { Baseline } from '../../src/baseline/baseline.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { buildAssets } from '../../src/assets/buildAssets.js';
import type { Asset } from '../../src/assets/types.js';
import { capturePath, listCaptures } from '../util/captures.js';
import { tshark } from '../util/tshark.js';

const FIELDS = [
  ['enip.lir.name', 'ENIP ListIdentity product name'],
  ['cip.id.product_name', 'CIP Identity product name'],
  ['modbus.object_str_value', 'Modbus device identification object'],
  ['s7comm.szl.xy11.0001.anz', 'S7 order number'],
] as const;

/** Every value the asset carries: vendor, product, identity attributes. */
function values(a: Asset | undefined): string[] {
  if (!a) return [];
  return [a.vendor, a.product, ...Object.values(a.identity).flatMap((v) => v.split(' | '))].filter((v): v is string => v !== null).map((v) => v.trim());
}

let checked = 0;

describe('buildAssets(real captures) against tshark', () => {
  for (const rel of listCaptures()) {
    test(`buildAssets(${rel}) carries every identity string tshark shows on the sender's asset`, async () => {
      const path = capturePath(rel);
      const decodeAs: Record<string, string> = rel.includes('non-standard-port') ? { '48010': 'opcua' } : {};
      const b = Baseline.open(':memory:');
      await ingestCaptures(b, [path], { registry: createRegistry(defaultDissectors, { decodeAs }) });
      const set = buildAssets(b.reader());
      b.close();
      const out = tshark(['-r', path, ...(decodeAs['48010'] ? ['-d', 'tcp.port==48010,opcua'] : []), '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=\u0001',
        '-e', 'ip.src', '-e', 'ipv6.src', ...FIELDS.flatMap(([f]) => ['-e', f])]);
      const missing: string[] = [];
      for (const line of out.split('\n')) {
        const cols = line.split('\t');
        const src = cols[0] || cols[1];
        if (!src) continue;
        FIELDS.forEach(([field, what], i) => {
          for (const v of (cols[i + 2] ?? '').split('\u0001').map((x) => x.trim()).filter((x) => x !== '')) {
            // tshark shows the MlfB column of every SZL 0x0011 record; only those shaped like an order
            // number (6ES7 315-2EH14-0AB0) are one (index 7 holds the text 'Boot Loader').
            if (field === 's7comm.szl.xy11.0001.anz' && !/^\d[A-Z]{2}\d/.test(v)) continue;
            checked++;
            const a = set.assets.find((x) => x.ip === src);
            if (!values(a).includes(v)) missing.push(`${what} '${v}' (${field}) from ${src}: asset has ${JSON.stringify(values(a))}`);
          }
        });
      }
      expect(missing).toEqual([]);
    }, 60_000);
  }

  test('buildAssets(real captures) checked at least the ENIP product name and the S7 order numbers', () => {
    expect(checked).toBeGreaterThanOrEqual(5);
  });
});
