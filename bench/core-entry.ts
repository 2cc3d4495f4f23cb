// In-process timings of the core on one project folder. Bundled by bench/run.mjs with esbuild into
// bench/.work/core-bench.cjs and run as
//   node --expose-gc core-bench.cjs DIR [--mode phases|analyze|memory] [--runs N] [--warmup N]
// which prints one JSON object on stdout. Over all the folder's *.pace files, --mode phases times:
//   parse     — parse(text) of every file (lexing and parsing, whole files);
//   link      — link() of the parsed files (index and resolve references);
//   structure — checkStructure() + checkPromql() of every file; semantic — checkSemantics() of the model;
//   check     — structure + semantic;
// --mode analyze times:
//   analyze   — the façade from scratch: new Workspace(), setFile() of every file, analyze();
//   reanalyze — after that, setFile() of one file with one value changed, then analyze() (what the
//               language server does on an edit).
// The core memoises parses of top-level chunks by their text (workspace/incremental.ts), process-wide:
// every run therefore works on texts no earlier run has seen (a comment naming the run is put on every
// top-level block's first line), so that `analyze` is a first load, as in a new process, with a warm JIT.
// Since the memo keeps every run's chunks, bench/run.mjs runs each timed analysis in a process of its
// own, after warm-ups on a tenth of the files, so that the heap does not fill with earlier runs' trees.
// --mode memory: one analysis in a fresh process (cold JIT, as in the CLI), then heapUsed after a
// forced GC with the analysis held (and the baseline before anything was loaded).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parse } from '../grammar/src/parser.js';
import type { PaceFile } from '../grammar/src/ast.js';
import { link } from '../server/src/core/linking/linker.js';
import { checkStructure } from '../server/src/core/validation/structure.js';
import { checkSemantics } from '../server/src/core/validation/semantic.js';
import { checkPromql } from '../server/src/core/validation/promql.js';
import { Workspace } from '../server/src/core/index.js';

const args = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return def;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const RUNS = opt('--runs', 10);
const WARMUP = opt('--warmup', 3);
const mi = args.indexOf('--mode');
const MODE = mi >= 0 ? args.splice(mi, 2)[1] : 'phases';
const dir = args[0];
if (!dir || !['phases', 'analyze', 'memory'].includes(MODE)) {
  process.stderr.write('usage: node core-bench.cjs DIR [--mode phases|analyze|memory] [--runs N] [--warmup N]\n');
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
gc();
const heapBaseline = process.memoryUsage().heapUsed;

const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.pace'))
  .sort()
  .map((f) => ({ uri: pathToFileURL(path.resolve(dir, f)).href, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
const lines = files.reduce((n, f) => n + f.text.split('\n').length, 0);

type Phase = 'parse' | 'link' | 'structure' | 'semantic' | 'check' | 'analyze' | 'reanalyze';
const samples: Partial<Record<Phase, number[]>> = {};
const record = (k: Phase, ms: number) => (samples[k] ??= []).push(ms);
let diagnostics = -1;
let firstDiagnostics: string[] = [];

let run = 0;
/** The files as run `r` sees them: every top-level block's first line carries a comment naming the run. */
const textsOf = (r: number) => files.map((f) => ({ uri: f.uri, text: f.text.replace(/^((?:service|alerting|objective) \w+ \{)$/gm, `$1 // run ${r}`) }));

/** The phases one by one, without the façade (and so without its memo). */
function phases(keep: boolean): void {
  const texts = textsOf(run++);
  let t = performance.now();
  const asts: { uri: string; ast: PaceFile; text: string }[] = texts.map((f) => ({ uri: f.uri, text: f.text, ast: parse(f.text).ast }));
  const tParse = performance.now() - t;

  t = performance.now();
  const model = link(asts.map((a) => ({ uri: a.uri, ast: a.ast })));
  const tLink = performance.now() - t;

  t = performance.now();
  let n = 0;
  for (const a of asts) n += checkStructure(a.uri, a.ast, a.text).length + checkPromql(a.uri, a.ast).length;
  const tStructure = performance.now() - t;

  t = performance.now();
  n += checkSemantics(model).length;
  const tSemantic = performance.now() - t;
  diagnostics = n;
  if (keep) {
    record('parse', tParse);
    record('link', tLink);
    record('structure', tStructure);
    record('semantic', tSemantic);
    record('check', tStructure + tSemantic);
  }
}

/** The façade on texts it has never seen, then one edit. Warm-ups take a tenth of the files, so that
 *  their trees, which the memo keeps, weigh little on the heap of the timed run. */
function analyze(keep: boolean): Workspace {
  const all = textsOf(run++);
  const texts = keep ? all : all.slice(0, Math.max(2, Math.ceil(all.length / 10)));
  let t = performance.now();
  const ws = new Workspace();
  for (const f of texts) ws.setFile(f.uri, f.text);
  const analysis = ws.analyze();
  const tAnalyze = performance.now() - t;
  diagnostics = analysis.diagnostics.length;
  firstDiagnostics = analysis.diagnostics.slice(0, 5).map((d) => `${d.uri.slice(-20)} ${d.code}: ${d.message}`);

  // One edit in the middle file: an objective value changes, as a user types.
  const mid = texts[Math.floor(texts.length / 2)];
  const edited = mid.text.replace('objective = 99%', 'objective = 98.5%');
  if (edited === mid.text) throw new Error('no value to edit');
  t = performance.now();
  ws.setFile(mid.uri, edited);
  ws.analyze();
  const tRe = performance.now() - t;
  if (keep) {
    record('analyze', tAnalyze);
    record('reanalyze', tRe);
  }
  return ws;
}

let held: Workspace | undefined;
if (MODE === 'phases') {
  for (let i = 0; i < WARMUP; i++) phases(false);
  for (let i = 0; i < RUNS; i++) phases(true);
} else if (MODE === 'analyze') {
  for (let i = 0; i < WARMUP; i++) analyze(false);
  for (let i = 0; i < RUNS; i++) held = analyze(true);
} else {
  held = analyze(true); // the first analysis in a fresh process: cold JIT, as in the CLI
}
gc();
const heapUsed = process.memoryUsage().heapUsed;
if (MODE !== 'phases' && !held) throw new Error('no analysis');

const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { median: r(med), min: r(s[0]), max: r(s[s.length - 1]), samples: xs.map(r) };
};
const MB = (x: number) => Math.round((x / 1048576) * 10) / 10;
const out = {
  dir,
  mode: MODE,
  files: files.length,
  lines,
  bytes: files.reduce((n, f) => n + Buffer.byteLength(f.text), 0),
  runs: MODE === 'memory' ? 1 : RUNS,
  warmup: MODE === 'memory' ? 0 : WARMUP,
  diagnostics,
  firstDiagnostics,
  phases: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)])),
  heapBaselineMB: MB(heapBaseline),
  heapUsedMB: MB(heapUsed),
  rssMB: MB(process.memoryUsage().rss),
};
process.stdout.write(JSON.stringify(out) + '\n');
