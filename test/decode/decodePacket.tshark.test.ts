/**
 * decodePacket() against tshark on every real capture in ../shared/captures: per frame, addresses,
 * protocol, ports, TCP flags / raw seq / ack, payload length, VLAN ids, ARP, MACs; and the set of
 * frames decoded as IP equals tshark's `-Y "ip or ipv6"`.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { decodePacket } from '../../src/decode/decodePacket.js';
import { DECODE, DecodedPacket } from '../../src/decode/packet.js';
import { readCaptureFile } from '../../src/ingest/readCapture.js';
import { tsharkFrames, tsharkRows } from './tsharkOracle.js';
import { compareWithTshark } from './compareWithTshark.js';
import { CAPTURES_DIR } from '../util/captures.js';

const CAPTURES = `${CAPTURES_DIR}/`;

function listCaptures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listCaptures(p));
    else if (/\.(pcap|pcapng|cap)$/.test(name)) out.push(p);
  }
  return out;
}

const files = listCaptures(CAPTURES);

describe('decodePacket(real captures) agrees with tshark', () => {
  test('the capture set is present (22 files)', () => {
    expect(files.length).toBe(22);
  });

  test.each(files.map((f) => [relative(CAPTURES, f), f]))('decodePacket(%s) matches tshark on every frame', async (_name, file) => {
    const rows = tsharkRows(file);
    const ipFrames = new Set(tsharkFrames(file, 'ip or ipv6'));
    const out = new DecodedPacket();
    const mismatches: string[] = [];
    const ourIp = new Set<number>();
    let frames = 0;
    const summary = await readCaptureFile(file, (rec) => {
      frames++;
      const r = decodePacket(rec, out);
      if (r === DECODE.IP) ourIp.add(rec.frame);
      const row = rows[rec.frame - 1];
      if (!row) {
        mismatches.push(`frame ${rec.frame}: no tshark row`);
        return;
      }
      for (const m of compareWithTshark(rec, out, r, row)) mismatches.push(`frame ${rec.frame}: ${m}`);
    });
    expect([summary.errors, summary.truncated]).toEqual([0, false]);
    expect(frames).toBe(rows.length);
    expect(frames).toBeGreaterThan(0);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect([...ourIp].sort((a, b) => a - b)).toEqual([...ipFrames].sort((a, b) => a - b));
  });
});
