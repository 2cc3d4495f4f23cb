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
/** 10000-01-01T00:00:00Z: a later timestamp is taken for milliseconds written where seconds are expected (data/far-timestamp). */
export const FAR_MS = 253_402_300_800_000;

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
  /**
   * While reading: the samples in chunks of CHUNK (the last one partly filled), so that a series
   * grows without copying and wastes at most one chunk; `finish` copies them into one array of the
   * exact size. After sorting or at the end: one chunk of exactly `n` samples.
   */
  tChunks: Float64Array[];
  vChunks: Float64Array[];
  /**
   * Where each sample was read, for the issues that name it: per chunk, the first sample's line and
   * each later sample's distance from the previous one (0xffff: too far, the line is in `farLines`).
   * Two bytes a sample instead of four.
   */
  lineBase: number[];
  lineDelta: Uint16Array[];
  farLines: Map<number, number> | undefined;
  /** The line of the last sample kept. */
  lastLine: number;
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

/** Samples a chunk holds (a power of two: index → chunk is a shift). 4,096 × 18 bytes ≈ 74 kB. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
const FAR = 0xffff;

/** The timestamp of sample i. */
const tAt = (e: SeriesEntry, i: number) => e.tChunks[i >>> CHUNK_BITS][i & CHUNK_MASK];
const vAt = (e: SeriesEntry, i: number) => e.vChunks[i >>> CHUNK_BITS][i & CHUNK_MASK];

const block = (t: number) => Math.floor(t / BLOCK_MS);

/** The line sample i was read at (a walk back to its chunk's start or a far line: only for the samples an issue names). */
function lineAt(e: SeriesEntry, i: number): number {
  const c = i >>> CHUNK_BITS;
  const d = e.lineDelta[c];
  let sum = 0;
  for (let j = i & CHUNK_MASK; j > 0; j--) {
    if (d[j] === FAR) return e.farLines!.get((c << CHUNK_BITS) + j)! + sum;
    sum += d[j];
  }
  return e.lineBase[c] + sum;
}

