import { describe, expect, it } from 'vitest';
import { checkPromql, promqlSyntaxError } from '../../../server/src/core/validation/promql.js';
import { analyzeFixture } from '../../helpers/fixture.js';

function diags(body: string) {
  const { analysis, text } = analyzeFixture(`service a {\n  sli q = promql {\n${body}\n  }\n}\n`);
  return analysis.diagnostics.filter((d) => d.code === 'check/promql-syntax').map((d) => ({ text: text.slice(d.range.start, d.range.end), message: d.message }));
}

describe('PromQL of promql SLIs', () => {
  it('accepts valid PromQL with $window and regex alternation', () => {
    expect(diags('    good  = `sum(rate(grpc_server_handled_total{grpc_code="OK", code=~"5..|429"}[$window]))`\n    total = "sum(rate(x[$window]))"')).toEqual([]);
  });

  it('reports an error inside a backtick string, at the right offset', () => {
    expect(diags('    good  = `sum(rate(x[$window])`\n    total = "sum(rate(x[$window]))"')).toEqual([{ text: '`', message: "Invalid PromQL: unexpected end of the expression in 'good'." }]);
    expect(diags('    good  = `sum(rate(x[$window])) +* 2`\n    total = "x"')).toEqual([{ text: '*', message: "Invalid PromQL: unexpected '*' in 'good'." }]);
  });

  it('maps offsets through escapes and the $window substitution', () => {
    const r = diags('    good  = "sum(rate(x{a=\\"b\\"}[$window])) ) "\n    total = "x"');
    expect(r).toEqual([{ text: ')', message: "Invalid PromQL: unexpected ')' in 'good'." }]);
  });

  it('reports an empty expression', () => {
    expect(diags('    good  = ""\n    total = "x"')[0].message).toContain('empty');
  });

  it('only checks promql SLIs', () => {
    const { analysis } = analyzeFixture('service a {\n  sli r = ratio {\n    description = "sum(("\n    good = g\n    total = t\n  }\n}\n');
    expect(checkPromql('x', analysis.files.values().next().value!.ast)).toEqual([]);
  });

  it('parses with the Prometheus grammar', () => {
    expect(promqlSyntaxError('histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))')).toBeUndefined();
    expect(promqlSyntaxError('foo(')).toBeDefined();
  });
});
