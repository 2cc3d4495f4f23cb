// `pace generate --target grafana`: Grafana dashboards over the recording rules of the prometheus
// target (docs/generate.md), built with Grafana's typed builders (@grafana/grafana-foundation-sdk):
//   dashboards/<service>.json   a row per SLO: attainment over the SLO window, error budget left,
//                               the objective, firing alerts (stats); burn rates over the alert
//                               windows with the policy's factors as threshold lines, alert state.
//   dashboards/overview.json    every SLO in one table (objective, attainment, budget left, worst
//                               burn rate, firing alerts) linking to its service's dashboard.
//   provisioning/dashboards.yaml  a Grafana file provider that loads the dashboards.
// Every query reads a record the prometheus target writes for that SLO (planSlo's names and
// selector), through the `${datasource}` variable (type prometheus). JSON has no comments: the
// marker opens each dashboard's `description` (output.ts's isGenerated finds it there). Pure and
// deterministic: keys sorted, panel ids and positions from the model's order, no dates.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { PercentUnit } from '@grafana/grafana-foundation-sdk/units';
import { formatDuration, formatPercent, windowLabel } from '../budget/budget.js';
import { promqlNumber } from '../model/error-ratio.js';
import type { NormalizedModel, Service, Slo, SloRule } from '../model/model.js';
import { markerComment, markerText, promDuration, renderedFile, yamlQuoted, type GeneratedFile, type TargetOutput } from './output.js';
import { memo } from '../model/memo.js';
import { planSlo, RECORDS, SLI_ERROR_RECORD, sliErrorRecord, type SloPlan, type SourceOf } from './prometheus.js';

/** pace.yaml's `generate.targets.grafana` (schemas/pace-config.schema.json). */
export interface GrafanaOptions {
  /** The Grafana folder the provisioning file puts the dashboards in. Default `Pace`. */
  readonly folder?: string;
  /** The uid (or name) of the Prometheus data source the `datasource` variable selects at first. Default: Grafana's default Prometheus data source. */
  readonly datasource?: string;
  /** The first part of every dashboard uid. Default `pace`. */
  readonly uidPrefix?: string;
  /** Where Grafana reads the dashboards/ folder (the file provider's `options.path`). Default `/var/lib/grafana/dashboards/pace`. */
  readonly path?: string;
}

export const DASHBOARDS_DIR = 'dashboards';
export const OVERVIEW_FILE = `${DASHBOARDS_DIR}/overview.json`;
export const PROVISIONING_FILE = 'provisioning/dashboards.yaml';
export const DEFAULT_FOLDER = 'Pace';
export const DEFAULT_UID_PREFIX = 'pace';
export const DEFAULT_PATH = '/var/lib/grafana/dashboards/pace';
/** The dashboard variable every query goes through. */
export const DATASOURCE_VARIABLE = 'datasource';
/** Grafana's longest dashboard uid. */
export const MAX_UID_LENGTH = 40;
/** The tag of every Pace dashboard (the dashboards' link menu lists them by it). */
export const TAG = 'pace';

const DS: common.DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };
const COLORS = { good: 'green', bad: 'red', page: 'red', ticket: 'orange', neutral: 'blue', pending: 'orange' } as const;
const WIDTH = 24;

/** FNV-1a (32 bits) of a string, as 6 hex digits. */
function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, 6);
}

/**
 * The uid of a service's dashboard: `pace-checkout`. A name with capitals (uids are compared
 * without case by some databases) or too long for 40 characters gets 6 hex digits of a hash of the
 * name instead of its tail, so two services never share a uid. Service names have no `-`, so a
 * service uid never meets the overview's (`pace-slo-overview`).
 */
export function serviceUid(serviceName: string, prefix = DEFAULT_UID_PREFIX): string {
  const plain = `${prefix}-${serviceName.toLowerCase()}`;
  if (plain.length <= MAX_UID_LENGTH && serviceName === serviceName.toLowerCase()) return plain;
  return `${plain.slice(0, MAX_UID_LENGTH - 7)}-${shortHash(serviceName)}`;
}

export const overviewUid = (prefix = DEFAULT_UID_PREFIX) => `${prefix}-slo-overview`;

/** The file of a service's dashboard; a service named `overview` is `service-overview.json` (no service name has a `-`). */
export const serviceDashboardFile = (service: Service) => `${DASHBOARDS_DIR}/${service.name === 'overview' ? 'service-overview' : service.name}.json`;

/** The SLO's title (`title = "…"`), else its name. */
const sloTitle = (slo: Slo): string => slo.title ?? slo.name;
const serviceTitle = (service: Service): string => service.title ?? service.name;

/**
 * The selector of an SLO's alerts in `ALERTS`: its name and the labels every Pace alert carries.
 * (The one place that knows which alert labels identify an SLO.)
 */
export function alertSelector(plan: SloPlan, extra = ''): string {
  return alertsWith(alertMatchers(plan), extra);
}

/** `ALERTS{…}` of alertMatchers' text, and more matchers. */
const alertsWith = (matchers: string, extra = '') => `ALERTS{${matchers}${extra ? `, ${extra}` : ''}}`;

/** The matchers of alertSelector, without the braces. */
function alertMatchers(plan: SloPlan): string {
  const names = [...new Set(plan.alerts.map((a) => a.name))];
  return [...(names.length === 1 ? [`alertname=${JSON.stringify(names[0])}`] : []), `pace_service=${JSON.stringify(plan.service.name)}`, `pace_slo=${JSON.stringify(plan.slo.name)}`].join(', ');
}

