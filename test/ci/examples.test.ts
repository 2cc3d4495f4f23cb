// The CI examples of docs/ci.md (docs/ci/*.yml, .pre-commit-hooks.yaml): they parse, they call only
// commands and options that the CLI has (read from its --help), and their steps, run in bash through
// the built binary against a copy of samples/, pass on a clean project and fail on a broken one.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import * as esbuild from 'esbuild';
import { parse as parseShell } from 'shell-quote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { main } from '../../server/src/cli/main.js';
import pkg from '../../package.json';

const root = path.join(__dirname, '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pace-ci-'));
  temps.push(d);
  return d;
}

const FILES = {
  github: 'docs/ci/github-workflow.yml',
  gitlab: 'docs/ci/gitlab-ci.yml',
  precommit: 'docs/ci/pre-commit-config.yaml',
  hooks: '.pre-commit-hooks.yaml',
} as const;
const DOC = 'docs/ci.md';

/** A YAML file as plain data; any error or warning of the parser fails the test. */
function yamlOf(text: string, name: string): any {
  const doc = parseDocument(text, { prettyErrors: true, strict: true, uniqueKeys: true });
  expect([...doc.errors, ...doc.warnings].map((e) => `${name}: ${e.message}`)).toEqual([]);
  return doc.toJS();
}

// ---------------------------------------------------------------------------------------------
// Shell command lines

interface Command {
  readonly argv: string[];
  /** The file its stdout goes to (`> F`), if any. */
  readonly redirect?: string;
}

/** The simple commands of a shell script: split at `||`, `&&`, `;`, `|` and parentheses; `$VAR`s kept as written. */
function commandsOf(script: string): Command[] {
  const out: Command[] = [];
  for (const line of script.split('\n')) {
    const tokens = parseShell(line, (name: string) => `$${name}`);
    let argv: string[] = [];
    let redirect: string | undefined;
    const flush = () => {
      // Keywords and assignments before the command word.
      while (argv.length && (/^(then|do|else|!)$/.test(argv[0]) || /^[A-Za-z_]\w*=/.test(argv[0]))) argv.shift();
      if (argv.length) out.push({ argv, redirect });
      argv = [];
      redirect = undefined;
    };
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (typeof t === 'string') argv.push(t);
      else if ('comment' in t) break;
      else if ('op' in t && (t.op === '>' || t.op === '>>')) redirect = String(tokens[++i]);
      else if ('op' in t && t.op === 'glob') argv.push(t.pattern);
      else flush();
    }
    flush();
  }
  return out;
}

/** The arguments after `pace` (or `npx pace`) of every command that runs Pace. */
const paceCalls = (commands: readonly Command[]) =>
  commands.flatMap((c) => (c.argv[0] === 'pace' ? [{ ...c, args: c.argv.slice(1) }] : c.argv[0] === 'npx' && c.argv[1] === 'pace' ? [{ ...c, args: c.argv.slice(2) }] : []));

/** `$NAME` and `${NAME}` read by a script. */
const variablesRead = (script: string) => new Set([...script.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]));
/** Names a script assigns (`NAME=…`, `NAME=$?`). */
const variablesSet = (script: string) => new Set([...script.matchAll(/(?:^|[\s;|&(])([A-Za-z_]\w*)=/g)].map((m) => m[1]));

// ---------------------------------------------------------------------------------------------
// The CLI's own description of its commands

interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  readonly takesValue: boolean;
  readonly choices?: readonly string[];
}

async function help(argv: string[]): Promise<string> {
  let stdout = '';
  const code = await main([...argv, '--help'], { stdout: (s) => (stdout += s), stderr: () => {}, cwd: root, env: {}, isTTY: false });
  expect(code, `pace ${argv.join(' ')} --help`).toBe(0);
  return stdout;
}

