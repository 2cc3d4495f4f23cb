// `npm run fuzz -- --iterations N [--seed S] [--seconds T] [--out DIR]`: runs the fuzzing harness
// (test/fuzz/harness.ts, bundled with esbuild) over N inputs or T seconds, whichever ends first.
// Prints inputs/s and every distinct failure with its seed and iteration; each failure's input, and
// a minimal reproduction, are written under DIR (default .tmp/fuzz). Exit code 1 when anything failed.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const iterations = Number(opt('iterations', '10000'));
const seed = Number(opt('seed', String(Date.now() % 1_000_000)));
const seconds = Number(opt('seconds', '600'));
const outDir = path.resolve(root, opt('out', '.tmp/fuzz'));
if (!Number.isFinite(iterations) || !Number.isFinite(seed) || !Number.isFinite(seconds)) {
  console.error('usage: npm run fuzz -- --iterations N [--seed S] [--seconds T] [--out DIR]');
  process.exit(2);
}

const bundle = path.join(root, '.tmp/fuzz-harness.cjs');
await esbuild.build({
  entryPoints: [path.join(root, 'test/fuzz/harness.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  outfile: bundle,
});
const h = createRequire(import.meta.url)(bundle);

const samplesDir = path.join(root, 'samples');
const samples = readdirSync(samplesDir)
  .filter((f) => f.endsWith('.pace'))
  .map((f) => readFileSync(path.join(samplesDir, f), 'utf8'));
for (const f of readdirSync(path.join(samplesDir, 'broken'))) if (f.endsWith('.pace')) samples.push(readFileSync(path.join(samplesDir, 'broken', f), 'utf8'));

console.log(`fuzz: seed ${seed}, up to ${iterations} inputs or ${seconds} s, ${samples.length} samples`);
const start = Date.now();
const deadline = start + seconds * 1000;
const seen = new Map();
const known = new Map();
let done = 0;
let clean = 0;
let failing = 0;
let lastReport = start;
for (let i = 0; i < iterations && Date.now() < deadline; i++) {
  const input = h.inputFor(seed, i, samples);
  const { failures, clean: c } = h.runOne(input);
  done++;
  if (c) clean++;
  if (failures.length) failing++;
  for (const f of failures) {
    const bug = h.knownBug(input, f);
    if (bug) {
      known.set(bug, (known.get(bug) ?? 0) + 1);
      continue;
    }
    const key = h.failureKey(f);
    if (seen.has(key)) {
      seen.get(key).count++;
      continue;
    }
    mkdirSync(outDir, { recursive: true });
    const name = `fail-${seen.size + 1}`;
    writeFileSync(path.join(outDir, `${name}.input.pace`), input);
    const small = h.minimize(input, key);
    writeFileSync(path.join(outDir, `${name}.min.pace`), small);
    seen.set(key, { count: 1, i, name });
    console.log(`\nFAIL ${key}\n  seed ${seed} iteration ${i}: ${path.relative(root, path.join(outDir, name))}.{input,min}.pace\n  ${f.message.split('\n').join('\n  ')}`);
  }
  const now = Date.now();
  if (now - lastReport > 10_000) {
    lastReport = now;
    console.log(`  ${done} inputs, ${Math.round(done / ((now - start) / 1000))}/s, ${seen.size} distinct new failures, ${[...known.values()].reduce((a, b) => a + b, 0)} known-bug failures`);
  }
}
const secs = (Date.now() - start) / 1000;
console.log(`\nfuzz: ${done} inputs in ${secs.toFixed(1)} s (${Math.round(done / secs)} inputs/s), seed ${seed}; ${clean} checked without errors; ${failing} inputs with a failure (known bugs included), ${seen.size} distinct new failures`);
for (const [key, v] of seen) console.log(`  ${v.count}x ${key} (first at iteration ${v.i}, ${v.name})`);
for (const [bug, n] of known) console.log(`  known bug, not counted as a new failure: ${n}x ${bug}`);
process.exit(seen.size ? 1 : 0);
