// How the parser picks an alternative (Chevrotain's lookahead strategy, the parser's one hot path
// that is not ours). Chevrotain's own LL(k) strategy computes each alternation's lookahead paths at
// parser construction, and so does this one, through the same public getLookaheadPaths; what differs
// is the function that runs at every OR. An alternation with a GATE on any alternative (most of ours:
// `value`, `member`, `requiredValue`) gets from Chevrotain a loop over every alternative and every
// path, after copying the GATEs into a new array, at every call: about a tenth of the parse. Here
// every alternation dispatches on the next token's type to the (alternative, path) pairs whose first
// token it can be, in the grammar's order; only those pairs' GATEs and later tokens are looked at.
//
// The choice is the same as Chevrotain's: the first alternative, in order, whose GATE (when it has
// one) holds and one of whose paths matches the next tokens, a token matching a path's type or one
// of that type's categories (GATEs are pure reads of the parser state, so calling fewer of them
// changes nothing). test/grammar/lookahead.test.ts parses a corpus with both strategies and compares.
// Optional productions (OPTION, MANY…) keep Chevrotain's functions, which are already a table lookup
// when one token decides.
import { getLookaheadPaths, LLkLookaheadStrategy, type IOrAlt, type Rule, type TokenType } from 'chevrotain';

interface Candidate {
  readonly alt: number;
  /** The path's first token type (the dispatch table has matched it); undefined for an empty path. */
  readonly first: TokenType | undefined;
  /** The path's token types after the first. */
  readonly rest: readonly TokenType[];
}

/** Whether a token of type index `idx` matches `type` (itself or one of its categories). */
function matches(idx: number | undefined, type: TokenType): boolean {
  return idx === type.tokenTypeIdx || (type.categoryMatchesMap !== undefined && idx !== undefined && type.categoryMatchesMap[idx] === true);
}

export class DispatchLookaheadStrategy extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: {
    prodOccurrence: number;
    rule: Rule;
    maxLookahead: number;
    hasPredicates: boolean;
    dynamicTokensEnabled: boolean;
  }): (orAlts?: IOrAlt<unknown>[] | undefined) => number | undefined {
    if (options.dynamicTokensEnabled) return super.buildLookaheadForAlternation(options);
    const alts = getLookaheadPaths({ occurrence: options.prodOccurrence, rule: options.rule, prodType: 'Alternation', maxLookahead: options.maxLookahead });
    // Every (alternative, path) in the grammar's order; a path of no token (an alternative that may
    // match nothing) matches whatever comes next.
    const all: Candidate[] = [];
    const starts = new Set<number>();
    alts.forEach((paths, alt) => {
      for (const path of paths) {
        all.push({ alt, first: path[0], rest: path.slice(1) });
        if (path.length) for (const idx of [path[0].tokenTypeIdx!, ...(path[0].categoryMatches ?? [])]) starts.add(idx);
      }
    });
    // token type index → the candidates a token of that type can start, in order; any other type
    // can start only the empty paths.
    const table: Candidate[][] = [];
    for (const idx of starts) table[idx] = all.filter((c) => c.first === undefined || matches(idx, c.first));
    const onlyEmpty = all.filter((c) => c.first === undefined);

    return function (this: { LA(i: number): { tokenTypeIdx?: number } }, orAlts?: IOrAlt<unknown>[]): number | undefined {
      const candidates = table[this.LA(1).tokenTypeIdx!] ?? onlyEmpty;
      let refused = -1;
      for (let c = 0; c < candidates.length; c++) {
        const { alt, rest } = candidates[c];
        if (alt === refused) continue;
        const gate = orAlts?.[alt]?.GATE;
        if (gate !== undefined && gate.call(this) === false) {
          refused = alt;
          continue;
        }
        let ok = true;
        for (let j = 0; j < rest.length; j++)
          if (!matches(this.LA(j + 2).tokenTypeIdx, rest[j])) {
            ok = false;
            break;
          }
        if (ok) return alt;
      }
      return undefined;
    };
  }
}
