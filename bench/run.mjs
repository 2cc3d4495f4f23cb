// Pace's benchmark: `npm run bench` (bundles, then runs this). Compares Pace with the peer — OpenSLO
// YAML checked by yaml + ajv in CI and by yaml-language-server in the editor — on the same content, in
// the same run, prints a table and rewrites BENCHMARKS.md.
//
//   node bench/run.mjs [--only core,cli,lsp,profile,vscode,preview,generate,diff] [--runs 10] [--edits 50] [--completions 50]
//                      [--sizes 500,1000,2000] [--vscode-runs 5] [--preview-runs 3] [--prom-services 2] [--generate-runs 5] [--diff-runs 5] [--no-write] [--report]
//
// Parts: core (in-process timings of the core, and of the peer's parse + validate), cli (whole
// processes: `pace check` vs the peer's CI script), lsp (Pace's server vs yaml-language-server),
// profile (a CPU profile of the in-process core, top functions), vscode (the extension's activation
// in Code-OSS, through the test/e2e harness; "n/a" when test/e2e/setup.sh has not installed its
// cache), preview (`pace preview` on sample data: the evaluator in process, the OpenMetrics loader,
// end to end against a readline pass, and against promtool + Prometheus; bench/preview-bench.mjs).
// Default: all of them. Workloads are
// generated into bench/.work/ (gitignored) by bench/gen-project.mjs. A subset run keeps the other parts'
// last results (bench/.work/results.json) for BENCHMARKS.md, each with its own date; --report only
// re-renders BENCHMARKS.md from them. The section between the notes markers of BENCHMARKS.md is
// written by hand and kept. BENCH_SERVER_CPU_PROF=DIR runs both language servers under node --cpu-prof.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { generateBig, generateProject } from './gen-project.mjs';
import { foldSchema, validateFiles } from './openslo.mjs';
import { paceProfile, peerProfile, runLspBench } from './lsp-bench.mjs';
import { PREVIEW_METHOD, partPreview as runPreviewPart, previewRows } from './preview-bench.mjs';
import { DIFF_METHOD, diffRows, partDiff as runDiffPart } from './diff-bench.mjs';
import { GENERATE_METHOD, partGenerate as runGeneratePart, generateRows } from './generate-bench.mjs';

const HERE = import.meta.dirname;
const ROOT = path.resolve(HERE, '..');
const WORK = path.join(HERE, '.work');
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i < 0 ? def : argv[i + 1];
};
const ALL = ['core', 'cli', 'lsp', 'profile', 'vscode', 'preview', 'generate', 'diff'];
const only = (opt('--only', ALL.join(',')) ?? '').split(',').filter(Boolean);
for (const p of only) if (!ALL.includes(p)) throw new Error(`unknown part ${p}: use ${ALL.join(',')}`);
const RUNS = Number(opt('--runs', 10));
const EDITS = Number(opt('--edits', 50));
const COMPLETIONS = Number(opt('--completions', 50));
const SIZES = opt('--sizes', '500,1000,2000').split(',').map(Number);
const VSCODE_RUNS = Number(opt('--vscode-runs', 5));
const PREVIEW_RUNS = Number(opt('--preview-runs', 3));
const DIFF_RUNS = Number(opt('--diff-runs', 5));
const GENERATE_RUNS = Number(opt('--generate-runs', 5));
const PROM_SERVICES = Number(opt('--prom-services', 2)); // the slice promtool backfills: 2 services = 4 of the 100 SLOs
const WRITE = !argv.includes('--no-write');
const REPORT_ONLY = argv.includes('--report'); // re-render BENCHMARKS.md from bench/.work/results.json
const MAIN = 1000;
if (!SIZES.includes(MAIN)) SIZES.push(MAIN);

