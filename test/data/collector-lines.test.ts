// The collector keeps no line number per sample (two-byte deltas in chunks of 4,096 samples, a map
// for the far ones): issues must still name the line each sample was read at, past chunk
// boundaries, after lines far apart, and after a series in two files is sorted and merged.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSampleData } from '../../server/src/node/data/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pace-lines-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('issue lines without a line per sample', () => {
  it('resets, gaps and NaN found at the end are located at their lines, across chunks and far deltas', async () => {
    const lines = ['# TYPE a counter', '# TYPE b gauge'];
    const want: { code: string; line: number }[] = [];
    let v = 0;
    let t = 1_700_000_000;
    for (let i = 0; i < 9000; i++) {
      t += i === 7000 ? 3600 : 60;
      v = i === 4096 || i === 8191 ? 1 : v + 5;
      // Series b fills 70,000 lines between two samples of a: a's delta does not fit two bytes.
      if (i === 5000) for (let j = 0; j < 70_000; j++) lines.push(`b ${j} ${t - 1 + j / 100_000}`);
      lines.push(`a_total ${i === 8500 ? 'NaN' : v} ${t}`);
      const line = lines.length;
      if (i === 4096 || i === 8191) want.push({ code: 'data/counter-reset', line });
      if (i === 7000) want.push({ code: 'data/gap', line });
      if (i === 8500) want.push({ code: 'data/non-finite', line });
    }
    lines.push('# EOF');
    const file = path.join(dir, 'long.om');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const data = await loadSampleData([file]);
    const got = data.issues.filter((i) => i.series?.startsWith('a_total')).map((i) => ({ code: i.code, line: i.line }));
    // The NaN is not a reset: the counter's next value compares with the last finite one.
    expect(got.sort((x, y) => (x.line ?? 0) - (y.line ?? 0))).toEqual(want);
    expect(data.series.find((s) => s.metric === 'a_total')!.t.length).toBe(9000);
  });

  it('a series merged from two files: the dropped duplicate and a reset in the merged order name their own file and line', async () => {
    const one = ['# TYPE c counter'];
    const two = ['# TYPE c counter', '# HELP c more'];
    for (let i = 0; i < 5000; i++) one.push(`c_total ${10 + i} ${1000 + i * 60}`);
    // The second file repeats one timestamp of the first (a duplicate), and goes down once (a reset).
    two.push(`c_total ${10 + 100} ${1000 + 100 * 60}`); // line 3: the same sample
    two.push(`c_total 3 ${1000 + 5000 * 60}`); // line 4: lower than the first file's last value
    fs.writeFileSync(path.join(dir, 'one.om'), `${one.join('\n')}\n# EOF\n`);
    fs.writeFileSync(path.join(dir, 'two.om'), `${two.join('\n')}\n# EOF\n`);
    const data = await loadSampleData([path.join(dir, 'one.om'), path.join(dir, 'two.om')]);
    const issues = data.issues.filter((i) => i.code === 'data/duplicate-sample' || i.code === 'data/counter-reset').map((i) => ({ code: i.code, file: path.basename(i.file ?? ''), line: i.line }));
    expect(issues).toEqual(expect.arrayContaining([
      { code: 'data/duplicate-sample', file: 'two.om', line: 3 },
      { code: 'data/counter-reset', file: 'two.om', line: 4 },
    ]));
    const s = data.series.find((x) => x.metric === 'c_total')!;
    expect(s.t.length).toBe(5001);
    expect(s.v[5000]).toBe(3);
  });
});
