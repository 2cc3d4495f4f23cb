// The Pace parser: a Chevrotain EmbeddedActionsParser that builds the AST directly (no CST), with
// error recovery on. The grammar is deliberately generic — blocks, attributes, alert rules and credit
// tiers — so that a misspelled keyword is a precise checker diagnostic rather than a parse error, and
// so that recovery re-synchronises on every member. Which blocks and attributes exist is decided by
// the block table in server/src/core/language/blocks.ts.
import {
  createTokenInstance,
  EmbeddedActionsParser,
  EOF,
  tokenMatcher,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import * as T from './tokens.js';
import { tokenize } from './lexer.js';
import { DispatchLookaheadStrategy } from './lookahead.js';
import { DURATION_UNITS, UNIT_WORDS as UNIT_WORDS_TABLE } from './units.js';
import { cutTooDeep, tooDeepMessage, tooManyIssues } from './limits.js';
import type { ILexingResult } from 'chevrotain';
import * as N from './nodes.js';
import type {
  AlertRule,
  Attribute,
  Block,
  CalendarValue,
  Comment,
  CompareOperator,
  CreditRule,
  Matcher,
  MatchOperator,
  Member,
  Name,
  PaceFile,
  Range,
  SelectorValue,
  StringValue,
  Value,
} from './ast.js';

export interface SyntaxIssue {
  readonly code: string;
  readonly message: string;
  readonly range: Range;
  readonly related?: { readonly range: Range; readonly message: string }[];
}

export interface ParseResult {
  readonly ast: PaceFile;
  readonly issues: readonly SyntaxIssue[];
}

// The shared lexer (lexer.ts) tracks offsets only: the grammar's few line questions ("same line?",
// "column 1?") are answered from the text (sameLine, atLineStart).

/** Top-level keywords; a block that starts with one at column 1 ends any block left open above it. */
const TOP_LEVEL: ReadonlySet<string> = new Set(T.TOP_LEVEL_KEYWORDS);

/** Tokens that can only start a value (not a name): after a lone name they mean a forgotten '='. */
const VALUE_START = [T.Percentage, T.Duration, T.NumberLiteral, T.BadNumber, T.StringLiteral, T.LBracket];

const BLOCK_KEYWORDS = new Set(['service', 'sli', 'slo', 'sla', 'alerting', 'objective', 'kpi', 'labels', 'annotations']);

/** Words written after a number that mean a unit Pace spells otherwise. */
/** Unit words that may follow a number after a space (`30 days`): the checker turns them into a fix. One-letter units are names there. */
const UNIT_WORDS = new Set(Object.keys(UNIT_WORDS_TABLE).filter((w) => w.length > 1));

/** Blocks that live inside a service or an objective and never inside one another. */
const MEMBER_BLOCKS = new Set(['sli', 'slo', 'sla', 'kpi']);

/** `=>` and `=<` stand for `>=` and `<=` (reported by the checker). */
function compareOp(t: IToken): CompareOperator {
  return t.tokenType !== T.MisspeltCompare ? (t.image as CompareOperator) : t.image === '=>' ? '>=' : '<=';
}
function misspelt(t: IToken): string | undefined {
  return t.tokenType === T.MisspeltCompare ? t.image : undefined;
}

const RULE_WORDS = new Set(['over', 'and', 'for', 'below', 'when']);


export function parseDuration(raw: string): number {
  let total = 0;
  for (const m of raw.matchAll(/([0-9]+)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]];
  return total;
}

function tokenLabel(t: TokenType): string {
  switch (t) {
    case T.LBrace: return "'{'";
    case T.RBrace: return "'}'";
    case T.LBracket: return "'['";
    case T.RBracket: return "']'";
    case T.LParen: return "'('";
    case T.RParen: return "')'";
    case T.Comma: return "','";
    case T.Dot: return "'.'";
    case T.Equals: return "'='";
    case T.MatchOp: return 'a label matcher (=, !=, =~, !~)';
    case T.CompareOp: return 'a comparison (<, <=, >, >=, ==)';
    case T.Identifier: return 'a name';
    case T.StringLiteral: return 'a string';
    case T.NumberLiteral: return 'a number';
    case T.Percentage: return 'a percentage';
    case T.Duration: return 'a duration';
    case EOF: return 'end of file';
  }
  if (t.name.startsWith('Kw_')) return `'${t.name.slice(3)}'`;
  return t.name;
}

/** A token's text as a message quotes it: a long one (a 5 MB name, a line of noise) is cut. */
function brief(image: string): string {
  return image.length > 60 ? `${image.slice(0, 57)}…` : image;
}

function shown(token: IToken): string {
  return tokenMatcher(token, EOF) ? 'the end of the file' : `'${brief(token.image)}'`;
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `Expected ${tokenLabel(expected)} but found ${shown(actual)}.`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `Unexpected ${shown(firstRedundant)}: expected a block such as 'service', 'alerting' or 'objective'.`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const what = ruleName === 'value' ? 'a value (number, percentage, duration, string, name, list or selector)' : ruleName === 'member' ? 'an attribute, a block or a rule' : 'something else';
    return `Unexpected ${shown(actual[0])}: expected ${what}.`;
  },
  buildEarlyExitMessage({ actual }) {
    return `Unexpected ${shown(actual[0])}.`;
  },
};

class PaceParser extends EmbeddedActionsParser {
  text = '';
  /** Offset of the first token after a run of `///` comments → that run. */
  docRuns = new Map<number, Comment[]>();
  extraIssues: SyntaxIssue[] = [];
  depth = 0;
  /** From braceHints(): '}' tokens that close nothing, and where blocks without their own '}' end. */
  strayBraces?: Set<number>;
  blockEnds?: Map<number, number>;

