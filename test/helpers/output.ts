// A target's output as plain data: its files' paths and texts (the large targets' texts are getters
// on a class's prototype, output.ts renderedFile, so toEqual of the outputs themselves would compare
// the functions that render them, not their text).
import type { TargetOutput } from '../../server/src/core/generate/output.js';

export function plainOutput(out: TargetOutput): { target: string; files: { path: string; text: string }[]; notes: string[] } {
  return { target: out.target, files: out.files.map((f) => ({ path: f.path, text: f.text })), notes: out.notes };
}