/** The windows the SLO's alert rules read (long and short), ascending. */
function alertWindows(plan: SloPlan): number[] {
  return [...new Set(plan.alerts.flatMap((a) => [a.rule.longWindowSeconds, a.rule.shortWindowSeconds]))].sort((x, y) => x - y);
}

/** Decimals that show an objective exactly in percent (99.95% → 2), and two more for what is measured against it. */
function percentDecimals(ratio: number): number {
  const text = String(Number((ratio * 100).toPrecision(10)));
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

const factorText = memo((f: number) => String(Number(f.toPrecision(6))));

function ruleText(rule: SloRule): string {
  const long = promDuration(rule.longWindowSeconds);
  const short = promDuration(rule.shortWindowSeconds);
  const windows = rule.shortWindowSeconds === rule.longWindowSeconds ? `over ${long}` : `over ${long} and ${short}`;
  return `${rule.severity} when the burn rate is above ${factorText(rule.factor)}× ${windows} (an error ratio of ${formatPercent(rule.threshold)})`;
}

const query = (refId: string, expr: string, legend?: string) => {
  const q = new prometheus.DataqueryBuilder().datasource(DS).refId(refId).expr(expr).editorMode(prometheus.QueryEditorMode.Code);
  return legend === undefined ? q : q.legendFormat(legend);
};

/** Query ids A, B, … Z, then R26, R27… */
const refId = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `R${i}`);

/** A threshold step (the one place that makes them, so that the text path's template of one is its shape). */
const step = (value: number | null, color: string): dashboard.Threshold => ({ value, color });
const thresholds = (steps: dashboard.Threshold[]) => new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);

/** The ids of a dashboard's panels, 1, 2, 3… in the order they are added. */
class Ids {
  private n = 0;
  next(): number {
    return ++this.n;
  }
}

// ---- the panels of one SLO's row ----
// Each panel kind is one builder function of its values (sdk builders, the one definition of the
// panel). The object path builds every panel with it; the text path (serviceDashboardText) builds each
// kind once with placeholders and fills the placeholders in per SLO: the same bytes (a test compares
// both on every sample and a generated project), without building and sorting ~30,000 panel objects
// at 5,000 SLOs.

/** What a stat panel of an SLO's row shows. */
interface StatValues {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly expr: string;
  readonly legend: string;
  readonly decimals: number;
  readonly steps: dashboard.Threshold[];
}

/** The looks of the stat panels: a percentage with its sparkline, a percentage alone, a count on a coloured background. */
const STAT_STYLES = {
  percentArea: { unit: PercentUnit, color: common.BigValueColorMode.Value, graph: common.BigValueGraphMode.Area },
  percent: { unit: PercentUnit, color: common.BigValueColorMode.Value, graph: common.BigValueGraphMode.None },
  count: { unit: undefined, color: common.BigValueColorMode.Background, graph: common.BigValueGraphMode.None },
} as const;
type StatStyle = keyof typeof STAT_STYLES;

function statPanel(style: StatStyle, v: StatValues): stat.PanelBuilder {
  const st = STAT_STYLES[style];
  const b = new stat.PanelBuilder().id(v.id).title(v.title).description(v.description).datasource(DS).withTarget(query('A', v.expr, v.legend));
  if (st.unit) b.unit(st.unit);
  return b.decimals(v.decimals).thresholds(thresholds(v.steps)).reduceOptions(lastValue()).colorMode(st.color).graphMode(st.graph).textMode(common.BigValueTextMode.Value).span(6).height(5);
}

/** One query of a panel: what `query` builds it from. */
interface QueryValues {
  readonly refId: string;
  readonly expr: string;
  readonly legend: string;
}

interface BurnValues {
  readonly id: number;
  readonly description: string;
  /** The queries, one per window. */
  readonly targets: readonly QueryValues[];
  readonly steps: dashboard.Threshold[];
  readonly thresholdsMode: common.GraphThresholdsStyleMode;
}

function burnPanel(width: number, v: BurnValues): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .id(v.id)
    .title('Burn rate')
    .description(v.description)
    .datasource(DS)
    .targets(v.targets.map((t) => query(t.refId, t.expr, t.legend)))
    .unit('suffix:×')
    .decimals(2)
    .min(0)
    .thresholds(thresholds(v.steps))
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(v.thresholdsMode))
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Bottom).calcs(['lastNotNull', 'max']))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .span(width)
    .height(8);
}

interface StateValues {
  readonly id: number;
  readonly description: string;
  readonly expr: string;
}

function statePanel(v: StateValues): statetimeline.PanelBuilder {
  return new statetimeline.PanelBuilder()
    .id(v.id)
    .title('Alert state')
    .description(v.description)
    .datasource(DS)
    .withTarget(query('A', v.expr, '{{severity}}'))
    .mappings([{ type: dashboard.MappingType.ValueToText, options: { '1': { text: 'firing', color: COLORS.bad, index: 0 }, '0.5': { text: 'pending', color: COLORS.pending, index: 1 } } }])
    .thresholds(thresholds([{ value: null, color: COLORS.bad }]))
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .legend(new common.VizLegendOptionsBuilder().showLegend(false))
    .span(8)
    .height(8);
}

