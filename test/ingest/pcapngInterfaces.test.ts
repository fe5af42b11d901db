import { PcapngSection, readInterfaceBlock, readSectionBlock, unitText } from '../../src/ingest/pcapngInterfaces.js';
import { idb, loadedState, shb } from './captureTestUtil.js';

test('readInterfaceBlock(IDB with if_tsresol 2^-20 and if_tsoffset -3600) records link type, unit and offset', () => {
  const b = idb(true, 113, { tsresol: 0x80 | 20, tsoffset: -3600n });
  const { s, diags } = loadedState(b);
  const section = new PcapngSection();
  readInterfaceBlock(s, section, 0, b.length);
  expect(section.interfaces).toEqual([{ linktype: 113, resol: { kind: 1, units: 2 ** 20, mul: 20 }, resolByte: 0x94, offsetSec: -3600, lastSec: NaN }]);
  expect(unitText(section.interfaces[0])).toBe('2^-20 s');
  expect(s.linktypes).toEqual([113]);
  expect(diags).toEqual([]);
});

test('readInterfaceBlock(if_tsresol 10^-30) warns PCAPNG_BAD_OPTION at the option and reads microseconds', () => {
  const b = idb(true, 1, { tsresol: 30 });
  const { s, diags } = loadedState(b);
  const section = new PcapngSection();
  readInterfaceBlock(s, section, 0, b.length);
  expect(diags).toEqual([expect.objectContaining({ code: 'PCAPNG_BAD_OPTION', severity: 'warning', offset: 16 })]);
  expect(unitText(section.interfaces[0])).toBe('10^-6 s');
});

test('readSectionBlock(SHB) starts a section with no interfaces', () => {
  const b = Buffer.concat([idb(true, 1), shb(true)]);
  const { s } = loadedState(b);
  const section = new PcapngSection();
  readInterfaceBlock(s, section, 0, idb(true, 1).length);
  expect(section.interfaces).toHaveLength(1);
  readSectionBlock(s, section, idb(true, 1).length, shb(true).length);
  expect([section.interfaces.length, section.sections]).toEqual([0, 1]);
});
