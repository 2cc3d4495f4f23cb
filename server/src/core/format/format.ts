// The canonical Pace formatter. Pure: text in, text out (no file system, no process, no console).
//
// The layout is the one of the complete example of the language sketch: two spaces per block level,
// `{` on the header line and `}` on its own line, `=` (or the comparison) aligned within a run of
// consecutive attributes, alert rules aligned column by column, at most one blank line between
// members, exactly one between top-level blocks, LF line endings and one final newline.
//
// Values are printed from the syntax tree. Comments are never lost: a comment between members goes on
// its own line before the next member, a comment at the end of a member's line stays there, and a
// member that has a comment inside it is printed as written (only its first line is re-indented).
// A file with any syntax issue is returned unchanged, since printing a partial tree would lose text.
// As a last safety net, the output is parsed again and its tokens compared with the input's, and its
// blocks' doc comments with the input's: if anything but whitespace, commas, the optional `=` of
// `good_when = < 5` and where one comment ends and the next begins differs, the file is returned
// unchanged too.
import { tokenMatcher, type IToken } from 'chevrotain';
import { tokenize } from '../../../../grammar/src/lexer.js';
import { firstOnItsLine, parse, tokens as T } from '../../../../grammar/src/parser.js';
import type { AlertRule, Attribute, Block, Comment, CreditRule, Member, PaceFile, Range, Value } from '../../../../grammar/src/ast.js';
import { blockSpec } from '../language/blocks.js';

export interface FormatOptions {
  /** Spaces per block level (default 2). */
  readonly indent?: number;
}

export interface FormatResult {
  /** The formatted text, or the input unchanged when `skipped` is set. */
  readonly text: string;
  /** Whether `text` differs from the input. */
  readonly changed: boolean;
  /** Why the file was not formatted (syntax errors), when it was not. */
  readonly skipped?: string;
}

export function format(text: string, options: FormatOptions = {}): FormatResult {
  const indent = options.indent !== undefined && Number.isFinite(options.indent) && options.indent >= 0 ? Math.floor(options.indent) : 2;
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const src = text.slice(bom.length).replace(/\r\n?/g, '\n');
  const { ast, issues } = parse(src);
  if (issues.length > 0) {
    const first = issues.reduce((a, b) => (b.range.start < a.range.start ? b : a));
    const line = lineOf(src, first.range.start);
    const where = issues.length === 1 ? `a syntax error at line ${line}` : `${issues.length} syntax errors, the first at line ${line}`;
    return { text, changed: false, skipped: `the file has ${where}: ${first.message}` };
  }
  const body = new Printer(src, ast, indent).file();
  const out = body.length ? body + '\n' : '';
  if (!keepsMeaning(src, out, ast)) {
    return { text, changed: false, skipped: 'internal error: the formatted text would not mean the same as the input, so the file was left as it is (please report this file).' };
  }
  const result = bom + out;
  return { text: result, changed: result !== text };
}

/** The index of the first of `sorted` (in source order, not overlapping) that ends after `offset`. */
function firstEndingAfter(sorted: readonly { readonly range: Range }[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].range.end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last of `sorted` (by start) that starts at or before `offset`. */
function lastStartingAtOrBefore<T extends { readonly range: Range }>(sorted: readonly T[], offset: number): T | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].range.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

// ---------------------------------------------------------------------------------------------
// Printing

/** One line of leading comments (several when they share a line in the source). */
interface LeadingLine {
  readonly comments: Comment[];
  /** The source had a blank line before it. */
  readonly blankBefore: boolean;
}

/** A member with the comments on the lines before it and at the end of its last line. */
interface Group {
  readonly leading: LeadingLine[];
  readonly member: Member;
  readonly trailing: Comment[];
  /** The source had a blank line right before the member (after its leading comments, if any). */
  readonly blankBefore: boolean;
}

interface Body {
  /** Comments on the line of the opening `{`, after it. */
  readonly headerTrailing: Comment[];
  readonly lines: string[];
}

/** How a member takes part in alignment. */
type Column = 'attribute' | 'alert' | 'credit' | 'none';

