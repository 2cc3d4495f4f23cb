// The periodic service review (`pace report`, docs/report.md): the preview's figures, arranged for a
// period. Pure. Nothing here recomputes what the preview computes: every attainment, budget, burn
// rate, credit, KPI value and alert comes from `preview()` (core/evaluate) at the report's instant,
// and this file selects and arranges them. Its own figures are arithmetic on those (budget spent =
// 1 − budget left) and the worst hours, which the preview does not have (hourly error ratios by
// the evaluator's own `eventsAt`).
//
// Definitions:
// - The period is [from, to) in UTC (period.ts). The instant `at` of the figures is the period's
//   last instant, to − 1 ms, or the data's last sample when the data ends before it. (Not `to`
//   itself: a calendar window evaluated at its period's end has already rolled over to the next
//   period. One millisecond before, Prometheus' extrapolation of the last scrape still covers the
//   period to its end.)
// - SLOs: the preview's SLO at `at`, whatever its own window (a 30d SLO shows its last 30 days,
//   a calendar one its period up to `at`). Budget spent = 1 − remainingRatio (above 1: overspent),
//   as time = spent × the budget's totalSeconds. Out of budget: `exhausted` (nothing left).
// - SLAs: a rolling SLA is the preview's at `at`. A calendar SLA is its period that holds the
//   report period's midpoint (a report of Oct 2026 in UTC and an SLA by months in Europe/Paris:
//   the Paris October), previewed at the earlier of `at` and that period's last instant; when that
//   is `at`, it is the preview's own SLA, else the preview of that SLA alone at its instant.
// - Alerts: the preview's backtest (over the whole data, so that an alert's state at the period's
//   start is the real one) keeps the firings whose `firedAt` is in [from, to); duration = resolved −
//   fired, or up to the data's end for an alert still firing there (`open`).
// - Worst hours: each whole UTC clock hour [h, h + 1h) inside the period and the data; per SLO whose
//   SLI has figures, its error ratio over the hour (`increase(…[1h])` at h + 1h, the evaluator's
//   `eventsAt`) and burn rate (error ratio ÷ the SLO's error budget), and bad events where the SLI
//   counts events. An hour's score is its largest burn rate across SLOs (burn rates are comparable
//   across SLOs of different traffic and objectives; raw bad events are not). The report lists the
//   `worstHours` hours with the highest score above zero, worst first (ties: earlier first), each
//   with its SLOs by burn rate, and the hour's bad events summed over those SLOs.
import type { NormalizedModel, Sla, Slo } from '../model/model.js';
import { type AlertFiring, eventsAt, type KpiPreview, preview, type PreviewIssue, type PreviewResult, type SlaPreview, type SloPreview } from '../evaluate/preview.js';
import type { SampleData } from '../evaluate/series.js';
import { resolveSli, type ResolvedSli } from '../evaluate/sli.js';
import { windowAt } from '../evaluate/window.js';
import { minuteText, type ReportPeriod } from './period.js';

export interface ReviewOptions {
  /** How many worst hours to list (default 10). */
  readonly worstHours?: number;
  /** The backtest's step (default 60 s, as the preview). */
  readonly stepSeconds?: number;
}

export interface ReviewAlert extends AlertFiring {
  readonly slo: string;
  readonly sloName: string;
  readonly service: string;
  /** resolved − fired, or data end − fired while still firing (`open`), in seconds. */
  readonly durationSeconds: number;
  readonly open: boolean;
}

export interface SloReview {
  /** The preview's figures, unchanged. */
  readonly preview: SloPreview;
  readonly title?: string;
  /** 1 − remainingRatio (1: all spent, above 1: overspent); null without a value. */
  readonly budgetSpent: number | null;
  /** budgetSpent × the budget's totalSeconds. */
  readonly budgetSpentSeconds: number | null;
  readonly outOfBudget: boolean;
  /** Its alerts fired within the period. */
  readonly alerts: readonly ReviewAlert[];
}

export interface SlaReview {
  /** The preview's figures (at `at`, or at its own period's instant; see `at`). */
  readonly preview: SlaPreview;
  /** The instant of its figures: the report's, or earlier for a calendar SLA whose period ends first. */
  readonly at: number;
  readonly breached: boolean;
}

export interface HourSlo {
  readonly slo: string;
  readonly sloName: string;
  readonly service: string;
  readonly errorRatio: number;
  readonly burnRate: number;
  /** null for a time-slice SLI (it counts slices, not events). */
  readonly bad: number | null;
  readonly total: number | null;
}

export interface WorstHour {
  /** Unix ms: [start, start + 1h). */
  readonly start: number;
  /** The largest burn rate of the hour across SLOs. */
  readonly score: number;
  /** Bad events of the hour summed over its SLOs that count events. */
  readonly bad: number;
  /** The SLOs with a burn rate above zero, worst first. */
  readonly slos: readonly HourSlo[];
}

