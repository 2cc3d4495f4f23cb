// How fast the grid path is on a month of 1-minute data (not a test: run by hand, see the report).
//   npx esbuild test/evaluate/speed.ts --bundle --platform=node --outfile=.tmp/speed.cjs && node .tmp/speed.cjs
import { errorRatioGrid, type ResolvedSli, type Series, sumIncreaseGrid } from '../../server/src/core/evaluate/index.js';

const SAMPLES = 43_200; // 30 days × 1/min
const start = Date.UTC(2024, 0, 1);
const t = new Float64Array(SAMPLES);
for (let i = 0; i < SAMPLES; i++) t[i] = start + i * 60_000 + ((i * 7919) % 3000);
let seed = 1;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);

function counter(name: string, rate: number): Series {
  const v = new Float64Array(SAMPLES);
  let x = 0;
  for (let i = 0; i < SAMPLES; i++) {
    x = i % 10_000 === 9_999 ? 0 : x + Math.round(rate * 60 * random()); // a restart every ~7 days
    v[i] = x;
  }
  return { metric: name, labels: {}, t, v };
}

const grid = { start: start + 3_600_000, end: start + SAMPLES * 60_000, step: 60_000 };
const time = (label: string, f: () => void) => {
  const t0 = performance.now();
  f();
  console.log(`${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
};

const series = Array.from({ length: 1000 }, (_, i) => counter(`c${i}_total`, 10));
time('1,000 series × 43,200 samples: increase[1h] at 43,140 steps (first call, compiles)', () => {
  for (const s of series) sumIncreaseGrid([s], 3_600_000, grid);
});
time('the same again (compiled)', () => {
  for (const s of series) sumIncreaseGrid([s], 3_600_000, grid);
});
const slos: ResolvedSli[] = Array.from({ length: 1000 }, (_, i) => ({ sli: `sli:s.${i}`, mode: 'bad', numerator: [counter('bad_total', 0.1)], denominator: [series[i]], expression: '' }));
time('1,000 SLOs (2 series each) × 30 days: error ratio [1h] at every minute', () => {
  for (const r of slos) errorRatioGrid(r, 3_600_000, grid);
});
time('1,000 SLOs: error ratio [30d] at every minute (attainment over the window)', () => {
  for (const r of slos) errorRatioGrid(r, 30 * 86_400_000, grid);
});
