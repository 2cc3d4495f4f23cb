// What-if scenarios for the preview (resilience testing on sample data, as Chaos Monkey does on
// purpose): `outage payments_api 30m at 2026-10-12T10:00Z` or `errors checkout 5% 2h at …` makes
// a share s of a service's events fail over a span (an outage: s = 1), propagates it through hard
// dependencies (`depends_on`, transitively; `soft_depends_on` is not followed), rewrites the sample
// data accordingly and previews it again, beside the baseline. Pure: text and model in, data and
// figures out (docs/preview.md, "What if").
//
// How the data is rewritten, for every ratio and latency SLI of every affected service. The
// increment of a counter between two samples, (t₀, t₁], is assumed spread evenly over that interval;
// f is the share of it inside the span [start, end], so the injected share of it is s·f:
// - good series: increments × (1 − s·f). When the good series are part of `total` (good is
//   `x{code!~"5.."}`, total is `x`), the events taken from a good series are added to the bad series
//   of `total` most like it (most equal labels), so that `total` keeps its value.
// - bad series that are part of `total`: the good series of `total` lose s·f of their increments
//   to them, as above. Bad series separate from `total` (`errors_total` over `requests_total`):
//   increments × (1 − s·f) plus s·f × the increments of `total` (the series most like them), so
//   that bad/total becomes bad + s × (total − bad), exactly the share of good events that fail.
// - latency: every `_bucket` at or under the threshold × (1 − s·f); `_count` and the buckets above
//   are unchanged (the slowed events land just above the threshold).
// Counters stay counters: values are rebuilt from the rewritten increments, monotone between
// resets, and a reset stays a reset (the value after it restarts from the rewritten increment), so
// `increase`/`rate` over any window see exactly the injected share. NaN samples are kept as they are.
import leven from 'leven';
import { DURATION_UNITS } from '../../../../grammar/src/units.js';
import { formatDuration, formatPercent, percentText } from '../budget/budget.js';
import type { NormalizedModel, Service } from '../model/model.js';
import { preview, type AlertFiring, type PreviewIssue, type PreviewOptions, type PreviewResult, type SlaPreview, type SloPreview } from './preview.js';
import { rfc3339 } from './preview-json.js';
import { labelValue, selectSeries } from './select.js';
import { seriesKey, type SampleData, type Series } from './series.js';

// ---------------------------------------------------------------------------------------------
// The spec

export interface WhatIfSpec {
  /** As written (whitespace collapsed). */
  readonly text: string;
  readonly kind: 'outage' | 'errors';
  /** The service id where it is injected: `service:payments_api`. */
  readonly service: string;
  /** The share of events that fail, in (0, 1]; 1 for an outage. */
  readonly share: number;
  /** Unix ms: the span [start, end]. */
  readonly start: number;
  readonly end: number;
}

/** A problem in a spec, located by a 1-based column in its text. */
export interface WhatIfSyntaxError {
  readonly message: string;
  readonly column: number;
}

export type WhatIfParse = { readonly spec: WhatIfSpec; readonly error?: undefined } | { readonly spec?: undefined; readonly error: WhatIfSyntaxError };

const GRAMMAR = "'outage SERVICE DURATION at TIME' or 'errors SERVICE PERCENT DURATION at TIME'";

/** The one-line message of a spec's error: `--what-if 'outage x 30m at …', column 8: no service 'x'…`. */
export function whatIfErrorText(text: string, e: WhatIfSyntaxError): string {
  return `--what-if '${text}', column ${e.column}: ${e.message}`;
}

/** A close name, if one is plausibly a typo of `word`. */
function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = leven(word.toLowerCase(), c.toLowerCase());
    if (d < bestD || (d === bestD && best !== undefined && c < best)) [best, bestD] = [c, d];
  }
  if (best === undefined || Math.min(word.length, best.length) < 3) return undefined;
  return bestD <= Math.max(1, Math.floor(Math.max(word.length, best.length) / 3)) ? best : undefined;
}

/** `30m`, `2h`, `1h30m`, `90s` → ms; undefined when it is not a duration. */
export function parseSpecDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;
  let ms = 0;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    ms += Number(m[1]) * DURATION_UNITS[m[2]];
    i = re.lastIndex;
  }
  return text.length ? ms : undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * RFC 3339 (`2026-10-12T10:00:00Z`, `2026-10-12T12:00+02:00`; seconds may be left out, as `--at`
 * allows) → Unix ms, or a reason.
 */
