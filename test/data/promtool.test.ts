// The OpenMetrics loader against promtool 2.42 itself: for each small file, promtool accepts it
// exactly when the loader reports no error, and when it does, the TSDB it writes (read back with
// `promtool tsdb dump`) holds exactly the series and samples the loader returns.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seriesKey } from '../../server/src/core/evaluate/series.js';
import { loadOpenMetrics } from '../../server/src/node/data/index.js';
import { formatPromFloat } from '../../server/src/node/data/numbers.js';
import { isSeriesTextError, parseSeriesText } from '../../server/src/node/data/series-text.js';
import { prometheusBinaries } from '../helpers/prometheus.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pace-promtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** promtool's verdict and, when it accepts the file, its samples as sorted `key value ms` lines. */
function promtool(file: string): { ok: boolean; samples: string[]; stderr: string } {
  const { promtool } = prometheusBinaries();
  const out = `${file}.tsdb`;
  const create = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, out], { encoding: 'utf8', timeout: 20_000 });
  if (create.status !== 0) return { ok: false, samples: [], stderr: create.stderr };
  mkdirSync(path.join(out, 'wal'), { recursive: true }); // dump opens the (absent) WAL of a backfilled dir
  const dump = spawnSync(promtool, ['tsdb', 'dump', '--min-time=0', out], { encoding: 'utf8', timeout: 20_000 });
  expect(dump.status, dump.stderr).toBe(0);
  const samples = dump.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const r = parseSeriesText(l, 0, true); // {__name__="x", a="1"} value ms
      if (isSeriesTextError(r)) throw new Error(`cannot read promtool's dump line ${l}: ${r.error}`);
      const [value, ms] = l.slice(r.end).trim().split(' ');
      return `${seriesKey(r.metric, r.labels)} ${formatPromFloat(Number(value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : value))} ${ms}`;
    });
  return { ok: true, samples: samples.sort(), stderr: '' };
}

const CASES: Record<string, string> = {
  typed: '# HELP x_seconds Help text.\n# TYPE x_seconds histogram\n# UNIT x_seconds seconds\nx_seconds_bucket{le="0.5"} 1 1790812800\nx_seconds_bucket{le="+Inf"} 2 1790812800\nx_seconds_count 2 1790812800.25\nx_seconds_sum 0.75 1790812800.25\n# EOF\n',
  escapes: 'x{a="q\\"b\\\\c\\nd\\te",b="",c="ü"} 1 1790812800\n# EOF\n',
  specials: 'x NaN 1790812800\nx +Inf 1790812860\nx -inf 1790812920\nx Infinity 1790812980\nx -1.5e-3 1790813040\n# EOF\n',
  'eof without newline': 'x 1 1790812800\n# EOF',
  'truncated milliseconds': 'x 1 1790812800.0009\nx 2 1790812800.0015\nx 3 1790812800.123456\n# EOF\n',
  'out of order in a block': 'x 1 1790812860\nx 2 1790812800\nx 3 1790812920\n# EOF\n',
  'out of order across blocks': 'x 1 1790820000\nx 2 1790812800\nx 3 1790820060\n# EOF\n',
  'duplicate timestamps': 'x 1 1790812800\nx 2 1790812800\nx 1 1790812800\nx 3 1790812860\n# EOF\n',
  exemplar: 'x_total 1 1790812800 # {trace="a"} 0.5 1790812799\nx_total 2 1790812860 # {} 1\n# EOF\n',
  'empty labels': 'x{} 1 1790812800\n# EOF\n',
  'no eof': 'x 1 1790812800\n',
  'blank line after eof': 'x 1 1790812800\n# EOF\n\n',
  'blank line': 'x 1 1790812800\n\nx 2 1790812860\n# EOF\n',
  comment: '# a comment\nx 1 1790812800\n# EOF\n',
  'no timestamp': 'x 1\n# EOF\n',
  'spaces in labels': 'x{a="1", b="2"} 1 1790812800\n# EOF\n',
  'trailing comma': 'x{a="1",} 1 1790812800\n# EOF\n',
  'trailing space': 'x 1 1790812800 \n# EOF\n',
  'two spaces': 'x  1 1790812800\n# EOF\n',
  'colon in label name': 'x{a:b="1"} 1 1790812800\n# EOF\n',
  hex: 'x 0x10 1790812800\n# EOF\n',
  '+NaN': 'x +NaN 1790812800\n# EOF\n',
  'out of range': 'x 1e400 1790812800\n# EOF\n',
  'comma decimal': 'x 1,5 1790812800\n# EOF\n',
  'NaN timestamp': 'x 1 NaN\n# EOF\n',
  'bad type': '# TYPE x foo\nx 1 1790812800\n# EOF\n',
  'help without text': '# HELP x\nx 1 1790812800\n# EOF\n',
  'unit not a suffix': '# UNIT x_total seconds\nx_total 1 1790812800\n# EOF\n',
  'duplicate label': 'x{a="1",a="2"} 1 1790812800\n# EOF\n',
  'windows line ends': 'x 1 1790812800\r\n# EOF\r\n',
  'exemplar on a gauge': 'x 1 1790812800 # {a="1"} 1\n# EOF\n',
  'unclosed label value': 'x{a="1} 1 1790812800\n# EOF\n',
};

describe('promtool 2.42 agrees with the OpenMetrics loader', () => {
  let n = 0;
  for (const [name, text] of Object.entries(CASES)) {
    it(name, async () => {
      const file = path.join(dir, `case${n++}.om`);
      writeFileSync(file, text);
      const ours = await loadOpenMetrics(file);
      const errors = ours.issues.filter((i) => i.severity === 'error');
      const theirs = promtool(file);
      expect(errors.length === 0, `promtool ${theirs.ok ? 'accepts' : `rejects (${theirs.stderr.trim()})`}; we report ${JSON.stringify(errors)}`).toBe(theirs.ok);
      if (!theirs.ok) return;
      const samples = ours.series.flatMap((s) => [...s.t].map((t, i) => `${seriesKey(s.metric, s.labels)} ${formatPromFloat(s.v[i])} ${t}`)).sort();
      expect(samples).toEqual(theirs.samples);
    });
  }
});
