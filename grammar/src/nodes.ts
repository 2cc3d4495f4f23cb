// The AST's node classes. Each node keeps its offsets as two numbers and computes `range` when asked,
// instead of holding a `{start, end}` object: ranges were half of all the objects of a project's trees
// (263k of 494k for 1,000 services), so this cuts memory and garbage-collection time in proportion.
// The interfaces in ast.ts are the API; consumers read `node.range` as before. Nodes are still
// treated as immutable values: nothing assigns to them after the parser builds them.
import type {
  AlertRule,
  Attribute,
  BadValue,
  Block,
  CalendarValue,
  CallValue,
  Comment,
  CompareOperator,
  ComparisonValue,
  CreditRule,
  ListValue,
  Matcher,
  MatchOperator,
  Member,
  Name,
  NumberValue,
  Range,
  RefValue,
  SelectorValue,
  StringValue,
  Value,
} from './ast.js';

abstract class Span {
  readonly start: number;
  readonly end: number;
  constructor(start: number, end: number) {
    // Stored as small integers: Chevrotain's grammar recording builds a node of every class from a
    // token whose -1 offsets are doubles (its token map holds EOF's NaN), and V8 would then keep every
    // node's offsets as boxed doubles (16 bytes each; 400k of them for 1,000 services). `| 0` is exact
    // for any offset (< 2^31); NaN, from an inserted token, is kept as it is.
    this.start = start === (start | 0) ? start | 0 : start;
    this.end = end === (end | 0) ? end | 0 : end;
  }
  /** A fresh `{start, end}`: callers may keep it. */
  get range(): Range {
    return { start: this.start, end: this.end };
  }
}

export class NameNode extends Span implements Name {
  constructor(readonly text: string, start: number, end: number) {
    super(start, end);
  }
}

export class NumberNode extends Span implements NumberValue {
  readonly type = 'number' as const;
  constructor(readonly unit: NumberValue['unit'], readonly value: number, readonly raw: string, start: number, end: number) {
    super(start, end);
  }
}

export class StringNode extends Span implements StringValue {
  readonly type = 'string' as const;
  constructor(readonly value: string, readonly raw: string, start: number, end: number) {
    super(start, end);
  }
}

export class RefNode extends Span implements RefValue {
  readonly type = 'ref' as const;
  constructor(readonly parts: readonly Name[], start: number, end: number) {
    super(start, end);
  }
}

export class ListNode extends Span implements ListValue {
  readonly type = 'list' as const;
  constructor(readonly items: readonly Value[], start: number, end: number) {
    super(start, end);
  }
}

export class MatcherNode extends Span implements Matcher {
  constructor(readonly label: Name, readonly op: MatchOperator, readonly value: StringValue | undefined, start: number, end: number) {
    super(start, end);
  }
}

export class SelectorNode extends Span implements SelectorValue {
  readonly type = 'selector' as const;
  constructor(readonly metric: Name | undefined, readonly matchers: readonly Matcher[], start: number, end: number) {
    super(start, end);
    this.matchers = exact(matchers);
  }
}

export class CallNode extends Span implements CallValue {
  readonly type = 'call' as const;
  constructor(readonly fn: Name, readonly args: readonly Value[], start: number, end: number) {
    super(start, end);
  }
}

export class CalendarNode extends Span implements CalendarValue {
  readonly type = 'calendar' as const;
  constructor(readonly unit: Name | undefined, readonly timeZone: StringValue | undefined, start: number, end: number) {
    super(start, end);
  }
}

export class ComparisonNode extends Span implements ComparisonValue {
  readonly type = 'comparison' as const;
  declare readonly written?: string;
  constructor(readonly op: CompareOperator, readonly opRange: Range, readonly value: Value | undefined, start: number, end: number, written?: string) {
    super(start, end);
    // Only on the rare misspelt node: the others keep their shape (no extra field).
    if (written !== undefined) (this as { written?: string }).written = written;
  }
}

export class BadNumberNode extends Span implements BadValue {
  readonly type = 'bad-number' as const;
  constructor(readonly raw: string, start: number, end: number) {
    super(start, end);
  }
}

export class BlockNode extends Span implements Block {
  readonly type = 'block' as const;
  constructor(
    readonly keyword: Name,
    readonly name: Name | undefined,
    readonly kind: Name | undefined,
    readonly members: readonly Member[],
    readonly doc: string | undefined,
    readonly docRange: Range | undefined,
    openBrace: Range | undefined,
    closeBrace: Range | undefined,
    start: number,
    end: number,
  ) {
    super(start, end);
    this.members = exact(members);
    // A brace is one character: its offset from the block's start is all there is to keep (two
    // `{start, end}` objects a block were 1.2 MB of the 1,000-service project's trees). Relative, so
    // a tree moved by incremental parsing (which shifts `start`) needs no change here.
    this.openAt = openBrace ? openBrace.start - start : -1;
    this.closeAt = closeBrace ? closeBrace.start - start : -1;
  }
  private readonly openAt: number;
  private readonly closeAt: number;
  get openBrace(): Range | undefined {
    return this.openAt < 0 ? undefined : { start: this.start + this.openAt, end: this.start + this.openAt + 1 };
  }
  get closeBrace(): Range | undefined {
    return this.closeAt < 0 ? undefined : { start: this.start + this.closeAt, end: this.start + this.closeAt + 1 };
  }
}

export class AttributeNode extends Span implements Attribute {
  readonly type = 'attribute' as const;
  constructor(readonly name: Name, readonly op: Attribute['op'], readonly value: Value | undefined, start: number, end: number) {
    super(start, end);
  }
}

export class AlertRuleNode extends Span implements AlertRule {
  readonly type = 'alert-rule' as const;
  constructor(
    readonly severity: Name,
    readonly metric: Name | undefined,
    readonly op: CompareOperator | undefined,
    readonly factor: Value | undefined,
    readonly longWindow: Value | undefined,
    readonly shortWindow: Value | undefined,
    readonly forDuration: Value | undefined,
    start: number,
    end: number,
    misspeltOp?: Name,
  ) {
    super(start, end);
    if (misspeltOp) (this as { misspeltOp?: Name }).misspeltOp = misspeltOp;
  }
  declare readonly misspeltOp?: Name;
}

export class CreditNode extends Span implements CreditRule {
  readonly type = 'credit' as const;
  constructor(readonly keyword: Name, readonly credit: Value | undefined, readonly below: Value | undefined, start: number, end: number) {
    super(start, end);
  }
}

export class CommentNode extends Span implements Comment {
  constructor(readonly kind: Comment['kind'], readonly text: string, start: number, end: number) {
    super(start, end);
  }
}

/**
 * A copy without spare room: an array built by push() keeps room for 16 more elements (a block of 3
 * members took 184 bytes instead of 72), and trees live as long as their file is in the project.
 */
function exact<T>(items: readonly T[]): readonly T[] {
  return items.slice();
}

/** The end offset of a node, without building its range. */
export function endOfNode(n: { range: Range }): number {
  return n instanceof Span ? n.end : n.range.end;
}
