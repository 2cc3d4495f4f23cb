// `pace import sloth`: Sloth v0.16 specs → a Pace model (docs/import.md, "Sloth"). Reads the
// `version: prometheus/v1` spec and the Kubernetes `PrometheusServiceLevel` (sloth.slok.dev/v1,
// camelCase fields), several per file (multi-document YAML). Each spec becomes a service (its
// `labels` the service's), each SLO an SLI (`promql`: events → bad/total, raw → error_ratio, with
// Sloth's `{{.window}}` as `$window`, the query text kept exactly) and an SLO on Sloth's default
// 30-day period: objective, description, labels, the alert name, labels and annotations, and its
// alerting — `default` (Sloth's catalogue), `none` when both alerts are disabled, or a policy with
// the catalogue's rules of the one severity left (`sloth_page_only`, `sloth_ticket_only`).
// Sloth's names may hold `-` and `.`, Pace's are identifiers: `-` and `.` become `_`, and where the
// name changed, Sloth's own is kept as the `sloth_service` (service) or `sloth_slo` (SLO) label
// that Sloth puts on every rule, so `pace generate --compat sloth` writes Sloth's names again.
// What Pace cannot say (SLI plugins, SLO plugins, unknown keys) is one located message per
// construct, never dropped. Pure.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair, type YAMLMap } from 'yaml';
import { clean, defaultPolicy, type RuleSpec } from '../budget/budget.js';
import { buildModel, type ServiceDecl, type SloDecl } from '../model/build.js';
import type { AlertingPolicy, AlertMeta, PromqlSli } from '../model/model.js';
import type { ImportMessage, ImportResult, ImportSource } from './index.js';
import { aliasMessage, tooLarge } from './bounds.js';

/** Sloth's default SLO period (`sloth generate --default-slo-period`): prometheus/v1 specs do not carry one. */
export const SLOTH_DEFAULT_WINDOW_SECONDS = 30 * 86_400;
/** Sloth's rule for service and SLO names. */
const SLOTH_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]$/;
/** Sloth's window placeholder in SLI queries (its template variable, blanks allowed inside the braces). */
const WINDOW_VAR = /\{\{ *\.window *\}\}/g;
const HAS_WINDOW_VAR = /\{\{ *\.window *\}\}/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const SLOTH_POLICIES = { page: 'sloth_page_only', ticket: 'sloth_ticket_only' } as const;

/** Field names of the two forms: the spec's snake_case and the CRD's camelCase. */
const FIELDS = {
  v1: { sloPlugins: 'slo_plugins', errorQuery: 'error_query', totalQuery: 'total_query', errorRatioQuery: 'error_ratio_query', pageAlert: 'page_alert', ticketAlert: 'ticket_alert' },
  k8s: { sloPlugins: 'sloPlugins', errorQuery: 'errorQuery', totalQuery: 'totalQuery', errorRatioQuery: 'errorRatioQuery', pageAlert: 'pageAlert', ticketAlert: 'ticketAlert' },
} as const;
type Form = 'v1' | 'k8s';
type FieldNames = (typeof FIELDS)['v1' | 'k8s'];

interface Ctx {
  readonly file: string;
  readonly lines: LineCounter;
  readonly messages: ImportMessage[];
  readonly f: FieldNames;
}

function offsetOf(node: Node | Pair | undefined | null): number {
  if (!node) return 0;
  if ('range' in node && node.range) return node.range[0];
  if ('key' in node) return offsetOf(node.key as Node | null);
  return 0;
}

function at(ctx: Ctx, node: Node | Pair | undefined | null, severity: 'error' | 'warning', message: string): void {
  const pos = ctx.lines.linePos(offsetOf(node));
  ctx.messages.push({ severity, file: ctx.file, line: pos.line, column: pos.col, message });
}

