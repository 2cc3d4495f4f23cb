// Quick fixes that add a missing attribute insert its value as a snippet placeholder in editors,
// and as plain text everywhere else.
import { describe, expect, it } from 'vitest';
import { codeActions } from '../../../server/src/core/ide/index.js';
import { attributeLineSnippet, escapeSnippet } from '../../../server/src/core/language/snippet.js';
import { analyzeFixture } from '../../helpers/fixture.js';

describe('snippets', () => {
  it('make the value of an attribute line a placeholder', () => {
    expect(attributeLineSnippet('objective = 99.9%')).toBe('objective = ${1:99.9%}');
    expect(attributeLineSnippet('target >= 3.5%')).toBe('target >= ${1:3.5%}');
    expect(attributeLineSnippet('good_when < 100')).toBe('good_when < ${1:100}');
    expect(attributeLineSnippet('window = calendar month')).toBe('window = ${1:calendar month}');
    // `}`, `$` and `\` are escaped, inside and outside the placeholder.
    expect(attributeLineSnippet('total = http_requests_total{job="checkout"}')).toBe('total = ${1:http_requests_total{job="checkout"\\}}');
    expect(attributeLineSnippet('total = `sum(rate(x[$window]))`')).toBe('total = ${1:`sum(rate(x[\\$window]))`}');
    expect(escapeSnippet('a\\b$c}')).toBe('a\\\\b\\$c\\}');
  });
});

describe('missing-attribute fixes', () => {
  it("'Add objective' carries a snippet with the value as a placeholder, and the plain text", () => {
    const { analysis, uri, text } = analyzeFixture('service a {\n  sli r = ratio {\n    good = g\n    total = t\n  }\n  slo s {\n    sli = r\n    window = 30d\n  }\n}\n');
    const at = text.indexOf('slo s') + 4;
    const add = codeActions(analysis, uri, { start: at, end: at }).find((a) => a.title === "Add 'objective'")!;
    expect(add).toBeDefined();
    const insertAt = text.indexOf('  }\n}');
    expect(add.edits).toEqual([{ uri, range: { start: insertAt, end: insertAt }, newText: '    objective = 99.9%\n', snippet: '    objective = ${1:99.9%}\n' }]);
  });

  it('also for a block closed on the same line, and for exactly-one groups', () => {
    const { analysis, uri, text } = analyzeFixture('service a {\n  sli r = ratio { total = t }\n}\n');
    const at = text.indexOf('sli r') + 4;
    const add = codeActions(analysis, uri, { start: at, end: at }).find((a) => a.title === "Add 'good'")!;
    expect(add.edits[0].snippet).toBe('\n    good = ${1:http_requests_total{job="checkout", code!~"5.."\\}}\n  ');
    expect(add.edits[0].newText).toBe('\n    good = http_requests_total{job="checkout", code!~"5.."}\n  ');
  });
});
