// The fuzzing harness (issue 10): pure functions, used by test/fuzz/fuzz.test.ts and scripts/fuzz.mjs.
//
// Inputs come from two sources, both driven by a seeded PRNG so that a seed reproduces an input:
// - a grammar-aware generator that walks the block table (server/src/core/language/blocks.ts), so it
//   follows the language as it grows: services, SLIs of every kind, SLOs, SLAs with credits, policies
//   with multiwindow and single-window rules, labels/annotations/page/ticket blocks, objectives and KPIs;
// - byte and token mutations of the samples (and of generated text).
// Each input goes through parse → Workspace.analyze() → format → normalize → every generate target →
// printModel, and these properties are checked: nothing throws; format is idempotent; format keeps
// meaning (same model); the printed model re-reads as the same model.
import { format } from '../../server/src/core/format/format.js';
import { generate, importProject, parseConfig, preview, previewJson, printModel, Workspace, type NormalizedModel, type PreviewResult, type SampleData, type Series } from '../../server/src/core/index.js';
import type { ImportFormat, ImportSource } from '../../server/src/core/import/index.js';
import type { Matcher, Selector, Sli } from '../../server/src/core/model/model.js';
import { formatLe } from '../../server/src/core/model/error-ratio.js';
import { seriesMatchingAll, seriesMatchingOnly, type SeriesSpec } from '../../server/src/core/generate/synthetic.js';
import { RE2JS } from 're2js';
import { parseAllDocuments, stringify as yamlStringify } from 'yaml';
import { promqlSyntaxError } from '../../server/src/core/validation/promql.js';
import { BLOCKS, blockSpec, type AttributeSpec, type BlockSpec, type ValueType } from '../../server/src/core/language/blocks.js';

// ---------------------------------------------------------------- PRNG

/** A small seeded PRNG (mulberry32): the same seed gives the same inputs on every machine. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

// ---------------------------------------------------------------- grammar-aware generator

const SERVICE_NAMES = ['checkout', 'payments', 'search', 'identity', 'inventory'];
const SLI_NAMES = ['availability', 'fast', 'queue_ok', 'grpc_ok', 'errors'];
const SLA_NAMES = ['enterprise', 'merchants', 'partners'];
const POLICIES = ['burn_fast', 'burn_slow', 'paging'];
const OBJECTIVES = ['growth', 'retention'];
const KPIS = ['conversion', 'mttr', 'backlog'];
const METRICS = ['http_requests_total', 'http_request_duration_seconds', 'queue_depth', 'checkout_completed_total', 'checkout_started_total'];
const LABEL_KEYS = ['team', 'env', 'job', 'code', 'summary', 'runbook_url', 'routing_key', 'slack', 'description'];
const STRING_BITS = ['payments', 'Checkout', ' ', 'é', '{{ $labels.job }}', '\\"', '\\\\', '\\n', '\\t', '#ops', 'https://runbooks.example.com/x', '💥', 'a: b', '- x', '&anchor', '*', '%', '$', '{{', '}}', 'null', 'yes', '0x1F', '<script>'];
const WINDOW_PAIRS = [['1h', '5m'], ['6h', '30m'], ['1d', '2h'], ['3d', '6h'], ['2h', '10m'], ['1h'], ['6h'], ['30m']];

interface Ctx {
  readonly rng: Rng;
  /** Probability of an off-grammar choice (a wrong value, a missing or doubled attribute). */
  readonly noise: number;
  /** Whether names and values are kept consistent, so that most files check without errors. */
  readonly valid: boolean;
  /** Sloth-shaped (valid mode only): `promql` SLIs, 30-day windows, the default alerting or none, so the Sloth round trip has inputs. */
  readonly sloth: boolean;
  /** Names declared so far (top level), for references. */
  readonly services: string[];
  readonly policies: string[];
  readonly slos: string[];
}

/** Names declared in the block being generated (a service's SLIs and SLOs), with their facts. */
interface Scope {
  slis: string[];
  slos: { name: string; sli: string; objective: number; window: string }[];
  used: Set<string>;
}

const newScope = (): Scope => ({ slis: [], slos: [], used: new Set() });

function str(c: Ctx): string {
  let s = '';
  const n = c.rng.int(4);
  for (let i = 0; i < n; i++) s += c.rng.pick(STRING_BITS);
  return `"${s}"`;
}

function selector(c: Ctx, metric = c.rng.pick(METRICS)): string {
  const ms: string[] = [];
  const n = c.rng.int(3);
  const keys = new Set<string>();
  for (let i = 0; i < n; i++) {
    const key = c.rng.pick(['job', 'env', 'code', 'service', 'le']);
    if (c.valid && keys.has(key)) continue;
    keys.add(key);
    const op = c.rng.pick(['=', '!=', '=~', '!~']);
    const regexes = c.valid ? ['5..', '2..|3..', '(a|b)+', 'x{2,3}', 'prod-.*'] : ['5..', '2..|3..', '(a|b)+', '.*', '[', 'x{2,3}', '(?i)x', '\\\\d+'];
    const v = op.includes('~') ? c.rng.pick(regexes) : c.rng.pick(['checkout', 'prod', 'a\\"b', 'é', 'x\\\\y']);
    ms.push(`${key}${op}"${v}"`);
  }
  return ms.length || c.rng.chance(0.3) ? `${metric}{${ms.join(', ')}}` : metric;
}

const PERCENTS = [99.9, 99.95, 99, 95, 99.5, 99.99, 98.5, 99.999];

function percentText(x: number): string {
  return `${x}%`;
}

function percent(c: Ctx): string {
  if (!c.valid && c.rng.chance(0.2)) return c.rng.pick(['0%', '100%', '150%', '-1%', '50%', '1e2%']);
  return percentText(c.rng.pick(PERCENTS));
}

function duration(c: Ctx): string {
  return c.rng.pick(c.valid ? ['100ms', '300ms', '1s', '250ms', '2s', '1500ms'] : ['5m', '1h', '1h30m', '300ms', '1s', '0s', '7d']);
}

function windowValue(c: Ctx): string {
  if (c.sloth) return '30d';
  if (c.rng.chance(0.6)) return c.rng.pick(c.valid ? ['28d', '30d', '7d', '14d'] : ['28d', '30d', '7d', '1d', '90d', '0d', '1h']);
  const unit = c.rng.pick(['week', 'month', 'quarter']);
  const zones = c.valid ? ['"Europe/Paris"', '"UTC"', '"America/New_York"', '"Asia/Kolkata"'] : ['"Europe/Paris"', '"Mars/Olympus"', '""'];
  return c.rng.chance(0.4) ? `calendar ${unit} in ${c.rng.pick(zones)}` : `calendar ${unit}`;
}

function promql(c: Ctx, what: string): string {
  const m = c.rng.pick(['grpc_server_handled_total', 'http_requests_total']);
  const sel = what === 'total' ? m : `${m}{code${what === 'good' ? '!~' : '=~'}"5.."}`;
  const rate = `sum(rate(${sel}[$window]))`;
  const q = what === 'error_ratio' ? `${rate} / sum(rate(${m}[$window]))` : rate;
  if (!c.valid && c.rng.chance(0.1)) return c.rng.pick(['`sum(rate(' + m + '[$window]`', '`' + q + ' +`', '"' + q + '"', '``']);
  return '`' + q + '`';
}

function refs(c: Ctx, pool: readonly string[], max: number): string {
  const xs = new Set<string>();
  for (let i = 0, n = c.rng.int(max + 1); i < n && pool.length; i++) xs.add(c.rng.pick(pool));
  return `[${[...xs].join(', ')}]`;
}

