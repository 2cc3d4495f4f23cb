// The preview computed by a Prometheus-compatible backend (Prometheus, Thanos, Mimir, Cortex,
// VictoriaMetrics): Pace pushes the PromQL down and never downloads raw history. Pure, in three steps:
//
//   planPreview(model, {at})            → the queries to ask (data, no IO)
//   the host runs them                  → answers (server/src/node/backend/: HTTP, retries, splitting)
//   previewFromAnswers(model, plan, …)  → the same PreviewResult as `preview` (assemblePreview)
//
// What is asked, for every SLI an SLO or SLA reads (ratio, latency, and raw promql SLIs, which only
// a backend can compute):
// - at `at`, the numerator and the denominator of its error ratio over each window the preview shows
//   (the SLO's and SLA's window, a calendar one from its period's start; each burn-rate window):
//   `sum(increase(good[W]))` and `sum(increase(total[W]))` as two instant queries, so that the
//   events (good and bad counts) and the ratio come out exactly as the file-based preview derives
//   them from its own two sums;
// - for each rule, its condition over the backtest range as a query_range on the rule group's grid
//   (`(error_ratio[long] > threshold) and (error_ratio[short] > threshold)`): the steps where the
//   alert expression has a result; `for` is applied here as the rule manager applies it;
// - before all that, the data span (`planSpan`, then `refineSpan`): for each SLI's denominator
//   selector, the first and last sample time in the backtest range, found coarsely on an hourly
//   grid (`min(min_over_time(timestamp(sel)[B:1h]))`: a per-minute subquery over a month takes
//   seconds) and then on the step's grid in the two hours around what that found (exact when
//   samples sit on the grid, else within one step). The backtest starts at the first sample, as
//   the file-based one does.
// The backtest range is the longest SLO window at `at` (a calendar window from its period's start),
// so the backtest covers what the budgets cover.
import { formatDuration } from '../budget/budget.js';
import type { Kpi, NormalizedModel, Sli, SloRule } from '../model/model.js';
import { alertTimeline } from './alerts.js';
import { gridTimes, type StepGrid } from './fast.js';
import { assemblePreview, BURN_WINDOWS_SECONDS, type EventCounts, type FigureSource, type PreviewIssue, type PreviewResult } from './preview.js';
import { latencySelectors, promqlDuration, promqlNumber, selectorText, sliceMsOf, rawPromqlOver, timesliceErrorExpression } from '../model/error-ratio.js';
import { windowAt } from './window.js';

/** How the backend computes `increase`/`rate`: Prometheus's extrapolation, or MetricsQL's. */
export type BackendSemantics = 'prometheus' | 'metricsql';

/** What answered, as the host detected it (server/src/node/backend/detect.ts). */
export interface BackendInfo {
  /** `Prometheus 2.42.0`, `VictoriaMetrics`. */
  readonly name: string;
  readonly semantics: BackendSemantics;
  /** The URL as shown to the user: never with credentials. */
  readonly url: string;
  /** false: the backend did not say what it is, Prometheus's semantics were assumed. */
  readonly detected: boolean;
}

export interface InstantQuery {
  readonly kind: 'instant';
  /** The answer's key in BackendAnswers. */
  readonly key: string;
  readonly expr: string;
  /** Unix ms. */
  readonly time: number;
}