export interface ReviewSummary {
  readonly slasBreached: readonly string[];
  readonly slasMet: number;
  readonly slasWithValue: number;
  /** Per SLA owing a credit: its id, the credit (a share of the fee) and the tier as written. */
  readonly creditsOwed: readonly { readonly sla: string; readonly credit: number; readonly tier: string }[];
  readonly slosOutOfBudget: readonly string[];
  readonly slosBelowObjective: readonly string[];
  readonly slosWithValue: number;
  readonly pages: number;
  readonly tickets: number;
  readonly kpisOffTarget: readonly string[];
  readonly kpisWithValue: number;
}

export interface ReviewResult {
  readonly project?: string;
  readonly period: ReportPeriod;
  /** The instant of the figures (Unix ms). */
  readonly at: number;
  /** Why that instant: the period's last instant, or the data's last sample. */
  readonly atReason: 'period-end' | 'data-end';
  readonly dataStart: number;
  readonly dataEnd: number;
  /** The preview at `at`, whole (the charts are drawn from it). */
  readonly preview: PreviewResult;
  readonly slos: readonly SloReview[];
  readonly slas: readonly SlaReview[];
  readonly kpis: readonly KpiPreview[];
  /** Every alert fired within the period, by time. */
  readonly alerts: readonly ReviewAlert[];
  readonly worstHours: readonly WorstHour[];
  /** How many whole hours were ranked. */
  readonly hoursRanked: number;
  readonly summary: ReviewSummary;
  /** The preview's issues, then the report's own (`report/*`). */
  readonly issues: readonly PreviewIssue[];
}

const HOUR_MS = 3_600_000;

/** The review, or a sentence when the period and the data do not meet (the host: a usage error). */
export function review(model: NormalizedModel, data: SampleData, period: ReportPeriod, opts: ReviewOptions = {}): { result: ReviewResult; error?: undefined } | { result?: undefined; error: string } {
  let dataStart = Infinity;
  let dataEnd = -Infinity;
  for (const s of data.series) {
    if (!s.t.length) continue;
    if (s.t[0] < dataStart) dataStart = s.t[0];
    if (s.t[s.t.length - 1] > dataEnd) dataEnd = s.t[s.t.length - 1];
  }
  if (!(dataStart <= dataEnd)) return { error: 'the sample data holds no samples: there is nothing to report' };
  if (dataEnd < period.from || dataStart >= period.to) {
    return { error: `the period ${period.label} (${minuteText(period.from)} to ${minuteText(period.to)}) holds no sample data: the data runs from ${minuteText(dataStart)} to ${minuteText(dataEnd)}` };
  }
  const last = period.to - 1;
  const at = Math.min(last, dataEnd);
  const atReason = at === last ? 'period-end' : 'data-end';
  const result = preview(model, data, { at, ...(opts.stepSeconds ? { stepSeconds: opts.stepSeconds } : {}) });
  const issues: PreviewIssue[] = [...result.issues];
  if (dataStart > period.from) issues.push({ severity: 'info', code: 'report/partial-period', message: `the data starts at ${minuteText(dataStart)}, after the start of the period ${period.label} (${minuteText(period.from)}): alerts and worst hours cover the data only.` });
  if (atReason === 'data-end' && dataEnd < last) issues.push({ severity: 'info', code: 'report/partial-period', message: `the data ends at ${minuteText(dataEnd)}, before the end of the period ${period.label} (${minuteText(period.to)}): the figures are at the data's last sample.` });

  const slos = new Map<string, Slo>();
  const slas = new Map<string, Sla>();
  for (const s of model.services) {
    for (const x of s.slos) slos.set(x.id, x);
    for (const x of s.slas) slas.set(x.id, x);
  }

  const alerts: ReviewAlert[] = [];
  const sloReviews: SloReview[] = result.slos.map((p) => {
    const own = p.alerts
      .filter((a) => a.firedAt >= period.from && a.firedAt < period.to)
      .map((a): ReviewAlert => ({ ...a, slo: p.id, sloName: p.name, service: p.service, durationSeconds: ((a.resolvedAt ?? dataEnd) - a.firedAt) / 1000, open: a.resolvedAt === null }));
    alerts.push(...own);
    const left = p.errorBudget.remainingRatio;
    const spent = left === null ? null : 1 - left;
    const title = slos.get(p.id)?.title;
    return { preview: p, ...(title ? { title } : {}), budgetSpent: spent, budgetSpentSeconds: spent === null ? null : spent * p.errorBudget.totalSeconds, outOfBudget: p.exhausted, alerts: own };
  });
  alerts.sort((a, b) => a.firedAt - b.firedAt || a.slo.localeCompare(b.slo) || a.ruleIndex - b.ruleIndex);

  const mid = period.from + (period.to - period.from) / 2;
  const slaReviews: SlaReview[] = result.slas.map((p) => {
    const sla = slas.get(p.id);
    let figures = p;
    let when = at;
    if (sla && sla.window.type === 'calendar') {
      const target = windowAt(sla.window, mid);
      const slaAt = Math.min(at, (target.periodEnd ?? target.end) - 1);
      if (slaAt > target.start && slaAt >= dataStart && (slaAt !== at || p.window.start !== target.start)) {
        const alone = slaAlone(model, sla);
        const r = preview(alone, data, { at: slaAt });
        const found = r.slas.find((x) => x.id === sla.id);
        if (found) {
          figures = found;
          when = slaAt;
          for (const i of r.issues) if (i.subject === sla.id || i.subject === sla.sli) issues.push(i);
        }
      }
    }
    return { preview: figures, at: when, breached: figures.met === false };
  });

  const { hours, ranked } = worstHours(model, data, result, period, dataStart, dataEnd, opts.worstHours ?? 10);

  const valued = sloReviews.filter((s) => s.preview.attainment !== null);
  const slasValued = slaReviews.filter((s) => s.preview.met !== null);
  const kpisValued = result.kpis.filter((k) => k.meetsTarget !== null);
  const summary: ReviewSummary = {
    slasBreached: slaReviews.filter((s) => s.breached).map((s) => s.preview.id),
    slasMet: slasValued.filter((s) => s.preview.met).length,
    slasWithValue: slasValued.length,
    creditsOwed: slaReviews.filter((s) => (s.preview.creditOwed ?? 0) > 0).map((s) => ({ sla: s.preview.id, credit: s.preview.creditOwed as number, tier: s.preview.tier ?? '' })),
    slosOutOfBudget: sloReviews.filter((s) => s.outOfBudget).map((s) => s.preview.id),
    slosBelowObjective: valued.filter((s) => (s.preview.attainment as number) < s.preview.objective).map((s) => s.preview.id),
    slosWithValue: valued.length,
    pages: alerts.filter((a) => a.severity === 'page').length,
    tickets: alerts.filter((a) => a.severity === 'ticket').length,
    kpisOffTarget: kpisValued.filter((k) => !k.meetsTarget).map((k) => k.id),
    kpisWithValue: kpisValued.length,
  };
  return {
    result: {
      ...(model.project ? { project: model.project } : {}),
      period,
      at,
      atReason,
      dataStart,
      dataEnd,
      preview: result,
      slos: sloReviews,
      slas: slaReviews,
      kpis: result.kpis,
      alerts,
      worstHours: hours,
      hoursRanked: ranked,
      summary,
      issues,
    },
  };
}

