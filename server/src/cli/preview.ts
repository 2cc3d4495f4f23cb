// `pace preview`: the project's SLOs, SLAs and KPIs on sample data (docs/preview.md). The project
// is checked first (a project with errors previews nothing: exit 1, diagnostics as `pace check`
// prints them, on stderr); the data comes from --data or pace.yaml's `data:` globs; the figures
// from the core's `preview`, printed as text tables, JSON (schemas/pace-preview.schema.json) or
// Markdown tables, to stdout or atomically to --out.
// Exit codes: 0 previewed, 1 project errors or errors in the data, 2 usage, config or IO error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import pc from 'picocolors';
import { budget, parseWhatIf, preview, previewJson, rfc3339, whatIf, whatIfErrorText, whatIfJson, whatIfOutsideData, whatIfView, type WhatIfResult, type IssueLocation, type KpiPreview, type PreviewIssue, type PreviewResult, type SlaPreview, type SloPreview } from '../core/index.js';
import { BackendError, previewFromBackend } from '../node/backend/index.js';
import { loadSampleData } from '../node/data/index.js';
import { configuredDataFiles, readProject, writeFileAtomic } from '../node/project.js';
import type { CliIO } from './main.js';
import { checkedAnalysis, issueLocator } from './checked.js';

export type PreviewFormat = 'text' | 'json' | 'markdown' | 'html';

export interface PreviewOptions {
  readonly data?: string[];
  readonly at?: string;
  readonly format: PreviewFormat;
  readonly out?: string;
  readonly color: boolean;
  /** `--prometheus URL`: the figures from a Prometheus-compatible API instead of files (node/backend). */
  readonly prometheus?: string;
  /** `--what-if` specs (core/evaluate/whatif.ts): one scenario each, beside the baseline. */
  readonly whatIf?: string[];
}

export interface PreviewHost {
  /** The project roots of the paths (as `pace check` groups them). */
  readonly roots: (paths: string[]) => string[];
  /** A path as shown to the user. */
  readonly display: (file: string) => string;
  readonly usage: (message: string) => Error;
}

/** `--at`: RFC 3339 (with a zone or Z) or Unix seconds. */
export function parseAt(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i.test(text)) return undefined;
  const ms = Date.parse(text.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : ms;
}