/** One panel of an SLO's row: its kind (a builder function and fixed looks) and its values. */
type PanelSpec =
  | { readonly kind: `stat:${StatStyle}`; readonly values: StatValues }
  | { readonly kind: 'burn:16' | 'burn:24'; readonly values: BurnValues }
  | { readonly kind: 'state'; readonly values: StateValues };

function buildPanel(spec: PanelSpec): dashboard.Panel {
  switch (spec.kind) {
    case 'burn:16':
    case 'burn:24':
      return burnPanel(spec.kind === 'burn:16' ? 16 : WIDTH, spec.values).build();
    case 'state':
      return statePanel(spec.values).build();
    default:
      return statPanel(spec.kind.slice('stat:'.length) as StatStyle, spec.values).build();
  }
}

/** The row and the panels of one SLO. */
function sloPanels(plan: SloPlan, ids: Ids): { row: dashboard.RowBuilder; panels: PanelSpec[] } {
  const { slo, sli } = plan;
  const sel = plan.selector;
  const win = promDuration(plan.sloWindowSeconds);
  const decimals = percentDecimals(slo.objective);
  const calendar = slo.window.type === 'calendar' ? ` Prometheus has no calendar ranges: the last ${win}, the window's nominal length.` : '';
  const doc = slo.description ?? sli.description;
  const row = new dashboard.RowBuilder(`${sloTitle(slo)}: ${formatPercent(slo.objective)} over ${windowLabel(slo.window)}`).id(ids.next());
  const panels: PanelSpec[] = [];

  panels.push({
    kind: 'stat:percentArea',
    values: {
      id: ids.next(),
      title: `Attainment (${win})`,
      description: `${doc ? `${doc}\n\n` : ''}The share of good ${sli.kind === 'timeslice' ? 'time slices' : 'events'} of ${sli.id} over the last ${win}: 1 − ${sliErrorRecord(plan.sloWindowSeconds)}. Green from the objective, ${formatPercent(slo.objective)}.${calendar}`,
      expr: `1 - ${sliErrorRecord(plan.sloWindowSeconds)}${sel}`,
      legend: 'attainment',
      decimals: Math.min(decimals + 2, 6),
      steps: [step(null, COLORS.bad), step(slo.objective, COLORS.good)],
    },
  });
  panels.push({
    kind: 'stat:percentArea',
    values: {
      id: ids.next(),
      title: 'Error budget remaining',
      description: `The share of the ${formatPercent(slo.errorBudget.ratio)} error budget (${formatDuration(slo.errorBudget.seconds)} of total outage over ${windowLabel(slo.window)}) not yet spent over the last ${win}: ${RECORDS.budgetRemaining}. Red once it is spent (below 0%).`,
      expr: `${RECORDS.budgetRemaining}${sel}`,
      legend: 'remaining',
      decimals: 1,
      steps: [step(null, COLORS.bad), step(0, COLORS.good)],
    },
  });
  panels.push({
    kind: 'stat:percent',
    values: {
      id: ids.next(),
      title: 'Objective',
      description: `${formatPercent(slo.objective)} of ${sli.id} over ${windowLabel(slo.window)} (${RECORDS.objective}); its error budget is ${formatPercent(slo.errorBudget.ratio)} (${RECORDS.errorBudget}).`,
      expr: `${RECORDS.objective}${sel}`,
      legend: 'objective',
      decimals,
      steps: [step(null, COLORS.neutral)],
    },
  });

  const hasAlerts = plan.alerts.length > 0;
  const rules = plan.alerts.map((a) => a.rule);
  const rulesText = rules.map(ruleText).join('; ');
  // alertSelector's text, made once for the panels that read the alerts.
  const matchers = alertMatchers(plan);
  const selector = alertsWith(matchers);
  const firing = alertsWith(matchers, 'alertstate="firing"');
  panels.push(
    hasAlerts
      ? {
          kind: 'stat:count',
          values: {
            id: ids.next(),
            title: 'Firing alerts',
            description: `Alerts of this SLO firing now (${selector}). Its rules: ${rulesText}.`,
            expr: `count(${firing}) or vector(0)`,
            legend: 'firing',
            decimals: 0,
            steps: [step(null, COLORS.good), step(1, COLORS.bad)],
          },
        }
      : {
          kind: 'stat:percent',
          values: {
            id: ids.next(),
            title: 'Error budget',
            description: `The error ratio the objective allows (${RECORDS.errorBudget}). ${plan.comments.join(' ')}`.trim(),
            expr: `${RECORDS.errorBudget}${sel}`,
            legend: 'budget',
            decimals: Math.min(decimals + 1, 6),
            steps: [step(null, COLORS.neutral)],
          },
        },
  );

  // Burn rates: the error ratio over each alert window / the budget, and the SLO window's (the period burn rate).
  const budgetText = promqlNumber(slo.errorBudget.ratio);
  const windows = alertWindows(plan).filter((w) => w !== plan.sloWindowSeconds);
  const burnQueries: QueryValues[] = windows.map((w, i) => ({ refId: refId(i), expr: `${sliErrorRecord(w)}${sel} / ${budgetText}`, legend: promDuration(w) }));
  burnQueries.push({ refId: refId(windows.length), expr: `${RECORDS.periodBurnRate}${sel}`, legend: `${win} (SLO window)` });
  // One threshold step per factor, coloured by the most urgent severity that uses it.
  const factors = new Map<number, SloRule['severity']>();
  for (const r of rules) if (factors.get(r.factor) !== 'page') factors.set(r.factor, r.severity);
  const steps: dashboard.Threshold[] = [step(null, 'transparent'), ...[...factors.keys()].sort((a, b) => a - b).map((f) => step(f, COLORS[factors.get(f)!]))];
  panels.push({
    kind: hasAlerts ? 'burn:16' : 'burn:24',
    values: {
      id: ids.next(),
      description:
        `How fast the error budget burns: the error ratio over each window divided by the ${formatPercent(slo.errorBudget.ratio)} budget (1× spends it exactly over ${windowLabel(slo.window)}).` +
        (rules.length ? ` The dashed lines are the alert rules' factors: ${rulesText}.` : ` ${plan.comments.join(' ')}`),
      targets: burnQueries,
      steps,
      thresholdsMode: rules.length ? common.GraphThresholdsStyleMode.Dashed : common.GraphThresholdsStyleMode.Off,
    },
  });
  if (hasAlerts)
    panels.push({
      kind: 'state',
      values: {
        id: ids.next(),
        description: `When this SLO's alerts were pending or firing, by severity (${selector}).`,
        expr: `max by (severity) (${firing}) or 0.5 * max by (severity) (${alertsWith(matchers, 'alertstate="pending"')})`,
      },
    });
  return { row, panels };
}

