// Bounds on what the parser is asked to read, so that no input can overflow the stack of the parser
// or of the stages that walk its tree (checker, normalizer, formatter, editor features), whether in
// the CLI, the language server or its preview worker (whose stack is smaller).
//
// Nesting: the parser is recursive (a block in a block, a list in a list, a call in a call), about a
// dozen stack frames per level; real files nest fewer than 10 levels. Past MAX_NESTING levels of `{`,
// `[` and `(` (counted together, outside strings and comments), the top-level block holding the
// opener is left out of the parse and one `parse/too-deep` error points at that opener; the rest of
// the file is parsed as usual. PromQL inside a raw string is one token here; validation/promql.ts
// bounds it on its own.
import type { IToken } from 'chevrotain';
import * as T from './tokens.js';

/** The deepest nesting of `{`, `[` and `(` the parser reads. */
export const MAX_NESTING = 256;

/**
 * Syntax errors per file past which the text is not taken for Pace (random bytes, a binary, another
 * language): instead of a list nobody reads (a 10 MB file of noise has a million), one
 * `parse/too-many-errors` at the first error, which it quotes, and no tree, so the checker adds
 * nothing either. Output, the editor's diagnostics and the work after parsing stay bounded.
 */
export const MAX_SYNTAX_ISSUES = 1_000;

export interface DepthCut {
  /** The tokens to parse: those of the top-level blocks that nest too deeply are gone. */
  readonly tokens: IToken[];
  /** One per top-level block left out: the first opener past the limit. */
  readonly openers: readonly IToken[];
  /** Whether an offset lies in a block left out (its lexer errors go with it). */
  covers(offset: number): boolean;
}

/**
 * The tokens without the top-level blocks that nest deeper than MAX_NESTING, or undefined when no
 * block does (the usual case: one pass over the tokens, nothing allocated). A top-level block runs
 * from a top-level keyword at the start of a line (or the file's first token) to the next one, as
 * the parser's own recovery cuts an unclosed block.
 */
export function cutTooDeep(tokens: readonly IToken[], text: string): DepthCut | undefined {
  const lbrace = T.LBrace;
  const lbracket = T.LBracket;
  const lparen = T.LParen;
  const rbrace = T.RBrace;
  const rbracket = T.RBracket;
  const rparen = T.RParen;
  let depth = 0;
  let regionStart = 0;
  /** [start, end) token ranges to drop, and the opener of each. */
  let drops: { from: number; to: number; opener: IToken }[] | undefined;
  let over: IToken | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const tt = t.tokenType;
    if (tt === lbrace || tt === lbracket || tt === lparen) {
      if (++depth > MAX_NESTING && over === undefined) over = t;
    } else if (tt === rbrace || tt === rbracket || tt === rparen) {
      if (depth > 0) depth--;
    } else if (i > regionStart && isTopLevelStart(t, text, depth)) {
      if (over !== undefined) (drops ??= []).push({ from: regionStart, to: i, opener: over });
      over = undefined;
      regionStart = i;
      depth = 0;
    }
  }
  if (over !== undefined) (drops ??= []).push({ from: regionStart, to: tokens.length, opener: over });
  if (drops === undefined) return undefined;
  const kept: IToken[] = [];
  let next = 0;
  for (const d of drops) {
    for (let i = next; i < d.from; i++) kept.push(tokens[i]);
    next = d.to;
  }
  for (let i = next; i < tokens.length; i++) kept.push(tokens[i]);
  const spans = drops.map((d) => [tokens[d.from].startOffset, d.to < tokens.length ? tokens[d.to].startOffset : text.length] as const);
  return { tokens: kept, openers: drops.map((d) => d.opener), covers: (offset) => spans.some(([a, b]) => offset >= a && offset < b) };
}

/** The message of `parse/too-deep` at an opener. */
export function tooDeepMessage(opener: IToken): string {
  return `Nested too deeply: this '${opener.image}' opens level ${MAX_NESTING + 1}, past the limit of ${MAX_NESTING} levels of '{', '[' and '(' together. The top-level block that holds it is not read.`;
}

/** A top-level keyword outside any bracket, or at the start of a line (where an unclosed block ends). */
/** The one issue that stands for more than MAX_SYNTAX_ISSUES, or undefined when there are not that many. */
export function tooManyIssues(issues: readonly { readonly message: string; readonly range: { readonly start: number; readonly end: number } }[]): { code: 'parse/too-many-errors'; message: string; range: { start: number; end: number } } | undefined {
  if (issues.length <= MAX_SYNTAX_ISSUES) return undefined;
  let first = issues[0];
  for (const i of issues) if (i.range.start < first.range.start) first = i;
  const n = (x: number) => x.toLocaleString('en-US');
  const message = `${n(issues.length)} syntax errors (more than ${n(MAX_SYNTAX_ISSUES)}): this does not look like Pace, and is not checked further. The first: ${first.message}`;
  return { code: 'parse/too-many-errors', message, range: { start: first.range.start, end: first.range.end } };
}

function isTopLevelStart(t: IToken, text: string, depth: number): boolean {
  const tt = t.tokenType;
  if (tt !== T.Kw.service && tt !== T.Kw.alerting && tt !== T.Kw.objective) return false;
  const at = t.startOffset;
  if (at === 0 || depth === 0) return true;
  const c = text.charCodeAt(at - 1);
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}
