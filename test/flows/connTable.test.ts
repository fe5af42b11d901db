import fc from 'fast-check';
import { ConnTable } from '../../src/flows/connTable.js';

const v4 = (n: number): Uint32Array => Uint32Array.of(0, 0, 0, n >>> 0);

describe('ConnTable', () => {
  test('lookup(both directions of a 5-tuple) finds one slot and tells the side', () => {
    const t = new ConnTable();
    const a = v4(0x0a000001);
    const b = v4(0x0a000002);
    expect(t.lookup(4, a, 50000, b, 502, 6)).toBe(-1);
    const s = t.insert(4, a, 50000, b, 502, 6);
    expect(t.fromA).toBe(true); // 10.0.0.1 < 10.0.0.2
    expect(t.lookup(4, b, 502, a, 50000, 6)).toBe(s);
    expect(t.fromA).toBe(false);
    expect(t.lookup(4, a, 50000, b, 502, 6)).toBe(s);
    expect(t.fromA).toBe(true);
    // Another protocol, port or IP version is another key.
    expect(t.lookup(4, a, 50000, b, 502, 17)).toBe(-1);
    expect(t.lookup(4, a, 50001, b, 502, 6)).toBe(-1);
    expect(t.lookup(6, a, 50000, b, 502, 6)).toBe(-1);
    expect(t.portA(s)).toBe(50000);
    expect(t.portB(s)).toBe(502);
  });

  test('insert/remove in any order agrees with a Map model (growth, backward-shift deletion, slot reuse)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 3000 }),
        (ops) => {
          const t = new ConnTable(16);
          const model = new Map<number, number>();
          for (const [ins, k] of ops) {
            // Few distinct keys so that removals hit present keys and probe chains collide.
            const src = v4(0xc0a80000 + (k % 37));
            const dst = v4(0xc0a80100 + (k % 11));
            const sport = 40000 + k;
            const slot = t.lookup(4, src, sport, dst, 502, 6);
            expect(slot).toBe(model.get(k) ?? -1);
            if (ins && slot < 0) model.set(k, t.insert(4, src, sport, dst, 502, 6));
            else if (!ins && slot >= 0) {
              t.remove(slot);
              model.delete(k);
            }
            expect(t.size).toBe(model.size);
          }
          for (const [k, s] of model) {
            expect(t.lookup(4, v4(0xc0a80000 + (k % 37)), 40000 + k, v4(0xc0a80100 + (k % 11)), 502, 6)).toBe(s);
          }
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  test('a million one-packet connections inserted and removed keep the table small', () => {
    const t = new ConnTable(1024);
    const a = v4(0x0a000001);
    for (let i = 0; i < 1_000_000; i++) {
      const s = t.insert(4, a, 40000, v4(0x0b000000 + i), 1 + (i % 65000), 6);
      t.remove(s);
    }
    expect(t.size).toBe(0);
    expect(t.slotLimit).toBe(1); // the freed slot is reused every time
  });
});
