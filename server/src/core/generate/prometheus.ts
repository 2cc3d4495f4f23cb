// The Prometheus target: one rule file per service, one group per SLO (docs/generate.md).
// Per SLO, in evaluation order:
//   slo:sli_error:ratio_rate<W>              the SLI's error ratio over each window W its alert rules need and over the SLO window
//   slo:objective:ratio, slo:error_budget:ratio, slo:time_period:days
//   slo:period_burn_rate:ratio               error ratio over the SLO window / error budget
//   slo:period_error_budget_remaining:ratio  1 − period burn rate
//   alert <Service><Slo>ErrorBudgetBurn      one per alert rule: both windows' error ratios above factor × budget
// Every expression of an error ratio is core/model/error-ratio.ts's, the text the preview evaluates;
// every number (thresholds, budgets, windows) is the model's, which the budget math filled in.
// Pure: the host writes the files.
import { formatPercent, nominalWindowSeconds, windowLabel } from '../budget/budget.js';
import { promqlNumber, sliErrorExpression } from '../model/error-ratio.js';
import type { AlertingPolicy, NormalizedModel, Service, Sli, Slo, SloRule } from '../model/model.js';
import type { KubernetesOptions, PrometheusFormat } from './layouts.js';
import { sortKeys } from '../model/build.js';
import { memo } from '../model/memo.js';
import { commentText, flat, type GeneratedFile, markerComment, pascal, promDuration, renderedFile, templateLiteral, yamlExpr, yamlQuoted } from './output.js';

export interface PrometheusOptions {
  /** Labels added to every rule (pace.yaml `generate.targets.prometheus.labels`), under the SLO's own. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Whether to write a `promtool test rules` file per SLO (default true). */
  readonly tests?: boolean;
  /** The layout of the rule files (layouts.ts; default `prometheus`). */
  readonly format?: PrometheusFormat;
  /** The PrometheusRule objects' metadata (format `prometheus-operator`). */
  readonly kubernetes?: KubernetesOptions;
}

/** Where a declaration was written (a path relative to the project), for the marker. */
export type SourceOf = (id: string) => string | undefined;

type Labels = Record<string, string>;

export const SLI_ERROR_RECORD = 'slo:sli_error:ratio_rate';
export const RECORDS = {
  objective: 'slo:objective:ratio',
  errorBudget: 'slo:error_budget:ratio',
  timePeriod: 'slo:time_period:days',
  periodBurnRate: 'slo:period_burn_rate:ratio',
  budgetRemaining: 'slo:period_error_budget_remaining:ratio',
} as const;

/** The recording rule of the error ratio over a window: `slo:sli_error:ratio_rate5m`. */
export const sliErrorRecord = (windowSeconds: number) => `${SLI_ERROR_RECORD}${promDuration(windowSeconds)}`;

export interface AlertPlan {
  readonly name: string;
  readonly rule: SloRule;
  readonly expr: string;
  /** The rule's labels as written (template-escaped) and as Prometheus expands them. */
  readonly labels: Labels;
  readonly expandedLabels: Labels;
  /** Its annotations as written (template-escaped) and as Prometheus expands them: each read writes them anew. */
  readonly annotations: Labels;
  readonly expandedAnnotations: Labels;
}

/** Everything the rule file and the test file of one SLO say. */
export interface SloPlan {
  readonly service: Service;
  readonly slo: Slo;
  readonly sli: Sli;
  readonly group: string;
  /** `{pace_service="…", pace_slo="…"}`: what selects this SLO's recorded series. */
  readonly selector: string;
  /** The labels of its recording rules (without `pace_window`). */
  readonly recordLabels: Labels;
  /** The windows (seconds) of its error-ratio rules, ascending; the SLO window is among them. */
  readonly windows: number[];
  readonly sloWindowSeconds: number;
  /** The error ratio over a window, as PromQL. */
  readonly errorExpr: (windowSeconds: number) => string;
  readonly alerts: AlertPlan[];
  /** Why alert rules of the SLO were left out (one line each). */
  readonly comments: string[];
}


const factorText = memo((f: number) => String(Number(f.toPrecision(6))));

/**
 * `sortKeys({ ...sorted, ...extra })` for a label set in key order and a few labels in key order:
 * merged in one pass, the extra labels winning.
 */
