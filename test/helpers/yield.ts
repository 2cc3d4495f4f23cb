// Letting a long synchronous test breathe: see test/setup/each-file.ts for why a vitest worker must
// return to its event loop at least every few seconds.

/** Resolves after one turn of the event loop (its poll phase included). */
export function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `turnEventLoop()` at most every `everyMs` (default 1 s): call it in a long loop and await it. */
export function breather(everyMs = 1000): () => Promise<void> | undefined {
  let last = Date.now();
  return () => {
    const now = Date.now();
    if (now - last < everyMs) return undefined;
    last = now;
    return turnEventLoop();
  };
}
