// The preview as JSON: the shape of schemas/pace-preview.schema.json (docs/preview.md). Times are
// RFC 3339 (UTC, millisecond precision), ratios numbers, durations seconds; a figure without a
// value is null, never omitted, so that consumers see every key.
import type { PreviewIssue, PreviewResult, WindowSpan } from './preview.js';

/** Where an issue's subject was written, as the host shows it. */
export interface IssueLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
}

export const PREVIEW_JSON_VERSION = 1;

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

const time = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : rfc3339(ms));

function windowJson(w: WindowSpan) {
  return { label: w.label, start: rfc3339(w.start), end: rfc3339(w.end), ...(w.period !== undefined ? { period: w.period, periodEnd: time(w.periodEnd) } : {}) };
}

function issueJson(i: PreviewIssue, locate?: (i: PreviewIssue) => IssueLocation | undefined) {
  const where = locate?.(i);
  return {
    severity: i.severity,
    code: i.code,
    message: i.message,
    ...(i.subject !== undefined ? { subject: i.subject } : {}),
    ...(i.series !== undefined ? { series: i.series } : {}),
    ...(i.file !== undefined ? { file: i.file } : {}),
    ...(i.line !== undefined ? { line: i.line } : {}),
    ...(where ? { location: where } : {}),
  };
}

/** The documented JSON of a preview. `locate` maps an issue to .pace text (the host knows files). */
export function previewJson(r: PreviewResult, locate?: (i: PreviewIssue) => IssueLocation | undefined) {
  return {
    version: PREVIEW_JSON_VERSION,
    at: rfc3339(r.at),
    stepSeconds: r.stepSeconds,
    data: r.dataStart === null || r.dataEnd === null ? null : { start: rfc3339(r.dataStart), end: rfc3339(r.dataEnd) },
    slos: r.slos.map((s) => ({
      id: s.id,
      service: s.service,
      sli: s.sli,
      sliKind: s.sliKind,
      objective: s.objective,
      window: windowJson(s.window),
      attainment: s.attainment,
      errorRatio: s.errorRatio,
      events: s.events,
      errorBudget: s.errorBudget,
      burnRates: s.burnRates,
      currentBurn: s.currentBurn,
      exhausted: s.exhausted,
      exhaustionAt: time(s.exhaustionAt),
      alerts: s.alerts.map((a) => ({ severity: a.severity, rule: a.rule, ruleIndex: a.ruleIndex, threshold: a.threshold, activeAt: rfc3339(a.activeAt), firedAt: rfc3339(a.firedAt), resolvedAt: time(a.resolvedAt) })),
      ...(s.note !== undefined ? { note: s.note } : {}),
    })),
    slas: r.slas.map((s) => ({
      id: s.id,
      service: s.service,
      sli: s.sli,
      ...(s.slo !== undefined ? { slo: s.slo } : {}),
      objective: s.objective,
      window: windowJson(s.window),
      attainment: s.attainment,
      met: s.met,
      creditOwed: s.creditOwed,
      tier: s.tier,
      ...(s.note !== undefined ? { note: s.note } : {}),
    })),
    kpis: r.kpis.map((k) => ({
      id: k.id,
      objective: k.objective,
      measure: k.measure,
      window: windowJson(k.window),
      target: k.target,
      targetText: k.targetText,
      value: k.value,
      meetsTarget: k.meetsTarget,
      trend: k.trend && { slopePerDay: k.trend.slopePerDay, r2: k.trend.r2, points: k.trend.points, crossesAt: time(k.trend.crossesAt), sentence: k.trend.sentence },
    })),
    issues: r.issues.map((i) => issueJson(i, locate)),
  };
}

export type PreviewJson = ReturnType<typeof previewJson>;
