// User regexes (`=~`, `!~`) are RE2, as Prometheus reads them: linear-time matching (no
// catastrophic backtracking on any pattern), RE2's own verdict on what is valid (with Prometheus
// 2.42's extra rule that the pattern must also parse alone), RE2-only syntax matching what Prometheus
// matches. The verdicts and the matches are confirmed by the real promtool 2.42.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectSeries, type Series } from '../../server/src/core/evaluate/index.js';
import { re2Problem } from '../../server/src/core/validation/structure.js';
import { Workspace } from '../../server/src/core/index.js';
import { prometheusBinaries } from '../helpers/prometheus.js';

const one = (labels: Record<string, string>): Series => ({ metric: 'm', labels, t: Float64Array.of(0), v: Float64Array.of(1) });
const matches = (data: readonly Series[], op: '=~' | '!~', value: string) => selectSeries(data, { metric: 'm', matchers: [{ label: 'v', op, value }] });

describe('catastrophic patterns finish (RE2 does not backtrack)', () => {
  // A backtracking engine takes exponential time on these against a long run of `a`s: each would
  // outlast the test timeout by far. RE2 answers in linear time.
  const long = 'a'.repeat(100_000);
  const data = [one({ v: long }), one({ v: long + 'b' })];
  const cases: [string, boolean, boolean][] = [
    // pattern, matches the `a`s, matches the `a`s then `b`
    ['(a+)+$', true, false],
    ['(a|aa)+b', false, true],
    ['(a|a)+', true, false],
    ['(a*)*b', false, true],
    ['(.*a){20}', true, false],
    ['(a+)+(b+)+c', false, false],
    ['((a?){30}a{30})*', true, false],
  ];
  for (const [pattern, onA, onAB] of cases) {
    it(`${pattern} on 100,000 a's`, () => {
      expect(re2Problem(pattern)).toBeUndefined();
      const got = matches(data, '=~', pattern);
      expect(got.error).toBeUndefined();
      expect(got.series.map((s) => s.labels.v === long)).toEqual([...(onA ? [true] : []), ...(onAB ? [false] : [])]);
      expect(matches(data, '!~', pattern).series).toHaveLength(2 - Number(onA) - Number(onAB));
    });
  }

  it('a long pattern compiles and checks once (cached), whatever the number of series', () => {
    const pattern = Array.from({ length: 500 }, (_, i) => `v${i}|`).join('') + '(a|aa)+';
    const many = Array.from({ length: 20_000 }, (_, i) => one({ v: i % 2 ? long.slice(0, 2_000) : `v${i % 1000}` }));
    const got = matches(many, '=~', pattern);
    // The 10,000 odd series (runs of `a`), and the even ones whose value is v0…v498: 250 of each 1,000, 20 times.
    expect(got.series).toHaveLength(10_000 + 5_000);
  });

  it('the checker answers on the same patterns in a .pace file', () => {
    const ws = new Workspace();
    const text = ['service s {', '  sli x = ratio {', '    bad   = m{a=~"(a+)+$", b=~"(a|aa)+b", c!~"(.*a){20}"}', '    total = m', '  }', '}', ''].join('\n');
    ws.setFile('file:///s.pace', text);
    expect(ws.analyze().diagnosticsFor('file:///s.pace').filter((d) => d.code === 'check/invalid-regex')).toEqual([]);
  });
});

// Patterns RE2 and JavaScript disagree on, and ones Prometheus rejects.
const RE2_ONLY = ['(?P<n>ab)c', '\\pL+', '\\p{Greek}+', '\\PL+', '[[:alpha:]]+', '[[:^digit:]]+', '[[:upper:]][[:lower:]]+', '\\QA.B\\E', 'a\\z', '(?U)a+', '(?i)abc', '(?s:.)+', '\\x{e9}', '[^[:ascii:]]+', '\\Aabc'];
const PORTABLE = ['abc', 'a.c', '.*', '\\d+', '\\w+', '[a-c]+', '(a|b)c?', '', 'x|'];
const REJECTED = ['(?!x).*', 'a(?=b)', '(?<=a)b', '(?<!a)b', '(a)\\1', 'a)|(b', '[', 'a{1001}', 'x**', '\\C', '(', 'a{2,1}'];

