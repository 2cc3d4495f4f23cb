// Table-driven checks of one file: blocks, attributes, rules and the type and unit of every value.
// Everything here reads server/src/core/language/blocks.ts; nothing knows a block by hand.
import type { AlertRule, Attribute, Block, CreditRule, Member, PaceFile, Range, Value } from '../../../../grammar/src/ast.js';
import {
  BLOCKS,
  MEASURE_FUNCTIONS,
  SEVERITIES,
  SLI_KINDS,
  TOP_LEVEL_BLOCKS,
  blockSpec,
  describeType,
  type AttributeSpec,
  type BlockSpec,
  type ValueType,
} from '../language/blocks.js';
import { closest, didYouMean } from '../language/suggest.js';
import { diagnostic, type Diagnostic, type Fix } from '../diagnostics/diagnostic.js';
import { isValidTimeZone, percentText, timeZoneSuggestion } from '../semantics/values.js';
import { CALENDAR_UNITS } from '../language/blocks.js';
import { DURATION_UNITS, UNIT_WORDS } from '../../../../grammar/src/units.js';
import { attributeLineSnippet, escapeSnippet } from '../language/snippet.js';
import { re2Error } from '../model/prom-regex.js';

export function checkStructure(uri: string, file: PaceFile, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (d: Diagnostic) => out.push(d);
  for (const m of file.members) {
    if (m.type !== 'block') {
      report(diagnostic('parse/unexpected-token', uri, headRange(m), `${describeMember(m)} cannot stand at the top level: expected a block such as 'service', 'alerting' or 'objective'.`));
      checkValuesIn(uri, m, report);
      continue;
    }
    const kw = m.keyword.text;
    if (!(TOP_LEVEL_BLOCKS as readonly string[]).includes(kw)) {
      const known = BLOCKS[kw];
      const msg = known
        ? `'${kw}' blocks belong inside ${kw === 'kpi' ? "an 'objective'" : kw === 'labels' ? 'a block' : kw === 'annotations' || kw === 'page' || kw === 'ticket' ? "an 'slo' or an 'alerting' policy" : "a 'service'"}, not at the top level.`
        : `Unknown block '${kw}'.${didYouMean(closest(kw, TOP_LEVEL_BLOCKS))}`;
      report(diagnostic('check/unknown-block', uri, m.keyword.range, msg, { fixes: known ? undefined : replaceFix(uri, m.keyword.range, closest(kw, TOP_LEVEL_BLOCKS)) }));
      // Without the kind: checkBlock resolves an SLI's kind itself and reports an unknown one.
      const spec = blockSpec(kw);
      if (spec) checkBlock(uri, m, spec, text, report);
      continue;
    }
    checkBlock(uri, m, blockSpec(kw)!, text, report);
  }
  return out;
}

function describeMember(m: Member): string {
  switch (m.type) {
    case 'attribute': return `Attribute '${m.name.text}'`;
    case 'alert-rule': return 'An alert rule';
    case 'credit': return 'A credit tier';
    case 'block': return `Block '${m.keyword.text}'`;
  }
}

function headRange(m: Member): Range {
  switch (m.type) {
    case 'attribute': return m.name.range;
    case 'alert-rule': return m.severity.range;
    case 'credit': return m.keyword.range;
    case 'block': return m.keyword.range;
  }
}

function replaceFix(uri: string, range: Range, to: string | undefined, title?: string): Fix[] | undefined {
  return to === undefined ? undefined : [{ title: title ?? `Change to '${to}'`, edits: [{ uri, range, newText: to }], preferred: true }];
}