interface Widths {
  name: number;
  severity: number;
  condition: number;
  windows: number;
  credit: number;
}

class Printer {
  constructor(
    private readonly src: string,
    private readonly ast: PaceFile,
    private readonly indentSize: number,
  ) {}

  file(): string {
    return this.body(this.ast.members, 0, this.src.length, 0, true).lines.join('\n');
  }

  private pad(depth: number): string {
    return ' '.repeat(depth * this.indentSize);
  }

  // The comments are in source order and do not overlap: both questions below are binary searches
  // (a scan of every comment for every attribute was quadratic: 40 s for a 10 MB file).

  /** Comments that start and end within [start, end). */
  private commentsIn(start: number, end: number): Comment[] {
    const all = this.ast.comments;
    const out: Comment[] = [];
    for (let i = firstEndingAfter(all, start); i < all.length && all[i].range.start < end; i++) {
      const c = all[i];
      if (c.range.start >= start && c.range.end <= end) out.push(c);
    }
    return out;
  }

  private hasComment(start: number, end: number): boolean {
    const all = this.ast.comments;
    const i = firstEndingAfter(all, start);
    return i < all.length && all[i].range.start < end;
  }

  /** Members between `start` and `end` (a block's braces, or the whole file) with their comments. */
  private body(members: readonly Member[], start: number, end: number, depth: number, top: boolean): Body {
    const inMember = (c: Comment) => {
      const m = lastStartingAtOrBefore(members, c.range.start);
      return m !== undefined && c.range.start < m.range.end;
    };
    const comments = this.commentsIn(start, end).filter((c) => !inMember(c));
    type Item = { member: Member; range: Range } | { comment: Comment; range: Range };
    const items: Item[] = [...members.map((m) => ({ member: m, range: m.range })), ...comments.map((c) => ({ comment: c, range: c.range }))].sort((a, b) => a.range.start - b.range.start);

    const headerTrailing: Comment[] = [];
    const groups: Group[] = [];
    let pending: LeadingLine[] = [];
    let prev: 'open' | 'member' | 'leading' = 'open';
    let prevEnd = start;
    // `///` comments that document the next block go above it, even when written at the end of a line.
    const docs = members.map((m) => (m.type === 'block' ? m.docRange : undefined)).filter((r): r is Range => !!r);
    const docRanges = docs.map((r) => ({ range: r }));
    const isDoc = (c: Comment) => {
      const d = lastStartingAtOrBefore(docRanges, c.range.start);
      return d !== undefined && c.range.end <= d.range.end;
    };
    for (const item of items) {
      const newlines = countNewlines(this.src, prevEnd, item.range.start);
      if ('comment' in item) {
        const ownLine = isDoc(item.comment);
        // A `///` after other text on its line (`  , /// x`: a separator comma, which is not printed)
        // documents nothing. On a line of its own it would document the next block (a blank line
        // does not stop that), so it stays after what precedes it, as a trailing comment.
        const trails = newlines === 0 || (item.comment.kind === 'doc' && !ownLine && !firstOnItsLine(this.src, item.range.start));
        if (trails && prev === 'open' && !top && !ownLine) headerTrailing.push(item.comment);
        else if (trails && prev === 'member' && !ownLine) groups[groups.length - 1].trailing.push(item.comment);
        // Below a comment line there is nothing for it to trail but that line: it joins it (`// note /// x`
        // reads back as one `//` comment), where on a line of its own it would document the next block.
        else if ((newlines === 0 || trails) && prev === 'leading') pending[pending.length - 1].comments.push(item.comment);
        else {
          pending.push({ comments: [item.comment], blankBefore: newlines >= 2 });
          prev = 'leading';
        }
      } else {
        groups.push({ leading: pending, member: item.member, trailing: [], blankBefore: newlines >= 2 });
        pending = [];
        prev = 'member';
      }
      prevEnd = item.range.end;
    }
    const closing = pending;

    // Where blank lines go: at most one where the source had some, exactly one between top-level
    // blocks, none inside a run of doc comments or between it and its block.
    const plans = groups.map((g, i) => {
      const doc = g.member.type === 'block' ? g.member.docRange : undefined;
      const inDoc = (l: LeadingLine) => !!doc && l.comments[0].range.start >= doc.start && l.comments[0].range.end <= doc.end;
      const leadingBlanks = g.leading.map((l, j) => l.blankBefore && !(j > 0 && inDoc(l) && inDoc(g.leading[j - 1])));
      let memberBlank = g.blankBefore && !(g.leading.length > 0 && inDoc(g.leading[g.leading.length - 1]));
      if (top && i > 0 && (groups[i - 1].member.type === 'block' || g.member.type === 'block')) {
        if (leadingBlanks.length) leadingBlanks[0] = true;
        else memberBlank = true;
      }
      const firstBlank = leadingBlanks.length ? leadingBlanks[0] : memberBlank;
      return { leadingBlanks, memberBlank, firstBlank, column: this.column(g.member) };
    });

    // Alignment runs: consecutive members of the same kind, with no blank line or comment line between.
    const widths: Widths[] = [];
    for (let i = 0; i < groups.length; i++) {
      const p = plans[i];
      const continues = i > 0 && p.column !== 'none' && p.column === plans[i - 1].column && !p.firstBlank && groups[i].leading.length === 0;
      widths.push(continues ? widths[i - 1] : { name: 0, severity: 0, condition: 0, windows: 0, credit: 0 });
      const w = widths[i];
      const m = groups[i].member;
      if (p.column === 'attribute') w.name = Math.max(w.name, m.type === 'attribute' ? m.name.text.length : (m as Block).keyword.text.length);
      else if (p.column === 'alert') {
        const r = m as AlertRule;
        w.severity = Math.max(w.severity, r.severity.text.length);
        w.condition = Math.max(w.condition, this.alertCondition(r).length);
        w.windows = Math.max(w.windows, this.alertWindows(r).length);
      } else if (p.column === 'credit') w.credit = Math.max(w.credit, this.value((m as CreditRule).credit).length);
    }

    const lines: string[] = [];
    const blank = (wanted: boolean) => {
      if (wanted && lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
    };
    groups.forEach((g, i) => {
      const p = plans[i];
      g.leading.forEach((l, j) => {
        blank(p.leadingBlanks[j]);
        lines.push(this.commentLine(l.comments, depth));
      });
      blank(p.memberBlank);
      const printed = this.member(g.member, depth, widths[i], p.column);
      if (g.trailing.length) printed[printed.length - 1] += ' ' + this.trailing(g.trailing);
      lines.push(...printed);
    });
    for (const l of closing) {
      blank(l.blankBefore);
      lines.push(this.commentLine(l.comments, depth));
    }
    return { headerTrailing, lines };
  }

  private column(m: Member): Column {
    switch (m.type) {
      case 'attribute':
        return this.attributeParts(m) ? 'attribute' : 'none';
      case 'block':
        return this.isMap(m) && !this.hasComment(m.range.start, m.range.end) ? 'attribute' : 'none';
      case 'alert-rule':
        return this.alertComplete(m) && !this.hasComment(m.range.start, m.range.end) ? 'alert' : 'none';
      case 'credit':
        return m.credit && m.below && !this.hasComment(m.range.start, m.range.end) ? 'credit' : 'none';
    }
  }

  /** The lines of one member at `depth`; the first starts with the indentation. */
  private member(m: Member, depth: number, w: Widths, column: Column): string[] {
    const pad = this.pad(depth);
    if (column === 'none' && m.type !== 'block') return [pad + this.verbatim(m.range)];
    switch (m.type) {
      case 'attribute': {
        const parts = this.attributeParts(m)!;
        return [pad + m.name.text.padEnd(w.name) + ' ' + parts.op + ' ' + parts.value];
      }
      case 'alert-rule': {
        const windows = this.alertWindows(m);
        const head = `${m.severity.text.padEnd(w.severity)} when ${this.alertCondition(m).padEnd(w.condition)} ${windows}`;
        return [pad + (m.forDuration ? `${head.padEnd(head.length - windows.length + w.windows)} for ${this.value(m.forDuration)}` : head)];
      }
      case 'credit':
        return [pad + `credit ${this.value(m.credit).padEnd(w.credit)} below ${this.value(m.below)}`];
      case 'block':
        return this.block(m, depth, w, column);
    }
  }

  private block(b: Block, depth: number, w: Widths, column: Column): string[] {
    const pad = this.pad(depth);
    if (!b.openBrace || !b.closeBrace) return [pad + this.verbatim(b.range)];
    if (this.isMap(b)) {
      // `labels { team = "payments", env = "prod" }`, as written when it holds comments.
      if (column === 'none') return [pad + this.verbatim(b.range)];
      const entries = b.members.map((m) => {
        const a = m as Attribute;
        const parts = this.attributeParts(a)!;
        return `${a.name.text} ${parts.op} ${parts.value}`;
      });
      return [pad + b.keyword.text.padEnd(w.name) + ' ' + (entries.length ? `{ ${entries.join(', ')} }` : '{}')];
    }
    const header = this.hasComment(b.range.start, b.openBrace.start)
      ? this.src.slice(b.range.start, b.openBrace.end)
      : [b.keyword.text, b.name?.text, b.kind ? `= ${b.kind.text}` : undefined, '{'].filter((s) => s !== undefined).join(' ');
    const inner = this.body(b.members, b.openBrace.end, b.closeBrace.start, depth + 1, false);
    const first = pad + header + (inner.headerTrailing.length ? ' ' + this.trailing(inner.headerTrailing) : '');
    if (!inner.lines.length && !inner.headerTrailing.length) return [first + '}'];
    return [first, ...inner.lines, pad + '}'];
  }

  /** A label map (`labels { … }`, per the block table) of attributes only: printed on one line. */
  private isMap(b: Block): boolean {
    return blockSpec(b.keyword.text)?.map === true && !b.name && !b.kind && !!b.openBrace && !!b.closeBrace && b.members.every((m) => m.type === 'attribute' && !!this.attributeParts(m));
  }

  /**
   * The operator and value text of an attribute: `good_when = < 5` and `good_when < 5` both give
   * `<` and `5`. A value with comments inside is kept as written; undefined when the attribute must
   * be kept as written as a whole (a comment between its name and its value).
   */
  private attributeParts(a: Attribute): { op: string; value: string } | undefined {
    let op: string = a.op;
    let v = a.value;
    if (v?.type === 'comparison') {
      op = v.written ?? v.op;
      v = v.value;
    }
    if (!v) return undefined;
    if (this.hasComment(a.range.start, v.range.start)) return undefined;
    return { op, value: this.hasComment(v.range.start, v.range.end) ? this.src.slice(v.range.start, v.range.end) : this.value(v) };
  }

  private alertComplete(r: AlertRule): boolean {
    return !!(r.metric && r.op && r.factor && r.longWindow);
  }

  /** `burn_rate > 14.4`: padded as one column, so that `over` lines up whatever the operators. */
  private alertCondition(r: AlertRule): string {
    return `${r.metric?.text ?? ''} ${r.misspeltOp?.text ?? r.op ?? ''} ${this.value(r.factor)}`;
  }

  private alertWindows(r: AlertRule): string {
    return r.shortWindow ? `over ${this.value(r.longWindow)} and ${this.value(r.shortWindow)}` : `over ${this.value(r.longWindow)}`;
  }

  value(v: Value | undefined): string {
    if (!v) return '';
    switch (v.type) {
      case 'number':
      case 'bad-number':
      case 'string':
        return v.raw;
      case 'ref':
        return v.parts.map((p) => p.text).join('.');
      case 'list':
        return `[${v.items.map((i) => this.value(i)).join(', ')}]`;
      case 'selector':
        return `${v.metric?.text ?? ''}{${v.matchers.map((m) => `${m.label.text}${m.op}${m.value?.raw ?? ''}`).join(', ')}}`;
      case 'call':
        return `${v.fn.text}(${v.args.map((a) => this.value(a)).join(', ')})`;
      case 'calendar':
        return ['calendar', v.unit?.text, v.timeZone ? `in ${v.timeZone.raw}` : undefined].filter((s) => s !== undefined).join(' ');
      case 'comparison':
        return v.value ? `${v.written ?? v.op} ${this.value(v.value)}` : (v.written ?? v.op);
    }
  }

  /** Source text as written (used for members with comments inside). */
  private verbatim(r: Range): string {
    return this.src.slice(r.start, r.end);
  }

  /** Comments at the end of a line, one space apart. */
  private trailing(comments: Comment[]): string {
    return comments.map((c) => this.commentText(c, 0)).join(' ');
  }

  /** A line of leading comments at `depth`. */
  private commentLine(comments: Comment[], depth: number): string {
    const pad = this.pad(depth);
    // Only the first comment of the line starts at the line's indentation.
    const shift = pad.length - columnOf(this.src, comments[0].range.start);
    return pad + comments.map((c, i) => this.commentText(c, i === 0 ? shift : 0)).join(' ');
  }

  /**
   * The text of a comment without trailing whitespace on its lines. The lines after the first of a
   * block comment move with the first (by `shift` columns) when they are indented enough to allow it.
   */
  private commentText(c: Comment, shift: number): string {
    const lines = c.text.split('\n').map((l) => l.trimEnd());
    if (lines.length === 1 || shift === 0) return lines.join('\n');
    const rest = lines.slice(1);
    if (shift > 0) return [lines[0], ...rest.map((l) => (l ? ' '.repeat(shift) + l : l))].join('\n');
    const cut = -shift;
    if (rest.some((l) => l !== '' && !l.startsWith(' '.repeat(cut)))) return lines.join('\n');
    return [lines[0], ...rest.map((l) => l.slice(cut))].join('\n');
  }
}

function countNewlines(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

// ---------------------------------------------------------------------------------------------
// Safety net: the tokens of the input and of the output must be the same, but for whitespace
// (also inside comments), commas, the `=` of `name = < value`, and the bounds between comments that
// follow each other (`// note` and a `/// x` that documents nothing may become one `// note /// x`).
// Since that makes a doc comment and a plain one look alike, what each block's doc comments say is
// compared on its own (sameDocs).

function tokenKey(text: string): string {
  const lexed = tokenize(text);
  const all: IToken[] = [...lexed.tokens, ...(lexed.groups.comments ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  const out: string[] = [];
  let previousWasComment = false;
  all.forEach((t, i) => {
    if (tokenMatcher(t, T.Comma)) return;
    if (t.tokenType === T.Equals && all[i + 1] && tokenMatcher(all[i + 1], T.CompareOp)) return;
    const isComment = t.tokenType === T.LineComment || t.tokenType === T.DocComment || t.tokenType === T.BlockComment || t.tokenType === T.UnterminatedBlockComment;
    const image = isComment ? t.image.replace(/\s+/g, '') : t.image;
    if (isComment && previousWasComment) out[out.length - 1] += image;
    else out.push(image);
    previousWasComment = isComment;
  });
  return out.join('\u0000');
}

/** Whether the blocks of two trees, in order, have the same doc comments (the descriptions they give). */
function sameDocs(a: PaceFile, b: PaceFile): boolean {
  const docs = (members: readonly Member[], out: (string | undefined)[]): (string | undefined)[] => {
    for (const m of members)
      if (m.type === 'block') {
        out.push(m.doc);
        docs(m.members, out);
      }
    return out;
  };
  const x = docs(a.members, []);
  const y = docs(b.members, []);
  return x.length === y.length && x.every((d, i) => d === y[i]);
}

/**
 * The safety net: whether `output`, a formatting of `input` (whose tree is `inputAst`), parses
 * without issues, has the same tokens (tokenKey) and gives its blocks the same doc comments.
 */
export function keepsMeaning(input: string, output: string, inputAst: PaceFile = parse(input).ast): boolean {
  const again = parse(output);
  return again.issues.length === 0 && sameTokens(input, output) && sameDocs(inputAst, again.ast);
}

function sameTokens(a: string, b: string): boolean {
  return tokenKey(a) === tokenKey(b);
}