  /**
   * `validate`: run Chevrotain's grammar checks (ambiguities, left recursion…); the tests do, parse()
   * need not. `chevrotainLookahead`: choose alternatives with Chevrotain's own functions rather than
   * lookahead.ts's (the same choices; the tests compare the two).
   */
  constructor(validate = false, chevrotainLookahead = false) {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: messages,
      skipValidations: !validate,
      ...(chevrotainLookahead ? {} : { lookaheadStrategy: new DispatchLookaheadStrategy({ maxLookahead: 3 }) }),
    });
    this.performSelfAnalysis();
  }

  private range(first: IToken, last: IToken): Range {
    const start = first.startOffset;
    const endTok = isReal(last) ? last : first;
    return { start, end: endTok.startOffset + endTok.image.length };
  }

  private name(t: IToken): Name {
    return new N.NameNode(intern(t.image), t.startOffset, t.startOffset + t.image.length);
  }

  /** Top-level members parsed so far: the file rule's recovery value keeps them. */
  topMembers: Member[] = [];

  // Alternatives of the hot ORs, built once: Chevrotain accepts a cached array, and building the
  // objects and closures on every call was most of the parser's allocation. They read what they
  // need from the fields below instead of capturing locals.
  private fileAlts?: IOrAlt<void>[];
  private memberAlts?: IOrAlt<Member | undefined>[];
  private bodyAlts?: IOrAlt<void>[];
  private blockOrAttributeAlts?: IOrAlt<Block | Attribute>[];
  private requiredValueAlts?: IOrAlt<Value | undefined>[];
  private valueAlts?: IOrAlt<Value | undefined>[];
  private refAlts?: IOrAlt<Value | undefined>[];
  /** The members of the innermost block being parsed. */
  private bodies: Member[][] = [];
  /** The name token just consumed by blockOrAttribute / refCallOrSelector, read at the start of an alternative. */
  private lastFirst!: IToken;

  public file = this.RULE('file', (): PaceFile => {
    const members: Member[] = (this.topMembers = []);
    this.MANY(() => {
      this.OR(
        (this.fileAlts ??= [
          {
            ALT: () => {
              const m = this.SUBRULE(this.member);
              if (m) this.ACTION(() => this.topMembers.push(m));
            },
          },
          { ALT: () => this.stray(this.CONSUME(T.Stray)) },
          { ALT: () => this.stray(this.CONSUME(T.RBrace)) },
        ]),
      );
    });
    return { type: 'file', members, comments: [], range: { start: 0, end: this.text.length } };
  }, { recoveryValueFunc: (): PaceFile => ({ type: 'file', members: this.topMembers, comments: [], range: { start: 0, end: this.text.length } }) });

  /** A token that cannot start a member: reported once per run of such tokens, then skipped. */
  private stray(t: IToken): void {
    this.ACTION(() => {
      if (!isReal(t)) return;
      const prev = this.extraIssues[this.extraIssues.length - 1];
      if (prev?.code === 'parse/unexpected-token' && /^\s*$/.test(this.text.slice(prev.range.end, t.startOffset))) {
        this.extraIssues[this.extraIssues.length - 1] = { ...prev, range: { start: prev.range.start, end: t.startOffset + t.image.length } };
        return;
      }
      const where = this.depth > 0 ? 'an attribute, a block or a rule' : "a block such as 'service', 'alerting' or 'objective'";
      this.extraIssues.push({ code: 'parse/unexpected-token', message: `Unexpected '${brief(t.image)}': expected ${where}.`, range: { start: t.startOffset, end: t.startOffset + t.image.length } });
    });
  }

  private member = this.RULE(
    'member',
    (): Member | undefined =>
      this.OR((this.memberAlts ??= [
        { GATE: () => this.LA(2).tokenType !== T.Equals, ALT: () => this.SUBRULE(this.credit) },
        { ALT: () => this.SUBRULE(this.alertRule) },
        { ALT: () => this.SUBRULE(this.blockOrAttribute) },
        // A name with nothing that makes it a member (typing in progress: `serv`, `service s`).
        // Handled here rather than as a no-viable-alternative error, whose message Chevrotain
        // builds by enumerating every lookahead path: far too slow for every keystroke.
        { ALT: () => this.danglingName(), IGNORE_AMBIGUITIES: true },
      ])),
    { recoveryValueFunc: () => undefined },
  );

  private danglingName(): Attribute | undefined {
    const first = this.CONSUME4(T.Identifier);
    let second: IToken | undefined;
    let value: Value | undefined;
    const sameLine = () => this.sameLine(first, this.LA(1));
    this.OPTION3({ GATE: sameLine, DEF: () => (second = this.CONSUME5(T.Identifier)) });
    // `objective 99.9%`: a value right after the name, with the '=' forgotten.
    this.OPTION4({ GATE: () => !second && sameLine() && VALUE_START.some((t) => tokenMatcher(this.LA(1), t)), DEF: () => (value = this.SUBRULE5(this.value)) });
    return this.ACTION(() => {
      const last = second ?? first;
      const t = this.LA(1);
      let words = second ? `${first.image} ${second.image}` : first.image;
      const range = { start: last.startOffset, end: last.startOffset + last.image.length };
      // `tier high`: a name and a word, where the first is no block keyword, is an attribute too.
      if (!value && second && !BLOCK_KEYWORDS.has(first.image)) {
        value = new N.RefNode([this.name(second)], second.startOffset, second.startOffset + second.image.length);
        words = first.image;
      }
      if (value) {
        this.extraIssues.push({ code: 'parse/expected-token', message: `Expected '=' between '${brief(words)}' and its value.`, range: { start: first.startOffset, end: first.startOffset + first.image.length } });
        return new N.AttributeNode(this.name(first), '=', value, first.startOffset, N.endOfNode(value));
      }
      this.extraIssues.push({
        code: 'parse/expected-token',
        message: second ? `Expected '{' after '${brief(words)}' but found ${shown(t)}.` : `Expected '=', '{' or a name after '${brief(words)}' but found ${shown(t)}.`,
        range,
      });
      return undefined;
    });
  }

  private credit = this.RULE('credit', (): CreditRule => {
    const kw = this.CONSUME(T.Kw.credit);
    const credit = this.SUBRULE(this.requiredValue);
    const below = this.CONSUME(T.Kw.below);
    const threshold = this.SUBRULE2(this.requiredValue);
    return this.ACTION(() => new N.CreditNode(this.name(kw), credit, threshold, kw.startOffset, endOf(threshold, below, kw)));
  });

  private alertRule = this.RULE('alertRule', (): AlertRule => {
    const sev = this.CONSUME(T.Identifier);
    this.CONSUME(T.Kw.when);
    const metric = this.CONSUME2(T.Identifier);
    const op = this.CONSUME(T.CompareOp);
    const factor = this.SUBRULE(this.requiredValue);
    const over = this.CONSUME(T.Kw.over);
    const longWindow = this.SUBRULE2(this.requiredValue);
    // `and SHORT` is optional: `page when burn_rate > 2 over 1h` is a single-window rule.
    let and: IToken | undefined;
    let shortWindow: Value | undefined;
    this.OPTION2(() => {
      and = this.CONSUME(T.Kw.and);
      shortWindow = this.SUBRULE3(this.requiredValue);
    });
    let forDuration: Value | undefined;
    let forTok: IToken | undefined;
    this.OPTION(() => {
      forTok = this.CONSUME(T.Kw.for);
      forDuration = this.SUBRULE4(this.requiredValue);
    });
    return this.ACTION(
      () =>
        new N.AlertRuleNode(
          this.name(sev),
          isReal(metric) ? this.name(metric) : undefined,
          isReal(op) ? compareOp(op) : undefined,
          factor,
          longWindow,
          shortWindow,
          forDuration,
          sev.startOffset,
          endOf(forDuration, forTok, shortWindow, and, longWindow, over, factor, op, metric, sev),
          isReal(op) && misspelt(op) ? this.name(op) : undefined,
        ),
    );
  });

  private blockOrAttribute = this.RULE('blockOrAttribute', (): Block | Attribute => {
    this.lastFirst = this.CONSUME(T.Identifier);
    return this.OR((this.blockOrAttributeAlts ??= [
      {
        // keyword name [= kind] { ... }
        ALT: () => {
          const first = this.lastFirst;
          const nameTok = this.CONSUME2(T.Identifier);
          let kindTok: IToken | undefined;
          this.OPTION(() => {
            this.CONSUME(T.Equals);
            kindTok = this.CONSUME3(T.Identifier);
          });
          const body = this.SUBRULE(this.blockBody);
          return this.ACTION(() => this.makeBlock(first, nameTok, kindTok, body));
        },
      },
      {
        // keyword { ... }   (labels { team = "x" })
        ALT: () => {
          const first = this.lastFirst;
          const body = this.SUBRULE2(this.blockBody);
          return this.ACTION(() => this.makeBlock(first, undefined, undefined, body));
        },
      },
      {
        ALT: () => {
          const first = this.lastFirst;
          const eq = this.CONSUME2(T.Equals);
          const value = this.SUBRULE(this.requiredValue);
          return this.ACTION(() => new N.AttributeNode(this.name(first), '=', value, first.startOffset, endOf(value, eq, first)));
        },
      },
      {
        ALT: () => {
          const first = this.lastFirst;
          const op = this.CONSUME(T.CompareOp);
          const value = this.SUBRULE2(this.requiredValue);
          return this.ACTION(() => {
            const opRange = this.range(op, op);
            const cmpEnd = endOf(value, op);
            const cmp = new N.ComparisonNode(compareOp(op), opRange, value, op.startOffset, cmpEnd, misspelt(op));
            return new N.AttributeNode(this.name(first), compareOp(op), cmp, first.startOffset, cmpEnd);
          });
        },
      },
    ]));
  });

  private makeBlock(first: IToken, nameTok: IToken | undefined, kindTok: IToken | undefined, body: BodyResult): Block {
    const run = this.docRuns.get(first.startOffset);
    const doc = run?.map((c) => c.text.replace(/^\/\/\/ ?/, '')).join('\n');
    const end = body.close ? body.close.end : body.lastEnd ?? body.open?.end ?? first.startOffset + first.image.length;
    if (!body.close && body.open) {
      this.extraIssues.push({
        code: 'parse/unclosed-block',
        message: `Block '${first.image}${nameTok && isReal(nameTok) ? ' ' + nameTok.image : ''}' is not closed: expected '}'.`,
        range: body.open,
      });
    }
    return new N.BlockNode(
      this.name(first),
      nameTok && isReal(nameTok) ? this.name(nameTok) : undefined,
      kindTok && isReal(kindTok) ? this.name(kindTok) : undefined,
      body.members,
      doc,
      run ? { start: run[0].range.start, end: run[run.length - 1].range.end } : undefined,
      body.open,
      body.close,
      first.startOffset,
      end,
    );
  }

  private blockBody = this.RULE(
    'blockBody',
    (): BodyResult => {
      const members: Member[] = [];
      const open = this.CONSUME(T.LBrace);
      // Where this block ends when it has no '}' of its own (see braceHints): usually undefined.
      const endAt = this.blockEnds && isReal(open) ? this.blockEnds.get(open.startOffset) : undefined;
      this.depth++;
      this.bodies.push(members);
      try {
        this.MANY({
          GATE: () => {
            const t = this.LA(1);
            if (endAt !== undefined && t.startOffset === endAt) return false;
            if (t.tokenType === T.RBrace) return this.strayBraces !== undefined && this.strayBraces.has(t.startOffset);
            return !this.startsTopLevelBlock();
          },
          DEF: () => {
            this.OR(
              (this.bodyAlts ??= [
                {
                  ALT: () => {
                    const m = this.SUBRULE(this.member);
                    if (m) this.ACTION(() => this.bodies[this.bodies.length - 1].push(m));
                    this.OPTION(() => this.CONSUME(T.Comma));
                  },
                },
                { ALT: () => this.stray(this.CONSUME(T.Stray)) },
                // A '}' that closes nothing (braceHints): one error here instead of a cascade below.
                { ALT: () => this.strayBrace(this.CONSUME2(T.RBrace)) },
              ]),
            );
          },
        });
      } finally {
        this.depth--;
        this.bodies.pop();
      }
      // The loop stops before '}', the end of the file, or a top-level block at column 1; only the
      // first closes this block, the others leave it open (reported by makeBlock). A block that
      // braceHints found without a '}' of its own leaves the '}' to the block it belongs to.
      let close: IToken | undefined;
      this.OPTION2({ GATE: () => endAt === undefined || this.LA(1).startOffset !== endAt, DEF: () => (close = this.CONSUME(T.RBrace)) });
      return this.ACTION(() => ({
        members,
        open: isReal(open) ? this.range(open, open) : undefined,
        close: isReal(close) ? this.range(close, close) : undefined,
        lastEnd: members.length ? members[members.length - 1].range.end : undefined,
      }));
    },
    { recoveryValueFunc: () => ({ members: [] }) },
  );

  private strayBrace(t: IToken): void {
    this.ACTION(() => {
      if (!isReal(t)) return;
      this.extraIssues.push({
        code: 'parse/unexpected-token',
        message: "Unexpected '}': this block has one '}' more than '{', and this one is not aligned with the block it would close.",
        range: { start: t.startOffset, end: t.startOffset + 1 },
      });
    });
  }

  /** Whether token `b` starts on the line where token `a` ends (b after a; false for the end of input). */
  private sameLine(a: IToken, b: IToken): boolean {
    if (!isReal(a) || !isReal(b)) return false;
    // Only the gap between the tokens is read (an indexOf could run to the end of a one-line file).
    const text = this.text;
    for (let i = a.startOffset + a.image.length; i < b.startOffset; i++) if (text.charCodeAt(i) === 10) return false;
    return true;
  }

  /** Whether a token starts in column 1. */
  private atLineStart(t: IToken): boolean {
    return isReal(t) && (t.startOffset === 0 || this.text.charCodeAt(t.startOffset - 1) === 10);
  }

  /** A name on a new line followed by `=`, a comparison or `{` starts the next member, not a value. */
  private startsNextMember(): boolean {
    const t = this.LA(1);
    const prev = this.LA(0);
    if (!tokenMatcher(t, T.Identifier) || !isReal(prev) || this.sameLine(prev, t)) return false;
    const next = this.LA(2);
    return tokenMatcher(next, T.Equals) || tokenMatcher(next, T.CompareOp) || tokenMatcher(next, T.LBrace) || tokenMatcher(next, T.Identifier);
  }

  /** A closing token that may be missing: reported once here, never a re-sync. */
  private close(tokenType: TokenType, what: string, open: IToken): IToken | undefined {
    let tok: IToken | undefined;
    this.OPTION9(() => (tok = this.CONSUME9(tokenType)));
    this.ACTION(() => {
      if (tok || !isReal(open)) return;
      const t = this.LA(1);
      const at = isReal(t) ? t.startOffset : this.text.length;
      this.extraIssues.push({
        code: 'parse/expected-token',
        message: `Expected ${tokenLabel(tokenType)} to close the ${what} opened at '${brief(open.image)}' but found ${shown(t)}.`,
        range: { start: at, end: isReal(t) ? at + t.image.length : at },
      });
    });
    return tok;
  }

  /** Inside a block: `service x {` (or alerting/objective) at column 1 ends an unclosed block. */
  private startsTopLevelBlock(): boolean {
    const t = this.LA(1);
    if (this.depth === 0 || !this.atLineStart(t) || !TOP_LEVEL.has(t.image)) return false;
    return tokenMatcher(this.LA(2), T.Identifier) && (tokenMatcher(this.LA(3), T.LBrace) || tokenMatcher(this.LA(3), T.Equals));
  }

  /**
   * A value that must be there. When it is missing, report it here and go on without re-syncing:
   * Chevrotain's re-sync matches follow sets by token category, so a keyword such as `over` would
   * otherwise make recovery skip far past the place the value was missing.
   */
  private requiredValue = this.RULE('requiredValue', (): Value | undefined =>
    this.OR((this.requiredValueAlts ??= [
      { GATE: () => !RULE_WORDS.has(this.LA(1).image) && !this.startsNextMember(), ALT: () => this.SUBRULE(this.value) },
      {
        ALT: () => {
          this.ACTION(() => {
            const t = this.LA(1);
            const at = isReal(t) ? t.startOffset : this.text.length;
            this.extraIssues.push({
              code: 'parse/expected-token',
              message: `Expected a value (number, percentage, duration, string, name, list or selector) but found ${shown(t)}.`,
              range: { start: at, end: isReal(t) ? at + t.image.length : at },
            });
          });
          return undefined;
        },
      },
    ])),
  );

  private value = this.RULE(
    'value',
    (): Value | undefined =>
      this.OR((this.valueAlts ??= [
        { ALT: () => this.numberValue(this.CONSUME(T.Percentage), 'percent') },
        { ALT: () => this.numberValue(this.CONSUME(T.Duration), 'duration') },
        {
          ALT: () => {
            const n = this.CONSUME(T.NumberLiteral);
            // `30 days`, `5 min`: one malformed number, so the checker can offer `30d`.
            let unit: IToken | undefined;
            this.OPTION5({ GATE: () => UNIT_WORDS.has(this.LA(1).image.toLowerCase()) && this.sameLine(n, this.LA(1)), DEF: () => (unit = this.CONSUME6(T.Identifier)) });
            return this.ACTION(() => (unit ? new N.BadNumberNode(`${n.image} ${unit.image}`, n.startOffset, unit.startOffset + unit.image.length) : this.numberValue(n, 'none')));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.BadNumber);
            return new N.BadNumberNode(t.image, t.startOffset, t.startOffset + t.image.length);
          },
        },
        { ALT: () => this.stringValue(this.CONSUME(T.StringLiteral)) },
        { ALT: () => this.SUBRULE(this.list) },
        {
          ALT: () => {
            const op = this.CONSUME(T.CompareOp);
            const v = this.SUBRULE(this.requiredValue);
            return this.ACTION(() => new N.ComparisonNode(compareOp(op), this.range(op, op), v, op.startOffset, endOf(v, op), misspelt(op)));
          },
        },
        {
          GATE: () => tokenMatcher(this.LA(2), T.Identifier) && this.sameLine(this.LA(1), this.LA(2)),
          ALT: () => this.SUBRULE(this.calendar),
        },
        // The words that continue an alert rule or a credit tier are never references.
        { GATE: () => !RULE_WORDS.has(this.LA(1).image), ALT: () => this.SUBRULE(this.refCallOrSelector) },
        { ALT: () => this.SUBRULE(this.selectorBody) },
        // Last: the common alternatives are tried first.
        {
          // `owner = dba-team`: a name with hyphens, kept whole so the checker can say "quote it".
          ALT: () => {
            const t = this.CONSUME(T.DashedWord);
            return new N.RefNode([this.name(t)], t.startOffset, t.startOffset + t.image.length);
          },
        },
      ])),
    { recoveryValueFunc: () => undefined },
  );

  private numberValue(t: IToken, unit: 'percent' | 'duration' | 'none'): Value {
    const raw = intern(t.image);
    const value = unit === 'percent' ? Number(raw.slice(0, -1)) : unit === 'duration' ? parseDuration(raw) : Number(raw);
    return new N.NumberNode(unit, value, raw, t.startOffset, t.startOffset + t.image.length);
  }

  private stringValue(t: IToken): StringValue {
    const raw = t.image;
    let value: string;
    if (raw.startsWith('`')) value = raw.endsWith('`') && raw.length > 1 ? raw.slice(1, -1) : raw.slice(1);
    else {
      // The lexer knows: `"a\\"` (an escaped backslash) is closed, `"a\"` is not.
      const closed = t.tokenType === T.QuotedString;
      value = unescape(closed ? raw.slice(1, -1) : raw.slice(1));
    }
    return new N.StringNode(value, raw, t.startOffset, t.startOffset + t.image.length);
  }

  private calendar = this.RULE('calendar', (): CalendarValue | undefined => {
    const kw = this.CONSUME(T.Kw.calendar);
    const unit = this.CONSUME(T.Identifier);
    let tz: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Kw.in);
      tz = this.CONSUME(T.StringLiteral);
    });
    return this.ACTION(() => new N.CalendarNode(isReal(unit) ? this.name(unit) : undefined, tz && isReal(tz) ? this.stringValue(tz) : undefined, kw.startOffset, endOf(tz, unit, kw)));
  }, { recoveryValueFunc: () => undefined });

  private list = this.RULE('list', (): Value | undefined => {
    const open = this.CONSUME(T.LBracket);
    const items: Value[] = [];
    this.MANY(() => {
      const v = this.SUBRULE(this.value);
      if (v) this.ACTION(() => items.push(v));
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    const close = this.close(T.RBracket, 'list', open);
    return this.ACTION(() => new N.ListNode(items, open.startOffset, endOf(close, ...[...items].reverse(), open)));
  }, { recoveryValueFunc: () => undefined });

  private refCallOrSelector = this.RULE('refCallOrSelector', (): Value | undefined => {
    this.lastFirst = this.CONSUME(T.Identifier);
    return this.OR((this.refAlts ??= [
      {
        ALT: () => {
          const first = this.lastFirst;
          const open = this.CONSUME(T.LParen);
          const args: Value[] = [];
          this.MANY(() => {
            const v = this.SUBRULE(this.value);
            if (v) this.ACTION(() => args.push(v));
            this.OPTION(() => this.CONSUME(T.Comma));
          });
          const close = this.close(T.RParen, 'call', open);
          return this.ACTION(() => new N.CallNode(this.name(first), args, first.startOffset, endOf(close, ...[...args].reverse(), first)));
        },
      },
      {
        GATE: () => this.sameLine(this.lastFirst, this.LA(1)),
        ALT: () => {
          const first = this.lastFirst;
          const sel = this.SUBRULE(this.selectorBody);
          return this.ACTION(() => new N.SelectorNode(this.name(first), sel?.matchers ?? [], first.startOffset, sel ? N.endOfNode(sel) : first.startOffset + first.image.length));
        },
      },
      {
        ALT: () => {
          const first = this.lastFirst;
          const parts: IToken[] = [first];
          this.MANY2(() => {
            this.CONSUME(T.Dot);
            parts.push(this.CONSUME3(T.Identifier));
          });
          return this.ACTION(() => {
            const real = parts.filter(isReal);
            const last = real[real.length - 1] ?? first;
            return new N.RefNode(real.map((p) => this.name(p)), first.startOffset, last.startOffset + last.image.length);
          });
        },
      },
    ]));
  }, { recoveryValueFunc: () => undefined });

  private selectorBody = this.RULE('selectorBody', (): SelectorValue | undefined => {
    const open = this.CONSUME(T.LBrace);
    const matchers: Matcher[] = [];
    // Only `label op "string"` continues a selector, so a missing '}' is caught at the next line.
    this.MANY({ GATE: () => tokenMatcher(this.LA(2), T.MatchOp) && tokenMatcher(this.LA(3), T.StringLiteral), DEF: () => {
      const label = this.CONSUME(T.Identifier);
      const op = this.CONSUME(T.MatchOp);
      const str = this.CONSUME(T.StringLiteral);
      this.ACTION(() => {
        if (!isReal(label)) return;
        matchers.push(new N.MatcherNode(this.name(label), op.image as MatchOperator, isReal(str) ? this.stringValue(str) : undefined, label.startOffset, endOf(str, op, label)));
      });
      this.OPTION(() => this.CONSUME(T.Comma));
    } });
    const close = this.close(T.RBrace, 'selector', open);
    return this.ACTION(() => new N.SelectorNode(undefined, matchers, open.startOffset, endOf(close, ...[...matchers].reverse(), open)));
  }, { recoveryValueFunc: () => undefined });
}

interface BodyResult {
  members: Member[];
  open?: Range;
  close?: Range;
  lastEnd?: number;
}

/**
 * One string per distinct name or literal. A project repeats the same few hundred words (attribute
 * names, metric and label names, `99.9%`, `30d`) hundreds of thousands of times; each token's image is
 * a fresh substring, so interning roughly halves the memory the trees spend on strings.
 */
const interned = new Map<string, string>();
function intern(s: string): string {
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  if (interned.size >= 200_000) interned.clear();
  // A flat copy, so that the table never keeps a whole source text alive through a sliced string.
  const flat = (' ' + s).slice(1);
  interned.set(flat, flat);
  return flat;
}

function isReal(t: IToken | undefined): t is IToken {
  return !!t && !t.isInsertedInRecovery && Number.isFinite(t.startOffset) && t.tokenType !== EOF;
}

/** The end offset of the first thing in `things` that exists (tokens or AST nodes), in order. */
function endOf(...things: (IToken | { range: Range } | undefined)[]): number {
  for (const t of things) {
    if (!t) continue;
    if ('range' in t) return N.endOfNode(t);
    if (isReal(t)) return t.startOffset + t.image.length;
  }
  return 0;
}

function unescape(s: string): string {
  return s.includes('\\') ? s.replace(/\\(.)/g, (_, c: string) => T.STRING_ESCAPES.get(c) ?? c) : s;
}

let parser: PaceParser | undefined;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const LONE_SURROGATE_ONE = new RegExp(LONE_SURROGATE.source);

/**
 * Half of a UTF-16 pair with no other half: text from an editor or a program can hold one (a file read
 * as UTF-8 cannot). It is no character: written out as UTF-8 it becomes U+FFFD, and in PromQL the
 * escape `\ud800` that Prometheus refuses. One error each, at most 10.
 */
function loneSurrogates(text: string): SyntaxIssue[] {
  const wellFormed = (text as { isWellFormed?: () => boolean }).isWellFormed;
  if (wellFormed ? wellFormed.call(text) : !LONE_SURROGATE_ONE.test(text)) return [];
  const out: SyntaxIssue[] = [];
  for (const m of text.matchAll(LONE_SURROGATE)) {
    if (out.length >= 10) break;
    const hex = m[0].charCodeAt(0).toString(16).toUpperCase();
    out.push({ code: 'lex/unexpected-character', message: `Unexpected character U+${hex}: half of a UTF-16 surrogate pair without its other half is not a character (written out, it would become U+FFFD).`, range: { start: m.index!, end: m.index! + 1 } });
  }
  return out;
}

/**
 * `\` in a `"` string escapes `"`, `\`, `n`, `r` or `t` (unescape). Any other (`\d`, `\.`, `\u2028`)
 * would read as the character alone, a string other than the one written (a regex `"\d+"` as `d+`):
 * one error per string, at its first such escape, saying how many there are.
 */
function unknownEscapes(t: IToken, out: SyntaxIssue[]): void {
  const s = t.image;
  let first = -1;
  let count = 0;
  for (let i = 1; i < s.length - 1; i++) {
    if (s.charCodeAt(i) !== 92) continue;
    const c = s[i + 1];
    if (!T.STRING_ESCAPES.has(c)) {
      if (first < 0) first = i;
      count++;
    }
    i++;
  }
  if (first < 0) return;
  const c = String.fromCodePoint(s.codePointAt(first + 1)!);
  const more = count > 1 ? ` (${count} such escapes in this string)` : '';
  out.push({
    code: 'lex/unknown-escape',
    message: `Unknown escape '\\${c}' in a string${more}: the escapes are \\", \\\\, \\n, \\r and \\t. For a backslash write \\\\ (a regex's \\d is "\\\\d"), or use a backtick string, which has no escapes.`,
    range: { start: t.startOffset + first, end: t.startOffset + first + 1 + c.length },
  });
}

/** Builds a parser with Chevrotain's grammar validations on: throws if the grammar has a definition error. */
export function validateGrammar(): void {
  new PaceParser(true);
}

/** For test/grammar/lookahead.test.ts: parse() from now on chooses alternatives with Chevrotain's own lookahead (true) or lookahead.ts's (false, the default). */
export function useChevrotainLookahead(on: boolean): void {
  parser = new PaceParser(false, on);
}

/** Lexes and parses one file. Never throws on any input; problems come back as issues. */
export function parse(text: string): ParseResult {
  parser ??= new PaceParser();
  const issues: SyntaxIssue[] = [];
  const lexed = tokenize(text);
  let tokens = lexed.tokens;
  let lexErrors = lexed.errors;
  if (lexErrors.length) ({ tokens, errors: lexErrors } = glueDashedWords(tokens, lexErrors, text));
  tokens = glueCommaNumbers(tokens, text);
  // Top-level blocks nested too deeply to parse safely are left out, with one error each (limits.ts).
  const deep = cutTooDeep(tokens, text);
  if (deep) {
    tokens = deep.tokens;
    lexErrors = lexErrors.filter((e) => !deep.covers(e.offset));
  }
  for (const e of lexErrors) {
    const len = Math.max(1, e.length);
    issues.push({ code: 'lex/unexpected-character', message: `Unexpected character '${text.substr(e.offset, len)}'.`, range: { start: e.offset, end: e.offset + len } });
  }
  issues.push(...loneSurrogates(text));
  const comments: Comment[] = [];
  for (const t of lexed.groups.comments ?? []) {
    const range = { start: t.startOffset, end: t.startOffset + t.image.length };
    if (t.tokenType === T.UnterminatedBlockComment) {
      issues.push({ code: 'lex/unterminated-comment', message: "Block comment is not closed: expected '*/'.", range: { start: t.startOffset, end: t.startOffset + 2 } });
    }
    comments.push(new N.CommentNode(t.tokenType === T.DocComment ? 'doc' : t.tokenType === T.LineComment ? 'line' : 'block', t.image, range.start, range.end));
  }
  for (const t of tokens) {
    if ((t.tokenType === T.QuotedString || t.tokenType === T.UnterminatedString) && t.image.includes('\\')) unknownEscapes(t, issues);
    if (t.tokenType === T.UnterminatedString || t.tokenType === T.UnterminatedRawString) {
      const q = t.image[0];
      issues.push({ code: 'lex/unterminated-string', message: `String is not closed: expected ${q === '"' ? "'\"'" : "'`'"} before the end of the ${q === '"' ? 'line' : 'file'}.`, range: { start: t.startOffset, end: t.startOffset + t.image.length } });
    }
  }
  parser.text = text;
  parser.docRuns = docRuns(comments, text);
  parser.extraIssues = [];
  parser.depth = 0;
  const hints = braceHints(tokens, text);
  parser.strayBraces = hints?.strays;
  parser.blockEnds = hints?.ends;
  parser.input = tokens;
  let file: PaceFile;
  try {
    file = parser.file();
  } catch (e) {
    // Chevrotain recovers from every recognition error; anything else is a bug, reported, never thrown.
    file = { type: 'file', members: [], comments: [], range: { start: 0, end: text.length } };
    issues.push({ code: 'parse/internal-error', message: `The parser failed: ${(e as Error).message}`, range: { start: 0, end: 0 } });
  }
  const seen = new Set(parser.extraIssues.map((i) => i.range.start));
  for (const e of parser.errors as IRecognitionException[]) {
    const t = e.token;
    const atEof = !isReal(t) || tokenMatcher(t, EOF);
    const start = atEof ? lastTokenEnd(tokens, text) : t.startOffset;
    const end = atEof ? start : t.startOffset + t.image.length;
    // A missing '}' is reported once, on the block that was left open (see makeBlock).
    if (seen.has(start)) continue;
    seen.add(start);
    issues.push({ code: e.name === 'MismatchedTokenException' ? 'parse/expected-token' : 'parse/unexpected-token', message: e.message, range: { start, end } });
  }
  for (const i of parser.extraIssues) issues.push(i); // not push(...): a garbage file has 100,000s
  for (const o of deep?.openers ?? []) issues.push({ code: 'parse/too-deep', message: tooDeepMessage(o), range: { start: o.startOffset, end: o.startOffset + 1 } });
  const tooMany = tooManyIssues(issues);
  if (tooMany) return { ast: { type: 'file', members: [], comments: [], range: { start: 0, end: text.length } }, issues: [tooMany] };
  return { ast: { ...file, comments }, issues };
}

type LexError = ILexingResult['errors'][number];

/**
 * `dba-team`: the lexer reports the '-' and splits the words. Where a lone '-' sits right between two
 * words, they become one DashedWord token and the error goes: the checker then reports the value once
 * ("quote it"). Runs only when the lexer reported something.
 */
function glueDashedWords(tokens: IToken[], errors: LexError[], text: string): { tokens: IToken[]; errors: LexError[] } {
  const keep: LexError[] = [];
  let out: IToken[] | undefined;
  let i = 0;
  for (const e of errors) {
    const list = out ?? tokens;
    while (i < list.length && list[i].startOffset + list[i].image.length < e.offset) i++;
    const before = list[i];
    const after = list[i + 1];
    if (e.length === 1 && text.charCodeAt(e.offset) === 45 /* - */ && isWord(before) && isWord(after) && before.startOffset + before.image.length === e.offset && after.startOffset === e.offset + 1 && /[A-Za-z_]/.test(text[before.startOffset])) {
      const start = before.startOffset;
      const end = after.startOffset + after.image.length;
      out ??= tokens.slice();
      out.splice(i, 2, createTokenInstance(T.DashedWord, text.slice(start, end), start, end - 1, NaN, NaN, NaN, NaN));
      continue;
    }
    keep.push(e);
  }
  return { tokens: out ?? tokens, errors: keep };
}

/**
 * `99,9%`, `12,000,000`: a number, a comma and a number with no space between them are one BadNumber
 * token (one diagnostic with the fix `99.9%`), not a number, a member separator and a stray. Done on
 * the tokens rather than in the grammar, which would cost every number; allocates only when found.
 */
function glueCommaNumbers(tokens: IToken[], text: string): IToken[] {
  let out: IToken[] | undefined;
  /** tokens[0, copied) are in `out`. */
  let copied = 0;
  const numberLiteral = T.NumberLiteral;
  const comma = T.Comma;
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i].tokenType !== numberLiteral || tokens[i + 1].tokenType !== comma) continue;
    let j = i;
    while (j + 2 < tokens.length && tokens[j].tokenType === T.NumberLiteral && tokens[j + 1].tokenType === T.Comma && isNumberToken(tokens[j + 2]) && adjacent(tokens[j], tokens[j + 1]) && adjacent(tokens[j + 1], tokens[j + 2])) j += 2;
    if (j === i) continue;
    out ??= [];
    for (let k = copied; k < i; k++) out.push(tokens[k]);
    const start = tokens[i].startOffset;
    const end = tokens[j].startOffset + tokens[j].image.length;
    out.push(createTokenInstance(T.BadNumber, text.slice(start, end), start, end - 1, NaN, NaN, NaN, NaN));
    copied = j + 1;
    i = j;
  }
  if (!out) return tokens;
  for (let k = copied; k < tokens.length; k++) out.push(tokens[k]);
  return out;
}

