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

export abstract class Span {
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
  /**
   * A copy of the subtree with every offset `d` further on (incremental parsing moves unchanged
   * chunks of a file so). Built with the constructors: a generic copy of 100,000 nodes per edit was
   * most of the language server's edit time.
   */
  abstract moved(d: number): Span;
}

/** A child moved by `d`: a node's copy, a `{start, end}`'s copy, undefined as it is. */
function mv<T>(x: T, d: number): T {
  if (x === undefined) return x;
  if (x instanceof Span) return x.moved(d) as T;
  const r = x as unknown as Range;
  return { start: r.start + d, end: r.end + d } as T;
}

function mvAll<T>(xs: readonly T[], d: number): T[] {
  const out = new Array<T>(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = mv(xs[i], d);
  return out;
}

export class NameNode extends Span implements Name {
  constructor(readonly text: string, start: number, end: number) {
    super(start, end);
  }
  moved(d: number): NameNode {
    return new NameNode(this.text, this.start + d, this.end + d);
  }
}

export class NumberNode extends Span implements NumberValue {
  readonly type = 'number' as const;
  constructor(readonly unit: NumberValue['unit'], readonly value: number, readonly raw: string, start: number, end: number) {
    super(start, end);
  }
  moved(d: number): NumberNode {
    return new NumberNode(this.unit, this.value, this.raw, this.start + d, this.end + d);
  }
}

export class StringNode extends Span implements StringValue {
  readonly type = 'string' as const;
  constructor(readonly value: string, readonly raw: string, start: number, end: number) {
    super(start, end);
  }
  moved(d: number): StringNode {
    return new StringNode(this.value, this.raw, this.start + d, this.end + d);
  }
}

export class RefNode extends Span implements RefValue {
  readonly type = 'ref' as const;
  constructor(readonly parts: readonly Name[], start: number, end: number) {
    super(start, end);
  }
  moved(d: number): RefNode {
    return new RefNode(mvAll(this.parts, d), this.start + d, this.end + d);
  }
}

export class ListNode extends Span implements ListValue {
  readonly type = 'list' as const;
  constructor(readonly items: readonly Value[], start: number, end: number) {
    super(start, end);
  }
  moved(d: number): ListNode {
    return new ListNode(mvAll(this.items, d), this.start + d, this.end + d);
  }
}

export class MatcherNode extends Span implements Matcher {
  constructor(readonly label: Name, readonly op: MatchOperator, readonly value: StringValue | undefined, start: number, end: number) {
    super(start, end);
  }
  moved(d: number): MatcherNode {
    return new MatcherNode(mv(this.label, d), this.op, mv(this.value, d), this.start + d, this.end + d);
  }
}

export class SelectorNode extends Span implements SelectorValue {
  readonly type = 'selector' as const;
  constructor(readonly metric: Name | undefined, readonly matchers: readonly Matcher[], start: number, end: number) {
    super(start, end);
    this.matchers = exact(matchers);
  }
  moved(d: number): SelectorNode {
    return new SelectorNode(mv(this.metric, d), mvAll(this.matchers, d), this.start + d, this.end + d);
  }
}

export class CallNode extends Span implements CallValue {
  readonly type = 'call' as const;
  constructor(readonly fn: Name, readonly args: readonly Value[], start: number, end: number) {
    super(start, end);
  }
  moved(d: number): CallNode {
    return new CallNode(mv(this.fn, d), mvAll(this.args, d), this.start + d, this.end + d);
  }
}

export class CalendarNode extends Span implements CalendarValue {
  readonly type = 'calendar' as const;
  constructor(readonly unit: Name | undefined, readonly timeZone: StringValue | undefined, start: number, end: number) {
    super(start, end);
  }
  moved(d: number): CalendarNode {
    return new CalendarNode(mv(this.unit, d), mv(this.timeZone, d), this.start + d, this.end + d);
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
  moved(d: number): ComparisonNode {
    return new ComparisonNode(this.op, mv(this.opRange, d), mv(this.value, d), this.start + d, this.end + d, this.written);
  }
}

export class BadNumberNode extends Span implements BadValue {
  readonly type = 'bad-number' as const;
  constructor(readonly raw: string, start: number, end: number) {
    super(start, end);
  }
  moved(d: number): BadNumberNode {
    return new BadNumberNode(this.raw, this.start + d, this.end + d);
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
  moved(d: number): BlockNode {
    return new BlockNode(mv(this.keyword, d), mv(this.name, d), mv(this.kind, d), mvAll(this.members, d), this.doc, mv(this.docRange, d), mv(this.openBrace, d), mv(this.closeBrace, d), this.start + d, this.end + d);
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
  moved(d: number): AttributeNode {
    return new AttributeNode(mv(this.name, d), this.op, mv(this.value, d), this.start + d, this.end + d);
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
  moved(d: number): AlertRuleNode {
    return new AlertRuleNode(mv(this.severity, d), mv(this.metric, d), this.op, mv(this.factor, d), mv(this.longWindow, d), mv(this.shortWindow, d), mv(this.forDuration, d), this.start + d, this.end + d, mv(this.misspeltOp, d));
  }
  declare readonly misspeltOp?: Name;
}

export class CreditNode extends Span implements CreditRule {
  readonly type = 'credit' as const;
  constructor(readonly keyword: Name, readonly credit: Value | undefined, readonly below: Value | undefined, start: number, end: number) {
    super(start, end);
  }
  moved(d: number): CreditNode {
    return new CreditNode(mv(this.keyword, d), mv(this.credit, d), mv(this.below, d), this.start + d, this.end + d);
  }
}

export class CommentNode extends Span implements Comment {
  constructor(readonly kind: Comment['kind'], readonly text: string, start: number, end: number) {
    super(start, end);
  }
  moved(d: number): CommentNode {
    return new CommentNode(this.kind, this.text, this.start + d, this.end + d);
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
