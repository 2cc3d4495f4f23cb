// The printer: a normalized model back to Pace source, formatted as `pace fmt` formats it. Importers
// (OpenSLO, Sloth) build a model with buildModel() from YAML and print it with this; the printed text
// normalizes back to the same model (a test checks it on the samples, the docs and a generated
// project). Only declarations are printed: what follows from them (error budgets, the rules an SLO
// gets from its policy, thresholds, the availability SLO) is computed again by the checker.
//
// What Pace cannot say is reported instead of printed wrongly: a name that is not an identifier, a
// reference to a name that cannot stand where a value starts (`over`, `and`, `for`, `below`, `when`
// continue alert rules and credit tiers), a number with more digits than Pace keeps, a duration that
// is not a whole number of milliseconds, a reference to a declaration the model does not hold.
// `printModel` throws a PrintError with every problem; `printModelChecked` returns them with its
// best-effort text.
import { stringify } from 'yaml';
import { STRING_ESCAPES } from '../../../../grammar/src/tokens.js';
import { format } from '../format/format.js';
import { clean } from '../budget/budget.js';
import { modelId } from './model.js';
import type { AlertingPolicy, AlertMeta, Comparison, Kpi, NormalizedModel, Objective, PolicyRule, Selector, Service, Sla, Sli, Slo, Window } from './model.js';
import { selectorText } from './normalize.js';

export interface PrintOptions {
  /**
   * How an SLO on the built-in policy is printed: `alerting = default` (`'explicit'`, the default)
   * or without the attribute (`'implicit'`), which means the same.
   */
  readonly defaultAlerting?: 'explicit' | 'implicit';
}

/** Something of the model that Pace source cannot say; `id` is the declaration it belongs to. */
export interface PrintProblem {
  readonly id: string;
  readonly message: string;
}

export class PrintError extends Error {
  constructor(readonly problems: readonly PrintProblem[]) {
    super(`The model cannot be printed as Pace:\n${problems.map((p) => `- ${p.id}: ${p.message}`).join('\n')}`);
    this.name = 'PrintError';
  }
}

export interface PrintResult {
  /** The formatted text; where a problem was found, the closest Pace (which will not check clean). */
  readonly text: string;
  readonly problems: readonly PrintProblem[];
}

/** The whole model (but the project's name and labels, which live in pace.yaml) as one formatted file. */
export function printModel(model: NormalizedModel, options: PrintOptions = {}): string {
  const r = printModelChecked(model, options);
  if (r.problems.length) throw new PrintError(r.problems);
  return r.text;
}

/** As printModel, never throwing: the problems come back with the text. */
export function printModelChecked(model: NormalizedModel, options: PrintOptions = {}): PrintResult {
  const p = new Printer(model, options);
  const text = p.finish([...model.services.map((s) => p.service(s)), ...model.alertingPolicies.map((a) => p.policy(a)), ...model.objectives.map((o) => p.objective(o))]);
  return { text, problems: p.problems };
}

/**
 * The model as a project: one file per service (`checkout.pace`), `alerting.pace` with the policies,
 * `objectives.pace` with the objectives, and `pace.yaml` when the model has a project name or labels.
 * All the files form one namespace, so references across them need nothing more. Throws a
 * PrintError as printModel does.
 */
export function printModelFiles(model: NormalizedModel, options: PrintOptions = {}): Map<string, string> {
  const p = new Printer(model, options);
  const files = new Map<string, string>();
  const config = printConfig(model);
  if (config !== undefined) files.set('pace.yaml', config);
  const add = (base: string, blocks: Lines[]) => {
    if (!blocks.length) return;
    let name = `${base}.pace`;
    for (let i = 2; files.has(name); i++) name = `${base}_${i}.pace`;
    files.set(name, p.finish(blocks));
  };
  for (const s of model.services) add(s.name.replace(/[^A-Za-z0-9_-]/g, '_') || 'service', [p.service(s)]);
  add('alerting', model.alertingPolicies.map((a) => p.policy(a)));
  add('objectives', model.objectives.map((o) => p.objective(o)));
  if (p.problems.length) throw new PrintError(p.problems);
  return files;
}

