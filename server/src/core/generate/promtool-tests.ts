// `promtool test rules` files, one per SLO, beside its service's rule file. For each alert rule
// (threshold θ = factor × budget, long window L, short window S, `for` F) synthetic counters are fed
// to the SLI's own selectors and the alert is checked at T = L + F + a few samples:
//   fires:       a constant error ratio just above θ (θ × 1.02), so both windows are above;
//   quiet:       a constant error ratio just below θ (θ × 0.98);
//   short only:  no errors, then a burst over the last S (+2 samples) above θ, too short to lift the long window to θ;
//   long only:   errors above θ until S (+2 samples) before T, then none: the long window is above, the short one is not.
// Ranges include both ends in Prometheus 2.x and the samples fall on the window edges, so the
// error ratio of each window is the counters' exact ratio. Each file also checks the objective and
// the budget recorded for the SLO. Ratio and latency SLIs get series; time-slice and raw PromQL
// SLIs have no counters Pace can synthesize, and their file says so (it checks the metadata only).
import { latencySelectors, promqlNumber } from '../model/error-ratio.js';
import type { Selector } from '../model/model.js';
import { type GeneratedFile, markerComment, promDuration, renderedFile, yamlExpr, yamlQuoted } from './output.js';
import { labelLines, RECORDS, type AlertPlan, type ServicePlan, type SloPlan } from './prometheus.js';
import { seriesMatchingAll, seriesMatchingOnly, type SeriesSpec, seriesText } from './synthetic.js';

/** The test file name of an SLO: `checkout.availability.test.yml`. */
export const testFileName = (p: SloPlan) => `${p.service.name}.${p.slo.name}.test.yml`;

/** A phase of the synthetic traffic: `steps` samples in which `errorRatio` of the events are bad. */
interface Phase {
  readonly steps: number;
  readonly errorRatio: number;
}

/** The two counters the SLI reads: one for bad events, one for good ones (each a series the right selectors match). */
interface Feed {
  /** Series and whether each counts the bad events (else the good ones), or all of them (`total`). */
  readonly series: { spec: SeriesSpec; counts: 'bad' | 'good' | 'all'; line?: string }[];
}

/** Feeds by SLI: several SLOs on one SLI (and the runs of one model) need the same series. */
const feeds = new WeakMap<SloPlan['sli'], Feed | string>();
function feedOf(p: SloPlan): Feed | string {
  let f = feeds.get(p.sli);
  if (f === undefined) {
    f = makeFeed(p.sli);
    // Each case of each test file writes the same series line: its text once per feed.
    if (typeof f !== 'string') for (const s of f.series) s.line = `      - series: ${yamlQuoted(seriesText(s.spec))}\n        values: `;
    feeds.set(p.sli, f);
  }
  return f;
}

function makeFeed(sli: SloPlan['sli']): Feed | string {
  if (sli.kind === 'ratio') {
    const num: Selector | undefined = sli.bad ?? sli.good;
    if (!num) return 'it has neither good nor bad events';
    if (num.metric !== undefined && sli.total.metric !== undefined && num.metric !== sli.total.metric) {
      // Two counters: the events of one kind, and all of them.
      const n = seriesMatchingAll(num);
      const all = seriesMatchingAll(sli.total);
      if (!n || !all) return `no label values were found that its ${!n ? (sli.bad ? 'bad' : 'good') : 'total'} selector matches`;
      return { series: [{ spec: n, counts: sli.bad ? 'bad' : 'good' }, { spec: all, counts: 'all' }] };
    }
    const both = seriesMatchingAll(num, sli.total);
    const rest = seriesMatchingOnly(sli.total, num);
    if (!both || !rest) return `no label values were found that ${!both ? `both ${sli.bad ? 'bad' : 'good'} and total` : `total and not ${sli.bad ? 'bad' : 'good'}`} match`;
    return sli.bad
      ? { series: [{ spec: both, counts: 'bad' }, { spec: rest, counts: 'good' }] }
      : { series: [{ spec: both, counts: 'good' }, { spec: rest, counts: 'bad' }] };
  }
  if (sli.kind === 'latency') {
    const s = latencySelectors(sli);
    if (!s) return 'its histogram has no metric name';
    const bucket = seriesMatchingAll(s.bucket);
    const count = seriesMatchingAll(s.count);
    if (!bucket || !count) return 'no label values were found that its histogram selector matches';
    return { series: [{ spec: bucket, counts: 'good' }, { spec: count, counts: 'all' }] };
  }
  return sli.kind === 'timeslice' ? 'time-slice SLIs read a gauge, which Pace does not synthesize yet' : 'raw PromQL SLIs name series Pace cannot know';
}

