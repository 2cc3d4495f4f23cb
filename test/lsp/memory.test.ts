// The server's young-generation policy (server/src/lsp/heap.ts), end to end on the bundled server:
// indexing a project large enough to grow V8's young generation to the cap stops it there (logged),
// the first edit hands it back to V8, and a server started with a young-generation flag of its own
// (VS Code's --max-semi-space-size=32) is left alone. The memory figures themselves are the LSP bench's
// (bench/lsp-bench.mjs; BENCHMARKS.md).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the bench (no types)
import { generateProject } from '../../bench/gen-project.mjs';
import { LspClient, pos } from '../helpers/lsp-harness.js';

const CAPPED = 'Pace: the young generation stays at 16 MB until the first edit.';
const RELEASED = "Pace: an edit: the young generation follows V8's own policy again.";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pace-lsp-memory-'));
// 300 services in 30 files (about 0.6 MB of Pace): their trees outgrow V8's first young generations.
const project = (generateProject(tmp, 300) as { paceDir: string }).paceDir;
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function indexed(c: LspClient): Promise<void> {
  for (let i = 0; i < 600 && !c.logs.some((l) => l.startsWith('Pace: indexed ')); i++) await new Promise((r) => setTimeout(r, 100));
  await c.waitForDiagnostics('part_000.pace', { timeout: 60_000 });
}

describe("the server's young generation", () => {
  it('stays at 16 MB while the project is indexed and read, and follows V8 again from the first edit', async () => {
    const c = await LspClient.start({ folder: project });
    try {
      await indexed(c);
      expect(c.logs).toContain(CAPPED);
      expect(c.logs).not.toContain(RELEASED);
      // Opening files with their text on disk is reading, not editing.
      await c.open('part_000.pace');
      await c.open('part_001.pace');
      await c.waitForDiagnostics('part_001.pace', { timeout: 60_000 });
      expect(c.logs).not.toContain(RELEASED);
      // An edit: a misspelled key, reported.
      const text = c.text('part_000.pace')!;
      const at = text.indexOf('objective =');
      expect(at).toBeGreaterThan(0);
      const mark = c.mark();
      await c.change('part_000.pace', [{ range: { start: pos(text, at), end: pos(text, at + 'objective'.length) }, text: 'objectiv' }]);
      const ds = await c.waitForDiagnostics('part_000.pace', { after: mark, until: (d) => d.length > 0, timeout: 60_000 });
      expect(ds.some((d) => /objectiv/.test(String(d.message)))).toBe(true);
      expect(c.logs).toContain(RELEASED);
      expect(c.logs.filter((l) => l === CAPPED)).toHaveLength(1);
    } finally {
      await c.stop();
    }
  }, 120_000);

  it('is left to V8 when the server was started with a young-generation flag', async () => {
    const before = process.env.PACE_LSP_NODE_ARGS;
    process.env.PACE_LSP_NODE_ARGS = '--max-semi-space-size=32';
    let c: LspClient | undefined;
    try {
      c = await LspClient.start({ folder: project });
      await indexed(c);
      expect(c.logs.some((l) => l.startsWith('Pace: indexed 30 files'))).toBe(true);
      expect(c.logs).not.toContain(CAPPED);
    } finally {
      if (before === undefined) delete process.env.PACE_LSP_NODE_ARGS;
      else process.env.PACE_LSP_NODE_ARGS = before;
      await c?.stop();
    }
  }, 120_000);
});