export function parseSpecTime(text: string): number | string {
  const m = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?([Zz]|([+-])(\d\d):(\d\d))$/.exec(text);
  if (!m) return `'${text}' is not an RFC 3339 time: expected such as 2026-10-12T10:00Z or 2026-10-12T12:00:00+02:00`;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k] ?? 0));
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (mo < 1 || mo > 12) return `'${text}': there is no month ${m[2]}`;
  const days = mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1];
  if (d < 1 || d > days) return `'${text}': ${m[1]}-${m[2]} has no day ${m[3]}`;
  if (h > 23 || mi > 59 || s > 59) return `'${text}': ${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''} is not a time of day`;
  const offset = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000 : 0;
  if (m[9] && (Number(m[10]) > 23 || Number(m[11]) > 59)) return `'${text}': ${m[9]}${m[10]}:${m[11]} is not a UTC offset`;
  const frac = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s, frac) - offset;
}

/** Parses one `--what-if` against the model's services. Never throws. */
export function parseWhatIf(input: string, model: Pick<NormalizedModel, 'services'>): WhatIfParse {
  const text = input.trim().replace(/\s+/g, ' ');
  const tokens = [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], column: (m.index ?? 0) + 1 }));
  const end = text.length + 1;
  const fail = (column: number, message: string): WhatIfParse => ({ error: { column, message } });
  let k = 0;
  const next = () => tokens[k++];
  const kindTok = next();
  if (!kindTok) return fail(1, `an empty what-if: expected ${GRAMMAR}`);
  if (kindTok.text !== 'outage' && kindTok.text !== 'errors') {
    const s = suggest(kindTok.text, ['outage', 'errors']);
    return fail(kindTok.column, `'${kindTok.text}' is not a what-if${s ? `; did you mean '${s}'?` : `: expected ${GRAMMAR}`}`);
  }
  const kind = kindTok.text;
  const serviceTok = next();
  if (!serviceTok) return fail(end, `expected a service after '${kind}'`);
  const name = serviceTok.text.replace(/^service:/, '');
  const service = model.services.find((s) => s.name === name);
  if (!service) {
    const names = model.services.map((s) => s.name);
    const s = suggest(name, names);
    return fail(serviceTok.column, `no service '${name}'${s ? `; did you mean '${s}'?` : names.length ? ` (the services are ${[...names].sort().join(', ')})` : ' (the project has no services)'}`);
  }
  let share = 1;
  if (kind === 'errors') {
    const shareTok = next();
    if (!shareTok) return fail(end, `expected the share of events that fail after '${serviceTok.text}' (such as 5%)`);
    const m = /^([+-]?\d+(?:\.\d+)?)%$/.exec(shareTok.text);
    if (!m) return fail(shareTok.column, `'${shareTok.text}' is not a percentage: expected the share of events that fail, such as 5% or 0.5%`);
    share = Number(m[1]) / 100;
    if (!(share > 0 && share <= 1)) return fail(shareTok.column, `${shareTok.text} is outside (0, 100%]: the share of events that fail must be above 0% and at most 100%`);
  }
  const durTok = next();
  if (!durTok) return fail(end, `expected a duration (such as 30m or 2h) after '${tokens[k - 2].text}'`);
  const ms = parseSpecDuration(durTok.text);
  if (ms === undefined) {
    const hint = /^\d+(\.\d+)?$/.test(durTok.text) ? ' (a duration needs a unit: ms, s, m, h, d or w)' : ': expected a number and a unit (ms, s, m, h, d, w), such as 30m, 2h or 1h30m';
    return fail(durTok.column, `'${durTok.text}' is not a duration${hint}`);
  }
  if (!(ms > 0)) return fail(durTok.column, `the duration ${durTok.text} is empty: it must be longer than 0`);
  const atTok = next();
  if (!atTok) return fail(end, `expected 'at TIME' after '${durTok.text}'`);
  if (atTok.text !== 'at') return fail(atTok.column, `expected 'at' before the time, not '${atTok.text}'`);
  const timeTok = next();
  if (!timeTok) return fail(end, `expected an RFC 3339 time after 'at' (such as 2026-10-12T10:00Z)`);
  const start = parseSpecTime(timeTok.text);
  if (typeof start === 'string') return fail(timeTok.column, start);
  const extra = next();
  if (extra) return fail(extra.column, `unexpected '${extra.text}' after the time: expected ${GRAMMAR}`);
  return { spec: { text, kind, service: service.id, share, start, end: start + ms } };
}

