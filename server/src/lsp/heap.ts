// The language server's young generation while it indexes and reads a project: capped at 16 MB (two
// 8 MB semi-spaces, as `node --max-semi-space-size=8` would) until the first edit. The server cannot
// choose the flags it is started with (`pace lsp --stdio`, an editor's `node server.cjs --stdio`).
//
// Why: V8 grows the young generation (doubling, up to two 16 MB semi-spaces on 64-bit) while much of
// what it allocates survives, and does not give it back when the process then goes idle. Indexing a
// project is exactly that: its trees and tables survive, so opening the 1,000-service project left the
// server with 32 MB of semi-spaces, a quarter of its memory, for garbage it no longer makes. Capped at
// 16 MB: 14 MB less resident with the same CPU time to open the project (bench/lsp-mem.mjs; at 8 MB
// the trees are promoted sooner and the old generation grows by as much). Editing is different: every
// change re-analyses the project, and a smaller young generation promotes more of each analysis'
// temporaries: with the cap kept for good, the soak (test/lsp/soak.test.ts) failed its +10% memory
// bound in two runs of three. So the first edit hands the young generation back to V8's own policy.
//
// How: the growth factor (`--semi-space-growth-factor`, read by V8 each time it grows the young
// generation) is 1 once the young generation has reached the cap. V8 grows it at most once per 8 MB
// that survive at that size, and the checks run between units of work (each file read from disk,
// each analysis), so it does not grow past the cap in between. The factor is process-wide: a preview
// worker started meanwhile keeps its first young generation until the first edit.
// Started with a young-generation flag of its own (say --max-semi-space-size=32 from an editor's
// command, or one in NODE_OPTIONS), the server leaves V8 alone: whoever chose the flag chose speed.
import * as v8 from 'node:v8';

/** The young generation's size (both semi-spaces) at which it stops growing while the server only reads. */
export const YOUNG_GENERATION_CAP = 16 * 1024 * 1024;

/** V8's own growth factor (node --v8-options). */
const V8_GROWTH_FACTOR = 2;

const FLAG = /--(max-semi-space-size|semi-space-growth-factor|max-young-generation-size|optimize-for-size)\b/;

let state: 'watching' | 'capped' | 'off' = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => FLAG.test(a)) ? 'off' : 'watching';
let log: (message: string) => void = () => undefined;

/** Where the two changes of policy are logged (the server's output channel). */
export function logHeapPolicy(to: (message: string) => void): void {
  log = to;
}

/** Caps the young generation once it has reached YOUNG_GENERATION_CAP (until the first edit). Cheap: call it between units of work. */
export function capYoungGeneration(): void {
  if (state !== 'watching') return;
  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (!young || young.space_size < YOUNG_GENERATION_CAP) return;
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  state = 'capped';
  log(`Pace: the young generation stays at ${YOUNG_GENERATION_CAP / 1048576} MB until the first edit.`);
}

/** An open document was edited: V8's own young-generation policy from now on. */
export function releaseYoungGeneration(): void {
  if (state === 'capped') {
    v8.setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
    log("Pace: an edit: the young generation follows V8's own policy again.");
  }
  state = 'off';
}

/** `watching` until the cap is reached, `capped` until the first edit, then `off` (also when started with a young-generation flag). */
export function youngGenerationState(): 'watching' | 'capped' | 'off' {
  return state;
}
