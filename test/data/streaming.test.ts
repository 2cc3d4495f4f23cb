// A ~50 MB OpenMetrics file streams with bounded memory: in a child process (its own heap), the
// peak RSS grows by far less than the file's size: a fixed allowance plus the samples it keeps
// (16 bytes each in Float64Arrays, with room for growth). Speed is printed, not asserted
// (performance is measured by benchmarks, not unit tests).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, expect, it } from 'vitest';
import { writeLargeOpenMetrics } from './generate.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pace-om-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('streams a 50 MB OpenMetrics file with bounded memory', async () => {
  const file = path.join(dir, 'big.om');
  const written = writeLargeOpenMetrics(file, 50e6);
  const child = path.join(dir, 'child.cjs');
  await esbuild.build({ entryPoints: [path.join(__dirname, 'stream-child.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: child, logLevel: 'warning' });
  const run = spawnSync(process.execPath, [child, file], { encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  const r = JSON.parse(run.stdout) as { bytes: number; seconds: number; mbPerSecond: number; rssGrowthMb: number; series: number; samples: number; issues: string[] };
  console.log(`OpenMetrics: ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(2)} s = ${r.mbPerSecond.toFixed(0)} MB/s, peak RSS +${r.rssGrowthMb.toFixed(1)} MB for ${r.samples} samples`);
  expect(r.bytes).toBeGreaterThan(50e6);
  expect(r.samples).toBe(written);
  expect(r.series).toBe(50);
  expect(r.issues).toEqual([]);
  const keptMb = (r.samples * 60) / 1e6; // t, v and line per sample (20 B), arrays up to twice full, one final copy
  expect(r.rssGrowthMb).toBeLessThan(24 + keptMb);
  expect(r.rssGrowthMb).toBeLessThan(0.75 * (r.bytes / 1e6));
}, 60_000);