/** The reason a parsed spec cannot change the data (its span misses it), or undefined. */
export function whatIfOutsideData(spec: WhatIfSpec, span: { start: number; end: number } | null): string | undefined {
  if (!span) return undefined;
  if (spec.end <= span.start || spec.start >= span.end) {
    return `the span ${rfc3339(spec.start)} to ${rfc3339(spec.end)} lies outside the sample data (${rfc3339(span.start)} to ${rfc3339(span.end)}): it would change nothing`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Propagation

export interface AffectedService {
  readonly service: string;
  /** null for the service the spec names; else the affected service it hard-depends on. */
  readonly via: string | null;
  /** From the injected service to this one: `[service:a, service:b, service:c]`. */
  readonly path: readonly string[];
  /** `injected`, or `depends_on payments_api` (with the rest of the chain). */
  readonly reason: string;
}

/** A soft dependency on an affected service: not followed. */
export interface SoftStop {
  readonly service: string;
  readonly softDependsOn: string;
}

export interface Propagation {
  readonly affected: readonly AffectedService[];
  readonly notPropagated: readonly SoftStop[];
}

const short = (id: string) => id.replace(/^[a-z]+:/, '');

/** Chains up to this many services are spelt out in a reason; longer ones show their ends. */
const REASON_CHAIN = 8;

/**
 * The entry of `service`, reached from `via`. Its path is built when read and its reason shows at
 * most REASON_CHAIN services: on a chain of 10,000 services, copying every path and spelling out
 * every chain took minutes and gigabytes (the sum of their lengths is quadratic).
 */
function dependent(service: string, via: AffectedService, root: string): AffectedService {
  const links: string[] = [];
  let n: AffectedService | undefined = via;
  for (let k = 0; n && k < REASON_CHAIN; k++) {
    links.push(short(n.service));
    n = n.via === null ? undefined : (n as Dependent).parent;
  }
  const length = (via.via === null ? 0 : (via as Dependent).depth) + 1;
  const chain = length <= REASON_CHAIN ? links.join(' → ') : `${links.slice(0, REASON_CHAIN - 1).join(' → ')} → … (${(length - REASON_CHAIN).toLocaleString('en-US')} more) → ${short(root)}`;
  let path: string[] | undefined;
  const a = {
    service,
    via: via.service,
    reason: `depends_on ${chain}`,
    get path(): readonly string[] {
      if (path === undefined) {
        // Walked back to the injected service (a getter calling its parent's would recurse 10,000 deep).
        path = [service];
        for (let n: AffectedService | undefined = via; n; n = n.via === null ? undefined : (n as Dependent).parent) path.push(n.service);
        path.reverse();
      }
      return path;
    },
  };
  // Bookkeeping, not part of the entry.
  Object.defineProperty(a, 'parent', { value: via, enumerable: false });
  Object.defineProperty(a, 'depth', { value: length, enumerable: false });
  return a;
}

interface Dependent extends AffectedService {
  readonly parent: AffectedService;
  /** Services from this one's dependency back to the injected one. */
  readonly depth: number;
}

/** The services a failure of `serviceId` reaches through `depends_on`, breadth first (so each by its shortest chain). */
export function propagateWhatIf(model: Pick<NormalizedModel, 'services'>, serviceId: string): Propagation {
  const services = [...model.services].sort((a, b) => a.id.localeCompare(b.id));
  // Dependents by dependency, each list in the services' order: one pass, not a scan of every
  // service for every affected one (quadratic on a long chain).
  const dependents = new Map<string, (typeof services)[number][]>();
  for (const s of services) {
    for (const d of new Set(s.dependsOn)) {
      const list = dependents.get(d);
      if (list) list.push(s);
      else dependents.set(d, [s]);
    }
  }
  const affected: AffectedService[] = [{ service: serviceId, via: null, path: [serviceId], reason: 'injected' }];
  const seen = new Map<string, AffectedService>([[serviceId, affected[0]]]);
  for (let i = 0; i < affected.length; i++) {
    const cur = affected[i];
    for (const s of dependents.get(cur.service) ?? []) {
      if (seen.has(s.id)) continue;
      const a = dependent(s.id, cur, serviceId);
      seen.set(s.id, a);
      affected.push(a);
    }
  }
  const notPropagated: SoftStop[] = [];
  for (const s of services) {
    if (seen.has(s.id)) continue;
    for (const d of s.softDependsOn) if (seen.has(d)) notPropagated.push({ service: s.id, softDependsOn: d });
  }
  return { affected, notPropagated };
}

// ---------------------------------------------------------------------------------------------
// Rewriting the data

interface Plan {
  readonly scaled: Set<Series>;
  /** Target → the series whose injected share of increments it receives. */
  readonly receives: Map<Series, Set<Series>>;
}

/** The candidate most like `s`: same metric first, then the most equal labels; the first on ties. */
function mostLike(s: Series, candidates: readonly Series[]): Series {
  let best = candidates[0];
  let bestScore = -1;
  for (const c of candidates) {
    let score = c.metric === s.metric ? 1000 : 0;
    for (const [k, v] of Object.entries(s.labels)) if (c.labels[k] === v) score++;
    if (score > bestScore) [best, bestScore] = [c, score];
  }
  return best;
}

function receive(plan: Plan, target: Series, from: Series): void {
  let set = plan.receives.get(target);
  if (!set) plan.receives.set(target, (set = new Set()));
  set.add(from);
}

function planService(service: Service, data: readonly Series[], plan: Plan, issues: PreviewIssue[]): void {
  for (const sli of service.slis) {
    if (sli.kind === 'ratio') {
      const num = sli.bad ?? sli.good;
      if (!num) continue;
      const n = selectSeries(data, num);
      const t = selectSeries(data, sli.total);
      if (n.error || t.error || !n.series.length || !t.series.length) continue; // the preview reports it
      const numSet = new Set(n.series);
      const totalSet = new Set(t.series);
      if (sli.good) {
        const bad = t.series.filter((x) => !numSet.has(x));
        for (const g of n.series) {
          plan.scaled.add(g);
          if (!totalSet.has(g)) continue;
          if (bad.length) receive(plan, mostLike(g, bad), g);
          else
            issues.push({
              severity: 'warning',
              code: 'preview/what-if-no-bad-series',
              message: `${sli.id}: every series of its total is a good series, so the failed events have no series to go to: its total drops by them.`,
              subject: sli.id,
            });
        }
      } else {
        const inside = n.series.filter((x) => totalSet.has(x));
        if (inside.length) {
          for (const u of t.series) {
            if (numSet.has(u)) continue;
            plan.scaled.add(u);
            receive(plan, mostLike(u, inside), u);
          }
        } else {
          for (const b of n.series) plan.scaled.add(b);
          for (const u of t.series) receive(plan, mostLike(u, n.series), u);
        }
      }
    } else if (sli.kind === 'latency') {
      const base = sli.histogram.metric;
      if (base === undefined) continue;
      const matchers = sli.histogram.matchers.filter((m) => m.label !== 'le');
      const buckets = selectSeries(data, { metric: `${base}_bucket`, matchers });
      for (const b of buckets.series) {
        const le = Number(labelValue(b, 'le'));
        if (labelValue(b, 'le') !== '' && le <= sli.underSeconds) plan.scaled.add(b);
      }
    } else {
      issues.push({
        severity: 'info',
        code: 'preview/what-if-not-injected',
        message: `${sli.id}: a ${sli.kind} SLI is not rewritten by a what-if (${sli.kind === 'promql' ? 'its PromQL is computed by the monitoring system' : 'a share of failed events says nothing about the gauge it reads'}): its figures stay the baseline's.`,
        subject: sli.id,
      });
    }
  }
}

/** A counter's samples without NaN, with the cumulative injected share of its increments. */
interface Injected {
  readonly t: number[];
  readonly c: number[];
}

/** The share of (t0, t1] inside [start, end]. */
function overlap(t0: number, t1: number, start: number, end: number): number {
  const len = t1 - t0;
  if (!(len > 0)) return 0;
  return Math.max(0, Math.min(t1, end) - Math.max(t0, start)) / len;
}

/** Each increment (resets as Prometheus sees them) of the finite samples of s: `fn(i, prevIndex, increment, reset)`. */
function eachIncrement(s: Series, fn: (i: number, prev: number, d: number, reset: boolean) => void): void {
  let prev = -1;
  for (let i = 0; i < s.v.length; i++) {
    const v = s.v[i];
    if (!Number.isFinite(v)) continue;
    if (prev >= 0) {
      const reset = v < s.v[prev];
      fn(i, prev, reset ? v : v - s.v[prev], reset);
    }
    prev = i;
  }
}

function injectedOf(s: Series, spec: WhatIfSpec): Injected {
  const t: number[] = [];
  const c: number[] = [];
  let first = true;
  let acc = 0;
  for (let i = 0; i < s.v.length; i++) {
    if (first && Number.isFinite(s.v[i])) {
      t.push(s.t[i]);
      c.push(0);
      first = false;
    }
  }
  eachIncrement(s, (i, prev, d) => {
    acc += d * spec.share * overlap(s.t[prev], s.t[i], spec.start, spec.end);
    t.push(s.t[i]);
    c.push(acc);
  });
  return { t, c };
}

/** The cumulative injected events of a source at time x (linear between its samples). */
function at(inj: Injected, x: number): number {
  const { t, c } = inj;
  if (!t.length || x <= t[0]) return 0;
  if (x >= t[t.length - 1]) return c[c.length - 1];
  let lo = 0;
  let hi = t.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t[mid] <= x) lo = mid;
    else hi = mid;
  }
  if (t[lo] === x) return c[lo];
  return c[lo] + ((c[hi] - c[lo]) * (x - t[lo])) / (t[hi] - t[lo]);
}

