// The façade of `pace import`: a format's importer (core/import) gives a model; this prints it as a
// project (one .pace file per service, alerting.pace, objectives.pace, pace.yaml) and checks the
// printed files as `pace check` would, so that what the user gets checks clean. Nothing is returned
// to write when any error was found: no partial output.
import { importerOf, type ImportFormat, type ImportMessage, type ImportSource } from './import/index.js';
import { printModelChecked, printModelFiles } from './model/print.js';
import { Workspace } from './workspace/workspace.js';
import { parseConfig } from './workspace/config.js';

export interface ImportedProject {
  /** Relative path → text; empty when there are errors. */
  readonly files: ReadonlyMap<string, string>;
  readonly messages: readonly ImportMessage[];
}

export function importProject(format: ImportFormat, sources: readonly ImportSource[]): ImportedProject {
  const importer = importerOf(format);
  const none = new Map<string, string>();
  if (!importer) return { files: none, messages: [{ severity: 'error', file: '', line: 0, column: 0, message: `the ${format} importer is not available` }] };
  const result = importer(sources);
  const messages = [...result.messages];
  if (!result.model || messages.some((m) => m.severity === 'error')) return { files: none, messages };
  const { problems } = printModelChecked(result.model);
  for (const p of problems) messages.push({ severity: 'error', file: '', line: 0, column: 0, message: `cannot be written in Pace: ${p}` });
  if (problems.length) return { files: none, messages };
  const files = printModelFiles(result.model);
  // What the user gets must check clean: a diagnostic here is a bug of the importer, said as such.
  const ws = new Workspace();
  const yaml = files.get('pace.yaml');
  if (yaml !== undefined) ws.setConfig(parseConfig('file:///imported/pace.yaml', yaml).config);
  for (const [name, text] of files) if (name.endsWith('.pace')) ws.setFile(`file:///imported/${name}`, text);
  // A warning is the input's own (a suspicious matcher in a query, say): passed on, as `pace check` would say it.
  const diagnostics = ws.analyze().diagnostics;
  let internal = false;
  for (const d of diagnostics) {
    const file = d.uri.replace('file:///imported/', '');
    if (d.severity === 'error') internal = true;
    messages.push(
      d.severity === 'error'
        ? { severity: 'error', file, line: 0, column: 0, message: `internal: the imported project does not check clean: ${d.code}: ${d.message}` }
        : { severity: 'warning', file, line: 0, column: 0, message: `the imported project: ${d.code}: ${d.message}` },
    );
  }
  return internal ? { files: none, messages } : { files, messages };
}
