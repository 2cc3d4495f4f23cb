// Incremental parsing for large files, by top-level chunk. A file is cut before every line that
// starts a top-level block at column 1 (`service x {`, `alerting p {`, `objective o {`, with the `///`
// doc comments right above it). A chunk whose text is unchanged since the file's previous version
// re-uses that version's trees (shifted if it moved); a new chunk is parsed on its own and shifted
// to its offset. An edit therefore re-parses one chunk, not the whole file.
//
// There is no state here: the previous version's chunks travel with its result (`IncrementalParse`),
// which the caller keeps in its own file state (Workspace's FileState) and passes back with the next
// text. Two workspaces (base and head of a diff, two projects in one server) never share trees, and
// a parse never depends on what another workspace parsed before.
//
// The result must equal `parse(text)`. A chunk's parse is used only when it is provably the same as
// in a whole-file parse: it has no syntax issue, or its last top-level block is closed by its own
// `}` after every issue. A chunk that ends inside a block comment or a raw string, or whose parse
// ran into its end, makes the whole file fall back to `parse(text)`. test/core/workspace/incremental.test.ts
// checks the equality on random edits.
import { parse, type ParseResult } from '../../../../grammar/src/parser.js';
import type { PaceFile } from '../../../../grammar/src/ast.js';
import { Span } from '../../../../grammar/src/nodes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkStructure } from '../validation/structure.js';
import { TOP_LEVEL_KEYWORDS } from '../../../../grammar/src/tokens.js';
import { MAX_SYNTAX_ISSUES } from '../../../../grammar/src/limits.js';

/** Below this size a whole-file parse is fast enough and always used. */
export const INCREMENTAL_MIN_LENGTH = 16_384;

const SPLIT = new RegExp(`^(?:${TOP_LEVEL_KEYWORDS.join('|')})[ \\t]+[A-Za-z_][A-Za-z0-9_:]*[ \\t]*[{=]`, 'gm');

/** Offsets where a chunk may start (always including 0). */
export function chunkStarts(text: string): number[] {
  const starts = [0];
  SPLIT.lastIndex = 0;
  for (let m = SPLIT.exec(text); m; m = SPLIT.exec(text)) {
    const at = backOverDocComments(text, m.index);
    if (at !== undefined && at > starts[starts.length - 1]) starts.push(at);
  }
  return starts;
}

/** The start of the `///` run right above the line at `lineStart`; undefined when no cut is safe there. */
function backOverDocComments(text: string, lineStart: number): number | undefined {
  let start = lineStart;
  let cut = lineStart;
  while (start > 0) {
    // (lastIndexOf clamps a negative index to 0, so the line above line 2 is found by hand.)
    const prevStart = start >= 2 ? text.lastIndexOf('\n', start - 2) + 1 : 0;
    const line = text.slice(prevStart, start - 1);
    if (/^\s*$/.test(line)) {
      start = prevStart;
      continue;
    }
    if (/^\s*\/\/\//.test(line)) {
      start = prevStart;
      cut = prevStart;
      continue;
    }
    // A `///` after code on this line would join the doc run of the block below: do not cut.
    if (line.includes('///')) return undefined;
    break;
  }
  return cut;
}

function usable(result: ParseResult, text: string): boolean {
  if (!result.issues.length) return true;
  for (const i of result.issues) {
    if (i.code === 'lex/unterminated-comment' || i.code === 'parse/internal-error' || i.code === 'parse/too-deep' || i.code === 'parse/too-many-errors') return false;
    if (i.code === 'lex/unterminated-string' && text[i.range.start] === '`') return false;
  }
  const last = result.ast.members[result.ast.members.length - 1];
  if (!last || last.type !== 'block' || !last.closeBrace) return false;
  const close = last.closeBrace;
  // Nothing but whitespace and comments after the final '}'.
  const after = result.ast.comments.filter((c) => c.range.start >= close.end);
  let rest = text.slice(close.end);
  for (const c of after.reverse()) rest = rest.slice(0, c.range.start - close.end) + rest.slice(c.range.end - close.end);
  if (rest.trim()) return false;
  return result.issues.every((i) => i.range.end <= close.start && (i.related ?? []).every((r) => r.range.end <= close.start));
}

/**
 * A deep copy with every offset moved by `delta`: AST nodes by their own `moved` (nodes.ts); any
 * other object (issues, diagnostics, their `{start, end}` ranges) by its own numeric `start`/`end`,
 * its prototype kept. Fresh objects: AST identity is per parse.
 */
function shifted<T>(value: T, delta: number): T {
  return shift(value, delta) as T;
}

function shift(value: unknown, delta: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // AST nodes move themselves (nodes.ts), with their constructors: several times faster.
  if (value instanceof Span) return value.moved(delta);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = shift(value[i], delta);
    return out;
  }
  const o = value as Record<string, unknown>;
  const out = Object.create(Object.getPrototypeOf(o)) as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    out[k] = typeof v === 'object' && v !== null ? shift(v, delta) : v;
  }
  if (typeof o.start === 'number' && typeof o.end === 'number') {
    out.start = (o.start as number) + delta;
    out.end = (o.end as number) + delta;
  }
  return out;
}

