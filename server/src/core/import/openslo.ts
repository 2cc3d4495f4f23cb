// `pace import openslo`: OpenSLO v1 and v1alpha documents → a Pace model (docs/import.md#openslo).
//
// Two passes over multi-document YAML from one or more files:
// 1. **Validation** (errors): every document is checked on its own, with the rules of the OpenSLO
//    v1 JSON Schema written here in code (types, required fields, name/duration/label patterns,
//    1,050-character descriptions, the either/or rules: `good` or `bad`, `indicator` or
//    `indicatorRef`, a condition by reference or inline, …), so that a valid document is accepted
//    and an invalid one rejected exactly as the upstream schema does (a test holds every upstream
//    example to the schema's verdict). Each error is located at the YAML node (file:line:col).
// 2. **Mapping** (warnings): valid documents are joined by name across files (an SLO's
//    `indicatorRef`, `alertPolicies`, an AlertPolicy's `conditionRef`, `service`) and mapped into
//    declarations for buildModel. What Pace cannot express in a valid document (a Redshift metric,
//    a rolling month, a calendar day, a `lte` burn-rate condition, notification targets, …) is
//    one warning per construct, "not imported: …", and that construct is left out; what is
//    imported with a change the user should know of (a counter query wrapped in `increase`, a
//    guessed severity) is a warning too. Errors mean "this is not OpenSLO"; warnings mean "this is
//    OpenSLO that Pace says differently, or not at all".
//
// Pure: no file system; the CLI reads the files.
import { parser } from '@prometheus-io/lezer-promql';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { budgetRatio, clean, defaultPolicy, nominalWindowSeconds, SECONDS, type RuleSpec } from '../budget/budget.js';
import { buildModel, type ServiceDecl, type SloDecl } from '../model/build.js';
import type { AlertingPolicy, Matcher, Selector, Sli, Window } from '../model/model.js';
import { selectorText } from '../model/normalize.js';
import { canonicalTimeZone } from '../budget/time-zones.js';
import type { ImportMessage, ImportResult, ImportSource } from './index.js';
import { aliasMessage, tooLarge } from './bounds.js';

const V1 = 'openslo/v1';
const V1ALPHA = 'openslo/v1alpha';
const V1_KINDS = ['AlertCondition', 'AlertNotificationTarget', 'AlertPolicy', 'DataSource', 'Service', 'SLI', 'SLO'];
const V1ALPHA_KINDS = ['Service', 'SLO'];
/** What Pace's OpenSLO export writes for what OpenSLO has no field for (server/src/core/generate/openslo.ts). */
const PACE = 'pace.dev/';

// ---------------------------------------------------------------------------------------------
// YAML nodes with their file and path, for located messages.

interface FileCtx {
  readonly name: string;
  readonly lines: LineCounter;
}

/** A place in a document: the node there (undefined when the key is absent), its path, and the nearest node to point at. */
class At {
  constructor(
    readonly file: FileCtx,
    readonly node: YamlNode | null | undefined,
    readonly path: string,
    private readonly parent?: At,
  ) {}

  get present(): boolean {
    return this.node !== undefined;
  }

  /** The key of a present map entry (to point at `bad:` rather than at its value), else this. */
  get key(): At {
    return this.present && this.parent && this.parent.path === this.path ? this.parent : this;
  }

  /** The node to locate a message at: this one, else the closest present ancestor. */
  where(): { line: number; column: number } {
    for (let a: At | undefined = this; a; a = a.parent) {
      const r = a.node?.range;
      if (r) {
        const p = a.file.lines.linePos(r[0]);
        return { line: p.line, column: p.col };
      }
    }
    return { line: 1, column: 1 };
  }

  get(key: string): At {
    const p = this.path ? `${this.path}.${key}` : key;
    if (!isMap(this.node)) return new At(this.file, undefined, p, this);
    const pair = this.node.items.find((i) => isScalar(i.key) && String(i.key.value) === key);
    // A key written with no value (`spec:`) is a null scalar, present but not a map.
    return new At(this.file, pair ? ((pair.value as YamlNode | null) ?? null) : undefined, p, pair ? new At(this.file, pair.key as YamlNode, p, this) : this);
  }

  items(): At[] {
    return isSeq(this.node) ? this.node.items.map((n, i) => new At(this.file, n as YamlNode, `${this.path}[${i}]`, this)) : [];
  }

  keys(): string[] {
    return isMap(this.node) ? this.node.items.map((i) => (isScalar(i.key) ? String(i.key.value) : '')) : [];
  }