/** The pairs of a mapping, warning about keys outside `known` (Sloth ignores unknown keys; Pace says so). */
function fields(ctx: Ctx, node: Node | null | undefined, what: string, known: readonly string[]): Map<string, Pair<Node, Node | null>> | undefined {
  if (!isMap(node)) {
    at(ctx, node ?? undefined, 'error', `${what} must be a mapping`);
    return undefined;
  }
  const out = new Map<string, Pair<Node, Node | null>>();
  for (const pair of (node as YAMLMap<Node, Node | null>).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined) {
      at(ctx, pair.key as Node, 'error', `${what}: keys must be plain names`);
      continue;
    }
    if (!known.includes(key)) {
      at(ctx, pair.key as Node, 'warning', `${what}: unknown key '${key}' is not imported (Sloth ignores it too)`);
      continue;
    }
    out.set(key, pair);
  }
  return out;
}

const valueOf = (p: Pair<Node, Node | null> | undefined): Node | null | undefined => p?.value;

function str(ctx: Ctx, p: Pair<Node, Node | null> | undefined, what: string, required: boolean, where: Node): string | undefined {
  const v = valueOf(p);
  if (v === undefined || v === null || (isScalar(v) && v.value === null)) {
    if (required) at(ctx, p ?? where, 'error', `${what} is required`);
    return undefined;
  }
  if (!isScalar(v) || typeof v.value !== 'string') {
    at(ctx, v, 'error', `${what} must be a string${isScalar(v) ? ' (quote it)' : ''}`);
    return undefined;
  }
  return v.value;
}

function bool(ctx: Ctx, p: Pair<Node, Node | null> | undefined, what: string): boolean {
  const v = valueOf(p);
  if (v === undefined || v === null) return false;
  if (!isScalar(v) || typeof v.value !== 'boolean') {
    at(ctx, v, 'error', `${what} must be true or false`);
    return false;
  }
  return v.value;
}

/** A map of strings (labels, annotations): names must be Pace label names, values strings. */
function stringMap(ctx: Ctx, p: Pair<Node, Node | null> | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  const v = valueOf(p);
  if (v === undefined || v === null || (isScalar(v) && v.value === null)) return out;
  if (!isMap(v)) {
    at(ctx, v, 'error', `${what} must be a mapping of names to strings`);
    return out;
  }
  for (const pair of (v as YAMLMap<Node, Node | null>).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined || !LABEL_NAME.test(key)) {
      at(ctx, pair.key as Node, 'error', `${what}: '${key ?? '?'}' is not a name Pace accepts (a letter or '_', then letters, digits or '_')`);
      continue;
    }
    const val = pair.value;
    if (!isScalar(val) || typeof val.value !== 'string') {
      at(ctx, val ?? (pair.key as Node), 'error', `${what}: the value of '${key}' must be a string${isScalar(val) ? ' (quote it)' : ''}`);
      continue;
    }
    out[key] = val.value;
  }
  return out;
}

/** A Sloth name as a Pace identifier: `-` and `.` become `_`, a leading digit gets a `_`. */
export function paceName(slothName: string): string {
  const n = slothName.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(n) ? `_${n}` : n;
}

/** A Sloth query as Pace PromQL: `{{.window}}` → `$window`; undefined (with an error) for anything else Pace cannot run. */
function query(ctx: Ctx, p: Pair<Node, Node | null> | undefined, what: string, where: Node): string | undefined {
  const q = str(ctx, p, what, true, where);
  if (q === undefined) return undefined;
  const node = valueOf(p) ?? where;
  if (!HAS_WINDOW_VAR.test(q)) {
    at(ctx, node, 'error', `${what} must use the {{.window}} variable (Sloth requires it)`);
    return undefined;
  }
  if (q.includes('$window')) {
    at(ctx, node, 'error', `${what} holds '$window', which Pace would read as its window variable`);
    return undefined;
  }
  const out = q.replace(WINDOW_VAR, '$window');
  if (out.includes('{{')) {
    at(ctx, node, 'error', `${what} holds a Go template action other than {{.window}}, which Pace cannot run`);
    return undefined;
  }
  return out;
}

interface SpecResult {
  readonly service: ServiceDecl;
  readonly where: Node;
}

