// A label regex as Prometheus reads it: RE2 (re2js, a port of Go's engine: linear time, no
// backtracking, so `(a+)+$` on a long value cannot hang), anchored at both ends as
// `labels.NewFastRegexMatcher` anchors it (`^(?:re)$`). RE2 decides what is valid, with its own
// messages: it rejects look-arounds and back-references and accepts `(?P<name>…)`, `\pL`,
// `[[:alpha:]]`, `\z`, `\Q…\E`, which JavaScript rejects or reads otherwise. Each distinct pattern is
// compiled once (the checker, the evaluator and every SLI repeat a few patterns).
import { RE2JS } from 're2js';

export interface PromRegex {
  /** Whether the whole value matches (the anchored pattern). */
  matches(value: string): boolean;
}

type Compiled = PromRegex | { readonly error: string };

const cache = new Map<string, Compiled>();
/** Distinct patterns kept; past this the cache starts again (user input cannot grow it forever). */
const MAX_PATTERNS = 10_000;
/** Distinct values remembered per pattern: label values repeat across series and instants. */
const MAX_VALUES = 256;

/** The compiled anchored regex, or why RE2 rejects the pattern. */
export function promRegex(pattern: string): Compiled {
  let c = cache.get(pattern);
  if (c === undefined) {
    c = compile(pattern);
    if (cache.size >= MAX_PATTERNS) cache.clear();
    cache.set(pattern, c);
  }
  return c;
}

/** Why RE2 (as Prometheus compiles a matcher) rejects the pattern, or undefined when it accepts it. */
export function re2Error(pattern: string): string | undefined {
  const c = promRegex(pattern);
  return 'error' in c ? c.error : undefined;
}

function compile(pattern: string): Compiled {
  // Prometheus 2.42 compiles the anchored pattern and also parses the pattern alone (for its
  // prefix optimisations): both must be valid, so `a)|(b`, valid once wrapped, is rejected. The
  // pattern alone goes first: its message quotes only the user's text ("missing closing ]: `[`").
  let re: RE2JS;
  try {
    RE2JS.compile(pattern);
    re = RE2JS.compile(`^(?:${pattern})$`);
  } catch (e) {
    return { error: explain(pattern, e) };
  }
  const seen = new Map<string, boolean>();
  return {
    matches(value: string): boolean {
      let m = seen.get(value);
      if (m === undefined) {
        m = re.matches(value);
        if (seen.size >= MAX_VALUES) seen.clear();
        seen.set(value, m);
      }
      return m;
    },
  };
}

/** RE2's message without its "error parsing regexp: " prefix, and a hint for two Perl features people reach for. */
function explain(pattern: string, e: unknown): string {
  let message = (e instanceof Error ? e.message : String(e)).replace(/^error parsing regexp: /, '');
  if (/\(\?<?[=!]/.test(pattern)) message += '; RE2 has no look-arounds';
  else if (/(^|[^\\])(\\\\)*\\[1-9]/.test(pattern)) message += '; RE2 has no back-references';
  return message;
}