  get isMap(): boolean {
    return isMap(this.node);
  }
  get isSeq(): boolean {
    return isSeq(this.node);
  }
  /** The scalar's value; undefined for a map, a list or an absent key; null for `~`. */
  get scalar(): unknown {
    return isScalar(this.node) ? this.node.value : this.node === null ? null : undefined;
  }
  get string(): string | undefined {
    const v = this.scalar;
    return typeof v === 'string' ? v : undefined;
  }
  get number(): number | undefined {
    const v = this.scalar;
    return typeof v === 'number' ? v : undefined;
  }
  get bool(): boolean | undefined {
    const v = this.scalar;
    return typeof v === 'boolean' ? v : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Pass 1: validation, the OpenSLO v1 schema's rules (and v1alpha's, from its specification).

/** An OpenSLO name: lower-case letters and digits, then also `.`, `|`, `/`, `\` and `-`; at most 255 characters. */
const NAME = /^[a-z0-9][a-z0-9.|/\\-]*$/;
/** A duration shorthand: a positive whole number and one of m h d w M Q Y. */
const DURATION = /^[1-9][0-9]*[mhdwMQY]$/;
const LABEL_VALUE = /^[a-z0-9A-Z][a-z0-9A-Z._-]*$/;
/** An annotation key: an optional DNS-subdomain prefix and `/`, then a name. */
const ANNOTATION_KEY = /^(([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9][a-z0-9-]{0,61}[a-z0-9]\/)?[a-z0-9A-Z][a-z0-9A-Z._-]*$/;
const START_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const TIME_ZONE = /[A-Z][a-zA-Z_]+\/[A-Z][a-zA-Z_]+/;
const OPS = ['lte', 'gte', 'lt', 'gt'];
const MAX_DESCRIPTION = 1050;

class Checker {
  constructor(
    private readonly report: (at: At, message: string) => void,
    private readonly what: string,
  ) {}

  error(at: At, message: string): void {
    this.report(at, `${this.what}: ${message}`);
  }

  required(at: At, key: string): At {
    const c = at.get(key);
    if (!c.present && at.isMap) this.error(at.key, `\`${c.path}\` is required`);
    return c;
  }

  map(at: At): boolean {
    if (at.present && !at.isMap) this.error(at, `\`${at.path}\` must be a map`);
    return at.isMap;
  }

  list(at: At, min = 0, max = Infinity): At[] {
    if (!at.present) return [];
    if (!at.isSeq) {
      this.error(at, `\`${at.path}\` must be a list`);
      return [];
    }
    const items = at.items();
    if (items.length < min) this.error(at, `\`${at.path}\` must have at least ${min} item${min === 1 ? '' : 's'}`);
    if (items.length > max) this.error(items[max], `\`${at.path}\` may have at most ${max} item${max === 1 ? '' : 's'} (it has ${items.length})`);
    return items;
  }

  string(at: At, rule?: { pattern?: RegExp; what?: string; min?: number; max?: number }): string | undefined {
    if (!at.present) return undefined;
    const s = at.string;
    if (s === undefined) {
      this.error(at, `\`${at.path}\` must be a string`);
      return undefined;
    }
    if (rule?.min !== undefined && s.length < rule.min) this.error(at, `\`${at.path}\` must not be empty`);
    if (rule?.max !== undefined && s.length > rule.max) this.error(at, `\`${at.path}\` is ${s.length} characters long; at most ${rule.max} are allowed`);
    if (rule?.pattern && !rule.pattern.test(s)) this.error(at, `\`${at.path}\` ${JSON.stringify(s)} is not ${rule.what ?? `of the form ${rule.pattern.source}`}`);
    return s;
  }

  name(at: At): string | undefined {
    return this.string(at, { pattern: NAME, what: 'an OpenSLO name (lower-case letters, digits, `-`, `.`, beginning with a letter or digit)', min: 1, max: 255 });
  }

  description(at: At): void {
    this.string(at, { max: MAX_DESCRIPTION });
  }

  duration(at: At): string | undefined {
    return this.string(at, { pattern: DURATION, what: 'a duration shorthand such as 5m, 1h, 28d, 1w, 1M, 1Q or 1Y' });
  }

  number(at: At, rule: { min?: number; exclusiveMin?: number; max?: number; exclusiveMax?: number } = {}): number | undefined {
    if (!at.present) return undefined;
    const n = at.number;
    if (n === undefined) {
      this.error(at, `\`${at.path}\` must be a number`);
      return undefined;
    }
    const range = (cond: boolean, text: string) => cond || this.error(at, `\`${at.path}\` is ${n}; it must be ${text}`);
    if (rule.min !== undefined) range(n >= rule.min, `at least ${rule.min}`);
    if (rule.exclusiveMin !== undefined) range(n > rule.exclusiveMin, `more than ${rule.exclusiveMin}`);
    if (rule.max !== undefined) range(n <= rule.max, `at most ${rule.max}`);
    if (rule.exclusiveMax !== undefined) range(n < rule.exclusiveMax, `less than ${rule.exclusiveMax}`);
    return n;
  }

  bool(at: At): void {
    if (at.present && at.bool === undefined) this.error(at, `\`${at.path}\` must be true or false`);
  }

  oneOf(at: At, values: readonly string[]): string | undefined {
    if (!at.present) return undefined;
    const s = at.string;
    if (s === undefined || !values.includes(s)) this.error(at, `\`${at.path}\` must be one of ${values.join(', ')}`);
    return s;
  }

  /** Exactly one of the keys (`exclusive`: and never both). */
  exactlyOne(at: At, keys: readonly string[]): string | undefined {
    if (!at.isMap) return undefined;
    const present = keys.filter((k) => at.get(k).present);
    if (present.length === 0) this.error(at, `\`${at.path}\` needs one of ${keys.map((k) => `\`${k}\``).join(' or ')}`);
    else if (present.length > 1) this.error(at.get(present[1]).key, `\`${at.path}\` has both ${present.map((k) => `\`${k}\``).join(' and ')}; give one`);
    return present.length === 1 ? present[0] : undefined;
  }

  metadata(at: At): void {
    if (!this.map(at)) return;
    this.name(this.required(at, 'name'));
    this.string(at.get('displayName'), { min: 1 });
    const labels = at.get('labels');
    if (this.map(labels))
      for (const k of labels.keys()) {
        const v = labels.get(k);
        if (v.isSeq) continue;
        this.string(v, { pattern: LABEL_VALUE, what: 'a label value (letters, digits, `.`, `_`, `-`, beginning with a letter or digit)', min: 1, max: 63 });
      }
    const annotations = at.get('annotations');
    if (this.map(annotations))
      for (const k of annotations.keys()) {
        const name = k.includes('/') ? k.slice(k.lastIndexOf('/') + 1) : k;
        if (!ANNOTATION_KEY.test(k) || name.length > 63 || k.length - name.length - 1 > 253) this.error(annotations.get(k), `annotation key ${JSON.stringify(k)} is not a valid key (an optional DNS-subdomain prefix and \`/\`, then a name of at most 63 letters, digits, \`.\`, \`_\`, \`-\`)`);
      }
  }

  metricSource(holder: At): void {
    if (!this.map(holder)) return;
    const ms = this.required(holder, 'metricSource');
    if (!this.map(ms)) return;
    this.name(ms.get('metricSourceRef'));
    this.string(ms.get('type'));
    this.map(this.required(ms, 'spec'));
  }

  sliSpec(spec: At): void {
    if (!this.map(spec)) return;
    this.description(spec.get('description'));
    this.exactlyOne(spec, ['thresholdMetric', 'ratioMetric']);
    if (spec.get('thresholdMetric').present) this.metricSource(spec.get('thresholdMetric'));
    const ratio = spec.get('ratioMetric');
    if (ratio.present && this.map(ratio)) {
      this.bool(this.required(ratio, 'counter'));
      this.metricSource(this.required(ratio, 'total'));
      this.exactlyOne(ratio, ['good', 'bad']);
      for (const k of ['good', 'bad']) if (ratio.get(k).present) this.metricSource(ratio.get(k));
    }
  }

  conditionSpec(spec: At, inline: boolean): void {
    if (!this.map(spec)) return;
    this.description(spec.get('description'));
    this.string(this.required(spec, 'severity'));
    const c = this.required(spec, 'condition');
    if (!this.map(c)) return;
    this.oneOf(c.get('kind'), ['burnrate']);
    this.oneOf(c.get('op'), OPS);
    this.number(c.get('threshold'));
    this.duration(c.get('lookbackWindow'));
    this.duration(c.get('alertAfter'));
    // The upstream schema checks what a burn-rate condition needs only in an AlertCondition
    // document; inline ones may leave `op` out (its own example does), which the mapping reads as gt.
    if (c.get('kind').string === 'burnrate') for (const k of inline ? ['threshold', 'lookbackWindow', 'alertAfter'] : ['op', 'threshold', 'lookbackWindow', 'alertAfter']) this.required(c, k);
  }

  /** A list item that refers to a document by name (`refKey`) or holds it inline (kind, metadata, spec). */
  refOrInline(item: At, refKey: string, kind: string, inlineSpec: (spec: At) => void): void {
    if (!this.map(item)) return;
    const hasRef = item.get(refKey).present;
    const inline = ['kind', 'metadata', 'spec'].every((k) => item.get(k).present);
    if (hasRef && inline) this.error(item, `\`${item.path}\` has both \`${refKey}\` and an inline ${kind}; give one`);
    else if (!hasRef && !inline) {
      const partial = ['kind', 'metadata', 'spec'].filter((k) => item.get(k).present);
      this.error(item, partial.length ? `\`${item.path}\` is an incomplete inline ${kind}: it needs ${['kind', 'metadata', 'spec'].filter((k) => !partial.includes(k)).map((k) => `\`${k}\``).join(' and ')}` : `\`${item.path}\` needs \`${refKey}\` (the name of an ${kind}) or an inline ${kind} (kind, metadata, spec)`);
    }
    this.name(item.get(refKey));
    if (inline) {
      const k = item.get('kind');
      if (k.string !== kind) this.error(k, `\`${k.path}\` must be ${kind}`);
      this.metadata(item.get('metadata'));
      inlineSpec(item.get('spec'));
    }
  }

  policySpec(spec: At): void {
    if (!this.map(spec)) return;
    this.description(spec.get('description'));
    for (const k of ['alertWhenNoData', 'alertWhenResolved', 'alertWhenBreaching']) this.bool(this.required(spec, k));
    for (const c of this.list(this.required(spec, 'conditions'), 1, 1)) this.refOrInline(c, 'conditionRef', 'AlertCondition', (s) => this.conditionSpec(s, true));
    for (const t of this.list(this.required(spec, 'notificationTargets'), 1)) this.refOrInline(t, 'targetRef', 'AlertNotificationTarget', (s) => this.targetSpec(s));
  }

  targetSpec(spec: At): void {
    if (!this.map(spec)) return;
    this.string(this.required(spec, 'target'));
    this.description(spec.get('description'));
  }

  calendar(item: At): void {
    const cal = item.get('calendar');
    if (!this.map(cal)) return;
    this.string(this.required(cal, 'startTime'), { pattern: START_TIME, what: 'a date and time such as 2024-01-01 00:00:00' });
    this.string(this.required(cal, 'timeZone'), { pattern: TIME_ZONE, what: 'an IANA time zone such as Europe/Paris' });
  }

  sloSpec(spec: At): void {
    if (!this.map(spec)) return;
    this.description(spec.get('description'));
    this.name(this.required(spec, 'service'));
    const budgeting = this.oneOf(this.required(spec, 'budgetingMethod'), ['Occurrences', 'Timeslices', 'RatioTimeslices']);
    const objectives = this.list(this.required(spec, 'objectives'));
    // A composite SLO (newer OpenSLO) has its indicators in the objectives: valid, but not imported.
    const composite = !spec.get('indicator').present && !spec.get('indicatorRef').present && objectives.length > 0 && objectives.every((o) => o.get('indicator').present || o.get('indicatorRef').present);
    if (!composite) this.exactlyOne(spec, ['indicator', 'indicatorRef']);
    this.name(spec.get('indicatorRef'));
    const ind = spec.get('indicator');
    if (ind.present && this.map(ind)) {
      this.metadata(ind.get('metadata'));
      this.sliSpec(ind.get('spec'));
    }
    for (const w of this.list(spec.get('timeWindow'), 0, 1)) {
      if (!this.map(w)) continue;
      this.duration(this.required(w, 'duration'));
      this.bool(w.get('isRolling'));
      // As the upstream schema: a window that says `isRolling` other than true needs a calendar.
      const rolling = w.get('isRolling');
      if (rolling.present && rolling.scalar !== true) this.required(w, 'calendar');
      if (rolling.scalar !== true) this.calendar(w);
    }
    for (const o of objectives) {
      if (!this.map(o)) continue;
      this.string(o.get('displayName'), { min: 1 });
      this.oneOf(o.get('op'), OPS);
      this.number(o.get('value'));
      if (!o.get('targetPercent').present) this.number(this.required(o, 'target'), { min: 0, exclusiveMax: 1 });
      else if (o.get('target').present) this.error(o.get('targetPercent'), `\`${o.path}\` has both \`target\` and \`targetPercent\`; give one`);
      else this.number(o.get('targetPercent'), { min: 0, exclusiveMax: 100 });
      this.number(o.get('timeSliceTarget'), { exclusiveMin: 0, max: 1 });
      const tsw = o.get('timeSliceWindow');
      if (tsw.present) {
        if (typeof tsw.scalar === 'number') this.number(tsw, { exclusiveMin: 0 });
        else this.duration(tsw);
      }
      if (budgeting === 'Timeslices') for (const k of ['timeSliceWindow', 'timeSliceTarget']) this.required(o, k);
    }
    for (const p of this.list(spec.get('alertPolicies'))) {
      // The v1 schema lists names; the v1 specification also allows `alertPolicyRef` and inline policies.
      if (p.isMap && !p.get('kind').present) this.name(this.required(p, 'alertPolicyRef'));
      else if (p.isMap) this.refOrInline(p, 'alertPolicyRef', 'AlertPolicy', (s) => this.policySpec(s));
      else this.name(p);
    }
  }

  v1alphaSource(at: At): void {
    if (!this.map(at)) return;
    for (const k of ['source', 'queryType', 'query']) this.string(this.required(at, k));
  }

  v1alphaSlo(spec: At): void {
    if (!this.map(spec)) return;
    this.description(spec.get('description'));
    this.string(this.required(spec, 'service'), { min: 1 });
    this.oneOf(this.required(spec, 'budgetingMethod'), ['Occurrences', 'Timeslices']);
    const ind = spec.get('indicator');
    if (this.map(ind)) this.v1alphaSource(this.required(ind, 'thresholdMetric'));
    for (const w of this.list(spec.get('timeWindows'), 0, 1)) {
      if (!this.map(w)) continue;
      this.oneOf(this.required(w, 'unit'), ['Second', 'Minute', 'Hour', 'Day', 'Week', 'Month', 'Quarter', 'Year']);
      this.number(this.required(w, 'count'), { exclusiveMin: 0 });
      this.bool(w.get('isRolling'));
      if (w.get('isRolling').scalar !== true) this.calendar(w);
    }
    for (const o of this.list(this.required(spec, 'objectives'), 1)) {
      if (!this.map(o)) continue;
      this.string(o.get('displayName'), { min: 1 });
      this.oneOf(o.get('op'), OPS);
      this.number(o.get('value'));
      this.number(this.required(o, 'target'), { min: 0, exclusiveMax: 1 });
      this.number(o.get('timeSliceTarget'), { exclusiveMin: 0, max: 1 });
      const r = ratioMetricsOf(o);
      if (r.present && this.map(r)) {
        this.bool(this.required(r, 'counter'));
        this.v1alphaSource(this.required(r, 'good'));
        this.v1alphaSource(this.required(r, 'total'));
      }
      if (r.present === ind.present) this.error(o, `\`${o.path}\` needs ${ind.present ? 'no `ratioMetrics`: the SLO has a `thresholdMetric` indicator' : '`ratioMetrics`, or the SLO an `indicator`'}`);
    }
  }
}

