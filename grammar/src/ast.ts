// The Pace syntax tree: plain, readonly data with offset ranges (UTF-16 code units, as JS strings).
// Fields that error recovery may leave out are optional and every consumer treats them so.
// Linking results never live here: see server/src/core/linking.

export interface Range {
  readonly start: number;
  readonly end: number;
}

export interface Name {
  readonly text: string;
  readonly range: Range;
}

export type CompareOperator = '<' | '<=' | '>' | '>=' | '==';
export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface NumberValue {
  readonly type: 'number';
  /** `percent`: value is the percentage as written (99.9); `duration`: value is milliseconds. */
  readonly unit: 'none' | 'percent' | 'duration';
  readonly value: number;
  readonly raw: string;
  readonly range: Range;
}
export interface StringValue {
  readonly type: 'string';
  readonly value: string;
  readonly raw: string;
  readonly range: Range;
}
/** `name` or `service.member`. */
export interface RefValue {
  readonly type: 'ref';
  readonly parts: readonly Name[];
  readonly range: Range;
}
export interface ListValue {
  readonly type: 'list';
  readonly items: readonly Value[];
  readonly range: Range;
}
export interface Matcher {
  readonly label: Name;
  readonly op: MatchOperator;
  readonly value?: StringValue;
  readonly range: Range;
}
/** A PromQL-style instant selector: `metric{label="v", label=~"re"}`. */
export interface SelectorValue {
  readonly type: 'selector';
  readonly metric?: Name;
  readonly matchers: readonly Matcher[];
  readonly range: Range;
}
/** `ratio(a, b)`, `avg(metric{...})`. */
export interface CallValue {
  readonly type: 'call';
  readonly fn: Name;
  readonly args: readonly Value[];
  readonly range: Range;
}
/** `calendar month in "Europe/Paris"`. */
export interface CalendarValue {
  readonly type: 'calendar';
  readonly unit?: Name;
  readonly timeZone?: StringValue;
  readonly range: Range;
}
/** `>= 3.5%` in `target >= 3.5%` or `good_when = < 0.5`. */
export interface ComparisonValue {
  readonly type: 'comparison';
  readonly op: CompareOperator;
  readonly opRange: Range;
  readonly value?: Value;
  /** Set when the operator was written `=>` or `=<` (then `op` is the `>=` or `<=` it stands for). */
  readonly written?: string;
  readonly range: Range;
}
export interface BadValue {
  readonly type: 'bad-number';
  readonly raw: string;
  readonly range: Range;
}

export type Value =
  | NumberValue
  | StringValue
  | RefValue
  | ListValue
  | SelectorValue
  | CallValue
  | CalendarValue
  | ComparisonValue
  | BadValue;

/** `keyword name = kind { members }`: `service checkout {`, `sli fast = latency {`, `labels {`. */
export interface Block {
  readonly type: 'block';
  readonly keyword: Name;
  readonly name?: Name;
  readonly kind?: Name;
  readonly members: readonly Member[];
  /** Text of the `///` comments right before the block, without the slashes. */
  readonly doc?: string;
  readonly docRange?: Range;
  readonly openBrace?: Range;
  /** Missing when the block was never closed. */
  readonly closeBrace?: Range;
  readonly range: Range;
}

/** `name = value` or `name OP value` (the latter stored as a comparison value). */
export interface Attribute {
  readonly type: 'attribute';
  readonly name: Name;
  /** `=` or the comparison operator written right after the name. */
  readonly op: '=' | CompareOperator;
  readonly value?: Value;
  readonly range: Range;
}

/** `page when burn_rate > 14.4 over 1h and 5m for 2m`. */
export interface AlertRule {
  readonly type: 'alert-rule';
  readonly severity: Name;
  readonly metric?: Name;
  readonly op?: CompareOperator;
  /** Set when the operator was written `=>` or `=<` (then `op` is the `>=` or `<=` it stands for). */
  readonly misspeltOp?: Name;
  readonly factor?: Value;
  readonly longWindow?: Value;
  readonly shortWindow?: Value;
  readonly forDuration?: Value;
  readonly range: Range;
}

/** `credit 10% below 99.5%`. */
export interface CreditRule {
  readonly type: 'credit';
  readonly keyword: Name;
  readonly credit?: Value;
  readonly below?: Value;
  readonly range: Range;
}

export type Member = Block | Attribute | AlertRule | CreditRule;

export interface Comment {
  readonly kind: 'line' | 'block' | 'doc';
  readonly text: string;
  readonly range: Range;
}

export interface PaceFile {
  readonly type: 'file';
  readonly members: readonly Member[];
  readonly comments: readonly Comment[];
  readonly range: Range;
}

export function memberName(m: Member): Name {
  switch (m.type) {
    case 'block':
      return m.keyword;
    case 'attribute':
      return m.name;
    case 'alert-rule':
      return m.severity;
    case 'credit':
      return m.keyword;
  }
}
