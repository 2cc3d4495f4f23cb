// Selecting series with PromQL label matchers, as Prometheus does: `=`, `!=`, `=~`, `!~`; a regex
// is RE2 (re2js, a port of Go's engine, so `\pL`, `[[:alpha:]]` and `(?i)` mean what they mean in
// Prometheus, and matching takes linear time whatever the pattern) anchored at both ends
// (`^(?:re)$`), compiled once per distinct pattern (model/prom-regex.ts); an absent label has the
// value "" (so `{team=""}` matches series without `team`); the metric name is the label `__name__`.
import { promRegex } from '../model/prom-regex.js';
import type { Series } from './series.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOp;
  /** The value, unescaped; a regex for `=~` and `!~`. */
  readonly value: string;
}

/** What a selector says: an optional metric name (`__name__ = metric`) and matchers. */
export interface SelectorLike {
  readonly metric?: string;
  readonly matchers: readonly LabelMatcher[];
}

/** A label value of a series as PromQL sees it: `__name__` is the metric, an absent label is "". */
export function labelValue(s: Series, label: string): string {
  if (label === '__name__') return s.metric;
  return s.labels[label] ?? '';
}

export type SeriesPredicate = (s: Series) => boolean;

/** A predicate for one matcher, or the reason its regex is not valid RE2. */
export function compileMatcher(m: LabelMatcher): SeriesPredicate | { readonly error: string } {
  switch (m.op) {
    case '=':
      return (s) => labelValue(s, m.label) === m.value;
    case '!=':
      return (s) => labelValue(s, m.label) !== m.value;
    case '=~':
    case '!~': {
      const re = promRegex(m.value);
      if ('error' in re) return { error: `invalid regex ${JSON.stringify(m.value)} for label '${m.label}': ${re.error}` };
      const want = m.op === '=~';
      return (s) => re.matches(labelValue(s, m.label)) === want;
    }
  }
}

/** The matchers of a selector, the metric name first (as `__name__ = metric`). */
export function selectorMatchers(sel: SelectorLike): LabelMatcher[] {
  return sel.metric === undefined ? [...sel.matchers] : [{ label: '__name__', op: '=', value: sel.metric }, ...sel.matchers];
}

export interface Selection {
  readonly series: Series[];
  /** Why nothing could be selected (an invalid regex), when that is the case. */
  readonly error?: string;
}

/** The series that match every matcher of the selector, in their input order. */
export function selectSeries(all: readonly Series[], sel: SelectorLike): Selection {
  const matchers = selectorMatchers(sel);
  const preds: SeriesPredicate[] = [];
  for (const m of matchers) {
    const p = compileMatcher(m);
    if (typeof p !== 'function') return { series: [], error: p.error };
    preds.push(p);
  }
  // Only the series with the value of an `=` matcher can match: the fewest of those, from an index.
  let pool: readonly Series[] = all;
  if (all.length >= INDEX_MIN) {
    for (const m of matchers) {
      if (m.op !== '=') continue;
      const bucket = byValue(all, m.label).get(m.value) ?? [];
      if (bucket.length < pool.length) pool = bucket;
    }
  }
  return { series: pool.filter((s) => preds.every((p) => p(s))) };
}

/** Below this many series a scan is as cheap as an index. */
const INDEX_MIN = 64;

interface LabelIndex {
  readonly length: number;
  readonly byLabel: Map<string, Map<string, Series[]>>;
}

// Per array of series (the sample data's, selected from by every SLI): label → value → its series in
// input order (an absent label under ""). Built one label at a time, when a selector first asks.
const indexes = new WeakMap<readonly Series[], LabelIndex>();

function byValue(all: readonly Series[], label: string): Map<string, Series[]> {
  let ix = indexes.get(all);
  if (ix === undefined || ix.length !== all.length) {
    ix = { length: all.length, byLabel: new Map() };
    indexes.set(all, ix);
  }
  let m = ix.byLabel.get(label);
  if (m === undefined) {
    m = new Map();
    for (const s of all) {
      const v = labelValue(s, label);
      const list = m.get(v);
      if (list) list.push(s);
      else m.set(v, [s]);
    }
    ix.byLabel.set(label, m);
  }
  return m;
}
