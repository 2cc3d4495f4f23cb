// The language server's young generation, capped at 16 MB (two 8 MB semi-spaces), as
// `node --max-semi-space-size=8` would: the server cannot choose the flags it is started with
// (`pace lsp --stdio`, an editor's `node server.cjs --stdio`).
//
// Why: V8 grows the young generation (doubling, up to two 16 MB semi-spaces on 64-bit) while much of
// what it allocates survives, and never gives it back in a process that then goes idle. Indexing a
// project is exactly that: its trees and tables survive, so a 1,000-service project left the server
// with 32 MB of semi-spaces (a quarter of its memory) for garbage it no longer makes. Measured on that
// project (bench/lsp-mem.mjs --edits 40): 8 MB semi-spaces keep 14 MB less resident with the same CPU
// time for opening the project and for 40 edits; 4 MB or less costs CPU (more objects promoted, more
// full collections), so 8 it is.
//
// How: the growth factor (`--semi-space-growth-factor`, read by V8 each time it grows the young
// generation) is set to 1 once the young generation has reached the cap. V8 grows it at most once
// per 8 MB that survive at that size, and the checks run between units of work (each file read from
// disk, each analysis), so it cannot grow past the cap in between. The factor is process-wide: the
// preview worker's young generation stays at the size it starts with, which its work (typed arrays
// of samples) hardly notices (test/lsp/preview.test.ts; a preview's time is in the server's log).
// Started with a young-generation flag of its own (VS Code's --max-semi-space-size=32, or one in
// NODE_OPTIONS), the server leaves V8 alone: whoever chose the flag chose speed.
import * as v8 from 'node:v8';

/** The young generation's size (both semi-spaces) at which it stops growing. */
export const YOUNG_GENERATION_CAP = 16 * 1024 * 1024;

const FLAG = /--(max-semi-space-size|semi-space-growth-factor|max-young-generation-size|optimize-for-size)\b/;

let state: 'watching' | 'capped' | 'off' = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => FLAG.test(a)) ? 'off' : 'watching';

/** Caps the young generation once it has reached YOUNG_GENERATION_CAP. Cheap: call it between units of work. */
export function capYoungGeneration(): void {
  if (state !== 'watching') return;
  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (!young || young.space_size < YOUNG_GENERATION_CAP) return;
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  state = 'capped';
}

/** Whether the cap is set (tests, logs). */
export function youngGenerationCapped(): boolean {
  return state === 'capped';
}
