// Letting a vitest worker breathe: see test/setup/each-file.ts for why it must return to its event
// loop well within vitest's 60 s RPC timeout.

/** Resolves after one turn of the event loop (its poll phase included). */
export function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