// ---- panel templates (the text path) ----

/**
 * Placeholders: a string, a number, any JSON value, or an array whose items are each filled in from
 * the item template of its name (ITEMS), by name (NUL never comes out of a builder, and JSON writes
 * it \u0000).
 */
const placeholder = (kind: 's' | 'n' | 'j' | 'a', name: string) => `\u0000${kind}:${name}\u0000`;
const PLACEHOLDER = /"\\u0000([snja]):([A-Za-z]+)\\u0000"/g;

interface Template {
  /** The text around the slots: pieces[0] slot[0] pieces[1] … */
  readonly pieces: string[];
  readonly slots: { readonly kind: string; readonly name: string; readonly indent: string }[];
}

/** The sorted JSON of a value built with placeholders, every line at `indent` (the first too), cut at the placeholders. */
function makeTemplate(value: unknown, indent: string): Template {
  const text = `${indent}${sortedJson(value).replace(/\n/g, `\n${indent}`)}`;
  const pieces: string[] = [];
  const slots: { kind: string; name: string; indent: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    pieces.push(text.slice(last, m.index));
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    slots.push({ kind: m[1], name: m[2], indent: /^ */.exec(text.slice(lineStart))![0] });
    last = m.index! + m[0].length;
  }
  pieces.push(text.slice(last));
  return { pieces, slots };
}

/** The JSON text of a value at the indentation of the line it starts on. */
const nestedJson = (v: unknown, indent: string): string => sortedJson(v).replace(/\n/g, `\n${indent}`);

/** A template filled in from `values`, and the grid position's `x` and `y` from `at` (a panel's). */
function render(t: Template, values: Readonly<Record<string, unknown>>, at?: { readonly x?: number; readonly y?: number }): string {
  let out = t.pieces[0];
  for (let i = 0; i < t.slots.length; i++) {
    const slot = t.slots[i];
    const v = at && (slot.name === 'x' || slot.name === 'y') ? at[slot.name] : values[slot.name];
    if (v === undefined) throw new Error(`grafana template: no value for ${slot.name}`);
    out += slot.kind === 'a' ? arrayJson(slot.name, v as readonly object[], slot.indent) : slot.kind === 'j' ? nestedJson(v, slot.indent) : JSON.stringify(v);
    out += t.pieces[i + 1];
  }
  return out;
}

/**
 * The items of the panels' arrays that vary per SLO, built once with placeholders by the functions
 * that build them (`query`, `step`): the burn rate panel's queries and every panel's threshold steps.
 * An item's values are the item itself (QueryValues, dashboard.Threshold).
 */
const ITEMS: Readonly<Record<string, () => unknown>> = {
  targets: () => query(placeholder('s', 'refId'), placeholder('s', 'expr'), placeholder('s', 'legend')).build(),
  steps: () => step(placeholder('n', 'value') as unknown as number, placeholder('s', 'color')),
};

const itemTemplates = new Map<string, Template>();

/** nestedJson of an array of ITEMS[name]'s items, each filled into the item's template at the array's depth. */
function arrayJson(name: string, items: readonly object[], indent: string): string {
  if (!items.length) return '[]';
  const inner = `${indent}  `;
  const key = `${name}\0${inner}`;
  let t = itemTemplates.get(key);
  if (!t) itemTemplates.set(key, (t = makeTemplate(ITEMS[name](), inner)));
  let out = '[\n';
  for (let i = 0; i < items.length; i++) out += (i ? ',\n' : '') + render(t, items[i] as Readonly<Record<string, unknown>>);
  return `${out}\n${indent}]`;
}

/** The indentation of a dashboard's `panels` items (2-space JSON: the dashboard, its `panels`, the item). */
const PANEL_INDENT = '    ';

