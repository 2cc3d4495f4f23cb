// Hover: doc comments, the attribute table's documentation, and computed numbers (error budgets,
// alert thresholds and times to fire, SLA downtime and credits).
import type { AlertRule, Attribute, Block, Value } from '../../../../grammar/src/ast.js';
import type { Analysis } from '../workspace/workspace.js';
import type { PaceSymbol, SemanticModel } from '../linking/linker.js';
import { BLOCKS, CALENDAR_UNITS, KIND_LABEL, SEVERITIES, blockSpec, describeType, type AttributeSpec, type BlockSpec } from '../language/blocks.js';
import { DEFAULT_POLICY, defaultPolicy, defaultPolicyMode, errorBudget, formatDuration, formatPercent, percentText, ruleTargets, windowLabel, ruleWindowsText } from '../budget/budget.js';
import { alertRules, semanticsOf } from '../semantics/semantics.js';
import { attributeValue, durationOf, windowOf } from '../semantics/values.js';
import { selectorOf } from '../model/normalize.js';
import { ratioErrorExpression } from '../model/error-ratio.js';
import { blockPath, fileOf, memberAt, symbolAt, touches, valueAt } from './locate.js';
import { budgetSpent30d, budgetTime, objectiveAndWindow, round, rulesTable, shortDuration, slaNumbers, sloNumbers, windowLong, windowShort } from './numbers.js';
import type { Hover } from './types.js';

export function hover(analysis: Analysis, uri: string, offset: number): Hover | undefined {
  const file = fileOf(analysis, uri);
  if (!file) return undefined;
  const model = analysis.semantic;

  const hit = symbolAt(analysis, uri, offset);
  if (hit) {
    if (hit.builtin) return { contents: builtinDoc(hit.builtin, hit.reference?.from), range: hit.range };
    if (hit.symbol) return { contents: symbolDoc(model, hit.symbol), range: hit.range };
    return undefined;
  }

  const path = blockPath(file.ast, offset);
  const block = path[path.length - 1];
  if (!block) return undefined;
  const spec = specOf(block);

  // The block keyword (`slo`, `labels`): the block's documentation, or the symbol's.
  if (touches(block.keyword.range, offset)) {
    const sym = model.byBlock.get(block);
    if (sym) return { contents: symbolDoc(model, sym), range: block.keyword.range };
    if (spec) return { contents: blockDoc(spec), range: block.keyword.range };
    return undefined;
  }
  if (block.kind && touches(block.kind.range, offset)) {
    const kindSpec = blockSpec('sli', block.kind.text);
    return kindSpec ? { contents: blockDoc(kindSpec), range: block.kind.range } : undefined;
  }

  const member = memberAt(block, offset);
  if (!member) return undefined;
  if (member.type === 'attribute') return attributeHover(analysis, block, spec, member, offset);
  if (member.type === 'alert-rule') return { contents: alertRuleDoc(model, block, member), range: member.range };
  if (member.type === 'credit') {
    const sym = model.byBlock.get(block);
    return sym ? { contents: slaDoc(sym), range: member.range } : undefined;
  }
  return undefined;
}

function specOf(block: Block): BlockSpec | undefined {
  return blockSpec(block.keyword.text, block.kind?.text);
}

function attributeHover(analysis: Analysis, block: Block, spec: BlockSpec | undefined, attr: Attribute, offset: number): Hover | undefined {
  const model = analysis.semantic;
  const aspec = spec?.attributes.find((a) => a.name === attr.name.text);
  const sym = model.byBlock.get(block);
  const numbers = sym && attr.name.text === 'objective' && (sym.kind === 'slo' || sym.kind === 'sla') ? symbolDoc(model, sym) : undefined;
  if (touches(attr.name.range, offset)) {
    if (!aspec) return spec?.map ? { contents: `Label \`${attr.name.text}\` — ${spec.doc}`, range: attr.name.range } : undefined;
    return { contents: [attributeDoc(aspec), numbers].filter(Boolean).join('\n\n---\n\n'), range: attr.name.range };
  }
  const v = valueAt(attr.value, offset);
  if (!v) return undefined;
  if (numbers && attr.value && touches(attr.value.range, offset)) return { contents: numbers, range: attr.value.range };
  const selector = selectorHover(model, block, aspec, attr, v);
  if (selector) return { contents: selector, range: v.range };
  const enumDoc = enumValueDoc(aspec, v);
  if (enumDoc) return { contents: enumDoc, range: v.range };
  const valueDoc = numberDoc(v);
  if (valueDoc) return { contents: valueDoc, range: v.range };
  return undefined;
}

