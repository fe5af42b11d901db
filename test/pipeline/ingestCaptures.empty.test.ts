import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baseline } from '../../src/baseline/baseline.js';
import { defaultDissectors } from '../../src/dissectors/index.js';
import { createRegistry } from '../../src/dissectors/registry.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-ingest-empty-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function pcapHeaderOnly(): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(65535, 16);
  b.writeUInt32LE(1, 20);
  return b;
}

test('ingestCaptures(a 0-byte file and a header-only file) treats both alike: CAPTURE_EMPTY warning, ingested, not failed', async () => {
  writeFileSync(join(tmp, 'empty.pcap'), Buffer.alloc(0));
  writeFileSync(join(tmp, 'header-only.pcap'), pcapHeaderOnly());
  const b = Baseline.open(':memory:');
  try {
    const r = await ingestCaptures(b, [join(tmp, 'empty.pcap'), join(tmp, 'header-only.pcap')], { registry: createRegistry(defaultDissectors) });
    expect(r.failed).toBe(false);
    expect(r.files.map((f) => [f.status, f.frames, f.errors, f.warnings])).toEqual([
      ['ingested', 0, 0, 1],
      ['ingested', 0, 0, 1],
    ]);
    expect(r.diagnostics.kept.map((d) => [d.code, d.severity])).toEqual([
      ['CAPTURE_EMPTY', 'warning'],
      ['CAPTURE_EMPTY', 'warning'],
    ]);
    // Again: both are known and skipped.
    const again = await ingestCaptures(b, [join(tmp, 'empty.pcap'), join(tmp, 'header-only.pcap')], { registry: createRegistry(defaultDissectors) });
    expect(again.files.map((f) => f.status)).toEqual(['skipped', 'skipped']);
  } finally {
    b.close();
  }
});