/** Placeholder values of every kind; the grid position (`x`, `y`) is the dashboard builder's. */
function templateSpec(kind: PanelSpec['kind']): PanelSpec {
  const n = (name: string) => placeholder('n', name) as unknown as number;
  const str = (name: string) => placeholder('s', name);
  const items = <T>(name: keyof typeof ITEMS) => placeholder('a', name) as unknown as T;
  if (kind === 'state') return { kind, values: { id: n('id'), description: str('description'), expr: str('expr') } };
  if (kind === 'burn:16' || kind === 'burn:24') return { kind, values: { id: n('id'), description: str('description'), targets: items('targets'), steps: items('steps'), thresholdsMode: str('thresholdsMode') as common.GraphThresholdsStyleMode } };
  return { kind, values: { id: n('id'), title: str('title'), description: str('description'), expr: str('expr'), legend: str('legend'), decimals: n('decimals'), steps: items('steps') } };
}

const templates = new Map<PanelSpec['kind'], Template>();
function templateOf(kind: PanelSpec['kind']): Template {
  let t = templates.get(kind);
  if (!t) {
    const spec = templateSpec(kind);
    // `targets` is a list of builders in burnPanel: the placeholder goes in after the build.
    const panel = buildPanel(kind.startsWith('burn') ? { ...spec, values: { ...(spec.values as BurnValues), targets: [] } } as PanelSpec : spec);
    if (kind.startsWith('burn')) (panel as { targets?: unknown }).targets = placeholder('a', 'targets');
    panel.gridPos = { ...panel.gridPos!, x: placeholder('n', 'x') as unknown as number, y: placeholder('n', 'y') as unknown as number };
    templates.set(kind, (t = makeTemplate(panel, PANEL_INDENT)));
  }
  return t;
}

/**
 * The head of a service's dashboard (its members, `panels` empty) with placeholders for what
 * differs between services (ServiceHead), once per options: the dashboardJson of serviceBase.
 */
const headTemplates = new WeakMap<GrafanaOptions, Template>();
function headTemplate(options: GrafanaOptions): Template {
  let t = headTemplates.get(options);
  if (!t) {
    const str = (name: keyof ServiceHead) => placeholder('s', name);
    const d = serviceBase({ title: str('title'), uid: str('uid'), description: str('description'), tag: str('tag') }, options).build();
    headTemplates.set(options, (t = makeTemplate({ ...d, panels: [] }, '')));
    // dashboardJson ends with a newline.
    t.pieces[t.pieces.length - 1] += '\n';
  }
  return t;
}

/** A row as the dashboard builder makes one of a RowBuilder with a title and an id: its members, and `panels` empty. */
const ROW_KEYS = ['collapsed', 'gridPos', 'id', 'panels', 'title', 'type'].join();
function isPlainRow(p: dashboard.Panel): boolean {
  const r = p as unknown as { type?: unknown; title?: unknown; id?: unknown; collapsed?: unknown; panels?: unknown[] };
  const at = p.gridPos;
  return (
    r.type === 'row' &&
    typeof r.title === 'string' &&
    typeof r.id === 'number' &&
    r.collapsed === false &&
    Array.isArray(r.panels) &&
    r.panels.length === 0 &&
    at?.h === 1 &&
    at.w === WIDTH &&
    Object.keys(at).length === 4 &&
    Object.keys(p).sort().join() === ROW_KEYS
  );
}

let rowTemplateMade: Template | undefined;
function rowTemplate(): Template {
  if (!rowTemplateMade) {
    const row = new dashboard.DashboardBuilder('').withRow(new dashboard.RowBuilder(placeholder('s', 'title')).id(placeholder('n', 'id') as unknown as number)).build().panels![0];
    row.gridPos = { ...row.gridPos!, x: placeholder('n', 'x') as unknown as number, y: placeholder('n', 'y') as unknown as number };
    rowTemplateMade = makeTemplate(row, PANEL_INDENT);
  }
  return rowTemplateMade;
}

/** The links every Pace dashboard shows: the overview (from a service dashboard) and a menu of all Pace dashboards. */
function dashboardLinks(prefix: string, toOverview: boolean): dashboard.DashboardLinkBuilder[] {
  const links: dashboard.DashboardLinkBuilder[] = [];
  if (toOverview)
    links.push(
      new dashboard.DashboardLinkBuilder('SLO overview')
        .type(dashboard.DashboardLinkType.Link)
        .url(`/d/${overviewUid(prefix)}`)
        .icon('dashboard')
        .tooltip('Every SLO of the project')
        .tags([])
        .asDropdown(false)
        .targetBlank(false)
        .includeVars(true)
        .keepTime(true),
    );
  links.push(
    new dashboard.DashboardLinkBuilder('Pace dashboards').type(dashboard.DashboardLinkType.Dashboards).icon('external link').tooltip('').tags([TAG]).asDropdown(true).targetBlank(false).includeVars(true).keepTime(true),
  );
  return links;
}

function datasourceVariable(options: GrafanaOptions): dashboard.DatasourceVariableBuilder {
  const v = new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE).label('Data source').type('prometheus').description('The Prometheus that evaluates the rules of `pace generate --target prometheus`.');
  return options.datasource ? v.current({ selected: true, text: options.datasource, value: options.datasource }) : v;
}

/** Grafana's own annotations (alerts and annotations of the dashboard), as a dashboard made in Grafana has them. */
const builtInAnnotations = () =>
  new dashboard.AnnotationQueryBuilder()
    .name('Annotations & Alerts')
    .builtIn(1)
    .datasource({ type: 'grafana', uid: '-- Grafana --' })
    .enable(true)
    .hide(true)
    .iconColor('rgba(0, 211, 255, 1)')
    .type('dashboard');

