// docs/sample-data.md documents every issue code with its severity, and its examples load clean.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_ISSUE_CODES, loadSampleData } from '../../server/src/node/data/index.js';

const doc = readFileSync(path.join(__dirname, '../../docs/sample-data.md'), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'pace-data-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/sample-data.md', () => {
  it('has a section for every issue code, with its severity, and none for codes that do not exist', () => {
    const sections = [...doc.matchAll(/^### (data\/[a-z0-9-]+)\n\n\*(error|warning|info)/gm)].map((m) => [m[1], m[2]]);
    expect(sections).toEqual(Object.entries(DATA_ISSUE_CODES).map(([code, c]) => [code, c.severity]));
  });

  const ext: Record<string, string> = { openmetrics: 'om', csv: 'csv', json: 'json' };
  const examples = [...doc.matchAll(/^```(openmetrics|csv|json)\n([\s\S]*?)^```$/gm)];
  it('has an example of each format', () => expect(examples.map((m) => m[1])).toEqual(['openmetrics', 'csv', 'json']));
  for (const [i, m] of examples.entries()) {
    it(`its ${m[1]} example loads without issues`, async () => {
      const file = path.join(dir, `example${i}.${ext[m[1]]}`);
      writeFileSync(file, m[2]);
      const data = await loadSampleData([file]);
      expect(data.series.length).toBeGreaterThan(0);
      expect(data.issues.filter((x) => x.code !== 'data/non-finite').map((x) => `${x.code}: ${x.message}`)).toEqual([]);
    });
  }
});
