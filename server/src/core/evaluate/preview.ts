// The preview: what an SLO, SLA or KPI of the normalized model would have shown on sample data, at
// one instant, with the numbers Prometheus computes (the evaluator of this folder) and the budget
// math of core/budget. Pure: the host loads the data, this turns model + data into figures, and
// `previewJson` (preview-json.ts) into the documented JSON shape (schemas/pace-preview.schema.json).
//
// Definitions (docs/preview.md has them with examples):
// - window at `at`: a rolling window W is the range [at − W, at] (`increase(x[W])` at `at`); a
//   calendar window is [start of the period containing `at` in its zone, at].
// - attainment = good/total over the window: sum(increase(good[w]))/sum(increase(total[w])), or
//   1 − bad/total; for latency SLIs the `_bucket{le="threshold"}` over `_count`; for timeslice SLIs
//   the share of good slices (sli.ts), with no event counts. errorRatio = 1 − attainment.
// - errorBudget.total = 1 − objective (a ratio of events); remaining = total − errorRatio;
//   remainingRatio = remaining/total: 1 untouched, 0 spent, negative when overspent (not clamped,
//   so that an overspend shows how far); totalSeconds = total × the window's length (the whole
//   calendar period, not the nominal 30 days); remainingSeconds = remainingRatio × totalSeconds.
// - burn rate over w = error ratio over [at − w, at] / budget, for 5m, 30m, 1h, 2h, 6h, 1d, 3d and
//   each window of the SLO's rules. The current burn is the 1h burn rate; exhaustionAt = at + remainingRatio × window / burn
//   (the budget left, spent at the current burn), null when not burning, when already spent
//   (`exhausted`), or, for calendar windows, when it would come after the period ends (the budget resets).
// - alerts: each rule of the SLO's alerting backtested over the whole data on a grid of
//   `stepSeconds` (aligned to multiples of the step, as a rule group evaluates), honouring `for`.
import { formatDuration, formatPercent, ruleWindowsText } from '../budget/budget.js';
import type { Kpi, NormalizedModel, Sla, Sli, Slo, SloRule } from '../model/model.js';
import { type AlertEvent, backtestBurnRateAlerts, WindowGrids } from './alerts.js';
import { type StepGrid, sumIncreaseAtFast } from './fast.js';
import { previewKpi, type KpiPreview } from './kpi.js';
import { resolveSli, type ResolvedSli, sliceCountsAt } from './sli.js';
import type { DataIssue, SampleData, Series } from './series.js';
import { windowAt, type WindowSpan } from './window.js';

export { windowAt, type WindowSpan } from './window.js';
export type { KpiPreview, LinearTrend } from './kpi.js';

export interface PreviewOptions {
  /** The instant (Unix ms) of the figures; default: the last sample of the data. */
  readonly at?: number;
  /** The backtest's evaluation step (default 60 s, a rule group's usual interval). */
  readonly stepSeconds?: number;
}

/** A problem or a note, located by the model id it concerns (the host maps it to .pace text). */
export interface PreviewIssue extends DataIssue {
  /** The model id concerned: `slo:…`, `sli:…`, `sla:…`, `kpi:…`. */
  readonly subject?: string;
}

export interface EventCounts {
  readonly total: number;
  readonly bad: number;
}

export interface BudgetFigures {
  /** 1 − objective. */
  readonly total: number;
  /** total × the window's length, in seconds. */
  readonly totalSeconds: number;
  /** total − errorRatio; null without a value. */
  readonly remaining: number | null;
  /** remaining / total: 1 untouched, 0 spent, below 0 overspent. */
  readonly remainingRatio: number | null;
  readonly remainingSeconds: number | null;
  /** Events the budget allows over the window so far, and those left (ratio and latency SLIs). */
  readonly events: { readonly allowed: number; readonly remaining: number } | null;
}

export interface AlertFiring {
  readonly severity: 'page' | 'ticket';
  /** `14.4 over 1h and 5m for 2m`. */
  readonly rule: string;
  readonly ruleIndex: number;
  readonly threshold: number;
  /** Unix ms: pending since, firing since, resolved at (null: still firing at the data's end). */
  readonly activeAt: number;
  readonly firedAt: number;
  readonly resolvedAt: number | null;
}

