/** What a run added to the store: Baseline.mark() / newsSince(), and after a rebuild (replaceAll). */
import { Baseline } from '../../src/baseline/baseline.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { capturePath } from '../util/captures.js';

const MODBUS = capturePath('modbus/zeek_modbusSmall.pcap');
const BACNET = capturePath('bacnet/cisagov_bacnet_example.pcap');

function keys(b: Baseline): Set<string> {
  return new Set(b.reader().flows().map((f) => `${f.src}|${f.dst}|${f.transport}|${f.port}|${f.protocol}`));
}
function hosts(b: Baseline): Set<string> {
  return new Set(b.reader().flows().flatMap((f) => [f.src, f.dst]));
}

describe('newsSince', () => {
  test('newsSince(mark before adding a BACnet capture) counts its flows, hosts and the protocol as the store had them not', async () => {
    const b = Baseline.open(':memory:');
    try {
      await ingestCaptures(b, [MODBUS], { workers: 1 });
      const flowsBefore = keys(b);
      const hostsBefore = hosts(b);
      const mark = b.mark();
      await ingestCaptures(b, [BACNET], { workers: 1 });
      const news = b.newsSince(mark);
      const added = [...keys(b)].filter((k) => !flowsBefore.has(k));
      expect(added.length).toBeGreaterThan(0);
      expect(news.flows).toBe(added.length);
      expect(news.hosts).toEqual([...hosts(b)].filter((h) => !hostsBefore.has(h)).sort());
      expect(news.protocols).toContain('bacnet');
      expect(news.protocols).not.toContain('modbus');
      expect(news.goneFlows).toBe(0);
      // The same capture again adds nothing.
      const again = b.mark();
      await ingestCaptures(b, [BACNET], { workers: 1 });
      expect(b.newsSince(again)).toEqual({ flows: 0, hosts: [], protocols: [], goneFlows: 0 });
    } finally {
      b.close();
    }
  });
});

describe('replaceAll', () => {
  test('replaceAll(fill that ingests other captures) leaves only what fill wrote, and newsSince tells the flows gone', async () => {
    const b = Baseline.open(':memory:');
    try {
      await ingestCaptures(b, [MODBUS], { workers: 1 });
      const modbusFlows = keys(b).size;
      const { mark } = await b.replaceAll(() => ingestCaptures(b, [BACNET], { workers: 1 }));
      const fresh = Baseline.open(':memory:');
      await ingestCaptures(fresh, [BACNET], { workers: 1 });
      const strip = (x: Baseline): unknown[] => x.reader().flows().map(({ id: _id, ...f }) => f);
      expect(strip(b)).toEqual(strip(fresh));
      expect(b.reader().captures().map((c) => c.path)).toEqual([BACNET]);
      expect(b.reader().captures()[0]!.id).toBe(1);
      fresh.close();
      const news = b.newsSince(mark);
      expect(news.goneFlows).toBe(modbusFlows);
      expect(news.flows).toBe(keys(b).size);
    } finally {
      b.close();
    }
  });

  test('replaceAll(fill that fails half-way) changes nothing in the store', async () => {
    const b = Baseline.open(':memory:');
    try {
      await ingestCaptures(b, [MODBUS], { workers: 1 });
      const before = JSON.stringify([b.reader().flows(), b.reader().captures(), b.reader().diagnostics()]);
      await expect(
        b.replaceAll(async () => {
          await ingestCaptures(b, [BACNET], { workers: 1 });
          throw new Error('disk on fire');
        }),
      ).rejects.toThrow('disk on fire');
      expect(JSON.stringify([b.reader().flows(), b.reader().captures(), b.reader().diagnostics()])).toBe(before);
      // and the store still takes writes
      await ingestCaptures(b, [BACNET], { workers: 1 });
      expect(b.reader().captures()).toHaveLength(2);
    } finally {
      b.close();
    }
  });
});