/** `pace.yaml` for the model's project name and labels; undefined when it has neither. */
export function printConfig(model: NormalizedModel): string | undefined {
  const labels = Object.keys(model.labels).length ? model.labels : undefined;
  if (model.project === undefined && !labels) return undefined;
  return stringify({ version: 1, ...(model.project !== undefined ? { name: model.project } : {}), ...(labels ? { labels } : {}) });
}

// ---------------------------------------------------------------------------------------------

/** An identifier of the grammar (grammar/src/tokens.ts); keywords are identifiers too. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_:]*$/;
/** Label names: identifiers without `:` (the checker's rule, as Prometheus'). */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Words that continue an alert rule or a credit tier: the parser never reads them as the start of a
 * value (grammar/src/parser.ts, RULE_WORDS), so they name a declaration but cannot start a reference
 * or a selector. After a dot they can: `checkout.over`.
 */
const RULE_WORDS = new Set(['over', 'and', 'for', 'below', 'when']);
/** Built-in values of `alerting`, reserved as policy names. */
const RESERVED_POLICY_NAMES = new Set(['default', 'none']);

const DURATION_UNITS = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const;

/** A block being printed: its header, its doc comment and its member lines (nested blocks indented). */
type Lines = string[];

class Printer {
  readonly problems: PrintProblem[] = [];
  private readonly services = new Map<string, Service>();
  private readonly slis = new Map<string, Sli>();
  private readonly slos = new Map<string, Slo>();
  private readonly policies = new Map<string, AlertingPolicy>();

  constructor(
    private readonly model: NormalizedModel,
    private readonly options: PrintOptions,
  ) {
    for (const s of model.services) {
      this.services.set(s.id, s);
      for (const x of s.slis) this.slis.set(x.id, x);
      for (const x of s.slos) this.slos.set(x.id, x);
    }
    for (const a of model.alertingPolicies) this.policies.set(a.id, a);
    this.checkNames();
  }

  private problem(id: string, message: string): void {
    if (!this.problems.some((p) => p.id === id && p.message === message)) this.problems.push({ id, message });
  }

  /** Blocks → one formatted file. */
  finish(blocks: Lines[]): string {
    const text = blocks.map((b) => b.join('\n')).join('\n\n') + '\n';
    if (!blocks.length) return '';
    const r = format(text);
    // Where a problem was reported the text may not parse; otherwise it always does.
    if (r.skipped && !this.problems.length) this.problem('model', `the printed text does not parse (a bug of the printer): ${r.skipped}`);
    return r.text;
  }

  // -- Declarations ---------------------------------------------------------------------------

  service(s: Service): Lines {
    const members: Lines = [];
    this.str(members, 'title', s.title);
    this.str(members, 'owner', s.owner);
    if (s.tier !== undefined) members.push(`tier = ${s.tier}`);
    const deps = (attr: string, ids: readonly string[]) => {
      if (ids.length) members.push(`${attr} = [${ids.map((id) => this.serviceRef(id, s.id)).join(', ')}]`);
    };
    deps('depends_on', s.dependsOn);
    deps('soft_depends_on', s.softDependsOn);
    this.labels(members, s.labels, s.id);
    const blocks: Lines[] = [];
    for (const x of s.slis) blocks.push(this.sli(x, s));
    for (const x of s.slos) blocks.push(this.slo(x, s));
    for (const x of s.slas) blocks.push(this.sla(x, s));
    return this.block(`service ${s.name}`, s.description, members, blocks);
  }

