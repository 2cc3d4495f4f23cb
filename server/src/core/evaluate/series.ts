// Sample data as the evaluator sees it: series of (timestamp, value) pairs, sorted by time, with
// their labels. The host side (server/src/node/data/) streams files (OpenMetrics, CSV, saved
// query_range answers) into this form; the pure evaluator (core/evaluate) computes from it exactly
// what Prometheus computes. Timestamps are Unix milliseconds, as in Prometheus.

export interface Series {
  /** `__name__`. */
  readonly metric: string;
  /** Every label but `__name__`, sorted by name. */
  readonly labels: Readonly<Record<string, string>>;
  /** Strictly increasing Unix milliseconds. */
  readonly t: Float64Array;
  /** One value per timestamp (NaN allowed: Prometheus stores it). */
  readonly v: Float64Array;
}

/** A problem found in sample data: always located, never a crash or a silent guess. */
export interface DataIssue {
  readonly severity: 'error' | 'warning' | 'info';
  /** Stable code, e.g. `data/out-of-order`. */
  readonly code: string;
  readonly message: string;
  /** The file (as the user named it) and 1-based line, when it comes from a file. */
  readonly file?: string;
  readonly line?: number;
  /** `metric{label="v"}` of the series concerned. */
  readonly series?: string;
}

export interface SampleData {
  readonly series: readonly Series[];
  readonly issues: readonly DataIssue[];
}

/** `metric{a="1", b="2"}`: the series' identity in messages (PromQL syntax). */
export function seriesKey(metric: string, labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return parts.length ? `${metric}{${parts.join(', ')}}` : metric;
}