function adjacent(a: IToken, b: IToken): boolean {
  return a.startOffset + a.image.length === b.startOffset;
}

function isNumberToken(t: IToken): boolean {
  const tt = t.tokenType;
  return tt === T.NumberLiteral || tt === T.Percentage || tt === T.Duration || tt === T.BadNumber;
}

function isWord(t: IToken | undefined): t is IToken {
  return !!t && (tokenMatcher(t, T.Identifier) || t.tokenType === T.DashedWord || t.tokenType === T.NumberLiteral);
}

/** The top-level block headers that incremental parsing cuts before (see workspace/incremental.ts). */
const TOP_HEADER = new RegExp(`(?:${T.TOP_LEVEL_KEYWORDS.join('|')})[ \\t]+[A-Za-z_][A-Za-z0-9_:]*[ \\t]*[{=]`, 'y');

interface BraceHints {
  /** Offsets of '}' that close nothing. */
  readonly strays: Set<number>;
  /** Offset of a block's '{' → offset of the token it ends before, for blocks without their own '}'. */
  readonly ends: Map<number, number>;
}

/**
 * Where braces do not balance, indentation says which '}' is extra or which block lacks its '}'. The
 * file is cut into regions before each top-level block header at column 1, where incremental parsing
 * cuts it (so a region parses the same alone). In a region with more '}' than '{', a '}' that starts
 * its line right of the line of the '{' it would close closes nothing. In a region with fewer '}', an
 * inner block has no '}' of its own, and ends, (a) before a line that starts with `sli`, `slo`, `sla`
 * or `kpi` and a name at the block's indentation or left of it (the next member of the enclosing
 * block; these blocks never nest), or (b) before a '}' that starts its line left of the block's
 * indentation, aligned with an enclosing block's line (that block's '}'). Balanced regions, so every
 * valid file, are left alone: the cost is one pass over the token types.
 */
