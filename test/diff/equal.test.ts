// deepEqual (server/src/core/diff/equal.ts) is equality of JSON values whatever the key order: the
// same answer as comparing their canonical JSON, on random values and on near-copies, asked twice
// (the second answer may come from its memo of equal pairs), and with top-level keys skipped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepEqual } from '../../server/src/core/diff/equal.js';
import { canonical } from '../fuzz/harness.js';

const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, true, false, 0, 1, 'a', 'b'), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4 })),
})).value;

/** A copy with its keys in another order, or with one leaf changed. */
function variant(v: unknown, change: boolean, rnd: () => number): unknown {
  if (Array.isArray(v)) return v.map((x, i) => variant(x, change && i === v.length - 1, rnd));
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort(() => rnd() - 0.5);
    return Object.fromEntries(keys.map((k, i) => [k, variant((v as Record<string, unknown>)[k], change && i === 0, rnd)]));
  }
  return change ? (v === 'a' ? 'b' : 'a') : v;
}

describe('deepEqual', () => {
  it('agrees with canonical JSON, asked once or twice, on random values and their near-copies', () => {
    fc.assert(
      fc.property(json, json, fc.boolean(), fc.integer(), (a, b, change, seed) => {
        let s = seed;
        const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
        const c = variant(a, change, rnd);
        for (const [x, y] of [[a, b], [a, c], [c, a]]) {
          const want = canonical(x) === canonical(y);
          expect(deepEqual(x, y)).toBe(want);
          expect(deepEqual(x, y)).toBe(want);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('skips the named top-level keys only', () => {
    expect(deepEqual({ a: 1, slos: [1] }, { a: 1, slos: [2] }, new Set(['slos']))).toBe(true);
    expect(deepEqual({ a: 1, slos: [1] }, { a: 1 }, new Set(['slos']))).toBe(true);
    expect(deepEqual({ a: 1, slos: [1] }, { a: 2, slos: [1] }, new Set(['slos']))).toBe(false);
    expect(deepEqual({ a: { slos: 1 } }, { a: { slos: 2 } }, new Set(['slos']))).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(false);
    expect(deepEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
  });
});
