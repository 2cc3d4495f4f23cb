// The commands that need a project without errors (preview, report, generate) analyse it the same
// way: a project with errors, or a pace.yaml that does not validate, is reported as `pace check`
// prints it, on stderr, with the command's own last line; exit 1 (2 for pace.yaml).
import * as fs from 'node:fs';
import pkg from '../../../package.json';
import { LineIndex, type Analysis, type IssueLocation, type PreviewIssue, type SourceMap } from '../core/index.js';
import { loadWorkspace, toPath, toUri, type ProjectOnDisk } from '../node/project.js';
import type { CliIO } from './main.js';
import { render, type ReportFile } from './report.js';

/** The project's analysis, or the exit code after its errors were printed (`refusal` is the last line, e.g. "a project with errors is not previewed"). */
export function checkedAnalysis(project: ProjectOnDisk, io: CliIO, display: (file: string) => string, refusal: string): { analysis: Analysis } | { code: number } {
  const analysis = loadWorkspace(project).analyze();
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length && !project.configDiagnostics.length) return { analysis };
  const files = new Map<string, ReportFile>();
  if (project.configPath) files.set(toUri(project.configPath), { display: display(project.configPath), uri: toUri(project.configPath), text: fs.readFileSync(project.configPath, 'utf8') });
  for (const [uri, f] of analysis.files) files.set(uri, { display: display(toPath(uri)), uri, text: f.text });
  io.stderr(render('text', { diagnostics: [...analysis.diagnostics], files, fileCount: analysis.files.size, color: false, toolVersion: pkg.version }));
  io.stderr(`pace: ${refusal}\n`);
  return { code: project.configDiagnostics.length ? 2 : 1 };
}

/** Where a preview issue's subject was declared (`file:line:col`), with line indexes built once per file. */
export function issueLocator(analysis: Analysis, sourceMap: SourceMap, display: (file: string) => string): (i: PreviewIssue) => IssueLocation | undefined {
  const lineIndexes = new Map<string, LineIndex>();
  return (i) => {
    const loc = i.subject ? sourceMap.get(i.subject) : undefined;
    const text = loc && analysis.files.get(loc.uri)?.text;
    if (!loc || text === undefined) return undefined;
    let li = lineIndexes.get(loc.uri);
    if (!li) lineIndexes.set(loc.uri, (li = new LineIndex(text)));
    const p = li.position(loc.range.start);
    return { file: display(toPath(loc.uri)), line: p.line + 1, column: p.character + 1 };
  };
}
