// Generated from schemas/pace-model.schema.json by `npm run gen:model`. Do not edit.
/* eslint-disable */

/**
 * A declared name.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "name".
 */
export type Name = string;
/**
 * A service id: `service:name`.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "serviceId".
 */
export type ServiceId = string;
/**
 * A service level indicator, by kind.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "sli".
 */
export type Sli = RatioSli | LatencySli | TimesliceSli | PromqlSli;
/**
 * An SLI id: `sli:service.name`.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "sliId".
 */
export type SliId = string;
/**
 * An objective as a ratio strictly between 0 and 1 (99.9% → 0.999).
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "objectiveRatio".
 */
export type ObjectiveRatio = number;
/**
 * A rolling window in seconds, or a calendar period in an IANA time zone (canonical name).
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "window".
 */
export type Window = RollingWindow | CalendarWindow;
/**
 * An alerting policy id: `policy:name`.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "policyId".
 */
export type PolicyId = string;
/**
 * A share in [0, 1].
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "share".
 */
export type Share = number;
/**
 * An SLO id: `slo:service.name`.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "sloId".
 */
export type SloId = string;

/**
 * The Pace normalized model: a project after checking, with defaults applied, references resolved to typed ids and units normalized (objectives, budgets and thresholds as ratios in [0, 1]; durations in seconds). It is the one contract between the checker and everything after it (preview, generators, importers, diff, report); printed by `pace check --emit-model`.
 *
 * Ids are typed by kind, so that an SLI and an SLO of the same name never meet: `service:checkout`, `sli:checkout.availability`, `slo:checkout.availability`, `sla:checkout.enterprise`, `policy:fast_burn`, `objective:growth`, `kpi:growth.conversion`. A member id is `kind:parent.name`. Every declaration appears exactly once; arrays are sorted by id.
 */
export interface NormalizedModel {
  version: 1;
  /**
   * `name` in pace.yaml.
   */
  project?: string;
  labels: Labels;
  services: Service[];
  alertingPolicies: AlertingPolicy[];
  objectives: Objective[];
}
/**
 * Label name → value, sorted by name.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "labels".
 */
export interface Labels {
  [k: string]: string;
}
/**
 * A service with its SLIs, SLOs and SLAs.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "service".
 */
export interface Service {
  /**
   * Typed id: `service:name`.
   */
  id: string;
  name: Name;
  /**
   * From `description = "…"` or the `///` doc comment above the block.
   */
  description?: string;
  title?: string;
  owner?: string;
  tier?: 'critical' | 'high' | 'medium' | 'low';
  labels: Labels;
  /**
   * Hard dependencies (bound its availability).
   */
  dependsOn: ServiceId[];
  /**
   * Soft dependencies (not counted in the bound).
   */
  softDependsOn: ServiceId[];
  /**
   * The availability SLO: the highest objective among its SLOs on ratio SLIs.
   */
  availabilitySlo?: string;
  slis: Sli[];
  slos: Slo[];
  slas: Sla[];
}
/**
 * Good (or bad) events over all events, from counters.
 */
export interface RatioSli {
  /**
   * Typed id: `sli:service.name`.
   */
  id: string;
  name: Name;
  /**
   * The service it belongs to.
   */
  service: string;
  /**
   * From `description = "…"` or the `///` doc comment above the block.
   */
  description?: string;
  kind: 'ratio';
  good?: Selector;
  bad?: Selector;
  total: Selector;
}
/**
 * A PromQL instant selector.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "selector".
 */
export interface Selector {
  /**
   * The metric name, if written.
   */
  metric?: string;
  matchers: Matcher[];
  /**
   * The selector as PromQL.
   */
  text: string;
}
/**
 * One label matcher of a selector.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "matcher".
 */
export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  /**
   * The value, unescaped; a regex for `=~` and `!~` (RE2, anchored as in PromQL).
   */
  value: string;
}
/**
 * Requests faster than a threshold, from a histogram (`histogram` is its base name, without `_bucket`): the `_bucket` series with `le` equal to the threshold over `_count`.
 */
export interface LatencySli {
  /**
   * Typed id: `sli:service.name`.
   */
  id: string;
  name: Name;
  /**
   * The service it belongs to.
   */
  service: string;
  /**
   * From `description = "…"` or the `///` doc comment above the block.
   */
  description?: string;
  kind: 'latency';
  histogram: Selector;
  /**
   * The latency threshold; a bucket with this `le` must exist.
   */
  underSeconds: number;
}
/**
 * The share of time slices in which a gauge is good.
 */