/** A fresh name from a pool (a numbered one when the pool is used up). */
function fresh(c: Ctx, pool: readonly string[], used: Set<string>): string {
  const free = pool.filter((n) => !used.has(n));
  const name = c.valid || c.rng.chance(0.9) ? (free.length ? c.rng.pick(free) : `${pool[0]}_${used.size}`) : c.rng.pick(pool);
  used.add(name);
  return name;
}

function mapBlock(c: Ctx, keyword: string, pad: string): string {
  const n = c.rng.int(4);
  const entries: string[] = [];
  const keys = new Set<string>();
  for (let i = 0; i < n; i++) {
    const k = c.rng.pick(LABEL_KEYS);
    if (c.valid && keys.has(k)) continue;
    keys.add(k);
    entries.push(`${k} = ${str(c)}`);
  }
  if (c.rng.chance(0.5)) return `${pad}${keyword} { ${entries.join(', ')} }`;
  return `${pad}${keyword} {\n${entries.map((e) => `${pad}  ${e}`).join('\n')}\n${pad}}`;
}

function alertRule(c: Ctx, pad: string): string {
  const sev = c.rng.pick(['page', 'ticket']);
  const factor = c.rng.pick(c.valid ? ['14.4', '6', '3', '1', '2', '10'] : ['14.4', '0', '1000', '-1', '1e9']);
  const pair = c.valid ? c.rng.pick(WINDOW_PAIRS) : [c.rng.pick(['1h', '5m', '40d', '0s']), c.rng.pick(['5m', '2h', '1h'])];
  const short = pair.length > 1 ? ` and ${pair[1]}` : '';
  const forClause = c.rng.chance(0.3) ? ` for ${c.rng.pick(['2m', '5m', '1m'])}` : '';
  return `${pad}${sev} when burn_rate > ${factor} over ${pair[0]}${short}${forClause}`;
}

/** Attribute lines (`name = value`) and the child blocks of a block, in the table's terms. */
interface Body {
  attrs: [string, string][];
  blocks: string[];
  rules: string[];
}

function render(c: Ctx, pad: string, head: string, body: Body): string {
  const inner = pad + '  ';
  const lines: string[] = [];
  if (c.rng.chance(0.2)) lines.push(`${pad}/// ${c.rng.pick(['Doc comment.', 'With {{ braces }} and "quotes".', 'Ünïcödé, `ticks` and \\ backslash.'])}`);
  lines.push(`${pad}${head} {`);
  const attrs = [...body.attrs];
  if (c.rng.chance(0.2)) attrs.sort(() => c.rng.next() - 0.5);
  for (const [name, value] of attrs) lines.push(name === '' ? `${inner}${value}` : `${inner}${name} = ${value}`);
  if (c.rng.chance(0.1)) lines.push(`${inner}// a comment`);
  lines.push(...body.blocks, ...body.rules.map((r) => inner + r.trimStart()));
  lines.push(`${pad}}`);
  return lines.join('\n');
}

/** The value of an attribute from its type in the table, when the block itself does not decide it. */
function typedValue(c: Ctx, a: AttributeSpec): string {
  const t: ValueType = a.type;
  switch (t.kind) {
    // A string with a pattern (alert_name): a text that matches it, but without valid mode.
    case 'string': return t.pattern && c.valid ? '"Generated_name"' : str(c);
    case 'percent': return percent(c);
    case 'duration': return duration(c);
    case 'number': return c.rng.pick(['1', '14.4', '6']);
    case 'window': return windowValue(c);
    case 'enum': return c.rng.pick(t.values);
    case 'ref': return c.rng.pick(t.builtins ?? ['x']);
    case 'refs': return '[]';
    case 'selector': return selector(c);
    case 'comparison': return `< ${c.rng.pick(['100', '0.5', '1000'])}`;
    case 'measure': return `avg(${selector(c, 'queue_depth')})`;
  }
}

/** Noise: a value of the wrong type, or nothing at all. */
function junk(c: Ctx): string {
  return c.rng.pick(['99%', '5m', '"x"', 'foo', '[a]', '{', '', '1e999', 'calendar', '`q`', 'a.b.c']);
}

/**
 * Fills the optional attributes of `spec` that `fixed` does not set (each with a probability), drops
 * required ones with the noise probability, and turns some values into junk.
 */
function attrsOf(c: Ctx, spec: BlockSpec, fixed: Record<string, string>): [string, string][] {
  const out: [string, string][] = [];
  const grouped = new Set((spec.exactlyOne ?? []).flat());
  for (const a of spec.attributes) {
    let v: string | undefined = fixed[a.name];
    if (v === undefined && !grouped.has(a.name) && !a.required && a.type.kind !== 'ref' && a.type.kind !== 'refs' && c.rng.chance(0.3)) v = typedValue(c, a);
    if (v === undefined) continue;
    if (c.rng.chance(c.noise)) {
      if (c.rng.chance(0.5)) continue;
      v = junk(c);
    }
    if (a.type.kind === 'comparison') out.push(['', `${a.name} ${c.rng.chance(0.2) ? '= ' : ''}${v}`]);
    else out.push([a.name, v]);
    if (c.rng.chance(c.noise / 2)) out.push([a.name, v]);
  }
  if (c.rng.chance(c.noise)) out.push([c.rng.pick(['colour', 'sli', 'window', 'tier']), junk(c)]);
  return out;
}

/** The non-map, unnamed child blocks (labels, annotations, page, ticket) allowed in `spec`, each at most once. */
function metaBlocks(c: Ctx, spec: BlockSpec, pad: string): string[] {
  const out: string[] = [];
  for (const kw of spec.blocks) {
    const child = BLOCKS[kw];
    if (!child || child.named) continue;
    if (!c.rng.chance(0.35)) continue;
    if (child.map) out.push(mapBlock(c, kw, pad));
    else out.push(render(c, pad, kw, { attrs: [], blocks: metaBlocks(c, child, pad + '  '), rules: [] }));
    if (c.rng.chance(c.noise)) out.push(out[out.length - 1]);
  }
  return out;
}

function sli(c: Ctx, scope: Scope, pad: string): string {
  const kinds = BLOCKS.sli.kinds ?? ['ratio'];
  const kind = c.sloth ? 'promql' : c.rng.chance(c.noise / 2) ? 'gauge' : c.rng.pick(kinds);
  const spec = blockSpec('sli', kind) ?? BLOCKS.sli;
  const name = fresh(c, SLI_NAMES, scope.used);
  scope.slis.push(name);
  const f: Record<string, string> = {};
  switch (kind) {
    case 'ratio':
      f[c.rng.chance(0.5) ? 'good' : 'bad'] = selector(c, 'http_requests_total');
      f.total = selector(c, 'http_requests_total');
      break;
    case 'latency':
      f.histogram = selector(c, 'http_request_duration_seconds');
      f.under = duration(c);
      break;
    case 'timeslice':
      f.gauge = selector(c, 'queue_depth');
      f.good_when = `${c.rng.pick(['<', '<=', '>', '>='])} ${c.rng.pick(c.valid ? ['100', '0.5', '1000'] : ['100', '1e3', '-1', '0.5'])}`;
      f.slice = c.rng.pick(['1m', '5m', '30s']);
      break;
    case 'promql':
      if (c.rng.chance(0.3)) f.error_ratio = promql(c, 'error_ratio');
      else {
        const which = c.sloth || c.rng.chance(0.5) ? 'bad' : 'good';
        f[which] = promql(c, which);
        f.total = promql(c, 'total');
      }
      break;
  }
  return render(c, pad, `sli ${name} = ${kind}`, { attrs: attrsOf(c, spec, f), blocks: [], rules: [] });
}