/** Events per sample, a power of ten such that θ × N ≥ 1000 (the bad counts are then within 0.1% of the ratio asked for). */
function eventsPerSample(threshold: number): number {
  return 10 ** Math.max(3, Math.ceil(Math.log10(1000 / threshold)));
}

/** promtool's expanding notation for a counter growing by `inc[k]` at sample k (the first sample is 0). */
function counterValues(phases: readonly { steps: number; inc: number }[]): string {
  const parts: string[] = [];
  let v = 0;
  let first = true;
  for (const ph of phases) {
    if (ph.steps <= 0) continue;
    if (first) {
      parts.push(`0+${ph.inc}x${ph.steps}`);
      v = ph.inc * ph.steps;
      first = false;
    } else {
      parts.push(ph.steps === 1 ? `${v + ph.inc}` : `${v + ph.inc}+${ph.inc}x${ph.steps - 1}`);
      v += ph.inc * ph.steps;
    }
  }
  return parts.join(' ');
}

/** The quoted `values` of a counter that counts `counts` events of the case's traffic (made once per case and kind). */
function caseValues(c: CaseText, counts: 'bad' | 'good' | 'all'): string {
  let v = c.values[counts];
  if (v === undefined) {
    const ps = c.phases.map((ph) => {
      const bad = Math.round(c.n * ph.errorRatio);
      return { steps: ph.steps, inc: counts === 'all' ? c.n : counts === 'bad' ? bad : c.n - bad };
    });
    c.values[counts] = v = `${yamlQuoted(counterValues(ps))}\n`;
  }
  return v;
}

function inputSeries(feed: Feed, c: CaseText): string {
  let out = '';
  for (const s of feed.series) out += s.line! + caseValues(c, s.counts);
  return out;
}

const STEPS = [3600, 1800, 900, 600, 300, 60, 30, 15, 10, 5, 1];

/**
 * The evaluation interval of an SLO's test file: the longest step (at most 1h) that divides every
 * window and `for` of its rules, so that promtool evaluates as few times as exactness allows.
 */
export function evaluationInterval(windows: readonly number[]): number {
  return STEPS.find((s) => s <= 3600 && windows.every((w) => w % s === 0)) ?? 1;
}

/**
 * The sample interval of a case: the longest step that divides the evaluation interval and every
 * window (each window then starts and ends on a sample) and leaves 4 samples in the short window.
 */
function sampleInterval(shortSeconds: number, windows: readonly number[], evalInterval: number): number {
  return STEPS.find((s) => s * 4 <= shortSeconds && evalInterval % s === 0 && windows.every((w) => w % s === 0)) ?? 1;
}

interface Case {
  readonly title: string;
  readonly phases: Phase[];
  /** Whether the rule under test must fire (the test fails otherwise). */
  readonly fires: boolean;
}

interface Scenario {
  readonly interval: number;
  readonly evalSeconds: number;
  readonly cases: Case[];
}

function scenarioFor(a: AlertPlan, windows: readonly number[], evalInterval: number): Scenario {
  const r = a.rule;
  const th = r.threshold;
  const interval = sampleInterval(r.shortWindowSeconds, windows, evalInterval);
  const evalSeconds = Math.ceil((r.longWindowSeconds + (r.forSeconds ?? 0) + 2 * interval) / evalInterval) * evalInterval;
  const steps = evalSeconds / interval;
  const nLong = r.longWindowSeconds / interval;
  const nBurst = Math.ceil(r.shortWindowSeconds / interval) + 2;
  const cases: Case[] = [
    { title: `fires: an error ratio of θ × 1.02 = ${pct(th * 1.02)} over both windows`, phases: [{ steps, errorRatio: th * 1.02 }], fires: true },
    { title: `quiet: an error ratio of θ × 0.98 = ${pct(th * 0.98)} over both windows`, phases: [{ steps, errorRatio: th * 0.98 }], fires: false },
  ];
  // Short window only: a burst whose ratio is above θ but, spread over the long window, below it.
  const shortHi = Math.min(1, (th * nLong) / nBurst);
  if (nLong > nBurst && shortHi > th * 1.05) {
    const e = Math.min(th * 1.5, (th + shortHi) / 2);
    cases.push({ title: `quiet: ${pct(e)} over the last ${promDuration(nBurst * interval)} only (the short window is above θ, the long one is not)`, phases: [{ steps: steps - nBurst, errorRatio: 0 }, { steps: nBurst, errorRatio: e }], fires: false });
  }
  // Long window only: errors that stopped before the short window.
  const longLo = nLong > nBurst ? (th * nLong) / (nLong - nBurst) : Infinity;
  if (longLo * 1.05 < 1) {
    const e = Math.min(longLo * 1.5, (longLo + 1) / 2);
    cases.push({ title: `quiet: ${pct(e)} until ${promDuration(nBurst * interval)} before, then none (the long window is above θ, the short one is not)`, phases: [{ steps: steps - nBurst, errorRatio: e }, { steps: nBurst, errorRatio: 0 }], fires: false });
  }
  return { interval, evalSeconds, cases };
}

