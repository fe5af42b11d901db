/**
 * The ingest summary says what was not analysed (issue 13, finding 7), through the real binary: a
 * snaplen-60 copy of a real Modbus capture (editcap -s 60) loses every Modbus PDU and says so; a
 * segment removed (editcap deletes a frame) is a TCP gap; a capture relabelled as 802.11 is a link
 * type not decoded; non-IP frames (ARP, LLDP, STP) are counted by kind; a clean capture says
 * "problems: none". Before the fix the snaplen-60 copy said "problems: none".
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturePath } from '../util/captures.js';
import { hasNoStack, zonescope } from '../util/cli.js';

const MODBUS = capturePath('modbus/cisagov_modbus_example.pcap');
const ENIP = capturePath('enip/cisagov_enip_cip_example.pcap');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zs-not-analysed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ingest(file: string, name: string): { status: number | null; stderr: string } {
  const r = zonescope(['ingest', file, '--db', join(dir, `${name}.db`)]);
  expect(hasNoStack(r.stderr)).toBe(true);
  return r;
}

describe('zonescope ingest: what was not analysed', () => {
  test('zonescope ingest(a real Modbus capture) says "problems: none" and lists no loss', () => {
    const r = ingest(MODBUS, 'clean');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^ {2}dissected: modbus 48 PDUs$/m);
    expect(r.stderr).toMatch(/^ {2}problems: none$/m);
    expect(r.stderr).not.toMatch(/not analysed/);
  });

  test('zonescope ingest(the capture cut to 60 bytes by editcap -s 60) names the 48 Modbus segments lost to the snaplen, not "problems: none"', () => {
    const cut = join(dir, 'snap60.pcap');
    execFileSync('editcap', ['-s', '60', MODBUS, cut]);
    const r = ingest(cut, 'snap60');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^ {2}not analysed:\n {4}modbus: 48 segments with PDUs not analysed \(706 B\): frames cut to 60 bytes by the capture's snaplen; capture with -s 0$/m);
    expect(r.stderr).not.toMatch(/problems: none/);
    expect(r.stderr).not.toMatch(/gaps/);
  });

  test('zonescope ingest(the capture with one Modbus request removed) names the bytes missing in TCP gaps', () => {
    const gap = join(dir, 'gap.pcap');
    execFileSync('editcap', [MODBUS, gap, '4']); // frame 4: a 12-byte Modbus request
    const r = ingest(gap, 'gap');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^ {4}modbus: 12 B missing in TCP gaps \(segments the capture lacks\): their PDUs not analysed$/m);
    expect(r.stderr).not.toMatch(/problems: none/);
  });

  test('zonescope ingest(the capture relabelled as 802.11 by editcap -T) names the link type not decoded and its frames', () => {
    const wifi = join(dir, 'wifi.pcap');
    execFileSync('editcap', ['-T', 'ieee-802-11', MODBUS, wifi]);
    const r = ingest(wifi, 'wifi');
    expect(r.stderr).toMatch(/^ {4}100 frames of link type 105: not decoded, counted only \(DECODE_UNSUPPORTED_LINKTYPE\)/m);
    expect(r.stderr).not.toMatch(/problems: none/);
  });

  test('zonescope ingest(a capture with ARP, LLDP and STP) counts the frames with no IP by kind and still says "problems: none"', () => {
    const r = ingest(ENIP, 'enip');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^ {2}frames with no IP: 16 \(4 ARP, 2 LLDP, 10 STP\): not flows; ARP gives host MACs, the others MAC-only assets$/m);
    expect(r.stderr).toMatch(/^ {2}problems: none$/m);
  });
});