function checkBlock(uri: string, block: Block, spec: BlockSpec, text: string, report: (d: Diagnostic) => void): void {
  const kw = block.keyword.text;
  if (spec.named && !block.name) {
    report(diagnostic('check/missing-name', uri, block.keyword.range, `A '${kw}' block needs a name: ${kw} NAME${spec.kinds ? ' = KIND' : ''} { … }.`));
  }
  // SLI kinds
  if (spec.kinds) {
    if (!block.kind) {
      report(diagnostic('check/unknown-sli-kind', uri, block.name?.range ?? block.keyword.range, `An SLI needs a kind: sli ${block.name?.text ?? 'NAME'} = ${SLI_KINDS.join(' | ')} { … }.`));
      return;
    }
    const kindSpec = blockSpec('sli', block.kind.text);
    if (!kindSpec) {
      const guess = closest(block.kind.text, SLI_KINDS);
      report(diagnostic('check/unknown-sli-kind', uri, block.kind.range, `Unknown SLI kind '${block.kind.text}': expected ${SLI_KINDS.join(', ')}.${didYouMean(guess)}`, { fixes: replaceFix(uri, block.kind.range, guess) }));
      return;
    }
    spec = kindSpec;
  } else if (block.kind && !BLOCKS[kw]?.kinds) {
    report(diagnostic('parse/unexpected-token', uri, block.kind.range, `A '${kw}' block has no kind: write '${kw} ${block.name?.text ?? 'NAME'} {'.`));
  }
  if (spec.map) return checkMap(uri, block, report);

  const seen = new Map<string, Attribute>();
  /** Blocks without a name (`labels`), by keyword: a second one is a mistake. */
  let unnamed: Map<string, Block> | undefined;
  let firstRule: AlertRule | undefined;
  let rules: Map<string, AlertRule> | undefined;
  for (const m of block.members) {
    switch (m.type) {
      case 'attribute': {
        const attr = spec.attributes.find((a) => a.name === m.name.text);
        if (!attr) {
          const names = [...spec.attributes.map((a) => a.name), ...spec.blocks];
          const guess = closest(m.name.text, names);
          report(
            diagnostic('check/unknown-attribute', uri, m.name.range, `Unknown attribute '${m.name.text}' in ${spec.title.toLowerCase()} '${block.name?.text ?? kw}'.${didYouMean(guess)}`, {
              fixes: replaceFix(uri, m.name.range, guess && spec.attributes.some((a) => a.name === guess) ? guess : undefined),
            }),
          );
          checkValuesIn(uri, m, report);
          break;
        }
        const prior = seen.get(attr.name);
        if (prior) {
          report(diagnostic('check/duplicate-attribute', uri, m.name.range, `Attribute '${attr.name}' is already set in this block.`, { related: [{ uri, range: prior.name.range, message: 'First set here.' }] }));
        } else seen.set(attr.name, m);
        if (m.op !== '=' && attr.type.kind !== 'comparison') {
          report(diagnostic('check/wrong-type', uri, m.name.range, `'${attr.name}' is set with '=', not compared: write '${attr.name} = …'.`));
        }
        if (m.value) checkValue(uri, m.value, attr, report);
        break;
      }
      case 'block': {
        // Without the kind: checkBlock resolves an SLI's kind itself and reports an unknown one.
        const child = blockSpec(m.keyword.text);
        if (!spec.blocks.includes(m.keyword.text)) {
          const isAttr = spec.attributes.some((a) => a.name === m.keyword.text);
          const guess = closest(m.keyword.text, spec.blocks);
          const msg = isAttr
            ? `'${m.keyword.text}' is an attribute here: write '${m.keyword.text} = …'.`
            : BLOCKS[m.keyword.text]
              ? `A '${m.keyword.text}' block cannot appear inside ${spec.title.toLowerCase()} '${block.name?.text ?? kw}'.`
              : `Unknown block '${m.keyword.text}' in ${spec.title.toLowerCase()} '${block.name?.text ?? kw}'.${didYouMean(guess)}`;
          report(diagnostic('check/unknown-block', uri, m.keyword.range, msg, { fixes: !isAttr && !BLOCKS[m.keyword.text] ? replaceFix(uri, m.keyword.range, guess) : undefined }));
        }
        if (child && !child.named && spec.blocks.includes(m.keyword.text)) {
          const prior = (unnamed ??= new Map()).get(m.keyword.text);
          if (prior) {
            report(
              diagnostic('check/duplicate-block', uri, m.keyword.range, `A second '${m.keyword.text}' block in ${spec.title.toLowerCase()} '${block.name?.text ?? kw}': blocks do not merge, write its entries in the first one.`, {
                related: [{ uri, range: prior.keyword.range, message: `The first '${m.keyword.text}' block.` }],
              }),
            );
          } else {
            unnamed.set(m.keyword.text, m);
            if (firstRule && spec.rules === 'alert' && (m.keyword.text === 'labels' || m.keyword.text === 'annotations')) {
              report(
                diagnostic('check/labels-after-rule', uri, m.keyword.range, `These ${m.keyword.text} apply to every rule of policy '${block.name?.text ?? kw}', not only to the rule above them: put them before the rules.`, {
                  related: [{ uri, range: firstRule.severity.range, message: 'The first rule of the policy.' }],
                }),
              );
            }
          }
        }
        if (child && (spec.blocks.includes(m.keyword.text) || !TOP_LEVEL_BLOCKS.includes(m.keyword.text as never))) checkBlock(uri, m, child, text, report);
        break;
      }
      case 'alert-rule':
        if (spec.rules !== 'alert') report(diagnostic('check/unknown-attribute', uri, m.severity.range, `Alert rules belong in an 'alerting' policy, not in ${spec.title.toLowerCase()} '${block.name?.text ?? kw}'.`));
        else {
          firstRule ??= m;
          checkAlertRule(uri, m, report);
          const key = ruleKey(m);
          const prior = key === undefined ? undefined : (rules ??= new Map()).get(key);
          if (prior) {
            report(
              diagnostic('check/duplicate-item', uri, m.severity.range, `This rule repeats an earlier rule of policy '${block.name?.text ?? kw}'.`, {
                related: [{ uri, range: prior.severity.range, message: 'The same rule.' }],
                fixes: [{ title: 'Remove the repeated rule', edits: [{ uri, range: lineRange(text, m.range), newText: '' }], preferred: true }],
              }),
            );
          } else if (key !== undefined) rules!.set(key, m);
        }
        break;
      case 'credit':
        if (spec.rules !== 'credit') report(diagnostic('check/unknown-attribute', uri, m.keyword.range, `Credit tiers belong in an 'sla' block, not in ${spec.title.toLowerCase()} '${block.name?.text ?? kw}'.`));
        else checkCredit(uri, m, report);
        break;
    }
  }
  // Required and exclusive attributes.
  const at = block.name?.range ?? block.keyword.range;
  for (const group of spec.exactlyOne ?? []) {
    const set = group.filter((g) => seen.has(g));
    if (set.length === 0) {
      report(diagnostic('check/conflicting-attributes', uri, at, `${spec.title} '${block.name?.text ?? kw}' needs one of ${group.map((g) => `'${g}'`).join(' or ')}.`, { fixes: insertFix(uri, block, spec.attributes.find((a) => a.name === group[0])!, text) }));
    } else if (set.length > 1) {
      report(diagnostic('check/conflicting-attributes', uri, seen.get(set[1])!.name.range, `Set only one of ${group.map((g) => `'${g}'`).join(' or ')}.`, { related: [{ uri, range: seen.get(set[0])!.name.range, message: `'${set[0]}' is set here.` }] }));
    }
  }
  for (const attr of spec.attributes) {
    if (attr.required && !seen.has(attr.name)) {
      report(diagnostic('check/missing-attribute', uri, at, `${spec.title} '${block.name?.text ?? kw}' is missing '${attr.name}' (${describeType(attr.type)}).`, { fixes: insertFix(uri, block, attr, text) }));
    }
  }
}

