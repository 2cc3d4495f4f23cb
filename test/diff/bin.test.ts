// `pace diff` through the bundled binary (server/out/cli.cjs; build it first with `node esbuild.mjs`),
// which works out the base side in a worker thread (server/src/cli/diff-side.ts) and compares it there
// with the head the main thread posts to it: its stdout, stderr and exit code must be exactly those of
// the CLI run in process from the sources (where there is no bundle to start a worker from, so the
// sides are worked out one after the other). A preload script records, for each run, that the worker
// was started and what it answered — the comparison, a base that cannot be compared, or a clean base
// with no head to compare it with — and never a failure that the main thread would have redone.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'server/out/cli.cjs');
let tmp: string;
let repo: string;
let project: string;
let hook: string;
let record: string;

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };
let commitNo = 0;
function commit(message: string): void {
  const g = (args: string[], env: Record<string, string> = {}) => execFileSync('git', ['-c', 'user.name=Pace Test', '-c', 'user.email=pace@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, env: { ...GIT_ENV, ...env } });
  g(['add', '-A']);
  const date = `2026-02-0${++commitNo}T12:00:00Z`;
  g(['commit', '-q', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
}

const services = (objective: string, extra = '') => `service checkout {
  owner = "payments-team"

  sli availability = ratio {
    good  = http_requests_total{job="checkout", code!~"5.."}
    total = http_requests_total{job="checkout"}
  }

  slo availability {
    sli       = availability
    objective = ${objective}
    window    = 30d
    alerting  = standard
  }
}
${extra}`;
const POLICIES = 'alerting standard {\n  page   when burn_rate > 14.4 over 1h and 5m\n  ticket when burn_rate > 3 over 1d and 2h\n}\n';
const write = (files: Record<string, string>) => {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(project, name), text);
};

beforeAll(() => {
  tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'pace-diff-bin-')));
  repo = path.join(tmp, 'repo');
  project = path.join(repo, 'slo');
  mkdirSync(project, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo, env: GIT_ENV });
  write({ 'pace.yaml': 'version: 1\nname: shop\n', 'services.pace': services('99.5%'), 'policies.pace': POLICIES });
  commit('base');
  write({ 'services.pace': services('99.9%') });
  commit('tighten an SLO');
  write({ 'services.pace': services('99%', 'service checkout {\n  owner = "x"\n}\n') });
  commit('a duplicate service');
  write({ 'services.pace': services('99.9%') });
  commit('fixed');
  // Runs in the main thread and in the worker (a worker inherits the process's --require).
  hook = path.join(tmp, 'hook.cjs');
  record = path.join(tmp, 'record.txt');
  writeFileSync(
    hook,
    `const fs = require('node:fs');
const wt = require('node:worker_threads');
const note = (s) => fs.appendFileSync(process.env.PACE_TEST_RECORD, s + '\\n');
if (wt.isMainThread) {
  const Real = wt.Worker;
  wt.Worker = class extends Real {
    constructor(file, opts) {
      super(file, opts);
      note('started ' + opts.workerData.paceWorker);
      this.on('message', (m) => note('base' in m ? 'base model' : 'outcome' in m ? 'outcome ' + m.outcome.kind : 'changes' in m ? 'changes' : 'baseOk' in m ? 'base ok' : 'failed'));
    }
  };
} else note('in worker ' + wt.workerData.paceWorker);
`,
  );
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function inProcess(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

function bundled(argv: string[], cwd: string) {
  writeFileSync(record, '');
  const r = spawnSync(process.execPath, ['--require', hook, bin, ...argv], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', PACE_TEST_RECORD: record } });
  return { run: { code: r.status, stdout: r.stdout, stderr: r.stderr }, record: readFileSync(record, 'utf8').split('\n').filter(Boolean).sort() };
}

describe('pace diff from the bundled binary: the base side in a worker, the same output as in process', () => {
  const cases: [string, string[], () => string, string[]][] = [
    ['a tightened SLO, as text', ['diff', 'HEAD~3', 'HEAD~2'], () => project, ['base model', 'changes']],
    ['the same as JSON, from the top of the repository with --project', ['diff', 'HEAD~3', 'HEAD~2', '--format', 'json', '--project', 'slo'], () => repo, ['base model', 'changes']],
    ['Markdown, --fail-on any (exit 1), against the working tree', ['diff', 'HEAD~3', '--format', 'markdown', '--fail-on', 'any'], () => project, ['base model', 'changes']],
    ['a base with errors: its diagnostics, exit 2', ['diff', 'HEAD~1', 'HEAD'], () => project, ['outcome broken']],
    ['a head with errors: its diagnostics after a clean base, exit 2', ['diff', 'HEAD~2', 'HEAD~1'], () => project, ['base model', 'base ok']],
    ['a head that does not exist after a clean base: exit 2', ['diff', 'HEAD', 'no-such-rev'], () => project, ['base model', 'base ok']],
    ['both sides with errors', ['diff', 'HEAD~1', 'HEAD~1'], () => project, ['outcome broken']],
    ['a base that does not exist: exit 2', ['diff', 'no-such-rev', 'HEAD'], () => project, ['outcome unreadable']],
    ['a folder as the base', ['diff', '.', 'HEAD~3'], () => project, ['base model', 'changes']],
  ];
  for (const [name, argv, cwd, kind] of cases) {
    it(name, async () => {
      const expected = await inProcess(argv, cwd());
      const { run, record: seen } = bundled(argv, cwd());
      expect(run).toEqual(expected);
      expect(seen).toEqual([`in worker diff-side`, ...kind, `started diff-side`].sort());
    });
  }

  it('the cases above really differ in what they print', async () => {
    const tightened = await inProcess(['diff', 'HEAD~3', 'HEAD~2'], project);
    expect(tightened.code).toBe(0);
    expect(tightened.stdout).toMatch(/checkout\.availability/);
    const broken = await inProcess(['diff', 'HEAD~1', 'HEAD'], project);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('HEAD~1:slo/services.pace:');
    expect(broken.stderr).toMatch(/pace: the base \(HEAD~1\) has errors; nothing was compared\n$/);
    const headBroken = await inProcess(['diff', 'HEAD~2', 'HEAD~1'], project);
    expect(headBroken.code).toBe(2);
    expect(headBroken.stderr).toMatch(/pace: the head \(HEAD~1\) has errors; nothing was compared\n$/);
    expect(headBroken.stderr).not.toContain('the base');
    const missing = await inProcess(['diff', 'no-such-rev', 'HEAD'], project);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: "pace: 'no-such-rev' is neither a folder nor a git revision of ..\n" });
  });
});