function baseDashboard(title: string, uid: string, description: string, tags: string[], options: GrafanaOptions, toOverview: boolean): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(tags)
    .readonly()
    .time({ from: 'now-24h', to: 'now' })
    .refresh('1m')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(datasourceVariable(options))
    .annotation(builtInAnnotations())
    .links(
      // Above the panels, where Grafana has always shown them (the builder's default puts them in Grafana 12's controls menu).
      dashboardLinks(options.uidPrefix ?? DEFAULT_UID_PREFIX, toOverview).map((l) => ({
        build: () => {
          const link = l.build();
          delete link.placement;
          return link;
        },
      })),
    );
}

/** What a service's dashboard says of itself beside its panels (the values of headTemplate's placeholders). */
interface ServiceHead {
  readonly title: string;
  readonly uid: string;
  readonly description: string;
  /** Its last tag, after `pace` and `slo`. */
  readonly tag: string;
}

function serviceHead(service: Service, skipped: readonly string[], sources: readonly string[], options: GrafanaOptions): ServiceHead {
  return {
    title: `${serviceTitle(service)} SLOs`,
    uid: serviceUid(service.name, options.uidPrefix ?? DEFAULT_UID_PREFIX),
    description: [markerText(sources), service.description, ...skipped.map((s) => `Skipped: ${s}.`)].filter(Boolean).join('\n\n'),
    tag: `service:${service.name}`,
  };
}

const serviceBase = (h: ServiceHead, options: GrafanaOptions) => baseDashboard(h.title, h.uid, h.description, [TAG, 'slo', h.tag], options, true);

/** The dashboard of one service, a row per SLO: the dashboard builder with the panels still to build. */
function serviceDashboardBuilder(head: ServiceHead, plans: readonly SloPlan[], options: GrafanaOptions, panel: (spec: PanelSpec) => dashboard.Panel): dashboard.DashboardBuilder {
  const b = serviceBase(head, options);
  const ids = new Ids();
  for (const plan of plans) {
    const { row, panels } = sloPanels(plan, ids);
    b.withRow(row);
    for (const p of panels) b.withPanel({ build: () => panel(p) });
  }
  return b;
}

/** The dashboard of one service as Grafana's dashboard model, every panel built with the sdk. */
export function serviceDashboard(service: Service, plans: readonly SloPlan[], skipped: readonly string[], sources: readonly string[], options: GrafanaOptions = {}): dashboard.Dashboard {
  return serviceDashboardBuilder(serviceHead(service, skipped, sources, options), plans, options, buildPanel).build();
}

/**
 * The JSON text of serviceDashboard (the same bytes as dashboardJson of it): the dashboard builder
 * lays out stand-ins of the panels' sizes, and each panel's text comes from its kind's template.
 */
export function serviceDashboardText(service: Service, plans: readonly SloPlan[], skipped: readonly string[], sources: readonly string[], options: GrafanaOptions = {}): string {
  const specs = new Map<object, PanelSpec>();
  const stand = (spec: PanelSpec): dashboard.Panel => {
    const w = spec.kind === 'burn:16' ? 16 : spec.kind === 'burn:24' ? WIDTH : spec.kind === 'state' ? 8 : 6;
    const p = { type: '', gridPos: { h: spec.kind.startsWith('stat') ? 5 : 8, w, x: 0, y: 0 } };
    specs.set(p, spec);
    return p;
  };
  const h = serviceHead(service, skipped, sources, options);
  const d = serviceDashboardBuilder(h, plans, options, stand).build();
  // The dashboard's own members, with an empty `panels` to put the items in: in 2-space JSON, a
  // top-level member is the only place a line can read `  "panels": []` (a newline in a string is `\n`).
  const head = render(headTemplate(options), h as unknown as Readonly<Record<string, unknown>>);
  const at = head.indexOf('\n  "panels": []');
  const panels = d.panels ?? [];
  if (at < 0 || !panels.length) return head;
  // Concatenated, not joined: the text is read once, and encoding it flattens it once.
  let out = `${head.slice(0, at)}\n  "panels": [\n`;
  for (let i = 0; i < panels.length; i++) {
    const p = panels[i];
    const spec = specs.get(p);
    if (i) out += ',\n';
    out += spec
      ? render(templateOf(spec.kind), spec.values as unknown as Readonly<Record<string, unknown>>, p.gridPos)
      : isPlainRow(p)
        ? render(rowTemplate(), p as unknown as Readonly<Record<string, unknown>>, p.gridPos)
        : `${PANEL_INDENT}${nestedJson(p, PANEL_INDENT)}`;
  }
  return `${out}\n  ]${head.slice(at + '\n  "panels": []'.length)}`;
}

interface OverviewEntry {
  readonly service: Service;
  readonly plans: readonly SloPlan[];
}

