// The `generate` part of bench/run.mjs: `pace generate`'s core in process (bench/generate-entry.ts),
// the normalized model of the generated 1,000-service / 5,000-SLO project to every target, each
// target timed and their total; the same at 250 and 500 services for the growth; the heap held by
// one run's outputs and the process's peak RSS. The peer, in the same process: the project's OpenSLO
// twin (bench/gen-project.mjs) written back with `yaml`'s stringify (what a script that emits OpenSLO
// from data does today; Sloth, which would write Prometheus rules from it, is not installed). For
// information, the whole `pace generate` process on the main project, regenerating unchanged files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateProject } from './gen-project.mjs';

/** The sizes of the growth figure, in services (5 SLOs each); the last is the main one. */
export const GENERATE_SIZES = [250, 500, 1000];

async function bundleEntry(here, work) {
  const esbuild = await import('esbuild');
  const out = path.join(work, 'generate-bench.cjs');
  await esbuild.build({ entryPoints: [path.join(here, 'generate-entry.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', sourcemap: 'linked' });
  return out;
}

function json(root, args, what) {
  const r = spawnSync(process.execPath, ['--expose-gc', ...args], { encoding: 'utf8', maxBuffer: 64 << 20, cwd: root });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** `main`: the main project from bench/run.mjs's workloads ({ services, paceDir, osloDir }). */
export async function partGenerate({ root, here, work, log, runs = 5, main }) {
  const entry = await bundleEntry(here, work);
  const sizes = {};
  for (const n of GENERATE_SIZES) {
    // The smaller projects go to a folder of their own, so that this part never rewrites another part's workload.
    const p = n === main.services ? main : generateProject(path.join(work, 'generate'), n);
    const isMain = n === main.services;
    const args = [entry, p.paceDir, '--runs', String(isMain ? runs : Math.max(3, Math.ceil(runs / 2))), '--warmup', isMain ? '2' : '1', ...(isMain ? ['--openslo', p.osloDir] : [])];
    const r = json(root, args, `generate bench (${n} services)`);
    sizes[n] = r;
    log(`generate, ${r.slos} SLOs: ${Object.entries(r.targets).map(([k, v]) => `${k} ${v.median}`).join(', ')} ms; outputs ${r.heapHeldMB} MB of heap, peak RSS ${r.maxRssMB} MB${r.peer ? `; peer yaml.stringify of ${r.peer.documents} OpenSLO documents ${r.peer.stringify.median} ms` : ''}`);
  }
  // For information: what a user waits for, the whole `pace generate` process (the binary, cold: the
  // project's analysis, every target, and the files compared with those on disk), into a folder it
  // generated just before, so that every file is read and found unchanged.
  const out = path.join(work, 'generate-out');
  fs.rmSync(out, { recursive: true, force: true });
  const cli = path.join(root, 'server/out/cli.cjs');
  const gen = () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'generate', main.paceDir, '--out', out], { encoding: 'utf8', maxBuffer: 256 << 20, cwd: root });
    if (r.status !== 0) throw new Error(`pace generate failed (${r.status}): ${r.stderr.slice(-2000)}`);
    return { ms: performance.now() - t0, stdout: r.stdout };
  };
  gen();
  const xs = [];
  for (let i = 0; i < 3; i++) {
    const r = gen();
    if (!/: 0 created, 0 updated, 0 removed, \d+ unchanged\n$/.test(r.stdout)) throw new Error(`pace generate changed files on a second run: ${r.stdout.slice(-300)}`);
    xs.push(r.ms);
  }
  fs.rmSync(out, { recursive: true, force: true });
  const cliMs = [...xs].sort((a, b) => a - b)[1];
  log(`generate, whole process into an up-to-date folder: median ${Math.round(cliMs)} ms (${xs.map(Math.round).join(', ')})`);
  return { main: main.services, sizes, cli: { median: cliMs, samples: xs } };
}

const TARGET_TEXT = {
  prometheus: 'prometheus: rule files + `promtool test rules` files',
  openslo: 'openslo: OpenSLO v1 documents',
  alertmanager: 'alertmanager: routes, receivers, inhibition',
  grafana: 'grafana: a dashboard per service + the overview',
  datadog: 'datadog: SLO and monitor definitions',
};

