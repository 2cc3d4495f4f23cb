// Host side (Node): a project as it is at a git revision, read with the real `git` binary and no
// checkout — one `git ls-tree -r` for the names, one `git cat-file --batch` for the texts of the
// project's .pace files and pace.yaml — or as it is in a folder. Each side gets a Workspace of its
// own (the core's incremental parse keeps per-workspace state, so two sides never share trees).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG, parseConfig, Workspace, type Diagnostic, type ProjectConfig } from '../core/index.js';
import { CONFIG_FILE, loadWorkspace, projectMatcher, projectRootFor, readProject, toUri } from './project.js';

/** A problem with a side that the user can fix (a revision that does not exist, no git repository). */
export class SideError extends Error {}

export interface ProjectSide {
  /** As written (`main`, `HEAD~1`, `../old`), or `working tree`. */
  readonly label: string;
  readonly kind: 'git' | 'folder';
  /** The commit of a git side. */
  readonly commit?: string;
  /** The project's root: the folder, or where the project lies in the repository's working tree. */
  readonly root: string;
  readonly configUri?: string;
  readonly configDiagnostics: Diagnostic[];
  /** uri → text of every file of the side (pace.yaml included), for reports. */
  readonly texts: Map<string, string>;
  /** How a file of this side is shown: `HEAD~1:samples/payments.pace`, or a path. */
  readonly display: (uri: string) => string;
  readonly workspace: Workspace;
  readonly config: ProjectConfig;
}

const MAX_BUFFER = 1 << 30;