function ratioMetricsOf(objective: At): At {
  const r = objective.get('ratioMetrics');
  return r.present ? r : objective.get('ratioMetric');
}

interface DocIn {
  readonly at: At;
  readonly api: typeof V1 | typeof V1ALPHA;
  readonly kind: string;
  readonly name: string;
}

function validate(at: At, report: (at: At, message: string) => void): DocIn | undefined {
  const base = new Checker(report, 'document');
  if (!at.isMap) {
    base.error(at, 'an OpenSLO document is a map with apiVersion, kind, metadata and spec');
    return undefined;
  }
  const name = at.get('metadata').get('name').string;
  const kindText = at.get('kind').string;
  const c = new Checker(report, `${kindText ?? 'document'}${name ? ` ${name}` : ''}`);
  for (const k of ['apiVersion', 'kind', 'metadata', 'spec']) c.required(at, k);
  const api = at.get('apiVersion');
  const apiText = api.string;
  if (api.present && apiText !== V1 && apiText !== V1ALPHA) c.error(api, `apiVersion ${JSON.stringify(api.scalar)} is not ${V1} or ${V1ALPHA}`);
  const kinds = apiText === V1ALPHA ? V1ALPHA_KINDS : V1_KINDS;
  const kind = at.get('kind');
  if (kind.present && (kindText === undefined || !kinds.includes(kindText))) c.error(kind, `kind ${JSON.stringify(kind.scalar)} is not an ${apiText === V1ALPHA ? V1ALPHA : V1} kind (${kinds.join(', ')})`);
  c.metadata(at.get('metadata'));
  const spec = at.get('spec');
  c.map(spec);
  if (apiText === V1ALPHA) {
    if (kindText === 'Service') c.description(spec.get('description'));
    else if (kindText === 'SLO') c.v1alphaSlo(spec);
  } else
    switch (kindText) {
      case 'Service':
        c.description(spec.get('description'));
        break;
      case 'SLI':
        c.sliSpec(spec);
        break;
      case 'SLO':
        c.sloSpec(spec);
        break;
      case 'AlertPolicy':
        c.policySpec(spec);
        break;
      case 'AlertCondition':
        c.conditionSpec(spec, false);
        break;
      case 'AlertNotificationTarget':
        c.targetSpec(spec);
        break;
      case 'DataSource':
        c.string(c.required(spec, 'type'));
        c.map(c.required(spec, 'connectionDetails'));
        break;
    }
  if (apiText !== V1 && apiText !== V1ALPHA) return undefined;
  return kindText && name ? { at, api: apiText, kind: kindText, name } : undefined;
}

// ---------------------------------------------------------------------------------------------
// PromQL: plain selectors, the shapes Pace's export writes, and counter queries.

type PromNode = { name: string; from: number; to: number; parent: PromNode | null; firstChild: PromNode | null; nextSibling: PromNode | null; getChildren(n: string): PromNode[] };

function promTree(q: string): { top: PromNode; error: boolean } {
  const tree = parser.parse(q);
  let error = false;
  tree.iterate({ enter: (n) => void (n.type.isError && (error = true)) });
  return { top: tree.topNode as unknown as PromNode, error };
}

