// OpenMetrics text exactly as `promtool tsdb create-blocks-from openmetrics` (Prometheus 2.42)
// reads it: `# HELP`/`# TYPE`/`# UNIT` lines, samples `name{labels} value timestamp` with the
// timestamp in seconds (truncated to milliseconds as promtool does: int64(ts*1000)), optional
// exemplars (` # {labels} value [timestamp]`, on _total and _bucket samples only), and `# EOF` last.
// No blank lines, no other comments, single spaces, "\n" line ends: promtool rejects a file that
// breaks any of these; here each such line is an error and is skipped, and the rest is read.
import { seriesKey } from '../../core/index.js';
import { Collector, kindFromName, normalizeLabels, type SeriesEntry, type SeriesKind } from './collector.js';
import type { IssueInput } from './issues.js';
import { isUtf8 } from 'node:buffer';
import { MAX_LINE_BYTES, readLineBytes } from './lines.js';
import { MAX_TIMESTAMP_MS, parsePromFloat } from './numbers.js';
import { isSeriesTextError, parseSeriesText } from './series-text.js';

export const OPENMETRICS_TYPES = ['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown'] as const;
type MetricType = (typeof OPENMETRICS_TYPES)[number];

/** The sample names of each family type, as suffixes of the family's name. */
const SAMPLE_SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['', '_count', '_sum', '_created'],
  info: ['_info'],
  stateset: [''],
  gauge: [''],
  unknown: [''],
};
const ALL_SUFFIXES = ['_total', '_created', '_bucket', '_count', '_sum', '_gcount', '_gsum', '_info'];

/** Timestamp token → Unix ms as promtool computes it, or what is wrong. */
/**
 * `parsePromFloat` for the common spelling, plain digits with at most one '.' (`1234`, `0.25`,
 * `1.`, `.5`), without its regular expression: `Number` reads those the same way (fewer than 300
 * characters are always finite); anything else goes to `parsePromFloat`.
 */
function parseFloatFast(s: string): number | string {
  const n = s.length;
  if (n === 0 || n > 300) return parsePromFloat(s);
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      if (++dots > 1) return parsePromFloat(s);
    } else if (c < 0x30 || c > 0x39) return parsePromFloat(s);
  }
  if (dots === 1 && n === 1) return parsePromFloat(s);
  return Number(s);
}

function parseOmTimestamp(tok: string): number | string {
  const f = parseFloatFast(tok);
  if (typeof f === 'string') return f.replace('a number is missing', 'a timestamp is missing');
  if (!Number.isFinite(f)) return `timestamp ${tok} is not a time`;
  const ms = Math.trunc(f * 1000) + 0;
  return Math.abs(ms) <= MAX_TIMESTAMP_MS ? ms : `timestamp ${tok} is out of range`;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * `parseFloatFast` of bytes buf[from, to) when they are plain digits with at most one '.' and at most
 * 15 digits (the value is then m / 10^k of exact doubles: correctly rounded, as `Number` reads the
 * text); NaN for anything else (the text path decides).
 */
function plainDecimal(buf: Buffer, from: number, to: number): number {
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c === 0x2e) {
      if (frac >= 0) return NaN;
      frac = 0;
    } else {
      const d = c - 0x30;
      if (d < 0 || d > 9) return NaN;
      m = m * 10 + d;
      digits++;
      if (frac >= 0) frac++;
    }
  }
  if (digits === 0 || digits > 15) return NaN;
  return frac > 0 ? m / POW10[frac] : m;
}

/** Whether bytes [s, s + b.byteLength) of `view` equal those of `b`, four at a time. */
function sameBytes(view: DataView, s: number, b: DataView): boolean {
  const n = b.byteLength;
  let i = 0;
  for (; i + 4 <= n; i += 4) if (view.getUint32(s + i) !== b.getUint32(i)) return false;
  for (; i < n; i++) if (view.getUint8(s + i) !== b.getUint8(i)) return false;
  return true;
}

