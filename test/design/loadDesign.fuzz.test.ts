/**
 * Bad input is normal input: truncations and random edits of the refinery design never throw; every
 * outcome is a design or positioned diagnostics (an error whenever no design comes back).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseInventory } from '../../src/assets/inventory.js';
import { loadDesign } from '../../src/design/loadDesign.js';
import { DEMO_DESIGN, DEMO_INVENTORY } from './demoStore.js';

const text = readFileSync(DEMO_DESIGN, 'utf8');
const inventory = parseInventory(readFileSync(DEMO_INVENTORY, 'utf8'), 'assets.csv');
const NOISE = [':', '-', '[', ']', '{', '}', '"', "'", '&a', '*a', '\n', '  ', '#', '->', '(', ')', '0', '99999', 'Z9', '\t', '!!binary'];

describe('loadDesign on damaged text', () => {
  test('loadDesign(every truncation of the refinery design) never throws and locates its errors', () => {
    for (let n = 0; n < text.length; n += 13) {
      const r = loadDesign(`${text.slice(0, n)}\n`, { file: 'cut.yaml', inventory });
      if (!r.design) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      for (const d of r.diagnostics) if (d.severity === 'error') expect(d.line).toBeGreaterThanOrEqual(1);
    }
  });

  test('loadDesign(random edits of the refinery design) never throws; errors carry line and column (seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(text.length), fc.nat(12), fc.constantFrom(...NOISE)), { minLength: 1, maxLength: 6 }), (edits) => {
        let t = text;
        for (const [at, del, ins] of edits) t = t.slice(0, at) + ins + t.slice(at + del);
        const r = loadDesign(`${t}\n`, { file: 'edit.yaml', inventory });
        if (!r.design) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        for (const d of r.diagnostics) {
          expect(d.code).toMatch(/^DESIGN_[A-Z_]+$/);
          if (d.severity === 'error') expect([d.line! >= 1, d.column! >= 1]).toEqual([true, true]);
        }
      }),
      { seed: 62443, numRuns: 200 },
    );
  });
});
