// The `diff` part of the benchmark (node bench/run.mjs --only diff): `pace diff` of two revisions of
// the 1,000-service project (bench/gen-project.mjs), both committed in a temporary git repository:
// the head loosens the `fast` SLO of 100 services (99% → 98%) and tightens the `availability` SLO of
// 100 others (99.9% → 99.95%). Whole processes (`node server/out/cli.cjs diff HEAD~1 HEAD --format
// json`, git reads included), median of N runs after one warm-up; each run's JSON must report exactly
// those 200 objective changes, or the figure is not counted.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };
function git(cwd, args) {
  const r = spawnSync('git', ['-c', 'user.name=Pace Bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, env: GIT_ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** The head's edit of one service block: which SLO it changes, by the service number. */
function mutate(text) {
  let loosened = 0;
  let tightened = 0;
  const out = text.replace(/service svc_(\d{4}) \{[\s\S]*?\n\}\n/g, (block, n) => {
    const i = Number(n);
    if (i % 10 === 3) {
      loosened++;
      return block.replace('objective = 99%\n    window    = calendar month', 'objective = 98%\n    window    = calendar month');
    }
    if (i % 10 === 7) {
      tightened++;
      return block.replace('objective = 99.9%\n    window    = 30d', 'objective = 99.95%\n    window    = 30d');
    }
    return block;
  });
  return { text: out, loosened, tightened };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function partDiff({ root, work, log, runs = 5, main }) {
  const cli = path.join(root, 'server', 'out', 'cli.cjs');
  if (!fs.existsSync(cli)) return { unavailable: 'not built (server/out/cli.cjs is missing)' };
  const repo = path.join(work, 'diff-repo');
  const project = path.join(repo, 'project');
  fs.rmSync(repo, { recursive: true, force: true });
  fs.mkdirSync(project, { recursive: true });
  git(repo, ['init', '-q', '-b', 'main']);
  const files = fs.readdirSync(main.paceDir).filter((f) => f.endsWith('.pace')).sort();
  for (const f of files) fs.copyFileSync(path.join(main.paceDir, f), path.join(project, f));
  fs.writeFileSync(path.join(project, 'pace.yaml'), 'version: 1\nname: bench\n');
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'base']);
  let loosened = 0;
  let tightened = 0;
  for (const f of files) {
    const m = mutate(fs.readFileSync(path.join(project, f), 'utf8'));
    fs.writeFileSync(path.join(project, f), m.text);
    loosened += m.loosened;
    tightened += m.tightened;
  }
  git(repo, ['commit', '-q', '-a', '-m', 'mutate some SLOs']);
  log(`diff: ${main.services} services in ${files.length} files, two commits: ${loosened} SLOs loosened, ${tightened} tightened`);

  const once = () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'diff', 'HEAD~1', 'HEAD', '--format', 'json'], { cwd: project, encoding: 'utf8', maxBuffer: 256 << 20 });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`pace diff exited ${r.status}: ${r.stderr.slice(-2000)}`);
    const out = JSON.parse(r.stdout);
    const objectives = out.changes.filter((c) => c.field === 'objective');
    const ok = objectives.filter((c) => c.class === 'loosening').length === loosened && objectives.filter((c) => c.class === 'tightening').length === tightened && objectives.length === loosened + tightened;
    if (!ok) throw new Error(`pace diff reported ${objectives.length} objective changes, expected ${loosened} loosening and ${tightened} tightening`);
    return { ms, summary: out.summary };
  };
  once(); // warm-up: the file cache, git's pack
  const samples = [];
  let summary;
  for (let i = 0; i < runs; i++) {
    const r = once();
    samples.push(r.ms);
    summary = r.summary;
  }
  const res = { services: main.services, slos: main.slos, files: files.length, loosened, tightened, runs, medianMs: Math.round(median(samples)), minMs: Math.round(Math.min(...samples)), maxMs: Math.round(Math.max(...samples)), summary };
  log(`diff: pace diff HEAD~1 HEAD: median ${res.medianMs} ms (${res.minMs}–${res.maxMs}); ${summary.changes} changes, ${summary.generated.changed} generated rules changed`);
  return res;
}

export function diffRows(d, section, { add, fmtMs, verdict }) {
  const S = section.replace('{services}', d.services?.toLocaleString('en-US') ?? '?');
  if (d.unavailable) return add(S, '`pace diff HEAD~1 HEAD`, whole process', `n/a (${d.unavailable})`, '—', '—', '≤ 1.5 s', '—');
  add(S, `\`pace diff HEAD~1 HEAD --format json\`, whole process, git reads included (${d.loosened} SLOs loosened, ${d.tightened} tightened; ${d.summary.changes} changes, ${d.summary.generated.changed} generated rules changed)`, `${fmtMs(d.medianMs)} (${d.minMs}–${d.maxMs})`, '—', '—', '≤ 1.5 s', verdict(d.medianMs <= 1500));
}

export const DIFF_METHOD =
  '- **Diff** (`--only diff`, bench/diff-bench.mjs): the 1,000-service project committed twice in a temporary git repository (bench/.work/diff-repo), the second commit lowering the `fast` objective of 100 services (99% → 98%) and raising the `availability` objective of 100 others (99.9% → 99.95%). `node server/out/cli.cjs diff HEAD~1 HEAD --format json` in the project folder, a whole process each (one `git ls-tree` and one `git cat-file --batch` per side, two analyses, the diff, the generated rules planned for the changed SLOs), median of the runs after one warm-up; every run must report exactly those 200 objective changes with their classes.';