function rewrite(s: Series, scaled: boolean, sources: readonly Injected[], spec: WhatIfSpec, issues: PreviewIssue[]): Series {
  const v = s.v.slice(); // NaN samples (stale markers included) keep their bits
  let prevOut = NaN;
  let started = false;
  let lost = 0;
  let firstLost = 0;
  for (let i = 0; i < s.v.length; i++) {
    if (!Number.isFinite(s.v[i])) continue;
    prevOut = s.v[i];
    started = true;
    break;
  }
  if (!started) return s;
  eachIncrement(s, (i, prev, d, reset) => {
    let inc = scaled ? d * (1 - spec.share * overlap(s.t[prev], s.t[i], spec.start, spec.end)) : d;
    for (const src of sources) inc += at(src, s.t[i]) - at(src, s.t[prev]);
    const out = (reset ? 0 : prevOut) + inc;
    if (reset && !(out < prevOut) && lost++ === 0) firstLost = s.t[i];
    v[i] = out;
    prevOut = out;
  });
  if (lost) {
    const key = seriesKey(s.metric, s.labels);
    issues.push({
      severity: 'warning',
      code: 'preview/what-if-reset-lost',
      message: `${key}: ${lost === 1 ? 'its counter reset' : `${lost} counter resets, the first`} at ${rfc3339(firstLost)} no longer ${lost === 1 ? 'looks' : 'look'} like a reset once the injected events are counted (the value after it is not below the one before): increase() over windows holding it undercounts.`,
      series: key,
    });
  }
  return { metric: s.metric, labels: s.labels, t: s.t, v };
}