/** The overview: counts over all SLOs, then one table row per SLO with a link to its service's dashboard. */
export function overviewDashboard(model: NormalizedModel, entries: readonly OverviewEntry[], sources: readonly string[], options: GrafanaOptions = {}): dashboard.Dashboard {
  const prefix = options.uidPrefix ?? DEFAULT_UID_PREFIX;
  const plans = entries.flatMap((e) => e.plans);
  const names = entries.map((e) => e.service.name);
  // Only this project's SLOs: its services' names (identifiers, so no regex escaping is needed).
  const f = `pace_service=~"${names.join('|')}"`;
  const by = 'max by (pace_service, pace_slo)';
  const windows = [...new Set(plans.flatMap((p) => p.windows))].sort((a, b) => a - b).map(promDuration);
  const errorRecords = `{__name__=~"${SLI_ERROR_RECORD}(?:${windows.join('|')})", ${f}}`;
  const exprs = {
    // The objective, with the uid of the service's dashboard as a label for the table's link.
    objective: entries.map((e) => `label_replace(${by} (${RECORDS.objective}{pace_service=${JSON.stringify(e.service.name)}}), "pace_dashboard", ${JSON.stringify(serviceUid(e.service.name, prefix))}, "", "")`).join(' or '),
    attainment: `1 - ${by} (${RECORDS.periodBurnRate}{${f}}) * ${by} (${RECORDS.errorBudget}{${f}})`,
    remaining: `${by} (${RECORDS.budgetRemaining}{${f}})`,
    burn: `${by} (${errorRecords} / on (pace_service, pace_slo) group_left () ${by} (${RECORDS.errorBudget}{${f}}))`,
    firing: `count by (pace_service, pace_slo) (ALERTS{alertstate="firing", ${f}}) or 0 * ${by} (${RECORDS.objective}{${f}})`,
  };
  const columns: Record<keyof typeof exprs, string> = { objective: 'Objective', attainment: 'Attainment', remaining: 'Budget left', burn: 'Worst burn rate', firing: 'Firing alerts' };
  const decimals = Math.max(0, ...plans.map((p) => percentDecimals(p.slo.objective)));
  const ids = new Ids();
  const total = plans.length;
  const count = (id: number, title: string, description: string, expr: string, steps: dashboard.Threshold[]) =>
    new stat.PanelBuilder()
      .id(id)
      .title(title)
      .description(description)
      .datasource(DS)
      .withTarget(query('A', expr, title))
      .decimals(0)
      .thresholds(thresholds(steps))
      .reduceOptions(lastValue())
      .colorMode(common.BigValueColorMode.Background)
      .graphMode(common.BigValueGraphMode.Area)
      .textMode(common.BigValueTextMode.Value)
      .span(6)
      .height(4);
  const about = [markerText(sources), `The ${total} SLOs of ${model.project ?? 'the project'}, over the records of \`pace generate --target prometheus\`.`].join('\n\n');
  const b = baseDashboard(`${model.project ? `${model.project} ` : ''}SLO overview`, overviewUid(prefix), about, [TAG, 'slo', 'overview'], options, false);
  b.withRow(new dashboard.RowBuilder('Now').id(ids.next()));
  b.withPanel(count(ids.next(), 'SLOs within budget', `SLOs whose error budget is not spent over their window, of ${total}.`, `count(${by} (${RECORDS.budgetRemaining}{${f}}) >= 0) or vector(0)`, [{ value: null, color: COLORS.good }]));
  b.withPanel(count(ids.next(), 'SLOs out of budget', `SLOs whose error budget is spent over their window, of ${total}.`, `count(${by} (${RECORDS.budgetRemaining}{${f}}) < 0) or vector(0)`, [{ value: null, color: COLORS.good }, { value: 1, color: COLORS.bad }]));
  b.withPanel(count(ids.next(), 'Firing pages', 'Page alerts of these SLOs firing now.', `count(ALERTS{alertstate="firing", severity="page", ${f}}) or vector(0)`, [{ value: null, color: COLORS.good }, { value: 1, color: COLORS.page }]));
  b.withPanel(count(ids.next(), 'Firing tickets', 'Ticket alerts of these SLOs firing now.', `count(ALERTS{alertstate="firing", severity="ticket", ${f}}) or vector(0)`, [{ value: null, color: COLORS.good }, { value: 1, color: COLORS.ticket }]));
  b.withRow(new dashboard.RowBuilder('SLOs').id(ids.next()));

  const titles = Object.fromEntries(entries.filter((e) => e.service.title).map((e, i) => [e.service.name, { text: e.service.title!, index: i }]));
  const slos = Object.fromEntries(plans.filter((p) => sloTitle(p.slo) !== p.slo.name).map((p, i) => [p.slo.name, { text: sloTitle(p.slo), index: i }]));
  const keys = Object.keys(exprs) as (keyof typeof exprs)[];
  const renames: Record<string, string> = { pace_service: 'Service', pace_slo: 'SLO', ...Object.fromEntries(keys.map((k) => [`Value #${k}`, columns[k]])) };
  const order = ['Service', 'SLO', ...keys.map((k) => columns[k])];
  const tableBuilder = new table.PanelBuilder()
    .id(ids.next())
    .title('Service level objectives')
    .description(
      'One row per SLO, the worst first: objective, attainment over its window, error budget left, the highest burn rate over any of its windows, firing alerts. ' +
        "A service's name opens its dashboard.",
    )
    .datasource(DS)
    .targets(keys.map((k) => query(k, exprs[k]).instant().format(prometheus.PromQueryFormat.Table)))
    .transformations([
      { id: 'merge', options: {} },
      { id: 'organize', options: { excludeByName: { Time: true }, renameByName: renames, indexByName: Object.fromEntries(order.map((n, i) => [n, i])) } },
    ])
    .sortBy([new common.TableSortByFieldStateBuilder().displayName(columns.remaining).desc(false)])
    .overrideByName('pace_dashboard', [{ id: 'custom.hidden', value: true }])
    .overrideByName('Service', [
      { id: 'links', value: [{ title: 'Open the dashboard of ${__data.fields.Service}', url: `/d/\${__data.fields.pace_dashboard}?\${__url_time_range}&\${${DATASOURCE_VARIABLE}:queryparam}` }] },
      ...(Object.keys(titles).length ? [{ id: 'mappings', value: [{ type: dashboard.MappingType.ValueToText, options: titles }] }] : []),
    ])
    .overrideByName('SLO', Object.keys(slos).length ? [{ id: 'mappings', value: [{ type: dashboard.MappingType.ValueToText, options: slos }] }] : [])
    .overrideByName(columns.objective, [
      { id: 'unit', value: PercentUnit },
      { id: 'decimals', value: decimals },
    ])
    .overrideByName(columns.attainment, [
      { id: 'unit', value: PercentUnit },
      { id: 'decimals', value: Math.min(decimals + 2, 6) },
    ])
    .overrideByName(columns.remaining, [
      { id: 'unit', value: PercentUnit },
      { id: 'decimals', value: 1 },
      { id: 'thresholds', value: { mode: dashboard.ThresholdsMode.Absolute, steps: [{ value: null, color: COLORS.bad }, { value: 0, color: COLORS.good }] } },
      { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorBackground } },
    ])
    .overrideByName(columns.burn, [
      { id: 'unit', value: 'suffix:×' },
      { id: 'decimals', value: 2 },
      { id: 'thresholds', value: { mode: dashboard.ThresholdsMode.Absolute, steps: [{ value: null, color: COLORS.good }, { value: 1, color: COLORS.ticket }] } },
      { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorText } },
    ])
    .overrideByName(columns.firing, [
      { id: 'decimals', value: 0 },
      { id: 'thresholds', value: { mode: dashboard.ThresholdsMode.Absolute, steps: [{ value: null, color: COLORS.good }, { value: 1, color: COLORS.bad }] } },
      { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorBackground } },
    ])
    .span(WIDTH)
    .height(Math.min(Math.max(total + 3, 6), 40));
  b.withPanel(tableBuilder);
  return b.build();
}

