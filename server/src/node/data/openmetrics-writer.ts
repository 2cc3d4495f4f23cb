// Series → OpenMetrics text that promtool backfills and readOpenMetrics reads back identically:
// timestamps in seconds with exactly the digits that make int64(ts*1000) the same millisecond.
import type { Series } from '../../core/index.js';
import { formatPromFloat } from './numbers.js';
import { escapeLabelValue } from './series-text.js';

const f64 = new Float64Array(1);
const u64 = new BigInt64Array(f64.buffer);
/** The next double after `x` towards +Infinity (dir 1) or -Infinity (dir -1); x finite. */
function nextDouble(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * Number.MIN_VALUE;
  f64[0] = x;
  u64[0] += (x > 0) === (dir > 0) ? 1n : -1n;
  return f64[0];
}

/**
 * Seconds text for a millisecond timestamp such that promtool's int64(ts*1000) gives it back:
 * ms/1000 itself is not always enough (2147927874.482 * 1000 truncates to ...481), so the double
 * is moved to the nearest one that truncates right, and written in its shortest exact form.
 */
export function formatOmTimestamp(ms: number): string {
  let d = ms / 1000;
  while (Math.trunc(d * 1000) < ms) d = nextDouble(d, 1);
  while (Math.trunc(d * 1000) > ms) d = nextDouble(d, -1);
  return String(d);
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
