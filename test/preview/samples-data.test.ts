// The committed sample data is what its generator writes (deterministic: run it again, same
// bytes of text), stays compact, and holds what the samples' preview is meant to show.
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types
import { generate, INCIDENT, RESTART } from '../../samples/data/generate.mjs';

const file = path.join(__dirname, '../../samples/data/shop.om.br');

describe('samples/data', () => {
  it('shop.om.br is the generator’s output, under 5 MB', () => {
    expect(statSync(file).size).toBeLessThan(5_000_000);
    const committed = brotliDecompressSync(readFileSync(file)).toString('utf8');
    const text: string = generate();
    expect(committed.length).toBe(text.length);
    expect(committed === text).toBe(true);
    // A second run gives the same text: the only randomness is seeded.
    expect(generate({ days: 1 })).toBe(generate({ days: 1 }));
    // 30 days of 1-minute samples: 43,201 per SLI series.
    expect(text.split('\nhttp_requests_total{code="200",job="checkout"} ').length - 1).toBe(30 * 1440 + 1);
    // The restart and the incident are inside the month.
    expect(RESTART).toBeGreaterThan(Date.UTC(2026, 9, 1));
    expect(INCIDENT[1]).toBeLessThan(Date.UTC(2026, 9, 31));
  }, 120_000);
});