export interface AppliedWhatIf {
  /** The rewritten data: new series where something changed, the same objects elsewhere. */
  readonly data: SampleData;
  /** `metric{labels}` of every rewritten series. */
  readonly changedSeries: readonly string[];
  readonly issues: readonly PreviewIssue[];
}

/** Rewrites the data for a spec, over the SLIs of the given services. Never mutates `data`. */
export function applyWhatIf(model: Pick<NormalizedModel, 'services'>, data: SampleData, spec: WhatIfSpec, services: readonly string[]): AppliedWhatIf {
  const plan: Plan = { scaled: new Set(), receives: new Map() };
  const issues: PreviewIssue[] = [];
  for (const id of services) {
    const service = model.services.find((s) => s.id === id);
    if (service) planService(service, data.series, plan, issues);
  }
  const injected = new Map<Series, Injected>();
  const injectedFor = (s: Series) => injected.get(s) ?? injected.set(s, injectedOf(s, spec)).get(s) as Injected;
  const changed: string[] = [];
  const series = data.series.map((s) => {
    const scaled = plan.scaled.has(s);
    const from = plan.receives.get(s);
    if (!scaled && !from) return s;
    changed.push(seriesKey(s.metric, s.labels));
    return rewrite(s, scaled, [...(from ?? [])].map(injectedFor), spec, issues);
  });
  return { data: { series, issues: data.issues }, changedSeries: changed.sort(), issues };
}

