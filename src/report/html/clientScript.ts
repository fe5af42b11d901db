/**
 * The page script: src/report/html/client/ bundled by esbuild into one IIFE (sigma + graphology
 * inside). `npm run build` writes it beside this module (scripts/bundleReport.mjs ->
 * dist/src/report/html/client.js); run from the sources (tests, tsx) there is no such file, and the
 * bundle is made once per process with esbuild's JS API (a devDependency; about 0.3 s).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** esbuild options shared with scripts/bundleReport.mjs (the same bytes either way). */
export const BUNDLE_OPTIONS = {
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  charset: 'utf8',
} as const;

export function clientScript(): string {
  if (cached !== null) return cached;
  const built = fileURLToPath(new URL('./client.js', import.meta.url));
  if (existsSync(built)) {
    cached = readFileSync(built, 'utf8');
    return cached;
  }
  const entry = fileURLToPath(new URL('./client/main.ts', import.meta.url));
  if (!existsSync(entry)) throw new Error(`the report's page script is missing (${built}); run 'npm run build'`);
  const esbuild = createRequire(import.meta.url)('esbuild') as {
    buildSync(o: Record<string, unknown>): { outputFiles: Array<{ text: string }> };
  };
  cached = esbuild.buildSync({ ...BUNDLE_OPTIONS, entryPoints: [entry], write: false }).outputFiles[0]!.text;
  return cached;
}