const T0 = performance.now();
const log = (s) => console.log(`[${((performance.now() - T0) / 1000).toFixed(0).padStart(4)} s] ${s}`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r1 = (x) => (x === undefined ? undefined : Math.round(x * 10) / 10);

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  return {
    cpu,
    cores: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadavg: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}

// ---------------------------------------------------------------------------------------------
// Workloads
// ---------------------------------------------------------------------------------------------
async function prepare() {
  fs.mkdirSync(WORK, { recursive: true });
  const w = { projects: {} };
  const sizes = only.some((p) => p === 'core' || p === 'profile') ? SIZES : [MAIN];
  for (const n of sizes) w.projects[n] = generateProject(WORK, n);
  w.big = generateBig(WORK, 10_000);
  w.schema = foldSchema(path.join(WORK, 'openslo', 'openslo.folded.schema.json'));
  // The twin must be valid OpenSLO, or the peer would be measured on errors: check a sample.
  const main = w.projects[MAIN];
  const sample = [path.join(main.osloDir, 'part_000.yaml'), path.join(main.osloDir, `part_${String(main.osloFiles - 1).padStart(3, '0')}.yaml`), w.big.osloFile];
  const v = await validateFiles(sample);
  if (v.problems.length) throw new Error(`the OpenSLO twin does not validate against the schema:\n${v.problems.slice(0, 10).join('\n')}`);
  log(`workloads in ${path.relative(ROOT, WORK)}: ${Object.values(w.projects).map((p) => `${p.services} services (${p.paceFiles} files, ${p.paceLines} Pace lines / ${p.osloLines} YAML lines)`).join('; ')}; big file ${w.big.paceLines} Pace lines / ${w.big.osloLines} YAML lines (${w.big.services} services); OpenSLO sample of ${v.documents} documents valid`);
  return w;
}

// ---------------------------------------------------------------------------------------------
// Core, in process
// ---------------------------------------------------------------------------------------------
async function bundleCoreEntry() {
  const esbuild = await import('esbuild');
  const out = path.join(WORK, 'core-bench.cjs');
  await esbuild.build({ entryPoints: [path.join(HERE, 'core-entry.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', sourcemap: 'linked' });
  return out;
}

function runJson(args, what) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20, cwd: ROOT });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function partCore(w) {
  const entry = await bundleCoreEntry();
  const out = { sizes: {} };
  const core = (n, mode, runs, warmup) => runJson(['--expose-gc', entry, w.projects[n].paceDir, '--mode', mode, '--runs', String(runs), '--warmup', String(warmup)], `core bench (${n} services, ${mode})`);
  for (const n of SIZES) {
    const runs = n === MAIN ? RUNS : Math.max(5, Math.round(RUNS / 2));
    const phases = core(n, 'phases', runs, 3);
    if (phases.diagnostics !== 0) throw new Error(`the generated Pace project (${n} services) is not clean: ${phases.diagnostics} diagnostics`);
    // The façade: one timed analysis per process, after 5 warm-ups on a tenth of the files, other texts (see core-entry.ts).
    const analyses = [];
    for (let i = 0; i < runs; i++) analyses.push(core(n, 'analyze', 1, 5));
    const bad = analyses.find((a) => a.diagnostics !== 0);
    if (bad) throw new Error(`the generated Pace project (${n} services) is not clean: ${bad.diagnostics} diagnostics, e.g.\n${bad.firstDiagnostics.join('\n')}`);
    const memory = core(n, 'memory', 1, 0);
    const pool = (k) => {
      const xs = analyses.map((a) => a.phases[k].median);
      return { median: r1(median(xs)), min: r1(Math.min(...xs)), max: r1(Math.max(...xs)), samples: xs };
    };
    const res = {
      files: phases.files,
      lines: phases.lines,
      bytes: phases.bytes,
      runs,
      warmup: phases.warmup,
      phases: { ...phases.phases, analyze: pool('analyze'), reanalyze: pool('reanalyze'), firstAnalyze: memory.phases.analyze },
      heapUsedMB: memory.heapUsedMB,
      heapBaselineMB: memory.heapBaselineMB,
    };
    out.sizes[n] = res;
    log(`core, ${n} services (${res.lines} lines): ${Object.entries(res.phases).map(([k, v]) => `${k} ${v.median}`).join(', ')} ms; heap ${res.heapUsedMB} MB`);
  }
  out.peer = runJson(['--expose-gc', path.join(HERE, 'peer-core.mjs'), w.projects[MAIN].osloDir, '--runs', String(RUNS), '--warmup', '3'], 'peer in-process bench');
  if (out.peer.invalid) throw new Error(`${out.peer.invalid} OpenSLO documents are invalid`);
  log(`peer in process, ${out.peer.documents} documents: ${Object.entries(out.peer.phases).map(([k, v]) => `${k} ${v.median}`).join(', ')} ms; heap ${out.peer.heapUsedMB} MB`);
  return out;
}

async function partProfile(w) {
  const entry = await bundleCoreEntry();
  const dir = path.join(WORK, 'profile');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  runJson(['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', dir, '--expose-gc', entry, w.projects[MAIN].paceDir, '--mode', 'analyze', '--runs', '2', '--warmup', '5'], 'profiled core bench');
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const prof = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  // Self time per function and per source file, from the samples, mapped back through the bundle's source map.
  const { SourceMap } = await import('node:module');
  const map = new SourceMap(JSON.parse(fs.readFileSync(`${entry}.map`, 'utf8')));
  const where = (cf) => {
    if (!cf.url) return { fn: cf.functionName || '(native)', file: '(V8: GC, runtime, program)' };
    if (!cf.url.endsWith('core-bench.cjs')) return { fn: cf.functionName || '(anonymous)', file: `(node) ${path.basename(cf.url)}` };
    const e = map.findEntry(cf.lineNumber, cf.columnNumber);
    const src = e?.originalSource ? path.relative(ROOT, path.resolve(WORK, e.originalSource.replace(/^file:\/\//, ''))) : 'core-bench.cjs';
    const file = src.includes('node_modules/') ? src.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+).*$/, '$1 (dependency)') : src;
    return { fn: `${cf.functionName || '(anonymous)'} ${src.includes('node_modules/') ? file.replace(' (dependency)', '') : src}:${(e?.originalLine ?? cf.lineNumber) + 1}`, file };
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const frames = new Map();
  const dts = prof.timeDeltas;
  const self = new Map(), byFile = new Map();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = (dts[i + 1] ?? 0) / 1000;
    total += dt;
    if (!frames.has(id)) frames.set(id, where(n.callFrame));
    const w = frames.get(id);
    self.set(w.fn, (self.get(w.fn) ?? 0) + dt);
    byFile.set(w.file, (byFile.get(w.file) ?? 0) + dt);
  });
  const topOf = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, ms]) => ({ name, ms: Math.round(ms), share: Math.round((ms / total) * 1000) / 10 }));
  const top = topOf(self, 15), files = topOf(byFile, 10);
  log(`profile: ${Math.round(total)} ms sampled; top: ${top.slice(0, 5).map((t) => `${t.name} ${t.share}%`).join('; ')}`);
  return { file: path.relative(ROOT, path.join(dir, file)), totalMs: Math.round(total), top, files };
}

