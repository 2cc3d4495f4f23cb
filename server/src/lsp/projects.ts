// Projects as the language server sees them: every folder with a pace.yaml (and each workspace folder
// without one) is a project with its own core Workspace, indexed from disk; open documents override
// the disk. A file opened outside every project is analysed as a one-file project.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { DEFAULT_CONFIG, LineIndex, parseConfig, Workspace, type Analysis, type Diagnostic, type ProjectConfig } from '../core/index.js';
import { ALWAYS_IGNORED, CONFIG_FILE, listProjectFiles, projectMatcher, projectRootFor, toPath, toUri } from '../node/project.js';
import { capYoungGeneration, releaseYoungGeneration } from './heap.js';


/** The canonical form of a uri: file uris re-encoded from their path, so that spellings agree. */
export function canonical(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return toUri(toPath(uri));
  } catch {
    return uri;
  }
}

export function isFileUri(uri: string): boolean {
  return uri.startsWith('file:');
}

/** Open documents, by canonical uri. */
export interface OpenDocuments {
  get(uri: string): { readonly text: string; readonly version: number; readonly languageId: string } | undefined;
  uris(): string[];
}

export class Project {
  readonly ws = new Workspace();
  config: ProjectConfig = DEFAULT_CONFIG;
  configUri?: string;
  configText?: string;
  configLines?: LineIndex;
  matcher: (file: string) => boolean = () => false;
  /** Version of each open document last given to the workspace. */
  readonly synced = new Map<string, number>();
  /** Fingerprint of the diagnostics last published per uri. */
  readonly published = new Map<string, string>();
  /** Set when the inputs changed since the diagnostics were last published. */
  dirty = true;

  constructor(
    /** The folder, or the uri for a one-file project. */
    readonly id: string,
    readonly root: string | undefined,
    readonly loose: boolean,
  ) {}

  /** The up-to-date analysis: open documents that changed are given to the workspace first. */
  analysis(docs: OpenDocuments): Analysis {
    for (const uri of this.ws.uris()) {
      const d = docs.get(uri);
      if (d && this.synced.get(uri) !== d.version) {
        releaseYoungGeneration(); // an edit: see heap.ts
        this.ws.setFile(uri, d.text);
        this.synced.set(uri, d.version);
        this.dirty = true;
      }
    }
    capYoungGeneration();
    const analysis = this.ws.analyze();
    capYoungGeneration();
    return analysis;
  }

  /** Every uri the project publishes diagnostics for. */
  uris(): string[] {
    return this.configUri ? [this.configUri, ...this.ws.uris()] : this.ws.uris();
  }

