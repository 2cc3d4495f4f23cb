// Document and range formatting with the core formatter, as minimal line edits (so that the cursor,
// folds and undo history stay where they were). A file with syntax errors is never formatted.
import type { Range } from '../../../../grammar/src/ast.js';
import type { Analysis } from '../workspace/workspace.js';
import type { TextEdit } from '../diagnostics/diagnostic.js';
import { diffArrays } from 'diff';
import { format } from '../format/format.js';
import { fileOf } from './locate.js';

export interface FormattingOptions {
  readonly indent?: number;
}

export function formatting(analysis: Analysis, uri: string, options: FormattingOptions = {}, range?: Range): TextEdit[] {
  const file = fileOf(analysis, uri);
  if (!file || file.syntaxErrors > 0) return [];
  // The edits apply to the text as given: a lone `\r`, which the stages read as `\n`, becomes one.
  const r = format(file.source, { indent: options.indent });
  if (r.skipped || !r.changed) return [];
  const edits = lineEdits(uri, file.source, r.text);
  if (!range) return edits;
  return edits.filter((e) => e.range.start <= range.end && range.start <= e.range.end);
}

/** Edits turning `a` into `b`, line by line (a Myers diff, from the `diff` package): each run of
 *  changed lines is one edit, and a run that replaces as many lines as it removes is split into one
 *  minimal edit per line. */
export function lineEdits(uri: string, a: string, b: string): TextEdit[] {
  const al = splitLines(a);
  const bl = splitLines(b);
  const offsets: number[] = [0];
  for (const l of al) offsets.push(offsets[offsets.length - 1] + l.length);
  // Common leading and trailing lines first: the diff then runs on the changed middle only.
  let pre = 0;
  while (pre < al.length && pre < bl.length && al[pre] === bl[pre]) pre++;
  let suf = 0;
  while (suf < al.length - pre && suf < bl.length - pre && al[al.length - 1 - suf] === bl[bl.length - 1 - suf]) suf++;
  const x = al.slice(pre, al.length - suf);
  const y = bl.slice(pre, bl.length - suf);
  if (!x.length && !y.length) return [];
  const out: TextEdit[] = [];
  const hunk = (i0: number, i1: number, j0: number, j1: number) => {
    if (i1 - i0 === j1 - j0) {
      for (let k = 0; k < i1 - i0; k++) out.push(minimal(uri, offsets[pre + i0 + k], x[i0 + k], y[j0 + k]));
    } else out.push({ uri, range: { start: offsets[pre + i0], end: offsets[pre + i1] }, newText: y.slice(j0, j1).join('') });
  };
  // Past MAX_EDIT_LENGTH changed lines the diff gives up (undefined): one edit then replaces the middle.
  const changes = diffArrays(x, y, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) {
    hunk(0, x.length, 0, y.length);
    return out;
  }
  let i = 0;
  let j = 0;
  for (let k = 0; k < changes.length; ) {
    if (!changes[k].added && !changes[k].removed) {
      i += changes[k].count;
      j += changes[k].count;
      k++;
      continue;
    }
    const i0 = i;
    const j0 = j;
    for (; k < changes.length && (changes[k].added || changes[k].removed); k++) {
      if (changes[k].removed) i += changes[k].count;
      else j += changes[k].count;
    }
    hunk(i0, i, j0, j);
  }
  return out;
}

/** Beyond this many inserted plus deleted lines, a minimal diff is not worth its cost. */
const MAX_EDIT_LENGTH = 1000;

/** One edit for one line: only the part between the common prefix and suffix. */
function minimal(uri: string, start: number, a: string, b: string): TextEdit {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return { uri, range: { start: start + p, end: start + a.length - s }, newText: b.slice(p, b.length - s) };
}

/** Lines with their line breaks, so that joining them gives the text back. */
function splitLines(t: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < t.length) {
    const j = t.indexOf('\n', i);
    if (j < 0) {
      out.push(t.slice(i));
      break;
    }
    out.push(t.slice(i, j + 1));
    i = j + 1;
  }
  return out;
}
