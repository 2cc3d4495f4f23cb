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
import { parse } from '../../grammar/src/parser.js';
import { format } from '../../server/src/core/format/format.js';
import { generate, printModel, Workspace, type NormalizedModel } from '../../server/src/core/index.js';
import { parseAllDocuments } from 'yaml';
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
  const kind = c.rng.chance(c.noise / 2) ? 'gauge' : c.rng.pick(kinds);
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
        const which = c.rng.chance(0.5) ? 'good' : 'bad';
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
  if (c.rng.chance(0.8)) f.alerting = c.rng.pick([...c.policies, 'default', 'none']);
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
  const c: Ctx = { rng, noise: valid ? 0 : 0.08, valid, services: [], policies: [], slos: [] };
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

export interface Failure {
  readonly property: 'throws' | 'format-idempotent' | 'format-keeps-meaning' | 'print-round-trip' | 'output-valid';
  readonly stage: string;
  readonly message: string;
}

export interface Outcome {
  readonly failures: Failure[];
  /** Whether the input checked without errors (so normalize, generate and print ran). */
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
          const err = promqlSyntaxError(expr);
          if (err) return `rule expression does not parse as PromQL (${err.message}): ${expr}`;
        }
      }
    }
  } catch (e) {
    return `does not parse: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
  return undefined;
}

/** The stages, replaceable so that a test can check that a broken stage is caught. */
export interface Stages {
  readonly format: (text: string) => { text: string; changed: boolean; skipped?: string };
  readonly printModel: (model: NormalizedModel) => string;
}
const STAGES: Stages = { format, printModel };

/** Runs one input through every stage and checks the properties. Never throws. */
export function runOne(text: string, stages: Stages = STAGES): Outcome {
  const { format, printModel } = stages;
  const failures: Failure[] = [];
  let stage = 'parse';
  let clean = false;
  try {
    parse(text);
    stage = 'analyze';
    const analysis = analyzeText(text);
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
      if (!f1.skipped && f1.changed) {
        stage = 'format (model of fmt(x))';
        const m2 = modelOrUndefined(f1.text);
        if (!m2) failures.push({ property: 'format-keeps-meaning', stage, message: 'x checks without errors but fmt(x) does not' });
        else if (canonical(m2) !== canonical(model)) failures.push({ property: 'format-keeps-meaning', stage, message: 'the model of fmt(x) differs from the model of x' });
      }
      for (const target of generate.GENERATE_TARGETS) {
        stage = `generate ${target}`;
        const out = generate.generateTarget(model, target, sourceOf);
        stage = `generate ${target} (output)`;
        for (const file of out.files) {
          const problem = outputProblem(target, file.path, file.text);
          if (problem) failures.push({ property: 'output-valid', stage, message: `${file.path}: ${problem}` });
        }
      }
      stage = 'printModel';
      const printed = printModel(model);
      stage = 'printModel (re-read)';
      const m3 = modelOrUndefined(printed);
      if (!m3) failures.push({ property: 'print-round-trip', stage, message: 'the printed model does not check without errors' });
      else if (canonical(m3) !== canonical(model)) failures.push({ property: 'print-round-trip', stage, message: 'the printed model reads back as another model' });
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
  // None open. The two this run found (alert_name unquoted in rule YAML, an owner's newline in the
  // alertmanager.yml comment) were fixed in f4d9be9; their regression cases are in fuzz.test.ts. An
  // entry looks like: { name, stage: /^generate prometheus \(output\)$/, neutralise: (t) => t.replace(…) }.
];

/** The known bug a failure of `input` is, if any. */
export function knownBug(input: string, f: Failure, stages: Stages = STAGES): string | undefined {
  if (f.property !== 'output-valid') return undefined;
  for (const k of KNOWN_BUGS) {
    if (!k.stage.test(f.stage)) continue;
    const patched = k.neutralise(input);
    if (patched !== input && !runOne(patched, stages).failures.some((g) => g.stage === f.stage)) return k.name;
  }
  return undefined;
}

/** The key a reduction keeps: the same property failing at the same stage. */
export function failureKey(f: Failure): string {
  if (f.property !== 'throws' && f.property !== 'output-valid') return `${f.property} @ ${f.stage}`;
  // The first line of the message without its particulars (file names, numbers, quoted text, the expression).
  const first = f.message.split('\n')[0].replace(/^[^:]*\.(ya?ml|json|tmpl): /, '').replace(/\): .*$/, ')').replace(/"[^"]*"|'[^']*'/g, '…').replace(/\d+/g, 'N');
  return `${f.property} @ ${f.stage} ${first.slice(0, 120)}`;
}

/**
 * Shrinks an input while `runOne` still reports a failure with the same key: removes lines, then
 * shorter and shorter chunks of characters (a simple delta debugging). Bounded by `budgetMs`.
 */
export function minimize(text: string, key: string, budgetMs = 10_000, stages: Stages = STAGES): string {
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
