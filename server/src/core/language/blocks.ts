// One table per block kind: which attributes, blocks and rules it holds, their types and their docs.
// The checker, completion, hover and the docs generator all read this table, so they cannot drift.
import { TOP_LEVEL_KEYWORDS } from '../../../../grammar/src/tokens.js';

export type SymbolKind = 'service' | 'sli' | 'slo' | 'sla' | 'alerting' | 'objective' | 'kpi';

export type ValueType =
  /** `pattern`: what the text must match (whole), with what to call such a text in messages. */
  | { kind: 'string'; pattern?: { readonly re: RegExp; readonly what: string } }
  | { kind: 'percent' }
  | { kind: 'duration' }
  | { kind: 'number' }
  /** A rolling duration (`30d`) or `calendar week|month|quarter [in "Zone"]`. */
  | { kind: 'window' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'ref'; to: SymbolKind; builtins?: readonly string[] }
  | { kind: 'refs'; to: SymbolKind; qualified?: boolean }
  | { kind: 'selector' }
  /** `OP value`: written `name OP value` (`target >= 3.5%`) or `name = OP value`. */
  | { kind: 'comparison' }
  | { kind: 'measure' };

export interface AttributeSpec {
  readonly name: string;
  readonly type: ValueType;
  readonly required?: boolean;
  readonly doc: string;
  readonly example: string;
}

export interface BlockSpec {
  readonly keyword: string;
  /** Key in BLOCKS; differs from keyword for SLI kinds (`sli:ratio`). */
  readonly id: string;
  readonly title: string;
  readonly doc: string;
  /** `keyword NAME {`; false for `labels {`. */
  readonly named: boolean;
  /** The symbol it declares, if any. */
  readonly declares?: SymbolKind;
  /** `sli NAME = KIND {`: the kinds and their own tables. */
  readonly kinds?: readonly string[];
  readonly attributes: readonly AttributeSpec[];
  readonly blocks: readonly string[];
  /** Statements other than attributes: `page when …` rules or `credit … below …` tiers. */
  readonly rules?: 'alert' | 'credit';
  /** Groups of attributes of which exactly one must be set. */
  readonly exactlyOne?: readonly (readonly string[])[];
  /** A free-form map of string values (labels). */
  readonly map?: boolean;
  readonly example: string;
}

const description: AttributeSpec = {
  name: 'description',
  type: { kind: 'string' },
  doc: 'A longer description. A `///` doc comment right above the block sets it too.',
  example: 'description = "Requests served without a server error."',
};

export const TIERS = ['critical', 'high', 'medium', 'low'] as const;
export const SEVERITIES = ['page', 'ticket'] as const;
export const CALENDAR_UNITS = ['week', 'month', 'quarter'] as const;
export const SLI_KINDS = ['ratio', 'latency', 'timeslice', 'promql'] as const;
export const MEASURE_FUNCTIONS = ['ratio', 'avg', 'min', 'max', 'sum', 'p50', 'p90', 'p95', 'p99'] as const;
export const ALERTING_BUILTINS = ['default', 'none'] as const;

const spec = (b: Omit<BlockSpec, 'id'> & { id?: string }): BlockSpec => ({ ...b, id: b.id ?? b.keyword });