export function withSorted(sorted: Readonly<Labels>, extra: Readonly<Labels>): Labels {
  const out: Labels = {};
  const add = Object.keys(extra);
  let j = 0;
  for (const k in sorted) {
    while (j < add.length && add[j] < k) {
      out[add[j]] = extra[add[j]];
      j++;
    }
    if (j < add.length && add[j] === k) {
      out[k] = extra[k];
      j++;
    } else out[k] = sorted[k];
  }
  for (; j < add.length; j++) out[add[j]] = extra[add[j]];
  return out;
}

/** The keys of a label set in order (sortKeys answers a set that is sorted already, as most are, as it is). */
export const sortedKeys = (ls: Readonly<Labels>): string[] => Object.keys(sortKeys(ls));

const sameLabels = (a: Readonly<Labels> | undefined, b: Readonly<Labels> | undefined): boolean => {
  if (a === b) return true;
  const ka = Object.keys(a ?? {}), kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => a![k] === b![k]);
};

/**
 * Plans already made, by SLO: the prometheus, grafana and alertmanager targets of one run plan the
 * same SLOs of the same model (a third of their time at 5,000 SLOs). The model is immutable data; a
 * plan is reused only for the same model, service and extra labels. Plans are never mutated.
 */
const planned = new WeakMap<Slo, { model: NormalizedModel; service: Service; labels: Readonly<Labels> | undefined; plan: SloPlan | { skipped: string } }>();

/** The plan of one SLO, or a reason it generates nothing. */
export function planSlo(model: NormalizedModel, service: Service, slo: Slo, options: PrometheusOptions = {}): SloPlan | { skipped: string } {
  const hit = planned.get(slo);
  if (hit && hit.model === model && hit.service === service && sameLabels(hit.labels, options.labels)) return hit.plan;
  const plan = makePlan(model, service, slo, options);
  planned.set(slo, { model, service, labels: options.labels, plan });
  return plan;
}

/** Most label sets have no `{{`: they are their own escaped form (templateLiteral). */
const esc = (ls: Labels): Labels => (Object.values(ls).some((v) => v.includes('{{')) ? Object.fromEntries(Object.entries(ls).map(([k, v]) => [k, templateLiteral(v)])) : ls);

/**
 * An alert's plan. Its annotations (a description and a summary of a few hundred characters each,
 * 20,000 of them at 5,000 SLOs) are written on each read: only the rule and test files read them,
 * and plans live through every target of a run. A class, so that the getters are its prototype's
 * and a plan holds only its fields.
 */
class PlannedAlert implements AlertPlan {
  constructor(
    readonly name: string,
    readonly rule: SloRule,
    readonly expr: string,
    readonly labels: Labels,
    readonly expandedLabels: Labels,
    private readonly of: { readonly service: Service; readonly slo: Slo; readonly sli: Sli; readonly own: Readonly<Labels> },
  ) {}
  get expandedAnnotations(): Labels {
    return alertAnnotations(this.of.service, this.of.slo, this.of.sli, this.rule, this.of.own);
  }
  get annotations(): Labels {
    return esc(this.expandedAnnotations);
  }
}

/** An alert's annotations as Prometheus expands them: Pace's description and summary, under the severity's own. */
function alertAnnotations(service: Service, slo: Slo, sli: Sli, rule: SloRule, own: Readonly<Labels>): Labels {
  const title = service.title ?? service.name;
  const long = promDuration(rule.longWindowSeconds);
  const short = promDuration(rule.shortWindowSeconds);
  const doc = slo.description ?? sli.description;
  const over = rule.singleWindow ? `over the last ${long}` : `over both the last ${long} and the last ${short}`;
  const facts =
    `The error ratio of ${sli.id} is above ${formatPercent(rule.threshold)} ${over}: ` +
    `${factorText(rule.factor)} × the ${formatPercent(slo.errorBudget.ratio)} error budget of ${formatPercent(slo.objective)} over ${windowLabel(slo.window)}. ` +
    `Sustained over ${long}, that spends ${formatPercent(rule.budgetSpent)} of the window's budget.`;
  return sortKeys({
    description: doc ? `${doc}\n\n${facts}` : facts,
    summary: `${slo.title ?? `${title}: ${slo.name}`} burns its error budget at ${factorText(rule.factor)}× the sustainable rate (${rule.singleWindow ? `${long} window` : `${long} and ${short} windows`})`,
    ...own,
  });
}

