// The large cases of the bad-data catalogue (LARGE_CASES in test/data/bad-data-cases.ts): files
// written streaming into a temp folder, each loaded in a child process (test/data/huge-child.ts),
// which reports the issues and its peak RSS (VmHWM). Asserted: the loader does not fail, gives the
// documented located issue, and its peak RSS stays bounded: a fixed allowance plus what the samples
// it keeps take (16 bytes each, arrays up to twice full), far below the file's size.
// CI runs them at 200 MB: 1 GB takes about 22 s to write and load here (2 shared cores), and
// writes 4 GB to the temp folder; `node test/data/huge-script.mjs` runs 1 GB (docs/robustness.md).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LARGE_CASES } from './bad-data-cases.js';
import { LARGE_WRITERS } from './huge.js';

const CI_BYTES = 200e6;
const dir = mkdtempSync(path.join(tmpdir(), 'pace-huge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const child = path.join(dir, 'child.cjs');

beforeAll(async () => {
  await esbuild.build({ entryPoints: [path.join(__dirname, 'huge-child.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: child, logLevel: 'warning' });
}, 60_000);

describe(`large bad data (${CI_BYTES / 1e6} MB each): a located issue, bounded memory`, () => {
  it('every large case has a writer', () => expect(LARGE_CASES.map((c) => c.file).sort()).toEqual(Object.keys(LARGE_WRITERS).sort()));

  for (const c of LARGE_CASES) {
    it(`${c.name} (${c.file})`, () => {
      const file = path.join(dir, c.file);
      const { lines, samples } = LARGE_WRITERS[c.file](file, CI_BYTES);
      const r = spawnSync(process.execPath, [child, file], { encoding: 'utf8', timeout: 120_000 });
      rmSync(file, { force: true });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { bytes: number; seconds: number; peakRssMb: number; samples: number; issues: { code: string; line?: number; message: string }[] };
      console.log(`${c.file}: ${(out.bytes / 1e6).toFixed(0)} MB in ${out.seconds.toFixed(1)} s, peak RSS ${out.peakRssMb.toFixed(0)} MB, ${out.samples} samples; ${out.issues.map((i) => `${i.code}@${i.line}`).join(', ')}`);
      expect(out.bytes).toBeGreaterThanOrEqual(CI_BYTES);
      expect(out.samples).toBe(samples);
      const found = out.issues.find((i) => i.code === c.code);
      expect(found, JSON.stringify(out.issues)).toBeDefined();
      expect(found!.line).toBe(c.line(lines));
      expect(found!.message).toMatch(c.message);
      // Memory: Node's own ~50 MB, read buffers and the 16 MiB line bound, plus the samples kept.
      expect(out.peakRssMb).toBeLessThan(150 + (samples * 32) / 2 ** 20);
      expect(out.peakRssMb).toBeLessThan((0.75 * out.bytes) / 2 ** 20);
    }, 180_000);
  }
});
