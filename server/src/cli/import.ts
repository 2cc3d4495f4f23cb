// `pace import openslo|sloth FILE... [--out DIR] [--force]`: another tool's YAML → a Pace project
// (docs/import.md). The core imports, prints and checks (core/import-project.ts); this reads the
// files, prints the messages (`file:line:col: severity: message`, as compilers do) and writes the
// project into --out (default: the working folder), each file atomically. Nothing is written when
// any error was found, nor over an existing file unless --force.
// Exit codes: 0 done, 1 errors in the input, 2 usage or IO error, or a file in the way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMPORT_FORMATS, importProject, importTooLargeMessage, MAX_IMPORT_CHARS, type ImportFormat, type ImportMessage } from '../core/index.js';
import { writeFileAtomic } from '../node/project.js';
import type { CliIO } from './main.js';

export interface ImportOptions {
  readonly out?: string;
  readonly force?: boolean;
}

export interface ImportHost {
  readonly display: (file: string) => string;
  readonly usage: (message: string) => Error;
}

export function messageLine(m: ImportMessage): string {
  const where = m.file ? (m.line > 0 ? `${m.file}:${m.line}:${m.column}: ` : `${m.file}: `) : '';
  return `${where}${m.severity}: ${m.message}\n`;
}

export function importCommand(format: string, files: string[], opts: ImportOptions, io: CliIO, host: ImportHost): number {
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw host.usage(`unknown format '${format}' (known: ${IMPORT_FORMATS.join(', ')})`);
  if (!files.length) throw host.usage(`pace import ${format} needs at least one file`);
  // Sizes first: a file too large to import is refused before anything is read (bounded memory).
  const size = files.reduce((n, f) => n + fs.statSync(path.resolve(io.cwd, f)).size, 0);
  if (size > MAX_IMPORT_CHARS) {
    io.stderr(`pace: ${importTooLargeMessage(size)}; nothing was written\n`);
    return 2;
  }
  const sources = files.map((f) => {
    const abs = path.resolve(io.cwd, f);
    return { name: host.display(abs), text: fs.readFileSync(abs, 'utf8') };
  });
  const { files: out, messages } = importProject(format as ImportFormat, sources);
  for (const m of messages) io.stderr(messageLine(m));
  const errors = messages.filter((m) => m.severity === 'error').length;
  if (errors) {
    io.stderr(`pace: ${errors} error${errors === 1 ? '' : 's'}; nothing was written\n`);
    return 1;
  }
  const dir = path.resolve(io.cwd, opts.out ?? '.');
  const targets = [...out].map(([name, text]) => ({ file: path.join(dir, ...name.split('/')), text }));
  const inTheWay = targets.filter((t) => fs.existsSync(t.file) && fs.readFileSync(t.file, 'utf8') !== t.text);
  if (inTheWay.length && !opts.force) {
    for (const t of inTheWay) io.stderr(`pace: ${host.display(t.file)} exists; not overwritten (use --force)\n`);
    io.stderr('pace: nothing was written\n');
    return 2;
  }
  for (const t of targets) {
    fs.mkdirSync(path.dirname(t.file), { recursive: true });
    writeFileAtomic(t.file, t.text);
    io.stdout(`created ${host.display(t.file)}\n`);
  }
  io.stdout(`${host.display(dir)}: ${targets.length} file${targets.length === 1 ? '' : 's'} from ${sources.length} ${format} file${sources.length === 1 ? '' : 's'}; run pace check ${host.display(dir)}\n`);
  return 0;
}
