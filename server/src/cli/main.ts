// The `pace` command line. Only this folder knows argv, exit codes and terminal formatting.
// Exit codes: 0 clean, 1 errors found (or too many warnings, or files to format), 2 usage, config or IO error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import pkg from '../../../package.json';
import type { Diagnostic } from '../core/index.js';
import { format as formatText } from '../core/index.js';
import { findConfigDir, loadWorkspace, projectRootFor, readProject, toPath, toUri, writeFileAtomic, CONFIG_FILE } from '../node/project.js';
import { plural, render, type Format, type ReportFile } from './report.js';
import { INIT_CONFIG, INIT_EXAMPLE } from './init-templates.js';
import { previewCommand, type PreviewOptions } from './preview.js';
import { generateCommand, type GenerateOptions } from './generate.js';
import { importCommand, type ImportOptions } from './import.js';
import { diffCommand, type DiffCliOptions } from './diff.js';
import { reportCommand, type ReportOptions } from './report-command.js';

export interface CliIO {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colours). */
  readonly isTTY: boolean;
  /** Whether stderr is a terminal (progress of long loads). */
  readonly stderrIsTTY?: boolean;
}

class UsageError extends Error {}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code = 0;
  const program = new Command('pace')
    .description('Pace — performance as code: check, format and compile SLO definitions.')
    .version(pkg.version, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true);

  program
    .command('check')
    .description('Check a Pace project (or files) and report every problem.')
    .argument('[paths...]', 'project folders or .pace files', [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'github']).default('text'))
    .option('--max-warnings <n>', 'fail when there are more warnings than this', parseCount)
    .option('--emit-model', 'print the normalized model as JSON (only when there are no errors)')
    .option('--no-color', 'never colour the output')
    .action((paths: string[], opts: { format: Format; maxWarnings?: number; emitModel?: boolean; color: boolean }) => {
      code = check(paths, opts, io);
    });

  program
    .command('fmt')
    .description('Format .pace files in the canonical layout.')
    .argument('[paths...]', 'project folders or .pace files', [])
    .option('--check', 'do not write; list the files that would change and exit 1 if any')
    .action((paths: string[], opts: { check?: boolean }) => {
      code = fmt(paths, !!opts.check, io);
    });

  program
    .command('init')
    .description('Create pace.yaml and an example .pace file that checks clean.')
    .argument('[dir]', 'folder of the new project', '.')
    .action((dir: string) => {
      code = init(dir, io);
    });

  program
    .command('preview')
    .description('Preview SLOs, SLAs and KPIs on sample data: attainment, budget left, burn rates, alerts fired.')
    .argument('[paths...]', 'the project folder (or a .pace file in it)', [])
    .option('--data <files...>', "sample data files (default: pace.yaml's data: globs)")
    .option('--at <time>', 'the instant of the figures, RFC 3339 or Unix seconds (default: the last sample)')
    .option('--prometheus <url>', 'compute the figures with a Prometheus-compatible API (Prometheus, Thanos, Mimir, VictoriaMetrics) instead of sample files; --at defaults to now')
    .option('--what-if <spec>', "inject failures and show them beside the baseline, propagated through depends_on: 'outage SERVICE DURATION at TIME' or 'errors SERVICE PERCENT DURATION at TIME' (repeatable: one scenario each)", (v: string, prev?: string[]) => [...(prev ?? []), v])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown', 'html']).default('text'))
    .option('-o, --out <file>', 'write to a file (atomically) instead of stdout')
    .option('--no-color', 'never colour the output')
    .action(async (paths: string[], opts: PreviewOptions) => {
      code = await previewCommand(paths, opts, io, { roots: (p) => targets(p, io.cwd).map((t) => t.root), display: (f) => display(f, io.cwd), usage: (m) => new UsageError(m) });
    });

  program
    .command('report')
    .description('The periodic service review: SLA attainment and credits, SLO budgets, KPIs, alerts fired and the worst hours of a period, from sample data.')
    .argument('[paths...]', 'the project folder (or a .pace file in it)', [])
    .option('--data <files...>', "sample data files (default: pace.yaml's data: globs)")
    .option('--period <period>', 'the period, in UTC: 2026-10 (a month), 2026-Q4, 2026-W43, 2026-10-05 or 2026 (default: the whole data)')
    .option('--from <time>', 'the start of the period, RFC 3339 or Unix seconds (instead of --period)')
    .option('--to <time>', 'the end of the period (excluded), RFC 3339 or Unix seconds (instead of --period)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['markdown', 'html']).default('markdown'))
    .option('-o, --out <file>', 'write to a file (atomically) instead of stdout')
    .action(async (paths: string[], opts: ReportOptions) => {
      code = await reportCommand(paths, opts, io, { roots: (p) => targets(p, io.cwd).map((t) => t.root), display: (f) => display(f, io.cwd), usage: (m) => new UsageError(m) });
    });

  program
    .command('generate')
    .description('Generate monitoring configuration (Prometheus rules and their promtool tests) from the project.')
    .argument('[paths...]', 'the project folder (or a .pace file in it)', [])
    .option('-t, --target <target>', "a target to generate (repeatable; default: pace.yaml's generate.targets, else every target)", (v: string, prev?: string[]) => [...(prev ?? []), v])
    .option('-o, --out <dir>', "the output folder, one sub-folder per target (default: pace.yaml's generate.out, else generated/)")
    .option('--check', 'write nothing; list the files that differ and exit 1 if any (drift)')
    .option('--force', 'overwrite files that were not generated by Pace')
    .option('--format <format>', "the layout of the prometheus target's rule files: prometheus, prometheus-operator or mimir (default: pace.yaml's generate.targets.prometheus.format, else prometheus)")
    .option('--compat <mode>', "sloth: write the prometheus target exactly as Sloth v0.16 writes it (default: pace.yaml's generate.targets.prometheus.compat)")
    .option('--sloth-version <version>', "with --compat sloth, the version the files name (default: pace.yaml's generate.targets.prometheus.sloth_version, else pace-<version>)")
    .option('--verbose', 'print every note on a line of its own (by default, notes that say the same of several declarations are grouped)')
    .action((paths: string[], opts: GenerateOptions) => {
      code = generateCommand(paths, opts, io, { roots: (p) => targets(p, io.cwd).map((t) => t.root), display: (f) => display(f, io.cwd), usage: (m) => new UsageError(m) });
    });

  program
    .command('import')
    .description('Import OpenSLO or Sloth YAML into a Pace project (formatted .pace files that check clean).')
    .argument('<format>', 'openslo (v1, v1alpha) or sloth (prometheus/v1 and its Kubernetes PrometheusServiceLevel)')
    .argument('<files...>', 'the YAML files to import (multi-document files are read whole)')
    .option('-o, --out <dir>', 'the folder to write the project into (default: the working folder)')
    .option('--force', 'overwrite existing files')
    .action((format: string, files: string[], opts: ImportOptions) => {
      code = importCommand(format, files, opts, io, { display: (f) => display(f, io.cwd), usage: (m) => new UsageError(m) });
    });

  program
    .command('diff')
    .description('Compare two revisions of the project (git revisions or folders; HEAD defaults to the working tree): what was added, removed, renamed or changed, each change tightening, loosening or neutral.')
    .argument('<base>', 'a git revision (main, HEAD~1, a commit) or a folder')
    .argument('[head]', 'a git revision or a folder (default: the working tree)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .addOption(new Option('--fail-on <class>', 'exit 1 when a change of this class is found: loosening, or any change').choices(['loosening', 'any']))
    .option('--project <dir>', "the project folder inside the repository (default: the working folder's project)")
    .option('--no-color', 'never colour the output')
    .action(async (base: string, head: string | undefined, opts: DiffCliOptions) => {
      code = await diffCommand(base, head, opts, io, { display: (f) => display(f, io.cwd), usage: (m) => new UsageError(m) });
    });

  program
    .command('lsp')
    .description('Run the Pace language server.')
    .option('--stdio', 'talk over stdin/stdout (the default)')
    .action(async () => {
      const { startServer } = await import('../lsp/server.js');
      startServer('stdio');
      code = await new Promise<number>(() => {});
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    if (e instanceof UsageError) {
      io.stderr(`pace: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code && err.path) {
      io.stderr(`pace: ${ioErrorText({ code: err.code, path: err.path }, io.cwd)}\n`);
      return 2;
    }
    throw e;
  }
}

/** What the system said of a path, in words: `permission denied: sub/b.pace` (the code when it has no words here). */
export function ioErrorText(err: { readonly code?: string; readonly path: string }, cwd: string): string {
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a folder, not a file',
    ENOTDIR: 'not a folder',
    ELOOP: 'too many levels of symbolic links',
    ENAMETOOLONG: 'file name too long',
    EMFILE: 'too many open files',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
  };
  return `${(err.code && words[err.code]) ?? err.code}: ${path.relative(cwd, err.path) || err.path}`;
}

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

interface Target {
  root: string;
  /** Specific files asked for; undefined means the whole project. */
  only?: Set<string>;
}

/** Groups the paths into projects: a folder is a project; a file belongs to the nearest pace.yaml above it. */
function targets(paths: string[], cwd: string): Target[] {
  const out = new Map<string, Target>();
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(cwd, p);
    if (!fs.existsSync(abs)) throw new UsageError(`no such file or directory: ${p}`);
    if (fs.statSync(abs).isDirectory()) {
      const root = projectRootFor(abs);
      if (root === abs) {
        out.set(abs, { root: abs });
        continue;
      }
      // A folder inside a larger project: check the project, report the folder's files.
      const t = out.get(root) ?? { root, only: new Set<string>() };
      const prefix = abs + path.sep;
      for (const f of readProject(root).files) if (f.startsWith(prefix)) t.only?.add(f);
      out.set(root, t);
      continue;
    }
    if (!abs.endsWith('.pace')) throw new UsageError(`not a .pace file: ${p}`);
    const root = findConfigDir(path.dirname(abs)) ?? path.dirname(abs);
    const t = out.get(root) ?? { root, only: new Set<string>() };
    t.only?.add(abs);
    out.set(root, t);
  }
  return [...out.values()];
}

/** A path as shown to the user: relative to the working directory, with '/' ('.' for the directory itself). */
const display = (file: string, cwd: string) => (path.relative(cwd, file) || '.').split(path.sep).join('/');

function check(paths: string[], opts: { format: Format; maxWarnings?: number; emitModel?: boolean; color: boolean }, io: CliIO): number {
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, ReportFile>();
  let fileCount = 0;
  let configError = false;
  let maxWarnings = opts.maxWarnings;
  const models: unknown[] = [];
  for (const t of targets(paths, io.cwd)) {
    const project = readProject(t.root);
    if (project.configDiagnostics.length) configError = true;
    if (project.configPath) files.set(toUri(project.configPath), { display: display(project.configPath, io.cwd), uri: toUri(project.configPath), text: fs.readFileSync(project.configPath, 'utf8') });
    maxWarnings ??= project.config.check.max_warnings;
    const ws = loadWorkspace(project, t.only ? [...t.only] : []);
    const analysis = ws.analyze();
    const wanted = t.only ? new Set([...t.only].map(toUri)) : undefined;
    for (const [uri, f] of analysis.files) {
      // Every file of the project is known to the report, so that a note in a file that was not
      // asked for still shows its path and position; only the files asked for are counted.
      files.set(uri, { display: display(toPath(uri), io.cwd), uri, text: f.text });
      if (!wanted || wanted.has(uri)) fileCount++;
    }
    diagnostics.push(...analysis.diagnostics.filter((d) => !wanted || wanted.has(d.uri) || d.source === 'config'));
    if (opts.emitModel) models.push(analysis.normalized().model);
  }
  const color = opts.color && io.isTTY && !('NO_COLOR' in io.env && io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') && opts.format === 'text';
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  if (opts.emitModel) {
    if (errors) {
      io.stderr(render('text', { diagnostics, files, fileCount, color, toolVersion: pkg.version }));
      io.stderr('pace: the model is printed only for a project without errors\n');
      return configError ? 2 : 1;
    }
    io.stdout(JSON.stringify(models.length === 1 ? models[0] : models, null, 2) + '\n');
    return 0;
  }
  io.stdout(render(opts.format, { diagnostics, files, fileCount, color, toolVersion: pkg.version }));
  if (configError) return 2;
  if (errors) return 1;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    if (opts.format === 'text') io.stderr(`pace: ${plural(warnings, 'warning')}, more than the maximum of ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

function fmt(paths: string[], checkOnly: boolean, io: CliIO): number {
  const list: string[] = [];
  for (const t of targets(paths, io.cwd)) list.push(...(t.only ? [...t.only] : readProject(t.root).files));
  let changed = 0;
  let broken = 0;
  for (const file of [...new Set(list)].sort()) {
    const text = fs.readFileSync(file, 'utf8');
    const r = formatText(text);
    const shown = display(file, io.cwd);
    if (r.skipped) {
      broken++;
      io.stderr(`${shown}: not formatted: ${r.skipped}\n`);
      continue;
    }
    if (!r.changed) continue;
    changed++;
    if (checkOnly) io.stdout(`${shown}\n`);
    else {
      writeFileAtomic(file, r.text);
      io.stdout(`formatted ${shown}\n`);
    }
  }
  if (checkOnly && changed) io.stderr(`pace: ${plural(changed, 'file')} would be reformatted\n`);
  return broken || (checkOnly && changed) ? 1 : 0;
}

/** A path as one word of a shell command line: quoted when it holds anything but safe characters. */
const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function init(dir: string, io: CliIO): number {
  const root = path.resolve(io.cwd, dir);
  const configPath = path.join(root, CONFIG_FILE);
  const examplePath = path.join(root, 'services.pace');
  for (const p of [configPath, examplePath]) if (fs.existsSync(p)) throw new UsageError(`${display(p, io.cwd)} already exists; nothing was written`);
  fs.mkdirSync(root, { recursive: true });
  writeFileAtomic(configPath, INIT_CONFIG);
  writeFileAtomic(examplePath, INIT_EXAMPLE);
  // Every path relative to the working directory, as `pace check` shows them.
  const shownRoot = display(root, io.cwd);
  io.stdout(`created ${display(configPath, io.cwd)}\ncreated ${display(examplePath, io.cwd)}\nnext: pace check${shownRoot === '.' ? '' : ` ${shellWord(shownRoot)}`}\n`);
  return 0;
}
