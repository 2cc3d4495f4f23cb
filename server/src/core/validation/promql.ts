// PromQL of `promql` SLIs, parsed with the Prometheus project's own Lezer grammar. `$window` stands
// for the rate window and is replaced by a duration before parsing; an error is located inside the
// string literal (escapes and the substitution are mapped back to the source offsets).
import { parser } from '@prometheus-io/lezer-promql';
import type { Block, PaceFile, StringValue } from '../../../../grammar/src/ast.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { re2Problem } from './structure.js';
import { promqlBeyondBounds } from './promql-bounds.js';

/** What `$window` becomes before parsing: any valid duration does. */
export const WINDOW_PLACEHOLDER = '5m';
const PROMQL_ATTRIBUTES = ['good', 'bad', 'total', 'error_ratio'];

export interface PromqlError {
  /** Offsets in the PromQL text (after unescaping and substitution). */
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

interface PromqlResult {
  readonly syntax?: PromqlError;
  /** Regular expressions of `=~`/`!~` matchers that RE2 rejects (offsets of their string literal). */
  readonly regexes: readonly PromqlError[];
}

/** Results by expression: every edit re-checks the file's SLIs, whose PromQL rarely changes. */
const results = new Map<string, PromqlResult>();
const MAX_RESULTS = 10_000;

function analyse(expr: string): PromqlResult {
  let r = results.get(expr);
  if (r === undefined) {
    if (results.size >= MAX_RESULTS) results.clear();
    results.set(expr, (r = parseExpr(expr)));
  }
  return r;
}

/** The first syntax error of a PromQL expression, or undefined when it parses. */
export function promqlSyntaxError(expr: string): PromqlError | undefined {
  return analyse(expr).syntax;
}

/** The invalid regular expressions of a PromQL expression's label matchers (RE2 rules, as selectors). */
export function promqlRegexErrors(expr: string): readonly PromqlError[] {
  return analyse(expr).regexes;
}

const NONE: readonly PromqlError[] = [];

function parseExpr(expr: string): PromqlResult {
  if (!expr.trim()) return { syntax: { from: 0, to: 0, message: 'The PromQL expression is empty.' }, regexes: NONE };
  // Nesting past the parser's safe depth is one error, unparsed (promql-bounds.ts); anything Lezer
  // or the walk below could still throw on such input is an error on the expression, never a crash.
  const beyond = promqlBeyondBounds(expr);
  if (beyond) return { syntax: beyond, regexes: NONE };
  try {
    return parseWithin(expr);
  } catch (e) {
    return { syntax: { from: 0, to: 0, message: `The PromQL expression is too complex to check (${(e as Error).message}).` }, regexes: NONE };
  }
}

function parseWithin(expr: string): PromqlResult {
  const tree = parser.parse(expr);
  let found: { from: number; to: number } | undefined;
  let regexes: PromqlError[] | undefined;
  const hasRegex = expr.includes('=~') || expr.includes('!~');
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) {
        found ??= { from: n.from, to: n.to };
        return false;
      }
      // `label=~"re"`: the string after a regex match operator.
      if (hasRegex && n.name === 'MatchOp') {
        const op = n.node.firstChild?.name;
        const str = n.node.nextSibling;
        if ((op === 'EqlRegex' || op === 'NeqRegex') && str?.name === 'StringLiteral') {
          const pattern = promqlString(expr.slice(str.from, str.to));
          const problem = pattern === undefined ? undefined : re2Problem(pattern);
          if (problem) (regexes ??= []).push({ from: str.from, to: str.to, message: `Invalid regular expression in '${expr.slice(n.node.prevSibling?.from ?? n.from, n.to)}': ${problem}.` });
        }
        return false;
      }
      return undefined;
    },
  });
  return { syntax: found && syntaxError(expr, found), regexes: regexes ?? NONE };
}