  lines(uri: string): LineIndex | undefined {
    if (uri === this.configUri) return (this.configLines ??= new LineIndex(this.configText ?? ''));
    return this.ws.analyze().files.get(uri)?.lineIndex;
  }
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class Projects {
  private folders: string[] = [];
  private projects: Project[] = [];
  private readonly loose = new Map<string, Project>();

  constructor(
    private readonly docs: OpenDocuments,
    private readonly log: (message: string) => void,
  ) {}

  all(): Project[] {
    return [...this.projects, ...this.loose.values()];
  }

  setFolders(folders: string[]): void {
    this.folders = [...new Set(folders.map((f) => path.resolve(f)))];
  }

  getFolders(): string[] {
    return this.folders;
  }

  /** Finds the projects of every folder and indexes their files. Returns the projects dropped. */
  rebuild(): Project[] {
    const old = this.all();
    const roots = new Set<string>();
    for (const folder of this.folders) {
      if (!fs.existsSync(folder)) continue;
      roots.add(projectRootFor(folder));
      try {
        for (const cfg of globSync(['**/' + CONFIG_FILE], { cwd: folder, ignore: ALWAYS_IGNORED, absolute: true, onlyFiles: true })) roots.add(path.dirname(path.resolve(cfg)));
      } catch (e) {
        this.log(`Could not list ${folder}: ${(e as Error).message}`);
      }
    }
    this.projects = [...roots].sort().map((root) => new Project(root, root, false));
    for (const p of this.projects) this.load(p);
    this.loose.clear();
    for (const uri of this.docs.uris()) if (this.isPaceDocument(uri) && !this.ownerOf(uri)) this.openLoose(uri);
    return old;
  }

  /** (Re)reads a project's pace.yaml and lists its files. */
  load(p: Project): void {
    this.readConfig(p);
    const root = p.root!;
    let files: string[] = [];
    try {
      files = listProjectFiles(root, p.config);
    } catch (e) {
      this.log(`Could not list the files of ${root}: ${(e as Error).message}`);
    }
    p.matcher = projectMatcher({ root, config: p.config, configDiagnostics: [], files, configPath: p.configUri ? path.join(root, CONFIG_FILE) : undefined });
    const wanted = new Set(files.filter((f) => this.rootOf(f) === root).map(toUri));
    for (const uri of this.docs.uris()) {
      if (!uri.endsWith('.pace') || !isFileUri(uri)) continue;
      const f = toPath(uri);
      if (this.rootOf(f) === root && p.matcher(f)) wanted.add(uri);
    }
    for (const uri of p.ws.uris()) if (!wanted.has(uri)) p.ws.removeFile(uri);
    for (const uri of [...wanted].sort()) this.refresh(p, uri);
    p.dirty = true;
  }

  /**
   * Reads pace.yaml again (the open document's text, else the disk). Returns false when the files it
   * names may have changed, so that the caller looks for projects again.
   */
  readConfig(p: Project): boolean {
    const root = p.root!;
    const configPath = path.join(root, CONFIG_FILE);
    const configUri = toUri(configPath);
    let text: string | undefined = this.docs.get(configUri)?.text;
    if (text === undefined && fs.existsSync(configPath)) {
      try {
        text = fs.readFileSync(configPath, 'utf8');
      } catch (e) {
        this.log(`Could not read ${configPath}: ${(e as Error).message}`);
      }
    }
    const before = p.config;
    let config = DEFAULT_CONFIG;
    let diagnostics: Diagnostic[] = [];
    if (text !== undefined) ({ config, diagnostics } = parseConfig(configUri, text));
    p.config = config;
    p.configUri = text !== undefined ? configUri : undefined;
    p.configText = text;
    p.configLines = undefined;
    p.ws.setConfig(config, diagnostics);
    p.dirty = true;
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    return same(before.files, config.files) && same(before.exclude, config.exclude);
  }

  /** Gives a file's current text (open document, else disk) to its project. */
  refresh(p: Project, uri: string): void {
    const open = this.docs.get(uri);
    if (open) {
      p.ws.setFile(uri, open.text);
      p.synced.set(uri, open.version);
    } else {
      p.synced.delete(uri);
      try {
        p.ws.setFile(uri, fs.readFileSync(toPath(uri), 'utf8'));
      } catch {
        p.ws.removeFile(uri);
      }
    }
    capYoungGeneration(); // indexing a project is where the young generation grows
    p.dirty = true;
  }

  /** The deepest project folder that contains a path. */
  private rootOf(file: string): string | undefined {
    let best: string | undefined;
    for (const p of this.projects) if (p.root && isInside(p.root, file) && (!best || p.root.length > best.length)) best = p.root;
    return best;
  }

  /** The project a .pace file belongs to on disk (not a one-file project). */
  ownerOf(uri: string): Project | undefined {
    if (!isFileUri(uri)) return undefined;
    const file = toPath(uri);
    const root = this.rootOf(file);
    const p = root ? this.projects.find((x) => x.root === root) : undefined;
    return p && p.matcher(file) ? p : undefined;
  }

  /** The project whose pace.yaml this is. */
  configOwner(uri: string): Project | undefined {
    return this.projects.find((p) => p.configUri === uri || (p.root && toUri(path.join(p.root, CONFIG_FILE)) === uri));
  }

  /** The project that analyses a uri: its owner, or its one-file project. */
  projectOf(uri: string): Project | undefined {
    return this.ownerOf(uri) ?? this.loose.get(uri) ?? this.configOwner(uri);
  }

  openLoose(uri: string): Project {
    const existing = this.loose.get(uri);
    if (existing) return existing;
    const p = new Project(uri, undefined, true);
    this.refresh(p, uri);
    this.loose.set(uri, p);
    return p;
  }

  /** Drops a one-file project; returns it so that its diagnostics can be cleared. */
  closeLoose(uri: string): Project | undefined {
    const p = this.loose.get(uri);
    this.loose.delete(uri);
    return p;
  }

  /** Whether a uri lies in one of the workspace folders. */
  inFolders(uri: string): boolean {
    return isFileUri(uri) && this.folders.some((f) => isInside(f, toPath(uri)));
  }

  /** A .pace file, or a document the editor says is Pace (an unsaved, untitled one). */
  isPaceDocument(uri: string): boolean {
    return uri.endsWith('.pace') || this.docs.get(uri)?.languageId === 'pace';
  }

  isPaceYaml(uri: string): boolean {
    return isFileUri(uri) && path.basename(toPath(uri)) === CONFIG_FILE;
  }
}
