// `pace generate --target openslo`: OpenSLO v1 documents from the normalized model (docs/generate.md).
// One multi-document YAML file per service (its Service, SLIs and SLOs) and `alert-policies.yaml`
// (the AlertNotificationTargets, AlertConditions and AlertPolicies the SLOs refer to). Pure and
// deterministic: the same model gives the same bytes. What OpenSLO v1 cannot say (SLAs, KPIs,
// Pace's short window) is named in a comment, never silently dropped.
//
// Names: OpenSLO names are DNS-1123-like (lower case, `-`, `.`). A Pace name maps to lower case
// with `_` and `:` as `-` and leading/trailing `-` trimmed; names made of several Pace names join
// them with `.` (which no Pace name contains), so `checkout` + `availability` is
// `checkout.availability` and never meets a name of one part. Two Pace names of one kind that map
// to the same text both get `-` and 6 hex digits of a hash of the Pace name (FNV-1a), so the
// mapping is injective and does not depend on the order of declarations.
import { Document } from 'yaml';
import { latencySelectors, promqlNumber, selectorText, sliceMsOf } from '../model/error-ratio.js';
import type { Labels, NormalizedModel, Service, Sli, Slo, SloRule, Window } from '../model/model.js';
import { markerComment, promDuration, renderedFile, type GeneratedFile, type TargetOutput } from './output.js';
import type { SourceOf } from './prometheus.js';
import { documentText, goYamlText } from './yaml-text.js';

const API = 'openslo/v1';
/** The annotation prefix for what Pace knows and OpenSLO has no field for. */
const ANNOTATION = 'pace.dev';
/** Where calendar periods are counted from: 2024-01-01 is a Monday, the first day of a month and of a quarter. */
const CALENDAR_START = '2024-01-01 00:00:00';
export const ALERT_POLICIES_FILE = 'alert-policies.yaml';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json | undefined };
interface OpenSloDoc {
  readonly comment?: string;
  readonly body: { [k: string]: Json | undefined };
}

/** FNV-1a (32 bits) of a string, as 6 hex digits. */
function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, 6);
}

