// In-process timings of the peer's CI check on a folder of OpenSLO YAML, the counterpart of
// bench/core-entry.ts:   node --expose-gc bench/peer-core.mjs DIR [--runs N] [--warmup N]
//   parse    — parseAllDocuments + toJS of every file (YAML text to data);
//   validate — ajv validation of every document (the schema compiled once, before timing);
//   total    — parse + validate.
// Prints one JSON object.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { compileValidator } from './openslo.mjs';

const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf(n); if (i < 0) return d; const v = Number(args[i + 1]); args.splice(i, 2); return v; };
const RUNS = opt('--runs', 10), WARMUP = opt('--warmup', 3);
const dir = args[0];
const gc = globalThis.gc ?? (() => {});
gc();
const heapBaseline = process.memoryUsage().heapUsed;
const validate = await compileValidator();
const texts = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
const samples = { parse: [], validate: [], total: [] };
let held, invalid = 0, documents = 0;
for (let i = 0; i < WARMUP + RUNS; i++) {
  let t = performance.now();
  const values = [];
  for (const text of texts) for (const doc of parseAllDocuments(text)) { const v = doc.toJS(); if (v != null) values.push(v); }
  const tParse = performance.now() - t;
  t = performance.now();
  invalid = 0;
  for (const v of values) if (!validate(v)) invalid++;
  const tValidate = performance.now() - t;
  documents = values.length;
  held = values;
  if (i >= WARMUP) samples.parse.push(tParse), samples.validate.push(tValidate), samples.total.push(tParse + tValidate);
}
gc();
const heapUsed = process.memoryUsage().heapUsed;
const summary = (xs) => { const s = [...xs].sort((a, b) => a - b); const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; const r = (x) => Math.round(x * 10) / 10; return { median: r(med), min: r(s[0]), max: r(s[s.length - 1]), samples: xs.map(r) }; };
console.log(JSON.stringify({ dir, files: texts.length, documents, invalid, runs: RUNS, warmup: WARMUP, held: held.length, phases: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)])), heapBaselineMB: Math.round(heapBaseline / 104857.6) / 10, heapUsedMB: Math.round(heapUsed / 104857.6) / 10 }));
