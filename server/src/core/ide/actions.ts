// Code actions (the fixes diagnostics carry, plus "Create SLI"), inlay hints and code lenses.
import type { Block, Range } from '../../../../grammar/src/ast.js';
import type { Analysis } from '../workspace/workspace.js';
import type { Diagnostic, TextEdit } from '../diagnostics/diagnostic.js';
import { errorBudget, formatDuration, formatPercent, percentText, ruleWindowsText } from '../budget/budget.js';
import { alertRules } from '../semantics/semantics.js';
import { attributeValue } from '../semantics/values.js';
import { fileOf } from './locate.js';
import { budgetSpent30d, budgetTime, objectiveAndWindow, round, shortDuration, slaNumbers, sloNumbers, sloSummary, windowLong, windowShort, type SloNumbers } from './numbers.js';
import type { CodeAction, CodeLens, InlayHint } from './types.js';
import type { SlaPreview, SloPreview } from '../evaluate/preview.js';

/**
 * The preview's figures the editor shows beside the definitions (the language server computes them
 * from the project's sample data): per model id (`slo:checkout.availability`, `sla:…`).
 */
export interface LiveFigures {
  readonly slos: ReadonlyMap<string, SloPreview>;
  readonly slas: ReadonlyMap<string, SlaPreview>;
  /** The figures are of an earlier, error-free version of the project (it has errors now). */
  readonly stale: boolean;
  /** Unix ms of the figures (the last sample by default). */
  readonly at: number;
}

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

/**
 * After each SLO/SLA objective: its budget (and, with sample data, the attainment); after each
 * burn-rate factor: the share of budget it spends.
 */
