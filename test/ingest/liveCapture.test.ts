/**
 * LiveCapture through the real libpcap (cap) on a veth pair in a network namespace, fed by tcpreplay.
 * As root (CI) it runs; elsewhere it says why and tests what needs no privilege. The capture runs in a
 * child process (test/util/liveProbe.ts): the native module never loads into the jest process.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCaptureFile } from '../../src/ingest/readCapture.js';
import { canUseNetns, createVethPair, replay, type VethPair } from '../util/netns.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PROBE = ['--import', join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(REPO_ROOT, 'test', 'util', 'liveProbe.ts')];
const FILE = 'fixtures/captures/modbus/cisagov_modbus_example.pcap';
const netns = canUseNetns();
if (!netns.ok && process.env.CI === 'true') throw new Error(`live capture tests must run in CI: ${netns.why}`);
if (!netns.ok) process.stderr.write(`liveCapture.test: no namespace test here (${netns.why}); testing the unprivileged path only\n`);

interface ProbeResult {
  linktype?: number;
  frames?: string[];
  stats?: Record<string, number | null>;
  error?: string;
  message?: string;
}

/** Run the probe; `whileReady` runs once it captures; resolves with its JSON line. */
function probe(args: string[], whileReady: () => void = () => undefined): Promise<ProbeResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [...PROBE, ...args], { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let ready = false;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!ready && out.startsWith('ready\n')) {
        ready = true;
        whileReady();
      }
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => {
      const line = out.split('\n').filter((l) => l.startsWith('{') || l.startsWith('[')).pop();
      if (code !== 0 || !line) rej(new Error(`probe exited ${code}: ${err}`));
      else res(JSON.parse(line) as ProbeResult);
    });
  });
}

async function fileFrames(path: string): Promise<string[]> {
  const out: string[] = [];
  await readCaptureFile(path, (r) => out.push(r.data.subarray(r.offset, r.offset + r.caplen).toString('hex')), {});
  return out;
}

(netns.ok ? describe : describe.skip)('LiveCapture on a veth pair', () => {
  let pair: VethPair;
  beforeAll(() => {
    pair = createVethPair('lc');
  });
  afterAll(() => pair.remove());

  test('listInterfaces() includes the veth end', async () => {
    const list = (await probe(['list'])) as unknown as Array<{ name: string }>;
    expect(list.map((i) => i.name)).toContain(pair.hostIf);
  });

  test('LiveCapture.open(veth) delivers every replayed frame, byte for byte, in order', async () => {
    const r = await probe(['capture', pair.hostIf, '2500'], () => replay(pair, FILE, { pps: 2000 }));
    expect(r.linktype).toBe(1);
    expect(r.frames).toEqual(await fileFrames(FILE));
    expect(r.stats).toMatchObject({ packets: r.frames!.length, truncated: 0, interfaceDrops: 0, notDelivered: 0 });
  });

  test('LiveCapture.open(filter) applies the BPF filter; a bad filter is LIVE_BAD_FILTER', async () => {
    const r = await probe(['capture', pair.hostIf, '1500', 'tcp port 9'], () => replay(pair, FILE, { pps: 5000 }));
    expect(r.frames).toEqual([]);
    expect(r.stats).toMatchObject({ packets: 0, notDelivered: null });
    const bad = await probe(['capture', pair.hostIf, '100', 'tcp portt 502']);
    expect(bad.error).toBe('LIVE_BAD_FILTER');
    expect(bad.message).toMatch(/^BPF filter 'tcp portt 502': /);
  });
});

describe('LiveCapture errors', () => {
  test('LiveCapture.open(no such interface) is LIVE_NO_SUCH_INTERFACE', async () => {
    const r = await probe(['capture', 'zs-nonexistent0', '100']);
    expect(r.error).toBe('LIVE_NO_SUCH_INTERFACE');
  });
});
