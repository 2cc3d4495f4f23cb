// The error ratio of an SLI as PromQL, derived from the model: the one text that the evaluator
// (core/evaluate/sli.ts: what Prometheus would be asked), the generators (the recording rules)
// and the editor (hover) all use, so that a generated rule computes exactly the preview's number.
// `$window` stands for the range, as in the raw PromQL of `promql` SLIs:
//   ratio, good/total:  1 - sum(increase(good[W])) / sum(increase(total[W]))
//   ratio, bad/total:   sum(increase(bad[W])) / sum(increase(total[W]))
//   latency:            1 - sum(increase(h_bucket{…, le="<under>"}[W])) / sum(increase(h_count{…}[W]))
//   timeslice:          1 - avg_over_time((min(gauge{…} <op> bool <value>))[W:<slice>])
//   promql:             (bad) / (total), or 1 - (good) / (total), with $window replaced by W
import type { LatencySli, Matcher, Selector, Sli, TimesliceSli } from './model.js';

/**
 * A float as Go's `strconv.FormatFloat(x, 'g', -1, 64)` writes it, which is how Prometheus'
 * client libraries (client_golang's text format) write `le`: shortest digits, exponent form below
 * 1e-4 and from 1e6 on (`1e-05`, `2.5e+06`), `+Inf` for infinity.
 */
export function formatLe(x: number): string {
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (Number.isNaN(x)) return 'NaN';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(x);
}

/** A number as a PromQL literal: JavaScript's shortest round-trip digits (`0.3`, `1e-7`), `Inf`, `-Inf`, `NaN`. */
export function promqlNumber(x: number): string {
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  if (Number.isNaN(x)) return 'NaN';
  return String(x);
}

/** A duration in milliseconds as a PromQL duration in its largest exact unit (`1m`, `90s`, `500ms`). */
export function promqlDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

type MatcherLike = Pick<Matcher, 'label' | 'op' | 'value'>;

/** `metric{a="x", b!~"y"}` (values quoted as PromQL strings), `{}` for nothing. */
export function selectorText(metric: string | undefined, matchers: readonly MatcherLike[]): string {
  const ms = matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ');
  return `${metric ?? ''}{${ms}}`.replace(/\{\}$/, '') || '{}';
}

/** The `_bucket` (with `le` = the threshold as clients spell it) and `_count` selectors of a latency SLI; undefined without a metric name. */
export function latencySelectors(sli: Pick<LatencySli, 'histogram' | 'underSeconds'>): { bucket: { metric: string; matchers: MatcherLike[] }; count: { metric: string; matchers: MatcherLike[] } } | undefined {
  const base = sli.histogram.metric;
  if (base === undefined) return undefined;
  const matchers = sli.histogram.matchers.filter((m) => m.label !== 'le');
  return {
    bucket: { metric: `${base}_bucket`, matchers: [...matchers, { label: 'le', op: '=', value: formatLe(sli.underSeconds) }] },
    count: { metric: `${base}_count`, matchers },
  };
}

/** `1 - sum(increase(good[$window])) / sum(increase(total[$window]))`, or `sum(increase(bad…)) / sum(increase(total…))`. */
export function ratioErrorExpression(sli: { readonly good?: Selector; readonly bad?: Selector; readonly total?: Selector }, window = '$window'): string | undefined {
  if (!sli.total || (!sli.good && !sli.bad)) return undefined;
  const inc = (s: Selector) => `sum(increase(${s.text}[${window}]))`;
  return sli.bad ? `${inc(sli.bad)} / ${inc(sli.total)}` : `1 - ${inc(sli.good!)} / ${inc(sli.total)}`;
}

/** `1 - sum(increase(h_bucket{…, le="0.3"}[$window])) / sum(increase(h_count{…}[$window]))`; undefined without a metric name. */
export function latencyErrorExpression(sli: Pick<LatencySli, 'histogram' | 'underSeconds'>, window = '$window'): string | undefined {
  const s = latencySelectors(sli);
  if (!s) return undefined;
  return `1 - sum(increase(${selectorText(s.bucket.metric, s.bucket.matchers)}[${window}])) / sum(increase(${selectorText(s.count.metric, s.count.matchers)}[${window}]))`;
}

/** The slice of a time-slice SLI in whole milliseconds (PromQL durations are). */
export function sliceMsOf(sli: Pick<TimesliceSli, 'sliceSeconds'>): number {
  return Math.round(sli.sliceSeconds * 1000);
}

/**
 * The error ratio of a time-slice SLI as PromQL, the expression the generators emit:
 * `1 - avg_over_time((min(gauge <op> bool value))[$window:slice])` (see core/evaluate/sli.ts).
 */
export function timesliceErrorExpression(sli: Pick<TimesliceSli, 'gauge' | 'goodWhen' | 'sliceSeconds'>, window = '$window'): string {
  return `1 - avg_over_time((min(${sli.gauge.text} ${sli.goodWhen.op} bool ${promqlNumber(sli.goodWhen.value)}))[${window}:${promqlDuration(sliceMsOf(sli))}])`;
}

/**
 * PromQL text with a line break after it when its last line ends in a `#` comment (outside strings),
 * so that what is written after it (`)`, `/ (…)`) is not commented out: `sum(x) # ok` checks clean on
 * its own, but `(sum(x) # ok)` does not parse.
 */
export function endComment(text: string): string {
  let quote = '';
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (comment) {
      if (c === '\n') comment = false;
    } else if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '#') comment = true;
  }
  return comment ? `${text}\n` : text;
}

/** Raw PromQL with `$window` replaced by `window`, ready to be embedded (endComment): every place that writes a `promql` SLI's text goes through here. */
export function rawPromqlOver(text: string, window: string): string {
  return endComment(text.split('$window').join(window));
}

/** The raw PromQL of a `promql` SLI as an error ratio, `$window` replaced by `window`. */
export function promqlErrorExpression(sli: { readonly good?: string; readonly bad?: string; readonly total?: string; readonly errorRatio?: string }, window = '$window'): string | undefined {
  const w = (text: string) => `(${rawPromqlOver(text.trim(), window)})`;
  if (sli.errorRatio !== undefined) return w(sli.errorRatio);
  if (sli.total === undefined) return undefined;
  if (sli.bad !== undefined) return `${w(sli.bad)} / ${w(sli.total)}`;
  if (sli.good !== undefined) return `1 - ${w(sli.good)} / ${w(sli.total)}`;
  return undefined;
}

/** The error ratio of any SLI over `window` (a PromQL duration, `$window` by default); undefined when it cannot be written. */
export function sliErrorExpression(sli: Sli, window = '$window'): string | undefined {
  switch (sli.kind) {
    case 'ratio':
      return ratioErrorExpression(sli, window);
    case 'latency':
      return latencyErrorExpression(sli, window);
    case 'timeslice':
      return sliceMsOf(sli) > 0 ? timesliceErrorExpression(sli, window) : undefined;
    case 'promql':
      return promqlErrorExpression(sli, window);
  }
}