// ---------------------------------------------------------------------------------------------
// CLI, whole processes
// ---------------------------------------------------------------------------------------------
function timedProcess(args) {
  const rssFile = path.join(WORK, `maxrss-${process.pid}.txt`);
  fs.rmSync(rssFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', path.join(HERE, 'maxrss.cjs'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, BENCH_MAXRSS_FILE: rssFile, NO_COLOR: '1' } });
  const ms = performance.now() - t0;
  const maxRssMB = fs.existsSync(rssFile) ? Math.round(Number(fs.readFileSync(rssFile, 'utf8')) / 102.4) / 10 : undefined;
  return { ms, maxRssMB, status: r.status, out: (r.stdout + r.stderr).trim().split('\n').slice(-3).join(' | ') };
}

async function partCli(w) {
  const cli = path.join(ROOT, 'server', 'out', 'cli.cjs');
  const pace = fs.existsSync(cli) ? ['server/out/cli.cjs', 'check', path.relative(ROOT, w.projects[MAIN].paceDir)] : undefined;
  const peer = ['bench/peer-check.mjs', path.relative(ROOT, w.projects[MAIN].osloDir)];
  const res = { runs: RUNS, paceCommand: pace && `node ${pace.join(' ')}`, peerCommand: `node ${peer.join(' ')}` };
  if (!pace) res.paceUnavailable = 'not built (server/out/cli.cjs is missing)';
  const samples = { pace: [], peer: [] };
  // One warm-up each (page cache), then the two alternate so that load drifts hit both alike.
  if (pace) {
    const first = timedProcess(pace);
    if (first.status !== 0) res.paceUnavailable = `pace check exited ${first.status}: ${first.out}`;
    res.paceOutput = first.out;
  }
  const firstPeer = timedProcess(peer);
  if (firstPeer.status !== 0) throw new Error(`the peer check failed (${firstPeer.status}): ${firstPeer.out}`);
  res.peerOutput = firstPeer.out;
  for (let i = 0; i < RUNS; i++) {
    if (pace && !res.paceUnavailable) samples.pace.push(timedProcess(pace));
    samples.peer.push(timedProcess(peer));
  }
  const agg = (xs) =>
    xs.length ? { medianMs: Math.round(median(xs.map((x) => x.ms))), minMs: Math.round(Math.min(...xs.map((x) => x.ms))), maxMs: Math.round(Math.max(...xs.map((x) => x.ms))), maxRssMB: r1(median(xs.map((x) => x.maxRssMB))), samplesMs: xs.map((x) => Math.round(x.ms)) } : undefined;
  res.pace = agg(samples.pace);
  res.peer = agg(samples.peer);
  log(`cli: pace ${res.pace ? `${res.pace.medianMs} ms, ${res.pace.maxRssMB} MB` : res.paceUnavailable}; peer ${res.peer.medianMs} ms, ${res.peer.maxRssMB} MB`);
  return res;
}

// ---------------------------------------------------------------------------------------------
// LSP
// ---------------------------------------------------------------------------------------------
async function partLsp() {
  const o = { edits: EDITS, completions: COMPLETIONS, timeoutMs: 30000, projectTimeoutMs: 300000 };
  const pace = await runLspBench(paceProfile(ROOT, WORK), o, log);
  const peer = await runLspBench(peerProfile(ROOT, WORK), o, log);
  return { edits: EDITS, completions: COMPLETIONS, pace, peer };
}

// ---------------------------------------------------------------------------------------------
// VS Code: the extension's activation in Code-OSS (code-server), through the test/e2e harness
// ---------------------------------------------------------------------------------------------
const E2E_CACHE = process.env.PACE_E2E_CACHE || path.join(os.homedir(), '.cache', 'pace-e2e');
const VSCODE_TEST = 'the activation timings are recorded'; // client/src/test/suite/activation.test.ts

/** The cache of test/e2e/setup.sh, or undefined when it is not (completely) installed. */
function e2eCacheInstalled() {
  try {
    const env = JSON.parse(fs.readFileSync(path.join(E2E_CACHE, 'env.json'), 'utf8'));
    return ['node24', 'codeServer', 'playwrightCore', 'chromium'].every((k) => env[k] && fs.existsSync(env[k])) ? env : undefined;
  } catch {
    return undefined;
  }
}

/** test/e2e/harness.ts bundled to ESM; import.meta.url still names harness.ts, so its ROOT is right. */
async function loadHarness() {
  const esbuild = await import('esbuild');
  const src = path.join(ROOT, 'test', 'e2e', 'harness.ts');
  const out = path.join(WORK, 'e2e-harness.mjs');
  await esbuild.build({ entryPoints: [src], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'esm', logLevel: 'warning', define: { 'import.meta.url': JSON.stringify(pathToFileURL(src).href) } });
  return import(`${pathToFileURL(out).href}?${Date.now()}`);
}

async function partVscode() {
  if (!e2eCacheInstalled()) {
    log(`vscode: n/a (the e2e cache ${E2E_CACHE} is not installed: run test/e2e/setup.sh first)`);
    return { unavailable: 'run test/e2e/setup.sh first' };
  }
  for (const f of ['client/out/extension.cjs', 'server/out/server.cjs']) {
    if (!fs.existsSync(path.join(ROOT, f))) return { unavailable: `${f} is missing: run npm run bundle first` };
  }
  const h = await loadHarness();
  const env = await h.runSetup(); // warm cache: well under a second
  // Each run is a fresh code-server, user data and workbench (h.Scratch), running only the mocha test
  // that writes the timings measured by activate(). A Scratch empties test/.artifacts/e2e/ and removes
  // the main screenshot of the e2e suite: keep that one.
  const shot = path.join(h.ARTIFACTS, 'vscode-gui.png');
  const shotBytes = fs.existsSync(shot) ? fs.readFileSync(shot) : undefined;
  const saved = { grep: process.env.PACE_E2E_GREP, timings: process.env.PACE_E2E_TIMINGS };
  const samples = [], errors = [];
  let vscodeVersion;
  try {
    for (let i = 0; i < VSCODE_RUNS; i++) {
      const scratch = new h.Scratch(env);
      const file = scratch.path('activation.json');
      process.env.PACE_E2E_GREP = `^Activation ${VSCODE_TEST}$`;
      process.env.PACE_E2E_TIMINGS = file;
      try {
        const r = await h.runExtensionTests(scratch);
        const t = r.results.find((x) => x.title.endsWith(VSCODE_TEST));
        if (!t || t.state !== 'passed' || !fs.existsSync(file)) {
          throw new Error(`the test "${VSCODE_TEST}" did not pass (exit ${r.exitCode}): ${t ? t.error ?? t.state : 'not run'}; log: test/.artifacts/e2e/ext-tests.log`);
        }
        const j = JSON.parse(fs.readFileSync(file, 'utf8'));
        vscodeVersion = j.vscodeVersion;
        samples.push({ activateMs: j.activateMs, readyMs: j.readyMs });
        log(`vscode run ${i + 1}/${VSCODE_RUNS}: activate() ${r1(j.activateMs)} ms, server ready ${r1(j.readyMs)} ms after activation started (Code-OSS ${j.vscodeVersion})`);
      } catch (e) {
        errors.push(String(e?.message ?? e).split('\n')[0]);
        log(`vscode run ${i + 1}/${VSCODE_RUNS}: FAILED: ${errors.at(-1)}`);
      } finally {
        await scratch.dispose();
      }
    }
  } finally {
    for (const [k, v] of [['PACE_E2E_GREP', saved.grep], ['PACE_E2E_TIMINGS', saved.timings]]) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (shotBytes && !fs.existsSync(shot)) fs.writeFileSync(shot, shotBytes);
  }
  if (!samples.length) throw new Error(`no run of the extension test succeeded: ${errors[0]}`);
  const agg = (k) => {
    const xs = samples.map((x) => x[k]);
    return { median: r1(median(xs)), min: r1(Math.min(...xs)), max: r1(Math.max(...xs)), samples: xs.map(r1) };
  };
  const res = { runs: samples.length, failedRuns: errors.length, errors, vscodeVersion, codeServerVersion: env.codeServerVersion, activateMs: agg('activateMs'), readyMs: agg('readyMs') };
  log(`vscode: activate() median ${res.activateMs.median} ms (${res.activateMs.min}–${res.activateMs.max}), server ready median ${res.readyMs.median} ms (${res.readyMs.min}–${res.readyMs.max}), ${res.runs} runs`);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Preview: the evaluator, the loader, `pace preview` end to end and against Prometheus
// ---------------------------------------------------------------------------------------------
const partPreview = () => runPreviewPart({ root: ROOT, here: HERE, work: WORK, log, runs: PREVIEW_RUNS, promServices: PROM_SERVICES });

// `pace diff` of two 1,000-service revisions in a temporary git repository, whole processes (bench/diff-bench.mjs)
const partDiff = (w) => runDiffPart({ root: ROOT, work: WORK, log, runs: DIFF_RUNS, main: w.projects[MAIN] });

// `pace generate`'s core: the 5,000-SLO model to every target, in process (bench/generate-bench.mjs)
const partGenerate = (w) => runGeneratePart({ root: ROOT, here: HERE, work: WORK, log, runs: GENERATE_RUNS, main: w.projects[MAIN] });

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------
const fmtMs = (x) => (x === undefined ? 'n/a' : x >= 100 ? `${Math.round(x).toLocaleString('en-US')} ms` : `${r1(x)} ms`);
const fmtMB = (x) => (x === undefined ? 'n/a' : `${r1(x)} MB`);
const ratio = (peer, pace) => (peer === undefined || pace === undefined || !pace ? '—' : `${(peer / pace).toFixed(1)}×`);
/** 'pass', or FAIL naming the criteria missed; a list of [criterion, ok]. */
const verdict = (ok) => {
  if (ok === undefined) return '—';
  if (!Array.isArray(ok)) return ok ? 'pass' : '**FAIL**';
  const missed = ok.filter(([, v]) => v === false).map(([k]) => k);
  return missed.length ? `**FAIL** (${missed.join('; ')})` : 'pass';
};

function rows(R) {
  const out = []; // { section, figure, pace, peer, ratio, target, result }
  const add = (section, figure, pace, peer, rat, target, result) => out.push({ section, figure, pace, peer, ratio: rat, target, result });
  // A part measured on another machine than the header's says which.
  const when = (part) => ` — ${R[part].date}${R[part].load ? `, load ${R[part].load}` : ''}${R[part].cpu && R[part].cpu !== R.machine.cpu ? `, on ${R[part].cpu}` : ''}`;
  const core = R.core?.data;
  if (core) {
    const m = core.sizes[MAIN], p = core.peer;
    const S = `In-process core, ${MAIN.toLocaleString('en-US')} services / ${(5 * MAIN).toLocaleString('en-US')} SLOs (${m.files} files, ${m.lines.toLocaleString('en-US')} lines); median of ${m.runs} runs after warm-ups${when('core')}`;
    add(S, 'lex + parse, all files (`parse`, whole files)', fmtMs(m.phases.parse.median), `${fmtMs(p.phases.parse.median)} (parseAllDocuments + toJS)`, ratio(p.phases.parse.median, m.phases.parse.median), '—', '—');
    add(S, 'link', fmtMs(m.phases.link.median), '— (no references to resolve)', '—', '—', '—');
    add(S, 'check (structure + PromQL, semantic)', `${fmtMs(m.phases.check.median)} (${fmtMs(m.phases.structure.median)} + ${fmtMs(m.phases.semantic.median)})`, `${fmtMs(p.phases.validate.median)} (ajv)`, ratio(p.phases.validate.median, m.phases.check.median), '—', '—');
    add(S, 'full `analyze()`: new Workspace, setFile × all, analyze (texts never seen, warm JIT)', fmtMs(m.phases.analyze.median), `${fmtMs(p.phases.total.median)} (parse + validate)`, ratio(p.phases.total.median, m.phases.analyze.median), '≤ 300 ms', verdict(m.phases.analyze.median <= 300));
    add(S, 'the same, first analysis in a fresh process (cold JIT, as in the CLI)', fmtMs(m.phases.firstAnalyze.median), '—', '—', '—', '—');
    add(S, 're-analyze after a one-file edit', fmtMs(m.phases.reanalyze.median), '—', '—', '—', '—');
    add(S, 'heap used with the analysis held (after GC)', fmtMB(m.heapUsedMB), `${fmtMB(p.heapUsedMB)} (parsed documents held)`, ratio(p.heapUsedMB, m.heapUsedMB), '—', '—');
    const sizes = Object.keys(core.sizes).map(Number).sort((a, b) => a - b);
    add(S, `linear growth: analyze() at ${sizes.map((n) => n.toLocaleString('en-US')).join(' / ')} services`, sizes.map((n) => fmtMs(core.sizes[n].phases.analyze.median)).join(' / '), '—', '—', '—', '—');
    if (core.sizes[2000]) {
      const g = core.sizes[2000].phases.analyze.median / m.phases.analyze.median;
      add(S, 'growth 2,000 vs 1,000 services (analyze)', `${g.toFixed(2)}×`, '—', '—', '≤ 2.1×', verdict(g <= 2.1));
      const per = ['parse', 'link', 'structure', 'semantic', 'reanalyze'].map((k) => `${k} ${(core.sizes[2000].phases[k].median / m.phases[k].median).toFixed(2)}×`).join(', ');
      add(S, 'growth 2,000 vs 1,000 by phase', per, '—', '—', '—', '—');
    }
  }
  const cli = R.cli?.data;
  if (cli) {
    const S = `CLI cold start, whole processes, ${MAIN.toLocaleString('en-US')} services; median of ${cli.runs} runs after 1 warm-up, alternating${when('cli')}`;
    add(S, '`pace check` vs `yaml` + ajv CI script: wall time', cli.pace ? `${fmtMs(cli.pace.medianMs)} (${cli.pace.minMs}–${cli.pace.maxMs})` : `n/a (${cli.paceUnavailable})`, `${fmtMs(cli.peer.medianMs)} (${cli.peer.minMs}–${cli.peer.maxMs})`, ratio(cli.peer.medianMs, cli.pace?.medianMs), '≤ 1 s', verdict(cli.pace ? cli.pace.medianMs <= 1000 : undefined));
    add(S, 'peak RSS (getrusage maxRSS of the process)', cli.pace ? fmtMB(cli.pace.maxRssMB) : 'n/a', fmtMB(cli.peer.maxRssMB), ratio(cli.peer.maxRssMB, cli.pace?.maxRssMB), '—', '—');
  }
  const lsp = R.lsp?.data;
  if (lsp) {
    const a = lsp.pace, b = lsp.peer;
    const S = `Language server vs yaml-language-server ${b.serverInfo?.version ?? ''}, one run; big file: Pace ${a.bigFile?.lines?.toLocaleString('en-US') ?? '?'} lines, OpenSLO twin ${b.bigFile?.lines?.toLocaleString('en-US') ?? '?'} lines${when('lsp')}`;
    const na = (res, key, errKey) => (res.unavailable ? `n/a (${res.unavailable})` : res[errKey] || res.phaseAError ? `n/a (${(res[errKey] ?? res.phaseAError).slice(0, 120)})` : res[key] === undefined ? 'n/a' : undefined);
    const cold = (res) =>
      na(res, 'coldOpen') ??
      (res.coldOpen?.error ? `n/a (${res.coldOpen.error.slice(0, 100)})` : `${fmtMs(res.coldOpen?.ms)} (${fmtMs(res.coldOpen?.fromDidOpenMs)} after didOpen)`);
    const coldMs = (res) => (res.validates === false ? undefined : res.coldOpen?.ms);
    add(S, 'cold open: process start → diagnostics of the big file (opened with one error)', cold(a), cold(b), ratio(coldMs(b), coldMs(a)), '—', '—');
    const e = (res) => na(res, 'edits', 'editsError') ?? `p50 ${fmtMs(res.edits.p50)}, p99 ${fmtMs(res.edits.p99)}`;
    const ep50 = a.edits?.p50, ep99 = a.edits?.p99;
    const editOk = a.edits ? [['p50', ep50 <= 20], ['p99', ep99 <= 50], ['5× at p50', b.edits ? b.edits.p50 / ep50 >= 5 : undefined], ['5× at p99', b.edits ? b.edits.p99 / ep99 >= 5 : undefined]] : undefined;
    add(S, `didChange → publishDiagnostics, ${lsp.edits} edits (valid / invalid alternating)`, e(a), e(b), a.edits && b.edits ? `p50 ${ratio(b.edits.p50, ep50)}, p99 ${ratio(b.edits.p99, ep99)}` : '—', 'p50 ≤ 20 ms, p99 ≤ 50 ms, ≥ 5× faster', verdict(editOk));
    const c = (res) => na(res, 'completion', 'completionError') ?? `p50 ${fmtMs(res.completion.p50)}, p99 ${fmtMs(res.completion.p99)}`;
    add(S, `completion right after an edit (${lsp.completions} requests)`, c(a), c(b), a.completion && b.completion ? `p50 ${ratio(b.completion.p50, a.completion.p50)}, p99 ${ratio(b.completion.p99, a.completion.p99)}` : '—', 'p99 ≤ 30 ms', verdict(a.completion ? a.completion.p99 <= 30 : undefined));
    const memOf = (res) => (res.project?.validates ? res.project : undefined);
    const mem = (res) =>
      res.unavailable
        ? `n/a (${res.unavailable})`
        : res.project
          ? `${res.project.validates ? '' : 'n/a: '}${fmtMB(res.project.rssMB)} (peak ${fmtMB(res.project.hwmMB)})${res.project.note ? `; ${res.project.note}` : ''}`
          : `n/a (${(res.phaseBError ?? '').slice(0, 120)})`;
    const memOk = memOf(a) ? [['120 MB', a.project.rssMB <= 120], ['3.5× less', memOf(b) ? b.project.rssMB / a.project.rssMB >= 3.5 : undefined]] : undefined;
    add(S, `server memory (VmRSS) with the ${MAIN.toLocaleString('en-US')}-service project open`, mem(a), mem(b), ratio(memOf(b)?.rssMB, memOf(a)?.rssMB), '≤ 120 MB, ≥ 3.5× less', verdict(memOk));
    const all = (res) => (memOf(res)?.allDiagnosticsMs !== undefined ? fmtMs(res.project.allDiagnosticsMs) : 'n/a');
    add(S, `open all ${a.project?.files ?? b.project?.files ?? ''} project files → every file's diagnostics`, all(a), all(b), ratio(memOf(b)?.allDiagnosticsMs, memOf(a)?.allDiagnosticsMs), '—', '—');
  }
  const vs = R.vscode?.data;
  if (vs) {
    const version = vs.vscodeVersion ? vs.vscodeVersion.split('.').slice(0, 2).join('.') : '1.139';
    const S = `VS Code extension (Code-OSS ${version} from code-server, real extension host)${vs.unavailable ? '' : `; median of ${vs.runs} runs (min–max), each a fresh code-server and workbench${vs.failedRuns ? `, ${vs.failedRuns} failed run(s) left out` : ''}`}${when('vscode')}`;
    const fig = (a) => (vs.unavailable ? `n/a: ${vs.unavailable}` : `${fmtMs(a.median)} (${a.min}–${a.max})`);
    add(S, 'activation: start of `activate()` → its return (what VS Code attributes to the extension)', fig(vs.activateMs), '—', '—', '≤ 300 ms', vs.unavailable ? '—' : verdict(vs.activateMs.median <= 300));
    add(S, 'start of `activate()` → language client running, server answered `initialize` (editor features work)', fig(vs.readyMs), '—', '—', '— (for information)', '—');
  }
  if (R.preview?.data) previewRows(R.preview.data, `Preview: sample data and \`pace preview\` (bench/preview-bench.mjs); medians${when('preview')}`, { add, fmtMs, fmtMB, ratio, verdict });
  if (R.diff?.data) diffRows(R.diff.data, `Diff: \`pace diff\` of two revisions of {services} services in a git repository; median of ${R.diff.data.runs ?? '?'} runs after 1 warm-up${when('diff')}`, { add, fmtMs, verdict });
  if (R.generate?.data) generateRows(R.generate.data, `Generate: the model of ${MAIN.toLocaleString('en-US')} services / {slos} SLOs to every target, in process (bench/generate-entry.ts)${when('generate')}`, { add, fmtMs, fmtMB, ratio, verdict });
  return out;
}

function printTable(list) {
  let section;
  for (const r of list) {
    if (r.section !== section) console.log(`\n${(section = r.section)}`);
    console.log(`  ${r.figure.padEnd(62)} Pace ${String(r.pace).padEnd(28)} peer ${String(r.peer).padEnd(40)} ${String(r.ratio).padEnd(16)} ${r.target} ${r.result}`);
  }
}

const NOTES_START = '<!-- notes: kept by bench/run.mjs when it rewrites this file -->';
const NOTES_END = '<!-- end of notes -->';
/** The hand-written notes of the current BENCHMARKS.md, kept across rewrites. */
/** BENCHMARKS.md as it is before this run rewrites it ('' when there is none). */
function currentBenchmarks() {
  const f = path.join(ROOT, 'BENCHMARKS.md');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
}

function keptNotes() {
  const t = currentBenchmarks();
  const a = t.indexOf(NOTES_START), b = t.indexOf(NOTES_END);
  return a >= 0 && b > a ? t.slice(a, b + NOTES_END.length) : undefined;
}

/** How each part's section of BENCHMARKS.md begins (`### …`): a part without results here keeps its section from there. */
const SECTION_START = { core: 'In-process core', cli: 'CLI cold start', lsp: 'Language server vs', profile: 'CPU profile of', vscode: 'VS Code extension', preview: 'Preview:', generate: 'Generate:', diff: 'Diff:' };

/** The sections of BENCHMARKS.md in the order the file has them, whichever parts a run measured. */
const DOC_ORDER = ['core', 'cli', 'lsp', 'vscode', 'preview', 'diff', 'generate', 'profile'];

/**
 * A `### …` section as BENCHMARKS.md has it now, found by how its title begins: for a part this
 * checkout has no results of (bench/.work is not in git, and a subset run in a fresh clone must not
 * drop the other parts' figures), and for the workloads of a run that generated none.
 */
function keptSectionTitled(start) {
  const t = currentBenchmarks();
  const a = t.indexOf(`\n### ${start}`);
  if (a < 0) return undefined;
  const b = t.indexOf('\n### ', a + 1);
  return t.slice(a + 1, b < 0 ? t.length : b).trimEnd();
}
const keptSection = (part) => keptSectionTitled(SECTION_START[part]);

/** When a part was measured: this run's results, or the date in its kept section's title. */
function partDate(R, part) {
  if (R[part]) return R[part].date;
  return /\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?Z/.exec(keptSection(part)?.split('\n')[0] ?? '')?.[0];
}

function markdown(R, list) {
  const m = R.machine;
  const dates = DOC_ORDER.flatMap((p) => {
    const d = partDate(R, p);
    return d ? [`${p} ${d}`] : [];
  });
  const lines = [];
  lines.push('# Benchmarks', '');
  lines.push('Written by `npm run bench` (bench/run.mjs); edit by hand only the Notes, between their markers. Pace is compared with the peer its users have today —');
  lines.push('OpenSLO v1 YAML checked by `yaml` + ajv in CI and by Red Hat\'s yaml-language-server in the editor — on the same');
  lines.push('content (bench/gen-project.mjs writes a Pace project and its OpenSLO twin), in the same run. Ratios are peer ÷ Pace');
  lines.push('(above 1×: Pace is faster or smaller).', '');
  lines.push(`**Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, ${m.os}. **Date** (each section gives its own, with the load at its start): ${dates.join('; ')}. **Load average at the start of the last full run:** ${m.loadavg}${m.loadavgEnd ? `, at its end: ${m.loadavgEnd}` : ''}.`, '');
  if (Number(m.loadavg.split(' ')[0]) > m.cores) lines.push(`> The machine was busy with other work during this run (load average above the number of cores): absolute figures are inflated; the side-by-side ratios, taken in the same run, are the more reliable part.`, '');
  const partOf = (section) => ALL.find((p) => section.startsWith(SECTION_START[p]));
  for (const p of DOC_ORDER) {
    const rowsOf = list.filter((r) => partOf(r.section) === p);
    if (p === 'profile' && R.profile?.data) {
      const prof = R.profile.data;
      lines.push('', `### CPU profile of \`analyze()\` (${MAIN.toLocaleString('en-US')} services; self time) — ${R.profile.date}`, '');
      lines.push(`\`node --cpu-prof\` on bench/core-entry.ts --mode analyze (the façade on new texts: 5 warm-ups on a tenth of the files, then 2 whole analyses and edits; process start included; sampled every 250 µs): ${prof.totalMs.toLocaleString('en-US')} ms sampled, mapped to the sources through the bundle's source map.`, '');
      lines.push('| function | self ms | share |', '|---|---|---|');
      for (const t of prof.top) lines.push(`| \`${t.name}\` | ${t.ms} | ${t.share}% |`);
      lines.push('', '| source file | self ms | share |', '|---|---|---|');
      for (const t of prof.files ?? []) lines.push(`| ${t.name} | ${t.ms} | ${t.share}% |`);
      continue;
    }
    if (R[p] && rowsOf.length) {
      let section;
      for (const r of rowsOf) {
        if (r.section !== section) {
          section = r.section;
          lines.push('', `### ${section}`, '', '| figure | Pace | peer | peer ÷ Pace | target | result |', '|---|---|---|---|---|---|');
        }
        lines.push(`| ${r.figure} | ${r.pace} | ${r.peer} | ${r.ratio} | ${r.target} | ${r.result} |`);
      }
      continue;
    }
    const kept = keptSection(p);
    lines.push('', kept ?? `_${p}: not run yet (\`node bench/run.mjs --only ${p}\`)._`);
  }
  const w = R.workload;
  const keptWorkloads = keptSectionTitled('Workloads');
  if (w) {
    lines.push('', '### Workloads', '');
    const sized = new Map(Object.entries(w.projects).map(([n, p]) => [Number(n), `- ${Number(n).toLocaleString('en-US')} services / ${(5 * n).toLocaleString('en-US')} SLOs: ${p.paceFiles} Pace files, ${p.paceLines.toLocaleString('en-US')} lines, ${(p.paceBytes / 1e6).toFixed(1)} MB; OpenSLO twin ${p.osloFiles} files, ${p.osloLines.toLocaleString('en-US')} lines, ${(p.osloBytes / 1e6).toFixed(1)} MB.`]));
    // A subset run that made fewer sizes keeps the other sizes' lines (the kept sections' figures are of those workloads).
    for (const line of keptWorkloads?.split('\n') ?? []) {
      const m = /^- ([\d,]+) services \//.exec(line);
      const n = m && Number(m[1].replace(/,/g, ''));
      if (n && !sized.has(n)) sized.set(n, line);
    }
    for (const n of [...sized.keys()].sort((x, y) => x - y)) lines.push(sized.get(n));
    lines.push(`- Big file: ${w.big.services} services in one file, ${w.big.paceLines.toLocaleString('en-US')} Pace lines; OpenSLO twin ${w.big.osloLines.toLocaleString('en-US')} lines.`);
  } else if (keptWorkloads) lines.push('', keptWorkloads.replace(/\n+The last full run .*$/s, ''));
  // The elapsed time of the last full run: this run's, or the line BENCHMARKS.md has.
  const lastFull = R.elapsedS ? `The last full run (\`${R.command}\`, after \`npm run bundle\`) took ${R.elapsedS} s.` : /^The last full run .*$/m.exec(keptWorkloads ?? '')?.[0];
  if (lastFull) lines.push('', lastFull);
  lines.push('', '### Notes', '', keptNotes() ?? `${NOTES_START}\n_(Why a figure misses its target, what a profile shows: written by hand between these markers.)_\n${NOTES_END}`);
  lines.push('', '### Method', '');
  lines.push('- **Workload** (bench/gen-project.mjs): per service 5 SLIs (ratio good/total, ratio bad/total, latency, timeslice, promql), 5 SLOs (rolling 30d/28d/7d, calendar month, calendar quarter in a time zone; a named policy, `default`, `none`), an SLA with credit tiers, labels, `depends_on` across files; per file of 10 services an alerting policy and a business objective with two KPIs. It checks clean. The OpenSLO twin has a Service and 5 SLO documents per service with the SLI inline, AlertCondition + AlertPolicy per alert rule; SLAs and KPIs have no OpenSLO form and are left out, so the peer gets less to do, never more. A sample of the twin is validated with ajv first; the bench stops if it does not validate.');
  lines.push('- **In-process core** (bench/core-entry.ts, bundled with esbuild): the phases called one by one on the files of the project (one process, 3 warm-ups), and the façade (`new Workspace()`, `setFile` every file, `analyze()`, then one edit and `analyze()` again). The core memoises chunk parses by their text, process-wide, so every run works on texts no run has seen before (a comment naming the run on each top-level block), and each timed analysis runs in a process of its own after 5 warm-ups on a tenth of the files, so that earlier runs\' trees do not fill the heap; the heap figure is one analysis in a fresh process, after a forced GC. The peer\'s counterpart (bench/peer-core.mjs): `parseAllDocuments` + `toJS` and ajv validation of every document, schema compiled once before timing.');
  lines.push('- **CLI** : `node server/out/cli.cjs check DIR` and the peer\'s CI script (bench/peer-check.mjs: `yaml` parseAllDocuments + ajv with `strict: false`, every schema part registered with `addSchema`, the root compiled once), each a whole process, wall time from spawn to exit; peak RSS is the process\'s own `process.resourceUsage().maxRSS`, written at exit by a preloaded bench/maxrss.cjs.');
  lines.push('- **Language servers** (bench/lsp-bench.mjs, a bare stdio client): `node server/out/server.cjs --stdio` and `node node_modules/yaml-language-server/bin/yaml-language-server --stdio` with `yaml.schemas` mapping the OpenSLO schema folded into one file (its parts refer to each other by https ids) to the YAML files, `yaml.schemaStore.enable: false`, validation on. Each: a fresh server on a folder holding only the big file, which is opened right after `initialized` with one misspelled key; cold open runs from process start to the first publishDiagnostics that reports it. Then didChange edits (incremental when the server asks for it) alternating a valid value change (undoing the previous misspelling) and a misspelled `objective`/`objectives` key; latency runs from didChange sent to the first publishDiagnostics that is right (0 diagnostics, or one naming the misspelled key), so a server that does not really check cannot pass. Then completion at a blank line inside an SLO inserted by a didChange sent just before (latency from that didChange). Then a fresh server on the whole project folder, every file opened; memory is VmRSS (and VmHWM) from /proc/PID/status once every file had its diagnostics (counted from process start: Pace indexes the folder and publishes before the files are opened) and 2 s passed without any; a misspelled key in one file must then be reported, or the figure is not counted. yaml-language-server waits a fixed 200 ms before validating (not a setting), so its edit latency includes that; Pace publishes a file\'s diagnostics only when they change, so its completion rounds end on a request round-trip instead of a publish.');
  lines.push('- **VS Code extension** (`--only vscode`; test/e2e/harness.ts bundled with esbuild): Code-OSS from the npm package code-server, in the cache test/e2e/setup.sh installs (the part reports n/a without it), headless chromium through playwright-core. Each run starts a fresh code-server (new user data, a copy of test/e2e/workspace) and the workbench with the extension under development and its mocha suite, filtered (`PACE_E2E_GREP`) to the test that writes the timings; the extension is activated by `workspaceContains`. The timings are taken in the extension host by `activate()` with `performance.now()`: to its return (the code loading of client/out/extension.cjs before it is not included), and to the first language client running, i.e. the server process started and answered `initialize`. The test writes them to `$PACE_E2E_TIMINGS`. The peer has no extension to measure.');
  lines.push(PREVIEW_METHOD);
  lines.push(DIFF_METHOD);
  lines.push(GENERATE_METHOD);
  lines.push('- Pass/fail: each target of the issue; "≥ N× faster/less" compares with the peer in the same run (for edits, both p50 and p99).');
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
const resultsFile = path.join(WORK, 'results.json');
const R = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : {};
// The machine and its load are those of the last full run (each part also keeps its own date and load).
if (!R.machine || (!REPORT_ONLY && ALL.every((p) => only.includes(p)))) {
  R.machine = machine();
  // A subset run in a checkout without results: the last full run's load is the one BENCHMARKS.md states.
  if (REPORT_ONLY || !ALL.every((p) => only.includes(p))) {
    const stated = /\*\*Load average at the start of the last full run:\*\* ([\d.]+ [\d.]+ [\d.]+)(?:, at its end: ([\d.]+ [\d.]+ [\d.]+))?/.exec(currentBenchmarks());
    if (stated) Object.assign(R.machine, { loadavg: stated[1].replace(/\.$/, ""), loadavgEnd: stated[2]?.replace(/\.$/, "") });
    // …and so is its machine: the sections kept from BENCHMARKS.md were measured there (a part measured here names its own).
    const was = /\*\*Machine:\*\* ([^,]+), (\d+) cores, (\d+) GB, Node (\S+), (.*?)\. \*\*Date\*\*/.exec(currentBenchmarks());
    if (was) Object.assign(R.machine, { cpu: was[1], cores: Number(was[2]), memoryGB: Number(was[3]), node: was[4], os: was[5] });
  }
}
log(`bench: ${only.join(", ")} on ${machine().cpu}, ${os.cpus().length} cores, node ${process.version}, load now ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
let failed = false;
if (!REPORT_ONLY) {
  // The generated workloads are for every part but vscode and preview (which makes its own).
  let w;
  if (only.some((p) => p !== 'vscode' && p !== 'preview')) {
    w = await prepare();
    R.workload = { projects: { ...(R.workload?.projects ?? {}), ...Object.fromEntries(Object.entries(w.projects).map(([n, p]) => [n, { ...p, paceDir: undefined, osloDir: undefined }])) }, big: { ...w.big, paceFile: undefined, osloFile: undefined } };
  } else {
    fs.mkdirSync(WORK, { recursive: true });
  }
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const [part, fn] of [['core', partCore], ['profile', partProfile], ['cli', partCli], ['lsp', partLsp], ['vscode', partVscode], ['preview', partPreview], ['generate', partGenerate], ['diff', partDiff]]) {
    if (!only.includes(part)) continue;
    try {
      const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
      R[part] = { date, load, cpu: machine().cpu, data: await fn(w) };
    } catch (e) {
      failed = true;
      log(`${part}: FAILED: ${e.stack ?? e}`);
    }
  }
  if (ALL.every((p) => only.includes(p))) {
    R.machine.loadavgEnd = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    R.elapsedS = Math.round((performance.now() - T0) / 1000);
    R.command = `node bench/run.mjs${argv.length ? ` ${argv.join(' ')}` : ''}`;
  }
}
fs.writeFileSync(resultsFile, JSON.stringify(R, null, 1));
const list = rows(R);
printTable(list);
if (WRITE) {
  fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), markdown(R, list));
  log(`wrote BENCHMARKS.md; raw results in ${path.relative(ROOT, resultsFile)}`);
}
log(`done in ${((performance.now() - T0) / 1000).toFixed(0)} s`);
process.exitCode = failed ? 1 : 0;