function slo(c: Ctx, service: string, scope: Scope, pad: string): string | undefined {
  if (!scope.slis.length && c.valid) return undefined;
  const spec = BLOCKS.slo;
  const name = fresh(c, SLI_NAMES, new Set(scope.slos.map((s) => s.name)));
  const sliName = scope.slis.length ? c.rng.pick(scope.slis) : 'availability';
  const objective = c.rng.pick(PERCENTS);
  const window = windowValue(c);
  scope.slos.push({ name, sli: sliName, objective, window });
  c.slos.push(`${service}.${name}`);
  const f: Record<string, string> = { sli: sliName, objective: percentText(objective), window };
  if (c.rng.chance(0.8)) f.alerting = c.rng.pick(c.sloth ? ['default', 'none'] : [...c.policies, 'default', 'none']);
  if (c.rng.chance(0.2)) f.alert_name = c.rng.pick(c.valid ? ['"CheckoutHighErrorRate"', '"Fast_burn"', '"_x9"'] : ['"CheckoutHighErrorRate"', '"Fast burn"', '"A{{b}}"', '"}"', '"- x"', '"a: b"', '""']);
  return render(c, pad, `slo ${name}`, { attrs: attrsOf(c, spec, f), blocks: metaBlocks(c, spec, pad + '  '), rules: [] });
}

function sla(c: Ctx, scope: Scope, pad: string): string | undefined {
  if (!scope.slos.length && c.valid) return undefined;
  const base = scope.slos.length ? c.rng.pick(scope.slos) : { name: 'availability', sli: 'availability', objective: 99.9, window: '30d' };
  const name = fresh(c, SLA_NAMES, scope.used);
  // Looser than its SLO over the same window, so it cannot be breached while the SLO holds.
  const objective = c.valid ? Math.round((base.objective - c.rng.pick([0.5, 1, 2])) * 100) / 100 : c.rng.pick(PERCENTS);
  const f: Record<string, string> = { objective: percentText(objective), window: c.valid ? base.window : windowValue(c) };
  if (c.rng.chance(0.8)) f.slo = base.name;
  else f.sli = base.sli;
  const rules: string[] = [];
  let threshold = objective;
  let credit = 0;
  for (let i = 0, n = c.rng.int(4); i < n; i++) {
    credit += c.rng.pick([5, 10, 15]);
    rules.push(`credit ${credit}% below ${percentText(threshold)}`);
    threshold = Math.round((threshold - c.rng.pick([0.5, 1, 3])) * 100) / 100;
  }
  if (!c.valid && c.rng.chance(0.3)) rules.reverse();
  return render(c, pad, `sla ${name}`, { attrs: attrsOf(c, BLOCKS.sla, f), blocks: [], rules });
}

function service(c: Ctx): string {
  const spec = BLOCKS.service;
  const name = fresh(c, SERVICE_NAMES, new Set(c.services));
  const f: Record<string, string> = {};
  // Dependencies only on services declared before it: no cycles.
  if (c.services.length && c.rng.chance(0.3)) f.depends_on = refs(c, c.services, 2);
  if (c.services.length && c.rng.chance(0.2)) f.soft_depends_on = refs(c, c.services, 1);
  if (!c.valid && c.rng.chance(0.2)) f.depends_on = `[${name}]`;
  c.services.push(name);
  const scope = newScope();
  const pad = '  ';
  const blocks = metaBlocks(c, spec, pad);
  for (let i = 0, n = c.rng.int(4); i < n; i++) blocks.push(sli(c, scope, pad));
  for (let i = 0, n = c.rng.int(3); i < n; i++) {
    const s = slo(c, name, scope, pad);
    if (s) blocks.push(s);
  }
  if (c.rng.chance(0.4)) {
    const s = sla(c, scope, pad);
    if (s) blocks.push(s);
  }
  if (c.rng.chance(0.2)) blocks.sort(() => c.rng.next() - 0.5);
  return render(c, '', `service ${name}`, { attrs: attrsOf(c, spec, f), blocks, rules: [] });
}

function policy(c: Ctx): string {
  const spec = BLOCKS.alerting;
  const name = fresh(c, POLICIES, new Set(c.policies));
  c.policies.push(name);
  const rules: string[] = [];
  for (let i = 0, n = (c.valid ? 1 : 0) + c.rng.int(3); i < n; i++) rules.push(alertRule(c, ''));
  return render(c, '', `alerting ${name}`, { attrs: attrsOf(c, spec, {}), blocks: metaBlocks(c, spec, '  '), rules });
}

function objective(c: Ctx, used: Set<string>): string {
  const spec = BLOCKS.objective;
  const name = fresh(c, OBJECTIVES, used);
  const f: Record<string, string> = {};
  if (c.slos.length && c.rng.chance(0.6)) f.supported_by = refs(c, c.slos, 2);
  const blocks = metaBlocks(c, spec, '  ');
  const kpis = new Set<string>();
  for (let i = 0, n = c.rng.int(3); i < n; i++) {
    const k = fresh(c, KPIS, kpis);
    const kind = c.rng.int(3);
    const kf: Record<string, string> = { window: windowValue(c) };
    if (kind === 0) {
      kf.measure = `ratio(${selector(c, 'checkout_completed_total')}, ${selector(c, 'checkout_started_total')})`;
      kf.target = `>= ${c.rng.pick(['3.5%', '50%', '99%'])}`;
    } else if (kind === 1) {
      kf.measure = `${c.rng.pick(['avg', 'p50', 'p90', 'p95', 'p99', 'max'])}(${selector(c, 'incident_resolution_seconds')})`;
      kf.target = `<= ${c.rng.pick(['1h', '4h', '30m'])}`;
    } else {
      kf.measure = `${c.rng.pick(['sum', 'min', 'max', 'avg'])}(${selector(c, 'open_tickets')})`;
      kf.target = `<= ${c.rng.pick(['10', '100', '2.5'])}`;
    }
    if (!c.valid && c.rng.chance(0.2)) kf.measure = c.rng.pick(['median(x)', 'ratio(a)', 'ratio(a, b, c)', '42']);
    blocks.push(render(c, '  ', `kpi ${k}`, { attrs: attrsOf(c, BLOCKS.kpi, kf), blocks: [], rules: [] }));
  }
  return render(c, '', `objective ${name}`, { attrs: attrsOf(c, spec, f), blocks, rules: [] });
}

/**
 * A random Pace file built from the block table. With `valid`, names resolve and values fit, so
 * most files check without errors (and reach normalize, generate and print); without it, noise
 * (wrong values, missing and doubled attributes, duplicate names, cycles) exercises the checker.
 */
export function generatePace(rng: Rng, valid = true): string {
  const c: Ctx = { rng, noise: valid ? 0 : 0.08, valid, sloth: valid && rng.chance(0.1), services: [], policies: [], slos: [] };
  const out: string[] = [];
  if (rng.chance(0.2)) out.push('// generated by the fuzzer');
  // Policies first, so that SLOs can name them; a random order without `valid`.
  for (let i = 0, n = rng.int(3); i < n; i++) out.push(policy(c));
  for (let i = 0, n = 1 + rng.int(3); i < n; i++) out.push(service(c));
  const objectives = new Set<string>();
  for (let i = 0, n = rng.int(2); i < n; i++) out.push(objective(c, objectives));
  if (!valid && rng.chance(0.5)) out.sort(() => rng.next() - 0.5);
  return out.join(rng.chance(0.8) ? '\n\n' : '\n') + (rng.chance(0.9) ? '\n' : '');
}

