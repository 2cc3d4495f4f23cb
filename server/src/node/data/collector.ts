// Gathers the samples that the format readers parse into per-series typed arrays, applying the
// rules Prometheus applies when it backfills a file (`promtool tsdb create-blocks-from openmetrics`),
// then sorts, merges files and checks each series (NaN/Inf, counter resets, gaps).
//
// promtool 2.42 cuts a file into 2-hour blocks (aligned to multiples of 2h since the epoch) and
// appends each block's samples in file order. Within a block, a sample older than the newest one
// already appended for its series is dropped (or, when the two fall in different batches of 5,000
// appends, the whole import stops with "out of order sample"); a sample at the same timestamp is
// merged if its value is identical and otherwise dropped (or the import stops with "duplicate
// sample for timestamp"). A sample that goes back to an *earlier* block is kept: that block is
// written separately. The same rule holds here for every format, so a preview shows what a
// Prometheus holding this data would hold; each dropped or kept-but-unsorted sample is an issue.
import { seriesKey, type Series } from '../../core/index.js';
import { IssueSink } from './issues.js';
import { formatDuration, formatPromFloat, formatTime } from './numbers.js';

/** Prometheus's block size for backfilled data. */
export const BLOCK_MS = 2 * 3600 * 1000;
/** Prometheus's default lookback delta. */
export const DEFAULT_LOOKBACK_MS = 5 * 60 * 1000;

/** Counters (and the `_bucket`/`_count`/`_sum` of histograms and summaries) reset; gauges don't. */
export type SeriesKind = 'counter' | 'gauge';

/** The kind of an untyped series, from its name's suffix. */
export function kindFromName(metric: string): SeriesKind {
  return /_(total|count|bucket|sum)$/.test(metric) ? 'counter' : 'gauge';
}

export interface SeriesEntry {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly key: string;
  readonly kind: SeriesKind;
  n: number;
  t: Float64Array;
  v: Float64Array;
  line: Uint32Array;
  /** Index of each sample's file, once samples come from more than one file. */
  src: Uint16Array | undefined;
  readonly firstFile: number;
  curFile: number;
  lastT: number;
  lastV: number;
  /** Newest timestamp per 2h block in the current file, built once a sample goes back in time. */
  blockMax: Map<number, number> | undefined;
  unsorted: boolean;
}

/** Labels as Prometheus stores them: empty values dropped (`a=""` is no label), sorted by name. */
export function normalizeLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) if (labels[k] !== '') out[k] = labels[k];
  return out;
}

const sameValue = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
const block = (t: number) => Math.floor(t / BLOCK_MS);

export class Collector {
  private readonly entries = new Map<string, SeriesEntry>();

  constructor(
    readonly sink: IssueSink,
    /** File names as the user gave them, by index. */
    readonly files: readonly string[],
    private readonly lookbackMs = DEFAULT_LOOKBACK_MS,
  ) {}

  /** The entry of a series (labels need not be normalized), created on first use. */
  series(metric: string, labels: Readonly<Record<string, string>>, kind: SeriesKind, file: number): SeriesEntry {
    const norm = normalizeLabels(labels);
    const key = seriesKey(metric, norm);
    let e = this.entries.get(key);
    if (!e) {
      const cap = 64;
      e = {
        metric,
        labels: norm,
        key,
        kind,
        n: 0,
        t: new Float64Array(cap),
        v: new Float64Array(cap),
        line: new Uint32Array(cap),
        src: undefined,
        firstFile: file,
        curFile: file,
        lastT: -Infinity,
        lastV: NaN,
        blockMax: undefined,
        unsorted: false,
      };
      this.entries.set(key, e);
    }
    return e;
  }