/** What makes two alert rules the same, by value (`1h` and `60m` alike); undefined for an incomplete rule. */
function ruleKey(r: AlertRule): string | undefined {
  const n = (v: Value | undefined) => (v?.type === 'number' ? `${v.unit}:${v.value}` : undefined);
  const parts = [n(r.factor), n(r.longWindow), n(r.shortWindow)];
  if (!r.op || parts.includes(undefined)) return undefined;
  return `${r.severity.text} ${r.metric?.text} ${r.op} ${parts.join(' ')} ${r.forDuration ? n(r.forDuration) : ''}`;
}

/** `range` with its whole line(s) when nothing else is on them, so removing it leaves no blank line. */
function lineRange(text: string, range: Range): Range {
  const start = text.lastIndexOf('\n', range.start - 1) + 1;
  let end = text.indexOf('\n', range.end);
  if (end < 0) end = text.length;
  if (/\S/.test(text.slice(start, range.start)) || /\S/.test(text.slice(range.end, end).replace(/\/\/.*$/, ''))) return range;
  return { start, end: Math.min(end + 1, text.length) };
}

/** Insert `example` as a new line before the block's closing brace, indented like its members. */
function insertFix(uri: string, block: Block, attr: AttributeSpec, text: string): Fix[] | undefined {
  if (!block.closeBrace) return undefined;
  const lineStart = text.lastIndexOf('\n', block.range.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const closeLineStart = text.lastIndexOf('\n', block.closeBrace.start - 1) + 1;
  const onOwnLine = /^[ \t]*$/.test(text.slice(closeLineStart, block.closeBrace.start));
  const line = `${indent}  ${attr.example}\n`;
  // In editors, the example's value is a placeholder to overwrite.
  const snippet = `${escapeSnippet(indent)}  ${attributeLineSnippet(attr.example)}\n`;
  const edit = onOwnLine
    ? { uri, range: { start: closeLineStart, end: closeLineStart }, newText: line, snippet }
    : { uri, range: { start: block.closeBrace.start, end: block.closeBrace.start }, newText: `\n${line}${indent}`, snippet: `\n${snippet}${escapeSnippet(indent)}` };
  return [{ title: `Add '${attr.name}'`, edits: [edit], preferred: true }];
}

/** Prometheus label names: letters, digits and `_`, not starting with a digit (no `:`, which metric names may hold). */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkMap(uri: string, block: Block, report: (d: Diagnostic) => void): void {
  const seen = new Map<string, Attribute>();
  for (const m of block.members) {
    if (m.type !== 'attribute' || m.op !== '=') {
      report(diagnostic('check/wrong-type', uri, headRange(m), `'${block.keyword.text}' holds only 'name = "value"' pairs.`));
      continue;
    }
    const prior = seen.get(m.name.text);
    if (prior) report(diagnostic('check/duplicate-attribute', uri, m.name.range, `Label '${m.name.text}' is already set.`, { related: [{ uri, range: prior.name.range, message: 'First set here.' }] }));
    else seen.set(m.name.text, m);
    if (!LABEL_NAME.test(m.name.text)) report(diagnostic('check/invalid-value', uri, m.name.range, `'${m.name.text}' is not a valid label name.`));
    if (m.value && m.value.type !== 'string') report(wrongType(uri, m.value, 'a string', m.name.text, stringFix(uri, m.value)));
  }
}

function stringFix(uri: string, v: Value): Fix[] | undefined {
  if (v.type === 'ref' && v.parts.length === 1) return [{ title: `Quote as "${v.parts[0].text}"`, edits: [{ uri, range: v.range, newText: `"${v.parts[0].text}"` }], preferred: true }];
  if (v.type === 'number') return [{ title: `Quote as "${v.raw}"`, edits: [{ uri, range: v.range, newText: `"${v.raw}"` }], preferred: true }];
  return undefined;
}

function valueLabel(v: Value): string {
  switch (v.type) {
    case 'number': return v.unit === 'percent' ? `the percentage ${v.raw}` : v.unit === 'duration' ? `the duration ${v.raw}` : `the number ${v.raw}`;
    case 'string': return 'a string';
    case 'ref': return `the name '${v.parts.map((p) => p.text).join('.')}'`;
    case 'list': return 'a list';
    case 'selector': return 'a selector';
    case 'call': return `a call of '${v.fn.text}'`;
    case 'calendar': return 'a calendar window';
    case 'comparison': return 'a comparison';
    case 'bad-number': return `'${v.raw}'`;
  }
}

function wrongType(uri: string, v: Value, expected: string, attr: string, fixes?: Fix[]): Diagnostic {
  return diagnostic('check/wrong-type', uri, v.range, `'${attr}' expects ${expected}, found ${valueLabel(v)}.`, { fixes });
}

/** What a malformed number is read as: `window` values take `calendar …`, durations only durations. */
type NumberContext = 'window' | 'duration' | 'other';

const UNIT_FIX: Readonly<Record<string, string | null>> = UNIT_WORDS;
const MONTH_UNITS = new Set(['M', 'mo', 'month', 'months', 'Month', 'Months']);
const YEAR_UNITS = new Set(['y', 'Y', 'year', 'years', 'Year', 'Years']);

function fixesFor(uri: string, range: Range, texts: readonly string[], preferred = true): Fix[] {
  return texts.map((t, i) => ({ title: `Change to '${t}'`, edits: [{ uri, range, newText: t }], preferred: preferred && i === 0 }));
}

function quoteAll(texts: readonly string[]): string {
  return texts.map((t) => `'${t}'`).join(' or ');
}

/** `99,9%`: a comma written for the decimal point (or thousands separators: `12,000,000`). */
function commaNumber(uri: string, v: { raw: string; range: Range }, report: (d: Diagnostic) => void): boolean {
  const groups = v.raw.split(',');
  if (groups.length < 2) return false;
  const unit = /[A-Za-z%]*$/.exec(v.raw)![0];
  const digits = groups.map((g, i) => (i === groups.length - 1 ? g.slice(0, g.length - unit.length) : g));
  if (!digits.every((g) => /^[0-9]+$/.test(g))) return false;
  const decimal = groups.length === 2 ? `${digits[0]}.${digits[1]}${unit}` : undefined;
  const thousands = digits.slice(1).every((g) => g.length === 3) ? digits.join('') + unit : undefined;
  const valid = (t: string | undefined): t is string => !!t && (/^[0-9]+(?:\.[0-9]+)?%?$/.test(t) || /^(?:[0-9]+(?:ms|s|m|h|d|w))+$/.test(t));
  const options = [decimal, thousands].filter(valid);
  // `1,500` is one and a half or fifteen hundred: offered both ways, neither preferred.
  const fixes = fixesFor(uri, v.range, options, options.length === 1);
  const why = decimal && !thousands ? 'the decimal separator is a point' : !decimal ? 'numbers are written without thousands separators' : 'numbers take a point for decimals and no thousands separator';
  report(diagnostic('check/invalid-number', uri, v.range, `'${v.raw}' is not a number: ${why}.${options.length ? ` Did you mean ${quoteAll(options)}?` : ''}`, { fixes }));
  return true;
}

/**
 * The longest duration, in ms: Prometheus's durations are Go's, 2^63 − 1 ns (about 292 years); a
 * longer one is a rule Prometheus rejects, and past the dates JavaScript can hold for the preview.
 */
const MAX_DURATION_MS = 9_223_372_036_854;

function checkBadNumbers(uri: string, v: Value, report: (d: Diagnostic) => void, context: NumberContext = 'other'): boolean {
  if (v.type === 'number' && v.unit === 'duration' && v.value > MAX_DURATION_MS) {
    report(diagnostic('check/invalid-value', uri, v.range, `'${v.raw}' is longer than any duration Prometheus can hold (2^63 nanoseconds, about 292 years: at most 106751d).`));
    return true;
  }
  if (v.type !== 'bad-number') return false;
  if (commaNumber(uri, v, report)) return true;
  const m = /^([0-9.]+)\s*([A-Za-z%]+)$/.exec(v.raw);
  let hint = ' Durations are whole numbers of ms, s, m, h, d or w (1h30m); percentages end in %.';
  let fixes: Fix[] | undefined;
  if (m) {
    const [, num, word] = m;
    const n = /^[0-9]+$/.test(num) ? Number(num) : undefined;
    const u = UNIT_FIX[word.toLowerCase()] ?? undefined;
    if (n !== undefined && (MONTH_UNITS.has(word) || YEAR_UNITS.has(word))) {
      // Months and years have no fixed length: a calendar window says what is meant, a day count approximates.
      const month = MONTH_UNITS.has(word);
      const days = `${n * (month ? 30 : 365)}d`;
      const calendar = context === 'window' && month && (n === 1 || n === 3) ? [`calendar ${n === 1 ? 'month' : 'quarter'}`] : [];
      const options = [...calendar, days];
      hint = ` ${month ? 'Months' : 'Years'} are not a duration unit (${month ? "'m' is minutes" : 'their length varies'}): did you mean ${quoteAll(options)}?`;
      fixes = fixesFor(uri, v.range, options);
    } else if (u && (u === '%' ? /^[0-9]+(?:\.[0-9]+)?$/ : /^[0-9]+$/).test(num)) {
      // `2 weeks`: in days too, as windows usually are.
      const options = u === 'w' && context !== 'other' ? [`${num}w`, `${n! * 7}d`] : [`${num}${u}`];
      hint = ` Did you mean ${quoteAll(options)}?`;
      fixes = fixesFor(uri, v.range, options);
    } else if (/^[0-9]+\.[0-9]+$/.test(num) && word in DURATION_UNITS) {
      hint = ' Durations use whole units: write 1h30m, not 1.5h.';
    }
  }
  report(diagnostic('check/invalid-number', uri, v.range, `'${v.raw}' is not a valid number, duration or percentage.${hint}`, { fixes }));
  return true;
}

/** `target => 80%`: the operator written the wrong way round. */
function checkMisspelt(uri: string, written: string | undefined, range: Range, op: string, report: (d: Diagnostic) => void): void {
  if (written === undefined) return;
  report(diagnostic('check/misspelt-operator', uri, range, `'${written}' is not an operator: did you mean '${op}'?`, { fixes: fixesFor(uri, range, [op]) }));
}

/** Values under a member that is otherwise not checked (unknown attribute): still report bad numbers. */
function checkValuesIn(uri: string, m: Member, report: (d: Diagnostic) => void): void {
  const visit = (v: Value | undefined) => {
    if (!v) return;
    if (checkBadNumbers(uri, v, report)) return;
    if (v.type === 'list') v.items.forEach(visit);
    if (v.type === 'call') v.args.forEach(visit);
    if (v.type === 'comparison') {
      checkMisspelt(uri, v.written, v.opRange, v.op, report);
      visit(v.value);
    }
  };
  if (m.type === 'attribute') visit(m.value);
}

export function checkValue(uri: string, v: Value, attr: AttributeSpec, report: (d: Diagnostic) => void): void {
  const t: ValueType = attr.type;
  if (checkBadNumbers(uri, v, report, t.kind === 'window' ? 'window' : t.kind === 'duration' ? 'duration' : 'other')) return;
  const name = attr.name;
  switch (t.kind) {
    case 'string':
      if (v.type !== 'string') report(wrongType(uri, v, 'a string', name, stringFix(uri, v)));
      else if (t.pattern && !t.pattern.re.test(v.value)) report(diagnostic('check/invalid-value', uri, v.range, `'${name}' must be ${t.pattern.what}, found ${JSON.stringify(v.value)}.`));
      return;
    case 'percent':
      if (v.type === 'number' && v.unit === 'percent') return;
      if (v.type === 'number' && v.unit === 'none') {
        const asPercent = v.value > 0 && v.value < 1 ? percentText(v.value) : v.value >= 1 && v.value <= 100 ? `${v.raw}%` : undefined;
        report(
          diagnostic('check/wrong-type', uri, v.range, `'${name}' expects a percentage, found the number ${v.raw}.${asPercent ? ` Did you mean ${asPercent}?` : ''}`, {
            fixes: asPercent ? [{ title: `Change to ${asPercent}`, edits: [{ uri, range: v.range, newText: asPercent }], preferred: true }] : undefined,
          }),
        );
        return;
      }
      report(wrongType(uri, v, 'a percentage such as 99.9%', name));
      return;
    case 'duration':
      if (v.type === 'number' && v.unit === 'duration') {
        if (v.value <= 0) report(diagnostic('check/invalid-value', uri, v.range, `'${name}' must be a duration longer than zero.`));
        return;
      }
      report(wrongType(uri, v, 'a duration such as 5m or 1h30m', name));
      return;
    case 'number':
      if (v.type !== 'number' || v.unit !== 'none') report(wrongType(uri, v, 'a number', name));
      return;
    case 'window':
      return checkWindow(uri, v, name, report);
    case 'enum': {
      const word = v.type === 'ref' && v.parts.length === 1 ? v.parts[0].text : v.type === 'string' ? v.value : undefined;
      if (word !== undefined && t.values.includes(word)) {
        if (v.type === 'string') report(wrongType(uri, v, `one of ${t.values.join(', ')} (unquoted)`, name, [{ title: `Write ${word} unquoted`, edits: [{ uri, range: v.range, newText: word }], preferred: true }]));
        return;
      }
      const guess = word !== undefined ? closest(word, t.values) : undefined;
      report(
        diagnostic('check/invalid-value', uri, v.range, `'${name}' must be one of ${t.values.join(', ')}${word !== undefined ? `, found '${word}'` : `, found ${valueLabel(v)}`}.${didYouMean(guess)}`, {
          fixes: replaceFix(uri, v.range, guess),
        }),
      );
      return;
    }
    case 'ref':
      if (v.type !== 'ref') report(wrongType(uri, v, describeType(t), name, v.type === 'string' && /^[A-Za-z_][\w.]*$/.test(v.value) ? [{ title: `Write ${v.value} unquoted`, edits: [{ uri, range: v.range, newText: v.value }], preferred: true }] : undefined));
      return;
    case 'refs':
      if (v.type === 'ref') {
        report(wrongType(uri, v, describeType(t), name, [{ title: 'Wrap in a list', edits: [{ uri, range: v.range, newText: `[${v.parts.map((p) => p.text).join('.')}]` }], preferred: true }]));
        return;
      }
      if (v.type !== 'list') return report(wrongType(uri, v, describeType(t), name));
      {
        const listed = new Map<string, Value>();
        v.items.forEach((item, i) => {
          if (item.type !== 'ref') return report(wrongType(uri, item, `the name of a ${t.to}`, name));
          const key = item.parts.map((p) => p.text).join('.');
          const prior = listed.get(key);
          if (!prior) return void listed.set(key, item);
          report(
            diagnostic('check/duplicate-item', uri, item.range, `'${key}' is already listed in '${name}'.`, {
              related: [{ uri, range: prior.range, message: `'${key}' is first listed here.` }],
              fixes: [{ title: `Remove the second '${key}'`, edits: [{ uri, range: { start: v.items[i - 1].range.end, end: item.range.end }, newText: '' }], preferred: true }],
            }),
          );
        });
      }
      return;
    case 'selector':
      checkSelector(uri, v, name, report);
      if (name === 'histogram') checkHistogramName(uri, v, report);
      return;
    case 'comparison': {
      if (v.type !== 'comparison') {
        report(wrongType(uri, v, `a comparison such as ${name} >= 99%`, name));
        return;
      }
      checkMisspelt(uri, v.written, v.opRange, v.op, report);
      if (!v.value) return;
      if (checkBadNumbers(uri, v.value, report)) return;
      if (v.value.type !== 'number') report(wrongType(uri, v.value, 'a number, percentage or duration', name));
      return;
    }
    case 'measure':
      checkMeasure(uri, v, name, report);
      return;
  }
}

function checkWindow(uri: string, v: Value, name: string, report: (d: Diagnostic) => void): void {
  if (v.type === 'number' && v.unit === 'duration') {
    if (v.value <= 0) report(diagnostic('check/invalid-value', uri, v.range, `'${name}' must be longer than zero.`));
    return;
  }
  if (v.type === 'calendar') {
    const unit = v.unit?.text;
    if (unit && !(CALENDAR_UNITS as readonly string[]).includes(unit)) {
      const guess = closest(unit, CALENDAR_UNITS);
      report(diagnostic('check/invalid-value', uri, v.unit!.range, `A calendar window is a week, month or quarter, found '${unit}'.${didYouMean(guess)}`, { fixes: replaceFix(uri, v.unit!.range, guess) }));
    }
    if (v.timeZone && !isValidTimeZone(v.timeZone.value)) {
      const tz = v.timeZone.value;
      const s = timeZoneSuggestion(tz, closest);
      const why =
        s?.why === 'case' ? ` Time zone names are spelt as in the tz database: "${s.zone}".`
        : s?.why === 'link' ? ` Write the zone it stands for: "${s.zone}".`
        : s ? ` Did you mean "${s.zone}"?`
        : !tz.includes('/') && /^[A-Z]{2,5}$/.test(tz) ? ' Abbreviations are ambiguous: write a zone name such as "Europe/London".'
        : '';
      report(
        diagnostic('check/invalid-time-zone', uri, v.timeZone.range, `'${tz}' is not an IANA time zone name (such as "Europe/Paris" or "UTC").${why}`, {
          fixes: s ? [{ title: `Change to "${s.zone}"`, edits: [{ uri, range: v.timeZone.range, newText: `"${s.zone}"` }], preferred: true }] : undefined,
        }),
      );
    }
    return;
  }
  if (v.type === 'ref' && v.parts.length === 1 && (CALENDAR_UNITS as readonly string[]).includes(v.parts[0].text)) {
    report(wrongType(uri, v, 'a window', name, [{ title: `Change to 'calendar ${v.parts[0].text}'`, edits: [{ uri, range: v.range, newText: `calendar ${v.parts[0].text}` }], preferred: true }]));
    return;
  }
  report(wrongType(uri, v, 'a window: a duration such as 30d, or calendar week|month|quarter', name));
}

function checkSelector(uri: string, v: Value, name: string, report: (d: Diagnostic) => void): void {
  if (v.type === 'ref' && v.parts.length === 1) return checkMetricName(uri, v.parts[0], report); // a bare metric name
  if (v.type !== 'selector') {
    report(wrongType(uri, v, 'a metric selector such as http_requests_total{job="api"}', name));
    return;
  }
  if (v.metric) checkMetricName(uri, v.metric, report);
  if (!v.metric && v.matchers.length === 0) report(diagnostic('check/invalid-value', uri, v.range, 'A selector needs a metric name or at least one label matcher.'));
  for (const m of v.matchers) {
    // The lexer reads `cod:e` as one name (metric names may hold `:`), but a label name may not.
    if (!LABEL_NAME.test(m.label.text)) report(diagnostic('check/invalid-value', uri, m.label.range, `'${m.label.text}' is not a valid label name: letters, digits and _, not starting with a digit (a ':' belongs only in metric names).`));
    if (m.value && (m.op === '=' || m.op === '!=') && looksLikeRegex(m.value.value)) {
      const op = m.op === '=' ? '=~' : '!~';
      const valid = re2Problem(m.value.value) === undefined;
      report(
        diagnostic('check/suspicious-matcher', uri, m.value.range, `'${m.label.text}${m.op}${m.value.raw}' matches only that exact text, which looks like a regular expression: did you mean '${m.label.text}${op}${m.value.raw}'?`, {
          fixes: valid ? [{ title: `Change to '${op}'`, edits: [{ uri, range: m.range, newText: `${m.label.text}${op}${m.value.raw}` }], preferred: true }] : undefined,
        }),
      );
    }
    if (!m.value || (m.op !== '=~' && m.op !== '!~')) continue;
    const problem = re2Problem(m.value.value);
    if (problem) report(diagnostic('check/invalid-regex', uri, m.value.range, `Invalid regular expression in '${m.label.text}${m.op}': ${problem}.`));
  }
}

/** `NaN` and `Inf`, in any case, are numbers in PromQL: a metric of that name cannot be written as a selector. */
function checkMetricName(uri: string, metric: { readonly text: string; readonly range: Range }, report: (d: Diagnostic) => void): void {
  if (!/^(?:nan|inf)$/i.test(metric.text)) return;
  report(diagnostic('check/invalid-value', uri, metric.range, `'${metric.text}' is a number in PromQL, not a metric name: Prometheus would read the selector as the number.`));
}

/**
 * A value no label is likely to hold literally: alternatives (`a|b`), `.*` or `.+`, a character class
 * (`[0-9]`, `\d`), or a status class such as `5..`.
 */
function looksLikeRegex(value: string): boolean {
  return /[^|]\|[^|]|\.[*+]|\\[dDwWsS]|\[[^\]]+\]/.test(value) || /^[1-5](?:\.\.|xx)$/.test(value);
}

