// Diagnostics → text, JSON, SARIF 2.1.0 and GitHub workflow commands. Only the CLI knows these formats.
import pc from 'picocolors';
import { CODES, LineIndex, type Diagnostic } from '../core/index.js';

export type Format = 'text' | 'json' | 'sarif' | 'github';

export interface ReportFile {
  /** Path as shown to the user (relative to the working directory, with '/'). */
  readonly display: string;
  readonly uri: string;
  readonly text: string;
}

export interface ReportInput {
  readonly diagnostics: readonly Diagnostic[];
  readonly files: ReadonlyMap<string, ReportFile>;
  readonly fileCount: number;
  readonly color: boolean;
  readonly toolVersion: string;
}

interface Located {
  readonly d: Diagnostic;
  readonly file: ReportFile | undefined;
  readonly start: { line: number; character: number };
  readonly end: { line: number; character: number };
}

/** One line index per text: a new one per related note or code frame made 10,000 notes of a big file quadratic. */
const lineIndexes = new Map<string, LineIndex>();
function lineIndexOf(text: string): LineIndex {
  let idx = lineIndexes.get(text);
  if (!idx) {
    if (lineIndexes.size >= 64) lineIndexes.clear();
    lineIndexes.set(text, (idx = new LineIndex(text)));
  }
  return idx;
}

/** Where a (related) location is, as shown to the user: its file's display path and 0-based positions. */
function place(input: ReportInput, uri: string, range: { start: number; end: number }) {
  const f = input.files.get(uri);
  const idx = lineIndexOf(f?.text ?? '');
  return { file: f?.display ?? uri, start: idx.position(range.start), end: idx.position(range.end) };
}

function locate(input: ReportInput): Located[] {
  const indexes = new Map<string, LineIndex>();
  return input.diagnostics.map((d) => {
    const file = input.files.get(d.uri);
    let idx = indexes.get(d.uri);
    if (!idx) indexes.set(d.uri, (idx = new LineIndex(file?.text ?? '')));
    return { d, file, start: idx.position(d.range.start), end: idx.position(d.range.end) };
  });
}

export function summaryOf(diags: readonly Diagnostic[], files: number) {
  return { errors: diags.filter((d) => d.severity === 'error').length, warnings: diags.filter((d) => d.severity === 'warning').length, files };
}

/** `1 warning`, `2 warnings`: every count the CLI prints goes through this. */
export const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function render(format: Format, input: ReportInput): string {
  switch (format) {
    case 'text': return renderText(input);
    case 'json': return renderJson(input);
    case 'sarif': return renderSarif(input);
    case 'github': return renderGithub(input);
  }
}

function renderText(input: ReportInput): string {
  const c = colors(input.color);
  const out: string[] = [];
  for (const l of locate(input)) {
    const sev = l.d.severity === 'error' ? c.red('error') : l.d.severity === 'warning' ? c.yellow('warning') : c.blue(l.d.severity);
    out.push(`${c.bold(`${l.file?.display ?? l.d.uri}:${l.start.line + 1}:${l.start.character + 1}`)} ${sev} ${c.dim(l.d.code)} ${l.d.message}`);
    if (l.file) out.push(...codeFrame(l, c));
    for (const r of l.d.related ?? []) {
      const where = place(input, r.uri, r.range);
      out.push(`  ${c.dim('note:')} ${where.file}:${where.start.line + 1}:${where.start.character + 1} ${r.message}`);
    }
    for (const f of l.d.fixes ?? []) out.push(`  ${c.dim('fix:')} ${f.title}`);
  }
  const s = summaryOf(input.diagnostics, input.fileCount);
  if (out.length) out.push('');
  const mark = s.errors ? c.red('✖') : s.warnings ? c.yellow('⚠') : c.green('✔');
  out.push(`${mark} ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.files, 'file')} checked`);
  return out.join('\n') + '\n';
}

/** Columns of a source line a code frame shows: a longer line (minified or generated text, 10 MB on one line) is cut around the error. */
const FRAME_WIDTH = 160;