export interface TimesliceSli {
  /**
   * Typed id: `sli:service.name`.
   */
  id: string;
  name: Name;
  /**
   * The service it belongs to.
   */
  service: string;
  /**
   * From `description = "…"` or the `///` doc comment above the block.
   */
  description?: string;
  kind: 'timeslice';
  gauge: Selector;
  goodWhen: Comparison;
  sliceSeconds: number;
}
/**
 * A comparison with a number in the model’s units.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "comparison".
 */
export interface Comparison {
  op: '<' | '<=' | '>' | '>=' | '==';
  value: number;
}
/**
 * Raw PromQL; `$window` stands for the range. Either `good` or `bad` with `total` (event rates), or `errorRatio` alone.
 */
export interface PromqlSli {
  /**
   * Typed id: `sli:service.name`.
   */
  id: string;
  name: Name;
  /**
   * The service it belongs to.
   */
  service: string;
  /**
   * From `description = "…"` or the `///` doc comment above the block.
   */
  description?: string;
  kind: 'promql';
  good?: string;
  bad?: string;
  /**
   * PromQL rate of all events (with `good` or `bad`).
   */
  total?: string;
  /**
   * PromQL of the error ratio itself (Sloth's `raw.error_ratio_query`), instead of `good`/`bad` and `total`.
   */
  errorRatio?: string;
}
/**
 * A service level objective.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "slo".
 */
export interface Slo {
  /**
   * Typed id: `slo:service.name`.
   */
  id: string;
  name: Name;
  /**
   * `title = "…"`: a human-readable name.
   */
  title?: string;
  /**
   * The service it belongs to.
   */
  service: string;
  /**
   * From `description = "…"` or the `///` doc comment above the block.
   */
  description?: string;
  sli: SliId;
  objective: ObjectiveRatio;
  window: Window;
  errorBudget: ErrorBudget;
  /**
   * null with `alerting = none`.
   */
  alerting: SloAlerting | null;
  labels: Labels;
  /**
   * `alert_name = "…"`: the name of its alerts as written; the resolved name is `alerting.name`.
   */
  alertName?: string;
  annotations?: Labels2;
  page?: AlertMeta2;
  ticket?: AlertMeta3;
}
/**
 * A rolling window.
 */
export interface RollingWindow {
  type: 'rolling';
  seconds: number;
}
/**
 * Each calendar week (ISO, from Monday), month or quarter in a time zone.
 */
export interface CalendarWindow {
  type: 'calendar';
  unit: 'week' | 'month' | 'quarter';
  /**
   * Canonical IANA name, e.g. `Europe/London`; `UTC` by default.
   */
  timeZone: string;
}
/**
 * What an objective allows to be bad over its window.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "errorBudget".
 */
export interface ErrorBudget {
  /**
   * 1 − objective.
   */
  ratio: number;
  /**
   * Allowed bad time over the window (a nominal 30-day month, 90-day quarter for calendar windows).
   */
  seconds: number;
  /**
   * Calendar windows: the shortest period’s budget (February).
   */
  minSeconds?: number;
  /**
   * Calendar windows: the longest period’s budget (a 31-day month).
   */
  maxSeconds?: number;
}
/**
 * How an SLO is alerted.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "alerting".
 */
export interface SloAlerting {
  /**
   * A policy id, or `default` (the built-in policy, scaled to the window).
   */
  policy: PolicyId | 'default';
  /**
   * With `default`: Sloth’s catalogue (28d, 30d, calendar month), windows scaled to the SLO window, or none (windows under 1d).
   */
  defaultMode?: 'sloth' | 'scaled' | 'unavailable';
  rules: SloRule[];
  /**
   * The alerts' name: `alert_name`, else `<Service><Slo>ErrorBudgetBurn` in PascalCase.
   */
  name: string;
  page: AlertMeta;
  ticket: AlertMeta1;
}
/**
 * An alert rule applied to an SLO, with what follows from it.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "sloRule".
 */
export interface SloRule {
  severity: 'page' | 'ticket';
  factor: number;
  longWindowSeconds: number;
  shortWindowSeconds: number;
  /**
   * A single-window rule (`over 1h` with no short window): `shortWindowSeconds` equals `longWindowSeconds`.
   */
  singleWindow?: true;
  /**
   * How long the condition must hold before it fires.
   */
  forSeconds?: number;
  /**
   * factor × budget: the error ratio above which it fires.
   */
  threshold: number;
  /**
   * Share of the window’s budget spent over the long window before it fires.
   */
  budgetSpent: number;
  /**
   * From the start of a total outage until it fires; null when it never fires.
   */
  timeToFireSeconds: number | null;
  /**
   * threshold ≥ 1: no error ratio can exceed it.
   */
  neverFires: boolean;
}
/**
 * What page alerts carry beyond the SLO's labels: the policy's labels, then its `page` block's, then the SLO's `page` block's (later wins); annotations likewise, the SLO's `annotations` before its `page` block's.
 */