/** The entries of a section of commander's help ("Options:", "Commands:"), continuation lines joined. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const entries: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    if (/^ {2}\S/.test(line)) entries.push(line.trim());
    else entries[entries.length - 1] += ' ' + line.trim();
  }
  return entries;
}

function optionsOf(text: string): OptionSpec[] {
  return section(text, 'Options').map((entry) => {
    const m = /^(?:(-\w), )?(--[\w-]+)( [<[][^>\]]+[>\]])?(?:\s{2,}(.*))?$/.exec(entry);
    if (!m) throw new Error(`cannot read the option entry ${JSON.stringify(entry)}`);
    const choices = /\(choices: ((?:"[^"]*"(?:, )?)+)/.exec(m[4] ?? '');
    return { short: m[1], long: m[2], takesValue: !!m[3], choices: choices ? [...choices[1].matchAll(/"([^"]*)"/g)].map((c) => c[1]) : undefined };
  });
}

let commandNames: string[] = [];
const optionsByCommand = new Map<string, OptionSpec[]>();
beforeAll(async () => {
  const top = await help([]);
  commandNames = section(top, 'Commands').map((e) => e.split(/\s/)[0]);
  optionsByCommand.set('', optionsOf(top));
  for (const c of commandNames) if (c !== 'help') optionsByCommand.set(c, optionsOf(await help([c])));
});

/** What is wrong with `pace ARGS` by the CLI's help: an unknown command, option or choice, a missing value. */
function problemsOf(args: readonly string[]): string[] {
  const shown = `pace ${args.join(' ')}`;
  const command = args[0]?.startsWith('-') ? '' : args[0];
  if (command === undefined) return [`${shown}: no command`];
  if (command && !commandNames.includes(command)) return [`${shown}: no command '${command}' (the CLI has ${commandNames.join(', ')})`];
  const options = optionsByCommand.get(command)!;
  const problems: string[] = [];
  const rest = command ? args.slice(1) : args;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('-') || a === '-') continue;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const spec = options.find((o) => o.long === flag || o.short === flag);
    if (!spec) {
      problems.push(`${shown}: '${command || 'pace'}' has no option ${flag} (it has ${options.map((o) => o.long).join(', ')})`);
      continue;
    }
    if (!spec.takesValue) continue;
    const value = inline ?? rest[++i];
    if (value === undefined) problems.push(`${shown}: ${flag} needs a value`);
    else if (spec.choices && !spec.choices.includes(value)) problems.push(`${shown}: ${flag} ${value} is not one of ${spec.choices.join(', ')}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Every command line of the examples and of docs/ci.md

interface Fence {
  readonly line: number;
  readonly info: string;
  readonly text: string;
  /** The file named by a `<!-- file: F -->` comment on the line before the fence. */
  readonly copyOf?: string;
}

function fencesOf(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]);
    const copy = /^<!-- file: (\S+) -->$/.exec(lines[start - 1] ?? '');
    out.push({ line: start + 1, info: open[1].trim(), text: body.join('\n') + '\n', copyOf: copy?.[1] });
  }
  return out;
}

/** Shell scripts in a CI or pre-commit YAML: `run`, `script`, `before_script`, `after_script` and hooks' `entry` (with their `args`). */
function scriptsOfYaml(data: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      if (k === 'run' && typeof x === 'string') out.push(x);
      else if (/^(before_|after_)?script$/.test(k) && Array.isArray(x)) out.push(...x.map(String));
      else if (k === 'entry' && typeof x === 'string') out.push([x, ...((o.args as string[] | undefined) ?? [])].join(' '));
      else walk(x);
    }
  };
  walk(data);
  return out;
}

interface Site {
  readonly where: string;
  readonly commands: Command[];
}

function allSites(): Site[] {
  const sites: Site[] = Object.values(FILES).map((f) => ({ where: f, commands: scriptsOfYaml(yamlOf(read(f), f)).flatMap(commandsOf) }));
  const doc = read(DOC);
  for (const f of fencesOf(doc)) {
    const where = `${DOC}:${f.line}`;
    if (f.info === 'yaml') sites.push({ where, commands: scriptsOfYaml(yamlOf(f.text, where)).flatMap(commandsOf) });
    else sites.push({ where, commands: commandsOf(f.text) });
  }
  // Inline code in the prose and the tables.
  const prose = doc.replace(/^```[\s\S]*?^```/gm, '');
  for (const m of prose.matchAll(/`((?:npx )?pace [^`]+)`/g)) sites.push({ where: `${DOC} \`${m[1]}\``, commands: commandsOf(m[1]) });
  return sites;
}

