// In-process timings of `pace generate`'s core on one project folder. Bundled by bench/run.mjs with
// esbuild into bench/.work/generate-bench.cjs and run as
//   node --expose-gc generate-bench.cjs DIR [--runs N] [--warmup N] [--openslo DIR] [--targets T,T]
// which prints one JSON object on stdout. The folder's *.pace files are analyzed once (new Workspace,
// setFile, analyze, normalized(): timed for information, not part of the figure), then every run
// calls generateTarget(model, target, sourceOf) for each target of GENERATE_TARGETS in turn with the
// default options (prometheus with its promtool tests) and reads every file's text once, as `pace
// generate` does (the large targets render a file's text when it is read: output.ts renderedFile),
// timing each target and their sum, on a copy of the model made before the run (so that nothing
// memoised per model outlives a run). The outputs' bytes are counted outside the timings (the texts
// rendered again). After the runs: heap used with one run's outputs of every target held (their
// files as generateTarget returns them, after a forced GC, minus the model's heap), and the
// process's peak RSS (getrusage maxRSS).
// --openslo DIR: the peer, in the same process — the OpenSLO twin's documents (read and converted to
// plain objects before timing) written back with `yaml`'s stringify, one multi-document file per
// source file, as a script that emits OpenSLO from data would.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments, stringify } from 'yaml';
import { Workspace, generate } from '../server/src/core/index.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const RUNS = Number(opt('--runs') ?? 5);
const WARMUP = Number(opt('--warmup') ?? 2);
const OSLO = opt('--openslo');
const only = opt('--targets');
const dir = args[0];
if (!dir) {
  process.stderr.write('usage: node generate-bench.cjs DIR [--runs N] [--warmup N] [--openslo DIR] [--targets T,T]\n');
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const MB = (x: number) => Math.round((x / 1048576) * 10) / 10;
const r1 = (x: number) => Math.round(x * 10) / 10;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: r1(med), min: r1(s[0]), max: r1(s[s.length - 1]), samples: xs.map(r1) };
};

const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.pace'))
  .sort()
  .map((f) => ({ uri: pathToFileURL(path.resolve(dir, f)).href, text: fs.readFileSync(path.join(dir, f), 'utf8') }));

let t = performance.now();
const ws = new Workspace();
for (const f of files) ws.setFile(f.uri, f.text);
const analysis = ws.analyze();
const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
if (errors.length) throw new Error(`the project has ${errors.length} errors, e.g. ${errors[0].code}: ${errors[0].message}`);
const { model, sourceMap } = analysis.normalized();
const analyzeMs = performance.now() - t;
const root = path.resolve(dir);
// As `pace generate` names them (server/src/cli/generate.ts): relative to the project, once per file.
const shown = new Map<string, string>();
const sourceOf = (id: string) => {
  const loc = sourceMap.get(id);
  if (!loc) return undefined;
  let s = shown.get(loc.uri);
  if (s === undefined) shown.set(loc.uri, (s = path.relative(root, fileURLToPath(loc.uri)).split(path.sep).join('/')));
  return s;
};
const slos = model.services.reduce((n, s) => n + s.slos.length, 0);

type Target = (typeof generate.GENERATE_TARGETS)[number];
const targets = (only ? only.split(',') : [...generate.GENERATE_TARGETS]) as Target[];
const samples: Record<string, number[]> = { total: [] };
const sizes: Record<string, { files: number; bytes: number }> = {};
let held: unknown[] = [];

function once(keep: boolean): void {
  // Each run starts on the heap a new `pace generate` process has: the last run's outputs are let
  // go and collected before it, outside the timing (they are kept after the last run for the heap figure).
  held = [];
  gc();
  const outs: unknown[] = [];
  let total = 0;
  // A copy of the model per run, as a new `pace generate` process has: what the generators memoise
  // per model (plans shared by the targets of one run) is not carried from one run to the next.
  const m = structuredClone(model);
  for (const target of targets) {
    const t0 = performance.now();
    const out = generate.generateTarget(m, target, sourceOf, {});
    // Every file's text, read once and let go, as `pace generate` reads it (the large targets render it on read).
    let chars = 0;
    for (const f of out.files) chars += f.text.length;
    const ms = performance.now() - t0;
    if (chars === 0) throw new Error(`${target}: no text`);
    total += ms;
    outs.push(out);
    if (keep) (samples[target] ??= []).push(ms);
    if (!sizes[target]) sizes[target] = { files: out.files.length, bytes: out.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) };
  }
  if (keep) samples.total.push(total);
  held = outs;
}

for (let i = 0; i < WARMUP; i++) once(false);
held = [];
gc();
const heapModel = process.memoryUsage().heapUsed;
for (let i = 0; i < RUNS; i++) once(true);
gc();
const heapHeld = process.memoryUsage().heapUsed - heapModel;

// The peer: the OpenSLO twin's documents written with yaml's stringify.
let peer: { documents: number; bytes: number; stringify: ReturnType<typeof summary> } | undefined;
if (OSLO) {
  const docs = fs
    .readdirSync(OSLO)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parseAllDocuments(fs.readFileSync(path.join(OSLO, f), 'utf8')).map((d) => d.toJS()));
  const write = () => docs.map((file) => file.map((d) => `---\n${stringify(d)}`).join(''));
  const xs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    const texts = write();
    const ms = performance.now() - t0;
    if (i >= WARMUP) xs.push(ms);
    bytes = texts.reduce((n, s) => n + Buffer.byteLength(s), 0);
  }
  peer = { documents: docs.reduce((n, f) => n + f.length, 0), bytes, stringify: summary(xs) };
}

const out = {
  dir,
  files: files.length,
  slos,
  runs: RUNS,
  warmup: WARMUP,
  analyzeMs: r1(analyzeMs),
  targets: Object.fromEntries([...targets, 'total'].map((k) => [k, { ...summary(samples[k]), ...(sizes[k] ?? {}) }])),
  heapHeldMB: MB(heapHeld),
  heapUsedMB: MB(process.memoryUsage().heapUsed),
  maxRssMB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
  peer,
  held: held.length,
};
process.stdout.write(JSON.stringify(out) + '\n');