/** `histogram = x_bucket{…}`: the histogram is named by its base name; Pace adds `_bucket`. */
function checkHistogramName(uri: string, v: Value, report: (d: Diagnostic) => void): void {
  const metric = v.type === 'selector' ? v.metric : v.type === 'ref' && v.parts.length === 1 ? v.parts[0] : undefined;
  if (!metric || !metric.text.endsWith('_bucket') || metric.text.length <= '_bucket'.length) return;
  const base = metric.text.slice(0, -'_bucket'.length);
  report(
    diagnostic('check/invalid-value', uri, metric.range, `'histogram' takes the histogram's base name '${base}', not its '${metric.text}' series.`, {
      fixes: [{ title: `Change to '${base}'`, edits: [{ uri, range: metric.range, newText: base }], preferred: true }],
    }),
  );
}

/**
 * Why a pattern is not valid RE2 as Prometheus compiles a matcher (`^(?:re)$`), in RE2's own words,
 * or undefined: RE2 itself (re2js) decides, so RE2-only syntax such as `(?P<name>…)`, `\pL` or
 * `[[:alpha:]]` is accepted and look-arounds and back-references are not.
 */
export function re2Problem(pattern: string): string | undefined {
  return re2Error(pattern);
}

/** Names people reach for that Pace spells otherwise. */
const FUNCTION_SYNONYMS: Record<string, string> = { mean: 'avg', average: 'avg', median: 'p50', total: 'sum', minimum: 'min', maximum: 'max', rate: 'ratio' };