// ---------------------------------------------------------------------------------------------
// Baseline against scenario

export interface SloSide {
  readonly attainment: number | null;
  readonly budgetLeft: number | null;
  readonly budgetLeftSeconds: number | null;
  readonly exhausted: boolean;
  readonly exhaustionAt: number | null;
  /** The current (1h) burn rate. */
  readonly burnRate: number | null;
  readonly alerts: { readonly page: number; readonly ticket: number };
}

export interface SloChange {
  readonly id: string;
  readonly service: string;
  readonly objective: number;
  readonly window: string;
  readonly baseline: SloSide;
  readonly scenario: SloSide;
  /** Firings of the scenario the baseline does not have (same rule, same firing time). */
  readonly newAlerts: readonly AlertFiring[];
  /** Firings of the baseline the scenario does not have (merged into a longer one, say). */
  readonly clearedAlerts: readonly AlertFiring[];
}

export interface SlaSide {
  readonly attainment: number | null;
  readonly met: boolean | null;
  readonly creditOwed: number | null;
  readonly tier: string | null;
}

export interface SlaChange {
  readonly id: string;
  readonly service: string;
  readonly objective: number;
  readonly period: string;
  readonly baseline: SlaSide;
  readonly scenario: SlaSide;
}

export interface WhatIfResult {
  readonly spec: WhatIfSpec;
  readonly affected: readonly AffectedService[];
  readonly notPropagated: readonly SoftStop[];
  readonly changedSeries: readonly string[];
  /** Only what the scenario changes. */
  readonly slos: readonly SloChange[];
  readonly slas: readonly SlaChange[];
  /** The what-if's own notes and the scenario's issues the baseline does not have. */
  readonly issues: readonly PreviewIssue[];
  readonly scenario: PreviewResult;
}

function sloSide(s: SloPreview): SloSide {
  const page = s.alerts.filter((a) => a.severity === 'page').length;
  return {
    attainment: s.attainment,
    budgetLeft: s.errorBudget.remainingRatio,
    budgetLeftSeconds: s.errorBudget.remainingSeconds,
    exhausted: s.exhausted,
    exhaustionAt: s.exhaustionAt,
    burnRate: s.currentBurn.rate,
    alerts: { page, ticket: s.alerts.length - page },
  };
}

const firingKey = (a: AlertFiring) => `${a.ruleIndex}@${a.firedAt}`;

function sloChanged(a: SloPreview, b: SloPreview): boolean {
  if (a.attainment !== b.attainment || a.errorBudget.remainingRatio !== b.errorBudget.remainingRatio || a.exhaustionAt !== b.exhaustionAt) return true;
  // The longer burn-rate windows (3d) may reach back to the span when nothing shown changed: not a change.
  if (a.currentBurn.rate !== b.currentBurn.rate) return true;
  if (a.alerts.length !== b.alerts.length) return true;
  return a.alerts.some((x, i) => firingKey(x) !== firingKey(b.alerts[i]) || x.resolvedAt !== b.alerts[i].resolvedAt);
}

function slaSide(s: SlaPreview): SlaSide {
  return { attainment: s.attainment, met: s.met, creditOwed: s.creditOwed, tier: s.tier };
}

/** The SLOs and SLAs whose figures or alerts differ between two previews of one model. */
export function compareWhatIf(baseline: PreviewResult, scenario: PreviewResult): { slos: SloChange[]; slas: SlaChange[] } {
  const slos: SloChange[] = [];
  const before = new Map(baseline.slos.map((s) => [s.id, s]));
  for (const b of scenario.slos) {
    const a = before.get(b.id);
    if (!a || !sloChanged(a, b)) continue;
    const had = new Set(a.alerts.map(firingKey));
    const has = new Set(b.alerts.map(firingKey));
    slos.push({
      id: b.id,
      service: b.service,
      objective: b.objective,
      window: b.window.label,
      baseline: sloSide(a),
      scenario: sloSide(b),
      newAlerts: b.alerts.filter((x) => !had.has(firingKey(x))),
      clearedAlerts: a.alerts.filter((x) => !has.has(firingKey(x))),
    });
  }
  const slas: SlaChange[] = [];
  const slaBefore = new Map(baseline.slas.map((s) => [s.id, s]));
  for (const b of scenario.slas) {
    const a = slaBefore.get(b.id);
    if (!a || (a.attainment === b.attainment && a.creditOwed === b.creditOwed)) continue;
    slas.push({ id: b.id, service: b.service, objective: b.objective, period: b.window.period ?? b.window.label, baseline: slaSide(a), scenario: slaSide(b) });
  }
  return { slos, slas };
}

