// Incremental parsing for large files, by top-level chunk. A file is cut before every line that
// starts a top-level block at column 1 (`service x {`, `alerting p {`, `objective o {`, with the `///`
// doc comments right above it); each chunk is parsed on its own and memoised by its text, and the
// results are shifted to their offsets. An edit therefore re-parses one chunk, not the whole file.
//
// The result must equal `parse(text)`. A chunk's parse is used only when it is provably the same as
// in a whole-file parse: it has no syntax issue, or its last top-level block is closed by its own
// `}` after every issue. A chunk that ends inside a block comment or a raw string, or whose parse
// ran into its end, makes the whole file fall back to `parse(text)`. test/core/ide/incremental.test.ts
// checks the equality on random edits.
import { parse, type ParseResult } from '../../../../grammar/src/parser.js';
import type { PaceFile } from '../../../../grammar/src/ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkStructure } from '../validation/structure.js';

/** Below this size a whole-file parse is fast enough and always used. */
export const INCREMENTAL_MIN_LENGTH = 16_384;

interface Chunk {
  readonly result: ParseResult;
  /** The chunk parses as it would inside the whole file. */
  readonly usable: boolean;
}

const memo = new Map<string, Chunk>();
let memoChars = 0;
const MEMO_MAX_CHARS = 16_000_000;

const SPLIT = /^(?:service|alerting|objective)[ \t]+[A-Za-z_][A-Za-z0-9_:]*[ \t]*[{=]/gm;

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
    const prevStart = text.lastIndexOf('\n', start - 2) + 1;
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
    if (i.code === 'lex/unterminated-comment' || i.code === 'parse/internal-error') return false;
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

function chunk(text: string): Chunk {
  const hit = memo.get(text);
  if (hit) {
    memo.delete(text);
    memo.set(text, hit);
    return hit;
  }
  const result = parse(text);
  const c: Chunk = { result, usable: usable(result, text) };
  memo.set(text, c);
  memoChars += text.length;
  for (const [k] of memo) {
    if (memoChars <= MEMO_MAX_CHARS) break;
    memo.delete(k);
    memoChars -= k.length;
  }
  return c;
}

/** A deep copy with every `{start, end}` range moved by `delta`. Fresh objects: AST identity is per parse. */
function shifted<T>(value: T, delta: number): T {
  return shift(value, delta) as T;
}

function shift(value: unknown, delta: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = shift(value[i], delta);
    return out;
  }
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let isRange = true;
  let count = 0;
  for (const k in o) {
    const v = o[k];
    count++;
    if (typeof v === 'object' && v !== null) {
      out[k] = shift(v, delta);
      isRange = false;
    } else {
      out[k] = v;
      if (typeof v !== 'number' || (k !== 'start' && k !== 'end')) isRange = false;
    }
  }
  if (isRange && count === 2) {
    (out.start as number) += delta;
    (out.end as number) += delta;
  }
  return out;
}

interface Placed {
  readonly text: string;
  readonly members: ParseResult['ast']['members'];
  readonly comments: ParseResult['ast']['comments'];
  readonly issues: ParseResult['issues'];
}

/** Per file (key): the chunks of its previous parse by offset, whose shifted trees can be re-used as they are. */
const placed = new Map<string, Map<number, Placed>>();
const MAX_KEYS = 256;

function place(start: number, text: string, c: Chunk, previous: Map<number, Placed> | undefined): Placed {
  const prior = previous?.get(start);
  if (prior && prior.text === text) return prior;
  return { text, members: shifted(c.result.ast.members, start), comments: shifted(c.result.ast.comments, start), issues: shifted(c.result.issues, start) };
}

/**
 * `parse(text)`, re-using the parses of unchanged top-level chunks of a large file. `key` (the file's
 * uri) lets the trees of chunks that did not move be re-used from the file's previous parse; trees are
 * never shared between two keys, since linking keys its tables by node identity.
 */
export function parseIncremental(text: string, key?: string, minLength = INCREMENTAL_MIN_LENGTH): ParseResult {
  if (text.length < minLength) return parse(text);
  // A file's first parse is a plain one: chunking pays off only from its first edit on, and a
  // project that is only read (the CLI, files never edited) keeps one tree per file, not two.
  if (key !== undefined && !placed.has(key)) {
    placed.set(key, new Map());
    if (placed.size > MAX_KEYS) placed.delete(placed.keys().next().value!);
    return parse(text);
  }
  const starts = chunkStarts(text);
  if (starts.length < 2) return parse(text);
  const chunks: Chunk[] = [];
  for (let i = 0; i < starts.length; i++) {
    const c = chunk(text.slice(starts[i], starts[i + 1] ?? text.length));
    if (!c.usable) return parse(text);
    chunks.push(c);
  }
  const previous = key !== undefined ? placed.get(key) : undefined;
  const now = new Map<number, Placed>();
  const members: ParseResult['ast']['members'][number][] = [];
  const comments: ParseResult['ast']['comments'][number][] = [];
  const lexIssues: ParseResult['issues'][number][] = [];
  const parseIssues: ParseResult['issues'][number][] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const p = place(start, text.slice(start, starts[i + 1] ?? text.length), chunks[i], previous);
    now.set(start, p);
    members.push(...p.members);
    comments.push(...p.comments);
    // parse() lists lexer issues first, then the parser's.
    for (const issue of p.issues) (issue.code.startsWith('lex/') ? lexIssues : parseIssues).push(issue);
  }
  const ast: PaceFile = { type: 'file', members, comments, range: { start: 0, end: text.length } };
  placements.set(ast, starts.map((start, i) => ({ start, chunk: chunks[i], text: text.slice(start, starts[i + 1] ?? text.length) })));
  if (key !== undefined) {
    placed.delete(key);
    placed.set(key, now);
    if (placed.size > MAX_KEYS) placed.delete(placed.keys().next().value!);
  }
  return { ast, issues: [...lexIssues, ...parseIssues] };
}

/** The chunks a tree returned by parseIncremental was assembled from. */
const placements = new WeakMap<PaceFile, { start: number; chunk: Chunk; text: string }[]>();
/** Structure diagnostics of a chunk (relative offsets), per uri. */
const structureOf = new WeakMap<Chunk, Map<string, Diagnostic[]>>();

/**
 * `checkStructure`, computed once per chunk text and shifted into place: the checks of a top-level
 * member depend on nothing but its own text.
 */
export function checkStructureIncremental(uri: string, file: PaceFile, text: string): Diagnostic[] {
  const parts = placements.get(file);
  if (!parts) return checkStructure(uri, file, text);
  const out: Diagnostic[] = [];
  for (const { start, chunk: c, text: chunkText } of parts) {
    let byUri = structureOf.get(c);
    if (!byUri) structureOf.set(c, (byUri = new Map()));
    let rel = byUri.get(uri);
    if (!rel) byUri.set(uri, (rel = checkStructure(uri, c.result.ast, chunkText)));
    for (const d of rel) out.push(start ? shifted(d, start) : d);
  }
  return out;
}