describe('RE2 decides what is valid, with its own message', () => {
  it('accepts RE2-only syntax, JavaScript would reject or misread', () => {
    for (const p of [...RE2_ONLY, ...PORTABLE]) expect({ p, problem: re2Problem(p) }).toEqual({ p, problem: undefined });
    // What a JavaScript RegExp would have made of them: an error, or another meaning.
    expect(() => new RegExp('(?P<n>ab)c', 'u')).toThrow();
    expect(() => new RegExp('\\QA.B\\E', 'u')).toThrow();
    expect(new RegExp('^(?:[[:alpha:]]+)$').test('abc')).toBe(false);
    expect(new RegExp('^(?:[[:alpha:]]+)$').test(':]')).toBe(true);
    expect(new RegExp('^(?:a\\z)$').test('az')).toBe(true);
    expect(matches([one({ v: 'az' }), one({ v: 'a' })], '=~', 'a\\z').series.map((s) => s.labels.v)).toEqual(['a']);
  });
  it('rejects what RE2 rejects, in its words', () => {
    for (const p of REJECTED) expect({ p, problem: re2Problem(p) }).toEqual({ p, problem: expect.any(String) });
    expect(re2Problem('(?!x).*')).toBe('invalid or unsupported Perl syntax: `(?!`; RE2 has no look-arounds');
    expect(re2Problem('(a)\\1')).toBe('invalid escape sequence: `\\1`; RE2 has no back-references');
    expect(re2Problem('[')).toBe('missing closing ]: `[`');
    expect(re2Problem('a)|(b')).toBe('unexpected ): `a)|(b`');
    expect(re2Problem('a{1001}')).toBe('invalid repeat count: `{1001}`');
  });
  it('a regex nested 10,000 deep is an error, not a stack overflow', () => {
    expect(re2Problem('('.repeat(10_000) + 'a' + ')'.repeat(10_000))).toBe('expression nests too deeply');
  });
});

describe('promtool 2.42 agrees', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pace-re2-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { promtool } = prometheusBinaries();
  const run = (args: string[]) => spawnSync(promtool, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  // A raw PromQL string (`…`), so the pattern needs no escaping; the YAML scalar is JSON.
  const selector = (op: string, p: string) => `m{v${op}\`${p}\`}`;

  it('on which patterns are valid', () => {
    const verdicts = [...RE2_ONLY, ...PORTABLE, ...REJECTED].map((p, i) => {
      const file = `rules-${i}.yml`;
      writeFileSync(path.join(dir, file), `groups:\n  - name: g\n    rules:\n      - record: x\n        expr: ${JSON.stringify(selector('=~', p))}\n`);
      const r = run(['check', 'rules', file]);
      return { p, prometheus: r.status === 0 ? 'valid' : 'invalid', pace: re2Problem(p) === undefined ? 'valid' : 'invalid', out: r.status === 0 ? '' : r.stdout + r.stderr };
    });
    for (const v of verdicts) expect({ p: v.p, pace: v.pace }, v.out).toEqual({ p: v.p, pace: v.prometheus });
    // The test means something: both kinds occur, and Prometheus names the regex in its errors.
    expect(verdicts.filter((v) => v.prometheus === 'invalid')).toHaveLength(REJECTED.length);
    expect(verdicts.find((v) => v.p === '(?!x).*')?.out).toContain('error parsing regexp');
  });

  it('on which values the valid patterns match', () => {
    const values = ['abc', 'ABC', 'Abc', 'a', 'aaa', 'a.c', 'aXc', 'A.B', 'ab', 'abc1', '123', 'é', 'Ωμέγα', 'Ωmega', 'naïve', 'a_b', 'x', 'A', 'abcabc'];
    const data = [...values.map((v) => one({ v })), one({ w: 'no-v' })];
    const labelsOf = (s: Series) => `m{${Object.entries(s.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
    const tests: string[] = [];
    let matched = 0;
    for (const p of [...RE2_ONLY, ...PORTABLE]) {
      for (const op of ['=~', '!~'] as const) {
        const got = matches(data, op, p);
        expect(got.error).toBeUndefined();
        matched += got.series.length;
        const exp = got.series.map((s) => `          - labels: ${JSON.stringify(labelsOf(s))}\n            value: 1\n`).join('');
        tests.push(`      - expr: ${JSON.stringify(selector(op, p))}\n        eval_time: 0\n        exp_samples:${exp ? `\n${exp}` : ' []\n'}`);
      }
    }
    // Some patterns select some series and not others.
    expect(matched).toBeGreaterThan(data.length);
    expect(matched).toBeLessThan(data.length * tests.length);
    const input = data.map((s) => `      - series: ${JSON.stringify(labelsOf(s))}\n        values: '1'\n`).join('');
    writeFileSync(path.join(dir, 'match.test.yml'), `rule_files: []\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n${input}    promql_expr_test:\n${tests.join('')}`);
    const r = run(['test', 'rules', 'match.test.yml']);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});