function checkMeasure(uri: string, v: Value, name: string, report: (d: Diagnostic) => void): void {
  if (v.type !== 'call') {
    report(wrongType(uri, v, 'a measure such as ratio(a_total, b_total) or avg(metric)', name));
    return;
  }
  const fn = v.fn.text;
  if (!(MEASURE_FUNCTIONS as readonly string[]).includes(fn)) {
    const guess = FUNCTION_SYNONYMS[fn.toLowerCase()] ?? closest(fn, MEASURE_FUNCTIONS);
    report(diagnostic('check/unknown-function', uri, v.fn.range, `Unknown function '${fn}': expected ${MEASURE_FUNCTIONS.join(', ')}.${didYouMean(guess)}`, { fixes: replaceFix(uri, v.fn.range, guess) }));
    return;
  }
  const arity = fn === 'ratio' ? 2 : 1;
  if (v.args.length !== arity) {
    report(diagnostic('check/wrong-type', uri, v.range, `'${fn}' takes ${arity === 2 ? 'two selectors: ratio(numerator, denominator)' : `one selector: ${fn}(metric{…})`}, found ${v.args.length} argument${v.args.length === 1 ? '' : 's'}.`));
  }
  for (const a of v.args) checkSelector(uri, a, `${fn}()`, report);
}

