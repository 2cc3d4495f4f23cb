// The one Pace lexer, shared by the parser, the formatter's safety net and the editor features'
// token view (server/src/core/ide/lex.ts). Built once, on first use.
//
// Offsets only: the grammar's few line questions ("same line?", "column 1?") are answered from the
// text, which makes lexing faster and tokens smaller. Validations are skipped: the token table is
// fixed and checked by the grammar tests.
//
// Characters no token can start with (`@`, `#`, `$`, `;`, non-ASCII, control characters) are
// matched in runs by one more token type, Unlexable, and handed back as the lexer errors Chevrotain
// would have reported (adjacent errors merged, as its own are). Chevrotain's error recovery tries
// every token pattern at every such character: 10 MB of them took 13 s to lex, and now take well
// under a second. A test compares the two lexers on random text.
import { createToken, Lexer, type ILexingError, type ILexingResult, type IToken } from 'chevrotain';
import { allTokens } from './tokens.js';

/** A run of characters that cannot start any token of `allTokens` (see their patterns). */
const UNLEXABLE = /[^ \t\r\n\f\v\uFEFF/"`A-Za-z_0-9{}[\](),.=!<>]+/;
export const Unlexable = createToken({ name: 'Unlexable', pattern: UNLEXABLE, start_chars_hint: unlexableStarts() });

/**
 * Every UTF-16 code unit Unlexable can start with. Chevrotain cannot work out the first characters
 * of a complement set by itself, and without them it gives up its first-character dispatch for the
 * whole lexer and tries every pattern at every token (lexing 1.8 MB of Pace took 6.6× as long).
 * The set's excluded characters are ASCII and U+FEFF, so only those are tested against the
 * pattern; every other code unit is in (the pattern tested on all 65,536 took ≈ 5 ms of every
 * start, in every thread; test/grammar/lexer.test.ts holds the two equal).
 */
export function unlexableStarts(): number[] {
  const one = new RegExp(`^${UNLEXABLE.source.slice(0, -1)}$`);
  const codes: number[] = [];
  for (let c = 0; c <= 0xffff; c++) if ((c >= 0x80 && c !== 0xfeff) || one.test(String.fromCharCode(c))) codes.push(c);
  return codes;
}

let lexer: Lexer | undefined;

/** The shared Chevrotain lexer over `allTokens` (and Unlexable, which tokenize() turns into errors). */
export function paceLexer(): Lexer {
  return (lexer ??= new Lexer([...allTokens, Unlexable], { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: true }));
}

const LONE_CR = /\r(?!\n)/;
const LONE_CR_ALL = /\r(?!\n)/g;

/**
 * `text` with every lone `\r` (an old Mac line end) made a `\n`: the same length, so every offset
 * stays valid. A line break is `\n`, `\r\n` or a lone `\r`, as in LSP and VS Code; the lexer's
 * patterns (a `//` comment runs to the end of its line, a `"` string ends on its line) and the
 * stages after it only look for `\n`. A `\r` in a string value is written `\r`.
 */
export function lineFeeds(text: string): string {
  return text.indexOf('\r') >= 0 && LONE_CR.test(text) ? text.replace(LONE_CR_ALL, '\n') : text;
}

/** Lexes `source` (a lone `\r` is a line break: lineFeeds): tokens, the `comments` group, and errors (offsets only). */
export function tokenize(source: string): ILexingResult {
  const text = lineFeeds(source);
  const r = paceLexer().tokenize(text);
  let i = 0;
  while (i < r.tokens.length && r.tokens[i].tokenType !== Unlexable) i++;
  if (i === r.tokens.length) return r;
  const tokens: IToken[] = r.tokens.slice(0, i);
  const errors: ILexingError[] = [];
  let e = 0;
  const add = (offset: number, length: number) => {
    const last = errors[errors.length - 1];
    if (last && last.offset + last.length === offset) errors[errors.length - 1] = error(text, last.offset, last.length + length);
    else errors.push(error(text, offset, length));
  };
  for (; i < r.tokens.length; i++) {
    const t = r.tokens[i];
    if (t.tokenType !== Unlexable) {
      tokens.push(t);
      continue;
    }
    while (e < r.errors.length && r.errors[e].offset < t.startOffset) add(r.errors[e].offset, r.errors[e].length), e++;
    add(t.startOffset, t.image.length);
  }
  for (; e < r.errors.length; e++) add(r.errors[e].offset, r.errors[e].length);
  return { tokens, groups: r.groups, errors };
}

function error(text: string, offset: number, length: number): ILexingError {
  return { offset, length, line: undefined, column: undefined, message: `unexpected character: ->${text.charAt(offset)}<- at offset: ${offset}, skipped ${length} characters.` };
}