/**
 * Which of the SLO's alerts fire at `evalSeconds` on this traffic (they share one alert name, so
 * a test lists them all): each window's error ratio is the exact ratio of the counters' increases
 * (the samples fall on the window edges, and every counter starts at 0, so Prometheus does not
 * extrapolate), and an alert fires when its condition held at every evaluation of its `for`.
 */
function firingAlerts(alerts: readonly AlertPlan[], phases: readonly Phase[], n: number, interval: number, evalSeconds: number, evalInterval: number): AlertPlan[] {
  // Cumulative bad events at each sample.
  const bad: number[] = [0];
  for (const ph of phases) for (let k = 0; k < ph.steps; k++) bad.push(bad[bad.length - 1] + Math.round(n * ph.errorRatio));
  const ratio = (t: number, w: number): number | undefined => {
    const last = Math.floor(t / interval);
    const first = Math.max(0, Math.ceil((t - w) / interval));
    if (last >= bad.length || last - first < 1) return undefined;
    return (bad[last] - bad[first]) / (n * (last - first));
  };
  const holds = (a: AlertPlan, t: number) => {
    const l = ratio(t, a.rule.longWindowSeconds);
    const s = ratio(t, a.rule.shortWindowSeconds);
    return l !== undefined && s !== undefined && l > a.rule.threshold && s > a.rule.threshold;
  };
  return alerts.filter((a) => {
    const span = Math.ceil((a.rule.forSeconds ?? 0) / evalInterval) * evalInterval;
    if (evalSeconds - span < 0) return false;
    for (let t = evalSeconds - span; t <= evalSeconds; t += evalInterval) if (!holds(a, t)) return false;
    return true;
  });
}

const pct = (x: number) => `${Number((x * 100).toPrecision(4))}%`;


/** `slo:objective:ratio{a="x", …}` as promtool's exp_samples reads labels. */
function sampleLabels(record: string, ls: Record<string, string>): string {
  return `${record}{${Object.keys(ls)
    .sort()
    .map((k) => `${k}=${JSON.stringify(ls[k])}`)
    .join(', ')}}`;
}

/** A case of an alert's tests as its file writes it, but for the alert's name and the series (which depend on the SLO, not on its rules). */
interface CaseText {
  /** `  - name: …` to `input_series:` */
  readonly head: string;
  readonly phases: readonly Phase[];
  readonly n: number;
  /** The quoted counter values by what the counter counts, made on first use. */
  readonly values: { bad?: string; good?: string; all?: string };
  /** `        eval_time: …` */
  readonly evalLine: string;
  /** The indices in the SLO's alerts of the alerts that fire. */
  readonly firing: readonly number[];
}

/** What an SLO's alert tests are for each of its alerts: a left-out comment or a case. */
type RuleTexts = (string | CaseText)[][];

/**
 * The cases of an SLO's alert tests depend on its rules only (thresholds, windows, `for`, severity):
 * SLOs with the same policy and budget share them. Worked out once per set of rules of one run.
 */
export type RuleMemo = Map<string, RuleTexts>;

