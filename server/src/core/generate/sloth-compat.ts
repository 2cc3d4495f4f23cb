// `pace generate --compat sloth`: the prometheus target written exactly as Sloth v0.16 writes it
// (`sloth generate -i spec.yml`), one file per service, so that the recording rules, alerts and
// labels that Sloth's dashboards and users' queries select on keep their names (docs/generate.md,
// "Sloth compatibility"). Per SLO, in Sloth's order:
//   sloth-slo-sli-recordings-<id>   slo:sli_error:ratio_rate<W> for every alert window, then the
//                                   SLO window from the 5m rule (sum_over_time / count_over_time)
//   sloth-slo-meta-recordings-<id>  objective, error budget, period days, current and period burn
//                                   rates, budget remaining, sloth_slo_info
//   sloth-slo-alerts-<id>           one alert per enabled severity: its quick and slow rules ORed
// where <id> is `<service>-<slo>` with Sloth's names: the `sloth_service` / `sloth_slo` labels
// when a project carries them (the Sloth importer writes them where Sloth's name is not a Pace
// name), else the Pace names. Numbers are printed as Go's %g prints them, durations as
// Prometheus prints them (28d is `4w`), and the YAML as gopkg.in/yaml.v2 emits it (key order,
// quoting, block scalars, folding of long scalars past column 80). The header is Sloth's, which
// output.ts's isGenerated recognises. Only what Sloth could have produced is written: an SLO whose
// window, alert rules or names Sloth cannot say is skipped with a note. Pure.
import { defaultPolicy, defaultPolicyMode, nominalWindowSeconds } from '../budget/budget.js';
import { formatLe, rawPromqlOver, sliErrorExpression } from '../model/error-ratio.js';
import { percentText } from '../model/print.js';
import type { NormalizedModel, Service, Sli, Slo, SloRule } from '../model/model.js';
import type { GeneratedFile, TargetOutput } from './output.js';

export const SLOTH_COMPAT_MODES = ['sloth'] as const;
export type SlothCompatMode = (typeof SLOTH_COMPAT_MODES)[number];

export interface SlothCompatOptions {
  /** Labels of every rule, under the project's, the service's and the SLO's (Sloth's `--extra-labels`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The version in the header and in `sloth_slo_info{sloth_version}`. Default: `pace`. */
  readonly slothVersion?: string;
  /**
   * Where an SLO is declared (file, offset), to write its groups in declaration order as Sloth
   * writes a spec's SLOs; without it (or for ids it does not know), the model's order.
   */
  readonly sourcePosition?: (id: string) => { readonly file: string; readonly offset: number } | undefined;
}

/** The Sloth names of an SLO: `sloth_service`, `sloth_slo` and `sloth_id`. */
export function slothNames(model: NormalizedModel, service: Service, slo: Slo, extra: Readonly<Record<string, string>> = {}): { service: string; slo: string; id: string } {
  const user = { ...model.labels, ...extra, ...service.labels, ...slo.labels };
  const s = user.sloth_service ?? service.name;
  const n = user.sloth_slo ?? slo.name;
  return { service: s, slo: n, id: `${s}-${n}` };
}

/** Sloth's rule for service, SLO and id names. */
const SLOTH_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]$/;

// ---------------------------------------------------------------------------------------------
// Go and Prometheus text

/** A float64 as Go's `%g` (and `%v`, and text/template) prints it: shortest digits, exponent below 1e-4 and from 1e6 on. */
export function goFloat(x: number): string {
  return formatLe(x);
}

/** A float64 as Go's `strconv.FormatFloat(x, 'f', -1, 64)`: shortest digits, never an exponent. */
export function goFixed(x: number): string {
  const s = String(x);
  if (!/e/.test(s)) return s;
  const neg = s.startsWith('-');
  const [mantissa, e] = (neg ? s.slice(1) : s).split('e');
  const [int, frac = ''] = mantissa.split('.');
  const digits = int + frac;
  const point = int.length + Number(e);
  const body = point <= 0 ? '0.' + '0'.repeat(-point) + digits : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (neg ? '-' : '') + body;
}