export async function previewCommand(paths: string[], opts: PreviewOptions, io: CliIO, host: PreviewHost): Promise<number> {
  const roots = host.roots(paths);
  if (roots.length !== 1) throw host.usage(`pace preview takes one project; the paths name ${roots.length}`);
  const root = roots[0];
  let at: number | undefined;
  if (opts.at !== undefined) {
    at = parseAt(opts.at);
    if (at === undefined) throw host.usage(`--at ${opts.at}: expected an RFC 3339 time (2026-06-30T12:00:00Z) or Unix seconds`);
  }
  const project = readProject(root);
  const checked = checkedAnalysis(project, io, host.display, 'a project with errors is not previewed');
  if ('code' in checked) return checked.code;
  const { analysis } = checked;
  const specs = (opts.whatIf ?? []).map((w) => {
    const p = parseWhatIf(w, analysis.normalized().model);
    if (p.error) throw host.usage(whatIfErrorText(w.trim().replace(/\s+/g, ' '), p.error));
    return p.spec;
  });
  if (specs.length && !['text', 'json', 'markdown'].includes(opts.format)) throw host.usage(`--what-if is shown in the text, json and markdown formats, not (yet) in ${opts.format}`);
  if (opts.prometheus !== undefined && (opts.data?.length || specs.length)) throw host.usage(opts.data?.length ? '--data and --prometheus exclude each other: the figures come from files or from the backend' : '--what-if injects failures into sample files: it does not combine with --prometheus');
  let dataFiles: string[] = [];
  if (opts.prometheus !== undefined) {
    // The backend holds the data: nothing is loaded.
  } else if (opts.data?.length) {
    for (const f of opts.data) if (!fs.existsSync(path.resolve(io.cwd, f))) throw host.usage(`no such file: ${f}`);
    dataFiles = opts.data.map((f) => path.resolve(io.cwd, f));
  } else {
    const globs = project.config.data ?? [];
    if (!globs.length) throw host.usage(`no sample data: pass --data FILE or list globs under 'data:' in ${project.configPath ? host.display(project.configPath) : 'pace.yaml'}`);
    const configured = configuredDataFiles(project, host.display);
    if (configured.refusal) throw host.usage(configured.refusal);
    dataFiles = configured.files;
    if (!dataFiles.length) throw host.usage(`the data globs of pace.yaml (${globs.join(', ')}) match no file`);
  }
  // Read by absolute path (the working directory is io.cwd, not the process's); shown as the user sees them.
  const loaded = opts.prometheus !== undefined ? { series: [], issues: [] } : await withProgress(io, `Loading sample data (${dataFiles.map((f) => host.display(f)).join(', ')})`, () => loadSampleData(dataFiles));
  const data = { series: loaded.series, issues: loaded.issues.map((i) => (i.file === undefined ? i : { ...i, file: host.display(i.file), message: i.message.split(i.file).join(host.display(i.file)) })) };
  const { model, sourceMap } = analysis.normalized();
  const result =
    opts.prometheus !== undefined
      ? await previewFromBackend(model, opts.prometheus, { at, env: io.env }).catch((e: unknown) => {
          throw e instanceof BackendError ? host.usage(e.message) : e;
        })
      : preview(model, data, at === undefined ? {} : { at });

  const locate = issueLocator(analysis, sourceMap, host.display);

  const color = opts.color && io.isTTY && !opts.out && opts.format === 'text' && !(io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '');
  const text = opts.format === 'json' ? JSON.stringify(previewJson(result, locate), null, 2) + '\n' : opts.format === 'html' ? (await import('./html/page.js')).renderPreviewHtml(model, data, result, locate) : renderTables(result, locate, opts.format, color);
  for (const spec of specs) {
    const outside = whatIfOutsideData(spec, result.dataStart === null || result.dataEnd === null ? null : { start: result.dataStart, end: result.dataEnd });
    if (outside) throw host.usage(`--what-if '${spec.text}': ${outside}`);
  }
  const scenarios = specs.map((spec) => whatIf(model, data, spec, result));
  const shown = !scenarios.length ? text : opts.format === 'json' ? JSON.stringify({ ...previewJson(result, locate), whatIf: scenarios.map(whatIfJson) }, null, 2) + '\n' : text + renderWhatIf(scenarios, opts.format === 'markdown', color);
  if (opts.out) writeFileAtomic(path.resolve(io.cwd, opts.out), shown);
  else io.stdout(shown);
  return result.issues.some((i) => i.severity === 'error') ? 1 : 0;
}

// ---- text and Markdown ----

/** Each what-if scenario after the baseline's tables: affected services, then baseline → scenario. */
function renderWhatIf(scenarios: readonly WhatIfResult[], md: boolean, color: boolean): string {
  const c = pc.createColors(color);
  const cells = (rows: readonly (readonly string[])[]) => rows.map((r) => r.map((text): Cell => ({ text })));
  return scenarios
    .map((r) => {
      const v = whatIfView(r);
      const out = [md ? `## ${v.title}\n` : '\n' + c.bold(v.title), v.lines.map((l) => (md ? `- ${l}` : `  ${l}`)).join('\n') + '\n'];
      if (v.slo.rows.length) out.push(table([...v.slo.head], cells(v.slo.rows), md));
      if (v.alerts.length) out.push(v.alerts.map((l) => (md ? `- ${l}` : `    ${l}`)).join('\n') + '\n');
      if (v.sla.rows.length) out.push(table([...v.sla.head], cells(v.sla.rows), md));
      if (v.notes.length) out.push(v.notes.map((l) => (md ? `- ${l}` : `  ${l}`)).join('\n') + '\n');
      return out.join('\n');
    })
    .join('\n');
}