export function inlayHints(analysis: Analysis, uri: string, range?: Range, figures?: LiveFigures): InlayHint[] {
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
      const live = figures && attainmentHint(s.kind === 'slo' ? figures.slos.get(`slo:${s.id}`) : figures.slas.get(`sla:${s.id}`), figures);
      if (live) out.push({ offset: v.range.end, ...live });
    }
    if (s.kind === 'alerting') {
      for (const r of alertRules(s.block, s.uri)) {
        const f = r.node?.factor;
        if (!f || !inRange(f.range.end)) continue;
        const share = budgetSpent30d(r.factor, r.longWindowSeconds);
        out.push({
          offset: f.range.end,
          label: `≥ ${formatPercent(share)} of budget in ${formatDuration(r.longWindowSeconds)}`,
          tooltip: `Fires after spending ${formatPercent(share)} of a 30-day error budget in ${formatDuration(r.longWindowSeconds)} (burn rate ${round(r.factor)} × ${formatDuration(r.longWindowSeconds)} / 30d), ${r.singleWindow ? '' : `, confirmed over ${formatDuration(r.shortWindowSeconds)}`}.`,
        });
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/**
 * One lens per SLO: its budget summary, with the details an editor shows when it is clicked. With
 * the preview's figures, the lens shows what the sample data says (attainment, budget left, alerts
 * fired) and its details add them to the definition's.
 */
export function codeLenses(analysis: Analysis, uri: string, figures?: LiveFigures): CodeLens[] {
  const model = analysis.semantic;
  const out: CodeLens[] = [];
  for (const s of model.symbols) {
    if (s.uri !== uri || s.kind !== 'slo') continue;
    const n = sloNumbers(model, s);
    const definition = n ? lensDetails(s.id, n) : [`SLO ${s.id}: the objective or the window is missing or invalid, so no budget is computed.`];
    const p = figures?.slos.get(`slo:${s.id}`);
    const live = p && figures ? liveLens(p, figures) : undefined;
    const title = live?.title ?? (n ? sloSummary(n) : 'budget: objective or window missing');
    out.push({ range: s.block.keyword.range, title, symbolId: s.id, details: live ? [...live.details, ...definition] : definition });
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

// ---- the preview's figures ----

/**
 * An attainment short enough for a lens: one digit more than the objective has (99.9% → 99.94%),
 * rounded, but never rounded up to meet an objective it misses (99.8999% of a 99.9% is 99.89%).
 */
export function attainmentText(attainment: number, objective: number): string {
  const objDigits = (percentText(objective).replace('%', '').split('.')[1] ?? '').length;
  const digits = Math.min(6, Math.max(2, objDigits + 1));
  const scale = 10 ** digits;
  let p = Math.round(attainment * 100 * scale) / scale;
  if (attainment < objective - 1e-12 && p / 100 >= objective) p = Math.floor(attainment * 100 * scale) / scale;
  return `${Number(p.toFixed(digits))}%`;
}

/** A share of the budget: whole percents from 10%, else two significant digits (39%, 4.2%, -120%). */
function shareText(ratio: number): string {
  const p = ratio * 100;
  if (Math.abs(p) < 0.005) return '0%'; // what is left of a budget spent exactly, give or take rounding
  return `${Math.abs(p) >= 10 ? Math.round(p) : Number(p.toPrecision(2))}%`;
}

function firedText(alerts: SloPreview['alerts']): string {
  const pages = alerts.filter((a) => a.severity === 'page').length;
  const tickets = alerts.length - pages;
  if (!alerts.length) return 'no alerts fired';
  const parts = [pages && `${pages} page${pages === 1 ? '' : 's'}`, tickets && `${tickets} ticket${tickets === 1 ? '' : 's'}`].filter(Boolean);
  return `${parts.join(', ')} fired`;
}

function atText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `99.94% · budget left 39% (16m51s) · 2 pages fired`, and its details. */
function liveLens(p: SloPreview, f: LiveFigures): { title: string; details: string[] } {
  const stale = f.stale ? ' · stale (the project has errors)' : '';
  if (p.attainment === null) {
    const why = p.note ? (p.sliKind === 'promql' ? 'needs a live backend' : 'not previewed') : 'no value in the sample data';
    return { title: `preview: ${why}${stale}`, details: [`Preview of SLO ${p.id.replace(/^slo:/, '')}: ${p.note ?? 'the sample data gives no value (see the preview’s notes).'}`] };
  }
  const b = p.errorBudget;
  const left = b.remainingRatio === null ? 'budget left –' : `budget left ${shareText(b.remainingRatio)}${b.remainingSeconds === null ? '' : ` (${formatDuration(Math.round(b.remainingSeconds))})`}`;
  const title = `${attainmentText(p.attainment, p.objective)} · ${left} · ${firedText(p.alerts)}${stale}`;
  const details = [
    `Preview at ${atText(f.at)}${f.stale ? ' (stale: the project has errors; these are the figures of its last good version)' : ''}: attainment ${formatPercent(p.attainment)} of ${percentText(p.objective)} over ${p.window.label}.`,
  ];
  if (b.remainingRatio !== null) details.push(`Error budget left: ${formatPercent(b.remainingRatio)}${b.remainingSeconds === null ? '' : ` (${formatDuration(Math.round(b.remainingSeconds))} of full outage)`}${p.exhaustionAt !== null ? `; exhausted at the current burn on ${atText(p.exhaustionAt)}` : ''}.`);
  const burns = Object.entries(p.burnRates).filter(([, v]) => v !== null);
  if (burns.length) details.push(`Burn rates: ${burns.map(([w, v]) => `${w} ${round(v as number)}×`).join(', ')}.`);
  for (const a of p.alerts) details.push(`Fired: ${a.severity} ${a.rule} at ${atText(a.firedAt)}, ${a.resolvedAt === null ? 'still firing' : `resolved ${atText(a.resolvedAt)}`}.`);
  return { title, details };
}

/** `attained 99.94%` after an objective, or undefined without a value. */
function attainmentHint(p: SloPreview | SlaPreview | undefined, f: LiveFigures): { label: string; tooltip: string } | undefined {
  if (!p || p.attainment === null) return undefined;
  const sla = 'met' in p;
  const state = sla ? (p.met ? ' · met' : ' · missed') : p.attainment >= p.objective - 1e-12 ? '' : ' · below objective';
  const label = `attained ${attainmentText(p.attainment, p.objective)}${state}${f.stale ? ' (stale)' : ''}`;
  const what = sla ? `SLA ${p.id.replace(/^sla:/, '')} in ${p.window.period ?? p.window.label}` : `SLO ${p.id.replace(/^slo:/, '')} over ${p.window.label}`;
  const tooltip = `Attainment of ${what} on the sample data at ${atText(f.at)}: ${formatPercent(p.attainment)} (objective ${percentText(p.objective)})${f.stale ? '. Stale: the project has errors; these are the figures of its last good version' : ''}.`;
  return { label, tooltip };
}

function lensDetails(id: string, n: SloNumbers): string[] {
  const out = [`SLO ${id}: objective ${percentText(n.objective)} over ${windowLong(n.window)}.`, `Error budget: ${formatPercent(n.budget.ratio)} of events, or ${budgetTime(n.budget)} of full outage per ${windowShort(n.window)}.`];
  if (n.alerting === 'none') out.push('Alerting: none — this SLO never alerts.');
  else if (!n.policy) out.push('Alerting: the policy does not resolve.');
  else {
    out.push(`Alerting: ${n.policy.name === 'default' ? 'the default policy (SRE workbook, scaled to the window)' : `policy ${n.policy.name}`}; times to fire assume a full outage.`);
    for (const { rule, targets: t } of n.policy.rules) {
      const fire = t.timeToFireSeconds === null ? 'never fires (threshold ≥ 100%)' : `fires after ${shortDuration(t.timeToFireSeconds)}`;
      out.push(`${rule.severity}: burn rate ${round(rule.factor)}× over ${ruleWindowsText(rule)} — error rate ≥ ${formatPercent(t.threshold)}, ${formatPercent(t.budgetSpent)} of the budget spent; ${fire}.`);
    }
  }
  return out;
}