  /** Adds one sample read at `line` of file `file`, dropping it (with an issue) where promtool would. */
  add(e: SeriesEntry, file: number, t: number, v: number, line: number): void {
    if (e.curFile !== file) this.switchFile(e, file);
    if (t > e.lastT) {
      if (t < 0) this.negative(e, file, t, line);
      this.push(e, file, t, v, line);
      if (e.blockMax) {
        const m = e.blockMax.get(block(t));
        if (m === undefined || t > m) e.blockMax.set(block(t), t);
      }
      e.lastT = t;
      e.lastV = v;
      return;
    }
    const b = block(t);
    let max = e.lastT;
    let maxV = e.lastV;
    if (b !== block(e.lastT)) {
      e.blockMax ??= this.blockMaxima(e, file);
      const m = e.blockMax.get(b);
      if (m === undefined || t > m) {
        if (t < 0) this.negative(e, file, t, line);
        this.push(e, file, t, v, line);
        e.unsorted = true;
        e.blockMax.set(b, t);
        this.sink.add({
          code: 'data/unsorted',
          file: this.files[file],
          line,
          series: e.key,
          message: `sample at ${formatTime(t)} is older than one at ${formatTime(e.lastT)} already read for this series, but in an earlier 2-hour block: kept (promtool writes each block separately)`,
        });
        return;
      }
      max = m;
      maxV = this.valueAt(e, file, m);
    }
    if (t === max) {
      if (sameValue(v, maxV)) {
        this.sink.add({
          code: 'data/duplicate-sample',
          file: this.files[file],
          line,
          series: e.key,
          message: `the sample at ${formatTime(t)} (value ${formatPromFloat(v)}) appears twice: merged`,
        });
      } else {
        this.sink.add({
          code: 'data/duplicate-timestamp',
          file: this.files[file],
          line,
          series: e.key,
          message: `a second value ${formatPromFloat(v)} at ${formatTime(t)}, where ${formatPromFloat(maxV)} was read first: the first is kept (promtool drops the second, or stops with "duplicate sample for timestamp")`,
        });
      }
      return;
    }
    this.sink.add({
      code: 'data/out-of-order',
      file: this.files[file],
      line,
      series: e.key,
      message: `sample at ${formatTime(t)} is older than one at ${formatTime(max)} already read for this series in the same 2-hour block: dropped (promtool drops it, or stops with "out of order sample")`,
    });
  }

  /** Reports a series that was named but has no samples. */
  empty(key: string, file: number, line: number | undefined, what = 'series'): void {
    this.sink.add({ code: 'data/empty-series', file: this.files[file], line, series: key, message: `${what} ${key} has no samples` });
  }

  /** Whether a series of that key has been seen. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Sorted, merged, checked series (sorted by key); the entries are released. */
  finish(): Series[] {
    const out: Series[] = [];
    const keys = [...this.entries.keys()].sort();
    for (const key of keys) {
      const e = this.entries.get(key)!;
      this.entries.delete(key);
      if (e.n === 0) {
        this.empty(e.key, e.firstFile, undefined);
        continue;
      }
      if (e.unsorted) this.sortAndMerge(e);
      this.check(e);
      out.push({ metric: e.metric, labels: e.labels, t: e.t.slice(0, e.n), v: e.v.slice(0, e.n) });
    }
    return out;
  }

  private fileOf(e: SeriesEntry, i: number): string {
    return this.files[e.src ? e.src[i] : e.firstFile];
  }

  private negative(e: SeriesEntry, file: number, t: number, line: number): void {
    this.sink.add({
      code: 'data/negative-timestamp',
      file: this.files[file],
      line,
      series: e.key,
      message: `timestamp ${formatTime(t)} is before 1970: kept, but promtool may drop it (it starts its first block at 0)`,
    });
  }

  private switchFile(e: SeriesEntry, file: number): void {
    if (e.n > 0) {
      e.unsorted = true;
      if (!e.src) e.src = new Uint16Array(e.t.length).fill(e.firstFile);
    }
    e.curFile = file;
    e.lastT = -Infinity;
    e.lastV = NaN;
    e.blockMax = undefined;
  }

  private push(e: SeriesEntry, file: number, t: number, v: number, line: number): void {
    if (e.n === e.t.length) {
      const cap = e.n * 2;
      const grow = <A extends Float64Array | Uint32Array | Uint16Array>(a: A, make: (n: number) => A): A => {
        const b = make(cap);
        b.set(a);
        return b;
      };
      e.t = grow(e.t, (n) => new Float64Array(n));
      e.v = grow(e.v, (n) => new Float64Array(n));
      e.line = grow(e.line, (n) => new Uint32Array(n));
      if (e.src) e.src = grow(e.src, (n) => new Uint16Array(n));
    }
    e.t[e.n] = t;
    e.v[e.n] = v;
    e.line[e.n] = line;
    if (e.src) e.src[e.n] = file;
    e.n++;
  }

  private inFile(e: SeriesEntry, i: number, file: number): boolean {
    return e.src ? e.src[i] === file : e.firstFile === file;
  }

  private blockMaxima(e: SeriesEntry, file: number): Map<number, number> {
    const m = new Map<number, number>();
    for (let i = 0; i < e.n; i++) {
      if (!this.inFile(e, i, file)) continue;
      const b = block(e.t[i]);
      const cur = m.get(b);
      if (cur === undefined || e.t[i] > cur) m.set(b, e.t[i]);
    }
    return m;
  }

  private valueAt(e: SeriesEntry, file: number, t: number): number {
    for (let i = e.n - 1; i >= 0; i--) if (e.t[i] === t && this.inFile(e, i, file)) return e.v[i];
    return NaN;
  }

