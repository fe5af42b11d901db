/**
 * The name decoders against tshark on the real captures of fixtures/captures that hold DNS-format
 * answers (zeek_modbusSmall.pcap has DNS responses with CNAME chains, authority and additional
 * records): the (address, name) facts in the store equal the ones tshark shows, capture by capture.
 */
import { Baseline } from '../../../src/baseline/baseline.js';
import { ingestCaptures } from '../../../src/pipeline/ingestCaptures.js';
import { defaultDissectors } from '../../../src/dissectors/index.js';
import { createRegistry } from '../../../src/dissectors/registry.js';
import { capturePath, listCaptures } from '../../util/captures.js';
import { tshark } from '../../util/tshark.js';
import { tsharkDnsFacts } from './tsharkNames.js';

const NAME_PROTOCOLS = ['dns', 'mdns', 'llmnr'];
let compared = 0;

describe('DNS-format answers of the real captures against tshark', () => {
  for (const rel of listCaptures()) {
    test(`dns/mdns/llmnr(${rel}) answer facts in the store equal tshark's`, async () => {
      const path = capturePath(rel);
      const layers = JSON.parse(tshark(['-r', path, '-Y', NAME_PROTOCOLS.join(' or '), '-T', 'json', '--no-duplicate-keys'])) as Array<{ _source: { layers: Record<string, never> } }>;
      const want = new Set<string>();
      for (const p of layers) for (const proto of NAME_PROTOCOLS) for (const f of tsharkDnsFacts(p._source.layers[proto])) want.add(`${proto} ${f}`);
      const b = Baseline.open(':memory:');
      await ingestCaptures(b, [path], { registry: createRegistry(defaultDissectors) });
      const got = new Set(b.reader().identities().filter((i) => NAME_PROTOCOLS.includes(i.protocol) && i.key.startsWith('answer_')).map((i) => `${i.protocol} ${i.key} ${i.value}`));
      b.close();
      expect([...got].sort()).toEqual([...want].sort());
      compared += want.size;
    }, 60_000);
  }

  test('the real captures held DNS answers to compare', () => {
    expect(compared).toBeGreaterThanOrEqual(10);
  });
});