/**
 * A metric selector (`good`, `total`, `histogram`, `gauge`, or an argument of a KPI's measure): the
 * selector as PromQL, its role, and for ratio SLIs the error ratio Pace derives.
 */
function selectorHover(model: SemanticModel, block: Block, aspec: AttributeSpec | undefined, attr: Attribute, v: Value): string | undefined {
  if (v.type !== 'selector' && !(v.type === 'ref' && v.parts.length === 1)) return undefined;
  const sym = model.byBlock.get(block);
  const owner = sym ? `${sym.kind === 'sli' && sym.sliKind ? `${sym.sliKind} SLI` : KIND_LABEL[sym.kind]} \`${sym.id}\`` : undefined;
  const promql = (text: string) => `\`\`\`promql\n${text}\n\`\`\``;
  const text = selectorOf(v)?.text;
  if (!text) return undefined;
  const out: string[] = [];
  if (aspec?.type.kind === 'selector' && attr.value === v) {
    out.push(`**Metric selector** \`${attr.name.text}\`${owner ? ` of ${owner}` : ''}`, promql(text), aspec.doc);
    const kind = block.keyword.text === 'sli' ? block.kind?.text : undefined;
    if (kind === 'ratio') {
      const expr = ratioErrorExpression({ good: selectorOf(attributeValue(block, 'good')), bad: selectorOf(attributeValue(block, 'bad')), total: selectorOf(attributeValue(block, 'total')) });
      out.push(
        expr
          ? `Error ratio Pace derives from this SLI — the expression generators will use (\`$window\` is the range):\n\n${promql(expr)}`
          : '_The error ratio needs `total` and one of `good` or `bad`._',
      );
    } else if (kind === 'latency') {
      const under = attributeValue(block, 'under');
      if (under?.type === 'number' && under.unit === 'duration') out.push(`Good events: those faster than ${under.raw} (\`under\`), a bucket boundary of this histogram.`);
    } else if (kind === 'timeslice') {
      const gw = attributeValue(block, 'good_when');
      if (gw?.type === 'comparison' && gw.value && 'raw' in gw.value) out.push(`A slice is good when this gauge is ${gw.op} ${gw.value.raw} (\`good_when\`).`);
    }
    return out.join('\n\n');
  }
  if (aspec?.type.kind === 'measure' && attr.value?.type === 'call') {
    const call = attr.value;
    const i = call.args.indexOf(v);
    if (i < 0) return undefined;
    const fn = call.fn.text;
    const role = fn === 'ratio' ? (i === 0 ? 'the numerator of `ratio(numerator, denominator)`' : i === 1 ? 'the denominator of `ratio(numerator, denominator)`' : `argument ${i + 1} of \`ratio\` (it takes two)`) : `the series \`${fn}(…)\` aggregates`;
    const window = attributeValue(block, 'window');
    const over = window?.type === 'number' && window.unit === 'duration' ? `, over the KPI's window of ${window.raw}` : '';
    out.push(`**Metric selector** in \`${attr.name.text}\`${owner ? ` of ${owner}` : ''}`, promql(text), `This is ${role}${over}.`);
    return out.join('\n\n');
  }
  return undefined;
}

export function attributeDoc(a: AttributeSpec): string {
  return `**${a.name}** — ${describeType(a.type)}${a.required ? ' (required)' : ''}\n\n${a.doc}\n\n\`\`\`pace\n${a.example}\n\`\`\``;
}

export function blockDoc(spec: BlockSpec): string {
  return `**${spec.title}**\n\n${spec.doc}\n\n\`\`\`pace\n${spec.example}\n\`\`\``;
}

const ENUM_DOCS: Record<string, string> = {
  critical: 'Tier `critical`: an outage stops the business.',
  high: 'Tier `high`: an outage hurts customers directly.',
  medium: 'Tier `medium`: degraded experience, with workarounds.',
  low: 'Tier `low`: internal or best-effort.',
  week: 'Calendar week (ISO: Monday to Sunday): the budget resets every Monday at 00:00.',
  month: 'Calendar month: the budget resets on the 1st; a month has 28 to 31 days, so the budget in time varies.',
  quarter: 'Calendar quarter: the budget resets on 1 January, April, July and October (90 to 92 days).',
  page: 'Severity `page`: urgent, routed to the on-call pager.',
  ticket: 'Severity `ticket`: not urgent, routed to a ticket queue.',
  ratio: BLOCKS['sli:ratio'].doc,
  latency: BLOCKS['sli:latency'].doc,
  timeslice: BLOCKS['sli:timeslice'].doc,
  promql: BLOCKS['sli:promql'].doc,
};