export interface SloPreview {
  readonly id: string;
  readonly service: string;
  readonly name: string;
  readonly sli: string;
  readonly sliKind: Sli['kind'];
  readonly objective: number;
  readonly window: WindowSpan;
  /** null: no value (see the issues), or an SLI that needs a live backend. */
  readonly attainment: number | null;
  readonly errorRatio: number | null;
  readonly events: EventCounts | null;
  readonly errorBudget: BudgetFigures;
  /** Window label (`5m`, `1h`, …) → burn rate at `at` (null without a value), shortest first. */
  readonly burnRates: Readonly<Record<string, number | null>>;
  /** The burn rate `exhaustionAt` assumes: the 1h one. */
  readonly currentBurn: { readonly window: string; readonly rate: number | null };
  readonly exhausted: boolean;
  readonly exhaustionAt: number | null;
  /** Every rule firing of the backtest, by time. */
  readonly alerts: readonly AlertFiring[];
  /** A sentence when there are no figures by design (a promql SLI). */
  readonly note?: string;
}

export interface SlaPreview {
  readonly id: string;
  readonly service: string;
  readonly name: string;
  readonly sli: string;
  readonly slo?: string;
  readonly objective: number;
  readonly window: WindowSpan;
  readonly attainment: number | null;
  /** attainment ≥ objective; null without a value. */
  readonly met: boolean | null;
  /** The credit owed (the largest tier whose `below` the attainment is under), 0 when none. */
  readonly creditOwed: number | null;
  /** The tier owed, as written: `credit 15% below 99.5%`. */
  readonly tier: string | null;
  readonly note?: string;
}

export interface PreviewResult {
  /** Unix ms. */
  readonly at: number;
  readonly stepSeconds: number;
  /** First and last sample of the data (null: no data). */
  readonly dataStart: number | null;
  readonly dataEnd: number | null;
  readonly slos: readonly SloPreview[];
  readonly slas: readonly SlaPreview[];
  readonly kpis: readonly KpiPreview[];
  /** The data's own issues (from the loader) first, then the preview's, each located. */
  readonly issues: readonly PreviewIssue[];
}

export const CURRENT_BURN_WINDOW_SECONDS = 3600;
/** The burn-rate windows every SLO shows (the SRE workbook's), besides its rules' own. */
export const BURN_WINDOWS_SECONDS = [300, 1800, 3600, 7200, 21_600, 86_400, 259_200];

/** The first and last timestamp over every series, or null. */
export function dataSpan(series: readonly Series[]): { start: number; end: number } | null {
  let start = Infinity;
  let end = -Infinity;
  for (const s of series) {
    if (s.t.length === 0) continue;
    if (s.t[0] < start) start = s.t[0];
    if (s.t[s.t.length - 1] > end) end = s.t[s.t.length - 1];
  }
  return start <= end ? { start, end } : null;
}