  /** Sorts by time (stable: file order breaks ties), then keeps the first sample of each timestamp. */
  private sortAndMerge(e: SeriesEntry): void {
    const idx = new Uint32Array(e.n);
    for (let i = 0; i < e.n; i++) idx[i] = i;
    const t0 = e.t;
    idx.sort((a, b) => t0[a] - t0[b] || a - b);
    const t = new Float64Array(e.n);
    const v = new Float64Array(e.n);
    const line = new Uint32Array(e.n);
    const src = e.src ? new Uint16Array(e.n) : undefined;
    let n = 0;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      if (n > 0 && t[n - 1] === e.t[i]) {
        const kept = v[n - 1];
        const keptFile = this.files[src ? src[n - 1] : e.firstFile];
        const same = sameValue(kept, e.v[i]);
        this.sink.add({
          code: same ? 'data/duplicate-sample' : 'data/duplicate-timestamp',
          file: this.fileOf(e, i),
          line: e.line[i],
          series: e.key,
          message: same
            ? `the sample at ${formatTime(e.t[i])} (value ${formatPromFloat(kept)}) is also in ${keptFile}: merged`
            : `a second value ${formatPromFloat(e.v[i])} at ${formatTime(e.t[i])}, where ${keptFile} has ${formatPromFloat(kept)}: the first file's is kept`,
        });
        continue;
      }
      t[n] = e.t[i];
      v[n] = e.v[i];
      line[n] = e.line[i];
      if (src) src[n] = e.src![i];
      n++;
    }
    e.t = t;
    e.v = v;
    e.line = line;
    e.src = src;
    e.n = n;
  }

  /** NaN/±Inf, negative counters, counter resets and gaps longer than the lookback, in time order. */
  private check(e: SeriesEntry): void {
    const { t, v, n } = e;
    let nan = 0;
    let inf = 0;
    let firstBad = -1;
    let negative = -1;
    const counter = e.kind === 'counter';
    let prev = NaN; // last finite value, for resets
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (!Number.isFinite(x)) {
        if (Number.isNaN(x)) nan++;
        else inf++;
        if (firstBad < 0) firstBad = i;
      } else if (counter) {
        if (x < 0 && negative < 0) negative = i;
        if (x < prev) {
          this.sink.add({
            code: 'data/counter-reset',
            file: this.fileOf(e, i),
            line: e.line[i],
            series: e.key,
            message: `counter goes down from ${formatPromFloat(prev)} to ${formatPromFloat(x)} at ${formatTime(t[i])}: a reset (increase() and rate() count from 0 again, as in Prometheus)`,
          });
        }
        prev = x;
      }
      if (i > 0 && t[i] - t[i - 1] > this.lookbackMs) {
        this.sink.add({
          code: 'data/gap',
          file: this.fileOf(e, i),
          line: e.line[i],
          series: e.key,
          message: `no sample for ${formatDuration(t[i] - t[i - 1])} between ${formatTime(t[i - 1])} and ${formatTime(t[i])}, longer than the ${formatDuration(this.lookbackMs)} lookback: instant queries see no value for ${formatDuration(t[i] - t[i - 1] - this.lookbackMs)}`,
        });
      }
    }
    if (firstBad >= 0) {
      const what = [nan ? `${nan} NaN` : '', inf ? `${inf} ±Inf` : ''].filter(Boolean).join(' and ');
      this.sink.add({
        code: 'data/non-finite',
        severity: counter ? 'warning' : 'info',
        file: this.fileOf(e, firstBad),
        line: e.line[firstBad],
        series: e.key,
        message: `${what} value${nan + inf > 1 ? 's' : ''} (first at ${formatTime(t[firstBad])}): kept, as Prometheus stores them${counter ? '; increase() and rate() over a window that holds one are NaN or ±Inf' : ''}`,
      });
    }
    if (negative >= 0) {
      this.sink.add({
        code: 'data/type',
        file: this.fileOf(e, negative),
        line: e.line[negative],
        series: e.key,
        message: `counter value ${formatPromFloat(v[negative])} at ${formatTime(t[negative])} is negative (counters start at 0 and only go up)`,
      });
    }
  }
}

/** What is wrong with an untyped series' labels for its name (`_bucket` needs a numeric `le`), if anything. */
export function bucketProblem(metric: string, labels: Readonly<Record<string, string>>): string | undefined {
  if (!metric.endsWith('_bucket')) return undefined;
  if (!('le' in labels) || labels.le === '') return `histogram bucket ${metric} has no "le" label`;
  const le = Number(labels.le);
  if (!(labels.le === '+Inf' || Number.isFinite(le))) return `le="${labels.le}" is not a number`;
  return undefined;
}
