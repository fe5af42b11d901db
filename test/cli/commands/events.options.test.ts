/** `zonescope events` options: bad values are usage errors (exit 2, the help), a missing store says what to run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturePath } from '../../util/captures.js';
import { runMain } from '../../util/runMain.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-events-opts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('zonescope events options', () => {
  const db = join(tmp, 'm.db');
  beforeAll(async () => {
    expect((await runMain(['ingest', capturePath('modbus/zeek_modbusSmall.pcap'), '--db', db, '-q'])).code).toBe(0);
  });

  test.each([
    [['--kind', 'reboot'], /--kind 'reboot': expected one of program, control, write, diagnostic/],
    [['--host', '10.0.0.300'], /--host '10.0.0.300': expected an IP address or a CIDR/],
    [['--since', 'yesterday'], /--since 'yesterday': expected an ISO 8601 UTC date/],
  ])('main(events %j) exits 2 and names the option', async (args, message) => {
    const r = await runMain(['events', '--db', db, ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  test('main(events --db a missing store) exits 2 and says what to run', async () => {
    const r = await runMain(['events', '--db', join(tmp, 'none.db')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ingest/);
  });

  test('main(events --kind diagnostic) on a store without such events prints only the header in a pipe, exit 0', async () => {
    const r = await runMain(['events', '--db', db, '--kind', 'diagnostic']);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const w = await runMain(['events', '--db', db, '--kind', 'write']);
    expect(w.out.trim().split('\n').length).toBeGreaterThan(1);
  });
});