function checkAlertRule(uri: string, r: AlertRule, report: (d: Diagnostic) => void): void {
  const sev = r.severity.text;
  if (!(SEVERITIES as readonly string[]).includes(sev)) {
    const guess = closest(sev, SEVERITIES);
    report(diagnostic('check/invalid-alert-rule', uri, r.severity.range, `An alert rule's severity is 'page' or 'ticket', found '${sev}'.${didYouMean(guess)}`, { fixes: replaceFix(uri, r.severity.range, guess) }));
  }
  if (r.metric && r.metric.text !== 'burn_rate') {
    report(diagnostic('check/invalid-alert-rule', uri, r.metric.range, `Alert rules compare 'burn_rate', found '${r.metric.text}'.`, { fixes: replaceFix(uri, r.metric.range, 'burn_rate') }));
  }
  if (r.misspeltOp) checkMisspelt(uri, r.misspeltOp.text, r.misspeltOp.range, r.op ?? '>=', report);
  if (r.op && r.op !== '>' && r.op !== '>=') {
    report(diagnostic('check/invalid-alert-rule', uri, r.range, `An alert fires when the burn rate is above its factor: use '>' (or '>='), found '${r.op}'.`));
  }
  if (r.factor && !checkBadNumbers(uri, r.factor, report)) {
    if (r.factor.type !== 'number' || r.factor.unit !== 'none') report(diagnostic('check/wrong-type', uri, r.factor.range, `A burn-rate factor is a plain number such as 14.4, found ${valueLabel(r.factor)}.`));
    else if (r.factor.value <= 0) report(diagnostic('check/invalid-value', uri, r.factor.range, 'A burn-rate factor must be above zero.'));
  }
  for (const [v, what] of [[r.longWindow, 'long window'], [r.shortWindow, 'short window'], [r.forDuration, "'for' duration"]] as const) {
    if (!v || checkBadNumbers(uri, v, report, 'duration')) continue;
    if (v.type !== 'number' || v.unit !== 'duration') report(diagnostic('check/wrong-type', uri, v.range, `The ${what} is a duration such as 1h or 5m, found ${valueLabel(v)}.`));
  }
  const l = r.longWindow?.type === 'number' && r.longWindow.unit === 'duration' ? r.longWindow.value : undefined;
  const s = r.shortWindow?.type === 'number' && r.shortWindow.unit === 'duration' ? r.shortWindow.value : undefined;
  if (l !== undefined && s !== undefined && s >= l) {
    report(diagnostic('check/alert-window-order', uri, r.shortWindow!.range, `The short window (${r.shortWindow!.type === 'number' ? r.shortWindow!.raw : ''}) must be shorter than the long window (${r.longWindow!.type === 'number' ? r.longWindow!.raw : ''}).`, {
      fixes: r.longWindow && r.shortWindow ? [{ title: 'Swap the windows', edits: [{ uri, range: r.longWindow.range, newText: (r.shortWindow as { raw: string }).raw }, { uri, range: r.shortWindow.range, newText: (r.longWindow as { raw: string }).raw }], preferred: true }] : undefined,
    }));
  }
}

function checkCredit(uri: string, c: CreditRule, report: (d: Diagnostic) => void): void {
  for (const [v, what] of [[c.credit, 'credit'], [c.below, 'threshold']] as const) {
    if (!v || checkBadNumbers(uri, v, report)) continue;
    if (v.type !== 'number' || v.unit !== 'percent') {
      const fix = v.type === 'number' && v.unit === 'none' && v.value > 0 && v.value <= 100 ? `${v.raw}%` : undefined;
      report(diagnostic('check/wrong-type', uri, v.range, `A credit tier's ${what} is a percentage, found ${valueLabel(v)}.`, { fixes: replaceFix(uri, v.range, fix) }));
    } else if (v.value <= 0 || v.value > 100 || (what === 'threshold' && v.value >= 100)) {
      report(diagnostic('check/objective-out-of-range', uri, v.range, `A credit tier's ${what} must be between 0% and 100%, found ${v.raw}.`));
    }
  }
}