function children(n: PromNode): PromNode[] {
  const out: PromNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function unquote(lit: string): string | undefined {
  if (lit.startsWith('`')) return lit.slice(1, -1);
  try {
    if (lit.startsWith("'")) return JSON.parse(`"${lit.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
    return JSON.parse(lit) as string;
  } catch {
    return undefined;
  }
}

/** A VectorSelector node as a model selector; undefined when it has what Pace selectors cannot say (quoted label names). */
function selectorOfNode(q: string, n: PromNode): Selector | undefined {
  let metric: string | undefined;
  const matchers: Matcher[] = [];
  for (const c of children(n)) {
    if (c.name === 'Identifier') metric = q.slice(c.from, c.to);
    else if (c.name === 'LabelMatchers') {
      for (const m of children(c)) {
        if (m.name !== 'UnquotedLabelMatcher') return undefined;
        const [label, op, value] = children(m);
        const v = value && unquote(q.slice(value.from, value.to));
        if (!label || !op || v === undefined) return undefined;
        matchers.push({ label: q.slice(label.from, label.to), op: q.slice(op.from, op.to) as Matcher['op'], value: v });
      }
    } else return undefined;
  }
  if (metric === undefined && !matchers.length) return undefined;
  return { ...(metric !== undefined ? { metric } : {}), matchers, text: selectorText(metric, matchers) };
}

/** The query as a selector when it is nothing but one (`metric{a="b"}`). */
function plainSelector(query: string): Selector | undefined {
  const q = query.trim();
  const { top, error } = promTree(q);
  const c = children(top);
  if (error || c.length !== 1 || c[0].name !== 'VectorSelector' || c[0].from !== 0 || c[0].to !== q.length) return undefined;
  return selectorOfNode(q, c[0]);
}

const CMP: Record<string, '<' | '<=' | '>' | '>=' | '=='> = { Lss: '<', Lte: '<=', Gtr: '>', Gte: '>=', EqlC: '==' };

/** `min(SELECTOR <op> bool NUMBER)`, the time-slice query Pace's export writes: the gauge and its condition. */
function paceSliceQuery(query: string): { gauge: Selector; op: '<' | '<=' | '>' | '>=' | '=='; value: number } | undefined {
  const q = query.trim();
  const { top, error } = promTree(q);
  const [agg] = children(top);
  if (error || !agg || agg.name !== 'AggregateExpr' || agg.from !== 0 || agg.to !== q.length) return undefined;
  const [op, body, extra] = children(agg);
  if (!op || q.slice(op.from, op.to) !== 'min' || !body || body.name !== 'FunctionCallBody' || extra) return undefined;
  const [bin, more] = children(body);
  if (!bin || bin.name !== 'BinaryExpr' || more) return undefined;
  const parts = children(bin);
  const sel = parts[0];
  const cmp = parts.find((p) => CMP[p.name]);
  const bool = parts.find((p) => p.name === 'BoolModifier');
  const num = parts[parts.length - 1];
  if (!sel || sel.name !== 'VectorSelector' || !cmp || !bool || !num || num.name !== 'NumberDurationLiteral' || parts.length !== 4) return undefined;
  const gauge = selectorOfNode(q, sel);
  const value = Number(q.slice(num.from, num.to));
  return gauge && Number.isFinite(value) ? { gauge, op: CMP[cmp.name], value } : undefined;
}

/** A counter query with every instant selector as its increase over `$window`; a reason when it cannot be. */
function counterIncrease(query: string): { text: string } | { reason: string } {
  const q = query.trim();
  const { top, error } = promTree(q);
  if (error) return { reason: `its query ${JSON.stringify(q)} is not PromQL` };
  const spans: { from: number; to: number }[] = [];
  let blocked: string | undefined;
  const walk = (n: PromNode) => {
    if (n.name === 'MatrixSelector' || n.name === 'SubqueryExpr') blocked ??= 'it already has a range (write `$window` where the range goes)';
    else if (n.name === 'OffsetExpr' || n.name === 'StepInvariantExpr') blocked ??= 'it has an `offset` or `@` modifier';
    if (n.name === 'VectorSelector') spans.push({ from: n.from, to: n.to });
    else for (const c of children(n)) walk(c);
  };
  walk(top);
  if (blocked) return { reason: `its counter query ${JSON.stringify(q)} cannot be read as an increase: ${blocked}` };
  if (!spans.length) return { reason: `its counter query ${JSON.stringify(q)} selects no metric` };
  let text = q;
  for (const s of spans.sort((a, b) => b.from - a.from)) text = `${text.slice(0, s.from)}increase(${text.slice(s.from, s.to)}[$window])${text.slice(s.to)}`;
  return { text };
}

// ---------------------------------------------------------------------------------------------
// Names, durations, windows.

/**
 * Words that continue an alert rule or a credit tier (grammar/src/parser.ts): they name a
 * declaration, but cannot start a reference. The printer writes a reference to an SLI or an SLO of
 * such a name qualified (`checkout.over`), which needs a service name that can start one.
 */
const RULE_WORDS = new Set(['over', 'and', 'for', 'below', 'when']);
/** `alerting = default | none` are built in: a policy cannot have those names either. */
const POLICY_WORDS = new Set([...RULE_WORDS, 'default', 'none']);

/**
 * An OpenSLO name as a Pace identifier: `payments-api` → `payments_api`. `reserved` are names it
 * cannot take where it is declared (they get a `_`): a policy is referred to by its name alone, an
 * SLI by `service.name` when its name is a rule word.
 */
export function identifier(name: string, reserved: ReadonlySet<string> = new Set()): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!id) id = 'x';
  if (/^[0-9]/.test(id)) id = `_${id}`;
  return unreserved(id, reserved);
}

/** A Pace name, with a `_` if it is one of `reserved`. */
function unreserved(name: string, reserved: ReadonlySet<string> = new Set()): string {
  return reserved.has(name) ? `${name}_` : name;
}

/** The annotation in which Pace's export keeps a name its OpenSLO name does not give back (`Shop`, `_x`). */
const NAME_ANNOTATION = `${PACE}name`;

/** A Prometheus duration (`1h30m`, `5m`, `500ms`), as Pace's export writes its annotations, in seconds. */
function promSeconds(text: string): number | undefined {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * units[m[2]];
  return total > 0 ? total : undefined;
}

/** An OpenSLO duration shorthand of fixed length (m, h, d, w) in seconds; undefined for M, Q, Y. */
function shorthandSeconds(text: string): number | undefined {
  const m = /^([1-9][0-9]*)([mhdw])$/.exec(text);
  return m ? Number(m[1]) * SECONDS[m[2] as 'm' | 'h' | 'd' | 'w'] : undefined;
}

/** The tz database name Pace writes for an OpenSLO zone: `Etc/UTC` is `UTC`; a name Pace accepts stays as written (Intl would turn `Asia/Kolkata` into ICU's `Asia/Calcutta`); other links resolve. */
function paceZone(zone: string): string | undefined {
  if (/^(Etc\/)?(UTC|UCT|Universal|Zulu|GMT|GMT0|Greenwich)$/.test(zone)) return 'UTC';
  const accepted = canonicalTimeZone(zone);
  if (accepted === zone) return zone;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const CALENDAR_UNIT: Record<string, 'week' | 'month' | 'quarter'> = { '1w': 'week', '7d': 'week', '1M': 'month', '1Q': 'quarter', '3M': 'quarter' };
const V1ALPHA_UNIT: Record<string, string> = { Minute: 'm', Hour: 'h', Day: 'd', Week: 'w', Month: 'M', Quarter: 'Q', Year: 'Y' };

// ---------------------------------------------------------------------------------------------
// Pass 2: mapping valid documents into declarations.

interface Source {
  readonly at: At;
  readonly type?: string;
  readonly query?: string;
}

interface Indicator {
  /** The SLI's OpenSLO name (a document's or an inline indicator's). */
  readonly name: string;
  readonly at: At;
  readonly description?: string;
  readonly ratio?: { readonly counter: boolean; readonly good?: Source; readonly bad?: Source; readonly total: Source };
  readonly threshold?: Source;
}

type SliBody = Sli extends infer S ? (S extends Sli ? Omit<S, 'id' | 'name' | 'service' | 'description'> : never) : never;
type Result<T> = { value: T; notes: string[] } | { reason: string; at?: At };

class Importer {
  readonly messages: ImportMessage[] = [];
  private readonly docs = new Map<string, DocIn>();
  private readonly used = new Set<DocIn>();
  private readonly services = new Map<string, ServiceDecl & { seen: Set<string> }>();
  private readonly policies = new Map<string, AlertingPolicy>();
  private readonly policyKeys = new Map<string, string>();

  constructor(docs: readonly DocIn[]) {
    for (const d of docs) {
      const key = `${d.kind}/${d.name}`;
      const first = this.docs.get(key);
      if (first) {
        const w = first.at.where();
        this.msg('error', d.at.get('metadata').get('name'), `${d.kind} ${d.name} is declared twice (first at ${first.at.file.name}:${w.line}:${w.column}); references by name would be ambiguous`);
      } else this.docs.set(key, d);
    }
  }

  msg(severity: 'error' | 'warning', at: At, message: string): void {
    const w = at.where();
    // A policy shared by several SLOs is read once per SLO: say each thing once.
    if (this.messages.some((m) => m.file === at.file.name && m.line === w.line && m.column === w.column && m.message === message)) return;
    this.messages.push({ severity, file: at.file.name, line: w.line, column: w.column, message });
  }

  private doc(kind: string, name: string | undefined): DocIn | undefined {
    return name === undefined ? undefined : this.docs.get(`${kind}/${name}`);
  }

  run(): ImportResult {
    for (const d of this.docs.values()) if (d.kind === 'Service') this.service(d.name, d);
    for (const d of this.docs.values()) if (d.kind === 'SLO') (d.api === V1 ? this.slo(d) : this.sloV1alpha(d));
    for (const d of this.docs.values()) {
      if (this.used.has(d) || d.kind === 'Service' || d.kind === 'SLO') continue;
      const why: Record<string, string> = {
        SLI: 'no imported SLO uses it (a Pace SLI belongs to the service of its SLOs)',
        AlertPolicy: 'no imported SLO uses it',
        AlertCondition: 'no imported alert policy uses it',
        AlertNotificationTarget: "Pace does not route alerts in its model; the alertmanager target routes them by severity, service and owner (docs/generate.md)",
        DataSource: 'Pace reads Prometheus metrics; where from is set by the command that reads them (--prometheus, pace.yaml data)',
      };
      this.msg('warning', d.at.get('kind'), `not imported: ${d.kind} ${d.name}: ${why[d.kind] ?? 'Pace has no form for it'}`);
    }
    const services = [...this.services.values()].map(({ seen: _seen, ...s }) => s);
    const model = buildModel({ labels: {}, services, alertingPolicies: [...this.policies.values()], objectives: [] });
    return { model, messages: this.messages };
  }

  // --- services -------------------------------------------------------------------------------

  private service(openSloName: string, d?: DocIn): ServiceDecl & { seen: Set<string> } {
    const name = (d && this.paceName(d.at.get('metadata'), `Service ${d.name}`)) ?? identifier(openSloName);
    let s = this.services.get(name);
    if (!s) {
      s = { id: `service:${name}`, name, labels: {}, dependsOn: [], softDependsOn: [], slis: [], slas: [], slos: [], seen: new Set() };
      this.services.set(name, s);
    }
    if (d) {
      this.used.add(d);
      const md = d.at.get('metadata');
      const title = md.get('displayName').string;
      const description = d.at.get('spec').get('description').string;
      if (title) s.title = title;
      if (description) s.description = description;
      s.labels = this.labels(md, `Service ${d.name}`, (key, value, at) => {
        if (key === NAME_ANNOTATION) return;
        if (key === `${PACE}owner`) s!.owner = value;
        else if (key === `${PACE}tier` && ['critical', 'high', 'medium', 'low'].includes(value)) s!.tier = value as ServiceDecl['tier'];
        else this.msg('warning', at, `not imported: annotation ${key} of Service ${d.name}: a Pace service has no annotations`);
      });
    }
    return s;
  }

  /** The Pace name of `pace.dev/name` (Pace's export), when it is one; a warning when it is not. */
  private paceName(md: At, what: string): string | undefined {
    const a = md.get('annotations').get(NAME_ANNOTATION);
    if (!a.present) return undefined;
    if (a.string !== undefined && /^[A-Za-z_][A-Za-z0-9_:]*$/.test(a.string)) return a.string;
    this.msg('warning', a, `annotation ${NAME_ANNOTATION} of ${what} is not a Pace name (letters, digits, _ and :): the name comes from metadata.name`);
    return undefined;
  }

  /**
   * metadata.labels as Pace labels, and the labels Pace's export moved into `pace.dev/label.<name>`
   * annotations; every other annotation goes to `other`.
   */
  private labels(md: At, what: string, other: (key: string, value: string, at: At) => void): Record<string, string> {
    const out: Record<string, string> = {};
    const labels = md.get('labels');
    for (const k of labels.keys()) {
      const v = labels.get(k);
      if (v.string === undefined) this.msg('warning', v, `not imported: label ${k} of ${what}: its value is a list; a Pace label has one value`);
      else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) this.msg('warning', labels.get(k), `not imported: label ${k} of ${what}: a Pace label name is letters, digits and _`);
      else out[k] = v.string;
    }
    const anns = md.get('annotations');
    for (const k of anns.keys()) {
      const v = anns.get(k);
      const value = v.string ?? (v.scalar !== undefined && v.scalar !== null ? String(v.scalar) : undefined);
      if (value === undefined) {
        this.msg('warning', v, `not imported: annotation ${k} of ${what}: its value is not text`);
        continue;
      }
      if (k.startsWith(`${PACE}label.`) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k.slice(PACE.length + 6))) out[k.slice(PACE.length + 6)] = value;
      else other(k, value, v);
    }
    return out;
  }

  // --- SLIs -----------------------------------------------------------------------------------

  private source(holder: At): Source {
    const ms = holder.get('metricSource');
    let type = ms.get('type').string;
    const ref = ms.get('metricSourceRef').string;
    if (type === undefined && ref !== undefined) {
      const ds = this.doc('DataSource', ref);
      if (ds) {
        this.used.add(ds);
        type = ds.at.get('spec').get('type').string;
      }
    }
    const query = ms.get('spec').get('query').string;
    return { at: ms, type, query };
  }

  private indicatorOf(name: string, at: At, spec: At): Indicator {
    const ratio = spec.get('ratioMetric');
    return {
      name,
      at,
      description: spec.get('description').string,
      ...(ratio.present
        ? { ratio: { counter: ratio.get('counter').bool === true, good: ratio.get('good').present ? this.source(ratio.get('good')) : undefined, bad: ratio.get('bad').present ? this.source(ratio.get('bad')) : undefined, total: this.source(ratio.get('total')) } }
        : { threshold: this.source(spec.get('thresholdMetric')) }),
    };
  }

  /** Every source is Prometheus with a query, or the reason why not (and where). */
  private prometheusQueries(sources: readonly Source[]): { reason: string; at: At } | undefined {
    for (const s of sources) {
      if (s.type === undefined) return { reason: `its metric source has no type (and no DataSource of that name gives one); Pace reads Prometheus metrics`, at: s.at };
      if (s.type.toLowerCase() !== 'prometheus') return { reason: `its metric source is ${s.type}; Pace reads Prometheus metrics`, at: s.at.get('type').present ? s.at.get('type') : s.at };
      if (s.query === undefined || !s.query.trim()) return { reason: 'its Prometheus metric source has no `spec.query`', at: s.at };
    }
    return undefined;
  }

  /** An Occurrences SLI: ratio, latency (the shape Pace's export gives a latency SLI), or raw PromQL. */
  private ratioSli(ind: Indicator): Result<SliBody> {
    const r = ind.ratio!;
    const parts = (['good', 'bad', 'total'] as const).filter((k) => r[k]);
    const why = this.prometheusQueries(parts.map((k) => r[k]!));
    if (why) return why;
    const q = (k: 'good' | 'bad' | 'total') => r[k]!.query!.trim();
    if (parts.some((k) => q(k).includes('$window'))) {
      // Pace's own export of a `promql` SLI: its PromQL as written, over `$window`.
      return { value: { kind: 'promql', ...Object.fromEntries(parts.map((k) => [k, q(k)])) } as SliBody, notes: [] };
    }
    const selectors = Object.fromEntries(parts.map((k) => [k, plainSelector(q(k))])) as Record<'good' | 'bad' | 'total', Selector | undefined>;
    if (r.counter && parts.every((k) => selectors[k])) {
      const latency = latencyOf(selectors.good, selectors.total);
      if (latency) return { value: { kind: 'latency', histogram: latency.histogram, underSeconds: latency.under }, notes: [] };
      return { value: { kind: 'ratio', ...(selectors.good ? { good: selectors.good } : {}), ...(selectors.bad ? { bad: selectors.bad } : {}), total: selectors.total! } as SliBody, notes: [] };
    }
    const out: Record<string, string> = {};
    const notes: string[] = [];
    for (const k of parts) {
      if (r.counter) {
        const sel = selectors[k];
        const inc = sel ? { text: `sum(increase(${sel.text}[$window]))` } : counterIncrease(q(k));
        if ('reason' in inc) return { reason: inc.reason };
        out[k] = inc.text;
      } else out[k] = `avg_over_time((${q(k)})[$window:])`;
      notes.push(`${k} ${JSON.stringify(q(k))} is imported as ${JSON.stringify(out[k])} (${r.counter ? 'a counter: its increase over the window' : 'a gauge (counter: false): its average over the window'}); check it`);
    }
    return { value: { kind: 'promql', ...out } as SliBody, notes };
  }

  /** A Timeslices SLI: a gauge selector and the objective's condition, or the query Pace's export writes (`min(g < bool 30)` with `op: gte, value: 1`). */
  private timesliceSli(ind: Indicator, objective: At): Result<SliBody> {
    const why = this.prometheusQueries([ind.threshold!]);
    if (why) return why;
    const query = ind.threshold!.query!.trim();
    const op = objective.get('op').string;
    const value = objective.get('value').number;
    if (op === undefined || value === undefined) return { reason: 'a threshold objective needs `op` and `value` (when a slice is good)' };
    const notes: string[] = [];
    const tst = objective.get('timeSliceTarget').number;
    if (tst !== undefined && tst !== 1) notes.push(`timeSliceTarget ${tst} is not kept: a Pace slice is good when the gauge meets the condition at the slice's end`);
    const slice = sliceSeconds(objective.get('timeSliceWindow'));
    if (slice === undefined) return { reason: `its timeSliceWindow ${JSON.stringify(objective.get('timeSliceWindow').scalar)} is not a fixed duration` };
    const paceShape = paceSliceQuery(query);
    if (paceShape && op === 'gte' && value === 1) return { value: { kind: 'timeslice', gauge: paceShape.gauge, goodWhen: { op: paceShape.op, value: paceShape.value }, sliceSeconds: slice }, notes };
    const gauge = plainSelector(query);
    if (!gauge) return { reason: `its threshold query ${JSON.stringify(query)} is not a metric selector; a Pace time-slice SLI reads a gauge selector` };
    const cmp = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[op] as '<' | '<=' | '>' | '>=';
    return { value: { kind: 'timeslice', gauge, goodWhen: { op: cmp, value }, sliceSeconds: slice }, notes };
  }

  /** The Pace SLI of an indicator in a service, declared once per (indicator, body). */
  private sliIn(service: ServiceDecl & { seen: Set<string> }, ind: Indicator, body: SliBody, svcOpenSlo: string): string {
    // A rule word is referred to as `service.name`: only a service whose name can start a reference has it.
    const reserved = RULE_WORDS.has(service.name) ? RULE_WORDS : undefined;
    const kept = this.paceName(ind.at.get('metadata'), `SLI ${ind.name}`);
    const base = kept !== undefined ? unreserved(kept, reserved) : identifier(ind.name.startsWith(`${svcOpenSlo}.`) ? ind.name.slice(svcOpenSlo.length + 1) : ind.name, reserved);
    const same = service.slis.find((s) => s.name.startsWith(base) && s.description === ind.description && bodyKey(s) === bodyKey(body));
    if (same) return same.id;
    let name = base;
    for (let i = 2; service.slis.some((s) => s.name === name); i++) name = `${base}_${i}`;
    const sli = { id: `sli:${service.name}.${name}`, name, service: service.id, ...(ind.description ? { description: ind.description } : {}), ...body } as Sli;
    service.slis.push(sli);
    return sli.id;
  }

  // --- windows --------------------------------------------------------------------------------

  private windowOf(w: At): Result<Window> {
    if (!w.present) return { reason: 'it has no timeWindow' };
    const duration = w.get('duration').string!;
    const cal = w.get('calendar');
    const rolling = w.get('isRolling').scalar === true || (!w.get('isRolling').present && !cal.present);
    if (rolling) {
      const s = shorthandSeconds(duration);
      return s ? { value: { type: 'rolling', seconds: s }, notes: [] } : { reason: `a rolling window of ${duration}: Pace's rolling windows are fixed durations (days, weeks), not months, quarters or years; write the window in days` };
    }
    const unit = CALENDAR_UNIT[duration];
    if (!unit) return { reason: `a calendar window of ${duration}: Pace's calendar windows are a week, a month or a quarter` };
    const zoneText = cal.get('timeZone').string ?? 'UTC';
    const zone = paceZone(zoneText);
    if (!zone) return { reason: `its time zone ${JSON.stringify(zoneText)} is not in the tz database` };
    const notes: string[] = [];
    if (zone !== zoneText && zone !== 'UTC') notes.push(`time zone ${zoneText} is written ${zone}`);
    const start = cal.get('startTime').string;
    if (start && !alignedStart(start, unit)) notes.push(`calendar periods start at the beginning of each ${unit} (${unit === 'week' ? 'Monday' : 'the 1st'} 00:00 in ${zone}), not at ${start}`);
    return { value: { type: 'calendar', unit, timeZone: zone }, notes };
  }

  // --- alerting -------------------------------------------------------------------------------

  /** An AlertPolicy's description, unless it is its condition's (Pace's export gives a policy without one the rule's). */
  private policyDescription(p: { spec: At }): string | undefined {
    const d = p.spec.get('description').string;
    if (d === undefined) return undefined;
    const c = p.spec.get('conditions').items()[0];
    const cond = c === undefined ? undefined : c.get('conditionRef').present ? this.doc('AlertCondition', c.get('conditionRef').string)?.at.get('spec') : c.get('spec');
    return cond !== undefined && cond.get('description').string === d ? undefined : d;
  }

  /** The alert policies of an SLO's `alertPolicies`, resolved (by name or inline). */
  private policiesOf(list: At, what: string): { name: string; spec: At; at: At }[] {
    const out: { name: string; spec: At; at: At }[] = [];
    for (const p of list.items()) {
      if (p.isMap && p.get('kind').present) {
        out.push({ name: p.get('metadata').get('name').string!, spec: p.get('spec'), at: p });
        continue;
      }
      const ref = p.isMap ? p.get('alertPolicyRef') : p;
      const d = this.doc('AlertPolicy', ref.string);
      if (!d) {
        this.msg('warning', ref, `not imported: alert policy ${ref.string} of ${what}: it is not among the imported documents`);
        continue;
      }
      this.used.add(d);
      out.push({ name: d.name, spec: d.at.get('spec'), at: d.at });
    }
    return out;
  }

  /** One burn-rate rule from an AlertPolicy's condition; undefined (with a message) when Pace cannot say it. */
  private ruleOf(policy: { name: string; spec: At }, what: string): RuleSpec | undefined {
    const spec = policy.spec;
    const skip = (at: At, why: string) => void this.msg('warning', at, `not imported: alert policy ${policy.name} of ${what}: ${why}`);
    if (spec.get('alertWhenBreaching').bool === false) return skip(spec.get('alertWhenBreaching'), 'alertWhenBreaching is false; a Pace rule alerts on a breach');
    if (spec.get('alertWhenNoData').bool === true) this.msg('warning', spec.get('alertWhenNoData'), `alert policy ${policy.name}: alertWhenNoData is not imported (Pace alerts on burn rates; alert on absent metrics beside it)`);
    if (spec.get('alertWhenResolved').bool === true) this.msg('warning', spec.get('alertWhenResolved'), `alert policy ${policy.name}: alertWhenResolved is not imported (resolved notifications are Alertmanager's send_resolved)`);
    for (const t of spec.get('notificationTargets').items()) {
      if (t.get('targetRef').present) {
        if (!this.doc('AlertNotificationTarget', t.get('targetRef').string)) this.msg('warning', t.get('targetRef'), `not imported: notification target ${t.get('targetRef').string} of alert policy ${policy.name}: Pace routes alerts by severity, service and owner (the alertmanager target)`);
      } else this.msg('warning', t, `not imported: the inline notification target of alert policy ${policy.name}: Pace routes alerts by severity, service and owner (the alertmanager target)`);
    }
    const c = spec.get('conditions').items()[0];
    let cond: { name: string; md: At; spec: At; inline: boolean };
    if (c.get('conditionRef').present) {
      const d = this.doc('AlertCondition', c.get('conditionRef').string);
      if (!d) return skip(c.get('conditionRef'), `its condition ${c.get('conditionRef').string} is not among the imported documents`);
      this.used.add(d);
      cond = { name: d.name, md: d.at.get('metadata'), spec: d.at.get('spec'), inline: false };
    } else cond = { name: c.get('metadata').get('name').string ?? '(inline)', md: c.get('metadata'), spec: c.get('spec'), inline: true };
    const k = cond.spec.get('condition');
    if (k.get('kind').string !== 'burnrate') return skip(k, `condition ${cond.name} is not a burn-rate condition (kind: burnrate)`);
    const op = k.get('op').string ?? 'gt';
    if (!k.get('op').present) this.msg('warning', k, `condition ${cond.name} has no op: read as gt (the burn rate exceeds the threshold)`);
    if (op !== 'gt' && op !== 'gte') return skip(k.get('op'), `condition ${cond.name} alerts when the burn rate is ${op === 'lt' ? 'below' : 'at most'} its threshold; a Pace rule alerts when it exceeds one`);
    const factor = k.get('threshold').number!;
    if (!(factor > 0)) return skip(k.get('threshold'), `condition ${cond.name} has threshold ${factor}; a burn rate factor is positive`);
    const long = shorthandSeconds(k.get('lookbackWindow').string!);
    if (!long) return skip(k.get('lookbackWindow'), `condition ${cond.name} looks back ${k.get('lookbackWindow').string}; Pace's windows are fixed durations`);
    const after = shorthandSeconds(k.get('alertAfter').string!);
    if (!after) return skip(k.get('alertAfter'), `condition ${cond.name} alerts after ${k.get('alertAfter').string}; Pace's durations are fixed`);
    const anns = cond.md.get('annotations');
    const annotation = (key: string) => {
      const a = anns.get(`${PACE}${key}`);
      if (!a.present) return undefined;
      const s = a.string !== undefined ? promSeconds(a.string) : undefined;
      if (s === undefined) this.msg('warning', a, `annotation ${PACE}${key} of condition ${cond.name} is not a duration: ignored`);
      return s;
    };
    for (const key of anns.keys()) if (!key.startsWith(PACE)) this.msg('warning', anns.get(key), `not imported: annotation ${key} of condition ${cond.name}: Pace's rules have no annotations (the SLO's and the policy's apply)`);
    const severity = this.severityOf(cond.spec.get('severity'), cond.name);
    const short = annotation('short-window');
    // `pace.dev/for: none`: Pace's export of a single-window rule without `for` (its alertAfter is OpenSLO's least, 1m).
    const noFor = anns.get(`${PACE}for`).string === 'none';
    const forSeconds = noFor ? undefined : annotation('for');
    // Pace's export keeps a two-window rule's short window (and its `for`) as annotations; without
    // them, OpenSLO's condition is one window whose burn rate must hold for alertAfter.
    if (short !== undefined && short < long) return { severity, factor, longWindowSeconds: long, shortWindowSeconds: short, ...(forSeconds !== undefined ? { forSeconds } : {}) };
    if (noFor) return { severity, factor, longWindowSeconds: long, shortWindowSeconds: long, singleWindow: true };
    return { severity, factor, longWindowSeconds: long, shortWindowSeconds: long, singleWindow: true, forSeconds: forSeconds ?? after };
  }

  /** page or ticket: `page`/`ticket` as is; words that mean "wake someone" (critical, high, sev1, p1, …) page, with a warning; everything else tickets, with a warning. */
  private severityOf(at: At, condition: string): 'page' | 'ticket' {
    const s = (at.string ?? '').trim().toLowerCase();
    if (s === 'page' || s === 'ticket') return s;
    const page = /^(critical|crit|page|paging|high|urgent|emergency|fatal|sev[-_ ]?[01]|p[01])$/.test(s);
    this.msg('warning', at, `condition ${condition}: severity ${JSON.stringify(at.string)} is taken as ${page ? 'page' : 'ticket'} (page: critical, high, urgent, emergency, sev0, sev1, p0, p1; anything else: ticket)`);
    return page ? 'page' : 'ticket';
  }

  /** The Pace alerting of an SLO from its alert policies: `default` when they are exactly Pace's default policy for the window, else a policy shared by SLOs with the same rules. */
  private alertingOf(list: At, window: Window, objective: number, what: string, sloName: string): SloDecl['alerting'] {
    const policies = this.policiesOf(list, what);
    const rules: RuleSpec[] = [];
    const kept: typeof policies = [];
    for (const p of policies) {
      const r = this.ruleOf(p, what);
      if (!r) continue;
      kept.push(p);
      // What Pace's checker would warn about in the printed project is said here, on the YAML.
      if (r.longWindowSeconds > nominalWindowSeconds(window)) this.msg('warning', p.at, `not imported: alert policy ${p.name} of ${what}: its lookback window is longer than the SLO's window`);
      else if (clean(r.factor * budgetRatio(objective)) >= 1) this.msg('warning', p.at, `not imported: alert policy ${p.name} of ${what}: burn rate ${r.factor} on a ${budgetRatio(objective)} budget can never be reached`);
      else rules.push(r);
    }
    if (!rules.length) return null;
    // What a Pace policy has beside its rules, as Pace's export keeps it: its name (pace.dev/name) and
    // its description (an AlertPolicy's description where it is not its condition's, which is the rule's).
    const paceNames = new Set(kept.map((p) => this.paceName(p.at.get('metadata'), `alert policy ${p.name}`)));
    const paceName = paceNames.size === 1 ? [...paceNames][0] : undefined;
    const descriptions = new Set(kept.map((p) => this.policyDescription(p)));
    const policyDescription = descriptions.size === 1 ? [...descriptions][0] : undefined;
    if (descriptions.size > 1)
      this.msg('warning', list, `not imported: the descriptions of alert policies ${kept.map((p) => p.name).join(', ')} of ${what}: they become one Pace policy, which has one description, and theirs differ`);
    const key = JSON.stringify([rules, paceName ?? null, policyDescription ?? null]);
    const names = policies.map((p) => p.name);
    const def = defaultPolicy(window);
    const sameRule = (a: RuleSpec, b: RuleSpec) => a.severity === b.severity && a.factor === b.factor && a.longWindowSeconds === b.longWindowSeconds && a.shortWindowSeconds === b.shortWindowSeconds && !!a.singleWindow === !!b.singleWindow && a.forSeconds === b.forSeconds;
    if (names.every((n) => n.startsWith('pace-default.')) && def.length === rules.length && def.every((r, i) => sameRule(r, rules[i]))) return { policy: 'default' };
    const known = this.policyKeys.get(key);
    if (known) return { policy: known, rules: this.policies.get(known)!.rules };
    // Named after what the policies' names share (Pace's export writes `<policy>.<rule>`).
    const prefix = commonPrefix(names.map((n) => n.split('.')));
    const base = paceName !== undefined ? unreserved(paceName, POLICY_WORDS) : identifier(prefix.length ? prefix.join('_') : names.length === 1 ? names[0] : `${sloName}_alerts`, POLICY_WORDS);
    let name = base;
    for (let i = 2; this.policies.has(`policy:${name}`); i++) name = `${base}_${i}`;
    const id = `policy:${name}`;
    this.policies.set(id, { id, name, labels: {}, annotations: {}, rules, ...(policyDescription !== undefined ? { description: policyDescription } : {}) });
    this.policyKeys.set(key, id);
    return { policy: id, rules };
  }

  // --- SLOs -----------------------------------------------------------------------------------

  private slo(d: DocIn): void {
    const spec = d.at.get('spec');
    const what = `SLO ${d.name}`;
    const skip = (at: At, why: string) => this.msg('warning', at, `not imported: ${what}: ${why}`);
    let ind: Indicator;
    if (spec.get('indicator').present) {
      const i = spec.get('indicator');
      ind = this.indicatorOf(i.get('metadata').get('name').string!, i, i.get('spec'));
    } else if (spec.get('indicatorRef').present) {
      const ref = spec.get('indicatorRef');
      const sli = this.doc('SLI', ref.string);
      if (!sli) return skip(ref, `its SLI ${ref.string} is not among the imported documents`);
      this.used.add(sli);
      ind = this.indicatorOf(sli.name, sli.at, sli.at.get('spec'));
    } else return skip(spec.get('objectives'), 'a composite SLO (indicators per objective) has no Pace form; write one Pace SLO per indicator');
    const budgeting = spec.get('budgetingMethod').string!;
    if (budgeting === 'RatioTimeslices') return skip(spec.get('budgetingMethod'), 'RatioTimeslices budgeting has no Pace form (a Pace time-slice SLI reads a gauge)');
    if (budgeting === 'Occurrences' && !ind.ratio) return skip(spec.get('budgetingMethod'), 'an Occurrences SLO on a threshold metric has no Pace form; Pace judges threshold metrics by time slices (budgetingMethod: Timeslices)');
    if (budgeting === 'Timeslices' && !ind.threshold) return skip(spec.get('budgetingMethod'), 'Timeslices budgeting on a ratio metric has no Pace form; Pace counts ratios by events (budgetingMethod: Occurrences)');
    const win = this.windowOf(spec.get('timeWindow').items()[0] ?? spec.get('timeWindow'));
    if ('reason' in win) return skip(spec.get('timeWindow'), win.reason);
    for (const n of win.notes) this.msg('warning', spec.get('timeWindow'), `${what}: ${n}`);
    const objectives = spec.get('objectives').items();
    if (!objectives.length) return skip(spec.get('objectives'), 'it has no objectives');
    const bodies: { objective: At; body: SliBody; target: number }[] = [];
    for (const o of objectives) {
      const body = ind.ratio ? this.ratioSli(ind) : this.timesliceSli(ind, o);
      if ('reason' in body) return skip(body.at ?? ind.at, `its SLI ${ind.name}: ${body.reason}`);
      if (o === objectives[0] || ind.threshold) for (const n of body.notes) this.msg('warning', ind.at, `SLI ${ind.name}: ${n}`);
      const target = o.get('targetPercent').present ? Number((o.get('targetPercent').number! / 100).toPrecision(12)) : o.get('target').number!;
      if (!(target > 0)) return skip(o, 'an objective of 0 promises nothing; a Pace objective is strictly between 0% and 100%');
      if (o.get('op').present && ind.ratio) this.msg('warning', o.get('op'), `${what}: op and value apply to threshold metrics; ignored on a ratio metric`);
      bodies.push({ objective: o, body: body.value, target });
    }
    const svcName = spec.get('service').string!;
    const service = this.service(svcName, this.doc('Service', svcName));
    const md = d.at.get('metadata');
    const annotations: Record<string, string> = {};
    const labels = this.labels(md, what, (key, value, at) => {
      if (key === NAME_ANNOTATION) return;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) annotations[key] = value;
      else this.msg('warning', at, `not imported: annotation ${key} of ${what}: the annotations of Pace's alerts are named with letters, digits and _`);
    });
    const base = this.paceName(md, what) ?? identifier(d.name.startsWith(`${svcName}.`) ? d.name.slice(svcName.length + 1) : d.name);
    const description = spec.get('description').string;
    for (const [i, { objective, body, target }] of bodies.entries()) {
      const sli = this.sliIn(service, ind, body, svcName);
      const oName = objective.get('displayName').string;
      let name = bodies.length > 1 ? `${base}_${oName ? identifier(oName).replace(/^_+/, '').toLowerCase() : i + 1}` : base;
      for (let n = 2; service.seen.has(name); n++) name = `${base}_${i + 1}_${n}`;
      service.seen.add(name);
      const title = (bodies.length > 1 ? oName : undefined) ?? md.get('displayName').string;
      const alerting = this.alertingOf(spec.get('alertPolicies'), win.value, target, what, name);
      service.slos.push({
        id: `slo:${service.name}.${name}`,
        name,
        service: service.id,
        ...(title ? { title } : {}),
        ...(description ? { description } : {}),
        sli,
        objective: target,
        window: win.value,
        labels,
        ...(Object.keys(annotations).length ? { annotations } : {}),
        alerting,
      });
    }
  }

  /** v1alpha: Service and SLO only; the indicator is the SLO's thresholdMetric or each objective's ratioMetrics. */
  private sloV1alpha(d: DocIn): void {
    const spec = d.at.get('spec');
    const what = `SLO ${d.name}`;
    const skip = (at: At, why: string) => void this.msg('warning', at, `not imported: ${what}: ${why}`);
    const src = (at: At): Source => ({ at, type: at.get('source').string, query: at.get('query').string });
    const tw = spec.get('timeWindows').items()[0];
    if (!tw) return skip(spec, 'it has no timeWindows');
    const unit = V1ALPHA_UNIT[tw.get('unit').string!];
    const count = tw.get('count').number!;
    if (!unit || !Number.isInteger(count)) return skip(tw, `a window of ${count} ${tw.get('unit').string} has no Pace form`);
    // Read the v1alpha window as its v1 equivalent (`duration` is count + unit letter).
    const duration = `${count}${unit}`;
    const rolling = tw.get('isRolling').scalar === true || (!tw.get('isRolling').present && !tw.get('calendar').present);
    const window = rolling
      ? shorthandSeconds(duration) !== undefined
        ? { value: { type: 'rolling', seconds: shorthandSeconds(duration)! } as Window, notes: [] as string[] }
        : { reason: `a rolling window of ${count} ${tw.get('unit').string}: Pace's rolling windows are fixed durations` }
      : this.calendarV1alpha(duration, tw.get('calendar'));
    if ('reason' in window) return skip(tw, window.reason);
    for (const n of window.notes) this.msg('warning', tw, `${what}: ${n}`);
    const budgeting = spec.get('budgetingMethod').string!;
    const svcName = spec.get('service').string!;
    const service = this.service(svcName, this.doc('Service', svcName));
    const objectives = spec.get('objectives').items();
    const md = d.at.get('metadata');
    const base = this.paceName(md, what) ?? identifier(d.name.startsWith(`${svcName}.`) ? d.name.slice(svcName.length + 1) : d.name);
    const labels = this.labels(md, what, (key, _v, at) => key === NAME_ANNOTATION || this.msg('warning', at, `not imported: annotation ${key} of ${what}`));
    if (spec.get('alertPolicies').present) this.msg('warning', spec.get('alertPolicies'), `not imported: alertPolicies of ${what}: v1alpha has no alert policy documents; the SLO is imported with alerting = none`);
    for (const [i, o] of objectives.entries()) {
      const r = ratioMetricsOf(o);
      const ind: Indicator = r.present
        ? { name: d.name, at: r, ratio: { counter: r.get('counter').bool === true, good: src(r.get('good')), total: src(r.get('total')) } }
        : { name: d.name, at: spec.get('indicator'), threshold: src(spec.get('indicator').get('thresholdMetric')) };
      if (budgeting === 'Occurrences' && !ind.ratio) return skip(o, 'an Occurrences SLO on a threshold metric has no Pace form');
      if (budgeting === 'Timeslices' && !ind.threshold) return skip(o, 'Timeslices budgeting on a ratio metric has no Pace form');
      if (ind.threshold && !o.get('timeSliceWindow').present) return skip(o, 'v1alpha gives no slice length (timeSliceWindow); Pace needs one');
      const body = ind.ratio ? this.ratioSli(ind) : this.timesliceSli(ind, o);
      if ('reason' in body) return skip(body.at ?? ind.at, body.reason);
      for (const n of body.notes) this.msg('warning', ind.at, `${what}: ${n}`);
      const oName = o.get('displayName').string;
      const name = objectives.length > 1 ? `${base}_${oName ? identifier(oName).replace(/^_+/, '').toLowerCase() : i + 1}` : base;
      const target = o.get('target').number!;
      if (!(target > 0)) return skip(o, 'an objective of 0 promises nothing');
      const sli = this.sliIn(service, { ...ind, name: objectives.length > 1 ? name : base }, body.value, svcName);
      const title = (objectives.length > 1 ? oName : undefined) ?? md.get('displayName').string;
      const description = spec.get('description').string;
      service.slos.push({ id: `slo:${service.name}.${name}`, name, service: service.id, ...(title ? { title } : {}), ...(description ? { description } : {}), sli, objective: target, window: window.value, labels, alerting: null });
    }
  }

  private calendarV1alpha(duration: string, cal: At): Result<Window> {
    const unit = CALENDAR_UNIT[duration];
    if (!unit) return { reason: `a calendar window of ${duration}: Pace's calendar windows are a week, a month or a quarter` };
    const zoneText = cal.get('timeZone').string ?? 'UTC';
    const zone = paceZone(zoneText);
    if (!zone) return { reason: `its time zone ${JSON.stringify(zoneText)} is not in the tz database` };
    const start = cal.get('startTime').string;
    return { value: { type: 'calendar', unit, timeZone: zone }, notes: start && !alignedStart(start, unit) ? [`calendar periods start at the beginning of each ${unit}, not at ${start}`] : [] };
  }
}

/** What an SLI measures, without its names: two objectives on one indicator share one Pace SLI. */
function bodyKey(sli: object): string {
  const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v);
  const { id: _id, name: _name, service: _service, description: _description, ...rest } = sli as Record<string, unknown>;
  return JSON.stringify(sorted(rest));
}