/** Seconds as Prometheus' `model.Duration.String()`: years and weeks only when exact (`4w`, `30d`, `1h30m`). */
export function promModelDuration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms === 0) return '0s';
  let out = '';
  const units: [string, number, boolean][] = [
    ['y', 365 * 86_400_000, true],
    ['w', 7 * 86_400_000, true],
    ['d', 86_400_000, false],
    ['h', 3_600_000, false],
    ['m', 60_000, false],
    ['s', 1000, false],
    ['ms', 1, false],
  ];
  for (const [unit, size, exact] of units) {
    if (exact && ms % size !== 0) continue;
    const v = Math.floor(ms / size);
    if (v > 0) {
      out += `${v}${unit}`;
      ms -= v * size;
    }
  }
  return out;
}

/** A string as Go's `strconv.Quote` writes it (how Prometheus prints a label value in a selector). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 10) out += '\\n';
    else if (cp === 13) out += '\\r';
    else if (cp === 9) out += '\\t';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0xad || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff || (cp >= 0xd800 && cp < 0xe000) || cp === 0xfffe || cp === 0xffff)
      out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** `{a="x", b="y"}`: a label set as Prometheus prints it (`model.LabelSet.String()`), names sorted. */
export function promLabelSet(labels: Readonly<Record<string, string>>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${goQuote(labels[k])}`)
    .join(', ')}}`;
}

// ---------------------------------------------------------------------------------------------
// YAML as gopkg.in/yaml.v2 emits it

/** A YAML value of the rule files: a string, a mapping (entries in order, undefined values left out) or a sequence. */
export type YamlValue = string | YamlMap | YamlValue[];
export interface YamlMap {
  readonly entries: readonly (readonly [string, YamlValue | undefined])[];
}

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

const isBreak = (c: string | undefined) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlankOrEnd = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || isBreak(c);

/** yaml.v2's printable characters (it tests UTF-8 bytes: U+0085 and characters beyond the BMP are not). */
function printable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

interface ScalarAnalysis {
  readonly multiline: boolean;
  readonly blockPlainAllowed: boolean;
  readonly singleQuotedAllowed: boolean;
  readonly blockAllowed: boolean;
}

/** Which styles can carry a string exactly (the emitter's analysis of a scalar, for block context). */
function analyze(value: string): ScalarAnalysis {
  const chars = [...value];
  if (!chars.length) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  let blockIndicators = value.startsWith('---') || value.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWhitespace = isBlankOrEnd(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if (c === ':' && followedByWhitespace) blockIndicators = true;
    else if (c === '#' && precededByWhitespace) blockIndicators = true;
    if (!printable(c)) special = true;
    const first = i === 0;
    const last = i === chars.length - 1;
    if (c === ' ') {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankOrEnd(c);
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) blockPlainAllowed = singleQuotedAllowed = false;
  if (spaceBreak || special) blockPlainAllowed = singleQuotedAllowed = blockAllowed = false;
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/** Whether yaml.v2 would read the string back, unquoted, as something else than a string (null, bool, number, timestamp). */
function resolvesToNonString(s: string): boolean {
  const special = ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '', '~', 'null', 'Null', 'NULL'];
  if (special.includes(s)) return true;
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s) || /^\.(nan|NaN|NAN)$/.test(s) || s === '<<') return true;
  const hint = s[0];
  if (hint === '.') return /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s);
  if (hint !== '+' && hint !== '-' && !(hint >= '0' && hint <= '9')) return false;
  if (/^\d{4}-\d{1,2}-\d{1,2}(([Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(\.\d*)?([ \t]*(Z|[-+]\d{1,2}(:\d{2})?))?)?$/.test(s)) return true;
  const plain = s.split('_').join('');
  // Go's ParseInt/ParseUint with base 0 (0x, 0o, 0b and leading-0 octal prefixes), then YAML's float.
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|0|[1-9][0-9]*)$/.test(plain)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return true;
  return false;
}

/** yaml.v2 quotes sexagesimal-looking numbers (YAML 1.1's base 60) even though it reads them as strings. */
const isBase60Float = (s: string) => /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);

type Style = 'plain' | 'single' | 'double' | 'literal';