  private sli(x: Sli, s: Service): Lines {
    this.member(x.id, x.service, s.id);
    const members: Lines = [];
    switch (x.kind) {
      case 'ratio':
        if (x.good) members.push(`good = ${this.selector(x.good, x.id)}`);
        if (x.bad) members.push(`bad = ${this.selector(x.bad, x.id)}`);
        members.push(`total = ${this.selector(x.total, x.id)}`);
        break;
      case 'latency':
        members.push(`histogram = ${this.selector(x.histogram, x.id)}`, `under = ${this.duration(x.underSeconds, x.id)}`);
        break;
      case 'timeslice':
        members.push(`gauge = ${this.selector(x.gauge, x.id)}`, `good_when ${this.goodWhen(x.goodWhen, x.gauge, x.id)}`, `slice = ${this.duration(x.sliceSeconds, x.id)}`);
        break;
      case 'promql':
        if (x.good !== undefined) members.push(`good = ${this.promql(x.good)}`);
        if (x.bad !== undefined) members.push(`bad = ${this.promql(x.bad)}`);
        if (x.total !== undefined) members.push(`total = ${this.promql(x.total)}`);
        if (x.errorRatio !== undefined) members.push(`error_ratio = ${this.promql(x.errorRatio)}`);
        break;
      default:
        this.problem((x as Sli).id, `unknown SLI kind '${(x as { kind: string }).kind}'`);
    }
    return this.block(`sli ${x.name} = ${x.kind}`, x.description, members);
  }

  private slo(x: Slo, s: Service): Lines {
    this.member(x.id, x.service, s.id);
    const members: Lines = [];
    this.str(members, 'title', x.title);
    members.push(`sli = ${this.memberRef(x.sli, 'sli', s.id, x.id)}`, `objective = ${this.percent(x.objective, x.id)}`, `window = ${this.window(x.window, x.id)}`);
    if (x.alerting === null) members.push('alerting = none');
    else if (x.alerting.policy === 'default') {
      if (this.options.defaultAlerting !== 'implicit') members.push('alerting = default');
    } else members.push(`alerting = ${this.policyRef(x.alerting.policy, x)}`);
    this.str(members, 'alert_name', x.alertName);
    this.labels(members, x.labels, x.id);
    if (x.annotations !== undefined) this.labels(members, x.annotations, x.id, 'annotations', true);
    return this.block(`slo ${x.name}`, x.description, members, this.severityBlocks(x, x.id));
  }

  private sla(x: Sla, s: Service): Lines {
    this.member(x.id, x.service, s.id);
    const members: Lines = [];
    if (x.slo !== undefined) {
      members.push(`slo = ${this.memberRef(x.slo, 'slo', s.id, x.id)}`);
      const slo = this.slos.get(x.slo);
      if (slo && slo.sli !== x.sli) this.problem(x.id, `its SLI '${x.sli}' is not the SLI of its SLO '${x.slo}' ('${slo.sli}'): an SLA on an SLO is measured on that SLO's SLI`);
    } else members.push(`sli = ${this.memberRef(x.sli, 'sli', s.id, x.id)}`);
    members.push(`objective = ${this.percent(x.objective, x.id)}`, `window = ${this.window(x.window, x.id)}`);
    for (const c of x.credits) members.push(`credit ${this.percent(c.credit, x.id)} below ${this.percent(c.below, x.id)}`);
    return this.block(`sla ${x.name}`, x.description, members);
  }

  policy(a: AlertingPolicy): Lines {
    const members: Lines = [];
    this.labels(members, a.labels, a.id);
    if (Object.keys(a.annotations ?? {}).length) this.labels(members, a.annotations, a.id, 'annotations');
    // Labels (and a description) first, as the checker wants them, then a blank line and the rules.
    return this.block(`alerting ${a.name}`, a.description, members, this.severityBlocks(a, a.id), a.rules.map((r) => this.rule(r, a.id)));
  }

