// What Prometheus's rule manager makes of an alert expression's truth, written out for the tests
// that compare Pace's backtest with a real Prometheus: a firing starts once the expression has been
// true for `for` (at a step of the grid) and resolves at the first step it is false again.

/** Alert firings from the steps (Unix ms, every `stepMs` from `gridStart` to `gridEnd`) where the expression is true. */
export function firings(trueSteps: ReadonlySet<number>, gridStart: number, gridEnd: number, forMs: number, stepMs = 60_000): { firedAt: number; resolvedAt: number | null }[] {
  const out: { firedAt: number; resolvedAt: number | null }[] = [];
  let runStart: number | undefined;
  let fired: number | undefined;
  for (let t = gridStart; t <= gridEnd; t += stepMs) {
    if (trueSteps.has(t)) {
      runStart ??= t;
      if (fired === undefined && t - runStart >= forMs) fired = t;
      continue;
    }
    if (fired !== undefined) out.push({ firedAt: fired, resolvedAt: t });
    runStart = undefined;
    fired = undefined;
  }
  if (fired !== undefined) out.push({ firedAt: fired, resolvedAt: null });
  return out;
}

/** Equal within 1e-9 relative: the agreement the preview promises with Prometheus. */
export const relClose = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