function sliceSeconds(at: At): number | undefined {
  if (typeof at.scalar === 'number') return at.scalar > 0 ? at.scalar : undefined;
  return at.string !== undefined ? shorthandSeconds(at.string) : undefined;
}

/** `h_bucket{…, le="0.3"}` over `h_count{…}` with the same other matchers: Pace's export of a latency SLI. */
function latencyOf(good: Selector | undefined, total: Selector | undefined): { histogram: Selector; under: number } | undefined {
  if (!good?.metric?.endsWith('_bucket') || !total?.metric?.endsWith('_count')) return undefined;
  const base = good.metric.slice(0, -'_bucket'.length);
  if (total.metric !== `${base}_count`) return undefined;
  const le = good.matchers.filter((m) => m.label === 'le');
  const rest = good.matchers.filter((m) => m.label !== 'le');
  if (le.length !== 1 || le[0].op !== '=' || JSON.stringify(rest) !== JSON.stringify(total.matchers)) return undefined;
  const under = Number(le[0].value);
  if (!Number.isFinite(under) || under <= 0) return undefined;
  return { histogram: { metric: base, matchers: rest, text: selectorText(base, rest) }, under };
}

function commonPrefix(parts: string[][]): string[] {
  if (!parts.length || parts.some((p) => p.length < 2)) return [];
  const out: string[] = [];
  for (let i = 0; i < Math.min(...parts.map((p) => p.length - 1)); i++) {
    if (parts.every((p) => p[i] === parts[0][i])) out.push(parts[0][i]);
    else break;
  }
  return out;
}