function readSpec(ctx: Ctx, spec: Node, form: Form, usedPolicies: Set<'page' | 'ticket'>): SpecResult | undefined {
  const f = ctx.f;
  const known = ['service', 'labels', f.sloPlugins, 'slos', ...(form === 'v1' ? ['version'] : [])];
  const top = fields(ctx, spec, form === 'v1' ? 'the spec' : 'spec', known);
  if (!top) return undefined;
  const slothService = str(ctx, top.get('service'), 'service', true, spec);
  if (slothService !== undefined && !SLOTH_NAME.test(slothService)) at(ctx, valueOf(top.get('service')), 'error', `service '${slothService}' is not a Sloth name (letters or digits at both ends; letters, digits, '-', '_' or '.' between)`);
  const labels = stringMap(ctx, top.get('labels'), 'labels');
  if (top.has(f.sloPlugins)) at(ctx, top.get(f.sloPlugins)!, 'warning', `${f.sloPlugins}: Sloth's SLO plugins are not imported; Pace generates Sloth's default rules only`);
  const slosNode = valueOf(top.get('slos'));
  if (!isSeq(slosNode) || !slosNode.items.length) {
    at(ctx, top.get('slos') ?? spec, 'error', 'slos: at least one SLO is required');
    return undefined;
  }
  if (slothService === undefined || !SLOTH_NAME.test(slothService)) return undefined;
  const service = paceName(slothService);
  const serviceLabels = { ...labels, ...(service !== slothService ? { sloth_service: slothService } : {}) };
  const decl: ServiceDecl = { id: `service:${service}`, name: service, labels: serviceLabels, dependsOn: [], softDependsOn: [], slis: [], slos: [], slas: [] };
  const names = new Map<string, string>();
  for (const item of slosNode.items as Node[]) {
    const slo = readSlo(ctx, item, service, usedPolicies);
    if (!slo) continue;
    const previous = names.get(slo.slo.name);
    if (previous !== undefined) {
      at(ctx, item, 'error', previous === slo.sloth ? `SLO '${slo.sloth}' is declared twice in service '${slothService}'` : `SLO '${slo.sloth}' and SLO '${previous}' both become '${slo.slo.name}' in Pace: rename one`);
      continue;
    }
    names.set(slo.slo.name, slo.sloth);
    decl.slis.push(slo.sli);
    decl.slos.push(slo.slo);
  }
  return { service: decl, where: spec };
}

