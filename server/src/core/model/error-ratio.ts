// The error ratio of a ratio SLI as PromQL, derived from the model's selectors: the expression the
// generators use (and the editor shows on hover). `$window` stands for the rate window, as in the
// raw PromQL of `promql` SLIs.
import type { Selector } from './model.js';

/** `1 - sum(rate(good[$window])) / sum(rate(total[$window]))`, or `sum(rate(bad…)) / sum(rate(total…))`. */
export function ratioErrorExpression(sli: { readonly good?: Selector; readonly bad?: Selector; readonly total?: Selector }, window = '$window'): string | undefined {
  if (!sli.total || (!sli.good && !sli.bad)) return undefined;
  const rate = (s: Selector) => `sum(rate(${s.text}[${window}]))`;
  return sli.bad ? `${rate(sli.bad)} / ${rate(sli.total)}` : `1 - ${rate(sli.good!)} / ${rate(sli.total)}`;
}