function styleOf(s: string, key: boolean): Style {
  const a = analyze(s);
  let style: Style = s.includes('\n') ? 'literal' : resolvesToNonString(s) || isBase60Float(s) ? 'double' : 'plain';
  if (style === 'plain' && (!a.blockPlainAllowed || (s === '' && key))) style = 'single';
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || key)) style = 'double';
  return style;
}

/** The emitter's state: the text so far and the current column (in characters). */
class Out {
  text = '';
  column = 0;
  put(s: string): void {
    this.text += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + [...s].length : [...s.slice(nl + 1)].length;
  }
  newline(indent: number): void {
    this.put('\n' + ' '.repeat(indent));
  }
}

function doubleEscape(c: string): string {
  const cp = c.codePointAt(0)!;
  const named: Record<number, string> = { 0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 27: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' };
  if (named[cp] !== undefined) return '\\' + named[cp];
  const hex = cp.toString(16).toUpperCase();
  return cp <= 0xff ? '\\x' + hex.padStart(2, '0') : cp <= 0xffff ? '\\u' + hex.padStart(4, '0') : '\\U' + hex.padStart(8, '0');
}

/**
 * Writes a scalar at the current column. Values (not keys) fold: at a space, once the line is past
 * column 80, the emitter starts a new line at `indent` instead (never at a run of spaces, nor, in
 * quotes, at the first or last character).
 */
function writeScalar(out: Out, s: string, indent: number, key: boolean): void {
  const style = styleOf(s, key);
  const chars = [...s];
  const fold = !key;
  if (style === 'plain') {
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (fold && !spaces && out.column > BEST_WIDTH && chars[i + 1] !== ' ') out.newline(indent);
        else out.put(c);
        spaces = true;
      } else {
        out.put(c);
        spaces = false;
      }
    });
    return;
  }
  if (style === 'single') {
    out.put("'");
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (fold && !spaces && out.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') out.newline(indent);
        else out.put(c);
        spaces = true;
      } else {
        out.put(c === "'" ? "''" : c);
        spaces = false;
      }
    });
    out.put("'");
    return;
  }
  if (style === 'double') {
    out.put('"');
    let spaces = false;
    chars.forEach((c, i) => {
      if (!printable(c) || c === '\ufeff' || isBreak(c) || c === '"' || c === '\\') {
        out.put(doubleEscape(c));
        spaces = false;
      } else if (c === ' ') {
        if (fold && !spaces && out.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          out.newline(indent);
          if (chars[i + 1] === ' ') out.put('\\');
        } else out.put(c);
        spaces = true;
      } else {
        out.put(c);
        spaces = false;
      }
    });
    out.put('"');
    return;
  }
  // Literal block: `|`, an indentation indicator when the text starts with a blank, the chomping
  // indicator (`-` without a final line break, none with one, `+` with more), then the lines.
  let hints = '';
  if (chars[0] === ' ' || isBreak(chars[0])) hints += String(BEST_INDENT);
  const last = chars.length - 1;
  if (!isBreak(chars[last])) hints += '-';
  else if (last === 0 || isBreak(chars[last - 1])) hints += '+';
  out.put('|' + hints);
  let atLineStart = true;
  out.put('\n');
  for (const c of chars) {
    if (isBreak(c)) {
      out.put('\n');
      atLineStart = true;
    } else {
      if (atLineStart) out.put(' '.repeat(indent));
      atLineStart = false;
      out.put(c);
    }
  }
  // The emitter ends the line itself after a value: drop the text's own last break, which was written.
  if (out.text.endsWith('\n')) {
    out.text = out.text.slice(0, -1);
    out.column = 0;
  }
}

function isMap(v: YamlValue): v is YamlMap {
  return typeof v === 'object' && !Array.isArray(v);
}

function present(m: YamlMap): (readonly [string, YamlValue])[] {
  return m.entries.filter((e): e is readonly [string, YamlValue] => e[1] !== undefined);
}

