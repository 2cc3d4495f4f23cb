// `pace diff` through the CLI (in process) on a real git repository: a temporary repository whose
// commits tighten an SLO, loosen an SLA, add a KPI, rename a service and change a policy; text,
// Markdown and JSON goldens (the JSON valid against schemas/pace-diff.schema.json), each step's
// classes, the --fail-on exit codes, folders as sides, the working tree as HEAD, a revision that
// does not exist, a side with errors, and colours only on a terminal.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import diffSchema from '../../schemas/pace-diff.schema.json';

const golden = (name: string) => path.join(__dirname, 'golden', name);
let tmp: string;
let repo: string;
/** The project lives in a sub-folder of the repository, as in a monorepo. */
let project: string;

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };
function git(args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', ['-c', 'user.name=Pace Test', '-c', 'user.email=pace@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, env: { ...GIT_ENV, ...env }, encoding: 'utf8' }).trim();
}
let commitNo = 0;
function commit(message: string): void {
  git(['add', '-A']);
  // Fixed dates: the commits, and so the JSON golden's hashes, are the same on every run.
  const date = `2026-01-0${++commitNo}T12:00:00Z`;
  git(['commit', '-q', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
}

const CONFIG = 'version: 1\nname: shop\n';
const services = (o: { checkout?: string; sla?: string; credit?: string; payments?: string } = {}) => {
  const pay = o.payments ?? 'payments';
  return `service checkout {
  title      = "Checkout"
  owner      = "payments-team"
  tier       = critical
  depends_on = [${pay}]

  sli availability = ratio {
    good  = http_requests_total{job="checkout", code!~"5.."}
    total = http_requests_total{job="checkout"}
  }

  slo availability {
    sli       = availability
    objective = ${o.checkout ?? '99.5%'}
    window    = 30d
    alerting  = standard
  }
}

service ${pay} {
  owner = "payments-team"

  sli requests = ratio {
    good  = payments_requests_total{code!~"5.."}
    total = payments_requests_total
  }

  slo requests {
    sli       = requests
    objective = 99.95%
    window    = 30d
  }

  sla merchants {
    slo       = requests
    objective = ${o.sla ?? '99.9%'}
    window    = calendar month
    credit ${o.credit ?? '10%'} below ${o.sla ?? '99.9%'}
    credit 25% below 99%
  }
}
`;
};
const policies = (page = '14.4', ticketFor = '') => `alerting standard {
  page   when burn_rate > ${page} over 1h and 5m
  ticket when burn_rate > 3 over 1d and 2h${ticketFor}
}
`;
const kpi = (name: string, target: string) => `
  kpi ${name} {
    measure = ratio(checkout_completed_total, checkout_started_total)
    target  >= ${target}
    window  = 28d
  }
`;
const objectives = (extra = '') => `objective growth {
  title = "Grow checkout conversion"
${kpi('conversion', '3.5%')}${extra}
  supported_by = [checkout.availability]
}
`;

function write(files: Record<string, string>, dir = project): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
}

async function run(argv: string[], opts: { cwd?: string; isTTY?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: opts.cwd ?? project, env: opts.env ?? {}, isTTY: opts.isTTY ?? false });
  return { code, stdout, stderr };
}

