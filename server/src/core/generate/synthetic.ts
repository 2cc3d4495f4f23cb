// Label sets for synthetic series: a concrete series that a selector matches (or that one selector
// matches and another does not), for the generated `promtool test rules` files. Regexes are RE2,
// anchored as PromQL anchors them; candidate values come from the matchers themselves (literal
// values, the literal branches of a regex, a shortest example string of a regex) and are verified
// with the checker's and the evaluator's RE2 (model/prom-regex.ts), so a label set found here is one
// Prometheus selects.
import { promRegex } from '../model/prom-regex.js';
import type { Matcher, Selector } from '../model/model.js';

export type Labels = Record<string, string>;

function matches(m: Matcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    default: {
      const r = promRegex(m.value);
      if ('error' in r) return false;
      const ok = r.matches(value);
      return m.op === '=~' ? ok : !ok;
    }
  }
}

/**
 * A short string the regex matches, built from its first alternatives (`5..` → `5aa`,
 * `par|lyo` → `par`, `/api/.*` → `/api/`), or undefined when the regex is beyond this sketch; the
 * caller verifies the result.
 */
export function exampleOf(re: string): string | undefined {
  let i = 0;
  const alt = (): string | undefined => {
    const first = seq();
    while (i < re.length && re[i] === '|') {
      i++;
      seq();
    }
    return first;
  };
  const seq = (): string | undefined => {
    let out = '';
    while (i < re.length && re[i] !== '|' && re[i] !== ')') {
      const atom = one();
      if (atom === undefined) return undefined;
      // Quantifier: the fewest repetitions it allows.
      const q = re[i];
      if (q === '*' || q === '?') {
        i++;
        if (re[i] === '?') i++;
        continue;
      }
      if (q === '+') {
        i++;
        if (re[i] === '?') i++;
        out += atom;
        continue;
      }
      if (q === '{') {
        const m = /^\{(\d+)(,\d*)?\}\??/.exec(re.slice(i));
        if (m) {
          i += m[0].length;
          out += atom.repeat(Number(m[1]));
          continue;
        }
      }
      out += atom;
    }
    return out;
  };
  const one = (): string | undefined => {
    const c = re[i++];
    if (c === '(') {
      if (re[i] === '?') {
        if (re[i + 1] !== ':') return undefined;
        i += 2;
      }
      const inner = alt();
      if (re[i++] !== ')') return undefined;
      return inner;
    }
    if (c === '[') {
      const end = re.indexOf(']', i + 1);
      if (end < 0) return undefined;
      const body = re.slice(i, end);
      i = end + 1;
      if (body.startsWith('^')) return ['a', '0', '_', '-', 'z'].find((x) => !body.includes(x)) ?? undefined;
      return body[0] === '\\' ? undefined : body[0];
    }
    if (c === '\\') {
      const e = re[i++];
      if (e === 'd') return '0';
      if (e === 'w') return 'a';
      if (e === 's') return ' ';
      if (/[A-Za-z0-9]/.test(e ?? '')) return undefined;
      return e;
    }
    if (c === '.') return 'a';
    if (c === '^' || c === '$') return '';
    if (c === undefined || c === '*' || c === '+' || c === '?' || c === '{') return undefined;
    return c;
  };
  const r = alt();
  return i === re.length ? r : undefined;
}

/** Values worth trying for a label, from every matcher on it. */
function candidates(ms: readonly Matcher[]): string[] {
  const out = new Set<string>();
  for (const m of ms) {
    if (m.op === '=' || m.op === '!=') out.add(m.value);
    else {
      const ex = exampleOf(m.value);
      if (ex !== undefined) out.add(ex);
      for (const branch of m.value.split('|')) if (/^[\w./:-]*$/.test(branch)) out.add(branch);
    }
  }
  for (const extra of ['', 'pace', 'pace_other', '0']) out.add(extra);
  for (const m of ms) if (m.op === '=' || m.op === '!=') out.add(`${m.value}_pace`);
  return [...out];
}

function byLabel(ms: readonly Matcher[]): Map<string, Matcher[]> {
  const out = new Map<string, Matcher[]>();
  for (const m of ms) out.set(m.label, [...(out.get(m.label) ?? []), m]);
  return out;
}

function solve(must: readonly Matcher[], mustNot?: Matcher): Labels | undefined {
  const labels: Labels = {};
  const groups = byLabel(must);
  if (mustNot && !groups.has(mustNot.label)) groups.set(mustNot.label, []);
  for (const [label, ms] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const pool = candidates(mustNot && mustNot.label === label ? [...ms, mustNot] : ms);
    const ok = pool.find((v) => ms.every((m) => matches(m, v)) && (!mustNot || mustNot.label !== label || !matches(mustNot, v)));
    if (ok === undefined) return undefined;
    if (ok !== '') labels[label] = ok;
  }
  return labels;
}

export interface SeriesSpec {
  readonly metric: string;
  readonly labels: Labels;
}

const sameMatcher = (a: Matcher, b: Matcher) => a.label === b.label && a.op === b.op && a.value === b.value;

function withName(sel: Pick<Selector, 'metric' | 'matchers'>): Matcher[] | undefined {
  if (sel.metric === undefined && !sel.matchers.some((m) => m.label === '__name__' && m.op === '=')) return undefined;
  return sel.metric === undefined ? [...sel.matchers] : [{ label: '__name__', op: '=', value: sel.metric }, ...sel.matchers];
}

function toSpec(labels: Labels): SeriesSpec {
  const { __name__: metric, ...rest } = labels;
  return { metric, labels: rest };
}

/** A series every selector matches; undefined when none is found. */
export function seriesMatchingAll(...sels: Pick<Selector, 'metric' | 'matchers'>[]): SeriesSpec | undefined {
  const all: Matcher[] = [];
  for (const s of sels) {
    const ms = withName(s);
    if (!ms) return undefined;
    all.push(...ms);
  }
  const labels = solve(all);
  return labels && labels.__name__ ? toSpec(labels) : undefined;
}

/** A series that `outer` matches and `inner` does not (total events that are not good ones); undefined when none is found. */
export function seriesMatchingOnly(outer: Pick<Selector, 'metric' | 'matchers'>, inner: Pick<Selector, 'metric' | 'matchers'>): SeriesSpec | undefined {
  const o = withName(outer);
  const n = withName(inner);
  if (!o || !n) return undefined;
  for (const m of n) {
    if (o.some((x) => sameMatcher(x, m))) continue;
    const labels = solve(o, m);
    if (labels && labels.__name__) return toSpec(labels);
  }
  return undefined;
}

/** `metric{a="x", b="y"}` as promtool's input_series reads it. */
export function seriesText(s: SeriesSpec): string {
  const ls = Object.keys(s.labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(s.labels[k])}`);
  return ls.length ? `${s.metric}{${ls.join(', ')}}` : s.metric;
}