/** An SLI's error ratio over a window, as PromQL (a closure of the SLI alone: a plan outlives what made it). */
const errorExprOf = (sli: Sli) => (w: number) => sliErrorExpression(sli, promDuration(w))!;

function makePlan(model: NormalizedModel, service: Service, slo: Slo, options: PrometheusOptions): SloPlan | { skipped: string } {
  const sli = service.slis.find((s) => s.id === slo.sli);
  if (!sli) return { skipped: `${slo.id}: its SLI ${slo.sli} is not in the model` };
  if (sliErrorExpression(sli, '5m') === undefined) return { skipped: `${slo.id}: the error ratio of ${sli.id} cannot be written as PromQL (a latency histogram needs a metric name; a time slice at least 1ms)` };
  const own = { pace_service: service.name, pace_slo: slo.name };
  // Merged in key order (each set sorted; the later wins), as sortKeys({ ...model, ...options, ...service, ...slo }) makes them.
  const user: Labels = withSorted(withSorted(withSorted(sortKeys(model.labels), sortKeys(options.labels ?? {})), sortKeys(service.labels)), sortKeys(slo.labels));
  const recordLabels = withSorted(user, own);
  const selector = flat(`{pace_service=${JSON.stringify(service.name)}, pace_slo=${JSON.stringify(slo.name)}}`);
  const sloWindowSeconds = nominalWindowSeconds(slo.window);
  const comments: string[] = [];
  const rules = slo.alerting?.rules ?? [];
  if (!slo.alerting) comments.push('No alerts: alerting = none.');
  else if (!rules.length) comments.push(`No alerts: ${slo.alerting.policy === 'default' ? 'the default policy' : `policy ${slo.alerting.policy}`} has no rules for a ${windowLabel(slo.window)} window.`);
  const alertName = slo.alerting?.name ?? `${pascal(service.name, slo.name)}ErrorBudgetBurn`;
  const alerts: AlertPlan[] = [];
  // The labels of the SLO's alerts of one severity, before their windows.
  const bySeverity = new Map<string, Labels>();
  const windows = new Set<number>([sloWindowSeconds]);
  rules.forEach((rule, i) => {
    if (rule.neverFires) {
      const overWhat = rule.singleWindow ? promDuration(rule.longWindowSeconds) : `${promDuration(rule.longWindowSeconds)} and ${promDuration(rule.shortWindowSeconds)}`;
      comments.push(`Left out: rule ${i + 1} (${rule.severity} when burn_rate > ${factorText(rule.factor)} over ${overWhat}) never fires: its threshold ${formatPercent(rule.threshold)} is not below 100%.`);
      return;
    }
    windows.add(rule.longWindowSeconds);
    windows.add(rule.shortWindowSeconds);
    const th = promqlNumber(rule.threshold);
    const side = (w: number) => `max without (pace_window) (${sliErrorRecord(w)}${selector} > ${th})`;
    const expr = flat(rule.singleWindow ? side(rule.longWindowSeconds) : `${side(rule.longWindowSeconds)} and ${side(rule.shortWindowSeconds)}`);
    // The severity's labels and annotations (policy, then SLO: the model resolved them) lie over the
    // SLO's; Pace's own labels (pace_*, severity) come last, since routes and dashboards select on them.
    const meta = slo.alerting?.[rule.severity] ?? { labels: {}, annotations: {} };
    let base = bySeverity.get(rule.severity);
    if (!base) bySeverity.set(rule.severity, (base = withSorted(withSorted(user, sortKeys(meta.labels)), { pace_service: service.name, pace_slo: slo.name, severity: rule.severity })));
    const expanded: Labels = rule.singleWindow
      ? withSorted(base, { pace_long_window: promDuration(rule.longWindowSeconds) })
      : withSorted(base, { pace_long_window: promDuration(rule.longWindowSeconds), pace_short_window: promDuration(rule.shortWindowSeconds) });
    alerts.push(new PlannedAlert(alertName, rule, expr, esc(expanded), expanded, { service, slo, sli, own: meta.annotations }));
  });
  return {
    service,
    slo,
    sli,
    group: flat(`pace-slo-${service.name}-${slo.name}`),
    selector,
    recordLabels,
    windows: [...windows].sort((a, b) => a - b),
    sloWindowSeconds,
    errorExpr: errorExprOf(sli),
    alerts,
    comments,
  };
}