// ---------------------------------------------------------------- mutations

const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:%|ms|[smhdw])?|"(?:[^"\\\n]|\\.)*"|`[^`]*`|\/\/\/?[^\n]*|\s+|./gsu;
const SPLICE = ['{', '}', '=', '"', '`', '[', ']', ',', '.', '/*', '//', '///', '\n', '\r\n', '\t', '\u0000', '\uFEFF', '\uD800', 'é', '%', 'service', 'sli', 'slo', 'sla', 'alerting', 'labels', 'annotations', 'page', 'ticket', 'objective', 'kpi', 'when', 'burn_rate', 'over', 'and', 'for', 'credit', 'below', 'calendar', 'in', 'ratio', 'promql', 'latency', 'timeslice', 'default', 'none', '>=', '<', '=~', '!~', '99.9%', '5m', '1e999', '-0', 'NaN', '"\\u{1F4A5}"', '"unterminated', '`unterminated'];

/** A byte/character-level or token-level mutation of a text. */
export function mutate(rng: Rng, text: string): string {
  const n = 1 + rng.int(4);
  let t = text;
  for (let k = 0; k < n; k++) {
    if (rng.chance(0.5)) {
      const toks = t.match(TOKEN) ?? [];
      if (toks.length === 0) {
        t = rng.pick(SPLICE);
        continue;
      }
      const i = rng.int(toks.length);
      switch (rng.int(4)) {
        case 0: toks.splice(i, 1); break;
        case 1: toks.splice(i, 0, toks[rng.int(toks.length)]); break;
        case 2: toks[i] = rng.pick(SPLICE); break;
        default: {
          const j = rng.int(toks.length);
          [toks[i], toks[j]] = [toks[j], toks[i]];
        }
      }
      t = toks.join('');
    } else {
      const i = rng.int(t.length + 1);
      const len = rng.int(Math.min(16, t.length - i) + 1);
      switch (rng.int(4)) {
        case 0: t = t.slice(0, i) + t.slice(i + len); break;
        case 1: t = t.slice(0, i) + String.fromCharCode(rng.int(rng.chance(0.8) ? 128 : 0x10000)) + t.slice(i); break;
        case 2: t = t.slice(0, i) + t.slice(i, i + len).repeat(2 + rng.int(3)) + t.slice(i + len); break;
        default: t = t.slice(0, i); // truncation
      }
    }
  }
  return t;
}

/** The input of iteration `i` of a run with `seed`: generated, a mutated sample, or a mutated generated file. */
export function inputFor(seed: number, i: number, samples: readonly string[]): string {
  const rng = new Rng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0);
  const r = rng.next();
  if (r < 0.35 || samples.length === 0) return generatePace(rng, true);
  if (r < 0.5) return generatePace(rng, false);
  if (r < 0.8) return mutate(rng, rng.pick(samples));
  return mutate(rng, generatePace(rng, true));
}

// ---------------------------------------------------------------- properties

export type Property = 'throws' | 'format-idempotent' | 'format-keeps-meaning' | 'print-round-trip' | 'output-valid' | 'evaluate-figures' | 'import-round-trip';

export interface Failure {
  readonly property: Property;
  readonly stage: string;
  /** The first line says what failed, in general terms (the failure key uses it); details follow. */
  readonly message: string;
}

export interface Outcome {
  readonly failures: Failure[];
  /** Whether the input checked without errors (so normalize, generate, evaluate, import and print ran). */
  readonly clean: boolean;
}

const URI = 'file:///fuzz.pace';
const sourceOf = (): string | undefined => 'fuzz.pace';

function analyzeText(text: string) {
  const ws = new Workspace();
  ws.setFile(URI, text);
  return ws.analyze();
}

/** A canonical JSON text: keys sorted, undefined members dropped, so models compare by value. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      return Object.fromEntries(Object.keys(x).sort().map((k) => [k, (x as Record<string, unknown>)[k]]));
    }
    if (typeof x === 'number' && !Number.isFinite(x)) return `#${x}`;
    return x;
  });
}

function modelOrUndefined(text: string): NormalizedModel | undefined {
  const a = analyzeText(text);
  return a.errorCount === 0 ? a.normalized().model : undefined;
}

function errText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(e);
}

/** Rule expressions of a Prometheus rule file (`groups[].rules[].expr`) or of a Kubernetes PrometheusRule. */
function ruleExprs(doc: unknown): string[] {
  const out: string[] = [];
  const groups = (doc as { groups?: unknown; spec?: { groups?: unknown } } | null)?.groups ?? (doc as { spec?: { groups?: unknown } } | null)?.spec?.groups;
  if (!Array.isArray(groups)) return out;
  for (const g of groups) for (const r of (g as { rules?: unknown[] })?.rules ?? []) {
    const e = (r as { expr?: unknown })?.expr;
    if (typeof e === 'string') out.push(e);
  }
  return out;
}

/** promqlSyntaxError's message, remembered: half the rule expressions of a run repeat (the same SLI in many inputs). */
const promqlChecked = new Map<string, string | null>();
function promqlProblem(expr: string): string | null {
  let p = promqlChecked.get(expr);
  if (p === undefined) {
    p = promqlSyntaxError(expr)?.message ?? null;
    if (promqlChecked.size >= 20_000) promqlChecked.clear();
    promqlChecked.set(expr, p);
  }
  return p;
}

