import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zonescopeVersion } from '../../src/cli/version.js';
import { REPO_ROOT } from '../util/captures.js';

test('zonescopeVersion() is the version of package.json', () => {
  expect(zonescopeVersion()).toBe((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
});