const pct = (x: number | null) => (x === null ? '–' : budget.formatPercent(x));
const num = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits));
/** `2026-06-12 10:04Z`: minutes are the grid's precision. */
const minute = (ms: number | null) => (ms === null ? '–' : rfc3339(ms).slice(0, 16).replace('T', ' ') + 'Z');

function budgetLeft(s: SloPreview): string {
  const b = s.errorBudget;
  if (b.remainingRatio === null || b.remainingSeconds === null) return '–';
  return `${budget.formatPercent(b.remainingRatio)} (${budget.formatDuration(Math.round(b.remainingSeconds))})`;
}

function alertsCell(s: SloPreview): string {
  if (!s.alerts.length) return s.note ? (s.sliKind === 'promql' ? 'needs a live backend' : 'not previewed') : 'none';
  const pages = s.alerts.filter((a) => a.severity === 'page').length;
  const tickets = s.alerts.length - pages;
  return [pages && `${pages} page${pages > 1 ? 's' : ''}`, tickets && `${tickets} ticket${tickets > 1 ? 's' : ''}`].filter(Boolean).join(', ');
}

type Cell = { text: string; style?: (s: string) => string };

function table(head: string[], rows: Cell[][], markdown: boolean): string {
  if (markdown) {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    return [`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map((c) => esc(c.text)).join(' | ')} |`)].join('\n') + '\n';
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].text.length)));
  const line = (cells: Cell[]) => '  ' + cells.map((c, i) => (c.style ?? ((x: string) => x))(i === cells.length - 1 ? c.text : c.text.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head.map((h) => ({ text: h }))), ...rows.map(line)].join('\n') + '\n';
}

const BURN_COLUMNS = ['5m', '1h', '6h', '3d'];