function readSlo(ctx: Ctx, node: Node, service: string, usedPolicies: Set<'page' | 'ticket'>): { sli: PromqlSli; slo: SloDecl; sloth: string } | undefined {
  const f = ctx.f;
  const m = fields(ctx, node, 'SLO', ['name', 'description', 'objective', 'plugins', 'labels', 'sli', 'alerting']);
  if (!m) return undefined;
  const errorsBefore = ctx.messages.filter((x) => x.severity === 'error').length;
  const sloth = str(ctx, m.get('name'), 'SLO name', true, node);
  if (sloth !== undefined && !SLOTH_NAME.test(sloth)) at(ctx, valueOf(m.get('name')), 'error', `SLO name '${sloth}' is not a Sloth name (letters or digits at both ends; letters, digits, '-', '_' or '.' between)`);
  const description = str(ctx, m.get('description'), 'description', false, node);
  // The objective, a percentage in (0, 100]; Pace's objectives are below 100%.
  let objective: number | undefined;
  const o = valueOf(m.get('objective'));
  if (o === undefined || o === null) at(ctx, m.get('objective') ?? node, 'error', 'objective is required');
  else if (!isScalar(o) || typeof o.value !== 'number') at(ctx, o, 'error', 'objective must be a number (a percentage such as 99.9)');
  else if (!(o.value > 0 && o.value <= 100)) at(ctx, o, 'error', `objective ${String(o.value)} is out of range: Sloth's objectives are percentages above 0 and at most 100`);
  else if (o.value === 100) at(ctx, o, 'error', 'objective 100 leaves no error budget: Pace objectives are below 100%');
  else objective = clean(o.value / 100);
  const labels = stringMap(ctx, m.get('labels'), 'labels');
  if (m.has('plugins')) at(ctx, m.get('plugins')!, 'warning', "plugins: Sloth's SLO plugins are not imported; Pace generates Sloth's default rules only");

  // The SLI: exactly one of events, raw and plugin.
  const sliValue = valueOf(m.get('sli'));
  if (sliValue === undefined || sliValue === null) at(ctx, m.get('sli') ?? node, 'error', 'sli is required');
  const sliFields = sliValue === undefined || sliValue === null ? undefined : fields(ctx, sliValue, 'sli', ['events', 'raw', 'plugin']);
  let sliParts: Pick<PromqlSli, 'bad' | 'total' | 'errorRatio'> | undefined;
  if (sliFields) {
    const kinds = ['events', 'raw', 'plugin'].filter((k) => sliFields.has(k));
    if (!kinds.length) at(ctx, sliValue, 'error', 'sli needs one of events, raw or plugin');
    else if (kinds.length > 1) at(ctx, sliFields.get(kinds[1])!, 'error', `sli has both ${kinds[0]} and ${kinds[1]}: Sloth allows only one SLI type`);
    else if (kinds[0] === 'plugin') at(ctx, sliFields.get('plugin')!, 'error', "sli.plugin: Sloth's SLI plugins run Go code that Pace cannot; write the plugin's query as raw." + f.errorRatioQuery);
    else if (kinds[0] === 'events') {
      const ev = valueOf(sliFields.get('events'))!;
      const e = fields(ctx, ev, 'sli.events', [f.errorQuery, f.totalQuery]);
      if (e) {
        const bad = query(ctx, e.get(f.errorQuery), `sli.events.${f.errorQuery}`, ev);
        const total = query(ctx, e.get(f.totalQuery), `sli.events.${f.totalQuery}`, ev);
        if (bad !== undefined && total !== undefined && bad === total) at(ctx, ev, 'error', `sli.events: ${f.errorQuery} and ${f.totalQuery} are the same query`);
        else if (bad !== undefined && total !== undefined) sliParts = { bad, total };
      }
    } else {
      const raw = valueOf(sliFields.get('raw'))!;
      const r = fields(ctx, raw, 'sli.raw', [f.errorRatioQuery]);
      if (r) {
        const q = query(ctx, r.get(f.errorRatioQuery), `sli.raw.${f.errorRatioQuery}`, raw);
        if (q !== undefined) sliParts = { errorRatio: q };
      }
    }
  }

  // Alerting: its name, labels and annotations, and each severity's.
  const alertingNode = valueOf(m.get('alerting'));
  const a = alertingNode === undefined || alertingNode === null ? new Map<string, Pair<Node, Node | null>>() : fields(ctx, alertingNode, 'alerting', ['name', 'labels', 'annotations', f.pageAlert, f.ticketAlert]);
  const alertName = a && str(ctx, a.get('name'), 'alerting.name', false, node);
  const alertLabels = a ? stringMap(ctx, a.get('labels'), 'alerting.labels') : {};
  const annotations = a ? stringMap(ctx, a.get('annotations'), 'alerting.annotations') : {};
  const severity = (key: string, sev: 'page' | 'ticket') => {
    const p = a?.get(key);
    const v = valueOf(p);
    if (v === undefined || v === null) return { disabled: false, meta: { labels: {}, annotations: {} } as AlertMeta, node: undefined };
    const s = fields(ctx, v, `alerting.${key}`, ['disable', 'labels', 'annotations']);
    if (!s) return { disabled: false, meta: { labels: {}, annotations: {} }, node: v };
    const disabled = bool(ctx, s.get('disable'), `alerting.${key}.disable`);
    const meta = { labels: stringMap(ctx, s.get('labels'), `alerting.${key}.labels`), annotations: stringMap(ctx, s.get('annotations'), `alerting.${key}.annotations`) };
    if (disabled && (Object.keys(meta.labels).length || Object.keys(meta.annotations).length)) at(ctx, p, 'warning', `alerting.${key}: the labels and annotations of a disabled ${sev} alert are not imported (Sloth writes no ${sev} alert)`);
    return { disabled, meta, node: v };
  };
  const page = severity(f.pageAlert, 'page');
  const ticket = severity(f.ticketAlert, 'ticket');
  if (alertName === undefined && (!page.disabled || !ticket.disabled)) at(ctx, a?.get('name') ?? alertingNode ?? node, 'error', 'alerting.name is required while page or ticket alerts are enabled (Sloth requires it)');
  if (ctx.messages.filter((x) => x.severity === 'error').length > errorsBefore || sloth === undefined || objective === undefined || !sliParts) return undefined;

  const name = paceName(sloth);
  let alerting: SloDecl['alerting'];
  if (page.disabled && ticket.disabled) alerting = null;
  else if (!page.disabled && !ticket.disabled) alerting = { policy: 'default' };
  else {
    const kept = page.disabled ? 'ticket' : 'page';
    usedPolicies.add(kept);
    alerting = { policy: `policy:${SLOTH_POLICIES[kept]}`, rules: slothRules(kept) };
  }
  const metaOf = (s: typeof page) => {
    if (s.disabled) return undefined;
    const meta = { labels: { ...alertLabels, ...s.meta.labels }, annotations: s.meta.annotations };
    return Object.keys(meta.labels).length || Object.keys(meta.annotations).length ? meta : undefined;
  };
  const sli: PromqlSli = { id: `sli:${service}.${name}`, name, service: `service:${service}`, kind: 'promql', ...sliParts };
  const slo: SloDecl = {
    id: `slo:${service}.${name}`,
    name,
    service: `service:${service}`,
    description: description || undefined,
    sli: sli.id,
    objective,
    window: { type: 'rolling', seconds: SLOTH_DEFAULT_WINDOW_SECONDS },
    labels: { ...labels, ...(name !== sloth ? { sloth_slo: sloth } : {}) },
    alertName,
    annotations: Object.keys(annotations).length ? annotations : undefined,
    page: metaOf(page),
    ticket: metaOf(ticket),
    alerting,
  };
  return { sli, slo, sloth };
}