describe('the example files', () => {
  it('parse as YAML, and docs/ci.md links them and includes verbatim copies that are current', () => {
    for (const f of Object.values(FILES)) expect(yamlOf(read(f), f)).toBeTruthy();
    const doc = read(DOC);
    for (const f of Object.values(FILES)) expect(doc, `${DOC} links ${f}`).toContain(`](${path.posix.relative('docs', f)})`);
    const copies = fencesOf(doc).filter((f) => f.copyOf);
    expect(copies.map((c) => c.copyOf).sort()).toEqual([FILES.github, FILES.gitlab, FILES.precommit].sort());
    for (const c of copies) expect(c.text, `${DOC}:${c.line} is a copy of ${c.copyOf}: update it`).toBe(read(c.copyOf!));
    // Its other relative links lead to files (docs/diff.md is checked with pace diff, below).
    for (const m of doc.matchAll(/\]\(([^)#:\s]+)(?:#[^)]*)?\)/g)) {
      if (m[1] === 'diff.md') continue;
      expect(existsSync(path.join(root, 'docs', m[1])), `${DOC} links ${m[1]}`).toBe(true);
    }
    expect(read('README.md')).toContain('](docs/ci.md)');
  });

  it('call Pace often, and the CLI has each command, option and choice they use (pace diff apart)', () => {
    const sites = allSites();
    const calls = sites.flatMap((s) => paceCalls(s.commands).map((c) => ({ where: s.where, args: c.args })));
    const used = new Set(calls.map((c) => c.args[0]));
    for (const c of ['check', 'fmt', 'generate', 'diff', '--version']) expect(used, `the examples use pace ${c}`).toContain(c);
    // Flags the brief of each CI step depends on.
    const lines = calls.map((c) => c.args.join(' '));
    for (const l of ['check --format github', 'check --format sarif', 'fmt --check', 'generate --check']) expect(lines).toContain(l);
    const problems = calls.filter((c) => c.args[0] !== 'diff').flatMap((c) => problemsOf(c.args).map((p) => `${c.where}: ${p}`));
    expect(problems).toEqual([]);
    // The checker is not vacuous.
    expect(problemsOf(['check', '--format', 'yaml'])).toEqual(['pace check --format yaml: --format yaml is not one of text, json, sarif, github']);
    expect(problemsOf(['fmt', '--fix'])[0]).toMatch(/'fmt' has no option --fix/);
    expect(problemsOf(['lint'])[0]).toMatch(/no command 'lint'/);
    expect(problemsOf(['generate', '--check', '--target'])).toEqual(['pace generate --check --target: --target needs a value']);
  });

  it('pace diff (built in parallel for issue 9) exists with the options the examples give it, and docs/diff.md describes it', () => {
    const calls = allSites().flatMap((s) => paceCalls(s.commands).filter((c) => c.args[0] === 'diff').map((c) => ({ where: s.where, args: c.args })));
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const c of calls) expect(c.args.slice(2), c.where).toEqual(expect.arrayContaining(['--format', 'markdown', '--fail-on', 'loosening']));
    expect(commandNames, 'pace diff is not registered in server/src/cli/main.ts yet: the CI examples call `pace diff BASE --format markdown --fail-on loosening`').toContain('diff');
    expect(calls.flatMap((c) => problemsOf(c.args).map((p) => `${c.where}: ${p}`))).toEqual([]);
    const fail = optionsByCommand.get('diff')!.find((o) => o.long === '--fail-on');
    expect(fail?.choices ?? ['loosening', 'any'], '--fail-on').toEqual(expect.arrayContaining(['loosening', 'any']));
    expect(existsSync(path.join(root, 'docs/diff.md')), 'docs/ci.md links docs/diff.md').toBe(true);
  });

  it('run only npm scripts that package.json has', () => {
    const runs = allSites().flatMap((s) => s.commands.filter((c) => c.argv[0] === 'npm' && c.argv[1] === 'run').map((c) => ({ where: s.where, script: c.argv[2] })));
    expect(runs.map((r) => r.script)).toContain('bundle');
    const scripts = Object.keys(pkg.scripts);
    expect(runs.filter((r) => !scripts.includes(r.script)).map((r) => `${r.where}: npm run ${r.script}`)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The GitHub workflow

interface Step {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}

describe('the GitHub Actions workflow', () => {
  const text = read(FILES.github);
  const workflow = yamlOf(text, FILES.github);
  const jobs = Object.entries(workflow.jobs as Record<string, { 'runs-on': string; steps: Step[]; permissions?: Record<string, string> }>);
  const steps = jobs.flatMap(([, j]) => j.steps);
  const paceSteps = (sub: string, ...flags: string[]) => steps.filter((s) => s.run && paceCalls(commandsOf(s.run)).some((c) => c.args[0] === sub && flags.every((f) => c.args.includes(f))));

  it("passes GitHub's workflow parser (@actions/workflow-parser), which rejects a broken one", async () => {
    // The parser imports its JSON schema without an import attribute: it is meant for bundlers.
    const out = path.join(tempDir(), 'workflow-parser.mjs');
    await esbuild.build({ entryPoints: ['@actions/workflow-parser'], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error', absWorkingDir: root });
    const parser = await import(pathToFileURL(out).href);
    const errorsOf = async (content: string) => {
      const r = parser.parseWorkflow({ name: 'pace.yml', content }, new parser.NoOperationTraceWriter());
      const template = await parser.convertWorkflowTemplate(r.context, r.value);
      return { parsed: r.context.errors.getErrors().map((e: Error) => e.message) as string[], template };
    };
    const { parsed, template } = await errorsOf(text);
    expect(parsed).toEqual([]);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.map((j: { id: { value: string } }) => j.id.value)).toEqual(jobs.map(([id]) => id));
    const bad = await errorsOf(text.replace('runs-on:', 'runs_on:').replace('uses: actions/setup-node@v4', 'usess: actions/setup-node@v4'));
    expect(bad.parsed.join('\n')).toMatch(/runs-on/);
    expect(bad.parsed.join('\n')).toMatch(/usess/);
  });

  it('is sane: triggers, jobs with steps that each run or use one thing, pinned actions, references to earlier steps only', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect(jobs.length).toBeGreaterThan(0);
    for (const [id, job] of jobs) {
      expect(job['runs-on'], id).toMatch(/^ubuntu-/);
      expect(job.steps.length, id).toBeGreaterThan(5);
      const seen = new Set<string>();
      for (const s of job.steps) {
        const what = s.name ?? s.uses ?? s.run;
        expect([!!s.run, !!s.uses], `${what}: exactly one of run and uses`).toContain(true);
        expect(!!s.run && !!s.uses, `${what}: exactly one of run and uses`).toBe(false);
        if (s.uses) expect(s.uses, `${what}: pinned to a major version`).toMatch(/^[\w-]+\/[\w./-]+@v\d+$/);
        const refs = [s.if ?? '', ...Object.values(s.env ?? {}), ...Object.values(s.with ?? {}).map(String)].join(' ');
        for (const m of refs.matchAll(/\bsteps\.([\w-]+)\./g)) expect(seen, `${what} refers to the step '${m[1]}' before it`).toContain(m[1]);
        if (s.id) seen.add(s.id);
        // Every variable a script reads is the runner's, the step's, or its own.
        if (s.run) {
          const known = new Set([...Object.keys(s.env ?? {}), ...variablesSet(s.run)]);
          const unknown = [...variablesRead(s.run)].filter((v) => !known.has(v) && !/^(GITHUB|RUNNER)_/.test(v));
          expect(unknown, `${what}: variables read`).toEqual([]);
          expect(s.run, `${what}: no expression pasted into a script`).not.toMatch(/\$\{\{/);
        }
      }
    }
    // Node as package.json asks.
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(Number(node?.with?.['node-version'])).toBeGreaterThanOrEqual(Number(/\d+/.exec(pkg.engines.node)![0]));
  });

  it("uploads to code scanning the SARIF file that the check step writes, after it, with the permission to", () => {
    const [sarifStep] = paceSteps('check', '--format', 'sarif');
    const written = paceCalls(commandsOf(sarifStep.run!)).find((c) => c.args.includes('sarif'))!.redirect;
    expect(written).toBe('pace.sarif');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.sarif_file).toBe(written);
    expect(steps.indexOf(upload!)).toBeGreaterThan(steps.indexOf(sarifStep));
    expect(upload?.if).toContain(`hashFiles('${written}')`);
    expect(jobs[0][1].permissions?.['security-events']).toBe('write');
    // The gate with annotations is a separate step that fails on errors.
    expect(paceSteps('check', '--format', 'github')).toHaveLength(1);
  });

  it('posts the diff against the base branch that git can read, and gates on its exit code', () => {
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout@') && !s.with?.repository)?.with?.['fetch-depth']).toBe(0);
    const [diff] = paceSteps('diff');
    expect(diff.env?.BASE_REF).toBe('${{ github.base_ref }}');
    const call = paceCalls(commandsOf(diff.run!)).find((c) => c.args[0] === 'diff')!;
    expect(call.args).toEqual(['diff', 'origin/$BASE_REF', '--format', 'markdown', '--fail-on', 'loosening']);
    expect(diff.run).toContain('>> "$GITHUB_OUTPUT"');
    const comment = steps.find((s) => s.uses?.startsWith('actions/github-script@'));
    expect(String(comment?.with?.script)).toContain(`readFileSync('${call.redirect}'`);
    expect(comment?.if).toContain(`steps.${diff.id}.outputs.status`);
    expect(jobs[0][1].permissions?.['pull-requests']).toBe('write');
    const gate = steps.at(-1)!;
    expect(gate.if).toContain(`steps.${diff.id}.outputs.status != '0'`);
    expect(gate.run).toContain('exit "$STATUS"');
  });
});

// ---------------------------------------------------------------------------------------------
// Running the examples against a copy of samples/

/** `pace` on the PATH: the binary npm links (server/out/cli.cjs, built by `node esbuild.mjs`). */
const bin = path.join(root, 'node_modules/.bin');
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' } as Record<string, string>;
delete env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME;
delete env.FORCE_COLOR;

let template: string | undefined;
/** A copy of the sample project (its .pace files and pace.yaml), with its generated/ folder written (once). */
function sampleProject(): string {
  if (!template) {
    template = tempDir();
    for (const f of readdirSync(path.join(root, 'samples'))) if (f.endsWith('.pace') || f === 'pace.yaml') cpSync(path.join(root, 'samples', f), path.join(template, f));
    const r = spawnSync('pace', ['generate'], { cwd: template, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  const dir = tempDir();
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** Edits a copy of samples/storefront.pace; each edit must apply. */
function edit(dir: string, ...changes: [string, string][]) {
  const file = path.join(dir, 'storefront.pace');
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of changes) {
    expect(text, `samples/storefront.pace has ${JSON.stringify(from)}`).toContain(from);
    text = text.replace(from, to);
  }
  writeFileSync(file, text);
}
const MISFORMAT: [string, string] = ['    objective = 99.9%\n', '    objective =    99.9%\n'];
// A lower objective: the project stays clean, its generated thresholds change.
const DRIFT: [string, string] = ['objective = 99.9%', 'objective = 99.8%'];
const UNRESOLVED: [string, string] = ['sli       = availability', 'sli       = availabilty'];

/** Runs a script as GitHub's `run` does on Linux (`bash --noprofile --norc -eo pipefail`). */
const bash = (script: string, cwd: string, extraEnv: Record<string, string> = {}) =>
  spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8' });

function checkSarif(file: string, expectResultsIn?: string) {
  const log = JSON.parse(readFileSync(file, 'utf8'));
  expect(log.version).toBe('2.1.0');
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0];
  expect(run.tool.driver.name).toBe('pace');
  expect(Array.isArray(run.results)).toBe(true);
  if (expectResultsIn) {
    expect(run.results.length).toBeGreaterThan(0);
    for (const r of run.results) {
      expect(r.message.text.length).toBeGreaterThan(0);
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      const loc = r.locations[0].physicalLocation;
      // Relative to the top of the repository, where the job runs: what code scanning needs.
      expect(loc.artifactLocation.uri).toBe(expectResultsIn);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
    }
  } else expect(run.results).toEqual([]);
  const schema = JSON.parse(read('node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
  const ajv = new AjvDraft4({ allErrors: true, strict: false, unicodeRegExp: false, logger: false });
  addFormats(ajv as unknown as Parameters<typeof addFormats>[0]);
  const validate = ajv.compile(schema);
  expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  return run.results as { ruleId: string }[];
}

describe('the examples run against a copy of samples/ (the built binary, in bash)', () => {
  beforeAll(() => {
    expect(existsSync(path.join(bin, 'pace')), 'node_modules/.bin/pace: run npm install, then node esbuild.mjs').toBe(true);
  });
  const workflow = yamlOf(read(FILES.github), FILES.github);
  const steps = (Object.values(workflow.jobs) as { steps: Step[] }[]).flatMap((j) => j.steps);
  /** The workflow's steps that run check, fmt or generate (the install and the diff need a network and a PR). */
  const checkSteps = steps.filter((s) => s.run && paceCalls(commandsOf(s.run)).some((c) => ['check', 'fmt', 'generate'].includes(c.args[0])));
  const runAll = (dir: string) => Object.fromEntries(checkSteps.map((s) => [s.name!, bash(s.run!, dir)]));

  it('GitHub: every check step passes on the clean project, and the SARIF log has no results', () => {
    expect(checkSteps.map((s) => s.name)).toEqual(['pace check', 'pace check (SARIF)', 'pace fmt --check', 'pace generate --check']);
    const dir = sampleProject();
    const r = runAll(dir);
    expect(Object.entries(r).map(([n, x]) => [n, x.status])).toEqual(checkSteps.map((s) => [s.name, 0]));
    // Nothing to say but generate's notes (what a target leaves out), on stderr.
    expect(Object.values(r).flatMap((x) => x.stderr.split('\n').filter((l) => l && !l.startsWith('note: ')))).toEqual([]);
    checkSarif(path.join(dir, 'pace.sarif'));
  }, 60_000);

  it('GitHub: a misformatted line and a changed objective fail fmt and generate; an unresolved reference fails the check, not the SARIF step', () => {
    const dir = sampleProject();
    edit(dir, MISFORMAT, DRIFT);
    let r = runAll(dir);
    expect(r['pace check'].status).toBe(0);
    expect(r['pace fmt --check']).toMatchObject({ status: 1, stdout: 'storefront.pace\n' });
    expect(r['pace generate --check'].status).toBe(1);
    expect(r['pace generate --check'].stdout).toMatch(/^differs: generated\/prometheus\/checkout\.rules\.yml$/m);

    edit(dir, UNRESOLVED);
    r = runAll(dir);
    expect(r['pace check'].status).toBe(1);
    expect(r['pace check'].stdout).toMatch(/^::error file=storefront\.pace,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=link\/unresolved-reference::/m);
    expect(r['pace check (SARIF)']).toMatchObject({ status: 0, stderr: '' });
    expect(checkSarif(path.join(dir, 'pace.sarif'), 'storefront.pace').map((x) => x.ruleId)).toContain('link/unresolved-reference');
    // A project with errors generates nothing, so generate --check fails too.
    expect(r['pace generate --check'].status).toBe(1);
    // An error in pace.yaml is an exit 2, which the SARIF step does not accept: it fails, and
    // still leaves its report.
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: 7\n');
    rmSync(path.join(dir, 'pace.sarif'));
    expect(spawnSync('pace', ['check', '--format', 'sarif'], { cwd: dir, env }).status).toBe(2);
    const broken = bash(checkSteps[1].run!, dir);
    expect(broken.status).not.toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'pace.sarif'), 'utf8')).runs[0].results.length).toBeGreaterThan(0);
  }, 60_000);

  it('GitLab: the job script passes on the clean project and fails on a broken one, leaving pace.sarif for the artifacts', () => {
    const job = yamlOf(read(FILES.gitlab), FILES.gitlab).pace;
    expect(job.image).toMatch(/^node:(\d+)$/);
    expect(Number(/\d+/.exec(job.image)![0])).toBeGreaterThanOrEqual(20);
    const script = (job.script as string[]).join('\n');
    const written = paceCalls(commandsOf(script)).map((c) => c.redirect).filter(Boolean);
    expect(written).toEqual(['pace.sarif', 'pace-diff.md']);
    expect(job.artifacts).toMatchObject({ when: 'always', paths: written });
    const all = [...job.before_script, ...job.script].join('\n');
    const unknown = [...variablesRead(all)].filter((v) => !(v in job.variables) && !variablesSet(all).has(v) && !/^CI_/.test(v));
    expect(unknown).toEqual([]);

    // GitLab runs the lines of `script` in one shell, stopping at the first that fails; outside a
    // merge request the diff is skipped.
    const dir = sampleProject();
    const clean = bash(script, dir);
    expect(clean.status, clean.stderr).toBe(0);
    checkSarif(path.join(dir, 'pace.sarif'));
    expect(existsSync(path.join(dir, 'pace-diff.md'))).toBe(false);
    edit(dir, UNRESOLVED);
    const broken = bash(script, dir);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^storefront\.pace:\d+:\d+ error link\/unresolved-reference /m);
    checkSarif(path.join(dir, 'pace.sarif'), 'storefront.pace');
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// pre-commit

/** The keys of a hook in a pre-commit manifest (pre-commit 3's MANIFEST_HOOK_DICT). */
const HOOK_KEYS = new Set(['id', 'name', 'entry', 'language', 'alias', 'files', 'exclude', 'types', 'types_or', 'exclude_types', 'additional_dependencies', 'args', 'always_run', 'fail_fast', 'pass_filenames', 'description', 'language_version', 'log_file', 'minimum_pre_commit_version', 'require_serial', 'stages', 'verbose']);

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files?: string;
  pass_filenames?: boolean;
}

describe('pre-commit', () => {
  const hooks = yamlOf(read(FILES.hooks), FILES.hooks) as Hook[];
  const config = yamlOf(read(FILES.precommit), FILES.precommit);
  const byId = new Map(hooks.map((h) => [h.id, h]));

  it('.pre-commit-hooks.yaml is a list of valid hooks, and the example configuration uses only those', () => {
    expect(Array.isArray(hooks)).toBe(true);
    expect(hooks.map((h) => h.id)).toEqual(['pace-fmt', 'pace-fmt-check', 'pace-check', 'pace-generate-check']);
    for (const h of hooks) {
      expect(Object.keys(h).filter((k) => !HOOK_KEYS.has(k)), h.id).toEqual([]);
      for (const k of ['id', 'name', 'entry', 'language'] as const) expect(typeof h[k], `${h.id}.${k}`).toBe('string');
      expect(h.language).toBe('system');
    }
    const used = (config.repos as { repo: string; rev?: string; hooks: { id: string }[] }[]).flatMap((r) => {
      expect(r.rev, r.repo).toMatch(/^v\d+\.\d+\.\d+$/);
      return r.hooks.map((h) => h.id);
    });
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((id) => !byId.has(id))).toEqual([]);
    // docs/ci.md's local hooks are the same commands as the manifest's.
    const local = fencesOf(read(DOC)).find((f) => f.info === 'yaml' && !f.copyOf && f.text.includes('repo: local'));
    const localHooks = yamlOf(local!.text, 'local hooks').repos[0].hooks as Hook[];
    for (const h of localHooks) expect(h, h.id).toMatchObject({ entry: byId.get(h.id)?.entry, files: byId.get(h.id)?.files, language: 'system' });
  });

  it('the hooks fire on the right files (files: is a Python regex; these are the same in JavaScript)', () => {
    const fires = (id: string, file: string) => new RegExp(byId.get(id)!.files!).test(file);
    for (const id of ['pace-fmt', 'pace-fmt-check']) {
      expect(fires(id, 'slo/checkout.pace')).toBe(true);
      expect(fires(id, 'pace.yaml')).toBe(false);
    }
    for (const id of ['pace-check', 'pace-generate-check']) {
      expect(['checkout.pace', 'pace.yaml', 'slo/pace.yaml'].map((f) => fires(id, f))).toEqual([true, true, true]);
      expect(['space.yaml', 'notes.md', 'generated/prometheus/checkout.rules.yml'].map((f) => fires(id, f))).toEqual([false, false, false]);
      expect(byId.get(id)!.pass_filenames).toBe(false);
    }
  });

  it('each hook, run as pre-commit runs it, passes on the clean project and catches what it is for', () => {
    const dir = sampleProject();
    const files = readdirSync(dir).filter((f) => f.endsWith('.pace')).sort();
    const runHook = (id: string) => {
      const h = byId.get(id)!;
      const [cmd, ...args] = commandsOf(h.entry)[0].argv;
      return spawnSync(cmd, [...args, ...(h.pass_filenames === false ? [] : files.filter((f) => new RegExp(h.files!).test(f)))], { cwd: dir, env, encoding: 'utf8' });
    };
    const original = readFileSync(path.join(dir, 'storefront.pace'), 'utf8');
    expect(hooks.map((h) => [h.id, runHook(h.id).status])).toEqual(hooks.map((h) => [h.id, 0]));
    expect(readFileSync(path.join(dir, 'storefront.pace'), 'utf8')).toBe(original);

    edit(dir, MISFORMAT);
    expect(runHook('pace-fmt-check')).toMatchObject({ status: 1, stdout: 'storefront.pace\n' });
    expect(runHook('pace-fmt').stdout).toBe('formatted storefront.pace\n');
    expect(readFileSync(path.join(dir, 'storefront.pace'), 'utf8')).toBe(original);

    edit(dir, DRIFT);
    expect(runHook('pace-check').status).toBe(0);
    expect(runHook('pace-generate-check').status).toBe(1);
    edit(dir, UNRESOLVED);
    expect(runHook('pace-check').status).toBe(1);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// The diff steps, in a repository with a base branch

describe('the diff steps run in a git repository whose pull request lowers an objective', () => {
  const gitEnv = { ...env, GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };
  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });
    expect(r.status, `git ${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  /** A remote with the sample project on `main`, and a clone of it on a branch that changes storefront.pace (and regenerates). */
  function pullRequest(...changes: [string, string][]): { origin: string; work: string } {
    const origin = path.join(tempDir(), 'origin.git');
    git(tmpdir(), 'init', '-q', '--bare', '-b', 'main', origin);
    const work = sampleProject();
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'add', '.');
    git(work, 'commit', '-q', '-m', 'base');
    git(work, 'remote', 'add', 'origin', pathToFileURL(origin).href);
    git(work, 'push', '-q', 'origin', 'main');
    git(work, 'checkout', '-q', '-b', 'change');
    if (changes.length) edit(work, ...changes);
    expect(spawnSync('pace', ['generate'], { cwd: work, env }).status).toBe(0);
    git(work, 'add', '.');
    git(work, 'commit', '-q', '--allow-empty', '-m', 'change');
    return { origin, work };
  }
  const workflow = yamlOf(read(FILES.github), FILES.github);
  const steps = (Object.values(workflow.jobs) as { steps: Step[] }[]).flatMap((j) => j.steps);
  const diffStep = steps.find((s) => s.id === 'diff')!;
  const gate = steps.at(-1)!;

  it('GitHub: the diff step writes Markdown and status=1, the gate fails; with no change, status=0', () => {
    expect(commandNames, 'pace diff is not registered yet').toContain('diff');
    for (const [changes, status] of [[[DRIFT], '1'], [[], '0']] as const) {
      const { work } = pullRequest(...changes);
      git(work, 'fetch', '-q', 'origin'); // what checkout's fetch-depth: 0 leaves: origin/main
      const output = path.join(work, '.github-output');
      writeFileSync(output, '');
      const r = bash(diffStep.run!, work, { BASE_REF: 'main', GITHUB_OUTPUT: output });
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(output, 'utf8')).toBe(`status=${status}\n`);
      const markdown = readFileSync(path.join(work, 'pace-diff.md'), 'utf8');
      if (status === '1') expect(markdown).toMatch(/99\.9% → 99\.8%/);
      expect(bash(gate.run!, work, { STATUS: status }).status).toBe(Number(status));
    }
  }, 60_000);

  it('GitLab: in a merge request the job fetches the target branch, writes pace-diff.md and ends with the diff gate', () => {
    const job = yamlOf(read(FILES.gitlab), FILES.gitlab).pace;
    expect(commandNames, 'pace diff is not registered yet').toContain('diff');
    const script = (job.script as string[]).join('\n');
    for (const [changes, status] of [[[DRIFT], 1], [[], 0]] as const) {
      const { work } = pullRequest(...changes);
      const r = bash(script, work, { CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' });
      expect(r.status, r.stderr).toBe(status);
      // The other gates passed (regenerated, formatted, clean): the exit code is the diff's.
      expect(r.stdout).toMatch(/^✔ 0 errors, 0 warnings in \d+ files checked$/m);
      expect(r.stdout).not.toMatch(/^differs:/m);
      const markdown = readFileSync(path.join(work, 'pace-diff.md'), 'utf8');
      if (status) expect(markdown).toMatch(/99\.9% → 99\.8%/);
      checkSarif(path.join(work, 'pace.sarif'));
    }
  }, 90_000);
});
