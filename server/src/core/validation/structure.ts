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
import { isValidTimeZone, percentText } from './values.js';
import { CALENDAR_UNITS } from '../language/blocks.js';

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
        ? `'${kw}' blocks belong inside ${kw === 'kpi' ? "an 'objective'" : kw === 'labels' ? 'a block' : "a 'service'"}, not at the top level.`
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
        if (child && (spec.blocks.includes(m.keyword.text) || !TOP_LEVEL_BLOCKS.includes(m.keyword.text as never))) checkBlock(uri, m, child, text, report);
        break;
      }
      case 'alert-rule':
        if (spec.rules !== 'alert') report(diagnostic('check/unknown-attribute', uri, m.severity.range, `Alert rules belong in an 'alerting' policy, not in ${spec.title.toLowerCase()} '${block.name?.text ?? kw}'.`));
        else checkAlertRule(uri, m, report);
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

/** Insert `example` as a new line before the block's closing brace, indented like its members. */
function insertFix(uri: string, block: Block, attr: AttributeSpec, text: string): Fix[] | undefined {
  if (!block.closeBrace) return undefined;
  const lineStart = text.lastIndexOf('\n', block.range.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const closeLineStart = text.lastIndexOf('\n', block.closeBrace.start - 1) + 1;
  const onOwnLine = /^[ \t]*$/.test(text.slice(closeLineStart, block.closeBrace.start));
  const line = `${indent}  ${attr.example}\n`;
  const edit = onOwnLine
    ? { uri, range: { start: closeLineStart, end: closeLineStart }, newText: line }
    : { uri, range: { start: block.closeBrace.start, end: block.closeBrace.start }, newText: `\n${line}${indent}` };
  return [{ title: `Add '${attr.name}'`, edits: [edit], preferred: true }];
}

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
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(m.name.text)) report(diagnostic('check/invalid-value', uri, m.name.range, `'${m.name.text}' is not a valid label name.`));
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

function checkBadNumbers(uri: string, v: Value, report: (d: Diagnostic) => void): boolean {
  if (v.type !== 'bad-number') return false;
  const m = /^([0-9.]+)\s*([A-Za-z%]+)$/.exec(v.raw);
  let hint = ' Durations are whole numbers of ms, s, m, h, d or w (1h30m); percentages end in %.';
  let fixes: Fix[] | undefined;
  if (m) {
    const unitFix: Record<string, string> = { ms: 'ms', s: 's', m: 'm', h: 'h', d: 'd', w: 'w', percent: '%', pct: '%', min: 'm', mins: 'm', minute: 'm', minutes: 'm', sec: 's', secs: 's', second: 's', seconds: 's', hr: 'h', hrs: 'h', hour: 'h', hours: 'h', day: 'd', days: 'd', week: 'w', weeks: 'w', msec: 'ms' };
    const u = unitFix[m[2].toLowerCase()];
    if (u && (u === '%' ? /^[0-9]+(?:\.[0-9]+)?$/ : /^[0-9]+$/).test(m[1])) {
      hint = ` Did you mean '${m[1]}${u}'?`;
      fixes = [{ title: `Change to '${m[1]}${u}'`, edits: [{ uri, range: v.range, newText: `${m[1]}${u}` }], preferred: true }];
    } else if (/^[0-9]+\.[0-9]+$/.test(m[1]) && ['ms', 's', 'm', 'h', 'd', 'w'].includes(m[2])) {
      hint = ' Durations use whole units: write 1h30m, not 1.5h.';
    }
  }
  report(diagnostic('check/invalid-number', uri, v.range, `'${v.raw}' is not a valid number, duration or percentage.${hint}`, { fixes }));
  return true;
}

/** Values under a member that is otherwise not checked (unknown attribute): still report bad numbers. */
function checkValuesIn(uri: string, m: Member, report: (d: Diagnostic) => void): void {
  const visit = (v: Value | undefined) => {
    if (!v) return;
    if (checkBadNumbers(uri, v, report)) return;
    if (v.type === 'list') v.items.forEach(visit);
    if (v.type === 'call') v.args.forEach(visit);
    if (v.type === 'comparison') visit(v.value);
  };
  if (m.type === 'attribute') visit(m.value);
}

export function checkValue(uri: string, v: Value, attr: AttributeSpec, report: (d: Diagnostic) => void): void {
  if (checkBadNumbers(uri, v, report)) return;
  const t: ValueType = attr.type;
  const name = attr.name;
  switch (t.kind) {
    case 'string':
      if (v.type !== 'string') report(wrongType(uri, v, 'a string', name, stringFix(uri, v)));
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
      for (const item of v.items) if (item.type !== 'ref') report(wrongType(uri, item, `the name of a ${t.to}`, name));
      return;
    case 'selector':
      checkSelector(uri, v, name, report);
      return;
    case 'comparison': {
      if (v.type !== 'comparison') {
        report(wrongType(uri, v, `a comparison such as ${name} >= 99%`, name));
        return;
      }
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
      report(diagnostic('check/invalid-time-zone', uri, v.timeZone.range, `'${v.timeZone.value}' is not a known IANA time zone (such as "Europe/Paris" or "UTC").`));
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
  if (v.type === 'ref' && v.parts.length === 1) return; // a bare metric name
  if (v.type !== 'selector') {
    report(wrongType(uri, v, 'a metric selector such as http_requests_total{job="api"}', name));
    return;
  }
  if (!v.metric && v.matchers.length === 0) report(diagnostic('check/invalid-value', uri, v.range, 'A selector needs a metric name or at least one label matcher.'));
  for (const m of v.matchers) {
    if (!m.value || (m.op !== '=~' && m.op !== '!~')) continue;
    const problem = re2Problem(m.value.value);
    if (problem) report(diagnostic('check/invalid-regex', uri, m.value.range, `Invalid regular expression in '${m.label.text}${m.op}': ${problem}.`));
  }
}

/** Why a pattern is not valid RE2 (Prometheus' regex engine), or undefined. */
export function re2Problem(pattern: string): string | undefined {
  if (/\(\?[=!]|\(\?<[=!]/.test(pattern)) return 'look-arounds are not supported by RE2';
  if (/\\[1-9]/.test(pattern)) return 'back-references are not supported by RE2';
  try {
    new RegExp(`^(?:${pattern})$`, 'u');
    return undefined;
  } catch (e) {
    try {
      new RegExp(`^(?:${pattern})$`);
      return undefined;
    } catch {
      return (e as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /, '').replace(/\.$/, '');
    }
  }
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
  if (r.op && r.op !== '>' && r.op !== '>=') {
    report(diagnostic('check/invalid-alert-rule', uri, r.range, `An alert fires when the burn rate is above its factor: use '>' (or '>='), found '${r.op}'.`));
  }
  if (r.factor && !checkBadNumbers(uri, r.factor, report)) {
    if (r.factor.type !== 'number' || r.factor.unit !== 'none') report(diagnostic('check/wrong-type', uri, r.factor.range, `A burn-rate factor is a plain number such as 14.4, found ${valueLabel(r.factor)}.`));
    else if (r.factor.value <= 0) report(diagnostic('check/invalid-value', uri, r.factor.range, 'A burn-rate factor must be above zero.'));
  }
  for (const [v, what] of [[r.longWindow, 'long window'], [r.shortWindow, 'short window'], [r.forDuration, "'for' duration"]] as const) {
    if (!v || checkBadNumbers(uri, v, report)) continue;
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
