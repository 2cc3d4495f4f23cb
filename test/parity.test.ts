// One pipeline, two front-ends: `pace check` and the language server report the same diagnostics
// (code, severity, range) for the same files. Run on the samples and on every broken sample.
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../server/src/cli/main.js';
import { LspClient, ROOT } from './helpers/lsp-harness.js';

interface Row {
  file: string;
  code: string;
  severity: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

async function cli(dir: string): Promise<Row[]> {
  let out = '';
  await main(['check', '.', '--format', 'json'], { stdout: (s) => (out += s), stderr: () => undefined, cwd: path.join(ROOT, dir), env: {}, isTTY: false });
  return (JSON.parse(out).diagnostics as Row[]).map((d) => ({ file: d.file, code: d.code, severity: d.severity, range: d.range }));
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];
const clients: LspClient[] = [];
afterAll(async () => {
  for (const c of clients) await c.stop();
});

describe('CLI and language server agree', () => {
  for (const dir of ['samples', 'samples/broken']) {
    it(dir, async () => {
      const expected = await cli(dir);
      // Every file of the project, with or without diagnostics (the server publishes an empty list for clean ones).
      const files = (await import('../server/src/node/project.js')).readProject(path.join(ROOT, dir)).files.map((f) => path.relative(path.join(ROOT, dir), f).split(path.sep).join('/'));
      expect(files.length).toBeGreaterThan(5);
      const c = await LspClient.start({ folder: path.join(ROOT, dir) });
      clients.push(c);
      const actual: Row[] = [];
      for (const f of files) {
        const ds = await c.waitForDiagnostics(f, { timeout: 20_000 });
        for (const d of ds) actual.push({ file: f, code: String(d.code), severity: SEVERITY[d.severity ?? 1], range: d.range });
      }
      const key = (r: Row) => `${r.file}:${r.range.start.line}:${r.range.start.character}-${r.range.end.line}:${r.range.end.character} ${r.severity} ${r.code}`;
      expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
      if (dir === 'samples') expect(expected).toEqual([]);
      else expect(expected.length).toBeGreaterThan(30);
    }, 60_000);
  }
});