const viewOf = (b: Buffer) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Reads one OpenMetrics file into `col` (file index `fileIdx`). */
export async function readOpenMetrics(file: string, fileIdx: number, col: Collector): Promise<void> {
  const name = col.files[fileIdx];
  const issue = (i: Omit<IssueInput, 'file'>) => col.sink.add({ ...i, file: name });
  const syntax = (line: number, column: number, message: string) => issue({ code: 'data/syntax', line, message: `${message} (column ${column})` });
  const cache = new Map<string, SeriesEntry>();
  const types = new Map<string, MetricType>();
  const typeLines = new Map<string, number>();
  const namesSeen = new Set<string>();
  const familiesWithSamples = new Set<string>();
  let eofLine = 0;
  let crSeen = false;

  const familyOf = (metric: string): string | undefined => {
    if (types.has(metric)) return metric;
    for (const s of ALL_SUFFIXES) {
      if (metric.endsWith(s) && types.has(metric.slice(0, -s.length))) return metric.slice(0, -s.length);
    }
    return undefined;
  };

  /** Checks a new series against its family's type; returns its kind. */
  const typeOf = (metric: string, labels: Record<string, string>, key: string, line: number): SeriesKind => {
    namesSeen.add(metric);
    const fam = familyOf(metric);
    const type = fam === undefined ? undefined : types.get(fam)!;
    const suffix = fam === undefined ? '' : metric.slice(fam.length);
    const warn = (message: string) => issue({ code: 'data/type', line, series: key, message });
    if (fam !== undefined && type !== undefined) {
      familiesWithSamples.add(fam);
      if (!SAMPLE_SUFFIXES[type].includes(suffix)) {
        const expected = SAMPLE_SUFFIXES[type].map((s) => fam + s).join(', ');
        warn(
          type === 'counter' && suffix === '' && fam.endsWith('_total')
            ? `counter sample ${metric} belongs to "# TYPE ${fam} counter": OpenMetrics names the family without _total ("# TYPE ${fam.slice(0, -6)} counter")`
            : `${metric} is not a sample of ${type} ${fam} (expected ${expected})`,
        );
      }
    }
    const bucket = suffix === '_bucket' || (type === undefined && metric.endsWith('_bucket'));
    if (bucket) {
      if (!('le' in labels)) warn(`histogram bucket ${metric} has no "le" label`);
      else if (typeof parsePromFloat(labels.le) === 'string') warn(`le="${labels.le}" is not a number`);
    }
    if (type === 'summary' && suffix === '' && !('quantile' in labels)) warn(`summary sample ${metric} has no "quantile" label`);
    if (type === undefined || type === 'unknown') return kindFromName(metric);
    if (type === 'counter') return suffix === '_total' ? 'counter' : 'gauge';
    if (type === 'histogram' || type === 'summary') return ['_bucket', '_count', '_sum'].includes(suffix) ? 'counter' : 'gauge';
    return 'gauge';
  };

  const meta = (text: string, no: number): void => {
    if (text === '# EOF') {
      eofLine = no;
      return;
    }
    if (text.startsWith('# EOF')) return syntax(no, 6, 'unexpected text after "# EOF"');
    const kw = text.slice(2, 7);
    if (!text.startsWith('# ') || (kw !== 'HELP ' && kw !== 'TYPE ' && kw !== 'UNIT ')) {
      return syntax(no, 1, 'OpenMetrics has no comments but "# HELP", "# TYPE", "# UNIT" and "# EOF" (promtool rejects the file)');
    }
    let i = 7;
    const c = text.charCodeAt(i);
    const metricChar = (x: number) => (x >= 97 && x <= 122) || (x >= 65 && x <= 90) || x === 95 || x === 58 || (x >= 48 && x <= 57);
    if (!(metricChar(c) && !(c >= 48 && c <= 57))) return syntax(no, 8, `expected a metric name after ${kw.trim()}`);
    while (i < text.length && metricChar(text.charCodeAt(i))) i++;
    const family = text.slice(7, i);
    if (i >= text.length) return syntax(no, i + 1, `expected a space and text after "# ${kw}${family}"`);
    if (text.charCodeAt(i) !== 32) return syntax(no, i + 1, `"${text[i]}" cannot be part of a metric name`);
    const body = text.slice(i + 1);
    if (kw === 'TYPE ') {
      if (!(OPENMETRICS_TYPES as readonly string[]).includes(body)) {
        return syntax(no, i + 2, `invalid metric type "${body}" (${OPENMETRICS_TYPES.join(', ')})`);
      }
      const prev = types.get(family);
      if (prev !== undefined) {
        issue({ code: 'data/type', line: no, series: family, message: `a second "# TYPE ${family}" (line ${typeLines.get(family)} says ${prev}): each family is declared once` });
      } else if ([family, ...ALL_SUFFIXES.map((s) => family + s)].some((n) => namesSeen.has(n))) {
        issue({ code: 'data/type', line: no, series: family, message: `"# TYPE ${family} ${body}" comes after samples of ${family}: they were read as untyped` });
        familiesWithSamples.add(family);
      }
      types.set(family, body as MetricType);
      if (!typeLines.has(family)) typeLines.set(family, no);
    } else if (kw === 'UNIT ' && body !== '' && !family.endsWith(`_${body}`)) {
      syntax(no, i + 2, `unit "${body}" is not a suffix of metric ${family}`);
    }
  };

  const exemplar = (text: string, at: number, metric: string, no: number): boolean => {
    // text[at] === '{'
    if (!metric.endsWith('_total') && !metric.endsWith('_bucket')) {
      syntax(no, at - 1, `exemplars are allowed only on _total and _bucket samples, not on ${metric}`);
      return false;
    }
    const r = parseSeriesText(`x${text.slice(at)}`, 0, false);
    if (isSeriesTextError(r)) {
      syntax(no, at + r.at, `in the exemplar: ${r.error}`);
      return false;
    }
    let i = at + r.end - 1;
    if (text.charCodeAt(i) !== 32) {
      syntax(no, i + 1, 'expected a space and a value after the exemplar labels');
      return false;
    }
    const j = text.indexOf(' ', i + 1);
    const v = parsePromFloat(text.slice(i + 1, j < 0 ? text.length : j));
    if (typeof v === 'string') {
      syntax(no, i + 2, `exemplar value: ${v}`);
      return false;
    }
    if (j < 0) return true;
    i = j;
    const k = text.indexOf(' ', i + 1);
    const ts = parseOmTimestamp(text.slice(i + 1, k < 0 ? text.length : k));
    if (typeof ts === 'string') {
      syntax(no, i + 2, `exemplar timestamp: ${ts}`);
      return false;
    }
    if (k >= 0) {
      syntax(no, k + 1, 'expected the end of the line after the exemplar timestamp');
      return false;
    }
    return true;
  };

  let lastText = '';
  let lastEntry: SeriesEntry | undefined;
  const sample = (text: string, no: number): void => {
    // Fast path: a series text already read, then " value timestamp".
    const sp2 = text.lastIndexOf(' ');
    if (sp2 > 0) {
      const sp1 = text.lastIndexOf(' ', sp2 - 1);
      if (sp1 > 0) {
        // Files list a series' samples one after another: the previous line's series is checked
        // first, without slicing and hashing the series text.
        const e = sp1 === lastText.length && text.startsWith(lastText) ? lastEntry : cache.get(text.slice(0, sp1));
        if (e !== undefined) {
          if (e !== lastEntry) {
            lastText = text.slice(0, sp1);
            lastEntry = e;
          }
          const v = parseFloatFast(text.slice(sp1 + 1, sp2));
          const t = parseOmTimestamp(text.slice(sp2 + 1));
          if (typeof v === 'number' && typeof t === 'number') {
            col.add(e, fileIdx, t, v, no);
            return;
          }
        }
      }
    }
    const r = parseSeriesText(text, 0, false);
    if (isSeriesTextError(r)) {
      if (r.duplicate) {
        issue({ code: 'data/duplicate-label', line: no, message: `${r.error} in one series: the sample is skipped (promtool stops with 'label name is not unique')` });
      } else {
        syntax(
          no,
          r.at + 1,
          r.at !== 0 ? r.error : text.charCodeAt(0) === 0xfeff ? 'the line starts with a byte order mark (U+FEFF, "UTF-8 with BOM"): promtool rejects it; save the file without the BOM' : `a line starts with a metric name, "# HELP", "# TYPE", "# UNIT" or "# EOF", not ${JSON.stringify(text[0])}`,
        );
      }
      return;
    }
    let i = r.end;
    if (text.charCodeAt(i) !== 32) {
      return syntax(no, i + 1, i >= text.length ? 'expected a space and a value after the series' : `expected a single space and a value after the series, not "${text[i]}"`);
    }
    const j = text.indexOf(' ', i + 1);
    if (j === i + 1) return syntax(no, i + 2, 'expected a value after one space, found two spaces');
    const v = parsePromFloat(text.slice(i + 1, j < 0 ? text.length : j));
    if (typeof v === 'string') return syntax(no, i + 2, v);
    const seriesText = text.slice(0, r.end);
    if (j < 0 || text.startsWith(' # {', j)) {
      issue({ code: 'data/missing-timestamp', line: no, series: seriesKey(r.metric, normalizeLabels(r.labels)), message: 'the sample has no timestamp (promtool needs one, in seconds): skipped' });
      return;
    }
    i = j;
    const k = text.indexOf(' ', i + 1);
    const t = parseOmTimestamp(text.slice(i + 1, k < 0 ? text.length : k));
    if (typeof t === 'string') return syntax(no, i + 2, t);
    if (k >= 0) {
      if (!text.startsWith(' # {', k)) return syntax(no, k + 1, 'expected the end of the line, or an exemplar " # {...} value", after the timestamp');
      if (!exemplar(text, k + 3, r.metric, no)) return;
    }
    let e = cache.get(seriesText);
    if (e === undefined) {
      // Type checks run once per series text; the kind of a series is fixed where it is first read.
      const kind = typeOf(r.metric, r.labels, seriesKey(r.metric, normalizeLabels(r.labels)), no);
      e = col.series(r.metric, r.labels, kind, fileIdx);
      cache.set(seriesText, e);
    }
    col.add(e, fileIdx, t, v, no);
  };

  // The byte path: most lines are a sample of the same series as the line before, `series value
  // timestamp` with plain decimals. Such a line is read from the bytes (no string per line): the same
  // checks and numbers as `sample`'s fast path above, which it replicates; any other line is decoded
  // and goes through `lineText`.
  let lastBytes = viewOf(Buffer.alloc(0));
  let lastBytesEntry: SeriesEntry | undefined;
  let viewBuf: Buffer | undefined;
  let view = lastBytes;
  const fastLine = (buf: Buffer, s: number, end: number, no: number): boolean => {
    if (eofLine || end <= s || buf[s] === 35 || buf[end - 1] === 13) return false;
    // The last two spaces, as `sample` finds them (both after the line's first byte).
    let sp2 = end - 1;
    while (sp2 > s && buf[sp2] !== 32) sp2--;
    if (sp2 <= s) return false;
    let sp1 = sp2 - 1;
    while (sp1 > s && buf[sp1] !== 32) sp1--;
    if (sp1 <= s) return false;
    const v = plainDecimal(buf, sp1 + 1, sp2);
    if (v !== v) return false;
    const f = plainDecimal(buf, sp2 + 1, end);
    if (f !== f) return false;
    const t = Math.trunc(f * 1000) + 0;
    if (!(Math.abs(t) <= MAX_TIMESTAMP_MS)) return false;
    const len = sp1 - s;
    let e: SeriesEntry | undefined;
    if (buf !== viewBuf) {
      viewBuf = buf;
      view = viewOf(buf);
    }
    if (len === lastBytes.byteLength && sameBytes(view, s, lastBytes)) e = lastBytesEntry;
    else {
      let ascii = true;
      for (let i = s; i < sp1; i++) {
        if (buf[i] >= 0x80) {
          ascii = false;
          break;
        }
      }
      // A line that is not valid UTF-8 is reported by the text path.
      if (!ascii && !isUtf8(buf.subarray(s, end))) return false;
      e = cache.get(buf.toString(ascii ? 'latin1' : 'utf8', s, sp1));
      if (e === undefined) return false;
      lastBytes = viewOf(Buffer.from(buf.subarray(s, sp1)));
      lastBytesEntry = e;
    }
    col.add(e!, fileIdx, t, v, no);
    return true;
  };
  const lineText = {
    line(text: string, no: number): boolean | void {
      if (eofLine) {
        issue({ code: 'data/after-eof', line: no, message: `data after "# EOF" (line ${eofLine}): promtool rejects the file; the rest is ignored` });
        return true;
      }
      if (text.endsWith('\r')) {
        if (!crSeen) syntax(no, text.length, 'the line ends with "\\r" (Windows line endings): promtool rejects the file; this and later lines are read without the "\\r"');
        crSeen = true;
        text = text.slice(0, -1);
      }
      if (text === '') syntax(no, 1, 'empty line: OpenMetrics has none (promtool rejects the file)');
      else if (text.charCodeAt(0) === 35) meta(text, no);
      else sample(text, no);
    },
    invalidUtf8(no: number): void {
      issue({ code: 'data/invalid-utf8', line: no, message: 'the line is not valid UTF-8: skipped' });
    },
  };
  const { lines, stopped } = await readLineBytes(
    file,
    (buf, s, end, no) => {
      if (fastLine(buf, s, end, no)) return false;
      const bytes = buf.subarray(s, end);
      if (!isUtf8(bytes)) return lineText.invalidUtf8(no);
      return lineText.line(buf.toString('utf8', s, end), no);
    },
    (no, bytes, atEnd) => {
      if (eofLine) return;
      issue({ code: 'data/syntax', line: no, message: `the line is ${bytes.toLocaleString('en-US')} bytes long, more than the ${MAX_LINE_BYTES.toLocaleString('en-US')} a line may have: skipped, unread${atEnd ? ' (the file ends inside it, with no newline: is it OpenMetrics text?)' : ''}` });
    },
  );
  if (!eofLine && !stopped) {
    issue({ code: 'data/missing-eof', line: lines > 0 ? lines : undefined, message: lines > 0 ? 'the file does not end with "# EOF" (promtool rejects it): the samples read are kept' : 'the file is empty: an OpenMetrics file holds at least "# EOF" (promtool rejects it)' });
  }
  for (const [family, line] of typeLines) {
    if (!familiesWithSamples.has(family)) col.empty(family, fileIdx, line, `${types.get(family)} family`);
  }
}