/** Why a generated file is not valid output: YAML or JSON that does not parse, a rule whose PromQL does not. */
export function outputProblem(target: string, filePath: string, text: string): string | undefined {
  try {
    if (/\.json$/.test(filePath)) JSON.parse(text);
    else if (/\.ya?ml$/.test(filePath)) {
      const docs = parseAllDocuments(text);
      if (!Array.isArray(docs)) throw new Error('no YAML documents');
      for (const d of docs) if (d.errors.length) throw d.errors[0];
      if (target === 'prometheus') {
        for (const expr of docs.flatMap((d) => ruleExprs(d.toJS({ maxAliasCount: 100 })))) {
          const err = promqlProblem(expr);
          if (err) return `rule expression does not parse as PromQL (${err}): ${expr}`;
        }
      }
    }
  } catch (e) {
    return `does not parse: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
  return undefined;
}

/**
 * `outputProblem`, remembered by (target, path, text): a third of the generated files of a run are
 * byte-identical to one already checked (the samples' mutations that keep their model), and the
 * answer is a function of those three. Bounded: cleared at 2,000 entries.
 */
const outputChecked = new Map<string, string | undefined>();
function outputProblemOnce(target: string, filePath: string, text: string): string | undefined {
  const key = `${target}\u0000${filePath}\u0000${text}`;
  if (outputChecked.has(key)) return outputChecked.get(key);
  const p = outputProblem(target, filePath, text);
  if (outputChecked.size >= 2000) outputChecked.clear();
  outputChecked.set(key, p);
  return p;
}

// ---------------------------------------------------------------- synthetic sample data (the evaluate stage)

/** The synthetic data: 3 hours of 1-minute samples from 2026-11-02T00:00Z. */
export const DATA_START = Date.UTC(2026, 10, 2);
export const DATA_MINUTES = 180;

/** FNV-1a: a series' values are a function of its identity, so the data is the same however it is reached. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const regexes = new Map<string, RE2JS | null>();
function matcherHolds(m: Matcher, value: string): boolean {
  if (m.op === '=') return value === m.value;
  if (m.op === '!=') return value !== m.value;
  let r = regexes.get(m.value);
  if (r === undefined) {
    try {
      r = RE2JS.compile(`^(?:${m.value})$`);
    } catch {
      r = null;
    }
    if (regexes.size >= 1000) regexes.clear();
    regexes.set(m.value, r);
  }
  const ok = r !== null && r.matches(value);
  return m.op === '=~' ? ok : !ok;
}

/** Whether a selector selects a series, as PromQL selects (an absent label is the empty string). */
export function selects(sel: Pick<Selector, 'metric' | 'matchers'>, s: Pick<Series, 'metric' | 'labels'>): boolean {
  if (sel.metric !== undefined && sel.metric !== s.metric) return false;
  return sel.matchers.every((m) => matcherHolds(m, m.label === '__name__' ? s.metric : (s.labels[m.label] ?? '')));
}

const seriesId = (metric: string, labels: Readonly<Record<string, string>>) => `${metric}${JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;

/**
 * Sample data for a model: for each SLI (and KPI) a few series its selectors select, found with the
 * generators' own label solver (core/generate/synthetic.ts). Counters of good events grow by about
 * 100 a minute, counters of bad events by a few, with a burst in the second hour (so budgets burn
 * and rules fire); histogram buckets are a fixed share of their `_count`; gauges wander around the
 * timeslice threshold. Deterministic: every value is a function of the series' identity.
 */
export function sampleDataFor(model: NormalizedModel): SampleData {
  const t = new Float64Array(DATA_MINUTES + 1);
  for (let i = 0; i <= DATA_MINUTES; i++) t[i] = DATA_START + i * 60_000;
  const series = new Map<string, Series>();
  const put = (spec: SeriesSpec, values: (rng: Rng) => Float64Array): Series => {
    const id = seriesId(spec.metric, spec.labels);
    let s = series.get(id);
    if (!s) series.set(id, (s = { metric: spec.metric, labels: Object.fromEntries(Object.entries(spec.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), t, v: values(new Rng(hash32(id))) }));
    return s;
  };
  const counter = (spec: SeriesSpec | undefined, role: 'good' | 'bad') => {
    if (!spec) return;
    put(spec, (rng) => {
      const v = new Float64Array(t.length);
      let x = rng.int(10_000);
      const burst = [60 + rng.int(30), 100 + rng.int(40)];
      for (let i = 0; i < t.length; i++) {
        v[i] = x;
        x += role === 'good' ? 80 + rng.int(40) : rng.int(3) + (i >= burst[0] && i < burst[1] ? 20 + rng.int(30) : 0);
      }
      return v;
    });
  };
  const gauge = (spec: SeriesSpec | undefined, around: number) => {
    if (!spec) return;
    put(spec, (rng) => {
      const v = new Float64Array(t.length);
      const scale = around === 0 ? 1 : Math.abs(around);
      for (let i = 0; i < t.length; i++) v[i] = around + scale * (0.6 * Math.sin(i / 17) + 0.4 * (rng.next() - 0.5));
      return v;
    });
  };
  for (const service of model.services)
    for (const sli of service.slis as Sli[]) {
      if (sli.kind === 'ratio') {
        const part = sli.good ?? sli.bad;
        if (!part) continue;
        const partRole = sli.good ? 'good' : 'bad';
        const other = sli.good ? 'bad' : 'good';
        const both = seriesMatchingAll(part, sli.total);
        counter(both ?? seriesMatchingAll(part), partRole);
        counter(seriesMatchingOnly(sli.total, part) ?? (both ? undefined : seriesMatchingAll(sli.total)), other);
      } else if (sli.kind === 'latency') {
        const base = sli.histogram.metric;
        if (base === undefined) continue;
        const matchers = sli.histogram.matchers.filter((m) => m.label !== 'le');
        const spec = seriesMatchingAll({ metric: `${base}_count`, matchers });
        if (!spec) continue;
        counter(spec, 'good');
        const count = series.get(seriesId(spec.metric, spec.labels))!;
        // A bucket is at most its _count at every instant, and grows with it.
        for (const le of [formatLe(sli.underSeconds), '+Inf'])
          put({ metric: `${base}_bucket`, labels: { ...spec.labels, le } }, (rng) => {
            const share = le === '+Inf' ? 1 : 0.9 + 0.1 * rng.next();
            return count.v.map((x) => Math.floor(x * share));
          });
      } else if (sli.kind === 'timeslice') {
        gauge(seriesMatchingAll(sli.gauge), sli.goodWhen.value);
      }
    }
  for (const o of model.objectives)
    for (const k of o.kpis)
      for (const [i, arg] of k.measure.args.entries()) {
        const spec = seriesMatchingAll(arg);
        if (k.measure.fn === 'ratio') counter(spec, i === 0 ? 'bad' : 'good');
        else gauge(spec, k.target.value);
      }
  return { series: [...series.values()], issues: [] };
}

/**
 * Whether the data lets an SLI's attainment be a ratio in [0, 1]: every series its good (or bad)
 * events select is one of its total events (so good ≤ total), and a latency bucket never exceeds
 * its `_count`. Series made for another SLI can break that (two SLIs of one metric); then only
 * finiteness is checked for that SLI.
 */
export function boundedSli(sli: Sli, data: SampleData): boolean {
  if (sli.kind === 'ratio') {
    const part = sli.good ?? sli.bad;
    return !!part && data.series.every((s) => !selects(part, s) || selects(sli.total, s));
  }
  if (sli.kind === 'latency') {
    const base = sli.histogram.metric;
    const byId = new Map(data.series.map((s) => [seriesId(s.metric, s.labels), s]));
    return data.series.every((s) => {
      if (base === undefined || s.metric !== `${base}_bucket` || !('le' in s.labels)) return true;
      const { le: _le, ...rest } = s.labels;
      const count = byId.get(seriesId(`${base}_count`, rest));
      return !!count && s.v.every((x, i) => x <= count.v[i]);
    });
  }
  return true;
}

const EPS = 1e-9;

/** Every number in a value that is NaN or ±Infinity, by path (a figure without a value is null, docs/preview.md). */
function nonFinite(v: unknown, path: string, out: string[]): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) out.push(`${path} = ${v}`);
  } else if (Array.isArray(v)) v.forEach((x, i) => nonFinite(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) for (const [k, x] of Object.entries(v)) nonFinite(x, `${path}.${k}`, out);
}

/**
 * What is wrong with the figures of a preview: a number that is not finite (in the result or in its
 * JSON), a ratio outside [0, 1] where the data bounds it (attainment, error ratio, SLA credit),
 * attainment + error ratio ≠ 1, a budget left above the whole budget, a negative burn rate or event
 * count, bad events above total ones, an exhaustion before `at`, an alert resolved before it fired.
 */
export function figureProblems(model: NormalizedModel, data: SampleData, r: PreviewResult, json: unknown): string[] {
  const out: string[] = [];
  const nf: string[] = [];
  nonFinite(r, 'result', nf);
  nonFinite(json, 'json', nf);
  for (const p of nf) out.push(`a figure is not a finite number\n${p}`);
  const slis = new Map<string, Sli>();
  for (const s of model.services) for (const sli of s.slis as Sli[]) slis.set(sli.id, sli);
  const bounded = new Map<string, boolean>();
  const isBounded = (id: string) => {
    let b = bounded.get(id);
    if (b === undefined) {
      const sli = slis.get(id);
      bounded.set(id, (b = !!sli && boundedSli(sli, data)));
    }
    return b;
  };
  const inUnit = (x: number | null | undefined) => x === null || x === undefined || (x >= -EPS && x <= 1 + EPS);
  for (const s of r.slos) {
    const where = `${s.id} (sli ${s.sli})`;
    if (isBounded(s.sli)) {
      if (!inUnit(s.attainment)) out.push(`an SLO's attainment is outside [0, 1]\n${where}: ${s.attainment}`);
      if (!inUnit(s.errorRatio)) out.push(`an SLO's error ratio is outside [0, 1]\n${where}: ${s.errorRatio}`);
      if (s.errorBudget.remainingRatio !== null && s.errorBudget.remainingRatio > 1 + EPS) out.push(`more error budget is left than the whole budget\n${where}: remainingRatio ${s.errorBudget.remainingRatio}`);
      for (const [w, b] of Object.entries(s.burnRates)) if (b !== null && b < -EPS) out.push(`a burn rate is negative\n${where}: ${w} ${b}`);
      if (s.events && (s.events.bad < -EPS || s.events.bad > s.events.total + EPS * Math.max(1, s.events.total))) out.push(`an SLO's bad events are not within [0, total]\n${where}: ${JSON.stringify(s.events)}`);
    }
    if (s.attainment !== null && s.errorRatio !== null && Math.abs(s.attainment + s.errorRatio - 1) > EPS) out.push(`attainment + error ratio is not 1\n${where}: ${s.attainment} + ${s.errorRatio}`);
    if (!(s.errorBudget.total > 0 && s.errorBudget.total < 1)) out.push(`an error budget is not within (0, 1)\n${where}: ${s.errorBudget.total}`);
    if (s.errorBudget.events && s.errorBudget.events.allowed < -EPS) out.push(`an SLO allows a negative number of bad events\n${where}: ${s.errorBudget.events.allowed}`);
    if (s.exhaustionAt !== null && s.exhaustionAt < r.at) out.push(`the budget is exhausted before the preview's instant\n${where}: ${s.exhaustionAt} < ${r.at}`);
    for (const a of s.alerts) if (a.firedAt < a.activeAt || (a.resolvedAt !== null && a.resolvedAt < a.firedAt)) out.push(`an alert fires before it is pending, or resolves before it fires\n${where}: ${JSON.stringify(a)}`);
  }
  for (const s of r.slas) {
    const where = `${s.id} (sli ${s.sli})`;
    if (isBounded(s.sli) && !inUnit(s.attainment)) out.push(`an SLA's attainment is outside [0, 1]\n${where}: ${s.attainment}`);
    if (!inUnit(s.creditOwed)) out.push(`an SLA's credit owed is outside [0, 1]\n${where}: ${s.creditOwed}`);
    if (s.attainment !== null && s.met !== (s.attainment >= s.objective)) out.push(`an SLA's met does not follow its attainment\n${where}: ${s.attainment} vs ${s.objective}, met ${s.met}`);
  }
  return out;
}

// ---------------------------------------------------------------- import round trips

/** The project an import wrote, checked as `pace check` would (with its pace.yaml). */
function analyzeFiles(files: ReadonlyMap<string, string>) {
  const ws = new Workspace();
  const yaml = files.get('pace.yaml');
  if (yaml !== undefined) ws.setConfig(parseConfig('file:///imported/pace.yaml', yaml).config);
  for (const [name, text] of files) if (name.endsWith('.pace')) ws.setFile(`file:///imported/${name}`, text);
  return ws.analyze();
}

/** What a line of generated YAML is, for a failure's key: `a comment`, `the end`, or `key description` (the YAML key it sets). */
function lineKind(line: string | undefined): string {
  if (line === undefined) return 'the end';
  const t = line.trim();
  if (t.startsWith('#')) return 'a comment';
  const m = /^(?:- )?([A-Za-z_][\w./-]*):/.exec(t);
  return m ? `key ${m[1]}` : t === '---' ? 'a document start' : 'a value';
}

/** The first difference of two sets of generated files (path → text), as a sentence; undefined when they are the same bytes. */
export function filesDiffer(a: readonly { path: string; text: string }[], b: readonly { path: string; text: string }[]): string | undefined {
  const pa = a.map((f) => f.path).join('\n');
  const pb = b.map((f) => f.path).join('\n');
  if (pa !== pb) return `other files: [${pa.split('\n').join(', ')}] then [${pb.split('\n').join(', ')}]`;
  for (let i = 0; i < a.length; i++) {
    if (a[i].text === b[i].text) continue;
    const la = a[i].text.split('\n');
    const lb = b[i].text.split('\n');
    let j = 0;
    while (j < la.length && la[j] === lb[j]) j++;
    return `${a[i].path} line ${j + 1}, ${lineKind(la[j])}: ${JSON.stringify(la[j] ?? '<end>')} then ${JSON.stringify(lb[j] ?? '<end>')}`;
  }
  return undefined;
}

/** The YAML documents of generated files by file, kind and name, without their comment lines. */
function documentsOf(files: readonly { path: string; text: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files)
    for (const doc of f.text.split(/^---$/m)) {
      const body = doc.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')).join('\n');
      if (!body) continue;
      const kind = /^kind: (.*)$/m.exec(body)?.[1] ?? '';
      const name = /^metadata:\n(?:  .*\n)*?  name: (.*)$/m.exec(body)?.[1] ?? '';
      let id = `${f.path} ${kind} ${name}`;
      for (let i = 2; out.has(id); i++) id = `${f.path} ${kind} ${name} #${i}`;
      out.set(id, body);
    }
  return out;
}

/** Whether an import said it left something out (`not imported: …`) that the generator writes back (not the notification targets, which Pace writes for every severity anyway). */
const announcedLoss = (messages: readonly { severity: string; message: string }[]) => messages.some((m) => m.severity === 'warning' && /^not imported: /.test(m.message) && !/^not imported: AlertNotificationTarget /.test(m.message));

/**
 * Generated files → `importProject(format)` → the imported project checked → generated again. The
 * import has no errors and its project checks clean. The second generation is byte-identical to
 * the first, unless the import said what it left out (`not imported: …`, docs/import.md); then a
 * second trip must change nothing more: import → generate → import is stable.
 */
function roundTrip(format: ImportFormat, first: readonly { path: string; text: string }[], exportedLoss: boolean, regenerate: (m: NormalizedModel) => readonly { path: string; text: string }[], importer: typeof importProject, sources: (files: readonly { path: string; text: string }[]) => ImportSource[], failures: Failure[], setStage: (s: string) => void): void {
  const property = 'import-round-trip';
  const trip = (files: readonly { path: string; text: string }[], n: string): { files: readonly { path: string; text: string }[]; lossy: boolean } | undefined => {
    setStage(`import ${format}${n}`);
    const imported = importer(format, sources(files));
    const errors = imported.messages.filter((m) => m.severity === 'error');
    if (errors.length) {
      failures.push({ property, stage: `import ${format}${n}`, message: `the import of the generated files has errors\n${errors.map((m) => `${m.file}:${m.line}:${m.column}: ${m.message}`).join('\n')}` });
      return undefined;
    }
    setStage(`import ${format}${n} (check)`);
    const a = analyzeFiles(imported.files);
    if (a.errorCount) {
      failures.push({ property, stage: `import ${format}${n} (check)`, message: `the imported project does not check clean\n${a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`).join('\n')}` });
      return undefined;
    }
    setStage(`import ${format}${n} (generate again)`);
    return { files: regenerate(a.normalized().model), lossy: announcedLoss(imported.messages) };
  };
  const second = trip(first, '');
  if (!second) return;
  const diff = filesDiffer(first, second.files);
  if (!diff) return;
  if (!second.lossy && !exportedLoss) {
    failures.push({ property, stage: `import ${format} (generate again)`, message: `the second generation differs, and nothing was said to be left out (at ${diff.split(': ')[0].replace(/^\S+ line \d+, /, '')})\n${diff}` });
    return;
  }
  // Something was left out, and said: every document of the second generation is still one of the
  // first, the same but for its comments (the notes); only documents may go missing.
  const before = documentsOf(first);
  for (const [id, text] of documentsOf(second.files)) {
    const was = before.get(id);
    if (was === text) continue;
    const d = filesDiffer([{ path: id, text: was ?? '' }], [{ path: id, text }])!;
    failures.push({ property, stage: `import ${format} (generate again)`, message: `${was === undefined ? 'the second generation has a document the first has not' : 'the second generation changes a document'} (at ${was === undefined ? 'a new document' : d.split(': ')[0].replace(/^.* line \d+, /, '')})\n${d}` });
    return;
  }
  const third = trip(second.files, ' (second trip)');
  if (!third) return;
  const diff2 = filesDiffer(second.files, third.files);
  if (diff2) failures.push({ property, stage: `import ${format} (second trip)`, message: `import → generate → import is not stable: the third generation differs (at ${diff2.split(': ')[0].replace(/^\S+ line \d+, /, '')})\n${diff2}` });
}

/** Sloth's rule for service and SLO names (docs/import.md, "Sloth"). */
const SLOTH_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]$/;
const SLOTH_WINDOW_SECONDS = 30 * 86_400;

/**
 * A Sloth `prometheus/v1` spec of one service, when Sloth can carry every SLO of it as `pace
 * generate --compat sloth` reads it: `promql` SLIs with `bad` and `total` (Sloth's events) or
 * `error_ratio` (raw), the 30-day window, `alerting = default` or `none`, names Sloth accepts and no
 * `sloth_*` labels (which rename). What compat does not read (titles, SLAs, KPIs) is left out.
 * Undefined when the service is beyond that subset (or has no SLO). Pace has no Sloth exporter: this
 * is the test's own writer, following the mapping table of docs/import.md.
 */
export function slothSpecOf(model: NormalizedModel, service: NormalizedModel['services'][number]): string | undefined {
  if (!service.slos.length || !SLOTH_NAME.test(service.name) || Object.keys(model.labels ?? {}).length) return undefined;
  const hasSlothLabel = (ls: Readonly<Record<string, string>> | undefined) => Object.keys(ls ?? {}).some((k) => k.startsWith('sloth_'));
  if (hasSlothLabel(service.labels)) return undefined;
  const slis = new Map((service.slis as Sli[]).map((s) => [s.id, s]));
  const window = (q: string | undefined) => (q !== undefined && q.includes('$window') && !q.includes('{{') ? q.split('$window').join('{{.window}}') : undefined);
  const slos: unknown[] = [];
  for (const slo of service.slos) {
    const sli = slis.get(slo.sli);
    if (!sli || sli.kind !== 'promql' || !SLOTH_NAME.test(slo.name) || hasSlothLabel(slo.labels)) return undefined;
    if (slo.window.type !== 'rolling' || slo.window.seconds !== SLOTH_WINDOW_SECONDS) return undefined;
    // The objective as Sloth writes it (99.95, not 99.95000000000002); the importer's reading of it must give Pace's ratio again.
    const percent = Number((slo.objective * 100).toPrecision(15));
    let query: unknown;
    if (sli.errorRatio !== undefined && sli.bad === undefined && sli.good === undefined) {
      const q = window(sli.errorRatio);
      if (q === undefined) return undefined;
      query = { raw: { error_ratio_query: q } };
    } else if (sli.bad !== undefined && sli.good === undefined) {
      const [e, t] = [window(sli.bad), window(sli.total)];
      if (e === undefined || t === undefined || e === t) return undefined;
      query = { events: { error_query: e, total_query: t } };
    } else return undefined;
    const a = slo.alerting;
    if (a !== null && !(a.policy === 'default' && a.defaultMode === 'sloth')) return undefined;
    const alert = (meta: { labels: Record<string, string>; annotations: Record<string, string> } | undefined) => (a === null ? { disable: true } : { labels: { ...(meta?.labels ?? {}) }, annotations: { ...(meta?.annotations ?? {}) } });
    slos.push({
      name: slo.name,
      objective: percent,
      ...(slo.description !== undefined ? { description: slo.description } : {}),
      labels: { ...slo.labels },
      sli: query,
      alerting: { ...(a ? { name: a.name } : {}), annotations: { ...(slo.annotations ?? {}) }, page_alert: alert(slo.page), ticket_alert: alert(slo.ticket) },
    });
  }
  return yamlStringify({ version: 'prometheus/v1', service: service.name, labels: { ...service.labels }, slos }, { lineWidth: 0, blockQuote: false });
}

/**
 * For each service Sloth can carry: its spec → `importProject('sloth')` → the project checked →
 * `generate --compat sloth` again: no import errors, a clean project, and the compat rule file of
 * that service byte-identical to the one generated from the input.
 */
function slothRoundTrip(model: NormalizedModel, compat: readonly { path: string; text: string }[], generateTarget: typeof generate.generateTarget, importer: typeof importProject, failures: Failure[], setStage: (s: string) => void): void {
  const property = 'import-round-trip';
  for (const service of model.services) {
    setStage('import sloth (spec)');
    const spec = slothSpecOf(model, service);
    if (spec === undefined) continue;
    setStage('import sloth');
    const imported = importer('sloth', [{ name: `${service.name}.yml`, text: spec }]);
    const errors = imported.messages.filter((m) => m.severity === 'error');
    if (errors.length) {
      failures.push({ property, stage: 'import sloth', message: `the import of a Sloth spec has errors\n${errors.map((m) => `${m.file}:${m.line}:${m.column}: ${m.message}`).join('\n')}\n--- spec ---\n${spec}` });
      continue;
    }
    setStage('import sloth (check)');
    const a = analyzeFiles(imported.files);
    if (a.errorCount) {
      failures.push({ property, stage: 'import sloth (check)', message: `the imported project does not check clean\n${a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`).join('\n')}` });
      continue;
    }
    setStage('import sloth (generate again)');
    const again = generateTarget(a.normalized().model, 'prometheus', sourceOf, { prometheus: { compat: 'sloth' } }).files;
    const path = `${service.name}.rules.yml`;
    const diff = filesDiffer(compat.filter((f) => f.path === path), again.filter((f) => f.path === path));
    if (diff) failures.push({ property, stage: 'import sloth (generate again)', message: `compat sloth after import differs from compat sloth of the input (at ${diff.split(': ')[0].replace(/^\S+ line \d+, /, '')})\n${diff}\n--- spec ---\n${spec}` });
  }
}

/** The stages, replaceable so that a test can check that a broken stage is caught. */
export interface Stages {
  readonly format: (text: string) => { text: string; changed: boolean; skipped?: string };
  readonly printModel: (model: NormalizedModel) => string;
  readonly generateTarget: typeof generate.generateTarget;
  readonly preview: (model: NormalizedModel, data: SampleData) => PreviewResult;
  readonly importProject: typeof importProject;
}
const STAGES: Stages = { format, printModel, generateTarget: generate.generateTarget, preview: (m, d) => preview(m, d), importProject };

/** What the OpenSLO export says it leaves out, in its comments: `# Note: … not exported`, `… no alert policies`, `rule … is left out`. */
const EXPORT_LOSS = /^# (Note: |.*: no alert policies$|rule .* is left out)/m;

const openSloSources = (files: readonly { path: string; text: string }[]): ImportSource[] => files.filter((f) => /\.ya?ml$/.test(f.path)).map((f) => ({ name: f.path, text: f.text }));

/** Runs one input through every stage and checks the properties. Never throws. */
export function runOne(text: string, replaced: Partial<Stages> = {}): Outcome {
  const { format, printModel, generateTarget, preview, importProject } = { ...STAGES, ...replaced };
  const failures: Failure[] = [];
  let stage = 'parse';
  let clean = false;
  try {
    // Workspace.setFile parses (and runs the per-file checks); analyze() links and checks the project.
    const ws = new Workspace();
    ws.setFile(URI, text);
    stage = 'analyze';
    const analysis = ws.analyze();
    void analysis.diagnostics.length;
    stage = 'format';
    const f1 = format(text);
    if (!f1.skipped) {
      const f2 = format(f1.text);
      if (f2.skipped || f2.text !== f1.text) {
        failures.push({ property: 'format-idempotent', stage, message: f2.skipped ? `fmt(fmt(x)) skipped: ${f2.skipped}` : 'fmt(fmt(x)) !== fmt(x)' });
      }
    }
    if (analysis.errorCount === 0) {
      clean = true;
      stage = 'normalize';
      const { model } = analysis.normalized();
      let modelJson: string | undefined;
      const sameModel = (m: NormalizedModel) => canonical(m) === (modelJson ??= canonical(model));
      if (!f1.skipped && f1.changed) {
        stage = 'format (model of fmt(x))';
        const m2 = modelOrUndefined(f1.text);
        if (!m2) failures.push({ property: 'format-keeps-meaning', stage, message: 'x checks without errors but fmt(x) does not' });
        else if (!sameModel(m2)) failures.push({ property: 'format-keeps-meaning', stage, message: 'the model of fmt(x) differs from the model of x' });
      }
      let openslo: readonly { path: string; text: string }[] = [];
      let openSloLoss = false;
      for (const target of generate.GENERATE_TARGETS) {
        stage = `generate ${target}`;
        const out = generateTarget(model, target, sourceOf);
        if (target === 'openslo') {
          openslo = out.files;
          openSloLoss = out.notes.length > 0 || out.files.some((f) => EXPORT_LOSS.test(f.text));
        }
        stage = `generate ${target} (output)`;
        for (const file of out.files) {
          const problem = outputProblemOnce(target, file.path, file.text);
          if (problem) failures.push({ property: 'output-valid', stage, message: `${file.path}: ${problem}` });
        }
      }
      stage = 'evaluate';
      const data = sampleDataFor(model);
      const result = preview(model, data);
      stage = 'evaluate (figures)';
      for (const p of figureProblems(model, data, result, previewJson(result))) failures.push({ property: 'evaluate-figures', stage, message: p });
      stage = 'generate prometheus --compat sloth';
      const compat = generateTarget(model, 'prometheus', sourceOf, { prometheus: { compat: 'sloth' } });
      stage = 'generate prometheus --compat sloth (output)';
      for (const file of compat.files) {
        const problem = outputProblemOnce('prometheus', file.path, file.text);
        if (problem) failures.push({ property: 'output-valid', stage, message: `${file.path}: ${problem}` });
      }
      slothRoundTrip(model, compat.files, generateTarget, importProject, failures, (s) => (stage = s));
      roundTrip('openslo', openslo, openSloLoss, (m) => generateTarget(m, 'openslo', sourceOf).files, importProject, openSloSources, failures, (s) => (stage = s));
      stage = 'printModel';
      const printed = printModel(model);
      stage = 'printModel (re-read)';
      const m3 = modelOrUndefined(printed);
      if (!m3) failures.push({ property: 'print-round-trip', stage, message: 'the printed model does not check without errors' });
      else if (!sameModel(m3)) failures.push({ property: 'print-round-trip', stage, message: 'the printed model reads back as another model' });
    }
  } catch (e) {
    failures.push({ property: 'throws', stage, message: errText(e) });
  }
  return { failures, clean };
}

/**
 * Bugs found and reported but not fixed yet (docs/robustness.md, "Found"): a failure is one of them
 * when the same input with the suspect attribute neutralised no longer fails. Remove an entry when
 * its fix lands (its regression case in fuzz.test.ts starts failing then, as a reminder).
 */
export const KNOWN_BUGS: readonly { readonly name: string; readonly stage: RegExp; readonly neutralise: (text: string) => string }[] = [
  // None open: findings 5, 6, 9, 10 and 11 were fixed on 2026-12-02, and the last case of 7 (a `///`
  // after a separator comma below a `//` line) on 2026-12-02 too (regression cases in fuzz.test.ts).
];


/** The known bug a failure of `input` is, if any. */
export function knownBug(input: string, f: Failure, stages: Partial<Stages> = {}): string | undefined {
  const suspects = KNOWN_BUGS.filter((k) => k.stage.test(f.stage));
  const clears = (patched: string) => patched !== input && !runOne(patched, stages).failures.some((g) => g.stage === f.stage);
  for (const k of suspects) if (clears(k.neutralise(input))) return k.name;
  // Two known bugs in one input: neither patch alone clears it, both together do.
  if (suspects.length > 1 && clears(suspects.reduce((t, k) => k.neutralise(t), input))) return suspects.map((k) => k.name).join(' + ');
  return undefined;
}

/** The key a reduction keeps: the same property failing at the same stage. */
export function failureKey(f: Failure): string {
  if (f.property === 'format-idempotent' || f.property === 'format-keeps-meaning' || f.property === 'print-round-trip') return `${f.property} @ ${f.stage}`;
  // The first line of the message without its particulars (file names, numbers, quoted text, the expression).
  const first = f.message.split('\n')[0].replace(/^[^:]*\.(ya?ml|json|tmpl): /, '').replace(/\): .*$/, ')').replace(/"[^"]*"|'[^']*'/g, '…').replace(/\d+/g, 'N');
  return `${f.property} @ ${f.stage} ${first.slice(0, 120)}`;
}

/**
 * Shrinks an input while `runOne` still reports a failure with the same key: removes lines, then
 * shorter and shorter chunks of characters (a simple delta debugging). Bounded by `budgetMs`.
 */
export function minimize(text: string, key: string, budgetMs = 10_000, stages: Partial<Stages> = {}): string {
  const start = Date.now();
  const fails = (t: string) => runOne(t, stages).failures.some((f) => failureKey(f) === key);
  let best = text;
  const pass = (split: (t: string) => string[], join: string) => {
    let parts = split(best);
    for (let chunk = Math.max(1, parts.length >> 1); chunk >= 1; chunk >>= 1) {
      for (let i = 0; i < parts.length && Date.now() - start < budgetMs; ) {
        const cand = [...parts.slice(0, i), ...parts.slice(i + chunk)];
        const t = cand.join(join);
        if (t !== best && fails(t)) {
          best = t;
          parts = cand;
        } else i += chunk;
      }
    }
  };
  pass((t) => t.split('\n'), '\n');
  pass((t) => t.match(TOKEN) ?? [], '');
  pass((t) => [...t], '');
  return best;
}