/** The model with only the SLA (and its service's SLIs): its preview computes nothing else. */
function slaAlone(model: NormalizedModel, sla: Sla): NormalizedModel {
  return {
    ...model,
    services: model.services.filter((s) => s.id === sla.service).map((s) => ({ ...s, slos: [], slas: [sla] })),
    objectives: [],
  };
}

function worstHours(model: NormalizedModel, data: SampleData, result: PreviewResult, period: ReportPeriod, dataStart: number, dataEnd: number, count: number): { hours: WorstHour[]; ranked: number } {
  const first = Math.ceil(Math.max(period.from, dataStart) / HOUR_MS) * HOUR_MS;
  const end = Math.min(period.to, dataEnd);
  const starts: number[] = [];
  for (let h = first; h + HOUR_MS <= end; h += HOUR_MS) starts.push(h);
  if (!starts.length || count <= 0) return { hours: [], ranked: 0 };
  const slis = new Map(model.services.flatMap((s) => s.slis.map((x) => [x.id, x] as const)));
  const slos = new Map(model.services.flatMap((s) => s.slos.map((x) => [x.id, x] as const)));
  const resolved = new Map<string, ResolvedSli | undefined>();
  const perHour: HourSlo[][] = starts.map(() => []);
  for (const p of result.slos) {
    const sli = slis.get(p.sli);
    const slo = slos.get(p.id);
    // Only SLOs the preview has figures for (a promql SLI needs a live backend).
    if (!sli || !slo || p.note !== undefined || sli.kind === 'promql') continue;
    if (!resolved.has(sli.id)) resolved.set(sli.id, resolveSli(sli, data.series).resolved);
    const r = resolved.get(sli.id);
    if (!r) continue;
    const budget = slo.errorBudget.ratio;
    starts.forEach((h, i) => {
      const e = eventsAt(r, h + HOUR_MS, HOUR_MS);
      if (!e || !Number.isFinite(e.errorRatio) || !(e.errorRatio > 0)) return;
      perHour[i].push({ slo: p.id, sloName: p.name, service: p.service, errorRatio: e.errorRatio, burnRate: e.errorRatio / budget, bad: e.events?.bad ?? null, total: e.events?.total ?? null });
    });
  }
  const hours: WorstHour[] = starts
    .map((start, i) => {
      const list = perHour[i].sort((a, b) => b.burnRate - a.burnRate || a.slo.localeCompare(b.slo));
      return { start, score: list.length ? list[0].burnRate : 0, bad: list.reduce((n, s) => n + (s.bad ?? 0), 0), slos: list };
    })
    .filter((h) => h.score > 0)
    .sort((a, b) => b.score - a.score || a.start - b.start)
    .slice(0, count);
  return { hours, ranked: starts.length };
}