/** A block mapping whose keys start at `indent`; the first key is written where the cursor is (after `- `). */
function writeMap(out: Out, m: YamlMap, indent: number, inline: boolean): void {
  present(m).forEach(([k, v], i) => {
    if (i > 0 || !inline) {
      if (out.text.length && !out.text.endsWith('\n')) out.put('\n');
      out.put(' '.repeat(indent));
    }
    writeScalar(out, k, indent, true);
    out.put(':');
    writeValue(out, v, indent);
  });
}

/** A mapping's value: a scalar after `: `, a nested mapping indented, a sequence at the key's indentation. */
function writeValue(out: Out, v: YamlValue, keyIndent: number): void {
  if (typeof v === 'string') {
    out.put(' ');
    writeScalar(out, v, keyIndent + BEST_INDENT, false);
    return;
  }
  if (Array.isArray(v)) {
    if (!v.length) return out.put(' []');
    for (const item of v) {
      out.put('\n' + ' '.repeat(keyIndent) + '- ');
      if (typeof item === 'string') writeScalar(out, item, keyIndent + BEST_INDENT, false);
      else if (isMap(item)) writeMap(out, item, keyIndent + BEST_INDENT, true);
      else throw new Error('nested sequences are not written');
    }
    return;
  }
  if (!present(v).length) return out.put(' {}');
  out.put('\n');
  writeMap(out, v, keyIndent + BEST_INDENT, false);
}

/** A document as `yaml.Marshal` (gopkg.in/yaml.v2) writes it. */
export function yamlV2(doc: YamlMap): string {
  const out = new Out();
  writeMap(out, doc, 0, true);
  return out.text + '\n';
}

const map = (...entries: (readonly [string, YamlValue | undefined])[]): YamlMap => ({ entries });
const labelMap = (ls: Readonly<Record<string, string>>): YamlMap | undefined => {
  const keys = Object.keys(ls).sort();
  return keys.length ? map(...keys.map((k) => [k, ls[k]] as const)) : undefined;
};

// ---------------------------------------------------------------------------------------------
// Rules

/** One severity's two rules as Sloth's windows catalogue holds them: the quick and the slow one. */
interface MwmbPair {
  readonly quick: SloRule | RuleLike;
  readonly slow: SloRule | RuleLike;
}
interface RuleLike {
  readonly severity: 'page' | 'ticket';
  readonly factor: number;
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
}

export function slothHeader(version: string): string {
  return `\n---\n# Code generated by Sloth (${version}): https://github.com/slok/sloth.\n# DO NOT EDIT.\n\n`;
}

/** The SLI's error ratio over a window, as Sloth renders its `events` or `raw` query. */
function sliExpression(sli: Sli, window: string): string | undefined {
  if (sli.kind === 'promql' && sli.bad !== undefined && sli.total !== undefined) {
    return `(${rawPromqlOver(sli.bad, window)})\n/\n(${rawPromqlOver(sli.total, window)})\n`;
  }
  if (sli.kind === 'promql' && sli.errorRatio !== undefined) return `(${rawPromqlOver(sli.errorRatio, window)})`;
  // Any other SLI as Sloth's raw SLI: its error ratio, the expression the preview evaluates.
  const e = sliErrorExpression(sli, window);
  return e === undefined ? undefined : `(${e})`;
}

type Planned = { readonly groups: YamlMap[] } | { readonly skipped: string };

