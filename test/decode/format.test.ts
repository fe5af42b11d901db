/**
 * format.ts: IPv6 text form against tshark (the form users compare with Wireshark), parseIp against
 * ipaddr.js and as the inverse of ipToString.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { ipToString, macToString, parseIp } from '../../src/decode/format.js';
import { buildPcap } from '../util/pcap.js';
import { tsharkFields } from '../util/tshark.js';

/** Random IPv6 words biased towards zero groups (runs of zeros are what the text form is about). */
const groupArb = fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff }));
const v6WordsArb = fc.array(groupArb, { minLength: 8, maxLength: 8 }).map((g) => {
  const w = new Uint32Array(4);
  for (let i = 0; i < 4; i++) w[i] = g[2 * i] * 0x10000 + g[2 * i + 1];
  return w;
});

function wordsToBytes(w: Uint32Array): number[] {
  const out: number[] = [];
  for (const v of w) out.push(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  return out;
}

describe('ipToString', () => {
  test('ipToString(IPv4 words) returns the dotted quad of word 3', () => {
    expect(ipToString(Uint32Array.of(0, 0, 0, 0x0a140132), 4)).toBe('10.20.1.50');
    expect(ipToString(Uint32Array.of(0, 0, 0, 0xffffffff), 4)).toBe('255.255.255.255');
    expect(ipToString(Uint32Array.of(0, 0, 0, 0), 4)).toBe('0.0.0.0');
  });

  test('ipToString(IPv6 special cases) follows RFC 5952: ::, ::1, no single-group compression, first longest run, mapped IPv4', () => {
    const w = (s: string): Uint32Array => parseIp(s)!.words;
    expect(ipToString(w('0:0:0:0:0:0:0:0'), 6)).toBe('::');
    expect(ipToString(w('0:0:0:0:0:0:0:1'), 6)).toBe('::1');
    expect(ipToString(w('2001:db8:0:1:1:1:1:1'), 6)).toBe('2001:db8:0:1:1:1:1:1');
    expect(ipToString(w('2001:db8:0:0:1:0:0:1'), 6)).toBe('2001:db8::1:0:0:1');
    expect(ipToString(w('2001:0DB8:0000:0000:0000:0000:0000:0001'), 6)).toBe('2001:db8::1');
    expect(ipToString(w('::ffff:192.0.2.1'), 6)).toBe('::ffff:192.0.2.1');
    expect(ipToString(w('fe80:0:0:0:1:0:0:0'), 6)).toBe('fe80::1:0:0:0');
  });

  test('ipToString(400 random IPv6 addresses) prints exactly what tshark prints', () => {
    const addrs = fc.sample(v6WordsArb, { numRuns: 400, seed: 5952 });
    const dir = mkdtempSync(join(tmpdir(), 'zonescope-format-'));
    try {
      const frames = addrs.map((w) =>
        Uint8Array.from([0x60, 0, 0, 0, 0, 0, 59, 64, ...wordsToBytes(w), ...wordsToBytes(Uint32Array.of(0, 0, 0, 1))]),
      );
      const file = join(dir, 'v6.pcap');
      writeFileSync(file, buildPcap(229, frames));
      const theirs = tsharkFields(file, ['ipv6.src'], { extra: ['-n'] }).map((r) => r[0]!);
      expect(theirs.length).toBe(addrs.length);
      expect(addrs.map((w) => ipToString(w, 6))).toEqual(theirs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseIp', () => {
  test('parseIp(ipToString(words)) returns the same words for random IPv6 and IPv4 addresses', () => {
    fc.assert(
      fc.property(v6WordsArb, (w) => {
        const p = parseIp(ipToString(w, 6));
        expect(p?.version).toBe(6);
        expect(Array.from(p!.words)).toEqual(Array.from(w));
      }),
      { numRuns: 5000, seed: 4291 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
        const p = parseIp(ipToString(Uint32Array.of(0, 0, 0, v), 4));
        expect(p?.version).toBe(4);
        expect(Array.from(p!.words)).toEqual([0, 0, 0, v]);
      }),
      { numRuns: 2000, seed: 791 },
    );
  });

  test('parseIp(valid addresses in many spellings) agrees with ipaddr.js', () => {
    const inputs = [
      '10.20.1.10',
      '0.0.0.0',
      '255.255.255.255',
      '::',
      '::1',
      '1::',
      'FE80::1',
      'fe80:0:0:0:0:0:0:1',
      '2001:db8::8:800:200c:417a',
      '::ffff:10.0.0.1',
      '64:ff9b::192.0.2.33',
      '1:2:3:4:5:6:1.2.3.4',
      '1:2:3:4:5:6:7::',
      '::2:3:4:5:6:7:8',
    ];
    for (const s of inputs) {
      const ours = parseIp(s);
      const ref = ipaddr.parse(s);
      expect([s, ours?.version]).toEqual([s, ref.kind() === 'ipv4' ? 4 : 6]);
      const refBytes = ref.toByteArray();
      const ourBytes = wordsToBytes(ours!.words).slice(ref.kind() === 'ipv4' ? 12 : 0);
      expect([s, ourBytes]).toEqual([s, refBytes]);
    }
  });

  test('parseIp(::13.1.68.3) returns the IPv4-compatible address 0:0:0:0:0:0:d01:4403 (RFC 4291 section 2.2; ipaddr.js maps it to ::ffff:)', () => {
    expect(Array.from(parseIp('::13.1.68.3')!.words)).toEqual([0, 0, 0, 0x0d014403]);
    expect(parseIp('::13.1.68.3')!.version).toBe(6);
  });

  test('parseIp(malformed text) returns null', () => {
    const bad = [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '1.2.3.-1',
      '0x7f.0.0.1',
      '1.2.3.4 ',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '12345::',
      'g::1',
      ':1::',
      '1:2:3:4:5:6:7::8',
      '::1.2.3',
      '::1.2.3.4:5',
      'fe80::1%eth0',
      '10.0.0.0/8',
    ];
    for (const s of bad) expect([s, parseIp(s)]).toEqual([s, null]);
  });
});

describe('macToString', () => {
  test('macToString(buf, 2) returns the lower-case colon form of the 6 bytes at offset 2', () => {
    const buf = Uint8Array.from([0xff, 0xff, 0x00, 0x1d, 0x9c, 0xc8, 0x03, 0xe7, 0xff]);
    expect(macToString(buf, 2)).toBe('00:1d:9c:c8:03:e7');
    expect(macToString(Uint8Array.from([0xab, 0xcd, 0xef, 0x01, 0x23, 0x45]), 0)).toBe('ab:cd:ef:01:23:45');
  });
});