export function enumDoc(value: string): string | undefined {
  return ENUM_DOCS[value];
}

function enumValueDoc(aspec: AttributeSpec | undefined, v: Value): string | undefined {
  if (v.type === 'calendar') {
    const unit = v.unit?.text;
    return unit && (CALENDAR_UNITS as readonly string[]).includes(unit) ? ENUM_DOCS[unit] : undefined;
  }
  if (v.type !== 'ref' || v.parts.length !== 1 || aspec?.type.kind !== 'enum') return undefined;
  const word = v.parts[0].text;
  if (!(aspec.type.values as readonly string[]).includes(word)) return undefined;
  return [ENUM_DOCS[word] ?? `\`${word}\``, aspec.doc].join('\n\n');
}

function numberDoc(v: Value): string | undefined {
  if (v.type !== 'number') return undefined;
  if (v.unit === 'duration') return `Duration \`${v.raw}\` = ${formatDuration(v.value / 1000)} (${v.value / 1000} s)`;
  if (v.unit === 'percent') return `\`${v.raw}\` = ${Number((v.value / 100).toPrecision(12))} as a ratio`;
  return undefined;
}

function docOf(s: PaceSymbol): string {
  return s.block.doc ? `\n\n${s.block.doc}` : '';
}

function heading(s: PaceSymbol): string {
  const kind = s.kind === 'sli' && s.sliKind ? `${s.sliKind} SLI` : KIND_LABEL[s.kind];
  return `**${kind}** \`${s.id}\``;
}

/** The documentation and summary of a declaration: shown on its name and on every reference to it. */
export function symbolDoc(model: SemanticModel, s: PaceSymbol): string {
  switch (s.kind) {
    case 'slo': return sloDoc(model, s);
    case 'sla': return slaDoc(s);
    case 'sli': return sliDoc(model, s);
    case 'service': return serviceDoc(model, s);
    case 'alerting': return policyDoc(model, s);
    case 'objective': return objectiveDoc(model, s);
    case 'kpi': return kpiDoc(s);
  }
}