/** Injects a spec, propagates it, previews the scenario at the baseline's instant and compares. */
export function whatIf(model: NormalizedModel, data: SampleData, spec: WhatIfSpec, baseline: PreviewResult, opts: PreviewOptions = {}): WhatIfResult {
  const propagation = propagateWhatIf(model, spec.service);
  const applied = applyWhatIf(model, data, spec, propagation.affected.map((a) => a.service));
  const scenario = preview(model, applied.data, { ...opts, at: baseline.at, stepSeconds: baseline.stepSeconds });
  const { slos, slas } = compareWhatIf(baseline, scenario);
  const known = new Set(baseline.issues.map((i) => `${i.code} ${i.message}`));
  const issues: PreviewIssue[] = [...applied.issues];
  if (baseline.dataStart !== null && baseline.dataEnd !== null && (spec.start < baseline.dataStart || spec.end > baseline.dataEnd)) {
    issues.push({
      severity: 'info',
      code: 'preview/what-if-partial',
      message: `the span ${rfc3339(spec.start)} to ${rfc3339(spec.end)} runs past the sample data (${rfc3339(baseline.dataStart)} to ${rfc3339(baseline.dataEnd)}): only its part inside the data is injected.`,
    });
  }
  for (const i of scenario.issues) if (!known.has(`${i.code} ${i.message}`)) issues.push(i);
  return { spec, affected: propagation.affected, notPropagated: propagation.notPropagated, changedSeries: applied.changedSeries, slos, slas, issues, scenario };
}

// ---------------------------------------------------------------------------------------------
// Output: JSON (schemas/pace-preview.schema.json, `whatIf`) and the cells of the text tables

const time = (ms: number | null) => (ms === null ? null : rfc3339(ms));

function alertJson(a: AlertFiring) {
  return { severity: a.severity, rule: a.rule, ruleIndex: a.ruleIndex, firedAt: rfc3339(a.firedAt), resolvedAt: time(a.resolvedAt) };
}

function sloSideJson(s: SloSide) {
  return { ...s, exhaustionAt: time(s.exhaustionAt) };
}

/** One entry of the preview JSON's `whatIf` array. */
export function whatIfJson(r: WhatIfResult) {
  return {
    spec: r.spec.text,
    kind: r.spec.kind,
    service: r.spec.service,
    share: r.spec.share,
    start: rfc3339(r.spec.start),
    end: rfc3339(r.spec.end),
    affected: r.affected.map((a) => ({ service: a.service, via: a.via, path: a.path, reason: a.reason })),
    notPropagated: r.notPropagated.map((s) => ({ service: s.service, softDependsOn: s.softDependsOn })),
    changedSeries: r.changedSeries,
    slos: r.slos.map((s) => ({
      id: s.id,
      service: s.service,
      objective: s.objective,
      window: s.window,
      baseline: sloSideJson(s.baseline),
      scenario: sloSideJson(s.scenario),
      newAlerts: s.newAlerts.map(alertJson),
      clearedAlerts: s.clearedAlerts.map(alertJson),
    })),
    slas: r.slas.map((s) => ({ id: s.id, service: s.service, objective: s.objective, period: s.period, baseline: s.baseline, scenario: s.scenario })),
    issues: r.issues.map((i) => ({
      severity: i.severity,
      code: i.code,
      message: i.message,
      ...(i.subject !== undefined ? { subject: i.subject } : {}),
      ...(i.series !== undefined ? { series: i.series } : {}),
    })),
  };
}

export type WhatIfJson = ReturnType<typeof whatIfJson>;