  /** `page { labels { … } annotations { … } }` and the same for `ticket`, where written. */
  private severityBlocks(x: { page?: AlertMeta; ticket?: AlertMeta }, id: string): Lines[] {
    const out: Lines[] = [];
    for (const sev of ['page', 'ticket'] as const) {
      const m = x[sev];
      if (!m) continue;
      const inner: Lines = [];
      this.labels(inner, m.labels, id);
      this.labels(inner, m.annotations, id, 'annotations');
      out.push(inner.length ? [`${sev} {`, ...inner.map((l) => '  ' + l), '}'] : [`${sev} {}`]);
    }
    return out;
  }

  private rule(r: PolicyRule, id: string): string {
    if (r.severity !== 'page' && r.severity !== 'ticket') this.problem(id, `unknown rule severity '${r.severity as string}'`);
    if (r.singleWindow && r.shortWindowSeconds !== r.longWindowSeconds) this.problem(id, 'a single-window rule has a short window different from its long one');
    const windows = r.singleWindow ? this.duration(r.longWindowSeconds, id) : `${this.duration(r.longWindowSeconds, id)} and ${this.duration(r.shortWindowSeconds, id)}`;
    const head = `${r.severity} when burn_rate > ${this.number(r.factor, id, 'burn-rate factor')} over ${windows}`;
    return r.forSeconds !== undefined ? `${head} for ${this.duration(r.forSeconds, id)}` : head;
  }

  objective(o: Objective): Lines {
    const members: Lines = [];
    this.str(members, 'title', o.title);
    this.str(members, 'owner', o.owner);
    this.labels(members, o.labels, o.id);
    const blocks = o.kpis.map((k) => this.kpi(k, o));
    const after: Lines = [];
    if (o.supportedBy.length) after.push(`supported_by = [${o.supportedBy.map((id) => this.qualifiedSloRef(id, o.id)).join(', ')}]`);
    return this.block(`objective ${o.name}`, o.description, members, blocks, after);
  }

  private kpi(k: Kpi, o: Objective): Lines {
    if (k.objective !== o.id) this.problem(k.id, `it is listed under '${o.id}' but belongs to '${k.objective}'`);
    if (!IDENTIFIER.test(k.measure.fn)) this.problem(k.id, `the measure function '${k.measure.fn}' is not a Pace name`);
    const measure = `${k.measure.fn}(${k.measure.args.map((a) => this.selector(a, k.id)).join(', ')})`;
    const t = k.target;
    const value = t.unit === 'ratio' ? this.percent(t.value, k.id) : t.unit === 'seconds' ? this.duration(t.value, k.id) : this.number(t.value, k.id, 'target');
    return this.block(`kpi ${k.name}`, k.description, [`measure = ${measure}`, `target ${t.op} ${value}`, `window = ${this.window(k.window, k.id)}`]);
  }

  /**
   * `header {`, the attributes, the nested blocks (a blank line before each), trailing attributes,
   * `}`. A description that a `///` comment carries exactly is printed as one; any other (leading
   * or trailing blanks, blanks at the end of a line, carriage returns, empty) as `description = "…"`.
   */
  private block(header: string, description: string | undefined, members: Lines, blocks: Lines[] = [], after: Lines = []): Lines {
    const doc = description !== undefined && docCommentCarries(description);
    // As an attribute, right after the title (or first), where the docs write it.
    if (description !== undefined && !doc) members.splice(members.findIndex((m) => m.startsWith('title ')) + 1, 0, `description = ${quote(description)}`);
    const out: Lines = doc ? description!.split('\n').map((l) => (l ? `/// ${l}` : '///')) : [];
    out.push(`${header} {`);
    const bodyStart = out.length;
    // A blank line between members of different sorts: attributes, each nested block, trailing attributes or rules.
    const section = (lines: Lines) => {
      if (!lines.length) return;
      if (out.length > bodyStart) out.push('');
      out.push(...lines.map((l) => (l ? '  ' + l : l)));
    };
    section(members);
    for (const b of blocks) section(b);
    section(after);
    out.push('}');
    return out;
  }

