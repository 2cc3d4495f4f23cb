// The one Pace lexer, shared by the parser, the formatter's safety net and the editor features'
// token view (server/src/core/ide/lex.ts). Built once, on first use.
//
// Offsets only: the grammar's few line questions ("same line?", "column 1?") are answered from the
// text, which makes lexing faster and tokens smaller. Validations are skipped: the token table is
// fixed and checked by the grammar tests.
import { Lexer, type ILexingResult } from 'chevrotain';
import { allTokens } from './tokens.js';

let lexer: Lexer | undefined;

/** The shared Chevrotain lexer over `allTokens`. */
export function paceLexer(): Lexer {
  return (lexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: true }));
}

/** Lexes `text`: tokens, the `comments` group, and errors (offsets only). */
export function tokenize(text: string): ILexingResult {
  return paceLexer().tokenize(text);
}
