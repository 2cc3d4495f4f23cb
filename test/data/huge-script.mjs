// The 1 GB bad-data cases (LARGE_CASES of test/data/bad-data-cases.ts), run once by hand (too slow
// for CI: see docs/robustness.md, "Bad sample data"): `node test/data/huge-script.mjs [bytes]`
// (default 1e9) writes each case's file of that size in a temp folder (one at a time), loads it in
// a child process (test/data/huge-child.ts) and prints its issues, time and peak RSS (VmHWM).
// test/data/huge.test.ts runs the same cases at 200 MB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const bytes = Number(process.argv[2] ?? 1e9);
const dir = mkdtempSync(path.join(tmpdir(), 'pace-huge-'));
const here = path.dirname(new URL(import.meta.url).pathname);
try {
  const child = path.join(dir, 'child.cjs');
  const gen = path.join(dir, 'gen.cjs');
  await esbuild.build({ entryPoints: [path.join(here, 'huge-child.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: child, logLevel: 'warning' });
  await esbuild.build({ stdin: { contents: `import { LARGE_WRITERS } from './huge.js';\nconst [file, n] = process.argv.slice(2);\nLARGE_WRITERS[require('path').basename(file)](file, Number(n));\n`, resolveDir: here, loader: 'ts' }, bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: gen, logLevel: 'warning' });
  for (const kind of ['huge-cut.om', 'huge-line.om', 'huge-line.csv', 'huge-string.json']) {
    const file = path.join(dir, kind);
    let t0 = Date.now();
    const w = spawnSync(process.execPath, [gen, file, String(bytes)], { stdio: 'inherit' });
    if (w.status !== 0) throw new Error(`writing ${file} failed`);
    const writeSeconds = (Date.now() - t0) / 1000;
    t0 = Date.now();
    const r = spawnSync(process.execPath, [child, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`loading ${file} failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    console.log(`${kind}: ${(out.bytes / 1e6).toFixed(0)} MB written in ${writeSeconds.toFixed(1)} s, loaded in ${out.seconds.toFixed(1)} s (${(out.bytes / 1e6 / out.seconds).toFixed(0)} MB/s), peak RSS ${out.peakRssMb.toFixed(0)} MB, ${out.series} series, ${out.samples} samples`);
    for (const i of out.issues) console.log(`  line ${i.line}: ${i.code}: ${i.message}`);
    rmSync(file, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
