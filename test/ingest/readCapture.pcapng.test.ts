/**
 * pcapng beyond what editcap writes: several sections, several interfaces of different link types
 * (mergecap), if_tsresol 10^-9 and 2^-n, if_tsoffset, big-endian sections, Simple Packet Blocks, the
 * obsolete Packet Block, and block types a reader must skip. tshark is the oracle wherever it reads
 * the file; the expected values are also computed independently with BigInt.
 */
import { tsharkAsync } from '../util/tshark.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CAPTURES_DIR,
  collectFile,
  customBlock,
  epb,
  frame,
  idb,
  isb,
  nrb,
  pb,
  run,
  shb,
  spb,
  tmpDir,
  tsharkLines,
} from './captureTestUtil.js';

let dir = '';
beforeAll(async () => {
  dir = await tmpDir('ingest-pcapng');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const MODBUS = join(CAPTURES_DIR, 'modbus/zeek_modbusSmall.pcap'); // Ethernet
const OPCUA_NULL = join(CAPTURES_DIR, 'opcua/cisagov_python_opcua-client-server_minimal.pcap'); // BSD null
const S7_SLL = join(CAPTURES_DIR, 's7comm/cisagov_s7comm_plus.pcap'); // Linux SLL

/** Expected "sec.nnnnnnnnn" of a timestamp in units of 10^-n or 2^-n seconds (floor to ns). */
function expectTs(units: bigint, resol: number, offsetSec = 0n): string {
  const n = BigInt(resol & 0x7f);
  const per = resol & 0x80 ? 1n << n : 10n ** n;
  const sec = units / per + offsetSec;
  const ns = ((units % per) * 1000000000n) / per;
  return `${sec}.${ns.toString().padStart(9, '0')}`;
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

test('readCaptureFile(two pcapng sections concatenated) reads both sections with their own interfaces, like tshark', async () => {
  const a = join(dir, 'a.pcapng');
  const b = join(dir, 'b.pcapng');
  expect((await run('editcap', ['-F', 'pcapng', MODBUS, a])).code).toBe(0);
  expect((await run('editcap', ['-F', 'pcapng', OPCUA_NULL, b])).code).toBe(0);
  const both = join(dir, 'ab.pcapng');
  await writeFile(both, Buffer.concat([readFileSync(a), readFileSync(b)]));
  const expected = await tsharkLines(both);
  expect(expected.length).toBe(166 + 44);
  const got = await collectFile(both);
  expect(got.diags).toEqual([]);
  expect(got.lines).toEqual(expected);
  expect(got.summary.linktypes).toEqual([1, 0]);
  expect(got.linktypes.slice(0, 166).every((l) => l === 1)).toBe(true);
  expect(got.linktypes.slice(166).every((l) => l === 0)).toBe(true);
  expect(got.interfaces.every((i) => i === 0)).toBe(true);
});

test('readCaptureFile(mergecap of Ethernet, BSD null and SLL captures) maps each packet to its interface and link type, like tshark', async () => {
  const merged = join(dir, 'merged.pcapng');
  expect((await run('mergecap', ['-F', 'pcapng', '-w', merged, MODBUS, OPCUA_NULL, S7_SLL])).code).toBe(0);
  const r = { stdout: await tsharkAsync(['-r', merged, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.interface_id'], { damagedInput: true }) };
  const expected = r.stdout.split('\n').filter((l) => l);
  expect(expected.length).toBe(166 + 44 + 262);
  const got = await collectFile(merged);
  expect(got.diags).toEqual([]);
  expect(got.lines.map((l, k) => `${l}\t${got.interfaces[k]}`)).toEqual(expected);
  expect(got.summary.linktypes).toEqual([1, 0, 113]);
  for (let k = 0; k < got.linktypes.length; k++) expect(got.linktypes[k]).toBe([1, 0, 113][got.interfaces[k]]);
  expect(got.summary.records).toBe(472);
});

describe('crafted pcapng', () => {
  // Timestamps: nanoseconds since the epoch exceed 2^53, so the split math is exercised.
  const NS = 1738823410493630309n; // 2025-02-06, ns
  const P20 = (1738823410n << 20n) + 987654n; // 2^-20 units
  const P32 = (1738823411n << 32n) + 4294967295n; // 2^-32 units, fraction just below 1 s
  const US = 1700000000123456n; // µs, with if_tsoffset
  const OFFSET = 86400n;

  const frames = [frame(1), frame(2, 74), frame(3), frame(4, 90), frame(5), frame(6), frame(7, 64), frame(8, 1514), frame(9), frame(10)];

  function craft(): Buffer {
    const le = true;
    return Buffer.concat([
      shb(le),
      idb(le, 1, { tsresol: 9 }), // if 0: Ethernet, ns
      idb(le, 1, { tsresol: 0x80 | 20 }), // if 1: 2^-20 s
      idb(le, 1, { tsoffset: OFFSET }), // if 2: µs + offset
      idb(le, 1, { tsresol: 0x80 | 32 }), // if 3: 2^-32 s
      nrb(le),
      epb(le, 0, NS, frames[0]), // frame 1
      customBlock(le),
      epb(le, 1, P20, frames[1]), // frame 2
      epb(le, 2, US, frames[2]), // frame 3
      isb(le, 0, NS + 5n),
      spb(le, frames[3]), // frame 4: interface 0, time of frame 3
      pb(le, 3, P32, frames[4]), // frame 5: obsolete Packet Block
      epb(le, 0, NS + 1000000000n, frames[5].subarray(0, 40), 60), // frame 6: snapped 40 of 60
      // A big-endian section: interfaces start again at 0.
      shb(false),
      idb(false, 101, { tsresol: 9 }), // raw IP, ns
      epb(false, 0, NS + 2n, frames[6]), // frame 7
      pb(false, 0, NS + 3n, frames[7]), // frame 8
      spb(false, frames[8]), // frame 9
      // Back to little-endian, default resolution.
      shb(true),
      idb(true, 1),
      epb(true, 0, US + 1n, frames[9]), // frame 10
    ]);
  }

  // Frame numbers as Wireshark's: the custom block is frame 2 (counted, not delivered).
  const expected = [
    `1\t${expectTs(NS, 9)}\t60\t60`,
    `3\t${expectTs(P20, 0x80 | 20)}\t74\t74`,
    `4\t${expectTs(US, 6, OFFSET)}\t60\t60`,
    `5\t${expectTs(US, 6, OFFSET)}\t90\t90`,
    `6\t${expectTs(P32, 0x80 | 32)}\t60\t60`,
    `7\t${expectTs(NS + 1000000000n, 9)}\t60\t40`,
    `8\t${expectTs(NS + 2n, 9)}\t64\t64`,
    `9\t${expectTs(NS + 3n, 9)}\t1514\t1514`,
    `10\t${expectTs(NS + 3n, 9)}\t60\t60`,
    `11\t${expectTs(US + 1n, 6)}\t60\t60`,
  ];

  test('readCaptureFile(if_tsresol 9 and 2^-n, if_tsoffset, SPB, obsolete PB, NRB/ISB/custom, big-endian section) gives exact timestamps and bytes', async () => {
    const path = join(dir, 'crafted.pcapng');
    await writeFile(path, craft());
    const got = await collectFile(path);
    // The SPB (frame 5, interface 0) carries frame 4's time (2023, interface 2): far back on interface 0.
    expect(got.diags).toEqual([expect.objectContaining({ code: 'CAPTURE_TIME_BACKWARDS', severity: 'warning', frame: 5 })]);
    expect(got.lines).toEqual(expected);
    expect(got.lines[0]).toBe('1\t1738823410.493630309\t60\t60');
    expect(got.interfaces).toEqual([0, 1, 2, 0, 3, 0, 0, 0, 0, 0]);
    expect(got.linktypes).toEqual([1, 1, 1, 1, 1, 1, 101, 101, 101, 1]);
    expect(got.summary.linktypes).toEqual([1, 101]);
    const want = frames.map((f, k) => sha(k === 5 ? f.subarray(0, 40) : f));
    expect(got.hashes).toEqual(want);
    expect(got.summary.format).toBe('pcapng');
    expect(got.summary.frames).toBe(11);
    expect(got.summary.records).toBe(10);
  });

  test('readCaptureFile(crafted pcapng) agrees with tshark on every frame that carries a timestamp', async () => {
    const path = join(dir, 'crafted-tshark.pcapng');
    await writeFile(path, craft());
    const ts = await tsharkLines(path);
    expect(ts.length).toBe(11);
    const got = await collectFile(path);
    // Frame 2 is the custom block (tshark shows it, we count it but deliver only packets). Simple
    // Packet Blocks (frames 5 and 10) carry no timestamp: we use the previous record's, tshark shows
    // none; every other frame must agree to the nanosecond.
    const byFrame = new Map(got.lines.map((l) => [l.split('\t')[0], l]));
    expect(byFrame.has('2')).toBe(false);
    for (const line of ts) {
      const n = line.split('\t')[0];
      if (n === '2') continue;
      const ours = byFrame.get(n) as string;
      if (n === '5' || n === '10') expect(ours.split('\t').slice(2)).toEqual(line.split('\t').slice(2));
      else expect(ours).toBe(line);
    }
  });

  test('readCaptureFile(if_tsresol 10^-12 and 2^-40, beyond exact doubles) still gives the floor nanosecond', async () => {
    // 64 bits of picoseconds only span 213 days: such interfaces need if_tsoffset (§4.2).
    const BASE = 1738700000n;
    const PS = 123410n * 10n ** 12n + 493630309999n;
    const P40 = (123410n << 40n) + (1n << 39n) + 12345n;
    const path = join(dir, 'fine.pcapng');
    await writeFile(
      path,
      Buffer.concat([
        shb(true),
        idb(true, 1, { tsresol: 12, tsoffset: BASE }),
        idb(true, 1, { tsresol: 0x80 | 40, tsoffset: BASE }),
        epb(true, 0, PS, frames[0]),
        epb(true, 1, P40, frames[1]),
      ]),
    );
    const got = await collectFile(path);
    expect(got.diags).toEqual([]);
    expect(got.lines).toEqual([`1\t${expectTs(PS, 12, BASE)}\t60\t60`, `2\t${expectTs(P40, 0x80 | 40, BASE)}\t74\t74`]);
    expect(got.lines).toEqual(['1\t1738823410.493630309\t60\t60', '2\t1738823410.500000011\t74\t74']);
  });
});