export interface RangeQuery {
  readonly kind: 'range';
  readonly key: string;
  readonly expr: string;
  /** Unix ms, on the step's multiples; the host splits a range longer than one answer may hold. */
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

export type BackendQuery = InstantQuery | RangeQuery;

/** An instant query's answer: the value of its single series, null for an empty vector. */
export interface InstantAnswer {
  readonly value: number | null;
  /** How many series the answer held (more than one: the expression is not one number). */
  readonly series: number;
}

/** A range query's answer: the steps (Unix ms) where the expression had a result, in any series. */
export interface RangeAnswer {
  readonly t: readonly number[];
}

export type BackendAnswers = ReadonlyMap<string, InstantAnswer | RangeAnswer>;

/**
 * An SLI as PromQL for a range such as `5m`: numerator and denominator (ratio, latency, promql),
 * or only the error ratio (timeslice: the share of bad slices, no events).
 */
interface PlannedSli {
  readonly id: string;
  readonly mode: 'good' | 'bad';
  /** Whether the two expressions count events (increase of counters); raw PromQL may be rates. */
  readonly counts: boolean;
  readonly parts?: { readonly numerator: (range: string) => string; readonly denominator: (range: string) => string };
  /** The error ratio (the alert expression's operand). */
  readonly errorRatio: (range: string) => string;
  /** The selector whose samples say where the data is (the denominator's, the gauge's). */
  readonly spanSelector?: string;
}

export interface BackendPlan {
  readonly at: number;
  readonly stepSeconds: number;
  /** The backtest's grid: multiples of the step in [at − backtest range, at]. */
  readonly grid: StepGrid | null;
  readonly queries: readonly BackendQuery[];
  /** The SLIs the plan asks about, by id. */
  readonly slis: ReadonlyMap<string, PlannedSli>;
  /** The data's span the plan was made for (null: unknown or no data). */
  readonly span: { readonly start: number; readonly end: number } | null;
}

export interface PlanOptions {
  /** The instant of the figures (Unix ms). */
  readonly at: number;
  /** The backtest's evaluation step (default 60 s). */
  readonly stepSeconds?: number;
  /** How far back the backtest goes from `at` (default: the longest SLO window at `at`). */
  readonly backtestSeconds?: number;
  /** The data's first and last sample (spanFromAnswers); the backtest starts at the first. */
  readonly span?: { readonly start: number; readonly end: number } | null;
}

/** The queries that find the data's span, in two rounds (coarse, then refined). */
export interface SpanPlan {
  readonly at: number;
  readonly queries: readonly InstantQuery[];
  /** Per denominator selector, the keys of its first and last sample time. */
  readonly selectors: readonly { readonly selector: string; readonly first: string; readonly last: string }[];
  readonly stepMs: number;
  readonly rangeMs: number;
}

const HOUR_MS = 3_600_000;
/** Prometheus's lookback delta: an instant selection sees samples this old. */
const LOOKBACK_MS = 300_000;

const DEFAULT_BACKTEST_SECONDS = 30 * 86_400;

/** A range in PromQL (`5m`, `30d`, `1500ms`): whole milliseconds, as PromQL durations are. */
export function promRange(ms: number): string {
  return promqlDuration(Math.round(ms));
}

function withParts(id: string, mode: 'good' | 'bad', counts: boolean, numerator: (r: string) => string, denominator: (r: string) => string, spanSelector?: string): PlannedSli {
  const errorRatio = (r: string) => (mode === 'bad' ? `(${numerator(r)} / ${denominator(r)})` : `(1 - ${numerator(r)} / ${denominator(r)})`);
  return { id, mode, counts, parts: { numerator, denominator }, errorRatio, ...(spanSelector ? { spanSelector } : {}) };
}

/** The PromQL of an SLI: the texts of core/model/error-ratio.ts, which the generated rules use too. */
function planSli(sli: Sli): PlannedSli | { issue: string } {
  const inc = (sel: string) => (range: string) => `sum(increase(${sel}[${range}]))`;
  if (sli.kind === 'ratio') {
    const num = sli.bad ?? sli.good;
    if (!num) return { issue: `${sli.id}: names neither good nor bad events` };
    return withParts(sli.id, sli.bad ? 'bad' : 'good', true, inc(num.text), inc(sli.total.text), sli.total.text);
  }
  if (sli.kind === 'latency') {
    const sel = latencySelectors(sli);
    if (!sel) return { issue: `${sli.id}: the histogram selector ${sli.histogram.text} names no metric, so its _bucket and _count series cannot be found` };
    const count = selectorText(sel.count.metric, sel.count.matchers);
    return withParts(sli.id, 'good', true, inc(selectorText(sel.bucket.metric, sel.bucket.matchers)), inc(count), count);
  }
  if (sli.kind === 'promql') {
    const sub = (text: string) => (range: string) => `(${rawPromqlOver(text.trim(), range)})`;
    if (sli.errorRatio !== undefined) return { id: sli.id, mode: 'bad', counts: false, errorRatio: sub(sli.errorRatio) };
    const num = sli.bad ?? sli.good;
    if (num === undefined || sli.total === undefined) return { issue: `${sli.id}: names neither good nor bad` };
    return withParts(sli.id, sli.bad !== undefined ? 'bad' : 'good', false, sub(num), sub(sli.total));
  }
  if (sliceMsOf(sli) <= 0) return { issue: `${sli.id}: its slice is shorter than a millisecond` };
  return { id: sli.id, mode: 'good', counts: false, errorRatio: (r) => `(${timesliceErrorExpression(sli, r)})`, spanSelector: sli.gauge.text };
}

/** The alert expression of a burn-rate rule: what the generated alerting rule asks. */
export function conditionExpr(p: Pick<PlannedSli, 'errorRatio'>, rule: Pick<SloRule, 'longWindowSeconds' | 'shortWindowSeconds'>, threshold: number): string {
  const t = promqlNumber(threshold);
  return `${p.errorRatio(promqlDuration(rule.longWindowSeconds * 1000))} > ${t} and ${p.errorRatio(promqlDuration(rule.shortWindowSeconds * 1000))} > ${t}`;
}

const instantKey = (expr: string, time: number) => `instant ${time} ${expr}`;

function plannedSlis(model: NormalizedModel): PlannedSli[] {
  const used = new Set(model.services.flatMap((s) => [...s.slos.map((x) => x.sli), ...s.slas.map((x) => x.sli)]));
  return model.services.flatMap((s) => s.slis.filter((x) => used.has(x.id)).map(planSli)).filter((p): p is PlannedSli => !('issue' in p));
}

function backtestRangeMs(model: NormalizedModel, opts: PlanOptions): number {
  if (opts.backtestSeconds !== undefined) return opts.backtestSeconds * 1000;
  let ms = 0;
  for (const s of model.services) for (const slo of s.slos) if (slo.alerting?.rules.length) ms = Math.max(ms, windowAt(slo.window, opts.at).end - windowAt(slo.window, opts.at).start);
  return ms > 0 ? ms : DEFAULT_BACKTEST_SECONDS * 1000;
}

function spanQueries(at: number, rangeMs: number, stepMs: number, selectors: readonly string[], firstAt?: (sel: string) => { time: number; rangeMs: number } | undefined, lastAt?: (sel: string) => { time: number; rangeMs: number } | undefined): SpanPlan {
  const queries = new Map<string, InstantQuery>();
  const add = (expr: string, time: number) => {
    const key = instantKey(expr, time);
    queries.set(key, { kind: 'instant', key, expr, time });
    return key;
  };
  const out: { selector: string; first: string; last: string }[] = [];
  for (const sel of selectors) {
    const f = firstAt ? firstAt(sel) : { time: at, rangeMs };
    const l = lastAt ? lastAt(sel) : { time: at, rangeMs };
    if (!f || !l) continue;
    out.push({
      selector: sel,
      first: add(`min(min_over_time(timestamp(${sel})[${promRange(f.rangeMs)}:${promRange(stepMs)}]))`, f.time),
      last: add(`max(max_over_time(timestamp(${sel})[${promRange(l.rangeMs)}:${promRange(stepMs)}]))`, l.time),
    });
  }
  return { at, queries: [...queries.values()], selectors: out, stepMs, rangeMs };
}

/** The first round of the data span: each denominator's first and last sample seen on an hourly grid. */
export function planSpan(model: NormalizedModel, opts: PlanOptions): SpanPlan {
  const selectors = [...new Set(plannedSlis(model).flatMap((p) => (p.spanSelector ? [p.spanSelector] : [])))];
  return spanQueries(opts.at, backtestRangeMs(model, opts), HOUR_MS, selectors);
}

const answerTime = (answers: BackendAnswers, key: string): number | undefined => {
  const a = answers.get(key);
  return isInstant(a) && a.value !== null && Number.isFinite(a.value) ? Math.round(a.value * 1000) : undefined;
};

/**
 * The second round: around each time the hourly grid found, the step's grid. An hourly step sees
 * the samples of the 5 minutes before it, so the first sample is within the 2 hours before the
 * first one seen, and the last within the hour after the last one seen (or at `at`).
 */
export function refineSpan(coarse: SpanPlan, answers: BackendAnswers, stepSeconds = 60): SpanPlan {
  const step = stepSeconds * 1000;
  const found = new Map(coarse.selectors.map((s) => [s.selector, { first: answerTime(answers, s.first), last: answerTime(answers, s.last) }]));
  return spanQueries(
    coarse.at,
    coarse.rangeMs,
    step,
    coarse.selectors.map((s) => s.selector),
    (sel) => {
      const t = found.get(sel)?.first;
      return t === undefined ? undefined : { time: t, rangeMs: 2 * HOUR_MS };
    },
    (sel) => {
      const t = found.get(sel)?.last;
      if (t === undefined) return undefined;
      const end = Math.min(coarse.at, Math.floor(t / HOUR_MS) * HOUR_MS + 2 * HOUR_MS);
      return { time: end, rangeMs: Math.max(step, Math.ceil((end - t + LOOKBACK_MS) / 1000) * 1000) };
    },
  );
}

/** The data's first and last sample from the answers to a span plan, or null. */
export function spanFromAnswers(plan: SpanPlan, answers: BackendAnswers): { start: number; end: number } | null {
  const firsts = plan.selectors.flatMap((s) => answerTime(answers, s.first) ?? []);
  const lasts = plan.selectors.flatMap((s) => answerTime(answers, s.last) ?? []);
  return firsts.length && lasts.length ? { start: Math.min(...firsts), end: Math.max(...lasts) } : null;
}
const rangeKey = (expr: string, g: StepGrid) => `range ${g.start} ${g.end} ${g.step} ${expr}`;

/** The queries that answer the preview of `model` at `opts.at`. */
export function planPreview(model: NormalizedModel, opts: PlanOptions): BackendPlan {
  const at = opts.at;
  const stepSeconds = opts.stepSeconds ?? 60;
  const step = stepSeconds * 1000;
  const byId = new Map<string, Sli>();
  for (const s of model.services) for (const sli of s.slis) byId.set(sli.id, sli);
  const slis = new Map<string, PlannedSli>();
  const queries = new Map<string, BackendQuery>();
  const instant = (expr: string) => {
    const key = instantKey(expr, at);
    if (!queries.has(key)) queries.set(key, { kind: 'instant', key, expr, time: at });
  };
  const planned = (id: string): PlannedSli | undefined => {
    if (slis.has(id)) return slis.get(id);
    const sli = byId.get(id);
    const p = sli && planSli(sli);
    if (p && !('issue' in p)) {
      slis.set(id, p);
      return p;
    }
    return undefined;
  };
  const ask = (p: PlannedSli, rangeMs: number) => {
    if (!(rangeMs > 0)) return;
    const r = promRange(rangeMs);
    if (p.parts) {
      instant(p.parts.numerator(r));
      instant(p.parts.denominator(r));
    } else instant(p.errorRatio(r));
  };
  const withRules: { p: PlannedSli; rules: readonly SloRule[] }[] = [];
  for (const service of model.services) {
    for (const slo of service.slos) {
      const p = planned(slo.sli);
      if (!p) continue;
      const w = windowAt(slo.window, at);
      ask(p, w.end - w.start);
      const rules = slo.alerting?.rules ?? [];
      for (const s of new Set([...BURN_WINDOWS_SECONDS, ...rules.flatMap((x) => [x.longWindowSeconds, x.shortWindowSeconds])])) ask(p, s * 1000);
      if (rules.length) withRules.push({ p, rules });
    }
    for (const sla of service.slas) {
      const p = planned(sla.sli);
      if (!p) continue;
      const w = windowAt(sla.window, at);
      ask(p, w.end - w.start);
    }
  }
  const backtestMs = backtestRangeMs(model, opts);
  const from = Math.max(at - backtestMs, opts.span ? opts.span.start : -Infinity);
  const g = { start: Math.ceil(from / step) * step, end: Math.floor(at / step) * step, step };
  const grid = opts.span !== null && g.end >= g.start ? g : null;
  if (grid) {
    for (const { p, rules } of withRules) {
      for (const rule of rules) {
        const expr = conditionExpr(p, rule, rule.threshold);
        const key = rangeKey(expr, grid);
        if (!queries.has(key)) queries.set(key, { kind: 'range', key, expr, start: grid.start, end: grid.end, step });
      }
    }
  }
  return { at, stepSeconds, grid, span: opts.span ?? null, queries: [...queries.values()], slis };
}

const isInstant = (a: InstantAnswer | RangeAnswer | undefined): a is InstantAnswer => a !== undefined && 'value' in a;

const SEMANTICS_NOTE: Record<BackendSemantics, string> = {
  prometheus: "increase and rate are Prometheus's (extrapolated to the window's edges): the figures are those the generated rules compute there",
  metricsql:
    "MetricsQL's increase and rate do not extrapolate to the window's edges as Prometheus's do (they count from the last sample before the window): where samples do not sit on the window's edges, or a window reaches before the first sample, the figures differ slightly from Prometheus's and from the file-based preview's",
};

/**
 * The preview from the backend's answers to `plan`: the same PreviewResult as `preview` on sample
 * data (one assembly, assemblePreview), with the backend and its semantics said in an info issue.
 */
export function previewFromAnswers(model: NormalizedModel, plan: BackendPlan, answers: BackendAnswers, backend: BackendInfo): PreviewResult {
  const issues: PreviewIssue[] = [];
  issues.push({
    severity: 'info',
    code: 'preview/backend',
    message: `figures computed by ${backend.name} at ${backend.url}${backend.detected ? '' : " (it did not say what it is: Prometheus's semantics assumed)"}, with ${backend.semantics === 'prometheus' ? "Prometheus's" : "MetricsQL's"} semantics: ${SEMANTICS_NOTE[backend.semantics]}.`,
  });
  const span = plan.span;
  if (!span && [...plan.slis.values()].some((p) => p.spanSelector)) {
    issues.push({ severity: 'error', code: 'preview/no-data', message: `the backend holds no samples of the SLIs' series in the ${formatDuration(backtestRangeMs(model, { at: plan.at }) / 1000)} before ${new Date(plan.at).toISOString()}: nothing can be previewed.` });
  }
  const reported = new Set<string>();
  const value = (expr: string, subject: string): number | undefined => {
    const a = answers.get(instantKey(expr, plan.at));
    if (!isInstant(a) || a.value === null) return undefined;
    if (a.series > 1) {
      if (reported.has(expr)) return undefined;
      reported.add(expr);
      issues.push({ severity: 'error', code: 'preview/not-one-series', message: `${subject}: ${expr} answers ${a.series} series, not one number: it has no value.`, subject });
      return undefined;
    }
    return a.value;
  };
  const figures: FigureSource<PlannedSli> = {
    resolve(sli, into) {
      const p = plan.slis.get(sli.id);
      if (p) return p;
      const why = planSli(sli);
      into.push({ severity: 'info', code: 'preview/not-previewed', message: 'issue' in why ? `${why.issue}.` : `${sli.id}: not asked of the backend.`, subject: sli.id });
      return null;
    },
    eventsAt(p, at, rangeMs) {
      if (!(rangeMs > 0) || at !== plan.at) return undefined;
      const r = promRange(rangeMs);
      if (!p.parts) {
        const e = value(p.errorRatio(r), p.id);
        return e === undefined ? undefined : { attainment: 1 - e, errorRatio: e, events: null };
      }
      const num = value(p.parts.numerator(r), p.id);
      const den = value(p.parts.denominator(r), p.id);
      if (num === undefined || den === undefined) return undefined;
      const events: EventCounts | null = p.counts ? (p.mode === 'bad' ? { total: den, bad: num } : { total: den, bad: den - num }) : null;
      const errorRatio = p.mode === 'bad' ? num / den : 1 - num / den;
      return { attainment: p.mode === 'bad' ? 1 - errorRatio : num / den, errorRatio, events };
    },
    backtest(p, rule, _budget, grid) {
      const a = answers.get(rangeKey(conditionExpr(p, rule, rule.threshold), grid));
      const t = gridTimes(grid);
      const condition = new Uint8Array(t.length);
      if (a && !isInstant(a)) {
        for (const ts of a.t) {
          const k = (ts - grid.start) / grid.step;
          if (Number.isInteger(k) && k >= 0 && k < t.length) condition[k] = 1;
        }
      }
      return { threshold: rule.threshold, alerts: alertTimeline(t, condition, rule.forSeconds ?? 0) };
    },
  };
  const kpis = model.objectives.flatMap((o) => o.kpis as Kpi[]);
  if (kpis.length) {
    issues.push({ severity: 'info', code: 'preview/not-previewed', message: `${kpis.length} KPI(s) are not previewed from a backend yet (only from sample files): ${kpis.map((k) => k.id).join(', ')}.` });
  }
  return assemblePreview(model, { at: plan.at, stepSeconds: plan.stepSeconds, span, grid: plan.grid, figures: figures as FigureSource, issues, kpis: () => [] });
}
