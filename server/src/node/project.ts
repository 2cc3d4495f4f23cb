// Host side (Node): find a project on disk, read pace.yaml and the files it names into a core
// Workspace. Shared by the CLI and the language server; the core itself never touches the disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';
import { configDiagnostic, parseConfig, Workspace, DEFAULT_CONFIG, MAX_CONFIG_CHARS, type Diagnostic, type ProjectConfig } from '../core/index.js';

export const CONFIG_FILE = 'pace.yaml';
/** Never part of a project, whatever pace.yaml says. */
export const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

export const toUri = (p: string): string => pathToFileURL(path.resolve(p)).href;
export const toPath = (uri: string): string => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);

export interface ProjectOnDisk {
  readonly root: string;
  readonly configPath?: string;
  readonly config: ProjectConfig;
  readonly configDiagnostics: Diagnostic[];
  /** Absolute paths of the project's .pace files, sorted. */
  readonly files: string[];
}

/** The folder of the nearest pace.yaml at or above `start`, or undefined. */
export function findConfigDir(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, CONFIG_FILE))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The project root for a folder, shared by the CLI (a folder argument) and the language server (a
 * workspace folder): the nearest pace.yaml at or above it, unless that project holds none of the
 * folder's .pace files (it excludes them, as samples/pace.yaml excludes broken/); then the folder is
 * a project of its own.
 */
export function projectRootFor(folder: string): string {
  const abs = path.resolve(folder);
  const dir = findConfigDir(abs);
  if (!dir || dir === abs) return abs;
  const prefix = abs + path.sep;
  return readProject(dir).files.some((f) => f.startsWith(prefix)) ? dir : abs;
}

/** Reads pace.yaml (if any) in `root` and lists the project's files. Throws only on IO errors. */
export function readProject(root: string): ProjectOnDisk {
  const configPath = path.join(root, CONFIG_FILE);
  let config = DEFAULT_CONFIG;
  let configDiagnostics: Diagnostic[] = [];
  const hasConfig = fs.existsSync(configPath);
  if (hasConfig) {
    const { text, size } = readConfigText(configPath);
    ({ config, diagnostics: configDiagnostics } = parseConfig(toUri(configPath), text, size));
    if (!configDiagnostics.length) configDiagnostics = outsideConfigPaths(root, configPath, text, config);
    if (configDiagnostics.length) config = DEFAULT_CONFIG;
  }
  const found = projectGlob(root, config.files, config.exclude);
  const files = found.files.filter((f) => f.endsWith('.pace'));
  const outside = found.outside.filter((f) => f.endsWith('.pace'));
  if (hasConfig && outside.length && !configDiagnostics.length) {
    const shown = outside.map((f) => `${path.relative(root, f).split(path.sep).join('/')} (a symbolic link to ${realPathOf(f)})`);
    configDiagnostics = [configDiagnostic(toUri(configPath), readConfigText(configPath).text, ['files'], `'files' matches ${shown.join(', ')}, outside the project: not read; paths in pace.yaml stay inside the project (the folder of pace.yaml).`)];
  }
  return { root, configPath: hasConfig ? configPath : undefined, config, configDiagnostics, files };
}

/** pace.yaml's text, or only its first line when it is too large to be a configuration (parseConfig reports it). */
export function readConfigText(configPath: string): { text: string; size: number } {
  const size = fs.statSync(configPath).size;
  if (size <= MAX_CONFIG_CHARS) return { text: fs.readFileSync(configPath, 'utf8'), size };
  const fd = fs.openSync(configPath, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return { text: buf.subarray(0, n).toString('utf8'), size };
  } finally {
    fs.closeSync(fd);
  }
}

/** The real path of `p`, or of its closest existing ancestor joined with the rest (for a folder not made yet). */
function realPathOf(p: string): string {
  const rest: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch {
      const up = path.dirname(cur);
      if (up === cur) return path.resolve(p);
      rest.push(path.basename(cur));
      cur = up;
    }
  }
}