function planSlo(model: NormalizedModel, service: Service, slo: Slo, options: SlothCompatOptions, version: string): Planned {
  const skip = (why: string): Planned => ({ skipped: `${slo.id}: ${why}` });
  const sli = service.slis.find((s) => s.id === slo.sli);
  if (!sli) return skip(`its SLI ${slo.sli} is not in the model`);
  if (slo.window.type !== 'rolling') return skip('Sloth has no calendar windows (its SLO period is a rolling duration)');
  const names = slothNames(model, service, slo, options.labels);
  for (const [what, n] of [['service', names.service], ['SLO', names.slo]] as const)
    if (!SLOTH_NAME.test(n)) return skip(`'${n}' is not a Sloth ${what} name (letters and digits at both ends, '-', '_' and '.' between): set a sloth_${what === 'SLO' ? 'slo' : 'service'} label`);
  if (sliExpression(sli, '5m') === undefined) return skip(`the error ratio of ${sli.id} cannot be written as PromQL`);

  // The alert windows: the SLO's rules of each severity (Sloth's quick and slow pair), or, for a
  // disabled severity, Sloth's catalogue for the window (its windows still get recording rules).
  const rules = slo.alerting?.rules ?? [];
  const catalogue = defaultPolicyMode(slo.window) === 'unavailable' ? [] : defaultPolicy(slo.window);
  const pairs: Partial<Record<'page' | 'ticket', MwmbPair>> = {};
  const enabled: Record<'page' | 'ticket', boolean> = { page: false, ticket: false };
  for (const sev of ['page', 'ticket'] as const) {
    const own = rules.filter((r) => r.severity === sev);
    if (own.length) {
      if (own.length !== 2 || own.some((r) => r.singleWindow || r.forSeconds !== undefined))
        return skip(`its ${sev} rules are not Sloth's: Sloth alerts with two multiwindow rules per severity (a quick and a slow one), without 'for'`);
      const [quick, slow] = [...own].sort((a, b) => a.longWindowSeconds - b.longWindowSeconds);
      pairs[sev] = { quick, slow };
      enabled[sev] = true;
    } else {
      const cat = catalogue.filter((r) => r.severity === sev);
      if (cat.length !== 2) return skip(`Sloth needs ${sev} alert windows for it, and the default policy has none for its window`);
      pairs[sev] = { quick: cat[0], slow: cat[1] };
    }
  }
  const page = pairs.page!;
  const ticket = pairs.ticket!;
  const sloWindow = nominalWindowSeconds(slo.window);
  const windowText = promModelDuration(sloWindow);

  // A rule on the catalogue's windows with (nearly) its factor gets the catalogue's factor exactly,
  // as Sloth computes it: a policy printed as text keeps the factor only to its printed digits.
  const factorOf = (r: RuleLike) => {
    const c = catalogue.find((x) => x.severity === r.severity && x.longWindowSeconds === r.longWindowSeconds && x.shortWindowSeconds === r.shortWindowSeconds);
    return defaultPolicyMode(slo.window) === 'sloth' && c && Math.abs(c.factor - r.factor) <= 1e-9 * c.factor ? c.factor : r.factor;
  };

  const idLabels = { sloth_id: names.id, sloth_service: names.service, sloth_slo: names.slo };
  const user = { ...model.labels, ...(options.labels ?? {}), ...service.labels, ...slo.labels };
  const filter = promLabelSet(idLabels);
  const record = (seconds: number) => `slo:sli_error:ratio_rate${promModelDuration(seconds)}`;

  // Sloth's windows: each distinct alert window, shortest first, then the SLO window.
  const byText = new Map<string, number>();
  for (const r of [page.quick, page.slow, ticket.quick, ticket.slow]) for (const w of [r.shortWindowSeconds, r.longWindowSeconds]) byText.set(promModelDuration(w), w);
  const windows = [...byText.values()].sort((a, b) => a - b);
  const sliRules: YamlMap[] = windows.map((w) =>
    map(['record', record(w)], ['expr', sliExpression(sli, promModelDuration(w))!], ['labels', labelMap({ ...idLabels, sloth_window: promModelDuration(w), ...user })]),
  );
  const quickShort = page.quick.shortWindowSeconds;
  if (quickShort === sloWindow) return skip('its quick page rule\'s short window is its SLO window, which Sloth computes from that rule');
  sliRules.push(
    map(
      ['record', record(sloWindow)],
      ['expr', `sum_over_time(${record(quickShort)}${filter}[${windowText}])\n/ ignoring (sloth_window)\ncount_over_time(${record(quickShort)}${filter}[${windowText}])\n`],
      ['labels', labelMap({ ...idLabels, sloth_window: windowText, ...user })],
    ),
  );

  // Sloth's objective is the percentage of its spec: the shortest one that reads as the model's ratio.
  const percentWritten = percentText(slo.objective);
  const objective = percentWritten !== undefined ? Number(percentWritten.slice(0, -1)) : slo.objective * 100;
  const ratio = objective / 100;
  const meta = { ...idLabels, ...user };
  const burnRate = (w: number) => `${record(w)}${filter}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${filter}\n`;
  const metaRules: YamlMap[] = [
    map(['record', 'slo:objective:ratio'], ['expr', `vector(${goFloat(ratio)})`], ['labels', labelMap(meta)]),
    map(['record', 'slo:error_budget:ratio'], ['expr', `vector(1-${goFloat(ratio)})`], ['labels', labelMap(meta)]),
    map(['record', 'slo:time_period:days'], ['expr', `vector(${goFloat(sloWindow / 3600 / 24)})`], ['labels', labelMap(meta)]),
    map(['record', 'slo:current_burn_rate:ratio'], ['expr', burnRate(quickShort)], ['labels', labelMap(meta)]),
    map(['record', 'slo:period_burn_rate:ratio'], ['expr', burnRate(sloWindow)], ['labels', labelMap(meta)]),
    map(['record', 'slo:period_error_budget_remaining:ratio'], ['expr', `1 - slo:period_burn_rate:ratio${filter}`], ['labels', labelMap(meta)]),
    map(
      ['record', 'sloth_slo_info'],
      ['expr', 'vector(1)'],
      ['labels', labelMap({ ...meta, sloth_version: version, sloth_mode: 'cli-gen-prom', sloth_spec: 'prometheus/v1', sloth_objective: goFixed(objective) })],
    ),
  ];

  const budget = (100 - objective) / 100;
  const alertRules: YamlMap[] = [];
  for (const sev of ['page', 'ticket'] as const) {
    if (!enabled[sev] || !slo.alerting) continue;
    const { quick, slow } = pairs[sev]!;
    const cond = (r: RuleLike) => {
      const f = goFloat(factorOf(r));
      const side = (w: number) => `    max(${record(w)}${filter} > (${f} * ${goFloat(budget)})) without (sloth_window)\n`;
      return `(\n${side(r.shortWindowSeconds)}    and\n${side(r.longWindowSeconds)})\n`;
    };
    const m = slo.alerting[sev];
    alertRules.push(
      map(
        ['alert', slo.alerting.name],
        ['expr', `${cond(quick)}or\n${cond(slow)}`],
        ['labels', labelMap({ sloth_severity: sev, ...m.labels })],
        [
          'annotations',
          labelMap({
            title: `(${sev}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
            summary: '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
            ...m.annotations,
          }),
        ],
      ),
    );
  }

  const groups = [map(['name', `sloth-slo-sli-recordings-${names.id}`], ['rules', sliRules]), map(['name', `sloth-slo-meta-recordings-${names.id}`], ['rules', metaRules])];
  if (alertRules.length) groups.push(map(['name', `sloth-slo-alerts-${names.id}`], ['rules', alertRules]));
  return { groups };
}

/** The files of the prometheus target in Sloth's form: `<service>.rules.yml` per service, with Sloth's header. */
export function slothCompatFiles(model: NormalizedModel, options: SlothCompatOptions = {}): TargetOutput {
  const version = options.slothVersion ?? 'pace';
  const files: GeneratedFile[] = [];
  const notes: string[] = ['no promtool test files in Sloth compatibility mode (Sloth writes none)'];
  for (const service of model.services) {
    const position = (id: string) => options.sourcePosition?.(id);
    const slos = [...service.slos].sort((a, b) => {
      const pa = position(a.id);
      const pb = position(b.id);
      if (!pa || !pb) return 0;
      return pa.file < pb.file ? -1 : pa.file > pb.file ? 1 : pa.offset - pb.offset;
    });
    const groups: YamlMap[] = [];
    for (const slo of slos) {
      const p = planSlo(model, service, slo, options, version);
      if ('skipped' in p) notes.push(`skipped ${p.skipped}`);
      else groups.push(...p.groups);
    }
    if (!groups.length) {
      if (service.slos.length) notes.push(`${service.id}: no file (none of its SLOs can be written the Sloth way)`);
      continue;
    }
    files.push({ path: `${service.name}.rules.yml`, text: slothHeader(version) + yamlV2(map(['groups', groups])) });
  }
  return { target: 'prometheus', files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), notes };
}
