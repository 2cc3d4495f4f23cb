// `pace generate --target alertmanager`: an Alertmanager configuration that routes the alerts of
// the prometheus target (docs/generate.md). One `alertmanager.yml`:
//   route          the root (receiver `pace-default`, one notification per alert name, SLO and
//                  severity); a child per owner matching the services it owns (services without an
//                  owner share one child, to `pace-default`); under it `severity="page"` to the
//                  owner's paging receiver and `severity="ticket"` to its ticket receiver, timed by
//                  the services' tier (TIER_TIMING; a child per tier when the owner's services have
//                  several).
//   receivers      `<owner>-page`, `<owner>-ticket` and `pace-default`, their bodies (PagerDuty keys,
//                  Slack webhooks…) from pace.yaml, passed through verbatim; without one, a receiver
//                  that notifies no one (valid, and named in the target's notes).
//   inhibit_rules  a firing page mutes the tickets of the same SLO (equal pace_service, pace_slo).
//   templates      `pace.tmpl`, beside it: notification texts from the alerts' summary and description.
// Pure and deterministic: keys sorted where Alertmanager does not care about order, routes in order.
import { Document, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { NormalizedModel, Service } from '../model/model.js';
import { commentText, markerComment, type GeneratedFile, type TargetOutput } from './output.js';
import { planSlo, type SourceOf } from './prometheus.js';
import { documentText, goYamlText } from './yaml-text.js';

export const ALERTMANAGER_FILE = 'alertmanager.yml';
export const TEMPLATE_FILE = 'pace.tmpl';
/** The receiver of the root route: alerts of no known service, and the services without an owner. */
export const DEFAULT_RECEIVER = 'pace-default';

export type Severity = 'page' | 'ticket';
export const SEVERITIES: readonly Severity[] = ['page', 'ticket'];
export type Tier = NonNullable<Service['tier']>;
export const TIERS: readonly Tier[] = ['critical', 'high', 'medium', 'low'];

/** An Alertmanager receiver's integrations (`pagerduty_configs`, `slack_configs`, …), without its name. */
export type ReceiverBody = Readonly<Record<string, readonly unknown[]>>;

/** When a route notifies (Alertmanager durations: `30s`, `5m`, `4h`, `1d`). */
export interface RouteTiming {
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
}

/** pace.yaml's `generate.targets.alertmanager` (schemas/pace-config.schema.json). */
export interface AlertmanagerOptions {
  /** Per owner (a service's `owner`), the bodies of its paging and ticket receivers. */
  readonly receivers?: Readonly<Record<string, { readonly page?: ReceiverBody; readonly ticket?: ReceiverBody }>>;
  /** The body of `pace-default`: the services without an owner, and alerts of no known service. */
  readonly default_receiver?: ReceiverBody;
  /** The root route's grouping and timing. */
  readonly route?: RouteTiming & { readonly group_by?: readonly string[] };
  /** Timing per tier and severity, over TIER_TIMING. */
  readonly tiers?: Readonly<Partial<Record<Tier, { readonly page?: RouteTiming; readonly ticket?: RouteTiming }>>>;
  /** Alertmanager's `global` section (resolve_timeout, slack_api_url, smtp_…), verbatim. */
  readonly global?: Readonly<Record<string, unknown>>;
}

/** The root route's defaults (Alertmanager's own timing), and its grouping: one notification per alert name, SLO and severity. */
export const ROOT_ROUTE = { group_by: ['alertname', 'pace_service', 'pace_slo', 'severity'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' } as const;

/**
 * How soon and how often each tier's alerts notify (docs/generate.md has the table). Pages of
 * critical and high services go out within seconds and repeat hourly; tickets wait to be grouped
 * and repeat daily; low tiers wait longer. A service without a tier takes the root route's timing.
 */
export const TIER_TIMING: Readonly<Record<Tier, Record<Severity, Required<RouteTiming>>>> = {
  critical: { page: { group_wait: '10s', group_interval: '1m', repeat_interval: '1h' }, ticket: { group_wait: '5m', group_interval: '15m', repeat_interval: '12h' } },
  high: { page: { group_wait: '30s', group_interval: '2m', repeat_interval: '2h' }, ticket: { group_wait: '5m', group_interval: '30m', repeat_interval: '1d' } },
  medium: { page: { group_wait: '1m', group_interval: '5m', repeat_interval: '4h' }, ticket: { group_wait: '10m', group_interval: '1h', repeat_interval: '1d' } },
  low: { page: { group_wait: '2m', group_interval: '10m', repeat_interval: '8h' }, ticket: { group_wait: '15m', group_interval: '2h', repeat_interval: '3d' } },
};

/** A regular expression (RE2, as Alertmanager anchors it) matching exactly `s`. */
export function regexLiteral(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** A matcher value in Alertmanager's matcher syntax: double-quoted, `\`, `"` and newlines escaped. */
export function matcherValue(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `name="v"` for one value, `name=~"a|b"` (each value regex-escaped) for several. */
export function matcher(name: string, values: readonly string[]): string {
  return values.length === 1 ? `${name}=${matcherValue(values[0])}` : `${name}=~${matcherValue(values.map(regexLiteral).join('|'))}`;
}

/**
 * The labels of the alerts Pace generates for a service (the prometheus target's, as Prometheus
 * expands them). The one place this target reads alert labels: routes follow `severity`.
 */
export function serviceAlertLabels(model: NormalizedModel, service: Service): Record<string, string>[] {
  return service.slos.flatMap((slo) => {
    const p = planSlo(model, service, slo);
    return 'skipped' in p ? [] : p.alerts.map((a) => a.expandedLabels);
  });
}

/** Whether the prometheus target writes an alert for the service. */
function hasAlerts(model: NormalizedModel, service: Service): boolean {
  return service.slos.some((slo) => {
    const p = planSlo(model, service, slo);
    return !('skipped' in p) && p.alerts.length > 0;
  });
}

export const pageReceiver = (owner: string) => `${owner}-page`;
export const ticketReceiver = (owner: string) => `${owner}-ticket`;

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** A value with every object's keys sorted (arrays keep their order): the same bytes whatever the key order in pace.yaml. */
function sortedDeep(v: unknown): Json {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => [k, sortedDeep(o[k])]),
    );
  }
  return v as Json;
}

interface RouteNode {
  readonly comment?: string;
  readonly body: { [k: string]: Json | undefined };
  readonly routes?: RouteNode[];
}

interface OwnerGroup {
  /** Undefined for the services without an owner. */
  readonly owner?: string;
  readonly services: { service: Service }[];
}

function timingOf(tier: Tier | undefined, severity: Severity, options: AlertmanagerOptions): RouteTiming {
  if (!tier) return {};
  return { ...TIER_TIMING[tier][severity], ...(options.tiers?.[tier]?.[severity] ?? {}) };
}

const tierText = (t: Tier | undefined) => t ?? 'no tier';

/** The route of one owner: its services, then page and ticket, then (when its services have several tiers) a child per tier. */
function ownerRoute(group: OwnerGroup, options: AlertmanagerOptions): RouteNode {
  const names = group.services.map((s) => s.service.name);
  const tiers = [...new Set(group.services.map((s) => s.service.tier))].sort((a, b) => tierRank(a) - tierRank(b));
  const routes: RouteNode[] = SEVERITIES.map((severity) => {
    const receiver = group.owner === undefined ? DEFAULT_RECEIVER : severity === 'page' ? pageReceiver(group.owner) : ticketReceiver(group.owner);
    const base = { matchers: [matcher('severity', [severity])], receiver };
    if (tiers.length === 1) return { comment: ` ${severity}: ${tierText(tiers[0])}`, body: { ...base, ...timingOf(tiers[0], severity, options) } };
    return {
      body: base,
      routes: tiers.map((tier) => {
        const of = group.services.filter((s) => s.service.tier === tier).map((s) => s.service.name);
        return { comment: ` ${severity}: ${tierText(tier)}`, body: { matchers: [matcher('pace_service', of)], ...timingOf(tier, severity, options) } };
      }),
    };
  });
  const who = group.owner === undefined ? 'services without an owner' : `owner ${group.owner}`;
  const what = group.services.map((s) => `${s.service.name} (${tierText(s.service.tier)})`).join(', ');
  return { comment: ` ${oneLine(who)}: ${what}`, body: { matchers: [matcher('pace_service', names)] }, routes };
}

const tierRank = (t: Tier | undefined) => (t === undefined ? TIERS.length : TIERS.indexOf(t));

/** A route's JSON, its comment (if any) recorded by the object for the YAML writers. */
function routeJson(r: RouteNode, comments: Map<object, string>): { [k: string]: Json } {
  const body = sortedDeep(r.body) as { [k: string]: Json };
  const json = r.routes ? { ...body, routes: r.routes.map((c) => routeJson(c, comments)) } : body;
  if (r.comment) comments.set(json, r.comment);
  return json;
}

/** User text inside a one-line `#` comment (output.ts). */
const oneLine = commentText;

/** Sets the comments recorded by object on the YAML nodes made of those objects (`value` and `node` have the same shape). */
function commentNodes(value: Json, node: unknown, comments: ReadonlyMap<object, string>): void {
  if (Array.isArray(value)) {
    if (isSeq(node)) value.forEach((v, i) => commentNodes(v, node.items[i], comments));
    return;
  }
  if (!value || typeof value !== 'object' || !isMap(node)) return;
  const c = comments.get(value);
  if (c) (node as YamlNode).commentBefore = c;
  for (const k of Object.keys(value)) commentNodes(value[k], node.get(k, true), comments);
}

/** The Alertmanager configuration of a model's alerts. */
export function alertmanagerFiles(model: NormalizedModel, sourceOf: SourceOf, options: AlertmanagerOptions = {}): TargetOutput {
  const notes: string[] = [];
  const sources = new Set<string>();
  const groups = new Map<string | undefined, OwnerGroup>();
  const silent: string[] = [];
  for (const service of model.services) {
    if (!hasAlerts(model, service)) {
      silent.push(service.name);
      continue;
    }
    const s = sourceOf(service.id);
    if (s) sources.add(s);
    for (const slo of service.slos) {
      const p = slo.alerting && slo.alerting.policy !== 'default' ? sourceOf(slo.alerting.policy) : undefined;
      if (p) sources.add(p);
    }
    const g = groups.get(service.owner) ?? { owner: service.owner, services: [] };
    g.services.push({ service });
    groups.set(service.owner, g);
  }
  const owners = [...groups.keys()].filter((o): o is string => o !== undefined).sort();
  const ordered = [...owners.map((o) => groups.get(o)!), ...(groups.has(undefined) ? [groups.get(undefined)!] : [])];

  // Receivers: the configured bodies verbatim, or none (a receiver that notifies no one).
  const configured = options.receivers ?? {};
  const receivers: { name: string; body: { [k: string]: Json } }[] = [];
  const unconfigured: string[] = [];
  const receiver = (name: string, body: ReceiverBody | undefined) => receivers.push({ name, body: sortedDeep(body ?? {}) as { [k: string]: Json } });
  receiver(DEFAULT_RECEIVER, options.default_receiver);
  for (const owner of owners) {
    const c = configured[owner];
    receiver(pageReceiver(owner), c?.page);
    receiver(ticketReceiver(owner), c?.ticket);
    for (const sev of SEVERITIES) if (!c?.[sev]) unconfigured.push(sev === 'page' ? pageReceiver(owner) : ticketReceiver(owner));
  }
  receivers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (unconfigured.length)
    notes.push(`receivers ${unconfigured.join(', ')} notify no one: set their integrations in pace.yaml (generate.targets.alertmanager.receivers.<owner>.page / .ticket)`);
  if (!options.default_receiver && groups.has(undefined))
    notes.push(`receiver ${DEFAULT_RECEIVER} notifies no one, and the alerts of ${groups.get(undefined)!.services.map((s) => s.service.name).join(', ')} (no owner) go there: set generate.targets.alertmanager.default_receiver`);
  for (const owner of Object.keys(configured).sort()) if (!owners.includes(owner)) notes.push(`receivers are configured for owner ${owner}, but no service with alerts has that owner: not generated`);

  const routes = ordered.map((g) => ownerRoute(g, options));
  // The comments before routes and rules, by the JSON object each becomes.
  const comments = new Map<object, string>();
  const r = options.route ?? {};
  const root = sortedDeep({
    receiver: DEFAULT_RECEIVER,
    group_by: r.group_by ?? ROOT_ROUTE.group_by,
    group_wait: r.group_wait ?? ROOT_ROUTE.group_wait,
    group_interval: r.group_interval ?? ROOT_ROUTE.group_interval,
    repeat_interval: r.repeat_interval ?? ROOT_ROUTE.repeat_interval,
  }) as { [k: string]: Json };
  const inhibit = {
    // Only Pace's pages (they carry both labels) mute, so other pages never mute tickets that lack them.
    equal: ['pace_service', 'pace_slo'],
    source_matchers: [matcher('severity', ['page']), 'pace_service!=""', 'pace_slo!=""'],
    target_matchers: [matcher('severity', ['ticket'])],
  };
  comments.set(inhibit, ' While a page fires for an SLO, its tickets are muted: one incident, one notification.');
  const config: { [k: string]: Json } = {
    ...(options.global ? { global: sortedDeep(options.global) } : {}),
    inhibit_rules: [inhibit],
    // Pace names the receivers: a `name` in a body (the config schema rejects it) is not taken.
    receivers: receivers.map((x) => ({ name: x.name, ...Object.fromEntries(Object.entries(x.body).filter(([k]) => k !== 'name')) })),
    route: { ...root, ...(routes.length ? { routes: routes.map((r) => routeJson(r, comments)) } : {}) },
    templates: [TEMPLATE_FILE],
  };

  // yaml-text.ts writes plain data (every route and rule Pace makes) as yaml does, and faster; yaml
  // takes the rest (receivers' bodies from pace.yaml may hold any text).
  let body = documentText(config, undefined, comments);
  if (body === undefined) {
    const doc = new Document(config);
    commentNodes(config, doc.contents, comments);
    body = goYamlText(doc);
  }
  let text = markerComment([...sources].sort());
  text += '# Alertmanager configuration for the alerts of the prometheus target: pages and tickets routed by owner, severity and tier.\n';
  text += '# Receivers come from pace.yaml (generate.targets.alertmanager.receivers); check with `amtool check-config alertmanager.yml`.\n';
  if (unconfigured.length) text += `# Note: these receivers have no integrations and notify no one: ${oneLine(unconfigured.join(', '))}.\n`;
  if (silent.length) text += `# Note: no routes for ${oneLine(silent.join(', '))}: no alerts.\n`;
  const files: GeneratedFile[] = [
    { path: ALERTMANAGER_FILE, text: text + body },
    { path: TEMPLATE_FILE, text: templateText([...sources].sort()) },
  ];
  return { target: 'alertmanager', files, notes };
}

/**
 * Notification texts for receivers to use (`title: '{{ template "pace.title" . }}'`): the alerts'
 * summary, description and windows. Text outside the `define`s (the marker) is never executed.
 */
function templateText(sources: readonly string[]): string {
  return `${markerComment(sources)}# Notification templates for Pace's alerts; alertmanager.yml loads this file (templates:).
# Use them in a receiver: slack_configs: [{title: '{{ template "pace.title" . }}', text: '{{ template "pace.text" . }}'}],
# pagerduty_configs: [{description: '{{ template "pace.title" . }}'}], email_configs: [{headers: {Subject: '{{ template "pace.title" . }}'}}].

{{ define "pace.title" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.severity }}: {{ if .CommonAnnotations.summary }}{{ .CommonAnnotations.summary }}{{ else }}{{ .CommonLabels.alertname }} {{ .CommonLabels.pace_service }} {{ .CommonLabels.pace_slo }}{{ end }}{{ end }}

{{ define "pace.text" }}{{ range .Alerts }}{{ if .Annotations.summary }}{{ .Annotations.summary }}
{{ end }}{{ if .Annotations.description }}{{ .Annotations.description }}
{{ end }}SLO {{ .Labels.pace_service }}.{{ .Labels.pace_slo }}, windows {{ .Labels.pace_long_window }} and {{ .Labels.pace_short_window }}, since {{ .StartsAt.Format "2006-01-02 15:04:05 MST" }}{{ if .Annotations.runbook_url }}
Runbook: {{ .Annotations.runbook_url }}{{ end }}
{{ end }}{{ end }}
`;
}