/** The rules of Sloth's default catalogue (30 days) of one severity, with Sloth's factors. */
function slothRules(severity: 'page' | 'ticket'): RuleSpec[] {
  return defaultPolicy({ type: 'rolling', seconds: SLOTH_DEFAULT_WINDOW_SECONDS }).filter((r) => r.severity === severity);
}

function policyOf(severity: 'page' | 'ticket'): AlertingPolicy {
  const other = severity === 'page' ? 'ticket' : 'page';
  return {
    id: `policy:${SLOTH_POLICIES[severity]}`,
    name: SLOTH_POLICIES[severity],
    description: `Sloth's default alerts for a 30-day SLO period, ${severity} alerts only (${other}_alert is disabled).`,
    labels: {},
    annotations: {},
    rules: slothRules(severity).map((r) => ({ severity: r.severity, factor: r.factor, longWindowSeconds: r.longWindowSeconds, shortWindowSeconds: r.shortWindowSeconds })),
  };
}

export function importSloth(sources: readonly ImportSource[]): ImportResult {
  const messages: ImportMessage[] = [];
  const services = new Map<string, { decl: ServiceDecl; file: string }>();
  const usedPolicies = new Set<'page' | 'ticket'>();
  let documents = 0;
  const big = tooLarge(sources);
  if (big) return { messages: [big] };
  for (const source of sources) {
    const lines = new LineCounter();
    const docs = parseAllDocuments(source.text, { lineCounter: lines, prettyErrors: false });
    const base: Ctx = { file: source.name, lines, messages, f: FIELDS.v1 };
    if (!Array.isArray(docs)) {
      at(base, undefined, 'error', 'the file holds no YAML document');
      continue;
    }
    for (const doc of docs) {
      if (doc.errors.length) {
        for (const e of doc.errors) {
          const pos = lines.linePos(e.pos[0]);
          messages.push({ severity: 'error', file: source.name, line: pos.line, column: pos.col, message: `YAML: ${e.message.split('\n')[0]}` });
        }
        continue;
      }
      const root = doc.contents as Node | null;
      if (root === null || (isScalar(root) && root.value === null)) continue; // an empty document (a trailing `---`)
      const alias = aliasMessage(root, source.name, lines);
      if (alias) {
        messages.push(alias);
        continue;
      }
      documents++;
      if (!isMap(root)) {
        at(base, root, 'error', 'a Sloth spec is a mapping (version: prometheus/v1, or a PrometheusServiceLevel)');
        continue;
      }
      const api = (root as YAMLMap<Node, Node | null>).get('apiVersion', true) as Node | undefined;
      let result: SpecResult | undefined;
      if (api !== undefined) {
        const ctx: Ctx = { ...base, f: FIELDS.k8s };
        const top = fields(ctx, root, 'the PrometheusServiceLevel', ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
        if (!top) continue;
        const apiVersion = str(ctx, top.get('apiVersion'), 'apiVersion', true, root);
        const kind = str(ctx, top.get('kind'), 'kind', true, root);
        if (apiVersion !== undefined && apiVersion !== 'sloth.slok.dev/v1') {
          at(ctx, valueOf(top.get('apiVersion')), 'error', `unknown apiVersion '${apiVersion}': Pace reads sloth.slok.dev/v1`);
          continue;
        }
        if (kind !== undefined && kind !== 'PrometheusServiceLevel') {
          at(ctx, valueOf(top.get('kind')), 'error', `unknown kind '${kind}': Pace reads PrometheusServiceLevel (Sloth's SLO object)`);
          continue;
        }
        if (apiVersion === undefined || kind === undefined) continue;
        const meta = valueOf(top.get('metadata'));
        if (isMap(meta)) for (const pair of (meta as YAMLMap<Node, Node | null>).items) {
          const k = isScalar(pair.key) ? String(pair.key.value) : '';
          if (k !== 'name' && k !== 'namespace') at(ctx, pair.key as Node, 'warning', `metadata.${k} is not imported (Pace does not write PrometheusServiceLevel objects)`);
        }
        const spec = valueOf(top.get('spec'));
        if (spec === undefined || spec === null) {
          at(ctx, root, 'error', 'spec is required');
          continue;
        }
        result = readSpec(ctx, spec, 'k8s', usedPolicies);
      } else {
        const version = (root as YAMLMap<Node, Node | null>).get('version', true) as Node | undefined;
        if (version === undefined) {
          at(base, root, 'error', 'not a Sloth spec: it has neither version (prometheus/v1) nor apiVersion (sloth.slok.dev/v1)');
          continue;
        }
        if (!isScalar(version) || version.value !== 'prometheus/v1') {
          at(base, version, 'error', `unknown version '${isScalar(version) ? String(version.value) : '?'}': Pace reads Sloth's prometheus/v1 specs`);
          continue;
        }
        result = readSpec(base, root, 'v1', usedPolicies);
      }
      if (!result) continue;
      // Two specs of one service (Sloth writes them apart) share its Pace service when their labels agree.
      const existing = services.get(result.service.name);
      if (!existing) {
        services.set(result.service.name, { decl: result.service, file: source.name });
        continue;
      }
      const ctx: Ctx = { ...base };
      if (JSON.stringify(Object.entries(existing.decl.labels).sort()) !== JSON.stringify(Object.entries(result.service.labels).sort())) {
        at(ctx, result.where, 'error', `service '${result.service.name}' is also declared in ${existing.file} with other labels: Pace gives a service one set of labels`);
        continue;
      }
      for (let i = 0; i < result.service.slos.length; i++) {
        const slo = result.service.slos[i];
        if (existing.decl.slos.some((s) => s.name === slo.name)) {
          at(ctx, result.where, 'error', `SLO '${slo.name}' of service '${result.service.name}' is declared in two specs`);
          continue;
        }
        existing.decl.slos.push(slo);
        existing.decl.slis.push(result.service.slis[i]);
      }
    }
  }
  if (!documents && !messages.some((m) => m.severity === 'error')) messages.push({ severity: 'error', file: sources[0]?.name ?? '', line: 0, column: 0, message: 'no Sloth spec found' });
  if (messages.some((m) => m.severity === 'error')) return { messages };
  const decls = [...services.values()].map((s) => s.decl);
  const model = buildModel({ labels: {}, services: decls, alertingPolicies: [...usedPolicies].sort().map(policyOf), objectives: [] });
  // The model keeps each spec's SLOs in the order written (buildModel sorts by id): the printer
  // writes them in that order, and `--compat sloth` writes Sloth's groups in declaration order.
  for (const s of model.services) {
    const order = services.get(s.name)!.decl.slos.map((d) => d.id);
    s.slos.sort((x, y) => order.indexOf(x.id) - order.indexOf(y.id));
    s.slis.sort((x, y) => order.indexOf(x.id.replace(/^sli:/, 'slo:')) - order.indexOf(y.id.replace(/^sli:/, 'slo:')));
  }
  return { model, messages };
}