/** A copy of a JSON value with every object's keys sorted (arrays keep their order; `undefined` and function members dropped, as JSON.stringify drops them). */
function sortKeys(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const a = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) a[i] = sortKeys(v[i]);
    return a;
  }
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src).sort()) {
    const x = src[k];
    if (x !== undefined && typeof x !== 'function') out[k] = sortKeys(x);
  }
  return out;
}

/** JSON with 2-space indentation and every object's keys sorted. */
export const sortedJson = (value: unknown): string => JSON.stringify(sortKeys(value), null, 2);

export const dashboardJson = (d: dashboard.Dashboard): string => `${sortedJson(d)}\n`;

function provisioningYaml(options: GrafanaOptions, sources: readonly string[]): string {
  const prefix = options.uidPrefix ?? DEFAULT_UID_PREFIX;
  return (
    markerComment(sources) +
    '# A Grafana dashboard provider: mount this file into /etc/grafana/provisioning/dashboards/ and the\n' +
    `# dashboards/ folder beside it at ${options.path ?? DEFAULT_PATH} (docs/generate.md).\n` +
    'apiVersion: 1\n' +
    'providers:\n' +
    `  - name: ${yamlQuoted(prefix)}\n` +
    '    orgId: 1\n' +
    `    folder: ${yamlQuoted(options.folder ?? DEFAULT_FOLDER)}\n` +
    '    type: file\n' +
    '    disableDeletion: false\n' +
    '    allowUiUpdates: false\n' +
    '    updateIntervalSeconds: 60\n' +
    '    options:\n' +
    `      path: ${yamlQuoted(options.path ?? DEFAULT_PATH)}\n` +
    '      foldersFromFilesStructure: false\n'
  );
}

/** The dashboards of a model, and the provisioning file. */
export function grafanaFiles(model: NormalizedModel, sourceOf: SourceOf, options: GrafanaOptions = {}): TargetOutput {
  const notes: string[] = [];
  const files: GeneratedFile[] = [];
  const entries: OverviewEntry[] = [];
  const allSources = new Set<string>();
  for (const service of model.services) {
    if (!service.slos.length) continue;
    const sources = new Set<string>();
    const add = (id: string) => {
      const s = sourceOf(id);
      if (s) sources.add(s);
    };
    add(service.id);
    const plans: SloPlan[] = [];
    const skipped: string[] = [];
    for (const slo of service.slos) {
      add(slo.id);
      add(slo.sli);
      if (slo.alerting && slo.alerting.policy !== 'default') add(slo.alerting.policy);
      const p = planSlo(model, service, slo);
      if ('skipped' in p) skipped.push(p.skipped);
      else plans.push(p);
    }
    for (const s of skipped) notes.push(`skipped ${s}`);
    if (!plans.length) continue;
    const srcs = [...sources].sort();
    srcs.forEach((s) => allSources.add(s));
    if (service.name === 'overview') notes.push(`the dashboard of service overview is ${serviceDashboardFile(service)} (overview.json is the project's overview)`);
    files.push(renderedFile(serviceDashboardFile(service), () => serviceDashboardText(service, plans, skipped, srcs, options)));
    entries.push({ service, plans });
  }
  const sources = [...allSources].sort();
  if (entries.length) files.push(renderedFile(OVERVIEW_FILE, () => dashboardJson(overviewDashboard(model, entries, sources, options))));
  files.push({ path: PROVISIONING_FILE, text: provisioningYaml(options, sources) });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { target: 'grafana', files, notes };
}
