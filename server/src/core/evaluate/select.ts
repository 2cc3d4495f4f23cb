// Selecting series with PromQL label matchers, as Prometheus does: `=`, `!=`, `=~`, `!~`; a regex
// is RE2 (re2js, a port of Go's engine, so `\pL`, `[[:alpha:]]` and `(?i)` mean what they mean in
// Prometheus) anchored at both ends (`^(?:re)$`); an absent label has the value "" (so
// `{team=""}` matches series without `team`); the metric name is the label `__name__`.
import { RE2JS } from 're2js';
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
      let re: RE2JS;
      try {
        re = RE2JS.compile(`^(?:${m.value})$`);
      } catch (e) {
        return { error: `invalid regex ${JSON.stringify(m.value)} for label '${m.label}': ${(e as Error).message}` };
      }
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
  const preds: SeriesPredicate[] = [];
  for (const m of selectorMatchers(sel)) {
    const p = compileMatcher(m);
    if (typeof p !== 'function') return { series: [], error: p.error };
    preds.push(p);
  }
  return { series: all.filter((s) => preds.every((p) => p(s))) };
}
