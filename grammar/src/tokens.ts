// The token vocabulary of Pace. This table is the single source for the lexer, the parser, the
// TextMate grammar's keyword list (checked by a test) and keyword completion.
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\uFEFF]+/, group: Lexer.SKIPPED });
export const DocComment = createToken({ name: 'DocComment', pattern: /\/\/\/[^\n]*/, group: 'comments' });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments', line_breaks: true });
/** A block comment that never ends: reported by the lexer wrapper, kept as a comment. */
export const UnterminatedBlockComment = createToken({ name: 'UnterminatedBlockComment', pattern: /\/\*[\s\S]*/, group: 'comments', line_breaks: true });

/** Tokens that cannot start a member: the parser consumes and reports them instead of giving up a block. */
export const Stray = createToken({ name: 'Stray', pattern: Lexer.NA });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA, categories: [Stray] });
/** The escapes of a `"` string: the character after `\` → the character it stands for. Any other is lex/unknown-escape. */
export const STRING_ESCAPES: ReadonlyMap<string, string> = new Map([['"', '"'], ['\\', '\\'], ['n', '\n'], ['r', '\r'], ['t', '\t']]);
export const QuotedString = createToken({ name: 'QuotedString', pattern: /"(?:[^"\\\n]|\\.)*"/, categories: [StringLiteral] });
/** Backtick strings are raw and may span lines, as in PromQL and Go: handy for `promql` SLIs. */
export const RawString = createToken({ name: 'RawString', pattern: /`[^`]*`/, categories: [StringLiteral], line_breaks: true });
/** A string that reaches the end of its line: reported, then parsed as if it were closed there. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\r\n]|\\.)*/, categories: [StringLiteral] });
export const UnterminatedRawString = createToken({ name: 'UnterminatedRawString', pattern: /`[^`]*/, categories: [StringLiteral], line_breaks: true });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_:]*/ });
/**
 * A word with hyphens (`dba-team`), which is not a name. Never produced by the lexer itself ('-' is not
 * part of the language): parse() glues `word-word` back together where the lexer reported the '-', so
 * the value is one token and one diagnostic ("quote it"), not a cascade. Costs nothing on valid input.
 */
export const DashedWord = createToken({ name: 'DashedWord', pattern: Lexer.NA, categories: [Stray] });
/** A number glued to letters that are not a unit (`5min`, `1.5h`): one token, reported by the checker. */
export const BadNumber = createToken({ name: 'BadNumber', pattern: /[0-9][0-9.]*[A-Za-z_%][A-Za-z0-9_.%]*/, categories: [Stray] });
export const Percentage = createToken({ name: 'Percentage', pattern: /[0-9]+(?:\.[0-9]+)?%/, longer_alt: BadNumber, categories: [Stray] });
export const Duration = createToken({ name: 'Duration', pattern: /(?:[0-9]+(?:ms|s|m|h|d|w))+/, longer_alt: BadNumber, categories: [Stray] });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /[0-9]+(?:\.[0-9]+)?/, longer_alt: BadNumber, categories: [Stray] });

/** Keywords are identifiers too (category), so `objective`, `sli` or `window` can be attribute names. */
function keyword(word: string): TokenType {
  return createToken({ name: 'Kw_' + word, pattern: new RegExp(word), longer_alt: Identifier, categories: [Identifier] });
}
export const Kw = {
  service: keyword('service'),
  sli: keyword('sli'),
  slo: keyword('slo'),
  sla: keyword('sla'),
  alerting: keyword('alerting'),
  objective: keyword('objective'),
  kpi: keyword('kpi'),
  calendar: keyword('calendar'),
  credit: keyword('credit'),
  below: keyword('below'),
  when: keyword('when'),
  over: keyword('over'),
  and: keyword('and'),
  for: keyword('for'),
  in: keyword('in'),
} as const;
export const KEYWORDS: readonly string[] = Object.keys(Kw);

export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, categories: [Stray] });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, categories: [Stray] });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, categories: [Stray] });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, categories: [Stray] });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, categories: [Stray] });
export const Comma = createToken({ name: 'Comma', pattern: /,/, categories: [Stray] });
export const Dot = createToken({ name: 'Dot', pattern: /\./, categories: [Stray] });

/** Label matchers of selectors. */
export const MatchOp = createToken({ name: 'MatchOp', pattern: Lexer.NA, categories: [Stray] });
export const RegexMatch = createToken({ name: 'RegexMatch', pattern: /=~/, categories: [MatchOp] });
export const RegexNoMatch = createToken({ name: 'RegexNoMatch', pattern: /!~/, categories: [MatchOp] });
export const NotEquals = createToken({ name: 'NotEquals', pattern: /!=/, categories: [MatchOp] });
/** Comparisons of targets and alert rules. */
export const CompareOp = createToken({ name: 'CompareOp', pattern: Lexer.NA, categories: [Stray] });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/, categories: [CompareOp] });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/, categories: [CompareOp] });
export const EqEq = createToken({ name: 'EqEq', pattern: /==/, categories: [CompareOp] });
export const Less = createToken({ name: 'Less', pattern: /</, categories: [CompareOp] });
export const Greater = createToken({ name: 'Greater', pattern: />/, categories: [CompareOp] });
/** `=>` and `=<`: `>=` and `<=` written the other way round; parsed as those, reported by the checker with a fix. */
export const MisspeltCompare = createToken({ name: 'MisspeltCompare', pattern: /=[<>]/, categories: [CompareOp] });
export const Equals = createToken({ name: 'Equals', pattern: /=/, categories: [MatchOp] });

export const allTokens: TokenType[] = [
  WhiteSpace,
  DocComment,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  QuotedString,
  RawString,
  UnterminatedString,
  UnterminatedRawString,
  StringLiteral,
  Stray,
  Percentage,
  Duration,
  NumberLiteral,
  BadNumber,
  DashedWord,
  ...Object.values(Kw),
  Identifier,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Comma,
  Dot,
  RegexMatch,
  RegexNoMatch,
  NotEquals,
  MatchOp,
  LessEq,
  GreaterEq,
  EqEq,
  MisspeltCompare,
  Less,
  Greater,
  CompareOp,
  Equals,
];

/** The blocks that may stand at the top of a file; each declares a top-level name. The one list. */
export const TOP_LEVEL_KEYWORDS = ['service', 'alerting', 'objective'] as const;
export type TopLevelKeyword = (typeof TOP_LEVEL_KEYWORDS)[number];