export function generateRows(d, section, { add, fmtMs, fmtMB, ratio, verdict }) {
  const m = d.sizes[d.main];
  if (!m) return;
  const S = `${section.replace('{slos}', m.slos.toLocaleString('en-US'))}; median of ${m.runs} runs after ${m.warmup} warm-ups`;
  const range = (t) => `${fmtMs(t.median)} (${fmtMs(t.min)}–${fmtMs(t.max)})`;
  const size = (t) => `${t.files.toLocaleString('en-US')} files, ${(t.bytes / 1e6).toFixed(1)} MB`;
  for (const [k, t] of Object.entries(m.targets)) {
    if (k === 'total') continue;
    if (k === 'openslo' && m.peer) {
      add(S, `${TARGET_TEXT[k] ?? k} (${size(t)})`, range(t), `${fmtMs(m.peer.stringify.median)} (\`yaml\` stringify of the OpenSLO twin's ${m.peer.documents.toLocaleString('en-US')} documents, ${(m.peer.bytes / 1e6).toFixed(1)} MB)`, ratio(m.peer.stringify.median, t.median), '—', '—');
    } else add(S, `${TARGET_TEXT[k] ?? k} (${size(t)})`, range(t), '—', '—', '—', '—');
  }
  const bytes = Object.entries(m.targets).filter(([k]) => k !== 'total').reduce((n, [, t]) => n + t.bytes, 0);
  add(S, `every target, total (${(bytes / 1e6).toFixed(1)} MB of output)`, range(m.targets.total), '— (no peer writes these five)', '—', '≤ 1 s', verdict(m.targets.total.median <= 1000));
  const ns = Object.keys(d.sizes).map(Number).sort((a, b) => a - b);
  add(S, `linear growth: every target at ${ns.map((n) => d.sizes[n].slos.toLocaleString('en-US')).join(' / ')} SLOs`, ns.map((n) => fmtMs(d.sizes[n].targets.total.median)).join(' / '), '—', '—', '—', '—');
  const half = d.sizes[d.main / 2];
  if (half) {
    const g = m.targets.total.median / half.targets.total.median;
    const per = Object.keys(m.targets).filter((k) => k !== 'total').map((k) => `${k} ${(m.targets[k].median / half.targets[k].median).toFixed(2)}×`).join(', ');
    add(S, `growth ${m.slos.toLocaleString('en-US')} vs ${half.slos.toLocaleString('en-US')} SLOs (total; by target: ${per})`, `${g.toFixed(2)}×`, '—', '—', '≤ 2.1×', verdict(g <= 2.1));
  }
  add(S, "heap held by one run's outputs of every target (after GC) / peak RSS of the process", `${fmtMB(m.heapHeldMB)} / ${fmtMB(m.maxRssMB)}`, '—', '—', '—', '—');
  add(S, 'for information: analyze + normalize the project first (new Workspace, cold JIT; not in the figures above)', fmtMs(m.analyzeMs), '—', '—', '—', '—');
  if (d.cli) add(S, "for information: the whole `pace generate` process into an up-to-date folder (cold: analysis, every target, each file compared with the one on disk); median of 3", `${fmtMs(d.cli.median)} (${d.cli.samples.map((x) => fmtMs(x)).join(', ')})`, '—', '—', '—', '—');
}

export const GENERATE_METHOD =
  '- **Generate** (`--only generate`; bench/generate-entry.ts bundled with esbuild, bench/generate-bench.mjs): the workload project analyzed and normalized once, then each run calls `generateTarget(model, target, sourceOf)` for prometheus (rule files and `promtool test rules` files), openslo, alertmanager, grafana and datadog in turn with default options, each timed with every file\'s text read once (as `pace generate` reads it: the prometheus, grafana and datadog files render their text when it is read, output.ts `renderedFile`; nothing written), on a copy of the model made before the run so that what the generators share per model does not outlive a run; warm-ups, then the median. The 250- and 500-service projects (1,250 / 2,500 SLOs) run in processes of their own for the growth. Heap: `heapUsed` after a forced GC with the last run\'s outputs held (the files as `generateTarget` returns them: the rendered ones hold their plans, not their text), minus the same before the runs; peak RSS is the process\'s getrusage maxRSS. **Peer**, in the same process: the OpenSLO twin\'s documents, parsed before timing, written back with `yaml`\'s `stringify` (a `---` document per document, one string per file) — what a script that emits OpenSLO from data runs today; it writes one format where Pace writes five (Sloth, which turns such specs into Prometheus rules, is not installed). For information, the whole `pace generate` binary (server/out/cli.cjs) on the 1,000-service project, into a folder it filled just before (one untimed run), 3 timed runs that must report every file unchanged: cold start, analysis, every target, and each of the 11,000 files read and compared with the new bytes, nothing written.';
