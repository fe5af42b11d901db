// Bundles the report's page script (src/report/html/client/main.ts, with sigma + graphology) into one
// IIFE beside the compiled renderer: dist/src/report/html/client.js. Run by `npm run build` after tsc.
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_OPTIONS } from '../dist/src/report/html/clientScript.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist/src/report/html/client.js');
const t0 = Date.now();
await build({ ...BUNDLE_OPTIONS, entryPoints: [join(root, 'src/report/html/client/main.ts')], outfile, logLevel: 'warning' });
process.stderr.write(`report script: ${outfile} (${(statSync(outfile).size / 1024).toFixed(0)} KB) in ${Date.now() - t0} ms\n`);