/** One Pace name as an OpenSLO name part: `event_bus` → `event-bus`, `Fast:Burn` → `fast-burn`. */
export function namePart(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * `pace.dev/name` when the OpenSLO name does not give the Pace name back (`pace import openslo` reads
 * the name part with `-` as `_`): capitals (`Shop` → `shop`), a leading `_`, a name that needed a hash.
 */
function nameAnnotation(paceName: string, openSloName: string): Record<string, string> {
  const part = openSloName.slice(openSloName.lastIndexOf('.') + 1);
  return part.replace(/-/g, '_') === paceName ? {} : { [`${ANNOTATION}/name`]: paceName };
}

/** How a note names an SLO's policy: `the default policy`, `policy paging`. */
const policyText = (policy: string) => (policy === 'default' ? 'the default policy' : `policy ${policy}`);

/** Maps the Pace names of one kind to OpenSLO names, injectively (see the header). */
export class NameMap {
  private readonly byKey = new Map<string, string>();
  constructor(keys: Iterable<readonly string[]>) {
    // Each part is worked out once (a service's name is a part of all its SLIs, SLOs and alert rules).
    const parts = new Map<string, string>();
    const part = (p: string) => {
      let n = parts.get(p);
      if (n === undefined) parts.set(p, (n = namePart(p)));
      return n;
    };
    const entries = [...keys].map((ps) => ({ key: ps.join('\u0000'), plain: ps.map((p) => part(p) || 'x').join('.'), empty: ps.some((p) => !part(p)) }));
    // By plain name: the one key that maps to it, or null when several do.
    const holder = new Map<string, string | null>();
    for (const e of entries) {
      const k = holder.get(e.plain);
      if (k === undefined) holder.set(e.plain, e.key);
      else if (k !== null && k !== e.key) holder.set(e.plain, null);
    }
    for (const e of entries) this.byKey.set(e.key, holder.get(e.plain) === null || e.empty ? `${e.plain}-${shortHash(e.key)}` : e.plain);
  }
  get(...parts: string[]): string {
    return this.byJoined(parts.join('\u0000'));
  }
  /** get of the parts joined by NUL (NameMap.joined). */
  byJoined(key: string): string {
    const n = this.byKey.get(key);
    if (n === undefined) throw new Error(`openslo: no name for ${key.split('\u0000').join('.')}`);
    return n;
  }
  static joined(parts: readonly string[]): string {
    return parts.join('\u0000');
  }
}

/** Seconds as an OpenSLO duration shorthand (`5m`, `1h`, `30d`: a positive whole number of m, h or d), rounded up to a minute. */
export function sloDuration(seconds: number): { text: string; exact: boolean } {
  const minutes = Math.max(1, Math.ceil(seconds / 60 - 1e-9));
  const exact = Math.abs(minutes * 60 - seconds) < 1e-6;
  if (minutes % 1440 === 0) return { text: `${minutes / 1440}d`, exact };
  if (minutes % 60 === 0) return { text: `${minutes / 60}h`, exact };
  return { text: `${minutes}m`, exact };
}

const LABEL_VALUE = /^[a-z0-9A-Z][a-z0-9A-Z._-]*[a-z0-9A-Z]*$/;
const ANNOTATION_NAME = /^[a-z0-9A-Z][a-z0-9A-Z._-]*[a-z0-9A-Z]*$/;

/** Labels as OpenSLO metadata: valid values as labels, the others as `pace.dev/label.<name>` annotations (or a note when even that cannot be). */
function metadata(name: string, labels: Labels, extra: { displayName?: string; annotations?: Record<string, string> } = {}, notes: string[] = []): { [k: string]: Json | undefined } {
  const ls: Record<string, string> = {};
  const anns: Record<string, string> = { ...(extra.annotations ?? {}) };
  for (const k of Object.keys(labels).sort()) {
    const v = labels[k];
    if (v.length <= 63 && LABEL_VALUE.test(v)) ls[k] = v;
    else if (k.length <= 57 && ANNOTATION_NAME.test(k)) anns[`${ANNOTATION}/label.${k}`] = v;
    else notes.push(`label ${k} of ${name} is not exported: OpenSLO allows neither its value as a label nor its name as an annotation`);
  }
  const sortedAnns = Object.fromEntries(Object.keys(anns).sort().map((k) => [k, anns[k]]));
  return {
    name,
    displayName: extra.displayName || undefined,
    labels: Object.keys(ls).length ? ls : undefined,
    annotations: Object.keys(sortedAnns).length ? sortedAnns : undefined,
  };
}

/** OpenSLO descriptions hold at most 1,050 characters. */
function description(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return text.length <= 1050 ? text : `${text.slice(0, 1049)}…`;
}

const prometheusSource = (query: string): Json => ({ metricSource: { type: 'Prometheus', spec: { query } } });

const THRESHOLD_OP = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const;

/** Why an SLI has no OpenSLO form, or undefined when it has one (sliSpec makes it). */
function sliSkipped(sli: Sli): string | undefined {
  if (sli.kind === 'latency' && !latencySelectors(sli)) return `latency SLI ${sli.id} has no histogram metric name`;
  // The v1 schema's ratioMetric has good/bad and total only (no raw ratio).
  if (sli.kind === 'promql' && sli.total === undefined) return `${sli.id} is an error-ratio query, which OpenSLO v1's ratioMetric cannot hold (it needs good or bad and total)`;
  return undefined;
}

/** The SLI's OpenSLO spec; undefined (with a reason) when it has no OpenSLO form. */
function sliSpec(sli: Sli): { spec: { [k: string]: Json | undefined } } | { skipped: string } {
  const skipped = sliSkipped(sli);
  if (skipped !== undefined) return { skipped };
  const desc = description(sli.description);
  switch (sli.kind) {
    case 'ratio':
      return {
        spec: {
          description: desc,
          ratioMetric: {
            counter: true,
            good: sli.good ? prometheusSource(sli.good.text) : undefined,
            bad: sli.bad ? prometheusSource(sli.bad.text) : undefined,
            total: prometheusSource(sli.total.text),
          },
        },
      };
    case 'latency': {
      const s = latencySelectors(sli)!;
      return {
        spec: {
          description: desc,
          ratioMetric: { counter: true, good: prometheusSource(selectorText(s.bucket.metric, s.bucket.matchers)), total: prometheusSource(selectorText(s.count.metric, s.count.matchers)) },
        },
      };
    }
    case 'timeslice':
      // A slice is good when every series of the gauge is good: the bool comparison's minimum is 1.
      return { spec: { description: desc, thresholdMetric: prometheusSource(`min(${sli.gauge.text} ${sli.goodWhen.op} bool ${promqlNumber(sli.goodWhen.value)})`) } };
    case 'promql':
      // sliSkipped answered the error-ratio queries (no total).
      return {
        spec: {
          description: desc,
          ratioMetric: {
            counter: false,
            good: sli.good !== undefined ? prometheusSource(sli.good.trim()) : undefined,
            bad: sli.bad !== undefined ? prometheusSource(sli.bad.trim()) : undefined,
            total: prometheusSource(sli.total!.trim()),
          },
        },
      };
  }
}

const CALENDAR_DURATION = { week: '1w', month: '1M', quarter: '1Q' } as const;

/** An IANA zone in the form OpenSLO's pattern takes (`Area/Location`): `UTC` is `Etc/UTC`. */
function openSloZone(zone: string): string {
  return zone.includes('/') ? zone : `Etc/${zone}`;
}

function timeWindow(w: Window, notes: string[], what: string): Json {
  if (w.type === 'rolling') {
    const d = sloDuration(w.seconds);
    if (!d.exact) notes.push(`the window of ${what} (${promDuration(w.seconds)}) is not a whole number of minutes; OpenSLO's is ${d.text}`);
    return [{ duration: d.text, isRolling: true }];
  }
  return [{ duration: CALENDAR_DURATION[w.unit], isRolling: false, calendar: { startTime: CALENDAR_START, timeZone: openSloZone(w.timeZone) } }];
}

/** What one alert rule becomes: an AlertCondition and the AlertPolicy holding it, shared by the SLOs with the same policy. */
interface AlertPlan {
  readonly name: string;
  readonly severity: SloRule['severity'];
  readonly condition: OpenSloDoc;
  readonly policy: OpenSloDoc;
}

/** The policy part of an alert name: `burn-rate-default` for a named policy, `pace-default.30d` for the default policy of a window. */
function policyKey(slo: Slo): string[] {
  const a = slo.alerting!;
  if (a.policy !== 'default') return [a.policy.replace(/^policy:/, '')];
  const w = slo.window;
  return ['pace_default', w.type === 'rolling' ? promDuration(w.seconds) : w.unit];
}

function ruleKey(slo: Slo, rule: SloRule): string[] {
  return [...policyKey(slo), rule.singleWindow ? `${rule.severity}-${promDuration(rule.longWindowSeconds)}` : `${rule.severity}-${promDuration(rule.longWindowSeconds)}-${promDuration(rule.shortWindowSeconds)}`];
}

/** The OpenSLO documents of a model, by file. */
export function openSloFiles(model: NormalizedModel, sourceOf: SourceOf): TargetOutput {
  const notes: string[] = [];
  const services = new NameMap(model.services.map((s) => [s.name]));
  const slis = new NameMap(model.services.flatMap((s) => s.slis.map((i) => [s.name, i.name])));
  const slos = new NameMap(model.services.flatMap((s) => s.slos.map((o) => [s.name, o.name])));
  // A named policy's rule has two parts (policy, rule), the default policy's three (pace_default,
  // window, rule): they never meet. The SLOs of one policy share its rules' keys.
  const ruleKeys = new Map<string, string[]>();
  // Two rules of one policy with the same severity and windows but another factor or `for` would
  // share a name: each then gets a hash of what tells them apart.
  const signature = (rule: SloRule) => `${rule.factor}/${rule.forSeconds ?? ''}`;
  const signatures = new Map<string, Set<string>>();
  for (const s of model.services)
    for (const o of s.slos)
      for (const r of o.alerting?.rules ?? []) {
        const parts = ruleKey(o, r);
        const key = NameMap.joined(parts);
        let sigs = signatures.get(key);
        if (!sigs) {
          ruleKeys.set(key, parts);
          signatures.set(key, (sigs = new Set()));
        }
        sigs.add(signature(r));
      }
  const alerts = new NameMap(ruleKeys.values());
  const alertName = (slo: Slo, rule: SloRule) => {
    const key = NameMap.joined(ruleKey(slo, rule));
    const n = alerts.byJoined(key);
    return signatures.get(key)!.size > 1 ? `${n}-${shortHash(signature(rule))}` : n;
  };
  const policies = new Map(model.alertingPolicies.map((p) => [p.id, p]));
  const plans = new Map<string, AlertPlan>();
  const alertSources = new Set<string>();
  const files: GeneratedFile[] = [];
  const names: Names = { services, slis, slos, alertName };

  for (const service of model.services) {
    // What the alert policies' file needs (its documents are shared by the SLOs of every service,
    // and their rounding is a note of the target) is worked out here; the service's own file renders
    // on read (output.ts renderedFile), so that its documents never outlive its text.
    for (const slo of service.slos) {
      const a = slo.alerting;
      if (!a?.rules.length) continue;
      const sli = service.slis.find((i) => i.id === slo.sli);
      if (!sli || sliSkipped(sli) !== undefined) continue;
      for (const rule of a.rules) {
        if (rule.neverFires) continue;
        const name = alertName(slo, rule);
        if (!plans.has(name)) plans.set(name, alertPlan(name, slo, rule, policies.get(a.policy)?.description, notes));
        const s = a.policy !== 'default' ? sourceOf(a.policy) : sourceOf(slo.id);
        if (s) alertSources.add(s);
      }
    }
    files.push(renderedFile(`${service.name}.yaml`, () => serviceText(model, service, names, sourceOf)));
  }

  // Alert policies, their conditions and the notification targets they name.
  const alertDocs: OpenSloDoc[] = [];
  const severities = [...new Set([...plans.values()].map((p) => p.severity))].sort();
  for (const sev of severities)
    alertDocs.push({
      comment: ` Where ${sev} alerts go: route them by the severity label (Pace's alertmanager target routes them by service, owner and tier)`,
      body: { apiVersion: API, kind: 'AlertNotificationTarget', metadata: metadata(`pace-${sev}`, {}), spec: { target: sev, description: `Pace's ${sev} alerts` } },
    });
  for (const name of [...plans.keys()].sort()) {
    const p = plans.get(name)!;
    alertDocs.push(p.condition, p.policy);
  }
  const kpiNotes = model.objectives.flatMap((o) => {
    const s = sourceOf(o.id);
    if (s) alertSources.add(s);
    return o.kpis.map((k) => `KPI ${o.name}.${k.name} is not exported: OpenSLO v1 has no form for business KPIs`);
  });
  if (alertDocs.length || kpiNotes.length) {
    let text = markerComment([...alertSources].sort());
    text += '# OpenSLO v1 alert policies: one AlertPolicy with one AlertCondition per burn-rate rule, shared by the SLOs whose policy has it.\n';
    text += "# A condition is the rule's long window; the short window is kept as an annotation, and alertAfter is the rule's `for` (else its short window).\n";
    for (const n of kpiNotes) text += `# Note: ${n}.\n`;
    files.push({ path: ALERT_POLICIES_FILE, text: text + yamlDocs(alertDocs) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { target: 'openslo', files, notes };
}

/** The OpenSLO names of a model's declarations. */
interface Names {
  readonly services: NameMap;
  readonly slis: NameMap;
  readonly slos: NameMap;
  readonly alertName: (slo: Slo, rule: SloRule) => string;
}

/** The file of one service: its Service, SLIs and SLOs, with notes on what OpenSLO cannot say. */
function serviceText(model: NormalizedModel, service: Service, names: Names, sourceOf: SourceOf): string {
  const { services, slis, slos, alertName } = names;
  const docs: OpenSloDoc[] = [];
  const fileNotes: string[] = [];
  const sources = new Set<string>();
  const add = (id: string) => {
    const s = sourceOf(id);
    if (s) sources.add(s);
  };
  add(service.id);
  const svcName = services.get(service.name);
  const svcLabels: Labels = { ...model.labels, ...service.labels };
  const svcAnnotations: Record<string, string> = {};
  if (service.owner) svcAnnotations[`${ANNOTATION}/owner`] = service.owner;
  if (service.tier) svcAnnotations[`${ANNOTATION}/tier`] = service.tier;
  docs.push({
    comment: ` Service ${service.name}`,
    body: { apiVersion: API, kind: 'Service', metadata: metadata(svcName, svcLabels, { displayName: service.title, annotations: { ...svcAnnotations, ...nameAnnotation(service.name, svcName) } }, fileNotes), spec: { description: description(service.description) } },
  });
  const exported = new Set<string>();
  for (const sli of service.slis) {
    add(sli.id);
    const s = sliSpec(sli);
    if ('skipped' in s) {
      fileNotes.push(`${s.skipped}: not exported`);
      continue;
    }
    exported.add(sli.id);
    const comment = sli.kind === 'promql' ? ` SLI ${sli.name}: raw PromQL, written as Pace evaluates it ($window stands for the range)` : ` SLI ${sli.name}`;
    const sliName = slis.get(service.name, sli.name);
    docs.push({ comment, body: { apiVersion: API, kind: 'SLI', metadata: metadata(sliName, {}, { annotations: nameAnnotation(sli.name, sliName) }), spec: s.spec } });
  }
  for (const slo of service.slos) {
    add(slo.id);
    const sli = service.slis.find((i) => i.id === slo.sli);
    if (!sli || !exported.has(sli.id)) {
      fileNotes.push(`SLO ${slo.name} is not exported: its SLI has no OpenSLO form`);
      continue;
    }
    const sloNotes: string[] = [];
    const refs: string[] = [];
    if (slo.alerting === null) sloNotes.push('alerting = none: no alert policies');
    else if (!slo.alerting.rules.length) sloNotes.push(`${policyText(slo.alerting.policy)} has no rules for this window: no alert policies`);
    else {
      if (slo.alerting.policy !== 'default') add(slo.alerting.policy);
      for (const rule of slo.alerting.rules) {
        const name = alertName(slo, rule);
        if (rule.neverFires) {
          sloNotes.push(`rule ${name} is left out: its threshold (${rule.factor} × budget) is 100% or more, it never fires`);
          continue;
        }
        if (!refs.includes(name)) refs.push(name);
      }
    }
    const timeslice = sli.kind === 'timeslice';
    const sloName = slos.get(service.name, slo.name);
    const objective: { [k: string]: Json | undefined } = timeslice
      ? (() => {
          const ms = sliceMsOf(sli);
          const slice = ms % 60_000 === 0 ? sloDuration(ms / 1000).text : ms / 1000;
          return { op: 'gte', value: 1, target: slo.objective, timeSliceTarget: 1, timeSliceWindow: slice };
        })()
      : { target: slo.objective };
    docs.push({
      comment: ` SLO ${slo.name}${sloNotes.length ? `\n ${sloNotes.join('\n ')}` : ''}`,
      body: {
        apiVersion: API,
        kind: 'SLO',
        metadata: metadata(sloName, slo.labels, { annotations: nameAnnotation(slo.name, sloName) }, fileNotes),
        spec: {
          description: description(slo.description),
          service: svcName,
          indicatorRef: slis.get(service.name, sli.name),
          timeWindow: timeWindow(slo.window, fileNotes, `SLO ${slo.name}`),
          budgetingMethod: timeslice ? 'Timeslices' : 'Occurrences',
          objectives: [objective],
          alertPolicies: refs.length ? refs : undefined,
        },
      },
    });
  }
  for (const sla of service.slas) {
    add(sla.id);
    fileNotes.push(`SLA ${sla.name} is not exported: OpenSLO v1 has no form for agreements and their credits`);
  }
  let text = markerComment([...sources].sort());
  text += `# OpenSLO v1 documents of service ${service.name}: its Service, SLIs and SLOs (alert policies in ${ALERT_POLICIES_FILE}).\n`;
  for (const n of fileNotes) text += `# Note: ${n}.\n`;
  return text + yamlDocs(docs);
}

function alertPlan(name: string, slo: Slo, rule: SloRule, policyDescription: string | undefined, notes: string[]): AlertPlan {
  const long = sloDuration(rule.longWindowSeconds);
  // OpenSLO has one lookback window and an alertAfter: a two-window rule's short window stands in for
  // alertAfter unless it has a `for`; a single-window rule's alertAfter is its `for` (at least 1m).
  const after = rule.forSeconds !== undefined && rule.forSeconds > 0 ? sloDuration(rule.forSeconds) : sloDuration(rule.singleWindow ? 0 : rule.shortWindowSeconds);
  const comment: string[] = [];
  if (!long.exact) comment.push(`the long window ${promDuration(rule.longWindowSeconds)} is rounded up to ${long.text} (OpenSLO durations are whole minutes)`);
  if (!after.exact) comment.push(`alertAfter ${promDuration(rule.forSeconds ?? (rule.singleWindow ? 0 : rule.shortWindowSeconds))} is rounded up to ${after.text}`);
  for (const c of comment) notes.push(`${name}: ${c}`);
  const annotations = {
    ...(rule.singleWindow ? {} : { [`${ANNOTATION}/short-window`]: promDuration(rule.shortWindowSeconds) }),
    // A single-window rule's alertAfter stands for its `for`, and OpenSLO's least is 1m: `none` says
    // that the rule has no `for`, so that Pace's import does not read one (fuzz finding 6).
    ...(rule.forSeconds !== undefined ? { [`${ANNOTATION}/for`]: promDuration(rule.forSeconds) } : rule.singleWindow ? { [`${ANNOTATION}/for`]: 'none' } : {}),
  };
  const what = slo.alerting!.policy === 'default' ? `the default policy for ${slo.window.type === 'rolling' ? promDuration(slo.window.seconds) : `calendar ${slo.window.unit}`} windows` : `policy ${slo.alerting!.policy.replace(/^policy:/, '')}`;
  const windows = rule.singleWindow ? promDuration(rule.longWindowSeconds) : `${promDuration(rule.longWindowSeconds)} and ${promDuration(rule.shortWindowSeconds)}`;
  const desc = `${rule.severity} when the burn rate exceeds ${rule.factor} over ${windows} (${what})`;
  return {
    name,
    severity: rule.severity,
    condition: {
      comment: ` ${desc}${comment.length ? `\n ${comment.join('\n ')}` : ''}`,
      body: {
        apiVersion: API,
        kind: 'AlertCondition',
        metadata: metadata(name, {}, { annotations }),
        spec: { description: description(desc), severity: rule.severity, condition: { kind: 'burnrate', op: 'gt', threshold: rule.factor, lookbackWindow: long.text, alertAfter: after.text } },
      },
    },
    policy: {
      body: {
        apiVersion: API,
        kind: 'AlertPolicy',
        // A named policy's Pace name, which `pace import openslo` restores (the OpenSLO name is lower case, with the rule after it).
        metadata: metadata(name, {}, { annotations: slo.alerting!.policy === 'default' ? {} : { [`${ANNOTATION}/name`]: slo.alerting!.policy.replace(/^policy:/, '') } }),
        spec: {
          // The policy's own description (empty too), which the import reads back; else the rule's.
          description: policyDescription !== undefined ? (description(policyDescription) ?? '') : description(desc),
          alertWhenNoData: false,
          alertWhenResolved: false,
          alertWhenBreaching: true,
          conditions: [{ conditionRef: name }],
          notificationTargets: [{ targetRef: `pace-${rule.severity}` }],
        },
      },
    },
  };
}

/** Drops undefined fields (recursively), so that the YAML has no empty keys. */
function clean(v: Json | undefined): Json | undefined {
  if (Array.isArray(v)) return v.map((x) => clean(x)!);
  if (v && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x)!;
    return out;
  }
  return v;
}

function yamlDocs(docs: readonly OpenSloDoc[]): string {
  return docs
    .map((d) => {
      // yaml-text.ts writes the same bytes as yaml for plain data, and much faster; yaml takes the rest.
      const fast = documentText(d.body, d.comment);
      if (fast !== undefined) return `---\n${fast}`;
      const doc = new Document(clean(d.body));
      if (d.comment) doc.commentBefore = d.comment;
      return `---\n${goYamlText(doc)}`;
    })
    .join('');
}
