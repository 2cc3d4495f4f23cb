// The generated parts of the docs, as pure functions of the tables they come from: the block
// reference of docs/language.md (from server/src/core/language/blocks.ts) and docs/diagnostics.md
// (from server/src/core/diagnostics/codes.ts and samples/broken/). scripts/gen-docs.ts writes them
// (`npm run docs:gen`); test/docs.test.ts fails when the files on disk are stale.
import { BLOCKS, describeType, type AttributeSpec, type BlockSpec } from '../server/src/core/language/blocks.js';
import { CODES, type CodeInfo } from '../server/src/core/diagnostics/codes.js';

export const BLOCKS_START = '<!-- generated:blocks:start -->';
export const BLOCKS_END = '<!-- generated:blocks:end -->';
const DO_NOT_EDIT = '<!-- Generated from server/src/core/language/blocks.ts by `npm run docs:gen`: do not edit by hand. -->';

/** `check/wrong-type` → `check-wrong-type.pace` (samples/broken/) or `config/syntax` → `syntax` (samples/broken-config/). */
export function sampleName(code: string): string {
  return code.startsWith('config/') ? code.slice('config/'.length) : `${code.replace('/', '-')}.pace`;
}

/** Where the broken sample of a code is, relative to the repository. */
export function brokenSamplePath(code: string): string {
  return code.startsWith('config/') ? `samples/broken-config/${sampleName(code)}/pace.yaml` : `samples/broken/${sampleName(code)}`;
}

/** The broken samples of every documented code that has one, read with `read` (a path relative to the repository → its text, or undefined). */
export function brokenSamples(read: (relPath: string) => string | undefined): Map<string, BrokenSample> {
  const out = new Map<string, BrokenSample>();
  for (const c of documentedCodes()) {
    const rel = brokenSamplePath(c);
    const text = read(rel);
    if (text !== undefined) out.set(c, { path: rel, text });
  }
  return out;
}

/** The codes that have a broken sample: all but the internal ones. */
export function documentedCodes(): string[] {
  return Object.entries(CODES as Record<string, CodeInfo>)
    .filter(([, info]) => !info.internal)
    .map(([code]) => code);
}

/** A table cell: pipes escaped, no line breaks. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

/** The heading anchor GitHub makes of a block's heading. */
export function blockAnchor(spec: BlockSpec): string {
  return `block-${spec.id.replace(':', '-')}`;
}

function header(spec: BlockSpec): string {
  if (!spec.named) return `${spec.keyword} { … }`;
  if (spec.kinds) return `${spec.keyword} NAME = ${spec.kinds.join(' | ')} { … }`;
  if (spec.id.startsWith('sli:')) return `${spec.keyword} NAME = ${spec.id.slice(4)} { … }`;
  return `${spec.keyword} NAME { … }`;
}

/** Blocks whose `blocks` list holds `keyword`: where it may be written. */
function parentsOf(spec: BlockSpec): BlockSpec[] {
  return Object.values(BLOCKS).filter((b) => !b.id.startsWith('sli:') && b.blocks.includes(spec.keyword));
}

/**
 * The block's example from the table, made a complete file: wrapped in the block that holds it,
 * after the declarations it refers to (an SLO's SLI, an SLA's SLO), all taken from the table too.
 * test/docs.test.ts checks every one of them.
 */
export function completeExample(spec: BlockSpec): string {
  if (!parentsOf(spec).length) return spec.example;
  const prerequisites: Record<string, string[]> = { slo: ['sli:ratio'], sla: ['sli:ratio', 'slo'] };
  const parts = [...(prerequisites[spec.id] ?? []).map((id) => BLOCKS[id].example), spec.example];
  if (BLOCKS.service.blocks.includes(spec.keyword)) {
    return `service checkout {\n  title = "Checkout"\n\n${parts.map((p) => indent(p)).join('\n\n')}\n}`;
  }
  if (BLOCKS.objective.blocks.includes(spec.keyword)) {
    return `objective checkout_growth {\n  title = "Grow checkout conversion to 3.5%"\n\n${parts.map((p) => indent(p)).join('\n\n')}\n}`;
  }
  // Blocks of alerting policies and SLOs (annotations, page, ticket): shown in a policy.
  return `alerting payments_paging {\n${parts.map((p) => indent(p)).join('\n\n')}\n\n  page when burn_rate > 14.4 over 1h and 5m\n}`;
}

function attributeTable(attrs: readonly AttributeSpec[]): string {
  const rows = attrs.map((a) => `| ${code(a.name)} | ${cell(describeType(a.type))} | ${a.required ? 'yes' : ''} | ${cell(a.doc)} | ${cell(code(a.example))} |`);
  return ['| Attribute | Value | Required | Meaning | Example |', '|---|---|---|---|---|', ...rows].join('\n');
}