/** The value of a PromQL string literal (Go's escapes in "…" and '…'; `…` is raw), or undefined. */
function promqlString(lit: string): string | undefined {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) return undefined;
  const body = lit.slice(1, -1);
  if (q === '`') return body;
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (all, e: string) => {
    if (e.length === 1) return simple[e] ?? all;
    const code = e[0] === 'x' || e[0] === 'u' || e[0] === 'U' ? parseInt(e.slice(1), 16) : parseInt(e, 8);
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

function syntaxError(expr: string, found: { from: number; to: number }): PromqlError {
  const { from, to } = found;
  const rest = expr.slice(from).trimStart();
  const what = from >= expr.length || !rest ? 'unexpected end of the expression' : `unexpected '${snippet(expr.slice(from, Math.max(to, from + 1)), rest)}'`;
  return { from, to, message: `Invalid PromQL: ${what}.` };
}

function snippet(errorText: string, rest: string): string {
  const t = errorText.trim() || rest;
  const word = /^[A-Za-z_:][A-Za-z0-9_:]*|^\S/.exec(t)?.[0] ?? t;
  return word.length > 30 ? word.slice(0, 30) + '…' : word;
}

/** A string literal's content and, for each of its characters, its offset in the source. */
export function stringContent(v: StringValue): { text: string; offsets: number[]; end: number } {
  const raw = v.raw;
  const base = v.range.start;
  const offsets: number[] = [];
  let text = '';
  if (raw.startsWith('`')) {
    const closed = raw.length > 1 && raw.endsWith('`');
    const body = raw.slice(1, closed ? -1 : undefined);
    for (let i = 0; i < body.length; i++) offsets.push(base + 1 + i);
    return { text: body, offsets, end: base + 1 + body.length };
  }
  const closed = raw.length > 1 && raw.endsWith('"') && !raw.endsWith('\\"');
  const limit = closed ? raw.length - 1 : raw.length;
  for (let i = 1; i < limit; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < limit) {
      const e = raw[i + 1];
      text += e === 'n' ? '\n' : e === 't' ? '\t' : e;
      offsets.push(base + i);
      i++;
    } else {
      text += c;
      offsets.push(base + i);
    }
  }
  return { text, offsets, end: base + limit };
}

/** Replaces `$window` with the placeholder duration, keeping each character's source offset. */
export function substituteWindow(text: string, offsets: readonly number[]): { text: string; offsets: number[] } {
  if (!text.includes('$window')) return { text, offsets: [...offsets] };
  let out = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text.startsWith('$window', i) && !/[A-Za-z0-9_]/.test(text[i + 7] ?? '')) {
      for (const ch of WINDOW_PLACEHOLDER) {
        out += ch;
        map.push(offsets[i]);
      }
      i += 7;
    } else {
      out += text[i];
      map.push(offsets[i]);
      i++;
    }
  }
  return { text: out, offsets: map };
}

function checkString(uri: string, attr: string, v: StringValue, out: Diagnostic[]): void {
  const content = stringContent(v);
  const sub = substituteWindow(content.text, content.offsets);
  const { syntax: err, regexes } = analyse(sub.text);
  const at = (i: number) => (i < sub.offsets.length ? sub.offsets[i] : content.end);
  for (const r of regexes) {
    const start = at(r.from);
    // Up to where the next character starts: an escaped quote (`\"`) is two characters of source.
    const end = Math.min(Math.max(at(r.to), start + 1), v.range.end);
    out.push(diagnostic('check/invalid-regex', uri, { start, end }, `${r.message.replace(/\.$/, '')} (in '${attr}').`));
  }
  if (!err) return;
  const start = at(err.from);
  let end = err.to > err.from ? at(err.to - 1) + 1 : start + 1;
  end = Math.min(Math.max(end, start + 1), v.range.end);
  const s = Math.min(start, Math.max(v.range.start, end - 1));
  out.push(diagnostic('check/promql-syntax', uri, { start: s, end }, `${err.message.replace(/\.$/, '')} in '${attr}'.`));
}

function sliBlocks(file: PaceFile): Block[] {
  const out: Block[] = [];
  for (const top of file.members) {
    if (top.type !== 'block') continue;
    if (top.keyword.text === 'sli') out.push(top);
    for (const m of top.members) if (m.type === 'block' && m.keyword.text === 'sli') out.push(m);
  }
  return out;
}

/** `check/promql-syntax` for every `good`/`bad`/`total`/`error_ratio` string of the file's `promql` SLIs. */
export function checkPromql(uri: string, file: PaceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const sli of sliBlocks(file)) {
    if (sli.kind?.text !== 'promql') continue;
    for (const m of sli.members) {
      if (m.type !== 'attribute' || m.value?.type !== 'string' || !PROMQL_ATTRIBUTES.includes(m.name.text)) continue;
      checkString(uri, m.name.text, m.value, out);
    }
  }
  return out;
}