  private str(members: Lines, name: string, value: string | undefined): void {
    if (value !== undefined) members.push(`${name} = ${quote(value)}`);
  }

  /** `labels { a = "x", b = "y" }` (or another map block); nothing for an empty map unless `always`. */
  private labels(members: Lines, labels: Readonly<Record<string, string>>, id: string, keyword = 'labels', always = false): void {
    const entries = Object.entries(labels);
    if (!entries.length) {
      if (always) members.push(`${keyword} {}`);
      return;
    }
    const what = keyword === 'labels' ? 'label' : 'annotation';
    for (const [k] of entries) if (!LABEL_NAME.test(k)) this.problem(id, `${what} '${k}' is not a valid ${what} name (a letter or '_', then letters, digits or '_')`);
    members.push(`${keyword} { ${entries.map(([k, v]) => `${k} = ${quote(v)}`).join(', ')} }`);
  }

  // -- Names and references -------------------------------------------------------------------

  /** Every declaration's name is an identifier, unique in its scope, and its id the one the checker gives it. */
  private checkNames(): void {
    const scope = (kind: string, items: readonly { id: string; name: string }[], idOf: (name: string) => string) => {
      const seen = new Set<string>();
      for (const it of items) {
        if (!IDENTIFIER.test(it.name)) this.problem(it.id, `'${it.name}' is not a Pace name (a letter or '_', then letters, digits, '_' or ':'): rename it`);
        if (seen.has(it.name)) this.problem(it.id, `another ${kind} is named '${it.name}' in the same scope`);
        seen.add(it.name);
        if (it.id !== idOf(it.name)) this.problem(it.id, `its id should be '${idOf(it.name)}' for ${/^[AEIOS]/.test(kind) ? 'an' : 'a'} ${kind} named '${it.name}'`);
      }
    };
    scope('service', this.model.services, (n) => modelId('service', n));
    for (const s of this.model.services) {
      scope('SLI', s.slis, (n) => modelId('sli', `${s.name}.${n}`));
      scope('SLO', s.slos, (n) => modelId('slo', `${s.name}.${n}`));
      scope('SLA', s.slas, (n) => modelId('sla', `${s.name}.${n}`));
    }
    scope('alerting policy', this.model.alertingPolicies, (n) => modelId('policy', n));
    for (const a of this.model.alertingPolicies) if (RESERVED_POLICY_NAMES.has(a.name)) this.problem(a.id, `'${a.name}' is reserved for the built-in alerting choices and cannot name a policy`);
    scope('objective', this.model.objectives, (n) => modelId('objective', n));
    for (const o of this.model.objectives) scope('KPI', o.kpis, (n) => modelId('kpi', `${o.name}.${n}`));
  }

  private member(id: string, owner: string, service: string): void {
    if (owner !== service) this.problem(id, `it is listed under '${service}' but belongs to '${owner}'`);
  }

  /** A service as a value: its name, which must be able to start a value. */
  private serviceRef(id: string, from: string): string {
    const s = this.services.get(id);
    if (!s) {
      this.problem(from, `it refers to '${id}', which is not a service of the model`);
      return id.replace(/^service:/, '');
    }
    if (RULE_WORDS.has(s.name)) this.problem(from, `it refers to service '${s.name}', and '${s.name}' cannot start a reference in Pace (it continues alert rules): rename the service`);
    return s.name;
  }

  /** An SLI or SLO as a value: its name inside its own service, `service.name` from another. */
  private memberRef(id: string, kind: 'sli' | 'slo', fromService: string, from: string): string {
    const target = kind === 'sli' ? this.slis.get(id) : this.slos.get(id);
    if (!target) {
      this.problem(from, `it refers to '${id}', which is not ${kind === 'sli' ? 'an SLI' : 'an SLO'} of the model`);
      return id.replace(/^[a-z]+:/, '');
    }
    // A name that cannot start a value is written qualified, which the language allows in its own service too.
    if (target.service === fromService && !RULE_WORDS.has(target.name)) return target.name;
    return `${this.serviceRef(target.service, from)}.${target.name}`;
  }

