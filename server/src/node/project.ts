// Host side (Node): find a project on disk, read pace.yaml and the files it names into a core
// Workspace. Shared by the CLI and the language server; the core itself never touches the disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';
import { parseConfig, Workspace, DEFAULT_CONFIG, type Diagnostic, type ProjectConfig } from '../core/index.js';

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
    ({ config, diagnostics: configDiagnostics } = parseConfig(toUri(configPath), fs.readFileSync(configPath, 'utf8')));
  }
  const files = listProjectFiles(root, config);
  return { root, configPath: hasConfig ? configPath : undefined, config, configDiagnostics, files };
}

/** Absolute paths of the .pace files a configuration names under `root`, sorted. Throws only on IO errors. */
export function listProjectFiles(root: string, config: ProjectConfig): string[] {
  return globSync([...config.files], { cwd: root, ignore: [...config.exclude, ...ALWAYS_IGNORED], absolute: true, onlyFiles: true })
    .filter((f) => f.endsWith('.pace'))
    .map((f) => path.resolve(f))
    .sort();
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
  for (const f of new Set([...project.files, ...extraFiles])) ws.setFile(toUri(f), fs.readFileSync(f, 'utf8'));
  return ws;
}

/** Writes a file atomically: a temporary file beside it, then a rename. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