function git(args: string[], cwd: string, input?: Buffer | string): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: MAX_BUFFER, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
  if (r.error) throw new SideError(`cannot run git: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** The top of the git working tree that holds `dir`, or undefined outside any repository. */
export function gitTopLevel(dir: string): string | undefined {
  const r = git(['rev-parse', '--show-toplevel'], dir);
  return r.status === 0 ? fs.realpathSync(r.stdout.toString('utf8').trim()) : undefined;
}

/** The commit a revision names, or undefined when it names none. */
export function resolveCommit(top: string, rev: string): string | undefined {
  if (rev.startsWith('-')) return undefined;
  const r = git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], top);
  return r.status === 0 ? r.stdout.toString('utf8').trim() : undefined;
}

interface TreeEntry {
  readonly path: string;
  readonly object: string;
}

/** The blobs under `prefix` (repository-relative, '' for all) at a commit: one `git ls-tree -r -z`. */
function listTree(top: string, commit: string, prefix: string): TreeEntry[] {
  const r = git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...(prefix ? [prefix] : [])], top);
  if (r.status !== 0) throw new SideError(`git ls-tree failed: ${r.stderr.trim()}`);
  const out: TreeEntry[] = [];
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [mode, type, object] = entry.slice(0, tab).split(' ');
    // Regular files only: a symlink's blob is its target's name, a submodule is a commit.
    if (type === 'blob' && (mode === '100644' || mode === '100755')) out.push({ path: entry.slice(tab + 1), object });
  }
  return out;
}

/** The contents of blobs, in order: one `git cat-file --batch`. */
function readBlobs(top: string, objects: readonly string[]): string[] {
  if (!objects.length) return [];
  const r = git(['cat-file', '--batch'], top, objects.join('\n') + '\n');
  if (r.status !== 0) throw new SideError(`git cat-file failed: ${r.stderr.trim()}`);
  const buf = r.stdout;
  const out: string[] = [];
  let at = 0;
  for (const object of objects) {
    const nl = buf.indexOf(10, at);
    const header = buf.toString('utf8', at, nl).split(' ');
    if (header[0] !== object || header[1] !== 'blob') throw new SideError(`git cat-file: unexpected answer for ${object}: ${header.join(' ')}`);
    const size = Number(header[2]);
    out.push(buf.toString('utf8', nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return out;
}

const posix = (p: string) => p.split(path.sep).join('/');

function fromFolder(label: string, root: string, display: (file: string) => string): ProjectSide {
  const project = readProject(root);
  const workspace = loadWorkspace(project);
  const texts = new Map<string, string>();
  if (project.configPath) texts.set(toUri(project.configPath), fs.readFileSync(project.configPath, 'utf8'));
  const byUri = new Map<string, string>();
  for (const f of project.files) byUri.set(toUri(f), f);
  if (project.configPath) byUri.set(toUri(project.configPath), project.configPath);
  return {
    label,
    kind: 'folder',
    root,
    configUri: project.configPath ? toUri(project.configPath) : undefined,
    configDiagnostics: [...project.configDiagnostics],
    texts,
    display: (uri) => display(byUri.get(uri) ?? uri),
    workspace,
    config: project.config,
  };
}

export interface ReadSideOptions {
  readonly cwd: string;
  /** The project folder (default: the working folder's project). */
  readonly project?: string;
  /** A path as shown to the user. */
  readonly display: (file: string) => string;
}

/**
 * One side of a diff. `spec` undefined is the working tree; a spec that names an existing folder is
 * that folder (its own project); anything else is a git revision, read at the project's place in the
 * repository (the working folder's project, or --project).
 */
export function readSide(spec: string | undefined, opts: ReadSideOptions): ProjectSide {
  const projectDir = path.resolve(opts.cwd, opts.project ?? '.');
  if (spec === undefined) {
    if (!fs.existsSync(projectDir)) throw new SideError(`no such folder: ${opts.display(projectDir)}`);
    return fromFolder('working tree', projectRootFor(projectDir), opts.display);
  }
  const asFolder = path.resolve(opts.cwd, spec);
  if (fs.existsSync(asFolder) && fs.statSync(asFolder).isDirectory()) return fromFolder(spec, projectRootFor(asFolder), opts.display);
  if (!fs.existsSync(projectDir)) throw new SideError(`no such folder: ${opts.display(projectDir)}`);
  const top = gitTopLevel(projectDir);
  if (!top) throw new SideError(`'${spec}' is not a folder, and ${opts.display(projectDir)} is not in a git repository`);
  const commit = resolveCommit(top, spec);
  if (!commit) throw new SideError(`'${spec}' is neither a folder nor a git revision of ${opts.display(top)}`);
  const root = projectRootFor(projectDir);
  const rel = posix(path.relative(top, fs.realpathSync(root)));
  if (rel.startsWith('..')) throw new SideError(`the project ${opts.display(root)} is not inside the repository ${opts.display(top)}`);
  return fromCommit(spec, commit, top, rel, root, opts.display);
}

function fromCommit(label: string, commit: string, top: string, rel: string, root: string, display: (file: string) => string): ProjectSide {
  const prefix = rel ? `${rel}/` : '';
  const configPath = `${prefix}${CONFIG_FILE}`;
  const entries = listTree(top, commit, rel).filter((e) => e.path.endsWith('.pace') || e.path === configPath);
  const texts = readBlobs(top, entries.map((e) => e.object));
  // Files are named as they would be in the working tree, so that both sides speak of the same paths.
  const abs = (p: string) => path.join(root, ...p.slice(prefix.length).split('/'));
  const shown = new Map<string, string>();
  const all = new Map<string, string>();
  let config = DEFAULT_CONFIG;
  let configDiagnostics: Diagnostic[] = [];
  let configUri: string | undefined;
  entries.forEach((e, i) => {
    const uri = toUri(abs(e.path));
    shown.set(uri, `${label}:${e.path}`);
    all.set(uri, texts[i]);
    if (e.path === configPath) {
      configUri = uri;
      ({ config, diagnostics: configDiagnostics } = parseConfig(uri, texts[i]));
    }
  });
  const belongs = projectMatcher({ root, config, configDiagnostics, files: [] });
  const workspace = new Workspace();
  workspace.setConfig(config, configDiagnostics);
  const used = new Map<string, string>();
  if (configUri) used.set(configUri, all.get(configUri)!);
  entries.forEach((e, i) => {
    if (e.path === configPath || !belongs(abs(e.path))) return;
    const uri = toUri(abs(e.path));
    workspace.setFile(uri, texts[i]);
    used.set(uri, texts[i]);
  });
  return { label, kind: 'git', commit, root, configUri, configDiagnostics: [...configDiagnostics], texts: used, display: (uri) => shown.get(uri) ?? display(uri), workspace, config };
}