/** The lines of a label set's YAML map at `indent`, in key order (the rule files' labels and the test files' expected ones). */
export function labelLines(ls: Readonly<Labels>, indent: string): string {
  let out = '';
  for (const k of sortedKeys(ls)) out += `${indent}${k}: ${yamlQuoted(ls[k])}\n`;
  return out;
}

function commentLines(text: string, indent: string): string {
  if (!text.includes('\n')) return `${indent}#${text ? ' ' + text : ''}\n`;
  return text
    .split('\n')
    .map((l) => `${indent}#${l ? ' ' + l : ''}\n`)
    .join('');
}

/** What stands for the range while an SLO's error ratio is built once for all its windows (errorExprTexts). */
const RANGE = '\u0001';

/**
 * `yamlExpr(p.errorExpr(w))` for each of the plan's windows. The expression differs between windows
 * only in its range, so it is built once with RANGE for the range, and each window's text is its
 * pieces joined by the window, quoted once. The pieces stand only when they give the first window's
 * expression exactly (a raw PromQL text that holds RANGE itself would not); else each is built.
 */
export function errorExprTexts(p: SloPlan): string[] {
  const first = p.errorExpr(p.windows[0]);
  const pieces = sliErrorExpression(p.sli, RANGE)?.split(RANGE);
  const single = yamlExpr(first);
  if (!pieces || pieces.join(promDuration(p.windows[0])) !== first || single[0] !== "'") return p.windows.map((w, k) => (k ? yamlExpr(p.errorExpr(w)) : single));
  // Single-quoted (yamlExpr): one line of printable text, its quotes doubled; a window's text (`5m`) has neither.
  const quoted = pieces.map((x) => (x.includes("'") ? x.replace(/'/g, "''") : x));
  return p.windows.map((w, k) => (k ? `'${quoted.join(promDuration(w))}'` : single));
}

/** The YAML of one SLO's group. */
export function groupYaml(p: SloPlan): string {
  const i = '      ';
  const v = '        ';
  let out = `  - name: ${yamlQuoted(p.group)}\n`;
  out += commentLines(`${p.slo.id}: ${formatPercent(p.slo.objective)} of ${p.sli.id} (${p.sli.kind}) over ${windowLabel(p.slo.window)}.`, '    ');
  if (p.slo.window.type === 'calendar') out += commentLines(`Prometheus has no calendar ranges: the SLO window's rules use its nominal length, ${promDuration(p.sloWindowSeconds)}.`, '    ');
  for (const c of p.comments) out += commentLines(c, '    ');
  out += '    rules:\n';
  // The record labels' lines once, in two parts around where `pace_window` sorts in (together, the lines labelLines writes).
  let before = '', after = '';
  const split = !Object.hasOwn(p.recordLabels, 'pace_window');
  if (split) for (const k of sortedKeys(p.recordLabels)) if (k < 'pace_window') before += `${v}${k}: ${yamlQuoted(p.recordLabels[k])}\n`; else after += `${v}${k}: ${yamlQuoted(p.recordLabels[k])}\n`;
  const recordLines = split ? before + after : labelLines(p.recordLabels, v);
  const exprs = errorExprTexts(p);
  for (let k = 0; k < p.windows.length; k++) {
    const w = p.windows[k];
    const lines = split ? `${before}${v}pace_window: ${yamlQuoted(promDuration(w))}\n${after}` : labelLines({ ...p.recordLabels, pace_window: promDuration(w) }, v);
    out += `    - record: ${sliErrorRecord(w)}\n${i}expr: ${exprs[k]}\n${i}labels:\n${lines}`;
  }
  const meta = (record: string, expr: string) => `    - record: ${record}\n${i}expr: ${yamlExpr(expr)}\n${i}labels:\n${recordLines}`;
  out += meta(RECORDS.objective, `vector(${promqlNumber(p.slo.objective)})`);
  out += meta(RECORDS.errorBudget, `vector(${promqlNumber(p.slo.errorBudget.ratio)})`);
  out += meta(RECORDS.timePeriod, `vector(${promqlNumber(p.sloWindowSeconds / 86_400)})`);
  out += meta(RECORDS.periodBurnRate, `${sliErrorRecord(p.sloWindowSeconds)}${p.selector} / ${promqlNumber(p.slo.errorBudget.ratio)}`);
  out += meta(RECORDS.budgetRemaining, `1 - ${RECORDS.periodBurnRate}${p.selector}`);
  for (const a of p.alerts) {
    out += `    - alert: ${a.name}\n${i}expr: ${yamlExpr(a.expr)}\n`;
    if (a.rule.forSeconds) out += `${i}for: ${promDuration(a.rule.forSeconds)}\n`;
    out += `${i}labels:\n${labelLines(a.labels, v)}${i}annotations:\n${labelLines(a.annotations, v)}`;
  }
  return out;
}

export interface ServicePlan {
  readonly service: Service;
  readonly file: string;
  readonly plans: SloPlan[];
  readonly skipped: string[];
  readonly sources: string[];
  /** Why promtool cannot unit-test this file's rules, when it cannot. */
  readonly untestable?: string;
}

/** The most samples one query may hold in `promtool test rules` (its engine's MaxSamples in 2.42). */
export const PROMTOOL_TEST_MAX_SAMPLES = 10_000;

/**
 * Why promtool's unit tests cannot evaluate an SLO's rules: a time-slice subquery over the SLO
 * window holds one point per slice (43,201 for 30 days of 1-minute slices), above promtool's limit.
 */
function untestable(p: SloPlan): string | undefined {
  if (p.sli.kind !== 'timeslice') return undefined;
  const points = p.sloWindowSeconds / p.sli.sliceSeconds + 1;
  return points > PROMTOOL_TEST_MAX_SAMPLES
    ? `its time-slice subquery over ${promDuration(p.sloWindowSeconds)} holds ${Math.floor(points)} points, more than the ${PROMTOOL_TEST_MAX_SAMPLES} a query may hold in \`promtool test rules\``
    : undefined;
}

/** The rule file name of a service: `checkout.rules.yml`. */
export const ruleFileName = (service: Service) => `${service.name}.rules.yml`;

export function planServices(model: NormalizedModel, sourceOf: SourceOf, options: PrometheusOptions = {}): ServicePlan[] {
  const out: ServicePlan[] = [];
  for (const service of model.services) {
    if (!service.slos.length) continue;
    const plans: SloPlan[] = [];
    const skipped: string[] = [];
    const sources = new Set<string>();
    const add = (id: string) => {
      const s = sourceOf(id);
      if (s) sources.add(s);
    };
    add(service.id);
    for (const slo of service.slos) {
      add(slo.id);
      add(slo.sli);
      if (slo.alerting && slo.alerting.policy !== 'default') add(slo.alerting.policy);
      const p = planSlo(model, service, slo, options);
      if ('skipped' in p) skipped.push(p.skipped);
      else plans.push(p);
    }
    // An SLO promtool cannot evaluate gets a rule file of its own, so that it does not break the
    // unit tests of the service's other SLOs.
    const apart = plans.filter((p) => untestable(p));
    out.push({ service, file: ruleFileName(service), plans: plans.filter((p) => !apart.includes(p)), skipped, sources: [...sources].sort() });
    for (const p of apart) out.push({ service, file: `${service.name}.${p.slo.name}.rules.yml`, plans: [p], skipped: [], sources: [...sources].sort(), untestable: untestable(p) });
  }
  return out;
}

/** The rule file of a service. */
export function ruleFileYaml(sp: ServicePlan): string {
  let out = markerComment(sp.sources);
  out += `# Prometheus recording and alerting rules of service ${sp.service.name}${sp.service.title ? ` (${commentText(sp.service.title)})` : ''}: one group per SLO.\n`;
  for (const s of sp.skipped) out += `# Skipped: ${s}.\n`;
  if (sp.untestable) out += `# A file of its own, without a promtool test file: ${sp.untestable}.\n`;
  if (!sp.plans.length) return out + 'groups: []\n';
  // Concatenated, not joined: the text is read once, and encoding it flattens it once.
  out += 'groups:\n';
  for (const p of sp.plans) out += groupYaml(p);
  return out;
}

export function prometheusRuleFiles(model: NormalizedModel, sourceOf: SourceOf, options: PrometheusOptions = {}): { files: GeneratedFile[]; plans: ServicePlan[] } {
  const plans = planServices(model, sourceOf, options);
  return { files: plans.map((sp) => renderedFile(sp.file, () => ruleFileYaml(sp))), plans };
}
