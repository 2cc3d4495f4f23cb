// The bad-sample-data catalogue (issue 10, test/data/bad-data-cases.ts): every case is written to
// a temp file and read by the real loader, which must not throw and must report the documented,
// located issue; a selection also goes through `pace preview` (main()), which must show it as
// `file:line: severity code: message` and exit 1 on errors. docs/sample-data.md "Bad data" lists
// every case, with the large files (test/data/huge.test.ts) and the backends
// (test/data/backend-cases.test.ts) of the catalogue.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { DATA_ISSUE_CODES, loadSampleData } from '../../server/src/node/data/index.js';
import { BACKEND_CASES, BAD_DATA_CASES, LARGE_CASES, type BadDataCase } from './bad-data-cases.js';

const root = path.join(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'pace-bad-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(c: BadDataCase): string {
  const file = path.join(dir, c.file);
  writeFileSync(file, c.content);
  return file;
}

describe('bad sample data: each case has a located, documented issue', () => {
  it('has at least 30 cases, with unique names and files, each expecting a known code', () => {
    expect(BAD_DATA_CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(BAD_DATA_CASES.map((c) => c.name)).size).toBe(BAD_DATA_CASES.length);
    expect(new Set(BAD_DATA_CASES.map((c) => c.file)).size).toBe(BAD_DATA_CASES.length);
    for (const c of BAD_DATA_CASES) if (c.code !== 'none') expect(Object.keys(DATA_ISSUE_CODES), c.name).toContain(c.code);
  });

  for (const c of BAD_DATA_CASES) {
    it(`${c.name} (${c.file}): ${c.code === 'none' ? 'loads clean' : c.code}`, async () => {
      const file = write(c);
      const data = await loadSampleData([file]);
      for (const i of data.issues) {
        expect(i.file, `${i.code}: ${i.message}`).toBe(file);
        expect(DATA_ISSUE_CODES[i.code as keyof typeof DATA_ISSUE_CODES].severity === i.severity || i.code === 'data/non-finite' || i.code === 'data/csv-header').toBe(true);
      }
      if (c.code === 'none') {
        expect(data.issues.map((i) => `${i.code}: ${i.message}`)).toEqual([]);
        expect(data.series.length).toBeGreaterThan(0);
        return;
      }
      const found = data.issues.filter((i) => i.code === c.code);
      expect(found.length, data.issues.map((i) => `${i.code}@${i.line}: ${i.message}`).join('\n')).toBeGreaterThan(0);
      const first = found[0];
      expect(first.message).toMatch(c.message);
      expect(first.line).toBe(c.line);
      // The loader never leaves a placeholder or an invisible character in a message.
      for (const i of data.issues) expect(i.message).not.toMatch(/undefined|NaN-|\[object|\uFEFF|\r/);
    });
  }

  it('a huge label set and a 200,000-character label value are kept whole', async () => {
    const labels = await loadSampleData([write(BAD_DATA_CASES.find((c) => c.name === 'huge label set')!)]);
    expect(Object.keys(labels.series[0].labels)).toHaveLength(300);
    const long = await loadSampleData([write(BAD_DATA_CASES.find((c) => c.name === 'very long label value')!)]);
    expect(long.series[0].labels.a).toHaveLength(200_000);
  });

  it('a truncated gzip keeps the samples read before the cut', async () => {
    const data = await loadSampleData([write(BAD_DATA_CASES.find((c) => c.name === 'truncated gzip')!)]);
    expect(data.series).toHaveLength(1);
    expect(data.series[0].t.length).toBeGreaterThan(10);
  });
});

describe('bad sample data through pace preview', () => {
  async function preview(c: BadDataCase) {
    const file = write(c);
    let stdout = '';
    let stderr = '';
    const code = await main(['preview', 'samples', '--data', file], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root, env: {}, isTTY: false });
    return { code, stdout, stderr };
  }
  const picked = ['gap longer than the lookback', 'text in a value', 'byte order mark', 'truncated gzip', '.br that is not brotli', 'query_range status error', 'CSV bad date', 'timestamps in milliseconds', 'empty file'];
  for (const name of picked) {
    const c = BAD_DATA_CASES.find((x) => x.name === name)!;
    it(`${name}: shown in the Notes, located`, async () => {
      const r = await preview(c);
      expect(r.stderr).toBe('');
      const severity = DATA_ISSUE_CODES[c.code as keyof typeof DATA_ISSUE_CODES].severity;
      // The sample project's SLOs find none of their series in these files (errors of their own), so a
      // warning-only case may exit 1 too; an error always does.
      if (severity === 'error') expect(r.code).toBe(1);
      else expect([0, 1]).toContain(r.code);
      const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const where = `${esc(c.file)}${c.line === undefined ? '' : `:${c.line}`}: ${severity} ${esc(c.code)}: `;
      const line = r.stdout.split('\n').find((l) => new RegExp(`${where}`).test(l));
      expect(line, r.stdout.split('Notes')[1]).toBeDefined();
      expect(line!.slice(line!.indexOf(`${c.code}: `) + c.code.length + 2)).toMatch(c.message);
    }, 60_000);
  }
});

describe('docs/sample-data.md "Bad data"', () => {
  const doc = readFileSync(path.join(root, 'docs/sample-data.md'), 'utf8');
  const section = doc.split(/^## Bad data\n/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = [...section.matchAll(/^\| ([^|]+?) \| `([^`]+)` \| (`[^`]+`|none) \|/gm)].map((m) => ({ name: m[1], file: m[2], code: m[3].replace(/`/g, '') }));
  it('lists every case of the catalogue, in order, with its file and code: the small files, the 1 GB files, the backends', () => {
    expect(rows).toEqual([
      ...BAD_DATA_CASES.map((c) => ({ name: c.name, file: c.file, code: c.code })),
      ...LARGE_CASES.map((c) => ({ name: c.name, file: c.file, code: c.code })),
      ...BACKEND_CASES.map((c) => ({ name: c.name, file: `--prometheus URL/${c.path}`, code: 'exit 2' })),
    ]);
  });
});
