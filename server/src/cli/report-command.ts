// `pace report`: the periodic service review (docs/report.md). The project is checked and its data
// loaded as `pace preview` does; the core's `review` evaluates the preview at the period's end and
// arranges it; the page is Markdown (default) or one self-contained HTML file, to stdout or
// atomically to --out. (Not to be confused with ./report.ts, the diagnostics renderer.)
// Exit codes: 0 reported, 1 project errors or errors in the data, 2 usage, config or IO error
// (a bad --period, --from or --to; a period the data does not reach).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import pkg from '../../../package.json';
import { parsePeriod, previewCharts, rangePeriod, review, reviewHtml, reviewMarkdown, type IssueLocation, type NormalizedModel, type PreviewIssue, type ReportPeriod, type ReviewResult, type SampleData } from '../core/index.js';
import { loadSampleData } from '../node/data/index.js';
import { configuredDataFiles, readProject, writeFileAtomic } from '../node/project.js';
import type { CliIO } from './main.js';
import { checkedAnalysis, issueLocator } from './checked.js';
import { parseAt, withProgress, type PreviewHost } from './preview.js';

export type ReportFormat = 'markdown' | 'html';

export interface ReportOptions {
  readonly data?: string[];
  readonly period?: string;
  readonly from?: string;
  readonly to?: string;
  readonly format: ReportFormat;
  readonly out?: string;
}

/** The period of the options, given the data's span for an open end; a usage error when wrong. */
export function periodOf(opts: Pick<ReportOptions, 'period' | 'from' | 'to'>, span: { start: number; end: number } | null, usage: (m: string) => Error): ReportPeriod {
  if (opts.period !== undefined && (opts.from !== undefined || opts.to !== undefined)) throw usage('--period and --from/--to exclude each other: name a period, or give its range');
  if (opts.period !== undefined) {
    const p = parsePeriod(opts.period);
    if (p.error !== undefined) throw usage(p.error);
    return p.period;
  }
  const instant = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const ms = parseAt(text);
    if (ms === undefined) throw usage(`${flag} ${text}: expected an RFC 3339 time (2026-10-01T00:00:00Z) or Unix seconds`);
    return ms;
  };
  const from = instant('--from', opts.from) ?? span?.start;
  // Without --to, through the data's last sample (the period is half-open: one millisecond past it).
  const to = instant('--to', opts.to) ?? (span ? span.end + 1 : undefined);
  if (from === undefined || to === undefined) throw usage('the sample data holds no samples: there is nothing to report');
  const p = rangePeriod(from, to);
  if (p.error !== undefined) throw usage(p.error);
  return p.period;
}

function dataSpan(data: SampleData): { start: number; end: number } | null {
  let start = Infinity;
  let end = -Infinity;
  for (const s of data.series) {
    if (!s.t.length) continue;
    start = Math.min(start, s.t[0]);
    end = Math.max(end, s.t[s.t.length - 1]);
  }
  return start <= end ? { start, end } : null;
}

export async function reportCommand(paths: string[], opts: ReportOptions, io: CliIO, host: PreviewHost): Promise<number> {
  const roots = host.roots(paths);
  if (roots.length !== 1) throw host.usage(`pace report takes one project; the paths name ${roots.length}`);
  const root = roots[0];
  // A period that cannot be parsed is refused before anything is loaded.
  if (opts.period !== undefined || (opts.from !== undefined && opts.to !== undefined)) periodOf(opts, null, host.usage);
  else for (const [flag, t] of [['--from', opts.from], ['--to', opts.to]] as const) if (t !== undefined && parseAt(t) === undefined) throw host.usage(`${flag} ${t}: expected an RFC 3339 time (2026-10-01T00:00:00Z) or Unix seconds`);
  const project = readProject(root);
  const checked = checkedAnalysis(project, io, host.display, 'a project with errors is not reported on');
  if ('code' in checked) return checked.code;
  const { analysis } = checked;
  let dataFiles: string[];
  if (opts.data?.length) {
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
  const loaded = await withProgress(io, `Loading sample data (${dataFiles.map((f) => host.display(f)).join(', ')})`, () => loadSampleData(dataFiles));
  const data: SampleData = { series: loaded.series, issues: loaded.issues.map((i) => (i.file === undefined ? i : { ...i, file: host.display(i.file), message: i.message.split(i.file).join(host.display(i.file)) })) };
  const period = periodOf(opts, dataSpan(data), host.usage);
  const { model, sourceMap } = analysis.normalized();
  const r = review(model, data, period);
  if (r.error !== undefined) throw host.usage(r.error);

  const locate = issueLocator(analysis, sourceMap, host.display);
  const generator = `pace ${pkg.version}`;
  const text = opts.format === 'html' ? await renderReportHtml(model, data, r.result, locate) : reviewMarkdown(r.result, { locate, generator });
  if (opts.out) writeFileAtomic(path.resolve(io.cwd, opts.out), text);
  else io.stdout(text);
  return r.result.issues.some((i) => i.severity === 'error') ? 1 : 0;
}

/** The HTML page: the preview's charts, uPlot inlined (./html/assets.ts), a fresh 128-bit nonce. */
export async function renderReportHtml(model: NormalizedModel, data: SampleData, result: ReviewResult, locate?: (i: PreviewIssue) => IssueLocation | undefined, nonce = randomBytes(16).toString('base64')): Promise<string> {
  const { uplotAssets } = await import('./html/assets.js');
  const { script, style } = uplotAssets();
  return reviewHtml(result, previewCharts(model, data, result.preview), { nonce, assets: { script, style }, locate, generator: `pace ${pkg.version}` });
}
