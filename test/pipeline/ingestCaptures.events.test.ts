/**
 * Engineering events through parallel ingest: worker threads sharing the work by address pair (their
 * batches merged by mergeBatches) give the same events as one thread, frame for frame.
 */
import { Baseline } from '../../src/baseline/baseline.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { capturePath } from '../util/captures.js';

async function events(inputs: string[], workers: number): Promise<unknown[]> {
  const b = Baseline.open(':memory:');
  try {
    const r = await ingestCaptures(b, inputs, { workers });
    expect(r.files.map((f) => f.status)).toEqual(inputs.map(() => 'ingested'));
    expect(r.diagnostics.counts.has('PIPELINE_WORKERS_UNAVAILABLE')).toBe(false); // the workers did run
    return b.reader().events();
  } finally {
    b.close();
  }
}

test('ingestCaptures(S7, Modbus and CIP captures, 2 workers) stores the events of 1 worker', async () => {
  const inputs = ['s7comm/cisagov_snap7.pcap', 'modbus/cisagov_modbus_example.pcap', 'enip/cisagov_enip_cip_example.pcap', 'bacnet/cisagov_bacnet_example.pcap'].map(capturePath);
  const one = await events(inputs, 1);
  expect(one.length).toBeGreaterThan(20);
  expect(await events(inputs, 2)).toEqual(one);
}, 120_000);
