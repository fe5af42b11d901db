import { detectFormat } from '../../src/ingest/detectFormat.js';

const word = (v: number, le: boolean): Buffer => {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(v);
  else b.writeUInt32BE(v);
  return b;
};

test('detectFormat(pcap magics in both byte orders) gives byte order, time unit and record header size', () => {
  expect(detectFormat(word(0xa1b2c3d4, true), 0)).toEqual({ format: 'pcap', le: true, nsMul: 1000, fracLimit: 1e6, recHdr: 16 });
  expect(detectFormat(word(0xa1b2c3d4, false), 0)).toEqual({ format: 'pcap', le: false, nsMul: 1000, fracLimit: 1e6, recHdr: 16 });
  expect(detectFormat(word(0xa1b23c4d, true), 0)).toEqual({ format: 'pcap', le: true, nsMul: 1, fracLimit: 1e9, recHdr: 16 });
  expect(detectFormat(word(0xa1b2cd34, false), 0)).toEqual({ format: 'pcap', le: false, nsMul: 1000, fracLimit: 1e6, recHdr: 24 });
});

test('detectFormat(pcapng SHB, garbage, at an offset) reads the 4 bytes at p', () => {
  expect(detectFormat(Buffer.from([9, 9, 0x0a, 0x0d, 0x0d, 0x0a]), 2)).toEqual({ format: 'pcapng' });
  expect(detectFormat(Buffer.from('GIF89a'), 0)).toEqual({ format: 'unknown', magicHex: '47494638' });
});