export const BLOCKS: Readonly<Record<string, BlockSpec>> = Object.fromEntries(
  [
    spec({
      keyword: 'service',
      title: 'Service',
      doc: 'Something that is operated. Holds its SLIs, SLOs and SLAs.',
      named: true,
      declares: 'service',
      attributes: [
        { name: 'title', type: { kind: 'string' }, doc: 'Human-readable name.', example: 'title = "Checkout"' },
        description,
        { name: 'owner', type: { kind: 'string' }, doc: 'The team that owns the service.', example: 'owner = "payments-team"' },
        { name: 'tier', type: { kind: 'enum', values: TIERS }, doc: 'Criticality: `critical`, `high`, `medium` or `low`.', example: 'tier = critical' },
        { name: 'depends_on', type: { kind: 'refs', to: 'service' }, doc: "Hard dependencies: services whose failure fails this one. Their availability objectives bound this service's (`check/dependency-objective`). A cycle is an error.", example: 'depends_on = [payments_api, inventory]' },
        { name: 'soft_depends_on', type: { kind: 'refs', to: 'service' }, doc: 'Soft dependencies: degrade gracefully when they fail; not counted in the composite availability, but part of cycle detection.', example: 'soft_depends_on = [recommendations]' },
      ],
      blocks: ['labels', 'sli', 'slo', 'sla'],
      example: 'service checkout {\n  title = "Checkout"\n  owner = "payments-team"\n  tier  = critical\n}',
    }),
    spec({
      keyword: 'labels',
      title: 'Labels',
      doc: 'Labels copied onto every generated rule, alert and document of the block: `labels { team = "payments", env = "prod" }`.',
      named: false,
      map: true,
      attributes: [],
      blocks: [],
      example: 'labels { team = "payments", env = "prod" }',
    }),
    spec({
      keyword: 'annotations',
      title: 'Annotations',
      doc: 'Annotations of the generated alerts: `summary`, `description`, `runbook_url` or any other name. In an SLO they apply to its alerts, in a policy to the alerts of every SLO that uses it, in a `page` or `ticket` block to the alerts of that severity. Values are literal text (a `{{` is escaped, not expanded as a template).',
      named: false,
      map: true,
      attributes: [],
      blocks: [],
      example: 'annotations { summary = "Checkout is failing", runbook_url = "https://runbooks.example.com/checkout" }',
    }),
    spec({
      keyword: 'page',
      title: 'Page alerts',
      doc: 'The labels and annotations of the page alerts only (Sloth\'s `page_alert`): `page { labels { routing_key = "payments" } }`. In an SLO, they apply over those of its policy.',
      named: false,
      attributes: [],
      blocks: ['labels', 'annotations'],
      example: 'page {\n  labels      { routing_key = "payments" }\n  annotations { runbook_url = "https://runbooks.example.com/checkout-page" }\n}',
    }),
    spec({
      keyword: 'ticket',
      title: 'Ticket alerts',
      doc: 'The labels and annotations of the ticket alerts only (Sloth\'s `ticket_alert`): `ticket { labels { slack_channel = "#payments" } }`. In an SLO, they apply over those of its policy.',
      named: false,
      attributes: [],
      blocks: ['labels', 'annotations'],
      example: 'ticket {\n  labels { slack_channel = "#payments-alerts" }\n}',
    }),
    spec({
      keyword: 'sli',
      title: 'Service level indicator',
      doc: 'How a service is measured, tool-neutral: `sli NAME = ratio | latency | timeslice | promql { … }`.',
      named: true,
      declares: 'sli',
      kinds: SLI_KINDS,
      attributes: [],
      blocks: [],
      example: 'sli availability = ratio {\n  good  = http_requests_total{job="checkout", code!~"5.."}\n  total = http_requests_total{job="checkout"}\n}',
    }),
    spec({
      id: 'sli:ratio',
      keyword: 'sli',
      title: 'Ratio SLI',
      doc: 'The share of good events among all events, from two counters: `good` (or `bad`) and `total`.',
      named: true,
      declares: 'sli',
      attributes: [
        { name: 'good', type: { kind: 'selector' }, doc: 'Counter of good events.', example: 'good = http_requests_total{job="checkout", code!~"5.."}' },
        { name: 'bad', type: { kind: 'selector' }, doc: 'Counter of bad events (instead of `good`).', example: 'bad = http_requests_total{job="checkout", code=~"5.."}' },
        { name: 'total', type: { kind: 'selector' }, required: true, doc: 'Counter of all events.', example: 'total = http_requests_total{job="checkout"}' },
        description,
      ],
      exactlyOne: [['good', 'bad']],
      blocks: [],
      example: 'sli availability = ratio {\n  good  = http_requests_total{job="checkout", code!~"5.."}\n  total = http_requests_total{job="checkout"}\n}',
    }),
    spec({
      id: 'sli:latency',
      keyword: 'sli',
      title: 'Latency SLI',
      doc: 'The share of events faster than a histogram bucket boundary.',
      named: true,
      declares: 'sli',
      attributes: [
        { name: 'histogram', type: { kind: 'selector' }, required: true, doc: 'A Prometheus histogram (its base name, without `_bucket`).', example: 'histogram = http_request_duration_seconds{job="checkout"}' },
        { name: 'under', type: { kind: 'duration' }, required: true, doc: 'The latency threshold: a bucket boundary of the histogram.', example: 'under = 300ms' },
        description,
      ],
      blocks: [],
      example: 'sli fast = latency {\n  histogram = http_request_duration_seconds{job="checkout"}\n  under     = 300ms\n}',
    }),
    spec({
      id: 'sli:timeslice',
      keyword: 'sli',
      title: 'Time-slice SLI',
      doc: 'The share of time slices in which a gauge met a condition.',
      named: true,
      declares: 'sli',
      attributes: [
        { name: 'gauge', type: { kind: 'selector' }, required: true, doc: 'The gauge that is sampled.', example: 'gauge = queue_depth{queue="orders"}' },
        { name: 'good_when', type: { kind: 'comparison' }, required: true, doc: 'When a slice is good: `good_when < 100` (or `good_when = < 100`).', example: 'good_when < 100' },
        { name: 'slice', type: { kind: 'duration' }, required: true, doc: 'The length of one slice.', example: 'slice = 1m' },
        description,
      ],
      blocks: [],
      example: 'sli queue_ok = timeslice {\n  gauge     = queue_depth{queue="orders"}\n  good_when < 100\n  slice     = 1m\n}',
    }),
    spec({
      id: 'sli:promql',
      keyword: 'sli',
      title: 'Raw PromQL SLI',
      doc: 'An escape hatch: PromQL written as is, over `[$window]`: `good` (or `bad`) and `total` event rates, or `error_ratio`, a query of the error ratio itself (Sloth\'s `raw.error_ratio_query`). Generated as written; previewed only where the data source runs PromQL.',
      named: true,
      declares: 'sli',
      attributes: [
        { name: 'good', type: { kind: 'string' }, doc: 'PromQL rate of good events.', example: 'good = `sum(rate(grpc_server_handled_total{grpc_code="OK"}[$window]))`' },
        { name: 'bad', type: { kind: 'string' }, doc: 'PromQL rate of bad events (instead of `good`).', example: 'bad = `sum(rate(grpc_server_handled_total{grpc_code!="OK"}[$window]))`' },
        { name: 'total', type: { kind: 'string' }, doc: 'PromQL rate of all events (with `good` or `bad`).', example: 'total = `sum(rate(grpc_server_handled_total[$window]))`' },
        { name: 'error_ratio', type: { kind: 'string' }, doc: 'PromQL of the error ratio itself, between 0 and 1 (instead of `good`/`bad` and `total`).', example: 'error_ratio = `sum(rate(grpc_server_handled_total{grpc_code!="OK"}[$window])) / sum(rate(grpc_server_handled_total[$window]))`' },
        description,
      ],
      exactlyOne: [['good', 'bad', 'error_ratio'], ['total', 'error_ratio']],
      blocks: [],
      example: 'sli grpc_ok = promql {\n  good  = `sum(rate(grpc_server_handled_total{grpc_code="OK"}[$window]))`\n  total = `sum(rate(grpc_server_handled_total[$window]))`\n}',
    }),
    spec({
      keyword: 'slo',
      title: 'Service level objective',
      doc: 'An objective set on an SLI over a window, with the alerting policy that guards it.',
      named: true,
      declares: 'slo',
      attributes: [
        { name: 'title', type: { kind: 'string' }, doc: 'Human-readable name, for dashboards and documents.', example: 'title = "Checkout availability"' },
        { name: 'sli', type: { kind: 'ref', to: 'sli' }, required: true, doc: "The SLI it is set on: a name of this service's SLIs.", example: 'sli = availability' },
        { name: 'objective', type: { kind: 'percent' }, required: true, doc: 'The target share of good events, strictly between 0% and 100%.', example: 'objective = 99.9%' },
        { name: 'window', type: { kind: 'window' }, required: true, doc: 'A rolling duration (`28d`, `30d`) or `calendar week|month|quarter`, optionally `in "Europe/Paris"` (default UTC).', example: 'window = 30d' },
        { name: 'alerting', type: { kind: 'ref', to: 'alerting', builtins: ALERTING_BUILTINS }, doc: 'An alerting policy, `default` (the SRE workbook policy scaled to the window) or `none`. Without it, `default`.', example: 'alerting = burn_rate_default' },
        { name: 'alert_name', type: { kind: 'string', pattern: { re: /^[A-Za-z_][A-Za-z0-9_]*$/, what: 'a name of letters, digits and underscores such as CheckoutHighErrorRate (what alert routing, templates and dashboards expect)' } }, doc: 'The name of its alerts (the `alert:` of the Prometheus rules): letters, digits and underscores. Default: service and SLO names in PascalCase with `ErrorBudgetBurn`, e.g. `CheckoutAvailabilityErrorBudgetBurn`.', example: 'alert_name = "CheckoutHighErrorRate"' },
        description,
      ],
      blocks: ['labels', 'annotations', 'page', 'ticket'],
      example: 'slo availability {\n  sli       = availability\n  objective = 99.9%\n  window    = 30d\n  alerting  = default\n}',
    }),
    spec({
      keyword: 'sla',
      title: 'Service level agreement',
      doc: 'A contract sold on top of an SLO (or an SLI): looser than the SLO, with service credits owed below thresholds.',
      named: true,
      declares: 'sla',
      rules: 'credit',
      attributes: [
        { name: 'slo', type: { kind: 'ref', to: 'slo' }, doc: 'The SLO the contract rests on.', example: 'slo = availability' },
        { name: 'sli', type: { kind: 'ref', to: 'sli' }, doc: 'The SLI the contract is measured on (instead of `slo`).', example: 'sli = availability' },
        { name: 'objective', type: { kind: 'percent' }, required: true, doc: 'The contractual objective.', example: 'objective = 99.5%' },
        { name: 'window', type: { kind: 'window' }, required: true, doc: 'The contractual period, usually `calendar month`.', example: 'window = calendar month' },
        description,
      ],
      exactlyOne: [['slo', 'sli']],
      blocks: [],
      example: 'sla enterprise {\n  slo       = availability\n  objective = 99.5%\n  window    = calendar month\n  credit 10% below 99.5%\n  credit 25% below 99%\n}',
    }),
    spec({
      keyword: 'alerting',
      title: 'Alerting policy',
      doc: 'A reusable multiwindow, multi-burn-rate policy. Each rule: `page|ticket when burn_rate > FACTOR over LONG [and SHORT] [for DURATION]`; without `and SHORT`, a single-window rule.',
      named: true,
      declares: 'alerting',
      rules: 'alert',
      attributes: [description],
      blocks: ['labels', 'annotations', 'page', 'ticket'],
      example: 'alerting burn_rate_default {\n  page   when burn_rate > 14.4 over 1h and 5m\n  ticket when burn_rate > 1    over 3d and 6h\n}',
    }),
    spec({
      keyword: 'objective',
      title: 'Business objective',
      doc: 'A business objective, its KPIs, and the SLOs that support it.',
      named: true,
      declares: 'objective',
      attributes: [
        { name: 'title', type: { kind: 'string' }, doc: 'Human-readable statement of the objective.', example: 'title = "Grow checkout conversion to 3.5%"' },
        description,
        { name: 'owner', type: { kind: 'string' }, doc: 'The team accountable for it.', example: 'owner = "growth-team"' },
        { name: 'supported_by', type: { kind: 'refs', to: 'slo', qualified: true }, doc: 'The SLOs that support it, as `service.slo`.', example: 'supported_by = [checkout.availability, checkout.fast]' },
      ],
      blocks: ['kpi', 'labels'],
      example: 'objective checkout_growth {\n  title = "Grow checkout conversion to 3.5%"\n  owner = "growth-team"\n}',
    }),
    spec({
      keyword: 'kpi',
      title: 'Key performance indicator',
      doc: 'A measure of the objective compared with a target over a window. KPIs cover IT team performance too: resolution time, backlog, delivery.',
      named: true,
      declares: 'kpi',
      attributes: [
        { name: 'measure', type: { kind: 'measure' }, required: true, doc: '`ratio(a, b)` of two counters, or `avg|min|max|sum|p50|p90|p95|p99(selector)`.', example: 'measure = ratio(checkout_completed_total, checkout_started_total)' },
        { name: 'target', type: { kind: 'comparison' }, required: true, doc: 'The comparison the measure must meet: `target >= 3.5%`, `target <= 1h`.', example: 'target >= 3.5%' },
        { name: 'window', type: { kind: 'window' }, required: true, doc: 'The period the measure is taken over: a rolling duration (`28d`) or `calendar week|month|quarter` (quarterly OKRs), optionally `in "Zone"`.', example: 'window = 28d' },
        description,
      ],
      blocks: [],
      example: 'kpi conversion {\n  measure = ratio(checkout_completed_total, checkout_started_total)\n  target  >= 3.5%\n  window  = 28d\n}',
    }),
  ].map((b) => [b.id, b]),
);