function blockReference(spec: BlockSpec): string {
  const out: string[] = [];
  out.push(`### ${spec.title}: \`${header(spec)}\``);
  out.push('');
  out.push(spec.doc);
  const facts: string[] = [];
  const parents = parentsOf(spec);
  facts.push(parents.length ? `Written inside ${parents.map((p) => `[\`${p.keyword}\`](#${blockAnchor(p)})`).join(', ')}.` : 'Written at the top level of a file.');
  if (spec.declares) facts.push(`Declares ${spec.declares === 'sli' || spec.declares === 'slo' || spec.declares === 'sla' ? `an ${spec.declares.toUpperCase()}` : spec.declares === 'kpi' ? 'a KPI' : `${/^[aeiou]/.test(spec.declares) ? 'an' : 'a'} ${spec.declares === 'alerting' ? 'alerting policy' : spec.declares}`}, named uniquely ${parents.length ? 'within it' : 'across the project'}.`);
  if (spec.blocks.length) facts.push(`Holds ${spec.blocks.map((b) => `[\`${b}\`](#${blockAnchor(BLOCKS[b])})`).join(', ')} blocks.`);
  if (spec.kinds) facts.push(`Kinds: ${spec.kinds.map((k) => `[\`${k}\`](#${blockAnchor(BLOCKS[`sli:${k}`])})`).join(', ')}.`);
  if (spec.map) facts.push('Holds `name = "value"` pairs only: label names are identifiers, values are strings.');
  if (spec.rules === 'alert') facts.push('Holds rules: `page|ticket when burn_rate > FACTOR over LONG and SHORT [for DURATION]`.'.replace('page|ticket', 'page | ticket'));
  if (spec.rules === 'credit') facts.push('Holds credit tiers: `credit PERCENT below PERCENT`, from the highest threshold to the lowest, each with a larger credit.');
  for (const group of spec.exactlyOne ?? []) facts.push(`Exactly one of ${group.map((g) => code(g)).join(' or ')} must be set.`);
  out.push('');
  out.push(facts.join(' '));
  if (spec.attributes.length) {
    out.push('');
    out.push(attributeTable(spec.attributes));
  }
  out.push('');
  out.push('```pace');
  out.push(completeExample(spec));
  out.push('```');
  return out.join('\n');
}

/** The block reference: one section per entry of BLOCKS, in the table's order. */
export function blocksSection(): string {
  const body = Object.values(BLOCKS).map((spec) => `<a id="${blockAnchor(spec)}"></a>\n\n${blockReference(spec)}`);
  return [BLOCKS_START, DO_NOT_EDIT, '', ...body.flatMap((b) => [b, '']), BLOCKS_END].join('\n');
}

/** `doc` with its generated section replaced by `section` (which carries the markers). */
export function replaceGenerated(doc: string, section: string): string {
  const start = doc.indexOf(BLOCKS_START);
  const end = doc.indexOf(BLOCKS_END);
  if (start < 0 || end < start) throw new Error(`the markers ${BLOCKS_START} and ${BLOCKS_END} are missing`);
  return doc.slice(0, start) + section + doc.slice(end + BLOCKS_END.length);
}

/** The generated section as it is in `doc`, markers included, or undefined. */
export function currentGenerated(doc: string): string | undefined {
  const start = doc.indexOf(BLOCKS_START);
  const end = doc.indexOf(BLOCKS_END);
  return start < 0 || end < start ? undefined : doc.slice(start, end + BLOCKS_END.length);
}

export interface BrokenSample {
  /** Path shown in the doc, relative to the repository: `samples/broken/check-wrong-type.pace`. */
  readonly path: string;
  readonly text: string;
}

function codeAnchor(c: string): string {
  return c.replace('/', '-');
}

/**
 * docs/diagnostics.md: every code of codes.ts with its title, severity, doc and its broken sample,
 * annotated. `samples` maps a code to its sample (a .pace file, or a pace.yaml for config codes).
 */
export function diagnosticsDoc(samples: ReadonlyMap<string, BrokenSample>): string {
  const codes = CODES as Record<string, CodeInfo>;
  const out: string[] = [];
  out.push('# Pace diagnostics');
  out.push('');
  out.push('<!-- Generated from server/src/core/diagnostics/codes.ts and samples/broken*/ by `npm run docs:gen`: do not edit by hand. -->');
  out.push('');
  out.push('Every problem `pace check` and the editor report has a stable code: `lex/…` for characters, `parse/…` for syntax, `check/…` for the meaning of one file, `link/…` for names across the project, `config/…` for `pace.yaml`.');
  out.push('Each example below is a file of `samples/broken/` (one per code, all checked together by `test/samples.test.ts`) or the `pace.yaml` of a folder of `samples/broken-config/`. A comment line of carets sits under each diagnostic the example produces, with its severity and code: it is exactly what the checker reports.');
  out.push('');
  out.push('| Code | Severity | Title |');
  out.push('|---|---|---|');
  for (const [c, info] of Object.entries(codes)) out.push(`| [\`${c}\`](#${codeAnchor(c)}) | ${info.severity} | ${cell(info.title)} |`);
  for (const [c, info] of Object.entries(codes)) {
    out.push('');
    out.push(`<a id="${codeAnchor(c)}"></a>`);
    out.push('');
    out.push(`## \`${c}\`: ${info.title}`);
    out.push('');
    out.push(`Severity: **${info.severity}**.${info.internal ? ' Internal: a bug in Pace, never caused by what you wrote; it has no example.' : ''}`);
    out.push('');
    out.push(info.doc);
    const sample = samples.get(c);
    if (info.internal) continue;
    if (!sample) throw new Error(`no broken sample for ${c}`);
    out.push('');
    out.push(`Example (\`${sample.path}\`):`);
    out.push('');
    // `pace broken`: highlighted as Pace, and left out of the docs test's "checks clean" rule.
    out.push(sample.path.endsWith('.yaml') ? '```yaml' : '```pace broken');
    out.push(sample.text.replace(/\n$/, ''));
    out.push('```');
  }
  return out.join('\n') + '\n';
}
