import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { exitCode } from '../../src/cli/exitCode.js';
import { capturePath, REPO_ROOT } from '../util/captures.js';
import { tsharkIpPacketCount } from '../util/tshark.js';
import { runMain } from '../util/runMain.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = runMain;

describe('exitCode', () => {
  test('exitCode(outcome) orders internal > usage/input > findings > ok', () => {
    expect(exitCode({})).toBe(0);
    expect(exitCode({ findings: true })).toBe(1);
    expect(exitCode({ inputFailed: true, findings: true })).toBe(2);
    expect(exitCode({ usageError: true })).toBe(2);
    expect(exitCode({ internalError: true, inputFailed: true })).toBe(3);
  });
});

describe('zonescope CLI', () => {
  test('main(ingest a good capture) exits 0 and prints a summary; flows prints a table', async () => {
    const db = join(tmp, 'good.db');
    const r = await run(['ingest', capturePath('modbus/zeek_modbusSmall.pcap'), '--db', db]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/1 file \(1 ingested\)/);
    expect(r.err).toMatch(/modbus \d+ PDUs/);
    expect(r.err).toMatch(/problems: none/);
    const f = await run(['flows', '--db', db]);
    expect(f.code).toBe(0);
    expect(f.out.split('\n')[0]).toMatch(/^SRC\tDST\tPROTO/);
    expect(f.out).toMatch(/tcp\/modbus\t502/);
  });

  test('main(ingest a directory with a garbage file) exits 2, names the file, still ingests the rest', async () => {
    const dir = join(tmp, 'dir');
    mkdirSync(dir);
    copyFileSync(capturePath('s7comm/cisagov_snap7.pcap'), join(dir, 'snap7.pcap'));
    writeFileSync(join(dir, 'broken.pcapng'), Buffer.alloc(4096, 0x41));
    const db = join(tmp, 'dir.db');
    const r = await run(['ingest', dir, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.pcapng.*@0x0.*CAPTURE_UNKNOWN_FORMAT/);
    expect(r.err).toMatch(/1 ingested, 1 failed/);
    const j = await run(['flows', '--db', db, '--json', '-']);
    const doc = JSON.parse(j.out) as { flows: Array<{ protocol: string }> };
    expect(doc.flows.some((f) => f.protocol === 's7comm')).toBe(true);
  });

  test('main(ingest a capture with a damaged record mid-file) exits 2, names frame and offset, keeps every other record', async () => {
    const src = join(tmp, 'whole.pcap');
    execFileSync('editcap', ['-F', 'pcap', capturePath('modbus/zeek_modbusSmall.pcap'), src]);
    const buf = readFileSync(src);
    // Walk to record 10 and give it an impossible captured length.
    let off = 24;
    for (let i = 1; i < 10; i++) off += 16 + buf.readUInt32LE(off + 8);
    const damaged = Buffer.from(buf);
    damaged.writeUInt32LE(0x00ffffff, off + 8);
    const file = join(tmp, 'damaged.pcap');
    writeFileSync(file, damaged);
    const db = join(tmp, 'damaged.db');
    const r = await run(['ingest', file, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`damaged.pcap: frame 10 @0x${off.toString(16)}`);
    // Every record but the damaged one: tshark on the original without frame 10.
    const without = join(tmp, 'without10.pcap');
    execFileSync('editcap', [src, without, '10']);
    const doc = JSON.parse((await run(['flows', '--db', db, '--json', '-'])).out) as { flows: Array<{ packets: number }> };
    expect(doc.flows.reduce((n, f) => n + f.packets, 0)).toBe(tsharkIpPacketCount(without));
  });

  test('main(usage errors) exits 2: unknown command, missing inputs, bad --decode-as, unknown protocol', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['ingest'])).code).toBe(2);
    const bad = await run(['ingest', capturePath('modbus/zeek_modbusSmall.pcap'), '--db', join(tmp, 'x.db'), '--decode-as', 'notaport']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--decode-as 'notaport'/);
    const unknown = await run(['ingest', capturePath('modbus/zeek_modbusSmall.pcap'), '--db', join(tmp, 'y.db'), '--decode-as', '48010=nosuch']);
    expect(unknown.code).toBe(2);
  });

  test('main(flows on a missing baseline) exits 2 with one line that says what to run', async () => {
    const r = await run(['flows', '--db', join(tmp, 'nope.db')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^zonescope: baseline store .*nope\.db does not exist; run 'zonescope ingest CAPTURES --db .*nope\.db' first\n$/);
  });

  test('main(ingest --decode-as 48010=opcua) dissects OPC UA on a non-standard port', async () => {
    const db = join(tmp, 'decodeas.db');
    const r = await run(['ingest', capturePath('opcua/cisagov_open62541_mainloop-not-localhost-non-standard-port.pcap'), '--db', db, '--decode-as', 'tcp:48010=opcua']);
    expect(r.code).toBe(0);
    const doc = JSON.parse((await run(['flows', '--db', db, '--json', '-'])).out) as { flows: Array<{ protocol: string; port: number }> };
    expect(doc.flows.find((f) => f.port === 48010)?.protocol).toBe('opcua');
  });

  test('bin/zonescope analyze (the built CLI, as the README runs it) writes flows.json and the store into --out', () => {
    const bin = join(REPO_ROOT, 'bin', 'zonescope.js');
    if (!existsSync(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT });
    const out = join(tmp, 'analyze');
    const r = spawnSync(process.execPath, [bin, 'analyze', join(REPO_ROOT, 'fixtures', 'captures', 'enip'), '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(existsSync(join(out, 'zonescope.db'))).toBe(true);
    const doc = JSON.parse(readFileSync(join(out, 'flows.json'), 'utf8')) as { schema: string; flows: Array<{ protocol: string }> };
    expect(doc.schema).toBe('zonescope/flows@2');
    expect(new Set(doc.flows.map((f) => f.protocol))).toEqual(new Set(['enip', 'cip-io']));
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/ingest \[inputs\.\.\]/);
  });
});