function sloDoc(model: SemanticModel, s: PaceSymbol): string {
  const out = [heading(s) + docOf(s)];
  const n = sloNumbers(model, s);
  if (!n) {
    out.push('_Objective or window missing or invalid: no budget computed._');
    return out.join('\n\n');
  }
  const sliRef = attributeValue(s.block, 'sli');
  const sli = sliRef?.type === 'ref' ? model.byRef.get(sliRef)?.target : undefined;
  out.push(`Objective **${percentText(n.objective)}** over ${windowLong(n.window)}${sli ? ` on SLI \`${sli.name}\`` : ''}.`);
  const b = n.budget;
  let budget = `Error budget: **${formatPercent(b.ratio)}** of events, or **${budgetTime(b, true)}** of full outage per ${windowShort(n.window)}`;
  if (n.window.type === 'calendar' && n.window.unit !== 'week') budget += ` (depending on the ${n.window.unit}'s length; ${formatDuration(b.seconds)} for a nominal ${n.window.unit === 'month' ? '30-day month' : '90-day quarter'})`;
  out.push(budget + '.');
  if (n.alerting === 'none') out.push('Alerting: `none` — this SLO never alerts.');
  else if (!n.policy) out.push('Alerting: the policy does not resolve.');
  else {
    out.push(`Alerting: ${n.policy.name === 'default' ? '`default` (the SRE workbook policy scaled to the window)' : `policy \`${n.policy.name}\``}, ${n.policy.rules.length} rule${n.policy.rules.length === 1 ? '' : 's'}. Time to fire assumes a total outage.`);
    if (n.policy.rules.length) out.push(rulesTable(n.policy.rules));
  }
  return out.join('\n\n');
}

function slaDoc(s: PaceSymbol): string {
  const out = [heading(s) + docOf(s)];
  const n = slaNumbers(s);
  if (!n) return out.concat('_Objective or window missing or invalid._').join('\n\n');
  out.push(`Objective **${percentText(n.objective)}** over ${windowLong(n.window)}.`);
  const m = n.perMonth;
  out.push(`Allowed downtime per month: **${formatDuration(m.seconds)}** (30 days; ${formatDuration(m.minSeconds ?? m.seconds)} in a 28-day month, ${formatDuration(m.maxSeconds ?? m.seconds)} in a 31-day month).`);
  if (!(n.window.type === 'calendar' && n.window.unit === 'month')) out.push(`Over its window (${windowLabel(n.window)}): ${budgetTime(n.perWindow, true)}.`);
  if (n.credits.length) {
    out.push(
      ['| service credit | when attainment is below | i.e. downtime over |', '|---|---|---|', ...n.credits.map((c) => `| ${percentText(c.credit)} | ${percentText(c.below)} | ${formatDuration(c.downtimeSeconds)} per ${windowShort(n.window)} |`)].join('\n'),
    );
  } else out.push('No credit tiers.');
  return out.join('\n\n');
}

function sliDoc(model: SemanticModel, s: PaceSymbol): string {
  const out = [heading(s) + docOf(s)];
  const spec = s.sliKind ? blockSpec('sli', s.sliKind) : undefined;
  if (spec) out.push(spec.doc);
  const users = model.referencesTo(s).filter((r) => r.from?.kind === 'slo' || r.from?.kind === 'sla');
  if (users.length) out.push(`Used by ${users.map((r) => `${KIND_LABEL[r.from!.kind]} \`${r.from!.name}\``).join(', ')}.`);
  return out.join('\n\n');
}

function str(block: Block, name: string): string | undefined {
  const v = attributeValue(block, name);
  return v?.type === 'string' ? v.value : undefined;
}

function serviceDoc(model: SemanticModel, s: PaceSymbol): string {
  const title = str(s.block, 'title');
  const out = [heading(s) + (title ? ` — ${title}` : '') + docOf(s)];
  const facts: string[] = [];
  const owner = str(s.block, 'owner');
  if (owner) facts.push(`owner ${owner}`);
  const tier = attributeValue(s.block, 'tier');
  if (tier?.type === 'ref') facts.push(`tier ${tier.parts.map((p) => p.text).join('.')}`);
  const count = (k: 'sli' | 'slo' | 'sla') => model.membersOf(s, k).length;
  facts.push(`${count('sli')} SLIs, ${count('slo')} SLOs, ${count('sla')} SLAs`);
  out.push(facts.join(' · '));
  const avail = semanticsOf(model).availabilitySlo(s);
  if (avail) out.push(`Availability objective: ${percentText(avail.objective)} (SLO \`${avail.slo.name}\`).`);
  const deps = model.references.filter((r) => r.from === s && r.attribute === 'depends_on' && r.target).map((r) => `\`${r.target!.name}\``);
  if (deps.length) out.push(`Depends on ${deps.join(', ')}.`);
  return out.join('\n\n');
}

function policyDoc(model: SemanticModel, s: PaceSymbol): string {
  const out = [heading(s) + docOf(s)];
  const rules = alertRules(s.block, s.uri);
  if (rules.length) {
    out.push(
      [
        '| severity | burn rate | windows | budget spent before firing (30d window) |',
        '|---|---|---|---|',
        ...rules.map((r) => `| ${r.severity} | ${round(r.factor)}× | ${ruleWindowsText(r, ' / ')}${r.forSeconds ? ` for ${formatDuration(r.forSeconds)}` : ''} | ${formatPercent(budgetSpent30d(r.factor, r.longWindowSeconds))} |`),
      ].join('\n'),
    );
  } else out.push('No rules: SLOs that use this policy never alert.');
  const users = model.referencesTo(s).filter((r) => r.from?.kind === 'slo');
  out.push(users.length ? `Used by ${users.map((r) => `\`${r.from!.id}\``).join(', ')}.` : 'No SLO uses this policy.');
  return out.join('\n\n');
}

function objectiveDoc(model: SemanticModel, s: PaceSymbol): string {
  const title = str(s.block, 'title');
  const out = [heading(s) + (title ? ` — ${title}` : '') + docOf(s)];
  const kpis = model.membersOf(s, 'kpi').map((k) => `\`${k.name}\``);
  if (kpis.length) out.push(`KPIs: ${kpis.join(', ')}.`);
  const supported = model.references.filter((r) => r.from === s && r.attribute === 'supported_by' && r.target).map((r) => `\`${r.target!.id}\``);
  if (supported.length) out.push(`Supported by ${supported.join(', ')}.`);
  return out.join('\n\n');
}

function kpiDoc(s: PaceSymbol): string {
  const out = [heading(s) + docOf(s)];
  const target = attributeValue(s.block, 'target');
  const window = windowOf(attributeValue(s.block, 'window'));
  if (target?.type === 'comparison' && target.value && 'raw' in target.value) out.push(`Target: measure ${target.op} ${target.value.raw}${window ? ` over ${windowLabel(window)}` : ''}.`);
  return out.join('\n\n');
}