beforeAll(() => {
  tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'pace-diff-')));
  repo = path.join(tmp, 'repo');
  project = path.join(repo, 'slo');
  mkdirSync(project, { recursive: true });
  git(['init', '-q', '-b', 'main']);
  writeFileSync(path.join(repo, 'README.md'), 'not part of the project\n');
  write({ 'pace.yaml': CONFIG, 'services.pace': services(), 'policies.pace': policies(), 'objectives.pace': objectives() });
  commit('base');
  write({ 'services.pace': services({ checkout: '99.9%' }) });
  commit('tighten an SLO');
  write({ 'services.pace': services({ checkout: '99.9%', sla: '99.5%', credit: '5%' }) });
  commit('loosen an SLA');
  write({ 'objectives.pace': objectives(kpi('retention', '40%')) });
  commit('add a KPI');
  write({ 'services.pace': services({ checkout: '99.9%', sla: '99.5%', credit: '5%', payments: 'billing' }) });
  commit('rename a service');
  write({ 'policies.pace': policies('10', ' for 10m') });
  commit('change a policy');
  // A branch whose project has an error, for the side-with-errors case.
  git(['checkout', '-q', '-b', 'broken']);
  write({ 'policies.pace': policies('10', ' for 10m') + 'alerting standard {\n  page when burn_rate > 2 over 1h\n}\n' });
  commit('a duplicate policy');
  git(['checkout', '-q', 'main']);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const json = async (argv: string[]) => {
  const r = await run([...argv, '--format', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
};

describe('pace diff between commits', () => {
  it('the whole history as text, Markdown and JSON (goldens); the JSON is valid against its schema', async () => {
    const text = await run(['diff', 'HEAD~5', 'HEAD']);
    expect(text.code).toBe(0);
    await expect(text.stdout).toMatchFileSnapshot(golden('history.txt'));
    const md = await run(['diff', 'HEAD~5', 'HEAD', '--format', 'markdown']);
    await expect(md.stdout).toMatchFileSnapshot(golden('history.md'));
    const j = await run(['diff', 'HEAD~5', 'HEAD', '--format', 'json', '--fail-on', 'loosening']);
    expect(j.code).toBe(1);
    await expect(j.stdout).toMatchFileSnapshot(golden('history.json'));
    const out = JSON.parse(j.stdout);
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(diffSchema);
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    expect(out.base).toEqual({ label: 'HEAD~5', kind: 'git', commit: git(['rev-parse', 'HEAD~5']) });
    expect(out.head.commit).toBe(git(['rev-parse', 'HEAD']));
    expect(out.gate).toEqual({ failOn: 'loosening', blocked: true });
    expect(out.summary.changes).toBe(out.changes.length);
  });

  it('tightening an SLO: its objective and the rules it makes fire sooner, nothing else', async () => {
    const out = await json(['diff', 'HEAD~5', 'HEAD~4']);
    expect(out.changes.map((c: { id: string; field: string; class: string }) => `${c.id} ${c.field} ${c.class}`)).toEqual([
      'slo:checkout.availability objective tightening',
      'slo:checkout.availability rules/0 tightening',
      'slo:checkout.availability rules/1 tightening',
    ]);
    expect(out.changes[0].text).toBe('99.5% → 99.9% over 30d: budget 3h36m → 43m12s');
    expect(out.changes[0].where).toEqual({ base: 'HEAD~5:slo/services.pace:14', head: 'HEAD~4:slo/services.pace:14' });
    expect(out.generated.filter((g: { kind: string }) => g.kind !== 'changed')).toEqual([]);
  });

  it('loosening an SLA: its objective and its credits', async () => {
    const out = await json(['diff', 'HEAD~4', 'HEAD~3']);
    expect(out.changes.map((c: { id: string; field: string; class: string }) => `${c.id} ${c.field} ${c.class}`)).toEqual(['sla:payments.merchants objective loosening', 'sla:payments.merchants credits loosening']);
    expect(out.changes[0].text).toBe('99.9% → 99.5% over calendar month: allows 40m19.2s–44m38.4s → 3h21m36s–3h43m12s');
    // An SLA has no rules of its own: nothing generated changes.
    expect(out.generated).toEqual([]);
  });

  it('adding a KPI is tightening', async () => {
    const out = await json(['diff', 'HEAD~3', 'HEAD~2']);
    expect(out.changes).toMatchObject([{ kind: 'added', entity: 'kpi', id: 'kpi:growth.retention', class: 'tightening', where: { head: 'HEAD~2:slo/objectives.pace:10' } }]);
  });

  it('renaming a service is one rename, and its generated rules move to a new group', async () => {
    const out = await json(['diff', 'HEAD~2', 'HEAD~1']);
    expect(out.changes).toMatchObject([{ kind: 'renamed', entity: 'service', id: 'service:billing', baseId: 'service:payments', class: 'neutral', text: 'renamed payments → billing' }]);
    const groups = new Set(out.generated.map((g: { kind: string; group: string }) => `${g.kind} ${g.group}`));
    expect([...groups]).toEqual(['appeared pace-slo-billing-requests', 'vanished pace-slo-payments-requests']);
  });

  it('changing a policy: neutral on the policy, classed on the SLO that uses it', async () => {
    const out = await json(['diff', 'HEAD~1', 'HEAD']);
    expect(out.changes.map((c: { entity: string; field: string; class: string }) => `${c.entity} ${c.field} ${c.class}`)).toEqual(['slo rules/0 tightening', 'slo rules/1 loosening', 'policy rules/0 neutral', 'policy rules/1 neutral']);
    expect(out.changes[1].text).toBe('alert rule ticket when burn_rate > 3 over 1d and 2h → ticket when burn_rate > 3 over 1d and 2h for 10m: threshold 0.3%, time to fire 4m19.2s → 14m19.2s');
    expect(out.generated.map((g: { name: string; fields: string[] }) => `${g.name} ${g.fields}`)).toEqual(['CheckoutAvailabilityErrorBudgetBurn expr,annotations', 'CheckoutAvailabilityErrorBudgetBurn for']);
  });

  it('the same revision twice: no changes', async () => {
    const r = await run(['diff', 'HEAD', 'main', '--fail-on', 'any']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('pace diff HEAD → main: no changes\n\npasses --fail-on any\n');
    expect((await run(['diff', 'HEAD', 'main', '--format', 'markdown'])).stdout).toBe('### Pace diff: `HEAD` → `main`\n\nNo changes to services, SLOs, SLAs, policies or objectives.\n');
  });
});

describe('--fail-on', () => {
  it('loosening: exit 1 only when a change loosens', async () => {
    expect((await run(['diff', 'HEAD~4', 'HEAD~3', '--fail-on', 'loosening'])).code).toBe(1);
    expect((await run(['diff', 'HEAD~5', 'HEAD~4', '--fail-on', 'loosening'])).code).toBe(0);
    expect((await run(['diff', 'HEAD~2', 'HEAD~1', '--fail-on', 'loosening'])).code).toBe(0);
  });

  it('any: exit 1 on any change, a neutral rename included', async () => {
    expect((await run(['diff', 'HEAD~5', 'HEAD~4', '--fail-on', 'any'])).code).toBe(1);
    const r = await run(['diff', 'HEAD~2', 'HEAD~1', '--fail-on', 'any']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\nblocked by --fail-on any: 1 change\n$/);
  });

  it('without it, exit 0 whatever changed', async () => {
    expect((await run(['diff', 'HEAD~4', 'HEAD~3'])).code).toBe(0);
  });

  it('an unknown class is a usage error (exit 2)', async () => {
    const r = await run(['diff', 'HEAD~1', '--fail-on', 'tightening']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'tightening' is invalid");
  });
});

describe('sides', () => {
  it('HEAD defaults to the working tree, uncommitted edits included', async () => {
    const file = path.join(project, 'services.pace');
    const before = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, before.replace('objective = 99.9%\n    window    = 30d\n    alerting  = standard', 'objective = 99%\n    window    = 30d\n    alerting  = standard'));
      const out = await json(['diff', 'HEAD']);
      expect(out.head).toEqual({ label: 'working tree', kind: 'folder', path: '.' });
      expect(out.changes[0]).toMatchObject({ id: 'slo:checkout.availability', field: 'objective', class: 'loosening', text: '99.9% → 99% over 30d: budget 43m12s → 7h12m', where: { base: 'HEAD:slo/services.pace:14', head: 'services.pace:14' } });
      expect((await run(['diff', 'HEAD', '--fail-on', 'loosening'])).code).toBe(1);
    } finally {
      writeFileSync(file, before);
    }
    expect((await run(['diff', 'HEAD', '--fail-on', 'any'])).code).toBe(0);
  });

  it('from the top of the repository, --project names the project folder', async () => {
    const r = await run(['diff', 'HEAD~4', 'HEAD~3', '--project', 'slo', '--format', 'json'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes.map((c: { id: string }) => c.id)).toEqual(['sla:payments.merchants', 'sla:payments.merchants']);
  });

  it('folders as sides, and a folder against a revision', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    cpSync(project, a, { recursive: true });
    cpSync(project, b, { recursive: true });
    write({ 'objectives.pace': objectives() }, b);
    const r = await run(['diff', 'a', 'b', '--format', 'json'], { cwd: tmp });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect([out.base, out.head]).toEqual([
      { label: 'a', kind: 'folder', path: 'a' },
      { label: 'b', kind: 'folder', path: 'b' },
    ]);
    expect(out.changes).toMatchObject([{ kind: 'removed', id: 'kpi:growth.retention', class: 'loosening', where: { base: 'a/objectives.pace:10' } }]);
    // A folder outside the repository as the base, the repository's revision as the head.
    const mixed = await run(['diff', path.relative(project, b), 'HEAD', '--format', 'json']);
    expect(JSON.parse(mixed.stdout).changes).toMatchObject([{ kind: 'added', id: 'kpi:growth.retention' }]);
  });

  it('a revision that does not exist: a clear error, exit 2', async () => {
    const r = await run(['diff', 'no-such-branch']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("pace: 'no-such-branch' is neither a folder nor a git revision of ..\n");
    const opt = await run(['diff', '--', '--upload-pack=x']);
    expect(opt.code).toBe(2);
  });

  it('a revision outside any git repository: a clear error, exit 2', async () => {
    const lone = path.join(tmp, 'lone');
    mkdirSync(lone, { recursive: true });
    write({ 'pace.yaml': CONFIG, 'services.pace': services() }, lone);
    const r = await run(['diff', 'main'], { cwd: lone });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("pace: 'main' is not a folder, and . is not in a git repository\n");
  });

  it('a side with errors: its diagnostics, with the revision in their paths, and exit 2', async () => {
    const r = await run(['diff', 'HEAD', 'broken']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('broken:slo/policies.pace:5:10');
    expect(r.stderr).toMatch(/pace: the head \(broken\) has errors; nothing was compared\n$/);
  });
});

describe('text output', () => {
  it('colours on a terminal only, and never with NO_COLOR', async () => {
    const tty = await run(['diff', 'HEAD~4', 'HEAD~3'], { isTTY: true });
    expect(tty.stdout).toMatch(/\u001b\[31m/);
    expect((await run(['diff', 'HEAD~4', 'HEAD~3'], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(/\u001b\[/);
    expect((await run(['diff', 'HEAD~4', 'HEAD~3'], { isTTY: true, env: {} })).stdout.replace(/\u001b\[\d+m/g, '')).toBe((await run(['diff', 'HEAD~4', 'HEAD~3'])).stdout);
    expect((await run(['diff', 'HEAD~4', 'HEAD~3', '--no-color'], { isTTY: true })).stdout).not.toMatch(/\u001b\[/);
  });
});