/** What the text and Markdown outputs print for a scenario; the host lays out the tables. */
export interface WhatIfView {
  readonly title: string;
  /** Affected services, what was not propagated, the rewritten series. */
  readonly lines: readonly string[];
  readonly slo: { readonly head: readonly string[]; readonly rows: readonly (readonly string[])[] };
  /** `payments_api.availability: page 14.4 over 1h and 5m for 2m: fires 2026-10-12 10:04Z, resolved …`. */
  readonly alerts: readonly string[];
  readonly sla: { readonly head: readonly string[]; readonly rows: readonly (readonly string[])[] };
  readonly notes: readonly string[];
}

const pct = (x: number | null) => (x === null ? '–' : formatPercent(x));
const minute = (ms: number | null) => (ms === null ? '–' : rfc3339(ms).slice(0, 16).replace('T', ' ') + 'Z');
const arrow = (a: string, b: string) => (a === b ? a : `${a} → ${b}`);

function budgetText(s: SloSide): string {
  if (s.budgetLeft === null || s.budgetLeftSeconds === null) return '–';
  return `${formatPercent(s.budgetLeft)} (${formatDuration(Math.round(s.budgetLeftSeconds))})`;
}

function alertCount(s: SloSide): string {
  const parts = [s.alerts.page && `${s.alerts.page} page${s.alerts.page > 1 ? 's' : ''}`, s.alerts.ticket && `${s.alerts.ticket} ticket${s.alerts.ticket > 1 ? 's' : ''}`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'none';
}

function slaStatus(s: SlaSide): string {
  return s.met === null ? '–' : s.met ? 'met' : 'missed';
}

function describe(spec: WhatIfSpec): string {
  const what = spec.kind === 'outage' ? 'every event fails' : `${formatPercent(spec.share)} of the events that succeeded fail`;
  return `${what} from ${minute(spec.start)} to ${minute(spec.end)} (${formatDuration((spec.end - spec.start) / 1000)})`;
}

export function whatIfView(r: WhatIfResult): WhatIfView {
  const lines: string[] = [describe(r.spec)];
  lines.push(`affected: ${r.affected.map((a) => `${short(a.service)} (${a.reason})`).join(', ')}`);
  lines.push(
    r.notPropagated.length
      ? `not propagated (soft_depends_on is not followed): ${r.notPropagated.map((s) => `${short(s.service)} soft-depends on ${short(s.softDependsOn)}`).join(', ')}`
      : 'soft_depends_on is not followed (no affected service is a soft dependency)',
  );
  const sloRows = r.slos.map((s) => [
    short(s.id),
    percentText(s.objective),
    arrow(pct(s.baseline.attainment), pct(s.scenario.attainment)),
    arrow(budgetText(s.baseline), budgetText(s.scenario)),
    arrow(s.baseline.burnRate === null ? '–' : s.baseline.burnRate.toFixed(2), s.scenario.burnRate === null ? '–' : s.scenario.burnRate.toFixed(2)),
    arrow(alertCount(s.baseline), alertCount(s.scenario)),
  ]);
  const alerts = r.slos.flatMap((s) => [
    ...s.newAlerts.map((a) => `${short(s.id)}: ${a.severity} ${a.rule}: would fire ${minute(a.firedAt)}, ${a.resolvedAt === null ? 'still firing' : `resolved ${minute(a.resolvedAt)}`}`),
    ...s.clearedAlerts.map((a) => `${short(s.id)}: ${a.severity} ${a.rule}: the baseline's firing at ${minute(a.firedAt)} is no longer separate`),
  ]);
  const slaRows = r.slas.map((s) => [
    short(s.id),
    percentText(s.objective),
    s.period,
    arrow(pct(s.baseline.attainment), pct(s.scenario.attainment)),
    arrow(slaStatus(s.baseline), slaStatus(s.scenario)),
    arrow(s.baseline.creditOwed === null ? '–' : s.baseline.tier ?? 'none', s.scenario.creditOwed === null ? '–' : s.scenario.tier ?? 'none'),
  ]);
  const notes = r.issues.map((i) => `${i.severity} ${i.code}: ${i.message}`);
  if (!r.slos.length && !r.slas.length) notes.unshift('no SLO, SLA or alert changes');
  return {
    title: `What if: ${r.spec.text}`,
    lines,
    slo: { head: ['SLO', 'objective', 'attainment', 'budget left', 'burn 1h', 'alerts fired'], rows: sloRows },
    alerts,
    sla: { head: ['SLA', 'objective', 'period', 'attainment', 'status', 'credit owed'], rows: slaRows },
    notes,
  };
}
