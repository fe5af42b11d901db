import { describeCipService, cipOpClass } from '../../../src/dissectors/enip/describeCipService.js';
import { describeEncapCommand } from '../../../src/dissectors/enip/encapCommands.js';
import { tshark } from '../tsharkTcp.js';

function tsharkValues(field: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of tshark(['-G', 'values']).split('\n')) {
    const [kind, f, value, name] = line.split('\t');
    if (kind === 'V' && f === field) out.set(Number(value), name!);
  }
  return out;
}
const snake = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

describe('describeCipService', () => {
  test('describeCipService(common and Connection Manager codes) names them as tshark cip.cm.sc does (upper snake)', () => {
    const theirs = tsharkValues('cip.cm.sc');
    expect(theirs.size).toBeGreaterThan(25);
    // Where the spec's name differs from Wireshark's label (Vol. 1 A-3.1 "No_Operation").
    const renamed = new Map([[0x17, 'NO_OPERATION']]);
    for (const [code, name] of theirs) expect([code, describeCipService(code, 0x06).name]).toEqual([code, renamed.get(code) ?? snake(name)]);
  });

  test('describeCipService(Modbus object 0x44 codes) match tshark cip.mb.sc', () => {
    const theirs = tsharkValues('cip.mb.sc');
    const renamed = new Map([[0x4b, 'READ_DISCRETE_INPUTS']]);
    for (const [code, name] of theirs) if (code >= 0x4b) expect([code, describeCipService(code, 0x44).name]).toEqual([code, renamed.get(code) ?? snake(name)]);
  });

  test('describeCipService(0x52, class) tells Unconnected Send (6), Read Tag Fragmented (0x6b) and unknown (0) apart', () => {
    expect(describeCipService(0x52, 0x06)).toEqual({ name: 'UNCONNECTED_SEND', opClass: 'carrier' });
    expect(describeCipService(0x52, 0x6b)).toEqual({ name: 'READ_TAG_FRAGMENTED', opClass: 'read' });
    expect(describeCipService(0x52, 0)).toEqual({ name: 'Unknown (0x52)', opClass: 'other' });
    expect(describeCipService(0x55, 0x6b)).toEqual({ name: 'GET_INSTANCE_ATTRIBUTE_LIST', opClass: 'read' });
  });

  test('cipOpClass(service, class) agrees with describeCipService for every code and the known classes', () => {
    for (const cls of [0, 0x01, 0x06, 0x37, 0x44, 0x67, 0x6b, 0x6c]) {
      for (let code = 0; code < 0x80; code++) expect(cipOpClass(code, cls)).toBe(describeCipService(code, cls).opClass);
    }
  });

  test('describeEncapCommand(code) names the commands of tshark enip.command (upper snake)', () => {
    const theirs = tsharkValues('enip.command');
    const renamed = new Map([[0xc8, 'START_DTLS']]);
    for (const [code, name] of theirs) expect([code, describeEncapCommand(code).name]).toEqual([code, renamed.get(code) ?? snake(name)]);
    expect(describeEncapCommand(0x72).name).toBe('INDICATE_STATUS');
    expect(describeEncapCommand(0x73).name).toBe('CANCEL');
  });
});
