import { EpathScratch, parseEpath } from '../../../src/dissectors/enip/parseEpath.js';
import { symbolicName } from '../../../src/dissectors/enip/TagCache.js';
import { hex, tagPath } from './enipBuilders.js';

function parse(h: string): { ok: boolean; out: EpathScratch } {
  const b = hex(h);
  // At a non-zero offset inside a larger buffer, as in a PDU.
  const big = Buffer.concat([hex('eeee'), b, hex('eeee')]);
  const out = new EpathScratch();
  const ok = parseEpath(big, 2, b.length, out);
  return { ok, out };
}

describe('parseEpath', () => {
  test('parseEpath(20 06 24 01) returns class 6, instance 1', () => {
    const { ok, out } = parse('2006 2401');
    expect(ok).toBe(true);
    expect([out.classId, out.instance, out.attribute, out.symbols]).toEqual([6, 1, -1, 0]);
  });

  test('parseEpath(16- and 32-bit logical segments) reads the padded values little-endian', () => {
    const { ok, out } = parse('2100 6b00 2500 2024 3100 0301 2600 78563412');
    expect(ok).toBe(true);
    expect([out.classId, out.instance, out.attribute]).toEqual([0x6b, 0x2420, 0x0103]);
    // A second instance segment does not replace the first.
    const two = parse('2001 2401 2402 3007');
    expect([two.out.instance, two.out.attribute]).toEqual([1, 7]);
  });

  test('parseEpath(electronic key + class/instance + connection point) as in a Forward Open connection path', () => {
    const { ok, out } = parse('3404 0100 0e00 3600 0b01 2004 2401 2c65 2c64');
    expect(ok).toBe(true);
    expect([out.classId, out.instance, out.connPoint]).toEqual([4, 1, 0x65]);
  });

  test('parseEpath(port segments: backplane slot 0, extended link address) counts routing hops', () => {
    // 01 00: port 1 link 0; 12 0a "10.0.0.2.." : port 2, 10-byte link address, even so no pad.
    const { ok, out } = parse('0100 120a 31302e302e302e3230 00 2002 2401');
    expect(ok).toBe(true);
    expect([out.ports, out.classId]).toEqual([2, 2]);
    // Extended port id 15 with a 16-bit port number.
    expect(parse('0f12 0001').ok).toBe(true);
  });

  test('parseEpath(ANSI extended symbols with odd length and member index) counts the symbols', () => {
    const path = tagPath('Program:Main.Motor[3]');
    const { ok, out } = parse(path.toString('hex'));
    expect(ok).toBe(true);
    expect([out.symbols, out.member, out.classId]).toEqual([2, 3, -1]);
    expect(symbolicName(path, 0, path.length)).toBe('Program:Main.Motor[3]');
  });

  test('parseEpath(symbolic segment 0x6x) reads the short symbol with its pad', () => {
    const { ok, out } = parse('6441424344 00 2401'.replace(/ /g, ''));
    expect(ok).toBe(true);
    expect([out.symbols, out.instance]).toEqual([1, 1]);
    expect(symbolicName(hex('6441424344 00'), 0, 6)).toBe('ABCD');
  });

  test('parseEpath(reserved or truncated segments) returns false with the offset of the faulty segment', () => {
    const reserved = parse('2001 e000');
    expect(reserved.ok).toBe(false);
    expect(reserved.out.errorAt).toBe(2 + 2);
    expect(reserved.out.classId).toBe(1);
    const truncated = parse('2001 25');
    expect(truncated.ok).toBe(false);
    expect(truncated.out.error).toBe('truncated logical segment');
    expect(parse('9105 4142').ok).toBe(false);
    expect(parse('2301').ok).toBe(false); // reserved logical format 3
  });
});