export const TOP_LEVEL_BLOCKS = TOP_LEVEL_KEYWORDS;

/** The table for a block given its keyword and, for SLIs, its kind. */
export function blockSpec(keyword: string, kind?: string): BlockSpec | undefined {
  if (keyword === 'sli' && kind) return BLOCKS[`sli:${kind}`];
  return Object.prototype.hasOwnProperty.call(BLOCKS, keyword) ? BLOCKS[keyword] : undefined;
}

export function describeType(t: ValueType): string {
  switch (t.kind) {
    case 'string': return 'a string';
    case 'percent': return 'a percentage such as 99.9%';
    case 'duration': return 'a duration such as 5m or 1h30m';
    case 'number': return 'a number';
    case 'window': return 'a window: a duration such as 30d, or calendar week|month|quarter';
    case 'enum': return `one of ${t.values.join(', ')}`;
    case 'ref': return `the name of ${article(t.to)}${t.builtins ? ` (or ${t.builtins.join(', ')})` : ''}`;
    case 'refs': return `a list of ${t.qualified ? 'service.' + t.to + ' references' : t.to + ' names'}`;
    case 'selector': return 'a metric selector such as http_requests_total{job="api"}';
    case 'comparison': return 'a comparison such as >= 99%';
    case 'measure': return 'a measure such as ratio(a_total, b_total) or avg(metric)';
  }
}

export const KIND_LABEL: Record<SymbolKind, string> = {
  service: 'service',
  sli: 'SLI',
  slo: 'SLO',
  sla: 'SLA',
  alerting: 'alerting policy',
  objective: 'objective',
  kpi: 'KPI',
};

export function article(kind: SymbolKind): string {
  const l = KIND_LABEL[kind];
  return /^[aeiouAEIOUS]/.test(l) && !l.startsWith('serv') ? `an ${l}` : `a ${l}`;
}