export interface AlertMeta {
  labels: Labels;
  annotations: Labels1;
}
/**
 * Label name → value, sorted by name.
 */
export interface Labels1 {
  [k: string]: string;
}
/**
 * As `page`, for ticket alerts.
 */
export interface AlertMeta1 {
  labels: Labels;
  annotations: Labels1;
}
/**
 * Label name → value, sorted by name.
 */
export interface Labels2 {
  [k: string]: string;
}
/**
 * `page { labels { … } annotations { … } }` of the SLO as written.
 */
export interface AlertMeta2 {
  labels: Labels;
  annotations: Labels1;
}
/**
 * `ticket { … }` of the SLO as written.
 */
export interface AlertMeta3 {
  labels: Labels;
  annotations: Labels1;
}
/**
 * A service level agreement.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "sla".
 */
export interface Sla {
  /**
   * Typed id: `sla:service.name`.
   */
  id: string;
  name: Name;
  /**
   * The service it belongs to.
   */
  service: string;
  /**
   * From `description = "…"` or the `///` doc comment above the block.
   */
  description?: string;
  /**
   * The SLO it rests on, when written `slo = …`.
   */
  slo?: string;
  /**
   * An SLI id: `sli:service.name`.
   */
  sli: string;
  objective: ObjectiveRatio;
  window: Window;
  /**
   * From the highest threshold to the lowest.
   */
  credits: CreditTier[];
}
/**
 * `credit C below B`: C of the bill is owed when attainment is below B.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "credit".
 */
export interface CreditTier {
  credit: Share;
  below: Share;
}
/**
 * A named alerting policy.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "alertingPolicy".
 */
export interface AlertingPolicy {
  /**
   * Typed id: `policy:name`.
   */
  id: string;
  name: Name;
  /**
   * From `description = "…"` or the `///` doc comment above the block.
   */
  description?: string;
  labels: Labels;
  annotations: Labels3;
  page?: AlertMeta4;
  ticket?: AlertMeta5;
  rules: PolicyRule[];
}
/**
 * Label name → value, sorted by name.
 */
export interface Labels3 {
  [k: string]: string;
}
/**
 * `page { labels { … } annotations { … } }`: added to the policy's page alerts.
 */
export interface AlertMeta4 {
  labels: Labels;
  annotations: Labels1;
}
/**
 * `ticket { … }`: added to the policy's ticket alerts.
 */
export interface AlertMeta5 {
  labels: Labels;
  annotations: Labels1;
}
/**
 * A burn-rate rule: fires when the error ratio over the long window, and over the short window if it has one, exceeds factor × budget.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "policyRule".
 */
export interface PolicyRule {
  severity: 'page' | 'ticket';
  /**
   * The burn rate.
   */
  factor: number;
  longWindowSeconds: number;
  shortWindowSeconds: number;
  /**
   * A single-window rule (`over 1h` with no short window): `shortWindowSeconds` equals `longWindowSeconds`.
   */
  singleWindow?: true;
  /**
   * How long the condition must hold before it fires.
   */
  forSeconds?: number;
}
/**
 * A business objective with its KPIs.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "objective".
 */
export interface Objective {
  /**
   * Typed id: `objective:name`.
   */
  id: string;
  name: Name;
  /**
   * From `description = "…"` or the `///` doc comment above the block.
   */
  description?: string;
  title?: string;
  owner?: string;
  labels: Labels;
  /**
   * The SLOs that support it.
   */
  supportedBy: SloId[];
  kpis: Kpi[];
}
/**
 * A key performance indicator of a business objective.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "kpi".
 */
export interface Kpi {
  /**
   * Typed id: `kpi:objective.name`.
   */
  id: string;
  name: Name;
  /**
   * The objective it belongs to.
   */
  objective: string;
  /**
   * From `description = "…"` or the `///` doc comment above the block.
   */
  description?: string;
  measure: Measure;
  target: KpiTarget;
  window: Window;
}
/**
 * A function of selectors: `ratio(a, b)`, `avg(x)`, `p95(x)`, …
 */
export interface Measure {
  fn: string;
  args: Selector[];
}
/**
 * The target, in the measure’s unit.
 */
export interface KpiTarget {
  op: '<' | '<=' | '>' | '>=' | '==';
  value: number;
  unit: 'ratio' | 'seconds' | 'number';
}
/**
 * Labels and annotations of the alerts of one severity.
 *
 * This interface was referenced by `NormalizedModel`'s JSON-Schema
 * via the `definition` "alertMeta".
 */
export interface AlertMeta6 {
  labels: Labels;
  annotations: Labels1;
}