/** Whether an OpenSLO startTime is the start of a Pace calendar period (weeks from Monday, months from the 1st, quarters from January, April, July, October). */
function alignedStart(start: string, unit: 'week' | 'month' | 'quarter'): boolean {
  const [date, time] = start.split(' ');
  if (time !== '00:00:00') return false;
  const [y, m, d] = date.split('-').map(Number);
  if (unit === 'week') return new Date(Date.UTC(y, m - 1, d)).getUTCDay() === 1;
  return d === 1 && (unit === 'month' || (m - 1) % 3 === 0);
}

// ---------------------------------------------------------------------------------------------

/** OpenSLO v1 / v1alpha YAML (several files, several documents each) → a Pace model and located messages. */
export function importOpenSlo(sources: readonly ImportSource[]): ImportResult {
  const messages: ImportMessage[] = [];
  const big = tooLarge(sources);
  if (big) return { messages: [big] };
  const docs: DocIn[] = [];
  for (const src of sources) {
    const lines = new LineCounter();
    const file: FileCtx = { name: src.name, lines };
    // An empty stream (only comments) is an empty list: nothing to import.
    const all = [...parseAllDocuments(src.text, { lineCounter: lines, prettyErrors: false })];
    let before = messages.length;
    for (const doc of all) {
      for (const e of doc.errors) {
        const p = lines.linePos(e.pos[0]);
        messages.push({ severity: 'error', file: src.name, line: p.line, column: p.col, message: `YAML: ${e.message.split('\n')[0]}` });
      }
    }
    if (messages.length > before) continue;
    before = messages.length;
    for (const doc of all) {
      if (doc.contents === null) continue;
      const alias = aliasMessage(doc.contents, src.name, lines);
      if (alias) {
        messages.push(alias);
        continue;
      }
      const at = new At(file, doc.contents as YamlNode, '');
      const errs: ImportMessage[] = [];
      const d = validate(at, (where, message) => {
        const w = where.where();
        errs.push({ severity: 'error', file: src.name, line: w.line, column: w.column, message });
      });
      messages.push(...errs);
      if (d && !errs.length) docs.push(d);
    }
  }
  if (messages.some((m) => m.severity === 'error')) return { messages };
  const imp = new Importer(docs);
  const r = imp.run();
  return { model: r.model, messages: [...messages, ...r.messages] };
}