/** good/bad increases over [at − rangeMs, at] of a resolved SLI, or undefined without a value. */
export function eventsAt(r: ResolvedSli, at: number, rangeMs: number): { attainment: number; errorRatio: number; events: EventCounts | null } | undefined {
  if (!(rangeMs > 0)) return undefined;
  if (r.timeslice) {
    const c = sliceCountsAt(r, at, rangeMs);
    return c && { attainment: c.good / c.total, errorRatio: 1 - c.good / c.total, events: null };
  }
  // The exact instant path (reference.ts' arithmetic, without its scan over every sample).
  const num = sumIncreaseAtFast(r.numerator, at, rangeMs);
  const den = sumIncreaseAtFast(r.denominator, at, rangeMs);
  if (num === undefined || den === undefined) return undefined;
  if (r.mode === 'bad') {
    const errorRatio = num / den;
    return { attainment: 1 - errorRatio, errorRatio, events: { total: den, bad: num } };
  }
  const attainment = num / den;
  return { attainment, errorRatio: 1 - attainment, events: { total: den, bad: den - num } };
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function ruleText(rule: Pick<SloRule, 'factor' | 'longWindowSeconds' | 'shortWindowSeconds' | 'singleWindow' | 'forSeconds'>): string {
  const f = rule.forSeconds ? ` for ${formatDuration(rule.forSeconds)}` : '';
  // A scaled default policy has factors such as 0.9333…: four significant digits say it.
  return `${Number(rule.factor.toPrecision(4))} over ${ruleWindowsText(rule)}${f}`;
}

/** The grid a backtest runs on: multiples of the step from the first sample to the last. */
export function backtestGrid(span: { start: number; end: number }, stepSeconds: number): StepGrid {
  const step = stepSeconds * 1000;
  return { start: Math.ceil(span.start / step) * step, end: Math.floor(span.end / step) * step, step };
}

/**
 * Where an SLI's figures come from: the evaluator over sample data (`sampleFigures`, the default),
 * or a Prometheus-compatible backend's answers to a query plan (backend-plan.ts). `H` is the
 * source's handle on one SLI.
 */
export interface FigureSource<H = unknown> {
  /** The SLI's handle, or null when it has no figures (what is wrong or missing goes to `issues`). */
  resolve(sli: Sli, issues: PreviewIssue[]): H | null;
  /** The figures over [at − rangeMs, at]; `events` null when the SLI counts no events (raw PromQL). */
  eventsAt(h: H, at: number, rangeMs: number): { attainment: number; errorRatio: number; events: EventCounts | null } | undefined;
  /** One burn-rate rule backtested over the grid. */
  backtest(h: H, rule: SloRule, budget: number, grid: StepGrid): { threshold: number; alerts: readonly AlertEvent[] };
}

/** The figures of sample data, computed here as Prometheus would. */
export function sampleFigures(data: SampleData): FigureSource<ResolvedSli> {
  // The rules of an SLO, and the SLOs on one SLI, share its windows' error ratios (one SLI's at a time).
  const grids = new WindowGrids();
  return {
    resolve(sli, issues) {
      if (sli.kind === 'promql') {
        issues.push({ severity: 'info', code: 'preview/needs-backend', message: `${sli.id}: ${NEEDS_BACKEND}.`, subject: sli.id });
        return null;
      }
      const r = resolveSli(sli, data.series);
      for (const i of r.issues) issues.push({ ...i, subject: sli.id });
      return r.resolved ?? null;
    },
    eventsAt,
    backtest: (r, rule, budget, grid) => backtestBurnRateAlerts(r, rule, budget, grid, grids),
  };
}

interface Context {
  readonly figures: FigureSource;
  readonly at: number;
  readonly span: { start: number; end: number } | null;
  readonly grid: StepGrid | null;
  readonly issues: PreviewIssue[];
  readonly slis: Map<string, Sli>;
  readonly resolved: Map<string, unknown>;
}

const NEEDS_BACKEND = 'a promql SLI is computed by the monitoring system: previewing it needs a live backend (not sample files)';

function resolveOnce(ctx: Context, sliId: string, subject: string): unknown {
  if (ctx.resolved.has(sliId)) return ctx.resolved.get(sliId) ?? null;
  const sli = ctx.slis.get(sliId);
  let out: unknown = null;
  if (!sli) ctx.issues.push({ severity: 'error', code: 'preview/unknown-sli', message: `${subject}: its SLI ${sliId} is not in the model.`, subject });
  else out = ctx.figures.resolve(sli, ctx.issues);
  ctx.resolved.set(sliId, out);
  return out;
}

function coverageNote(ctx: Context, subject: string, w: WindowSpan): void {
  if (ctx.span && ctx.span.start > w.start) {
    ctx.issues.push({
      severity: 'info',
      code: 'preview/partial-window',
      message: `${subject}: the data starts at ${new Date(ctx.span.start).toISOString()}, after the start of its ${w.label} window (${new Date(w.start).toISOString()}): the figures cover only ${formatDuration((w.end - ctx.span.start) / 1000)} of it.`,
      subject,
    });
  }
}

function noValue(ctx: Context, subject: string, what: string): void {
  ctx.issues.push({ severity: 'warning', code: 'preview/no-value', message: `${subject}: ${what} has no value at ${new Date(ctx.at).toISOString()} (fewer than two samples in the window, or no series).`, subject });
}

function previewSlo(ctx: Context, slo: Slo): SloPreview {
  const sli = ctx.slis.get(slo.sli);
  const r = resolveOnce(ctx, slo.sli, slo.id);
  const w = windowAt(slo.window, ctx.at);
  const budget = slo.errorBudget.ratio;
  const lengthMs = (w.periodEnd ?? w.end) - w.start;
  const totalSeconds = budget * (lengthMs / 1000);
  const rules = slo.alerting?.rules ?? [];
  const windows = [...new Set([...BURN_WINDOWS_SECONDS, ...rules.flatMap((x) => [x.longWindowSeconds, x.shortWindowSeconds])])].sort((a, b) => a - b);
  const burnRates: Record<string, number | null> = {};
  for (const s of windows) burnRates[formatDuration(s)] = null;
  const base = {
    id: slo.id,
    service: slo.service,
    name: slo.name,
    sli: slo.sli,
    sliKind: sli?.kind ?? 'ratio',
    objective: slo.objective,
    window: w,
  } as const;
  const empty: SloPreview = {
    ...base,
    attainment: null,
    errorRatio: null,
    events: null,
    errorBudget: { total: budget, totalSeconds, remaining: null, remainingRatio: null, remainingSeconds: null, events: null },
    burnRates,
    currentBurn: { window: formatDuration(CURRENT_BURN_WINDOW_SECONDS), rate: null },
    exhausted: false,
    exhaustionAt: null,
    alerts: [],
  };
  // Only an SLI without figures gets the note: a backend computes promql SLIs.
  if (r === null) return sli?.kind === 'promql' ? { ...empty, note: NEEDS_BACKEND } : empty;
  coverageNote(ctx, slo.id, w);
  const now = ctx.figures.eventsAt(r, ctx.at, w.end - w.start);
  if (!now) noValue(ctx, slo.id, `the error ratio over its ${w.label} window`);
  for (const s of windows) {
    const e = ctx.figures.eventsAt(r, ctx.at, s * 1000);
    burnRates[formatDuration(s)] = e ? finite(e.errorRatio / budget) : null;
  }
  const current = burnRates[formatDuration(CURRENT_BURN_WINDOW_SECONDS)];
  const alerts: AlertFiring[] = [];
  if (ctx.grid) {
    rules.forEach((rule, ruleIndex) => {
      const bt = ctx.figures.backtest(r, rule, budget, ctx.grid as StepGrid);
      for (const a of bt.alerts) alerts.push({ severity: rule.severity, rule: ruleText(rule), ruleIndex, threshold: bt.threshold, activeAt: a.activeAt, firedAt: a.firedAt, resolvedAt: a.resolvedAt ?? null });
    });
    alerts.sort((a, b) => a.firedAt - b.firedAt || a.ruleIndex - b.ruleIndex);
  }
  if (!now) return { ...empty, alerts, burnRates };
  const remaining = budget - now.errorRatio;
  const remainingRatio = remaining / budget;
  const exhausted = remainingRatio <= 0;
  let exhaustionAt: number | null = null;
  if (!exhausted && current !== null && current > 0) {
    const t = ctx.at + (remainingRatio * lengthMs) / current;
    exhaustionAt = w.periodEnd !== undefined && t >= w.periodEnd ? null : Number.isFinite(t) ? Math.round(t) : null;
  }
  const allowed = now.events ? budget * now.events.total : null;
  return {
    ...base,
    attainment: finite(now.attainment),
    errorRatio: finite(now.errorRatio),
    events: now.events,
    errorBudget: {
      total: budget,
      totalSeconds,
      remaining: finite(remaining),
      remainingRatio: finite(remainingRatio),
      remainingSeconds: finite(remainingRatio * totalSeconds),
      events: allowed !== null && now.events ? { allowed, remaining: allowed - now.events.bad } : null,
    },
    burnRates,
    currentBurn: { window: formatDuration(CURRENT_BURN_WINDOW_SECONDS), rate: current },
    exhausted,
    exhaustionAt,
    alerts,
  };
}

/** The credit owed at an attainment: the largest credit among the tiers it is below. */
export function creditOwed(sla: Pick<Sla, 'credits'>, attainment: number): { credit: number; tier: string | null } {
  let best: { credit: number; below: number } | undefined;
  for (const c of sla.credits) if (attainment < c.below && (!best || c.credit > best.credit)) best = c;
  return best ? { credit: best.credit, tier: `credit ${formatPercent(best.credit)} below ${formatPercent(best.below)}` } : { credit: 0, tier: null };
}

function previewSla(ctx: Context, sla: Sla): SlaPreview {
  const r = resolveOnce(ctx, sla.sli, sla.id);
  const w = windowAt(sla.window, ctx.at);
  const base = { id: sla.id, service: sla.service, name: sla.name, sli: sla.sli, ...(sla.slo ? { slo: sla.slo } : {}), objective: sla.objective, window: w };
  const sli = ctx.slis.get(sla.sli);
  if (r === null) return { ...base, attainment: null, met: null, creditOwed: null, tier: null, ...(sli?.kind === 'promql' ? { note: NEEDS_BACKEND } : {}) };
  coverageNote(ctx, sla.id, w);
  const now = ctx.figures.eventsAt(r, ctx.at, w.end - w.start);
  if (!now || !Number.isFinite(now.attainment)) {
    noValue(ctx, sla.id, `the attainment over its ${w.label} window`);
    return { ...base, attainment: null, met: null, creditOwed: null, tier: null };
  }
  const owed = creditOwed(sla, now.attainment);
  return { ...base, attainment: now.attainment, met: now.attainment >= sla.objective, creditOwed: owed.credit, tier: owed.tier };
}

/** Every figure of the preview at one instant. Never throws on data: problems are issues. */
export function preview(model: NormalizedModel, data: SampleData, opts: PreviewOptions = {}): PreviewResult {
  const stepSeconds = opts.stepSeconds ?? 60;
  const span = dataSpan(data.series);
  const at = opts.at ?? span?.end ?? 0;
  const issues: PreviewIssue[] = [...data.issues];
  if (!span) issues.push({ severity: 'error', code: 'preview/no-data', message: 'the sample data holds no samples: nothing can be previewed.' });
  else if (at < span.start) issues.push({ severity: 'warning', code: 'preview/before-data', message: `--at ${new Date(at).toISOString()} is before the first sample (${new Date(span.start).toISOString()}): no figure has a value.` });
  const grid = span ? backtestGrid(span, stepSeconds) : null;
  return assemblePreview(model, { at, stepSeconds, span, grid, figures: sampleFigures(data), issues, kpis: (into) => model.objectives.flatMap((o) => o.kpis.map((k) => previewKpi(k as Kpi, data.series, at, span, into))) });
}

/** What `assemblePreview` needs: the instant, the grid, where the figures come from. */
export interface PreviewInput {
  readonly at: number;
  readonly stepSeconds: number;
  /** First and last sample (null: no data). */
  readonly span: { start: number; end: number } | null;
  /** The backtest's grid (null or empty: no backtest). */
  readonly grid: StepGrid | null;
  readonly figures: FigureSource;
  /** The issues so far (the data's own first); the preview appends its own. */
  readonly issues: PreviewIssue[];
  /** The KPIs' figures, appending their issues to the array given. */
  readonly kpis: (issues: PreviewIssue[]) => KpiPreview[];
}

/** The preview from any figure source: the one place that turns figures into SloPreview, SlaPreview and budgets. */
export function assemblePreview(model: NormalizedModel, input: PreviewInput): PreviewResult {
  const { at, stepSeconds, span, grid, issues } = input;
  const slis = new Map<string, Sli>();
  for (const s of model.services) for (const sli of s.slis) slis.set(sli.id, sli);
  const ctx: Context = { figures: input.figures, at, span, grid: grid && grid.end >= grid.start ? grid : null, issues, slis, resolved: new Map() };
  const slos: SloPreview[] = [];
  const slas: SlaPreview[] = [];
  for (const service of model.services) {
    for (const slo of service.slos) slos.push(previewSlo(ctx, slo));
    for (const sla of service.slas) slas.push(previewSla(ctx, sla));
  }
  const kpis = input.kpis(issues);
  return { at, stepSeconds, dataStart: span?.start ?? null, dataEnd: span?.end ?? null, slos, slas, kpis, issues };
}