function builtinDoc(name: string, from: PaceSymbol | undefined): string {
  if (name === 'none') return '**alerting** `none` — this SLO never alerts.';
  const out = ['**alerting** `default` — the SRE workbook policy: page at 2% of the budget in 1h (and 5m) or 5% in 6h (and 30m), ticket at 10% in 1d (and 2h) or 10% in 3d (and 6h). For 28d and 30d windows (and calendar months) these are Sloth\'s rules exactly; for any other window from 1d the windows are scaled to the SLO window and the burn rates kept; below 1d there are no rules.'];
  const ow = from ? objectiveAndWindow(from.block) : undefined;
  if (from && ow) {
    const rules = defaultPolicy(ow.window).map((rule) => ({ rule, targets: ruleTargets(rule, ow.objective, ow.window) }));
    const mode = defaultPolicyMode(ow.window);
    out.push(`For SLO \`${from.name}\` (${percentText(ow.objective)} over ${windowLabel(ow.window)}; budget ${budgetTime(errorBudget(ow.objective, ow.window))}; ${mode === 'sloth' ? "Sloth's catalogue" : mode === 'scaled' ? 'windows scaled to the SLO window' : 'no rules: the window is under 1d'}):`, rulesTable(rules));
  } else out.push(`| severity | budget share | windows |\n|---|---|---|\n${DEFAULT_POLICY.map((r) => `| ${r.severity} | ${r.budgetPercent}% | ${formatDuration(r.longWindowSeconds)} / ${formatDuration(r.shortWindowSeconds)} |`).join('\n')}`);
  return out.join('\n\n');
}

/** An alert rule of a policy: what it means independently of any budget, then for each SLO that uses it. */
function alertRuleDoc(model: SemanticModel, block: Block, rule: AlertRule): string {
  const factor = rule.factor?.type === 'number' && rule.factor.unit === 'none' ? rule.factor.value : undefined;
  const toSeconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
  const longS = toSeconds(durationOf(rule.longWindow));
  const single = !rule.shortWindow;
  const shortS = single ? longS : toSeconds(durationOf(rule.shortWindow));
  const forS = toSeconds(durationOf(rule.forDuration));
  const sev = rule.severity.text;
  const out = [`**Alert rule** \`${sev}\`${(SEVERITIES as readonly string[]).includes(sev) ? ` — ${ENUM_DOCS[sev]}` : ''}`];
  if (factor === undefined || longS === undefined || shortS === undefined) {
    out.push('Incomplete rule: `page|ticket when burn_rate > FACTOR over LONG [and SHORT] [for DURATION]`.');
    return out.join('\n\n');
  }
  out.push(
    `Fires when the error rate is at least **${round(factor)}×** the rate that exactly spends the budget, ${single ? `over the last ${formatDuration(longS)}` : `over both the last ${formatDuration(longS)} and the last ${formatDuration(shortS)}`}${forS ? `, for ${formatDuration(forS)}` : ''}. ` +
      `Threshold = ${round(factor)} × error budget (e.g. ${formatPercent(factor * 0.001)} errors for a 99.9% SLO).`,
  );
  out.push(`With a 30-day window it has spent **${formatPercent(budgetSpent30d(factor, longS))}** of the budget when it fires (factor × ${formatDuration(longS)} / 30d).`);
  const sym = model.byBlock.get(block);
  if (sym) {
    const rows: string[] = [];
    for (const r of model.referencesTo(sym)) {
      if (r.from?.kind !== 'slo') continue;
      const ow = objectiveAndWindow(r.from.block);
      if (!ow) continue;
      const t = ruleTargets({ severity: sev === 'ticket' ? 'ticket' : 'page', factor, longWindowSeconds: longS, shortWindowSeconds: shortS, ...(single ? { singleWindow: true as const } : {}), ...(forS !== undefined ? { forSeconds: forS } : {}) }, ow.objective, ow.window);
      rows.push(`| \`${r.from.id}\` | ${percentText(ow.objective)} / ${windowShort(ow.window)} | ${formatPercent(t.threshold)} | ${formatPercent(t.budgetSpent)} | ${t.timeToFireSeconds === null ? 'never' : shortDuration(t.timeToFireSeconds)} |`);
    }
    if (rows.length) out.push(['| SLO | objective | error-rate threshold | budget spent | time to fire (total outage) |', '|---|---|---|---|---|', ...rows].join('\n'));
  }
  return out.join('\n\n');
}

