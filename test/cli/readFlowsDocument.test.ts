import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { BaselineReader } from '../../src/baseline/reader.js';
import { readFlowsDocument } from '../../src/cli/readFlowsDocument.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';
import { capturePath } from '../util/captures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-rfd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('readFlowsDocument(reader) is the flows@2 document of the reader flows: every flow, its packets and its functions', async () => {
  const db = join(tmp, 'x.db');
  const b = Baseline.open(db);
  await ingestCaptures(b, [capturePath('modbus/zeek_modbusSmall.pcap'), capturePath('enip/cisagov_enip_cip_example.pcap')], {});
  b.close();
  const r = BaselineReader.open(db);
  try {
    const flows = r.flows();
    const doc = readFlowsDocument(r) as { schema: string; flows: Array<{ src: string; packets: number; functions: Array<{ code: number }> }> };
    expect(doc.schema).toBe('zonescope/flows@2');
    expect(doc.flows.map((f) => [f.src, f.packets])).toEqual(flows.map((f) => [f.src, f.packetsToResponder + f.packetsToInitiator]));
    const modbus = doc.flows.find((_, i) => flows[i]!.protocol === 'modbus')!;
    expect(modbus.functions.map((f) => f.code).sort((a, b) => a - b)).toEqual([1, 15]);
    const only = readFlowsDocument(r, flows.slice(0, 1), []) as { flows: unknown[] };
    expect(only.flows).toHaveLength(1);
  } finally {
    r.close();
  }
});