function renderTables(r: PreviewResult, locate: (i: PreviewIssue) => IssueLocation | undefined, format: 'text' | 'markdown', color: boolean): string {
  const c = pc.createColors(color);
  const md = format === 'markdown';
  const out: string[] = [];
  const span = r.dataStart === null || r.dataEnd === null ? 'no data' : `data ${minute(r.dataStart)} to ${minute(r.dataEnd)}`;
  const atText = rfc3339(r.at).replace('.000Z', 'Z');
  out.push(md ? `# Preview at ${atText}\n\n${span}, alerts backtested every ${budget.formatDuration(r.stepSeconds)}.\n` : `${c.bold(`Preview at ${atText}`)} (${span}, alerts backtested every ${budget.formatDuration(r.stepSeconds)})\n`);
  const byService = new Map<string, { slos: SloPreview[]; slas: SlaPreview[] }>();
  for (const s of r.slos) (byService.get(s.service) ?? byService.set(s.service, { slos: [], slas: [] }).get(s.service))?.slos.push(s);
  for (const s of r.slas) (byService.get(s.service) ?? byService.set(s.service, { slos: [], slas: [] }).get(s.service))?.slas.push(s);
  for (const [service, { slos, slas }] of [...byService].sort(([a], [b]) => a.localeCompare(b))) {
    const name = service.replace(/^service:/, '');
    out.push(md ? `## ${name}\n` : c.bold(name));
    if (slos.length) {
      const rows = slos.map((s): Cell[] => {
        const ok = s.attainment === null ? undefined : s.attainment >= s.objective;
        const left = s.errorBudget.remainingRatio;
        return [
          { text: s.id.replace(/^slo:[^.]+\./, '') },
          { text: budget.percentText(s.objective) },
          { text: s.window.label },
          { text: pct(s.attainment), style: ok === undefined ? undefined : ok ? c.green : c.red },
          { text: budgetLeft(s), style: left === null ? undefined : left <= 0 ? c.red : left < 0.25 ? c.yellow : undefined },
          ...BURN_COLUMNS.map((w): Cell => ({ text: num(s.burnRates[w] ?? null), style: (s.burnRates[w] ?? 0) >= 1 ? c.yellow : undefined })),
          { text: alertsCell(s), style: s.alerts.some((a) => a.severity === 'page') ? c.red : undefined },
        ];
      });
      out.push(table(['SLO', 'objective', 'window', 'attainment', 'budget left', ...BURN_COLUMNS.map((w) => `burn ${w}`), 'alerts fired'], rows, md));
      const firings = slos.flatMap((s) => s.alerts.map((a) => ({ s, a })));
      if (firings.length) {
        const lines = firings.map(({ s, a }) => `${md ? '- ' : '    '}${s.name}: ${a.severity} ${a.rule}: fired ${minute(a.firedAt)}, ${a.resolvedAt === null ? 'still firing' : `resolved ${minute(a.resolvedAt)}`}`);
        out.push(lines.join('\n') + '\n');
      }
    }
    if (slas.length) {
      const rows = slas.map((s): Cell[] => [
        { text: s.name },
        { text: budget.percentText(s.objective) },
        { text: s.window.period ?? s.window.label },
        { text: pct(s.attainment), style: s.met === null ? undefined : s.met ? c.green : c.red },
        { text: s.met === null ? '–' : s.met ? 'met' : 'missed' },
        { text: s.creditOwed === null ? '–' : s.tier ?? 'none' },
      ]);
      out.push(table(['SLA', 'objective', 'period', 'attainment', 'status', 'credit owed'], rows, md));
    }
  }
  if (r.kpis.length) {
    out.push(md ? '## KPIs\n' : c.bold('KPIs'));
    const rows = r.kpis.map((k: KpiPreview): Cell[] => [
      { text: k.id.replace(/^kpi:/, '') },
      { text: k.targetText },
      { text: k.window.label },
      { text: k.value === null ? '–' : formatKpiValue(k), style: k.meetsTarget === null ? undefined : k.meetsTarget ? c.green : c.red },
      { text: k.trend?.sentence ?? '–' },
    ]);
    out.push(table(['KPI', 'target', 'window', 'value', 'trend'], rows, md));
  }
  if (r.issues.length) {
    out.push(md ? '## Notes\n' : c.bold('Notes'));
    const lines = r.issues.map((i) => {
      const where = locate(i);
      const at = where ? `${where.file}:${where.line}:${where.column}: ` : i.file ? `${i.file}${i.line ? `:${i.line}` : ''}: ` : '';
      const sev = i.severity === 'error' ? c.red('error') : i.severity === 'warning' ? c.yellow('warning') : c.dim('info');
      const series = i.series && !i.message.includes(i.series) ? ` (${i.series})` : '';
      return `${md ? '- ' : '  '}${at}${sev} ${i.code}: ${i.message}${series}`;
    });
    out.push(lines.join('\n') + '\n');
  }
  return out.join('\n');
}

function formatKpiValue(k: KpiPreview): string {
  const v = k.value as number;
  if (k.target.unit === 'ratio') return budget.formatPercent(v);
  if (k.target.unit === 'seconds') return budget.formatDuration(Math.abs(v) >= 60 ? Math.round(v) : v);
  return String(Number(v.toPrecision(6)));
}

/**
 * Runs a long step with a progress line on stderr when stderr is a terminal (and NO_COLOR or not):
 * the step's name and the seconds elapsed, redrawn every 100 ms and erased when it ends. Nothing
 * is printed when stderr is a pipe or a file, so logs and goldens stay clean.
 */
export async function withProgress<T>(io: CliIO, what: string, step: () => Promise<T>): Promise<T> {
  if (!io.stderrIsTTY) return step();
  const started = Date.now();
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let i = 0;
  const draw = () => io.stderr(`\r\x1b[K${frames[i++ % frames.length]} ${what}… ${((Date.now() - started) / 1000).toFixed(1)} s`);
  draw();
  const timer = setInterval(draw, 100);
  try {
    return await step();
  } finally {
    clearInterval(timer);
    io.stderr('\r\x1b[K');
  }
}
