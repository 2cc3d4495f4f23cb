// Property: OpenMetrics written from random series (label values with quotes, backslashes,
// newlines and non-ASCII; NaN, ±Inf, -0; fractional-second timestamps) parses back identically.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { seriesKey, type Series } from '../../server/src/core/evaluate/series.js';
import { loadOpenMetrics } from '../../server/src/node/data/index.js';
import { formatOmTimestamp, writeOpenMetrics } from '../../server/src/node/data/openmetrics-writer.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pace-om-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,12}$/);
const labelName = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,8}$/);
const labelValue = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('a"b', 'c\\d', 'e\nf', '\\n', 'ü€😀', '{x="y"}, z'));
const value = fc.oneof(fc.double(), fc.integer({ min: -1e6, max: 1e6 }), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.1, 1e-300, 5e-324));
// Unix ms from 2000 to 2100, strictly increasing per series.
const times = fc.uniqueArray(fc.integer({ min: 946684800000, max: 4102444800000 }), { minLength: 1, maxLength: 30 }).map((a) => a.sort((x, y) => x - y));

const series = fc.record({
  metric: metricName,
  labels: fc.dictionary(labelName, labelValue, { maxKeys: 4 }),
  times,
  values: fc.array(value, { minLength: 30, maxLength: 30 }),
});

describe('OpenMetrics round trip', () => {
  it('formatOmTimestamp writes every millisecond so that promtool truncation gives it back', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (ms) => {
        expect(Math.trunc(Number(formatOmTimestamp(ms)) * 1000) + 0).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it('written series read back identically, with no error', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(series, { minLength: 1, maxLength: 6, selector: (s) => seriesKey(s.metric, s.labels) }), async (list) => {
        const expected: Series[] = list
          .map((s) => ({
            metric: s.metric,
            labels: Object.fromEntries(Object.keys(s.labels).sort().map((k) => [k, s.labels[k]])),
            t: Float64Array.from(s.times),
            v: Float64Array.from(s.times.map((_, i) => s.values[i])),
          }))
          .sort((a, b) => (seriesKey(a.metric, a.labels) < seriesKey(b.metric, b.labels) ? -1 : 1));
        const file = path.join(dir, `r${run++}.om`);
        writeFileSync(file, [...writeOpenMetrics(expected)].join(''));
        const got = await loadOpenMetrics(file);
        expect(got.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(got.series.map((s) => seriesKey(s.metric, s.labels))).toEqual(expected.map((s) => seriesKey(s.metric, s.labels)));
        for (let i = 0; i < expected.length; i++) {
          expect(got.series[i].labels).toEqual(expected[i].labels);
          expect([...got.series[i].t]).toEqual([...expected[i].t]);
          // Object.is: NaN equals NaN, -0 differs from 0.
          [...expected[i].v].forEach((v, k) => expect(Object.is(got.series[i].v[k], v), `value ${k}: ${got.series[i].v[k]} vs ${v}`).toBe(true));
        }
      }),
      { numRuns: 150 },
    );
  });
});
