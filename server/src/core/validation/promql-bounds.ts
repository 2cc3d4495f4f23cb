// Bounds on the PromQL the checker hands to Lezer. Lezer's parser is iterative, but past a few
// thousand levels it gives up with a made-up syntax error (it caps its own stack), building and
// walking its tree recurses, and nesting costs it more than linear time (2,000 nested `sum(` take
// about 2 s). Real PromQL nests fewer than ten levels; past MAX_NESTING the expression gets one clear
// error instead, located at the first bracket past the limit, without being parsed.
import { MAX_NESTING } from '../../../../grammar/src/limits.js';

export interface PromqlBoundError {
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

/** Why an expression is not parsed at all (too deeply nested), or undefined. Offsets are the expression's. */
export function promqlBeyondBounds(expr: string): PromqlBoundError | undefined {
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr.charCodeAt(i);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      // A string, with Go's escapes: its brackets are text.
      for (i++; i < expr.length && expr.charCodeAt(i) !== c; i++) if (expr.charCodeAt(i) === 92 /* \ */) i++;
    } else if (c === 96 /* ` */) {
      const j = expr.indexOf('`', i + 1);
      i = j < 0 ? expr.length : j;
    } else if (c === 35 /* # */) {
      const j = expr.indexOf('\n', i);
      i = j < 0 ? expr.length : j;
    } else if (c === 40 /* ( */ || c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_NESTING) return { from: i, to: i + 1, message: `Invalid PromQL: nested deeper than ${MAX_NESTING} levels of '(', '[' and '{' (Pace parses no deeper)` };
    } else if (c === 41 /* ) */ || c === 93 /* ] */ || c === 125 /* } */) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}
