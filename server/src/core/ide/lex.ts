// Token-level view of the text for features that must work on incomplete code (completion) or need
// tokens the syntax tree does not keep (keywords of alert rules for semantic highlighting).
import type { IToken } from 'chevrotain';
import { tokenize } from '../../../../grammar/src/lexer.js';

export interface Tok {
  readonly type: string;
  readonly image: string;
  readonly start: number;
  readonly end: number;
  /** A keyword token (`service`, `over`, …): lexed as a keyword, usable as a name too. */
  readonly keyword: boolean;
}

export interface Lexed {
  readonly tokens: Tok[];
  readonly comments: Tok[];
}

function tok(t: IToken, base: number): Tok {
  return { type: t.tokenType.name, image: t.image, start: base + t.startOffset, end: base + t.startOffset + t.image.length, keyword: t.tokenType.name.startsWith('Kw_') };
}

/** Lexes `text.slice(from, to)`; offsets are in the whole text. */
export function lex(text: string, from = 0, to = text.length): Lexed {
  const r = tokenize(from === 0 && to === text.length ? text : text.slice(from, to));
  return { tokens: r.tokens.map((t) => tok(t, from)), comments: (r.groups.comments ?? []).map((t) => tok(t, from)) };
}

export const isIdent = (t: Tok | undefined): boolean => !!t && (t.type === 'Identifier' || t.keyword);
export const isNumberTok = (t: Tok | undefined): boolean => !!t && (t.type === 'NumberLiteral' || t.type === 'Percentage' || t.type === 'Duration' || t.type === 'BadNumber');
export const isString = (t: Tok | undefined): boolean => !!t && /String/.test(t.type);
export const isCompare = (t: Tok | undefined): boolean => !!t && ['LessEq', 'GreaterEq', 'EqEq', 'Less', 'Greater'].includes(t.type);