  private qualifiedSloRef(id: string, from: string): string {
    const slo = this.slos.get(id);
    if (!slo) {
      this.problem(from, `it refers to '${id}', which is not an SLO of the model`);
      return id.replace(/^slo:/, '');
    }
    return `${this.serviceRef(slo.service, from)}.${slo.name}`;
  }

  private policyRef(id: string, slo: Slo): string {
    const p = this.policies.get(id);
    if (!p) {
      this.problem(slo.id, `it is alerted by '${id}', which is not an alerting policy of the model`);
      return id.replace(/^policy:/, '');
    }
    if (RULE_WORDS.has(p.name)) this.problem(slo.id, `it is alerted by policy '${p.name}', and '${p.name}' cannot start a reference in Pace (it continues alert rules): rename the policy`);
    const rules = slo.alerting?.rules ?? [];
    const same = rules.length === p.rules.length && rules.every((r, i) => sameRule(r, p.rules[i]));
    if (!same) this.problem(slo.id, `its alert rules are not those of its policy '${p.name}': Pace gives an SLO the rules of its policy`);
    return p.name;
  }

  // -- Values ---------------------------------------------------------------------------------

  private selector(s: Selector, id: string): string {
    if (s.metric === undefined && !s.matchers.length) this.problem(id, 'a selector needs a metric name or at least one label matcher');
    if (s.metric !== undefined) {
      if (!IDENTIFIER.test(s.metric)) this.problem(id, `metric name '${s.metric}' is not a Pace name (a letter or '_', then letters, digits, '_' or ':')`);
      else if (RULE_WORDS.has(s.metric)) this.problem(id, `metric name '${s.metric}' cannot start a selector in Pace (it continues alert rules)`);
    }
    for (const m of s.matchers) {
      if (!LABEL_NAME.test(m.label)) this.problem(id, `'${m.label}' is not a valid label name in selector '${s.text}'`);
      if (!['=', '!=', '=~', '!~'].includes(m.op)) this.problem(id, `unknown matcher operator '${m.op}' in selector '${s.text}'`);
    }
    const text = selectorText(s.metric, s.matchers);
    if (s.text !== text) this.problem(id, `the selector's text '${s.text}' is not its metric and matchers as PromQL ('${text}'); build it with selectorText()`);
    const matchers = s.matchers.map((m) => `${m.label}${m.op}${quote(m.value)}`).join(', ');
    return `${s.metric ?? ''}${matchers || s.metric === undefined ? `{${matchers}}` : ''}`;
  }

  /** Raw PromQL between backticks, as written; a double-quoted string when it holds a backtick or a carriage return. */
  private promql(q: string): string {
    return q.includes('`') || q.includes('\r') ? quote(q) : '`' + q + '`';
  }

  /**
   * A time-slice condition. The model keeps the number only (a percentage as a ratio, a duration in
   * seconds), so the unit is taken from the gauge's name where it has one, as KPIs do: `_ratio` → %,
   * `_seconds` → a duration; a plain number otherwise. Each reads back as the same number.
   */
  private goodWhen(c: Comparison, gauge: Selector, id: string): string {
    const metric = gauge.metric ?? '';
    const asPercent = /_ratio$/.test(metric) ? percentText(c.value) : undefined;
    const asDuration = /_seconds$/.test(metric) ? durationText(c.value) : undefined;
    return `${c.op} ${asPercent ?? asDuration ?? this.number(c.value, id, 'good_when value')}`;
  }

  private window(w: Window, id: string): string {
    if (w.type === 'rolling') return this.duration(w.seconds, id);
    if (w.type !== 'calendar' || !['week', 'month', 'quarter'].includes(w.unit)) {
      this.problem(id, `unknown window ${JSON.stringify(w)}`);
      return '30d';
    }
    return w.timeZone === 'UTC' ? `calendar ${w.unit}` : `calendar ${w.unit} in ${quote(w.timeZone)}`;
  }

