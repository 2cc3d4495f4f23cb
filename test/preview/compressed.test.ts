// Compressed sample data: `.om.gz` (gzip) and `.om.br` (Brotli) read exactly as the plain file, a
// corrupt one is a located data/io issue (never a throw), and the format follows the extension
// before the compression's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOf, loadSampleData } from '../../server/src/node/data/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pace-compressed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function omText(lines: number): string {
  const out = ['# TYPE req counter'];
  for (let i = 0; i < lines; i++) out.push(`req_total{code="200"} ${i * 7} ${1_700_000_000 + i * 60}`);
  for (let i = 0; i < lines; i++) out.push(`req_total{code="500"} ${i} ${1_700_000_000 + i * 60}`);
  out.push('# EOF', '');
  return out.join('\n');
}

describe('compressed OpenMetrics', () => {
  // Larger than the line reader's 128 KiB buffer and zlib's 16 KiB chunks.
  const text = omText(20_000);
  const plain = path.join(dir, 'a.om');
  const gz = path.join(dir, 'a.om.gz');
  const br = path.join(dir, 'a.om.br');
  writeFileSync(plain, text);
  writeFileSync(gz, gzipSync(text));
  writeFileSync(br, brotliCompressSync(text));

  it('reads .gz and .br as the plain file', async () => {
    const want = await loadSampleData([plain]);
    expect(want.series.length).toBe(2);
    expect(want.series[0].t.length).toBe(20_000);
    for (const f of [gz, br]) {
      const got = await loadSampleData([f]);
      expect(got.issues).toEqual(want.issues.map((i) => ({ ...i, file: f })));
      expect(got.series.map((s) => [s.metric, s.labels, Array.from(s.t), Array.from(s.v)])).toEqual(want.series.map((s) => [s.metric, s.labels, Array.from(s.t), Array.from(s.v)]));
    }
  });

  it('knows the format under the compression', () => {
    expect(formatOf('x/shop.om.gz')).toBe('openmetrics');
    expect(formatOf('x/shop.OM.BR')).toBe('openmetrics');
    expect(formatOf('x/shop.csv.gz')).toBe('csv');
    expect(formatOf('x/shop.gz')).toBeUndefined();
  });

  it('a corrupt or truncated file is a data/io issue on that file', async () => {
    const bad = path.join(dir, 'bad.om.gz');
    writeFileSync(bad, Buffer.from('this is not gzip at all'));
    const truncated = path.join(dir, 'cut.om.br');
    const whole = brotliCompressSync(text);
    writeFileSync(truncated, whole.subarray(0, whole.length >> 1));
    for (const f of [bad, truncated]) {
      const r = await loadSampleData([f]);
      const io = r.issues.filter((i) => i.code === 'data/io' && i.file === f);
      expect(io.length, JSON.stringify(r.issues)).toBe(1);
      expect(io[0].message).toMatch(/not a valid (gzip|brotli) file/);
    }
    const missing = await loadSampleData([path.join(dir, 'missing.om.gz')]);
    expect(missing.issues.map((i) => i.code)).toEqual(['data/io']);
  });
});