/** Whether `p` (resolved through symbolic links) is `root` or inside it. */
export function insideRoot(root: string, p: string): boolean {
  const r = realPathOf(root);
  const rel = path.relative(r, realPathOf(p));
  return rel === '' || (!rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * pace.yaml's `generate.out` when, through a symbolic link, it leads out of the project: an error
 * located at the value (parseConfig already refuses absolute paths and '..').
 */
function outsideConfigPaths(root: string, configPath: string, text: string, config: ProjectConfig): Diagnostic[] {
  const out = config.generate?.out;
  if (out === undefined) return [];
  const dir = path.join(root, out);
  const refuse = (message: string) => [configDiagnostic(toUri(configPath), text, ['generate', 'out'], `${message}: paths in pace.yaml stay inside the project (the folder of pace.yaml).`)];
  if (!insideRoot(root, dir)) return refuse(`'generate.out' '${out}' leads out of the project through a symbolic link (to ${realPathOf(dir)})`);
  // A folder or file under it that links out (generated/prometheus → /etc/prometheus) would be written through.
  const linked = linksOut(root, dir);
  if (linked) return refuse(`'generate.out' '${out}' holds ${path.relative(dir, linked).split(path.sep).join('/')}, a symbolic link out of the project (to ${realPathOf(linked)})`);
  return [];
}

/** The first entry under `dir` (recursively) that is a symbolic link leading out of `root`, if any. */
function linksOut(root: string, dir: string): string | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink() && !insideRoot(root, p)) return p;
    if (e.isDirectory()) {
      const inner = linksOut(root, p);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Absolute paths of the .pace files a configuration names under `root`, sorted. Throws only on IO errors. */
export function listProjectFiles(root: string, config: ProjectConfig): string[] {
  return projectGlob(root, config.files, config.exclude).files.filter((f) => f.endsWith('.pace'));
}

/**
 * The files under `root` that `globs` match, absolute and sorted, and apart those that a symbolic
 * link leads out of the project: they are never read (pace.yaml's globs cannot name such a file
 * directly: parseConfig refuses '..' and absolute paths). Throws only on IO errors.
 */
export function projectGlob(root: string, globs: readonly string[], exclude: readonly string[] = []): { files: string[]; outside: string[] } {
  const files: string[] = [];
  const outside: string[] = [];
  for (const f of globSync([...globs], { cwd: root, ignore: [...exclude, ...ALWAYS_IGNORED], absolute: true, onlyFiles: true })) {
    const abs = path.resolve(f);
    (insideRoot(root, abs) ? files : outside).push(abs);
  }
  return { files: files.sort(), outside: outside.sort() };
}

/**
 * The sample data files pace.yaml's `data:` globs name, absolute and sorted, and, apart, a located
 * message (`pace.yaml:line:col: …`) when some of them are symbolic links out of the project (they
 * are not read).
 */
export function configuredDataFiles(project: ProjectOnDisk, display: (file: string) => string): { files: string[]; refusal?: string } {
  const found = projectGlob(project.root, project.config.data ?? []);
  if (!found.outside.length || !project.configPath) return { files: found.files };
  const text = readConfigText(project.configPath).text;
  const shown = found.outside.map((f) => `${display(f)} (a symbolic link to ${realPathOf(f)})`);
  const d = configDiagnostic(toUri(project.configPath), text, ['data'], `'data' matches ${shown.join(', ')}, outside the project: not read; paths in pace.yaml stay inside the project (the folder of pace.yaml)`);
  const before = text.slice(0, d.range.start);
  const line = before.split('\n').length;
  const column = d.range.start - (before.lastIndexOf('\n') + 1) + 1;
  return { files: found.files, refusal: `${display(project.configPath)}:${line}:${column}: ${d.message}` };
}

/** Whether an absolute path belongs to the project (for file watchers). */
export function projectMatcher(project: ProjectOnDisk): (file: string) => boolean {
  const include = picomatch([...project.config.files], { dot: false });
  const exclude = picomatch([...project.config.exclude, ...ALWAYS_IGNORED]);
  return (file) => {
    const rel = path.relative(project.root, file).split(path.sep).join('/');
    return file.endsWith('.pace') && !rel.startsWith('..') && include(rel) && !exclude(rel);
  };
}

export function loadWorkspace(project: ProjectOnDisk, extraFiles: string[] = []): Workspace {
  const ws = new Workspace();
  ws.setConfig(project.config, project.configDiagnostics);
  const named = new Set(extraFiles);
  for (const f of new Set([...project.files, ...extraFiles])) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      // A file the listing found and that is gone when read (another program's temporary file in a
      // shared folder) is no longer part of the project; a file the user named is an error.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !named.has(f)) continue;
      throw e;
    }
    ws.setFile(toUri(f), text);
  }
  return ws;
}

/**
 * Writes a file atomically: a temporary file beside it (`.<name>.<pid>.pace-tmp`), then a rename,
 * so that a reader — or a process killed mid-write — sees the old file or the new one, never a
 * part. A temporary file a killed run left behind is removed by the next write into its folder
 * (once per folder and process), and by removeStaleTemps; isAtomicTemp names them, so that they
 * are never taken for outputs.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  if (!cleaned.has(dir)) {
    cleaned.add(dir);
    removeStaleTemps(dir, false);
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}${TEMP_SUFFIX}`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

const TEMP_SUFFIX = '.pace-tmp';
const TEMP_NAME = /^\..+\.(\d+)\.pace-tmp$/;
const cleaned = new Set<string>();

/** Whether a file name is one of writeFileAtomic's temporary files. */
export function isAtomicTemp(name: string): boolean {
  return TEMP_NAME.test(path.basename(name));
}

/**
 * Removes the temporary files of writeFileAtomic that no running process owns (a run that was
 * killed mid-write) under `dir` (and its sub-folders when `recursive`). Returns how many.
 */
export function removeStaleTemps(dir: string, recursive = true): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let n = 0;
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && recursive) n += removeStaleTemps(p, true);
    const m = e.isFile() ? TEMP_NAME.exec(e.name) : null;
    if (m && !alive(Number(m[1]))) {
      fs.rmSync(p, { force: true });
      n++;
    }
  }
  return n;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // this process's own temp is never left between writes
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
