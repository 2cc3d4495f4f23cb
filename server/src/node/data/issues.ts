// Every problem a sample-data loader can find, with its stable code and severity, and the sink
// that collects them: located (file:line, series), capped per file and code so that a file with a
// million bad lines yields a readable list plus one "and N more" line. docs/sample-data.md
// documents every code (a test checks it).
import type { DataIssue } from '../../core/index.js';

export type Severity = DataIssue['severity'];

/** Code → default severity and one line of doc (docs/sample-data.md has the long form). */
export const DATA_ISSUE_CODES = {
  'data/io': { severity: 'error', title: 'The file cannot be read.' },
  'data/unknown-format': { severity: 'error', title: 'The extension names no known format.' },
  'data/syntax': { severity: 'error', title: 'A malformed line (promtool rejects the whole file); the line is skipped.' },
  'data/invalid-utf8': { severity: 'error', title: 'A line is not valid UTF-8; the line is skipped.' },
  'data/missing-timestamp': { severity: 'error', title: 'An OpenMetrics sample without a timestamp (promtool needs one); skipped.' },
  'data/duplicate-label': { severity: 'error', title: 'A label name appears twice in one series; the sample is skipped.' },
  'data/missing-eof': { severity: 'error', title: 'An OpenMetrics file does not end with "# EOF".' },
  'data/after-eof': { severity: 'error', title: 'Data after "# EOF"; the rest of the file is ignored.' },
  'data/csv-header': { severity: 'error', title: 'The CSV header is not timestamp,series,value.' },
  'data/json-shape': { severity: 'error', title: 'The JSON is not a query_range answer, or a value has the wrong type.' },
  'data/query-error': { severity: 'error', title: 'The saved answer has status "error".' },
  'data/query-warning': { severity: 'info', title: 'The saved answer carries warnings from Prometheus.' },
  'data/out-of-order': { severity: 'warning', title: 'A sample older than one already read in its 2-hour block; dropped, as promtool does.' },
  'data/unsorted': { severity: 'info', title: 'A sample older than one already read, in an earlier 2-hour block; kept, as promtool does.' },
  'data/duplicate-timestamp': { severity: 'warning', title: 'A second, different value at the same timestamp; the first is kept.' },
  'data/duplicate-sample': { severity: 'info', title: 'The same sample twice; merged.' },
  'data/negative-timestamp': { severity: 'warning', title: 'A timestamp before 1970; kept, but promtool may drop it.' },
  'data/far-timestamp': { severity: 'warning', title: 'A timestamp after the year 9999 (milliseconds where seconds are expected?); kept.' },
  'data/non-finite': { severity: 'info', title: 'NaN or ±Inf values; kept (warning in counters, where they break increase()).' },
  'data/counter-reset': { severity: 'info', title: 'A counter decreases; the evaluator treats it as a reset, as Prometheus does.' },
  'data/gap': { severity: 'warning', title: 'Two consecutive samples more than the 5-minute lookback apart.' },
  'data/empty-series': { severity: 'warning', title: 'A series or metric family with no samples.' },
  'data/type': { severity: 'warning', title: 'A sample that does not fit its metric type (names, le, quantile, negative counters).' },
  'data/no-name': { severity: 'warning', title: 'A series without __name__: selectors by metric name cannot find it.' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type DataIssueCode = keyof typeof DATA_ISSUE_CODES;

export interface IssueInput {
  readonly code: DataIssueCode;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly series?: string;
  /** Overrides the code's default severity (data/non-finite in counters). */
  readonly severity?: Severity;
}

export const DEFAULT_MAX_ISSUES_PER_CODE = 20;

/** Collects issues, keeping at most `max` per (file, code) and counting the rest. */
export class IssueSink {
  private readonly issues: DataIssue[] = [];
  private readonly counts = new Map<string, { n: number; severity: Severity; file?: string; code: DataIssueCode }>();

  constructor(private readonly max = DEFAULT_MAX_ISSUES_PER_CODE) {}

  add(issue: IssueInput): void {
    const severity = issue.severity ?? DATA_ISSUE_CODES[issue.code].severity;
    const key = `${issue.file ?? ''}\u0000${issue.code}`;
    let c = this.counts.get(key);
    if (!c) this.counts.set(key, (c = { n: 0, severity, file: issue.file, code: issue.code }));
    if (++c.n > this.max) {
      if (severity === 'error' || (severity === 'warning' && c.severity === 'info')) c.severity = severity;
      return;
    }
    const out: { -readonly [K in keyof DataIssue]: DataIssue[K] } = { severity, code: issue.code, message: issue.message };
    if (issue.file !== undefined) out.file = issue.file;
    if (issue.line !== undefined) out.line = issue.line;
    if (issue.series !== undefined) out.series = issue.series;
    this.issues.push(out);
  }

  /** The issues sorted by file (in `fileOrder`), line, then in the order they were found; each file's "N more" lines last. */
  finish(fileOrder: readonly string[]): DataIssue[] {
    const all = [...this.issues];
    for (const c of this.counts.values()) {
      if (c.n <= this.max) continue;
      const more: { -readonly [K in keyof DataIssue]: DataIssue[K] } = {
        severity: c.severity,
        code: c.code,
        message: `${c.n - this.max} more "${c.code}" issues not listed (${c.n} in all)`,
      };
      if (c.file !== undefined) more.file = c.file;
      all.push(more);
    }
    const rank = new Map(fileOrder.map((f, i) => [f, i]));
    const fileRank = (f: string | undefined) => (f === undefined ? -1 : (rank.get(f) ?? fileOrder.length));
    return all
      .map((issue, i) => ({ issue, i }))
      .sort((a, b) => fileRank(a.issue.file) - fileRank(b.issue.file) || (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.i - b.i)
      .map((x) => x.issue);
  }
}