function ruleTexts(alerts: readonly AlertPlan[], windows: readonly number[], evalInterval: number): RuleTexts {
  return alerts.map((a) => {
    const n = eventsPerSample(a.rule.threshold);
    const { interval, evalSeconds, cases } = scenarioFor(a, windows, evalInterval);
    const what = `${a.rule.severity} when the error ratio > ${promqlNumber(a.rule.threshold)} over ${promDuration(a.rule.longWindowSeconds)}${a.rule.singleWindow ? '' : ` and ${promDuration(a.rule.shortWindowSeconds)}`}${a.rule.forSeconds ? ` for ${promDuration(a.rule.forSeconds)}` : ''}`;
    return cases.map((c): string | CaseText => {
      const firing = firingAlerts(alerts, c.phases, n, interval, evalSeconds, evalInterval);
      // The case proves something about this rule only if the arithmetic agrees with its intent.
      if (firing.includes(a) !== c.fires) return `# Left out (${what}): ${c.title}: the windows do not allow it.\n`;
      return {
        head: `  - name: ${yamlQuoted(`${what}; ${c.title}`)}\n    interval: ${promDuration(interval)}\n    input_series:\n`,
        phases: c.phases,
        n,
        values: {},
        evalLine: `        eval_time: ${promDuration(evalSeconds)}\n`,
        firing: firing.map((f) => alerts.indexOf(f)),
      };
    });
  });
}

const rulesKey = (alerts: readonly AlertPlan[]): string => alerts.map((a) => `${a.rule.severity},${a.rule.threshold},${a.rule.longWindowSeconds},${a.rule.shortWindowSeconds},${a.rule.forSeconds ?? 0},${a.rule.singleWindow ? 1 : 0}`).join(';');

export function testFileYaml(sp: ServicePlan, p: SloPlan, memo: RuleMemo = new Map()): string {
  let out = markerComment(sp.sources);
  out += `# promtool test rules for ${p.slo.id}: each alert fires just above its threshold over both windows and stays quiet just below it or with only one window above.\n`;
  const feed = feedOf(p);
  if (typeof feed === 'string') out += `# No alert tests: ${feed}. Only the SLO's metadata rules are tested.\n`;
  // `for` need not divide the interval: an alert fires at the first evaluation at least `for` after it became pending.
  const windows: number[] = [];
  for (const a of p.alerts) windows.push(a.rule.longWindowSeconds, a.rule.shortWindowSeconds);
  const evalInterval = evaluationInterval(windows);
  out += `rule_files:\n  - ${yamlQuoted(sp.file)}\nevaluation_interval: ${promDuration(evalInterval)}\ntests:\n`;
  out += `  - name: ${yamlQuoted(`${p.slo.id}: objective and error budget`)}\n    interval: 1m\n    input_series: []\n    promql_expr_test:\n`;
  for (const [record, value] of [[RECORDS.objective, p.slo.objective], [RECORDS.errorBudget, p.slo.errorBudget.ratio]] as const) {
    out += `      - expr: ${yamlExpr(`${record}${p.selector}`)}\n        eval_time: 1m\n        exp_samples:\n          - labels: ${yamlQuoted(sampleLabels(record, p.recordLabels))}\n            value: ${promqlNumber(value)}\n`;
  }
  if (typeof feed === 'string') return out;
  const key = rulesKey(p.alerts);
  let texts = memo.get(key);
  if (texts === undefined) memo.set(key, (texts = ruleTexts(p.alerts, windows, evalInterval)));
  const expected: (string | undefined)[] = [];
  for (let i = 0; i < p.alerts.length; i++) {
    const a = p.alerts[i];
    for (const c of texts[i]) {
      if (typeof c === 'string') {
        out += c;
        continue;
      }
      out += c.head;
      out += inputSeries(feed, c);
      out += `    alert_rule_test:\n      - alertname: ${a.name}\n${c.evalLine}`;
      if (!c.firing.length) {
        out += '        exp_alerts: []\n';
        continue;
      }
      out += '        exp_alerts:\n';
      for (const j of c.firing) {
        // The same alerts are expected by several cases: their text once per file.
        let text = expected[j];
        if (text === undefined) {
          const f = p.alerts[j];
          expected[j] = text = `          - exp_labels:\n${labelLines(f.expandedLabels, '              ')}            exp_annotations:\n${labelLines(f.expandedAnnotations, '              ')}`;
        }
        out += text;
      }
    }
  }
  return out;
}

/** The `promtool test rules` file of every SLO of every service. */
export function promtoolTestFiles(plans: readonly ServicePlan[]): GeneratedFile[] {
  const out: GeneratedFile[] = [];
  const memo: RuleMemo = new Map();
  for (const sp of plans) if (!sp.untestable) for (const p of sp.plans) out.push(renderedFile(testFileName(p), () => testFileYaml(sp, p, memo)));
  return out;
}
