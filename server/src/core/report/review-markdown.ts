// The service review as Markdown (`pace report --format markdown`): headings and pipe tables that
// fit a wiki page (GitHub, GitLab, Confluence's Markdown import). Every user string is escaped: a
// `|` cannot end a cell, `<`/`>` cannot open HTML, a newline cannot end a row, and `*`, `_` (at a word's edge),
// `` ` ``, `[`, `]` and `\` cannot change emphasis, code or links.
import type { IssueLocation } from '../evaluate/preview-json.js';
import type { PreviewIssue } from '../evaluate/preview.js';
import type { ReviewResult } from './review.js';
import * as f from './review-format.js';

/** Text for a Markdown table cell or a line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*[\]|]/g, (c) => `\\${c}`)
    // `_` emphasises only at a word's edge: `payments_api` stays as it is, `_x_` does not emphasise.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const esc = escapeMarkdown;

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n') + '\n';
}

export interface ReviewMarkdownOptions {
  readonly locate?: (i: PreviewIssue) => IssueLocation | undefined;
  /** `pace 0.1.0`, on the last line. */
  readonly generator?: string;
}

export function reviewMarkdown(r: ReviewResult, opts: ReviewMarkdownOptions = {}): string {
  const out: string[] = [];
  out.push(`# Service review${r.project ? ` of ${esc(r.project)}` : ''}: ${esc(r.period.label)}\n`);
  out.push(`${esc(f.periodLine(r))}\n`);
  out.push('## Summary\n');
  out.push(f.summaryLines(r).map((l) => `- **${esc(l.label)}**: ${esc(l.text)}`).join('\n') + '\n');
  out.push('## SLAs\n');
  out.push(r.slas.length ? table(f.SLA_HEAD, r.slas.map(f.slaRow)) : 'No SLA.\n');
  out.push('## SLOs\n');
  out.push(r.slos.length ? table(f.SLO_HEAD, r.slos.map(f.sloRow)) : 'No SLO.\n');
  out.push('## KPIs\n');
  out.push(r.kpis.length ? table(f.KPI_HEAD, r.kpis.map(f.kpiRow)) : 'No KPI.\n');
  out.push('## Alerts fired\n');
  out.push(r.alerts.length ? table(f.ALERT_HEAD, r.alerts.map(f.alertRow)) : 'No alert fired within the period.\n');
  out.push('## Worst hours\n');
  out.push(
    r.worstHours.length
      ? `The ${r.worstHours.length} of ${r.hoursRanked} whole hours with the highest burn rate of any SLO (its error ratio over the hour ÷ its error budget).\n\n${table(f.HOUR_HEAD, r.worstHours.map(f.hourRow))}`
      : 'No SLO burnt any budget in a whole hour of the period.\n',
  );
  if (r.issues.length) {
    out.push('## Notes\n');
    out.push(r.issues.map((i) => `- ${esc(f.issueText(i, opts.locate?.(i)))}`).join('\n') + '\n');
  }
  out.push(`<sub>${esc(opts.generator ?? 'pace')} report: the figures are \`pace preview --at ${new Date(r.at).toISOString()}\`'s.</sub>\n`);
  return out.join('\n');
}