export function braceHints(tokens: readonly IToken[], text: string): BraceHints | undefined {
  let out: BraceHints | undefined;
  let regionStart = 0;
  let balance = 0;
  // Locals: this loop runs over every token of every parse.
  const lbrace = T.LBrace;
  const rbrace = T.RBrace;
  const kwService = T.Kw.service;
  const kwAlerting = T.Kw.alerting;
  const kwObjective = T.Kw.objective;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const tt = t.tokenType;
    if (tt === lbrace) balance--;
    else if (tt === rbrace) balance++;
    else if ((tt === kwService || tt === kwAlerting || tt === kwObjective) && i > regionStart && atLineStartForSplit(text, t.startOffset)) {
      TOP_HEADER.lastIndex = t.startOffset;
      if (TOP_HEADER.test(text)) {
        if (balance !== 0) resolveRegion(tokens, regionStart, i, balance, text, (out ??= { strays: new Set(), ends: new Map() }));
        regionStart = i;
        balance = 0;
      }
    }
  }
  if (balance !== 0) resolveRegion(tokens, regionStart, tokens.length, balance, text, (out ??= { strays: new Set(), ends: new Map() }));
  return out;
}

/** Where incremental.ts's multiline `^` matches: after any JavaScript line terminator. */
function atLineStartForSplit(text: string, offset: number): boolean {
  if (offset === 0) return true;
  const c = text.charCodeAt(offset - 1);
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * Columns and indentation at increasing offsets, in one forward pass over the text: searching back
 * for each token's line start would read the whole line every time (quadratic on a one-line file).
 */
class LineCursor {
  private start: number;
  private next: number;
  private indent = -1;
  constructor(
    private readonly text: string,
    from: number,
  ) {
    this.start = text.lastIndexOf('\n', from - 1) + 1;
    this.next = text.indexOf('\n', this.start);
  }
  private moveTo(offset: number): void {
    while (this.next !== -1 && this.next < offset) {
      this.start = this.next + 1;
      this.next = this.text.indexOf('\n', this.start);
      this.indent = -1;
    }
  }
  /** The column of `offset` (offsets never decrease from one call to the next). */
  col(offset: number): number {
    this.moveTo(offset);
    return offset - this.start;
  }
  /** Column of the first non-blank character of the line holding `offset` (at most `offset`'s column). */
  indentOf(offset: number): number {
    this.moveTo(offset);
    if (this.indent < 0) {
      let i = this.start;
      while (i < this.text.length && (this.text.charCodeAt(i) === 32 || this.text.charCodeAt(i) === 9)) i++;
      this.indent = i - this.start;
    }
    return Math.min(this.indent, offset - this.start);
  }
}

/** `surplus` > 0: that many '}' too many in tokens[from, to); < 0: that many missing. */
function resolveRegion(tokens: readonly IToken[], from: number, to: number, surplus: number, text: string, out: BraceHints): void {
  const opens: number[] = [];
  const indents: number[] = [];
  const lines = new LineCursor(text, from < tokens.length ? tokens[from].startOffset : text.length);
  for (let i = from; i < to && surplus !== 0; i++) {
    const t = tokens[i];
    if (t.tokenType === T.LBrace) {
      opens.push(t.startOffset);
      indents.push(lines.indentOf(t.startOffset));
      continue;
    }
    const isClose = t.tokenType === T.RBrace;
    if (!isClose && !(surplus < 0 && MEMBER_BLOCKS.has(t.image))) continue;
    const top = indents.length - 1;
    const col = lines.col(t.startOffset);
    const firstOnLine = lines.indentOf(t.startOffset) === col;
    if (isClose) {
      if (top < 0) continue;
      if (surplus > 0 && firstOnLine && col > indents[top]) {
        out.strays.add(t.startOffset);
        surplus--;
        continue;
      }
      if (surplus < 0 && firstOnLine && top >= 1 && col < indents[top]) {
        let j = top - 1;
        while (j > 0 && indents[j] > col) j--;
        if (indents[j] === col && top - j <= -surplus) {
          for (let k = top; k > j; k--) out.ends.set(opens[k], t.startOffset);
          surplus += top - j;
          opens.length = indents.length = j + 1;
        }
      }
      opens.pop();
      indents.pop();
      continue;
    }
    // A member block keyword at the start of its line, with a name and then '{' or '='.
    const next = tokens[i + 1];
    const third = tokens[i + 2];
    if (!firstOnLine || !next || !tokenMatcher(next, T.Identifier) || !third || (third.tokenType !== T.LBrace && third.tokenType !== T.Equals)) continue;
    while (surplus < 0 && opens.length >= 2 && col <= indents[indents.length - 1]) {
      out.ends.set(opens.pop()!, t.startOffset);
      indents.pop();
      surplus++;
    }
  }
}

function lastTokenEnd(tokens: IToken[], text: string): number {
  const t = tokens[tokens.length - 1];
  return t ? t.startOffset + t.image.length : text.length;
}

/**
 * Runs of `///` comments, keyed by the offset of the first token after them. A doc comment must be
 * the first thing on its line (`x = 1 /// y` documents nothing), and a blank line ends a run.
 */
function docRuns(comments: Comment[], text: string): Map<number, Comment[]> {
  const runs = new Map<number, Comment[]>();
  let run: Comment[] = [];
  const flush = () => {
    if (!run.length) return;
    let i = run[run.length - 1].range.end;
    while (i < text.length && /\s/.test(text[i])) i++;
    runs.set(i, run);
    run = [];
  };
  for (const c of comments) {
    if (c.kind !== 'doc' || !firstOnItsLine(text, c.range.start)) {
      flush();
      continue;
    }
    if (run.length && !/^[ \t]*\r?\n[ \t]*$/.test(text.slice(run[run.length - 1].range.end, c.range.start))) flush();
    run.push(c);
  }
  flush();
  return runs;
}

/** Whether only blanks precede `offset` on its line (read backwards over the blanks only): where a `///` documents. */
export function firstOnItsLine(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  return i < 0 || text.charCodeAt(i) === 10;
}

export { T as tokens };