  private percent(ratio: number, id: string): string {
    const t = percentText(ratio);
    if (t !== undefined) return t;
    this.problem(id, `${ratio} cannot be written as a Pace percentage (at most 12 significant digits, from 0 up)`);
    return `${ratio * 100}%`;
  }

  private duration(seconds: number, id: string): string {
    const t = durationText(seconds);
    if (t !== undefined) return t;
    this.problem(id, `${seconds} s cannot be written as a Pace duration (a whole number of milliseconds, from 0 up)`);
    return '0s';
  }

  private number(x: number, id: string, what: string): string {
    const t = decimalText(x);
    if (t !== undefined) return t;
    this.problem(id, `${what} ${x} cannot be written as a Pace number (a decimal from 0 up)`);
    return '0';
  }
}

function sameRule(a: { severity: string; factor: number; longWindowSeconds: number; shortWindowSeconds: number; forSeconds?: number }, b: PolicyRule): boolean {
  return a.severity === b.severity && a.factor === b.factor && a.longWindowSeconds === b.longWindowSeconds && a.shortWindowSeconds === b.shortWindowSeconds && a.forSeconds === b.forSeconds;
}

/** Whether `///` lines carry the text exactly: the parser strips `/// ?` and the description is trimmed; the formatter trims line ends. */
function docCommentCarries(d: string): boolean {
  return d !== '' && d === d.trim() && !d.includes('\r') && d.split('\n').every((l) => l === l.trimEnd());
}

/** Each character a `"` string writes as an escape (the grammar's STRING_ESCAPES, read backwards), and a pattern of them. */
const ESCAPE_OF = new Map([...STRING_ESCAPES].map(([after, ch]) => [ch, `\\${after}`]));
const ESCAPED = new RegExp(`[${[...ESCAPE_OF.keys()].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`, 'g');

/** A double-quoted Pace string, with the grammar's escapes (`\"`, `\\`, `\n`, `\r`, `\t`). */
export function quote(s: string): string {
  return '"' + s.replace(ESCAPED, (c) => ESCAPE_OF.get(c)!) + '"';
}

/** A number as Pace writes it, without exponent or binary noise; undefined when none reads back as `x`. */
export function decimalText(x: number): string | undefined {
  if (!Number.isFinite(x) || x < 0) return undefined;
  const s = String(x);
  const t = s.includes('e') ? expandExponent(s) : s;
  return Number(t) === x ? t : undefined;
}

/** `1.5e-7` → `0.00000015`, `1e21` → `1000000000000000000000`. */
function expandExponent(s: string): string {
  const [mantissa, e] = s.split('e');
  const [int, frac = ''] = mantissa.split('.');
  const digits = int + frac;
  const point = int.length + Number(e);
  if (point <= 0) return '0.' + '0'.repeat(-point) + digits;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A ratio as the shortest percentage that reads back as it (0.999 → `99.9%`); undefined when none does. */
export function percentText(ratio: number): string | undefined {
  if (!Number.isFinite(ratio) || ratio < 0) return undefined;
  for (let digits = 1; digits <= 17; digits++) {
    const t = decimalText(Number((ratio * 100).toPrecision(digits)));
    // The checker reads `P%` as clean(P / 100) (semantics.ts, ratioOfPercent; normalize.ts).
    if (t !== undefined && clean(Number(t) / 100) === ratio) return `${t}%`;
  }
  return undefined;
}

/** Seconds as a Pace duration, largest unit first (5400 → `1h30m`, 0.3 → `300ms`); undefined unless a whole number of ms. */
export function durationText(seconds: number): string | undefined {
  const ms = Math.round(seconds * 1000);
  if (!Number.isSafeInteger(ms) || ms < 0 || ms / 1000 !== seconds) return undefined;
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of DURATION_UNITS) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
