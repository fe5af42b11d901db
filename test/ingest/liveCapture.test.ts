/**
 * LiveCapture through the real libpcap (cap) on a veth pair in a network namespace, fed by tcpreplay.
 * As root (CI) it runs; elsewhere it tests what an unprivileged user gets, and says why.
 */
import { readCaptureFile } from '../../src/ingest/readCapture.js';
import { LiveCapture, LiveCaptureError, listInterfaces } from '../../src/ingest/liveCapture.js';
import { canUseNetns, createVethPair, replay, type VethPair } from '../util/netns.js';

const FILE = 'fixtures/captures/modbus/cisagov_modbus_example.pcap';
const netns = canUseNetns();
if (!netns.ok && process.env.CI === 'true') throw new Error(`live capture tests must run in CI: ${netns.why}`);
if (!netns.ok) process.stderr.write(`liveCapture.test: no namespace test here (${netns.why}); testing the unprivileged path only\n`);

async function fileFrames(path: string): Promise<string[]> {
  const out: string[] = [];
  await readCaptureFile(path, (r) => out.push(r.data.subarray(r.offset, r.offset + r.caplen).toString('hex')), {});
  return out;
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

(netns.ok ? describe : describe.skip)('LiveCapture on a veth pair', () => {
  let pair: VethPair;
  beforeAll(() => {
    pair = createVethPair('lc');
  });
  afterAll(() => pair.remove());

  test('listInterfaces() includes the veth end', () => {
    expect(listInterfaces().map((i) => i.name)).toContain(pair.hostIf);
  });

  test('LiveCapture.open(veth) delivers every replayed frame, byte for byte, in order', async () => {
    const got: string[] = [];
    const cap = LiveCapture.open({ interface: pair.hostIf }, (r) => got.push(r.data.subarray(r.offset, r.offset + r.caplen).toString('hex')));
    expect(cap.linktype).toBe(1);
    replay(pair, FILE, { pps: 2000 });
    await wait(500);
    const stats = cap.stats();
    cap.close();
    expect(got).toEqual(await fileFrames(FILE));
    expect(stats).toMatchObject({ packets: got.length, truncated: 0, interfaceDrops: 0, notDelivered: 0 });
  });

  test('LiveCapture.open(filter) applies the BPF filter; a bad filter is LIVE_BAD_FILTER', async () => {
    let n = 0;
    const cap = LiveCapture.open({ interface: pair.hostIf, filter: 'tcp port 9' }, () => n++);
    replay(pair, FILE, { pps: 5000 });
    await wait(300);
    cap.close();
    expect(n).toBe(0);
    expect(() => LiveCapture.open({ interface: pair.hostIf, filter: 'tcp portt 502' }, () => undefined)).toThrow(
      expect.objectContaining({ code: 'LIVE_BAD_FILTER' }) as unknown as Error,
    );
  });
});

describe('LiveCapture errors', () => {
  test('LiveCapture.open(no such interface) is LIVE_NO_SUCH_INTERFACE', () => {
    let err: unknown;
    try {
      LiveCapture.open({ interface: 'zs-nonexistent0' }, () => undefined);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LiveCaptureError);
    expect((err as LiveCaptureError).code).toBe('LIVE_NO_SUCH_INTERFACE');
  });
});
