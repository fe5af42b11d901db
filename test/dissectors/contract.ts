/**
 * The contract every dissector passes (../shared/design/STYLE.md, "Tests"):
 *  - truncation of each sample PDU at every offset never throws and always yields a violation, and
 *    pduLength on the truncated prefix asks for more bytes (0) or names the whole PDU's length;
 *  - random mutations never throw, and each PDU either counts as a function (fn) or yields a violation:
 *    nothing is silently dropped;
 *  - pduLength and heuristic never throw on any prefix or mutation;
 *  - describe() names every code it is asked about (unknown codes: `Unknown (0x..)`).
 * Call runDissectorContract(dissector, samples) from a dissector's own test file.
 */
import fc from 'fast-check';
import type { Dissector } from '../../src/dissectors/types.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN } from '../../src/dissectors/types.js';
import { RecordingSink } from '../util/recordingSink.js';

export interface ContractSample {
  /** What the PDU is, for test titles. */
  name: string;
  /** One complete PDU (TCP: one framed PDU; UDP: one datagram). */
  pdu: Buffer;
  dir: number;
}

export function runDissectorContract(d: Dissector, samples: ContractSample[]): void {
  describe(`${d.id} dissector contract`, () => {
    test(`${d.id}: every sample decodes to at least one function and no violation`, () => {
      expect(samples.length).toBeGreaterThan(0);
      for (const s of samples) {
        const sink = new RecordingSink();
        d.decode(d.createState(), s.pdu, 0, s.pdu.length, s.dir, sink);
        expect({ sample: s.name, violations: sink.violations }).toEqual({ sample: s.name, violations: [] });
        expect(sink.fns.length).toBeGreaterThan(0);
        if (d.pduLength) expect(d.pduLength(s.pdu, 0, s.pdu.length)).toBe(s.pdu.length);
      }
    });

    test(`${d.id}: truncation at every offset never throws, always yields a violation, and pduLength asks for more`, () => {
      checkTruncation(d, samples);
    });

    test(`${d.id}: random mutations never throw and never drop a PDU silently`, () => {
      const dirs = [DIR_TO_SERVER, DIR_TO_CLIENT, DIR_UNKNOWN];
      fc.assert(
        fc.property(
          fc.nat(samples.length - 1),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
          fc.nat(2),
          (si, muts, di) => {
            const pdu = Buffer.from(samples[si]!.pdu);
            for (const [pos, val] of muts) pdu[pos % pdu.length] = val;
            const sink = new RecordingSink();
            d.decode(d.createState(), pdu, 0, pdu.length, dirs[di]!, sink);
            if (sink.fns.length === 0 && sink.violations.length === 0) {
              throw new Error(`${d.id}: mutated ${samples[si]!.name} (${pdu.toString('hex')}) neither counted nor reported`);
            }
            if (d.pduLength) d.pduLength(pdu, 0, pdu.length);
            if (d.heuristic) d.heuristic(pdu, 0, pdu.length);
          },
        ),
        { numRuns: 2000, seed: 62443 },
      );
    });

    if (d.resetState !== undefined) {
      test(`${d.id}: a state used on other PDUs and reset (resetState) decodes the samples as a fresh one`, () => {
        const reset = d.resetState!.bind(d);
        const dirs = [DIR_TO_SERVER, DIR_TO_CLIENT, DIR_UNKNOWN];
        const used = d.createState();
        // Leave the state as a connection might: requests pending, halves of PDUs buffered.
        for (const s of samples) {
          for (const dir of dirs) {
            d.decode(used, s.pdu, 0, s.pdu.length, dir, new RecordingSink());
            d.decode(used, s.pdu, 0, s.pdu.length >> 1, dir, new RecordingSink());
          }
        }
        reset(used);
        const fresh = d.createState();
        const a = new RecordingSink();
        const b = new RecordingSink();
        for (const s of samples) {
          for (const dir of [s.dir, ...dirs]) {
            d.decode(used, s.pdu, 0, s.pdu.length, dir, a);
            d.decode(fresh, s.pdu, 0, s.pdu.length, dir, b);
          }
        }
        expect(a).toEqual(b);
        expect(a.fns.length).toBeGreaterThan(0);
      });
    }

    test(`${d.id}: describe() names known and unknown codes`, () => {
      for (let space = 0; space < d.spaces.length; space++) {
        for (const code of [0, 1, 0x5a, 0xff, 0xffff]) {
          const info = d.describe(space, code);
          expect(typeof info.name).toBe('string');
          expect(info.name.length).toBeGreaterThan(0);
        }
      }
    });
  });
}

/**
 * Truncation of each sample at every offset (placed at a non-zero offset, as the reassembler does):
 * decode never throws and yields a violation; pduLength asks for more bytes (0) or names the whole
 * PDU's length. Throws an Error naming the sample and the cut on the first breach.
 */
export function checkTruncation(d: Dissector, samples: ContractSample[]): void {
  for (const s of samples) {
    // Place the PDU at a non-zero offset inside a larger buffer, as the reassembler does.
    const pad = 7;
    const big = Buffer.alloc(s.pdu.length + pad * 2, 0xee);
    s.pdu.copy(big, pad);
    for (let cut = 0; cut < s.pdu.length; cut++) {
      const sink = new RecordingSink();
      d.decode(d.createState(), big, pad, cut, s.dir, sink);
      if (sink.violations.length === 0) {
        throw new Error(`${d.id} ${s.name}: truncation to ${cut}/${s.pdu.length} bytes gave no violation`);
      }
      if (d.pduLength) {
        // A prefix of a valid PDU: framing must ask for more bytes (0) or name the whole PDU's
        // length; a length that fits inside the prefix would frame a PDU that is not there, and -1
        // would stop a valid stream.
        const n = d.pduLength(big, pad, cut);
        if (n !== 0 && n !== s.pdu.length) {
          throw new Error(`${d.id} ${s.name}: pduLength on the first ${cut}/${s.pdu.length} bytes returned ${n} (expected 0 or ${s.pdu.length})`);
        }
      }
      if (d.heuristic) d.heuristic(big, pad, cut);
    }
  }
}
