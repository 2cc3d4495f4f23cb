// Code actions (the fixes diagnostics carry, plus "Create SLI"), inlay hints and code lenses.
import type { Block, Range } from '../../../../grammar/src/ast.js';
import type { Analysis } from '../workspace/workspace.js';
import type { Diagnostic, TextEdit } from '../diagnostics/diagnostic.js';
import { errorBudget, formatDuration, formatPercent, percentText } from '../budget/budget.js';
import { alertRules } from '../semantics/semantics.js';
import { attributeValue } from '../semantics/values.js';
import { fileOf } from './locate.js';
import { budgetSpent30d, budgetTime, objectiveAndWindow, round, shortDuration, slaNumbers, sloNumbers, sloSummary, windowLong, windowShort, type SloNumbers } from './numbers.js';
import type { CodeAction, CodeLens, InlayHint } from './types.js';

function overlaps(a: Range, b: Range): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Quick fixes for the diagnostics that overlap `range`. */
export function codeActions(analysis: Analysis, uri: string, range: Range): CodeAction[] {
  const file = fileOf(analysis, uri);
  if (!file) return [];
  const out: CodeAction[] = [];
  for (const d of analysis.diagnosticsFor(uri)) {
    if (!overlaps(d.range, range)) continue;
    for (const f of d.fixes ?? []) out.push({ title: f.title, kind: 'quickfix', edits: f.edits, preferred: f.preferred, diagnostic: d });
    const create = createSliAction(analysis, d, file.text);
    if (create) out.push(create);
  }
  return out;
}

/** "Create SLI 'x'" for an unresolved `sli = x` in a service: a ratio SLI stub before the SLO (or SLA). */
export function createSliAction(analysis: Analysis, d: Diagnostic, text: string): CodeAction | undefined {
  if (d.code !== 'link/unresolved-reference') return undefined;
  const ref = analysis.semantic.references.find((r) => r.uri === d.uri && r.expected === 'sli' && !r.target && r.ref.parts.length === 1 && r.ref.range.start === d.range.start && r.ref.range.end === d.range.end);
  const from = ref?.from;
  const service = from?.parent;
  if (!ref || !from || !service || service.kind !== 'service' || (from.kind !== 'slo' && from.kind !== 'sla')) return undefined;
  const name = ref.ref.parts[0].text;
  const at = insertionPoint(from.block, text);
  const indent = /^[ \t]*/.exec(text.slice(at))![0];
  const job = service.name;
  const stub =
    `${indent}sli ${name} = ratio {\n` +
    `${indent}  good  = http_requests_total{job="${job}", code!~"5.."}\n` +
    `${indent}  total = http_requests_total{job="${job}"}\n` +
    `${indent}}\n\n`;
  const edit: TextEdit = { uri: d.uri, range: { start: at, end: at }, newText: stub };
  return { title: `Create SLI '${name}'`, kind: 'quickfix', edits: [edit], diagnostic: d };
}

/** The start of the line of a block (or of its doc comment). */
function insertionPoint(block: Block, text: string): number {
  const start = block.docRange?.start ?? block.range.start;
  return text.lastIndexOf('\n', start - 1) + 1;
}

/** After each SLO/SLA objective: its budget; after each burn-rate factor: the share of budget it spends. */
export function inlayHints(analysis: Analysis, uri: string, range?: Range): InlayHint[] {
  const file = fileOf(analysis, uri);
  if (!file) return [];
  const model = analysis.semantic;
  const out: InlayHint[] = [];
  const inRange = (o: number) => !range || (range.start <= o && o <= range.end);
  for (const s of model.symbols) {
    if (s.uri !== uri) continue;
    if (s.kind === 'slo' || s.kind === 'sla') {
      const v = attributeValue(s.block, 'objective');
      if (!v || !inRange(v.range.end)) continue;
      const ow = objectiveAndWindow(s.block);
      if (!ow) continue;
      const budget = errorBudget(ow.objective, ow.window);
      let tooltip: string;
      if (s.kind === 'slo') {
        const n = sloNumbers(model, s);
        tooltip = n ? `Error budget of ${s.id}: ${sloSummary(n)}.` : '';
      } else {
        const n = slaNumbers(s);
        tooltip = n ? `Allowed downtime of SLA ${s.id}: ${formatDuration(n.perMonth.seconds)} per 30-day month (${budgetTime(n.perMonth)}).` : '';
      }
      out.push({ offset: v.range.end, label: `budget ${budgetTime(budget)} / ${windowShort(ow.window)}`, tooltip });
    }
    if (s.kind === 'alerting') {
      for (const r of alertRules(s.block, s.uri)) {
        const f = r.node?.factor;
        if (!f || !inRange(f.range.end)) continue;
        const share = budgetSpent30d(r.factor, r.longWindowSeconds);
        out.push({
          offset: f.range.end,
          label: `≥ ${formatPercent(share)} of budget in ${formatDuration(r.longWindowSeconds)}`,
          tooltip: `Fires after spending ${formatPercent(share)} of a 30-day error budget in ${formatDuration(r.longWindowSeconds)} (burn rate ${round(r.factor)} × ${formatDuration(r.longWindowSeconds)} / 30d), confirmed over ${formatDuration(r.shortWindowSeconds)}.`,
        });
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** One lens per SLO: its budget summary, with the details an editor shows when it is clicked. */
export function codeLenses(analysis: Analysis, uri: string): CodeLens[] {
  const model = analysis.semantic;
  const out: CodeLens[] = [];
  for (const s of model.symbols) {
    if (s.uri !== uri || s.kind !== 'slo') continue;
    const n = sloNumbers(model, s);
    out.push({ range: s.block.keyword.range, title: n ? sloSummary(n) : 'budget: objective or window missing', symbolId: s.id, details: n ? lensDetails(s.id, n) : [`SLO ${s.id}: the objective or the window is missing or invalid, so no budget is computed.`] });
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

function lensDetails(id: string, n: SloNumbers): string[] {
  const out = [`SLO ${id}: objective ${percentText(n.objective)} over ${windowLong(n.window)}.`, `Error budget: ${formatPercent(n.budget.ratio)} of events, or ${budgetTime(n.budget)} of full outage per ${windowShort(n.window)}.`];
  if (n.alerting === 'none') out.push('Alerting: none — this SLO never alerts.');
  else if (!n.policy) out.push('Alerting: the policy does not resolve.');
  else {
    out.push(`Alerting: ${n.policy.name === 'default' ? 'the default policy (SRE workbook, scaled to the window)' : `policy ${n.policy.name}`}; times to fire assume a full outage.`);
    for (const { rule, targets: t } of n.policy.rules) {
      const fire = t.timeToFireSeconds === null ? 'never fires (threshold ≥ 100%)' : `fires after ${shortDuration(t.timeToFireSeconds)}`;
      out.push(`${rule.severity}: burn rate ${round(rule.factor)}× over ${formatDuration(rule.longWindowSeconds)} and ${formatDuration(rule.shortWindowSeconds)} — error rate ≥ ${formatPercent(t.threshold)}, ${formatPercent(t.budgetSpent)} of the budget spent; ${fire}.`);
    }
  }
  return out;
}
