// The façade both front-ends call (rust-analyzer's AnalysisHost/Analysis split): a Workspace holds
// the inputs — file texts and the project configuration — and analyze() returns an immutable
// snapshot. Only changed files are re-parsed; linking and checking run over the whole project.
import type { PaceFile } from '../../../../grammar/src/ast.js';
import { lineFeeds } from '../../../../grammar/src/lexer.js';
import { compareDiagnostics, diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isDiagnosticCode } from '../diagnostics/codes.js';
import { link, type SemanticModel } from '../linking/linker.js';
import { LineIndex } from '../text/line-index.js';
import { checkStructure } from '../validation/structure.js';
import { checkSemantics } from '../validation/semantic.js';
import { checkPromql } from '../validation/promql.js';
import { checkStructureIncremental, parseIncremental, type IncrementalParse } from './incremental.js';
import { normalize } from '../model/normalize.js';
import type { NormalizedModel, SourceMap } from '../model/model.js';
import { DEFAULT_CONFIG, type ProjectConfig } from './config.js';

export interface FileAnalysis {
  readonly uri: string;
  /** The text the stages read: `source` with each lone `\r` as the `\n` it stands for (lineFeeds; the same offsets). */
  readonly text: string;
  /** The text as given, which an edit of the whole file (formatting) applies to. */
  readonly source: string;
  readonly ast: PaceFile;
  readonly lineIndex: LineIndex;
  readonly syntaxErrors: number;
}

interface FileState {
  readonly text: string;
  /** The text as given, when it differs from `text` (it has a lone `\r`). */
  readonly source?: string;
  /** With the chunks the file's next version may re-use: the workspace's own, never shared. */
  readonly parsed: IncrementalParse;
  readonly syntax: readonly Diagnostic[];
  readonly structure: readonly Diagnostic[];
  /** Built on first use: only editors and CLI output need lines. */
  lineIndex?: LineIndex;
}

export class Analysis {
  private byUri?: Map<string, Diagnostic[]>;
  constructor(
    readonly files: ReadonlyMap<string, FileAnalysis>,
    readonly semantic: SemanticModel,
    /** Every diagnostic of the project, sorted by uri and offset. */
    readonly diagnostics: readonly Diagnostic[],
    readonly config: ProjectConfig,
  ) {}

  diagnosticsFor(uri: string): readonly Diagnostic[] {
    if (!this.byUri) {
      this.byUri = new Map();
      for (const d of this.diagnostics) {
        const list = this.byUri.get(d.uri) ?? [];
        list.push(d);
        this.byUri.set(d.uri, list);
      }
    }
    return this.byUri.get(uri) ?? [];
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }

  /** The normalized model (the contract of preview and generators), with its source map. */
  normalized(): { model: NormalizedModel; sourceMap: SourceMap } {
    this.normalized_ ??= normalize(this);
    return this.normalized_;
  }
  private normalized_?: { model: NormalizedModel; sourceMap: SourceMap };
}

export class Workspace {
  private readonly files = new Map<string, FileState>();
  private config: ProjectConfig = DEFAULT_CONFIG;
  private configDiagnostics: readonly Diagnostic[] = [];
  private cached?: Analysis;

  setConfig(config: ProjectConfig, diagnostics: readonly Diagnostic[] = []): void {
    this.config = config;
    this.configDiagnostics = diagnostics;
    this.cached = undefined;
  }

  getConfig(): ProjectConfig {
    return this.config;
  }

  /** Adds or replaces a file. Re-parses only when the text changed. A lone `\r` is kept as the `\n` it stands for (lineFeeds: offsets unchanged). */
  setFile(uri: string, source: string): void {
    const text = lineFeeds(source);
    const given = source === text ? undefined : source;
    const prior = this.files.get(uri);
    if (prior && prior.text === text) {
      // The same text to the stages; only its lone `\r`s may have changed (formatting made them `\n`).
      if (prior.source !== given) {
        this.files.set(uri, { ...prior, source: given });
        this.cached = undefined;
      }
      return;
    }
    const parsed = parseIncremental(text, prior?.parsed);
    const syntax = parsed.issues.map((i) => diagnostic(isDiagnosticCode(i.code) ? i.code : 'parse/internal-error', uri, i.range, i.message));
    const structure = checkStructureIncremental(uri, parsed, text);
    for (const d of checkPromql(uri, parsed.ast)) structure.push(d);
    this.files.set(uri, { text, source: given, parsed, syntax, structure });
    this.cached = undefined;
  }

  removeFile(uri: string): void {
    if (this.files.delete(uri)) this.cached = undefined;
  }

  hasFile(uri: string): boolean {
    return this.files.has(uri);
  }

  uris(): string[] {
    return [...this.files.keys()].sort();
  }

  text(uri: string): string | undefined {
    return this.files.get(uri)?.text;
  }

  analyze(): Analysis {
    if (this.cached) return this.cached;
    const uris = this.uris();
    const inputs = uris.map((uri) => ({ uri, ast: this.files.get(uri)!.parsed.ast }));
    const semantic = link(inputs);
    const all: Diagnostic[] = [...this.configDiagnostics];
    const files = new Map<string, FileAnalysis>();
    for (const uri of uris) {
      const f = this.files.get(uri)!;
      for (const d of f.syntax) all.push(d); // not push(...): a file may have 100,000s of diagnostics
      for (const d of f.structure) all.push(d);
      files.set(uri, {
        uri,
        text: f.text,
        source: f.source ?? f.text,
        ast: f.parsed.ast,
        get lineIndex() {
          return (f.lineIndex ??= new LineIndex(f.text));
        },
        syntaxErrors: f.syntax.length,
      });
    }
    for (const d of semantic.diagnostics) all.push(d);
    for (const d of checkSemantics(semantic)) all.push(d);
    all.sort(compareDiagnostics);
    this.cached = new Analysis(files, semantic, dedupe(all), this.config);
    return this.cached;
  }
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of list) {
    const p = out[out.length - 1];
    if (p && p.uri === d.uri && p.code === d.code && p.range.start === d.range.start && p.range.end === d.range.end && p.message === d.message) continue;
    out.push(d);
  }
  return out;
}