/** A top-level chunk of a file, placed at `start`: its trees and issues carry absolute offsets. */
interface Placed {
  readonly start: number;
  readonly members: ParseResult['ast']['members'];
  readonly comments: ParseResult['ast']['comments'];
  readonly issues: ParseResult['issues'];
  /** Structure diagnostics of the chunk (absolute offsets), computed on demand for the file's uri. */
  structure?: Diagnostic[];
}

/** A version's chunks by text: what the file's next version may re-use. Opaque to callers. */
export type Chunks = ReadonlyMap<string, Placed>;

/** `parse(text)`, plus what the next version of the same file may re-use. */
export interface IncrementalParse extends ParseResult {
  /**
   * This version's chunks, by text (empty after a plain parse). They are the same objects as the
   * tree's, so keeping them beside it costs nothing, and only the current version's are kept.
   */
  readonly chunks: Chunks;
  /** The chunks the tree was assembled from, in order; undefined after a plain parse. */
  readonly placed?: readonly Placed[];
}

const NONE: Chunks = new Map();

function plain(text: string): IncrementalParse {
  return { ...parse(text), chunks: NONE };
}

/** The chunk `text` at `start`: the previous version's if it had the same text (moved if need be), else parsed. */
function place(start: number, text: string, previous: Chunks): Placed | undefined {
  const prior = previous.get(text);
  if (prior) {
    if (prior.start === start) return prior;
    const delta = start - prior.start;
    return {
      start,
      members: shifted(prior.members, delta),
      comments: shifted(prior.comments, delta),
      issues: shifted(prior.issues, delta),
      structure: prior.structure && shifted(prior.structure, delta),
    };
  }
  const result = parse(text);
  if (!usable(result, text)) return undefined;
  return { start, members: shifted(result.ast.members, start), comments: shifted(result.ast.comments, start), issues: shifted(result.issues, start) };
}

/**
 * `parse(text)`, re-using the trees of unchanged top-level chunks of a large file from `previous`,
 * the result of parsing the file's previous version (undefined for its first version). A file's
 * first parse is a plain one: chunking pays off only from its first edit on, and a project that is
 * only read keeps one tree per file. Pass only the same file's previous result: linking keys its
 * tables by node identity, so two files (or two workspaces) must never share trees.
 */
export function parseIncremental(text: string, previous?: IncrementalParse, minLength = INCREMENTAL_MIN_LENGTH): IncrementalParse {
  if (text.length < minLength || previous === undefined) return plain(text);
  const starts = chunkStarts(text);
  if (starts.length < 2) return plain(text);
  const now = new Map<string, Placed>();
  const placedChunks: Placed[] = [];
  for (let i = 0; i < starts.length; i++) {
    const chunkText = text.slice(starts[i], starts[i + 1] ?? text.length);
    const p = place(starts[i], chunkText, previous.chunks);
    if (!p) return plain(text);
    placedChunks.push(p);
    now.set(chunkText, p);
  }
  const members: ParseResult['ast']['members'][number][] = [];
  const comments: ParseResult['ast']['comments'][number][] = [];
  const lexIssues: ParseResult['issues'][number][] = [];
  const parseIssues: ParseResult['issues'][number][] = [];
  for (const p of placedChunks) {
    for (const m of p.members) members.push(m);
    for (const c of p.comments) comments.push(c);
    // parse() lists lexer issues first, then the parser's.
    for (const issue of p.issues) (issue.code.startsWith('lex/') ? lexIssues : parseIssues).push(issue);
  }
  // Past the limit, parse() gives one issue for the whole file (grammar/src/limits.ts): so does this.
  if (lexIssues.length + parseIssues.length > MAX_SYNTAX_ISSUES) return plain(text);
  const ast: PaceFile = { type: 'file', members, comments, range: { start: 0, end: text.length } };
  return { ast, issues: [...lexIssues, ...parseIssues], chunks: now, placed: placedChunks };
}

/**
 * `checkStructure` of a parse, computed once per chunk and moved with it: the checks of a top-level
 * member depend on nothing but its own text. The chunks' diagnostics carry `uri`: pass the same uri
 * for every version of a file.
 */
export function checkStructureIncremental(uri: string, parsed: ParseResult | IncrementalParse, text: string): Diagnostic[] {
  const parts = 'placed' in parsed ? parsed.placed : undefined;
  const file = parsed.ast;
  if (!parts) return checkStructure(uri, file, text);
  const out: Diagnostic[] = [];
  for (const p of parts) {
    p.structure ??= checkStructure(uri, { type: 'file', members: p.members, comments: p.comments, range: { start: 0, end: text.length } }, text);
    for (const d of p.structure) out.push(d);
  }
  return out;
}
