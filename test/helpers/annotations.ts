// Inline diagnostic annotations, as in samples/broken/*.pace:
//
//     objective = 0.999
//   //          ^^^^^ error check/wrong-type
//
// An annotation line is a comment made of carets, a severity and a code. It points at the closest
// preceding line that is not itself an annotation, and its carets sit under the columns of the
// diagnostic's range, counted from the start of the line (so a range must start at column 2 or
// later: the comment's own `//` takes columns 0 and 1). A range that spans lines is annotated on
// its first line, up to the end of that line. An empty range (a missing token at the end of a line)
// is annotated with a single caret at its position. Several annotation lines may follow one line.
//
// The same form works in YAML (pace.yaml) with `#` instead of `//`.
import type { Diagnostic } from '../../server/src/core/index.js';
import { LineIndex } from '../../server/src/core/text/line-index.js';

export type AnnotationSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface Annotation {
  readonly uri: string;
  /** 0-based line of the annotated code. */
  readonly line: number;
  /** 0-based columns, end exclusive. */
  readonly startCol: number;
  readonly endCol: number;
  readonly severity: AnnotationSeverity;
  readonly code: string;
}

const PATTERNS = {
  '//': /^\s*\/\/\s*(\^+)\s+(error|warning|info|hint)\s+(\S+)\s*$/,
  '#': /^\s*#\s*(\^+)\s+(error|warning|info|hint)\s+(\S+)\s*$/,
} as const;

export type CommentStyle = keyof typeof PATTERNS;

export function isAnnotationLine(line: string, style: CommentStyle = '//'): boolean {
  return PATTERNS[style].test(line);
}

/** The annotations written in a file's text. Throws on an annotation with no line above it. */
export function parseAnnotations(uri: string, text: string, style: CommentStyle = '//'): Annotation[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const out: Annotation[] = [];
  let target = -1;
  for (let i = 0; i < lines.length; i++) {
    const m = PATTERNS[style].exec(lines[i]);
    if (!m) {
      target = i;
      continue;
    }
    if (target < 0) throw new Error(`${uri}:${i + 1}: an annotation needs a line of code above it`);
    const startCol = lines[i].indexOf('^');
    out.push({ uri, line: target, startCol, endCol: startCol + m[1].length, severity: m[2] as AnnotationSeverity, code: m[3] });
  }
  return out;
}

/** A diagnostic as an annotation would describe it (see the header for the rules). */
export function toAnnotation(d: { readonly uri: string; readonly range: { readonly start: number; readonly end: number }; readonly severity: AnnotationSeverity; readonly code: string }, lines: LineIndex): Annotation {
  const start = lines.position(d.range.start);
  const end = lines.position(d.range.end);
  let endCol = end.line > start.line ? lines.lineText(start.line).length : end.character;
  if (endCol <= start.character) endCol = start.character + 1;
  return { uri: d.uri, line: start.line, startCol: start.character, endCol, severity: d.severity, code: d.code };
}

export function compareAnnotations(a: Annotation, b: Annotation): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.line - b.line || a.startCol - b.startCol || a.endCol - b.endCol || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** `file.pace:12:16-21 error check/wrong-type` (1-based line, 0-based columns as the carets count them). */
export function annotationKey(a: Annotation, display: (uri: string) => string = (u) => u): string {
  return `${display(a.uri)}:${a.line + 1}:${a.startCol}-${a.endCol} ${a.severity} ${a.code}`;
}

/** The annotation line that describes `a`, as it is written under its code line. */
export function renderAnnotation(a: Annotation, style: CommentStyle = '//'): string {
  if (a.startCol < style.length) throw new Error(`a range at column ${a.startCol} cannot be annotated: indent the code`);
  return `${style}${' '.repeat(a.startCol - style.length)}${'^'.repeat(a.endCol - a.startCol)} ${a.severity} ${a.code}`;
}

export interface AnnotationDiff {
  readonly missing: Annotation[];
  readonly unexpected: { annotation: Annotation; message: string }[];
}

/** Expected annotations against actual diagnostics, as multisets. */
export function diffAnnotations(expected: readonly Annotation[], actual: readonly Diagnostic[], lineIndexOf: (uri: string) => LineIndex): AnnotationDiff {
  const left = new Map<string, Annotation[]>();
  for (const e of expected) {
    const k = annotationKey(e);
    left.set(k, [...(left.get(k) ?? []), e]);
  }
  const unexpected: AnnotationDiff['unexpected'] = [];
  for (const d of actual) {
    const a = toAnnotation(d, lineIndexOf(d.uri));
    const list = left.get(annotationKey(a));
    if (list?.length) list.pop();
    else unexpected.push({ annotation: a, message: d.message });
  }
  const missing = [...left.values()].flat().sort(compareAnnotations);
  unexpected.sort((x, y) => compareAnnotations(x.annotation, y.annotation));
  return { missing, unexpected };
}

/** A readable report of a diff, with the code line and a ready-to-paste annotation; '' when equal. */
export function formatDiff(diff: AnnotationDiff, textOf: (uri: string) => string, display: (uri: string) => string = (u) => u): string {
  const out: string[] = [];
  const show = (a: Annotation) => {
    const line = (textOf(a.uri).split('\n')[a.line] ?? '').replace(/\r$/, '');
    let ann: string;
    try {
      ann = renderAnnotation(a, a.uri.endsWith('.yaml') ? '#' : '//');
    } catch (e) {
      ann = `(${(e as Error).message})`;
    }
    return `    ${line}\n    ${ann}`;
  };
  for (const a of diff.missing) out.push(`missing    ${annotationKey(a, display)}\n${show(a)}`);
  for (const u of diff.unexpected) out.push(`unexpected ${annotationKey(u.annotation, display)}: ${u.message}\n${show(u.annotation)}`);
  return out.join('\n');
}
