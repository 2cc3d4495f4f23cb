// Bounds on the YAML `pace import` reads (issue 10, "YAML alias bombs and huge documents bounded"):
// - size: a file longer than MAX_IMPORT_CHARS is not parsed (the CLI checks the sizes on disk
//   before reading anything; this bound holds for any other caller);
// - aliases: the importers walk the YAML tree and never expand an alias, so a "billion laughs"
//   costs nothing; an alias is reported where it stands instead of being misread as a wrong type.
import { isAlias, isMap, isPair, isSeq, type LineCounter } from 'yaml';
import type { ImportMessage } from './index.js';

/** The most characters of YAML one import reads (all files together): about 600 MB of memory and 20 s (docs/robustness.md). */
export const MAX_IMPORT_CHARS = 4_000_000;

/** The error for sources longer, together, than MAX_IMPORT_CHARS; undefined when they fit. */
export function tooLarge(sources: readonly { name: string; text: string }[]): ImportMessage | undefined {
  const total = sources.reduce((n, s) => n + s.text.length, 0);
  if (total <= MAX_IMPORT_CHARS) return undefined;
  const biggest = [...sources].sort((a, b) => b.text.length - a.text.length)[0];
  return { severity: 'error', file: biggest.name, line: 1, column: 1, message: importTooLargeMessage(total) };
}

export function importTooLargeMessage(size: number): string {
  return `the YAML to import is ${(size / 1e6).toFixed(1)} MB: pace import reads at most ${MAX_IMPORT_CHARS / 1e6} MB at once (OpenSLO and Sloth files are a few kB each); import the files in smaller groups`;
}

/** A located error at the first alias (`*name`) of a document's tree, if any. */
export function aliasMessage(contents: unknown, file: string, lines: LineCounter): ImportMessage | undefined {
  let found: { range?: [number, number, number]; source: string } | undefined;
  const walk = (n: unknown): void => {
    if (found || !n || typeof n !== 'object') return;
    if (isAlias(n)) found = n as unknown as { range?: [number, number, number]; source: string };
    else if (isMap(n) || isSeq(n)) for (const it of n.items as unknown[]) walk(it);
    else if (isPair(n)) {
      walk(n.key);
      walk(n.value);
    }
  };
  walk(contents);
  if (!found) return undefined;
  const p = lines.linePos(found.range?.[0] ?? 0);
  return { severity: 'error', file, line: p.line, column: p.col, message: `YAML: the alias *${found.source} is not imported (pace import does not expand anchors and aliases): write the value out in full` };
}