/** Every sample's line, in one pass (for sorting, which moves them). */
function decodeLines(e: SeriesEntry): Uint32Array {
  const out = new Uint32Array(e.n);
  for (let c = 0; c < e.lineDelta.length; c++) {
    const d = e.lineDelta[c];
    const from = c << CHUNK_BITS;
    const len = Math.min(d.length, e.n - from);
    let line = e.lineBase[c];
    out[from] = line;
    for (let j = 1; j < len; j++) {
      line = d[j] === FAR ? e.farLines!.get(from + j)! : line + d[j];
      out[from + j] = line;
    }
  }
  return out;
}

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
      e = {
        metric,
        labels: norm,
        key,
        kind,
        n: 0,
        tChunks: [],
        vChunks: [],
        lineBase: [],
        lineDelta: [],
        farLines: undefined,
        lastLine: 0,
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
      if (t < 0 || t >= FAR_MS) this.outOfRange(e, file, t, line);
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
        if (t < 0 || t >= FAR_MS) this.outOfRange(e, file, t, line);
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
      // One copy of exactly n samples; the chunks go.
      let t: Float64Array = new Float64Array(e.n);
      let v: Float64Array = new Float64Array(e.n);
      for (let c = 0; c < e.tChunks.length; c++) {
        const from = c << CHUNK_BITS;
        const len = Math.min(CHUNK, e.n - from);
        t.set(len === CHUNK ? e.tChunks[c] : e.tChunks[c].subarray(0, len), from);
        v.set(len === CHUNK ? e.vChunks[c] : e.vChunks[c].subarray(0, len), from);
      }
      e.tChunks = [];
      e.vChunks = [];
      let lines: (i: number) => number = (i) => lineAt(e, i);
      let src = e.src;
      if (e.unsorted) {
        const all = decodeLines(e);
        const m = this.sortAndMerge(e, t, v, (i) => all[i]);
        t = m.t;
        v = m.v;
        src = m.src;
        const merged = m.line;
        lines = (i) => merged[i];
      }
      this.check(e, t, v, t.length, lines, src);
      e.lineBase = [];
      e.lineDelta = [];
      e.farLines = undefined;
      out.push({ metric: e.metric, labels: e.labels, t, v });
    }
    return out;
  }

  private fileOfSrc(e: SeriesEntry, src: Uint16Array | undefined, i: number): string {
    return this.files[src ? src[i] : e.firstFile];
  }

  private outOfRange(e: SeriesEntry, file: number, t: number, line: number): void {
    this.sink.add(
      t < 0
        ? { code: 'data/negative-timestamp', file: this.files[file], line, series: e.key, message: `timestamp ${formatTime(t)} is before 1970: kept, but promtool may drop it (it starts its first block at 0)` }
        : {
            code: 'data/far-timestamp',
            file: this.files[file],
            line,
            series: e.key,
            message: `timestamp ${formatTime(t)} is after the year 9999: it looks like milliseconds (or microseconds) where seconds are expected; kept as read`,
          },
    );
  }

  private switchFile(e: SeriesEntry, file: number): void {
    if (e.n > 0) {
      e.unsorted = true;
      if (!e.src) e.src = new Uint16Array(Math.max(64, e.n * 2)).fill(e.firstFile);
    }
    e.curFile = file;
    e.lastT = -Infinity;
    e.lastV = NaN;
    e.blockMax = undefined;
  }

  private push(e: SeriesEntry, file: number, t: number, v: number, line: number): void {
    const i = e.n;
    const c = i >>> CHUNK_BITS;
    const j = i & CHUNK_MASK;
    if (j === 0) {
      // A new chunk: the first ones small (most series of a small file have few samples).
      const size = c === 0 ? 256 : CHUNK;
      e.tChunks.push(new Float64Array(size));
      e.vChunks.push(new Float64Array(size));
      e.lineDelta.push(new Uint16Array(size));
      e.lineBase.push(line);
    } else if (c === 0 && j === e.tChunks[0].length) {
      // The first chunk grows to a whole one.
      const grow = <A extends Float64Array | Uint16Array>(a: A, b: A): A => {
        b.set(a);
        return b;
      };
      e.tChunks[0] = grow(e.tChunks[0], new Float64Array(CHUNK));
      e.vChunks[0] = grow(e.vChunks[0], new Float64Array(CHUNK));
      e.lineDelta[0] = grow(e.lineDelta[0], new Uint16Array(CHUNK));
    }
    e.tChunks[c][j] = t;
    e.vChunks[c][j] = v;
    if (j > 0) {
      const d = line - e.lastLine;
      if (d >= 0 && d < FAR) e.lineDelta[c][j] = d;
      else {
        e.lineDelta[c][j] = FAR;
        (e.farLines ??= new Map()).set(i, line);
      }
    }
    e.lastLine = line;
    if (e.src) {
      if (i === e.src.length) {
        const b = new Uint16Array(i * 2);
        b.set(e.src);
        e.src = b;
      }
      e.src[i] = file;
    }
    e.n++;
  }

  private inFile(e: SeriesEntry, i: number, file: number): boolean {
    return e.src ? e.src[i] === file : e.firstFile === file;
  }

  private blockMaxima(e: SeriesEntry, file: number): Map<number, number> {
    const m = new Map<number, number>();
    for (let i = 0; i < e.n; i++) {
      if (!this.inFile(e, i, file)) continue;
      const ti = tAt(e, i);
      const b = block(ti);
      const cur = m.get(b);
      if (cur === undefined || ti > cur) m.set(b, ti);
    }
    return m;
  }

  private valueAt(e: SeriesEntry, file: number, t: number): number {
    for (let i = e.n - 1; i >= 0; i--) if (tAt(e, i) === t && this.inFile(e, i, file)) return vAt(e, i);
    return NaN;
  }

  /** Sorts by time (stable: file order breaks ties), then keeps the first sample of each timestamp. */
  private sortAndMerge(e: SeriesEntry, t0: Float64Array, v0: Float64Array, lineOf: (i: number) => number): { t: Float64Array; v: Float64Array; line: Uint32Array; src: Uint16Array | undefined } {
    const n0 = t0.length;
    const idx = new Uint32Array(n0);
    for (let i = 0; i < n0; i++) idx[i] = i;
    idx.sort((a, b) => t0[a] - t0[b] || a - b);
    let t = new Float64Array(n0);
    let v = new Float64Array(n0);
    let line = new Uint32Array(n0);
    let src = e.src ? new Uint16Array(n0) : undefined;
    let n = 0;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      if (n > 0 && t[n - 1] === t0[i]) {
        const kept = v[n - 1];
        const keptFile = this.files[src ? src[n - 1] : e.firstFile];
        const same = sameValue(kept, v0[i]);
        this.sink.add({
          code: same ? 'data/duplicate-sample' : 'data/duplicate-timestamp',
          file: this.fileOfSrc(e, e.src, i),
          line: lineOf(i),
          series: e.key,
          message: same
            ? `the sample at ${formatTime(t0[i])} (value ${formatPromFloat(kept)}) is also in ${keptFile}: merged`
            : `a second value ${formatPromFloat(v0[i])} at ${formatTime(t0[i])}, where ${keptFile} has ${formatPromFloat(kept)}: the first file's is kept`,
        });
        continue;
      }
      t[n] = t0[i];
      v[n] = v0[i];
      line[n] = lineOf(i);
      if (src) src[n] = e.src![i];
      n++;
    }
    if (n < n0) {
      t = t.slice(0, n);
      v = v.slice(0, n);
      line = line.slice(0, n);
      src = src?.slice(0, n);
    }
    return { t, v, line, src };
  }

  /** NaN/±Inf, negative counters, counter resets and gaps longer than the lookback, in time order. */
  private check(e: SeriesEntry, t: Float64Array, v: Float64Array, n: number, lineOf: (i: number) => number, src: Uint16Array | undefined): void {
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
            file: this.fileOfSrc(e, src, i),
            line: lineOf(i),
            series: e.key,
            message: `counter goes down from ${formatPromFloat(prev)} to ${formatPromFloat(x)} at ${formatTime(t[i])}: a reset (increase() and rate() count from 0 again, as in Prometheus)`,
          });
        }
        prev = x;
      }
      if (i > 0 && t[i] - t[i - 1] > this.lookbackMs) {
        this.sink.add({
          code: 'data/gap',
          file: this.fileOfSrc(e, src, i),
          line: lineOf(i),
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
        file: this.fileOfSrc(e, src, firstBad),
        line: lineOf(firstBad),
        series: e.key,
        message: `${what} value${nan + inf > 1 ? 's' : ''} (first at ${formatTime(t[firstBad])}): kept, as Prometheus stores them${counter ? '; increase() and rate() over a window that holds one are NaN or ±Inf' : ''}`,
      });
    }
    if (negative >= 0) {
      this.sink.add({
        code: 'data/type',
        file: this.fileOfSrc(e, src, negative),
        line: lineOf(negative),
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
