// Goldens of the series and issues read from small hand-written files of each format.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatOf, loadCsv, loadOpenMetrics, loadQueryRange, loadSampleData } from '../../server/src/node/data/index.js';
import { parsePromFloat, parseTimestamp } from '../../server/src/node/data/numbers.js';
import { renderSampleData } from './render.js';

const fixtures = path.join(__dirname, 'fixtures');
// Issues name files as the caller named them: relative names keep goldens machine-independent.
const rel = (f: string) => path.relative(process.cwd(), path.join(fixtures, f));

describe('goldens', () => {
  for (const f of ['good.om', 'bad.om', 'noeof.om', 'good.csv', 'bad.csv', 'header.csv', 'good.json', 'bad.json', 'error.json', 'vector.json']) {
    it(f, async () => {
      const data = await loadSampleData([rel(f)]);
      await expect(renderSampleData(data)).toMatchFileSnapshot(path.join(__dirname, '__golden__', `${f}.txt`));
    });
  }
  it('a series in two files is merged, the first file winning a shared timestamp', async () => {
    const data = await loadSampleData([rel('good.csv'), rel('more.csv')]);
    await expect(renderSampleData(data)).toMatchFileSnapshot(path.join(__dirname, '__golden__', 'merged.txt'));
  });
});

describe('loaders', () => {
  it('stores sorted Float64Arrays of ms and values per series, labels sorted without __name__', async () => {
    const { series } = await loadOpenMetrics(rel('good.om'));
    const s = series.find((x) => x.metric === 'http_requests_total' && x.labels.code === '200')!;
    expect(s.t).toBeInstanceOf(Float64Array);
    expect(s.v).toBeInstanceOf(Float64Array);
    expect(Object.keys(s.labels)).toEqual(['code', 'job']);
    expect([...s.t]).toEqual([1790812800000, 1790812860500, 1790812920000, 1790812980000]);
    for (const x of series) for (let i = 1; i < x.t.length; i++) expect(x.t[i]).toBeGreaterThan(x.t[i - 1]);
  });

  it('drops empty label values as Prometheus does', async () => {
    const { series } = await loadOpenMetrics(rel('good.om'));
    const s = series.find((x) => x.labels.code === '500')!;
    expect(s.labels).toEqual({ code: '500', job: 'api' });
    expect(s.t.length).toBe(2);
  });

  it('resolves label value escapes \\\\, \\" and \\n', async () => {
    const { series } = await loadOpenMetrics(rel('good.om'));
    expect(series.find((x) => x.metric === 'temperature')!.labels.room).toBe('a "b" \\ c\nd');
  });

  it('every format reads the same series the same way', async () => {
    const csv = await loadCsv(rel('good.csv'));
    const json = await loadQueryRange(rel('good.json'));
    const a = csv.series.find((x) => x.metric === 'http_requests_total')!;
    const b = json.series.find((x) => x.metric === 'http_requests_total')!;
    expect(a.labels).toEqual(b.labels);
    expect(a.t[0]).toBe(b.t[0]);
  });

  it('chooses the format by extension', () => {
    expect(['a.om', 'a.txt', 'a.PROM', 'a.csv', 'a.json', 'a.yaml'].map(formatOf)).toEqual(['openmetrics', 'openmetrics', 'openmetrics', 'csv', 'query-range', undefined]);
  });

  it('reports unreadable files and unknown formats instead of throwing', async () => {
    const data = await loadSampleData(['does-not-exist.om', 'notes.md']);
    expect(data.issues.map((i) => [i.code, i.file])).toEqual([
      ['data/io', 'does-not-exist.om'],
      ['data/unknown-format', 'notes.md'],
    ]);
  });

  it('caps issues per file and code with one "N more" line', async () => {
    const data = await loadOpenMetrics(rel('bad.om'), { maxIssuesPerCode: 1 });
    const syntax = data.issues.filter((i) => i.code === 'data/syntax');
    expect(syntax).toHaveLength(2);
    expect(syntax[1].message).toMatch(/^\d+ more "data\/syntax" issues not listed \(\d+ in all\)$/);
  });
});

describe('numbers as Prometheus reads them', () => {
  it('floats', () => {
    expect(['1', '-2.5e3', '.5', '1.', 'NaN', 'nan', '+Inf', '-inf', 'Infinity'].map(parsePromFloat)).toEqual([1, -2500, 0.5, 1, NaN, NaN, Infinity, -Infinity, Infinity]);
    for (const bad of ['', '+NaN', '0x10', '1_000', '1e400', '1,5', 'one', ' 1']) expect(typeof parsePromFloat(bad)).toBe('string');
  });
  it('timestamps', () => {
    expect(parseTimestamp('2026-10-01T00:00:00Z')).toBe(Date.UTC(2026, 9, 1));
    expect(parseTimestamp('2026-10-01T02:00:00.1239+02:00')).toBe(Date.UTC(2026, 9, 1) + 123);
    expect(parseTimestamp('1790812800.0005')).toBe(1790812800001);
    for (const bad of ['2026-02-30T00:00:00Z', '2026-10-01', '2026-10-01T00:00:00', 'now']) expect(typeof parseTimestamp(bad)).toBe('string');
  });
});
