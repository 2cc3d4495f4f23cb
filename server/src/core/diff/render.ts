// The text and Markdown renderings of a diff (JSON is the DiffResult itself). Loosening changes come
// first and are marked; the Markdown fits a pull-request comment: a summary table, the loosening
// changes in the open, the rest in collapsed <details>. The terminal's colours are the caller's (Paint).
import type { DiffResult } from './index.js';
import { entityWord, idPath, type ChangeClass, type ModelChange } from './diff.js';
import type { GeneratedChange } from './generated.js';

export interface Paint {
  readonly loosening: (s: string) => string;
  readonly tightening: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

const plain: Paint = { loosening: (s) => s, tightening: (s) => s, dim: (s) => s, bold: (s) => s };
const CLASSES: readonly ChangeClass[] = ['loosening', 'tightening', 'neutral'];
const TITLE: Record<ChangeClass, string> = { loosening: 'Loosening', tightening: 'Tightening', neutral: 'Neutral' };
const MARK: Record<ChangeClass, string> = { loosening: '!', tightening: '+', neutral: '·' };
const GEN_MARK: Record<GeneratedChange['kind'], string> = { appeared: '+', vanished: '-', changed: '~' };

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** `SLO checkout.availability`. */
export function subject(c: ModelChange): string {
  return c.entity === 'project' ? 'project' : `${entityWord(c.entity)} ${idPath(c.id)}`;
}

const whereText = (c: ModelChange) => c.where?.head ?? c.where?.base;

function sidesText(r: DiffResult): string {
  return `${r.base.label} → ${r.head.label}`;
}

function summaryText(r: DiffResult): string {
  const s = r.summary;
  if (!s.changes) return 'no changes';
  const g = s.generated;
  const gen = g.appeared + g.vanished + g.changed;
  return `${s.loosening} loosening, ${s.tightening} tightening, ${s.neutral} neutral (${plural(s.changes, 'change')})${gen ? `; generated rules: ${g.appeared} appeared, ${g.vanished} vanished, ${g.changed} changed` : ''}`;
}

function generatedLine(g: GeneratedChange): string {
  const what = `${g.type} ${g.name}${g.variant ? ` ${g.variant}` : ''} in ${g.group}`;
  return g.kind === 'changed' ? `${what}: ${g.fields!.join(', ')} changed` : `${what} ${g.kind}`;
}

type GeneratedLine = { readonly kind: GeneratedChange['kind']; readonly group: string; readonly rule?: GeneratedChange; readonly records?: number; readonly alerts?: number };

/**
 * The generated changes as people read them: a group that appeared or vanished whole (every SLO's
 * group has an objective record, so its appearing means the group is new) is one line.
 */
function generatedLines(gs: readonly GeneratedChange[]): GeneratedLine[] {
  const whole = new Set(gs.filter((g) => g.kind !== 'changed' && g.name === 'slo:objective:ratio').map((g) => `${g.kind}\0${g.group}`));
  const out: GeneratedLine[] = [];
  const seen = new Set<string>();
  for (const g of gs) {
    const k = `${g.kind}\0${g.group}`;
    if (!whole.has(k)) out.push({ kind: g.kind, group: g.group, rule: g });
    else if (!seen.has(k)) {
      seen.add(k);
      const all = gs.filter((x) => x.kind === g.kind && x.group === g.group);
      out.push({ kind: g.kind, group: g.group, records: all.filter((x) => x.type === 'record').length, alerts: all.filter((x) => x.type === 'alert').length });
    }
  }
  return out;
}

const groupText = (l: GeneratedLine) => `${plural(l.records!, 'recording rule')}, ${plural(l.alerts!, 'alert')}`;

function gateText(r: DiffResult): string | undefined {
  if (!r.gate.failOn) return undefined;
  const n = r.gate.failOn === 'any' ? r.summary.changes : r.summary.loosening;
  return r.gate.blocked ? `blocked by --fail-on ${r.gate.failOn}: ${plural(n, r.gate.failOn === 'any' ? 'change' : 'loosening change')}` : `passes --fail-on ${r.gate.failOn}`;
}

/** For a terminal: a headline, then the changes by class (loosening first), then the generated rules. */
export function diffText(r: DiffResult, paint: Paint = plain): string {
  let out = `${paint.bold(`pace diff ${sidesText(r)}`)}: ${summaryText(r)}\n`;
  for (const cls of CLASSES) {
    const cs = r.changes.filter((c) => c.class === cls);
    if (!cs.length) continue;
    const colour = cls === 'loosening' ? paint.loosening : cls === 'tightening' ? paint.tightening : paint.dim;
    out += `\n${colour(paint.bold(`${TITLE[cls]} (${cs.length})`))}\n`;
    for (const c of cs) {
      const w = whereText(c);
      out += `  ${colour(MARK[cls])} ${paint.bold(subject(c))}: ${c.text}${w ? paint.dim(`  ${w}`) : ''}\n`;
    }
  }
  if (r.generated.length) {
    out += `\n${paint.bold(`Generated Prometheus rules (${r.generated.length})`)}\n`;
    for (const l of generatedLines(r.generated)) out += `  ${GEN_MARK[l.kind]} ${l.rule ? generatedLine(l.rule) : `group ${l.group} ${l.kind}: ${groupText(l)}`}\n`;
  }
  const gate = gateText(r);
  if (gate) out += `\n${r.gate.blocked ? paint.loosening(gate) : gate}\n`;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** A table cell: no line breaks, pipes escaped, no HTML. */
const cell = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string) => (s.includes('`') ? cell(s) : `\`${s.replace(/\|/g, '\\|')}\``);
/** The most rows one table shows; a pull-request comment holds at most 65,536 characters. */
export const MARKDOWN_MAX_ROWS = 200;

function rows<T>(xs: readonly T[], row: (x: T) => string, columns: number): string {
  let out = xs.slice(0, MARKDOWN_MAX_ROWS).map(row).join('');
  if (xs.length > MARKDOWN_MAX_ROWS) out += `| ${['…', `${xs.length - MARKDOWN_MAX_ROWS} more (see \`--format json\`)`, ...Array(columns - 2).fill('')].join(' | ')} |\n`;
  return out;
}

function changeTable(cs: readonly ModelChange[], marked: boolean): string {
  const head = marked ? '| | what | change | where |\n|---|---|---|---|\n' : '| what | change | where |\n|---|---|---|\n';
  const subj = (c: ModelChange) => (c.entity === 'project' ? 'project' : `${entityWord(c.entity)} ${code(idPath(c.id))}`);
  return head + rows(cs, (c) => `| ${marked ? '⚠️ | ' : ''}${subj(c)} | ${cell(c.text)} | ${whereText(c) ? code(whereText(c)!) : ''} |\n`, marked ? 4 : 3);
}

/** For a pull-request comment. */
export function diffMarkdown(r: DiffResult): string {
  const s = r.summary;
  let out = `### Pace diff: ${code(r.base.label)} → ${code(r.head.label)}\n\n`;
  if (!s.changes && !r.generated.length) return out + 'No changes to services, SLOs, SLAs, policies or objectives.\n';
  const g = s.generated;
  out += '| | changes |\n|---|---:|\n';
  out += `| ${s.loosening ? '⚠️ **loosening**' : 'loosening'} | ${s.loosening ? `**${s.loosening}**` : 0} |\n`;
  out += `| tightening | ${s.tightening} |\n| neutral | ${s.neutral} |\n`;
  out += `| generated Prometheus rules | ${g.appeared} appeared, ${g.vanished} vanished, ${g.changed} changed |\n\n`;
  const gate = gateText(r);
  if (gate) out += `${r.gate.blocked ? `**⛔ ${cell(gate)}**` : `✅ ${cell(gate)}`}\n\n`;
  const loose = r.changes.filter((c) => c.class === 'loosening');
  if (loose.length) out += `#### ⚠️ Loosening (${loose.length})\n\n${changeTable(loose, true)}\n`;
  for (const cls of ['tightening', 'neutral'] as const) {
    const cs = r.changes.filter((c) => c.class === cls);
    if (cs.length) out += `<details><summary>${TITLE[cls]} (${cs.length})</summary>\n\n${changeTable(cs, false)}\n</details>\n\n`;
  }
  if (r.generated.length) {
    out += `<details><summary>Generated Prometheus rules (${r.generated.length})</summary>\n\n| | rule | group | change |\n|---|---|---|---|\n`;
    out += rows(
      generatedLines(r.generated),
      (l) => (l.rule ? `| ${l.kind} | ${l.rule.type} ${code(l.rule.name)}${l.rule.variant ? ` ${cell(l.rule.variant)}` : ''} | ${code(l.group)} | ${l.kind === 'changed' ? cell(l.rule.fields!.join(', ')) : ''} |\n` : `| ${l.kind} | the whole group: ${groupText(l)} | ${code(l.group)} | |\n`),
      4,
    );
    out += '\n</details>\n';
  }
  return out;
}