function codeFrame(l: Located, c: Colors): string[] {
  const idx = lineIndexOf(l.file!.text);
  const lines: string[] = [];
  const width = String(l.start.line + 2).length;
  const gutter = (n?: number) => c.dim(`${n === undefined ? ''.padStart(width) : String(n).padStart(width)} | `);
  const text = idx.lineText(l.start.line);
  // The window [from, to) of the error's line, the same for the line above it so that they align.
  const from = text.length > FRAME_WIDTH ? Math.max(0, Math.min(l.start.character - 40, text.length - FRAME_WIDTH)) : 0;
  const to = from + FRAME_WIDTH;
  const clip = (s: string) => (from > 0 ? '…' : '') + s.slice(from, to) + (s.length > to ? '…' : '');
  if (l.start.line > 0) lines.push(`  ${gutter(l.start.line)}${clip(idx.lineText(l.start.line - 1))}`);
  lines.push(`  ${gutter(l.start.line + 1)}${clip(text)}`);
  const endChar = Math.min(l.end.line === l.start.line ? l.end.character : text.length, to);
  const startChar = Math.max(l.start.character, from);
  const caretLen = Math.max(1, endChar - startChar);
  const lead = (from > 0 ? ' ' : '') + text.slice(from, startChar).replace(/[^\t]/g, ' ');
  const color = l.d.severity === 'error' ? c.red : c.yellow;
  lines.push(`  ${gutter()}${lead}${color('^'.repeat(caretLen))}`);
  return lines;
}

function renderJson(input: ReportInput): string {
  const diagnostics = locate(input).map((l) => ({
    file: l.file?.display ?? l.d.uri,
    range: { start: l.start, end: l.end },
    severity: l.d.severity,
    code: l.d.code,
    message: l.d.message,
    ...(l.d.related?.length
      ? {
          related: l.d.related.map((r) => {
            const where = place(input, r.uri, r.range);
            return { file: where.file, range: { start: where.start, end: where.end }, message: r.message };
          }),
        }
      : {}),
    ...(l.d.fixes?.length ? { fixes: l.d.fixes.map((f) => f.title) } : {}),
  }));
  return JSON.stringify({ diagnostics, summary: summaryOf(input.diagnostics, input.fileCount) }, null, 2) + '\n';
}

function renderSarif(input: ReportInput): string {
  const ruleIds = Object.keys(CODES).sort();
  const level = (s: string) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const region = (text: string, start: number, end: number) => {
    const idx = new LineIndex(text);
    const a = idx.position(start);
    const b = idx.position(Math.max(end, start));
    return { startLine: a.line + 1, startColumn: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1, charOffset: start, charLength: Math.max(0, end - start) };
  };
  const loc = (uri: string, start: number, end: number) => {
    const f = input.files.get(uri);
    return { physicalLocation: { artifactLocation: { uri: f?.display ?? uri, ...(f ? { uriBaseId: '%SRCROOT%' } : {}) }, region: region(f?.text ?? '', start, end) } };
  };
  const results = input.diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: ruleIds.indexOf(d.code),
    level: level(d.severity),
    message: { text: d.message },
    locations: [loc(d.uri, d.range.start, d.range.end)],
    ...(d.related?.length ? { relatedLocations: d.related.map((r, i) => ({ id: i, ...loc(r.uri, r.range.start, r.range.end), message: { text: r.message } })) } : {}),
    ...(d.fixes?.length
      ? {
          fixes: d.fixes.map((f) => ({
            description: { text: f.title },
            artifactChanges: groupBy(f.edits, (e) => e.uri).map(([uri, edits]) => ({
              artifactLocation: { uri: input.files.get(uri)?.display ?? uri, uriBaseId: '%SRCROOT%' },
              replacements: edits.map((e) => ({ deletedRegion: region(input.files.get(uri)?.text ?? '', e.range.start, e.range.end), insertedContent: { text: e.newText } })),
            })),
          })),
        }
      : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pace',
            version: input.toolVersion,
            rules: ruleIds.map((id) => {
              const info = CODES[id as keyof typeof CODES];
              return { id, name: info.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : '')), shortDescription: { text: info.title }, fullDescription: { text: info.doc }, defaultConfiguration: { level: level(info.severity) } };
            }),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return [...m];
}

/** https://docs.github.com/actions/reference/workflow-commands-for-github-actions */
function renderGithub(input: ReportInput): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines = locate(input).map((l) => {
    const cmd = l.d.severity === 'error' ? 'error' : l.d.severity === 'warning' ? 'warning' : 'notice';
    const props = [`file=${prop(l.file?.display ?? l.d.uri)}`, `line=${l.start.line + 1}`, `col=${l.start.character + 1}`, `endLine=${l.end.line + 1}`, `endColumn=${l.end.character + 1}`, `title=${prop(l.d.code)}`];
    return `::${cmd} ${props.join(',')}::${data(l.d.message)}`;
  });
  const s = summaryOf(input.diagnostics, input.fileCount);
  lines.push(`${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.files, 'file')} checked`);
  return lines.join('\n') + '\n';
}

interface Colors {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** The caller decides whether to colour (a terminal, no NO_COLOR, no --no-color); picocolors styles. */
function colors(on: boolean): Colors {
  const p = pc.createColors(on);
  return { red: p.red, yellow: p.yellow, blue: p.blue, green: p.green, bold: p.bold, dim: p.dim };
}
