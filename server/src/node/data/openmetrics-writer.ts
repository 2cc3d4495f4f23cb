// Series → OpenMetrics text that promtool backfills and readOpenMetrics reads back identically:
// timestamps in seconds with exactly the digits that make int64(ts*1000) the same millisecond.
import type { Series } from '../../core/evaluate/series.js';
import { formatPromFloat } from './numbers.js';
import { escapeLabelValue } from './series-text.js';

/** Seconds text for a millisecond timestamp such that Math.trunc(Number(text) * 1000) === ms. */
export function formatOmTimestamp(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  const s = Math.floor(a / 1000);
  const frac = a % 1000;
  const text = frac === 0 ? `${sign}${s}` : `${sign}${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  if (Math.trunc(Number(text) * 1000) + 0 === ms) return text;
  // 0.001 steps are not exact in binary: nudge the decimal up so truncation lands on ms.
  for (const extra of ['0001', '00001', '000001']) {
    const t = `${sign}${s}.${String(frac).padStart(3, '0')}${extra}`;
    if (Math.trunc(Number(t) * 1000) + 0 === ms) return t;
  }
  throw new Error(`cannot write timestamp ${ms} exactly`);
}

/** `name{a="1",b="2"}` as OpenMetrics writes it (no spaces). */
export function omSeriesText(metric: string, labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? `${metric}{${keys.map((k) => `${k}="${escapeLabelValue(labels[k])}"`).join(',')}}` : metric;
}

export interface WriteOptions {
  /** `# TYPE` lines per family name, e.g. { http_requests: 'counter' }. */
  readonly types?: Readonly<Record<string, string>>;
}

/**
 * OpenMetrics for `series`, one chunk of text per series (then `# EOF\n`), for streaming to a file.
 * Series of one family should be adjacent for `# TYPE` lines to precede them.
 */
export function* writeOpenMetrics(series: Iterable<Series>, opts: WriteOptions = {}): Generator<string> {
  const typed = new Set<string>();
  for (const s of series) {
    let out = '';
    for (const [family, type] of Object.entries(opts.types ?? {})) {
      if (!typed.has(family) && (s.metric === family || s.metric.startsWith(`${family}_`))) {
        typed.add(family);
        out += `# TYPE ${family} ${type}\n`;
      }
    }
    const text = omSeriesText(s.metric, s.labels);
    for (let i = 0; i < s.t.length; i++) out += `${text} ${Object.is(s.v[i], -0) ? '-0' : formatPromFloat(s.v[i])} ${formatOmTimestamp(s.t[i])}\n`;
    yield out;
  }
  yield '# EOF\n';
}
