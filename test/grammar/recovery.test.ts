// Parsing never fails: random token soups and every truncation of every sample yield diagnostics
// with valid ranges, never a throw. Plus one case per recovery strategy.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { parse } from '../../grammar/src/parser.js';
import { Workspace } from '../../server/src/core/index.js';

const root = path.join(__dirname, '../..');
const corpus = globSync(['samples/**/*.pace', 'test/grammar/data/**/*.pace', 'docs/**/*.pace'], { cwd: root, absolute: true }).sort();

/** Problems with the diagnostics of a text run through the whole pipeline (empty when all is well). */
function invalid(text: string): string[] {
  const ws = new Workspace();
  ws.setFile('file:///t.pace', text);
  const problems: string[] = [];
  for (const d of ws.analyze().diagnostics) {
    const ok = d.range.start >= 0 && d.range.end >= d.range.start && d.range.end <= text.length && /^(lex|parse|check|link)\/[a-z-]+$/.test(d.code) && d.message.length > 0;
    if (!ok) problems.push(`${JSON.stringify(text)}: ${d.code} ${d.range.start}..${d.range.end} ${d.message}`);
  }
  return problems;
}

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['service', 'sli', 'slo', 'sla', 'alerting', 'objective', 'kpi', 'labels', 'calendar', 'month', 'in', 'credit', 'below', 'page', 'when', 'burn_rate', 'over', 'and', 'for', 'ratio', 'latency', 'x', 'y.z', '{', '}', '[', ']', '(', ')', ',', '.', '=', '!=', '=~', '!~', '<', '<=', '>', '>=', '==', '99.9%', '30d', '1h30m', '14.4', '5min', '"str"', '"open', '`raw`', '`open', '/* c */', '/* open', '// line\n', '/// doc\n', '@', '$', '\n', ' ', 'm{a="b"}'];

describe('the parser never throws', () => {
  it('on 3,000 random token soups', () => {
    const rand = rng(42);
    const problems: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(rand() * 40);
      const text = Array.from({ length: n }, () => PIECES[Math.floor(rand() * PIECES.length)]).join(rand() < 0.5 ? ' ' : '');
      problems.push(...invalid(text));
    }
    expect(problems).toEqual([]);
  });

  it('has a corpus: every sample and docs example', () => {
    expect(corpus.length).toBeGreaterThan(5);
  });

  // One test per corpus file: each is a few seconds of synchronous work, and the worker returns to
  // its event loop between tests (test/setup/each-file.ts). A correctness test, not a timing one.
  describe('on every truncation of', () => {
    it.each(corpus.map((f) => path.relative(root, f)))('%s', (rel) => {
      const text = readFileSync(path.join(root, rel), 'utf8');
      const problems: string[] = [];
      for (let len = 0; len <= text.length; len++) {
        const r = parse(text.slice(0, len));
        for (const i of r.issues) {
          if (i.range.start < 0 || i.range.end > len || i.range.end < i.range.start) problems.push(`${rel} at ${len}: ${i.code} ${i.range.start}..${i.range.end}`);
        }
        // The whole pipeline on a sample of the truncations (it is slower).
        if (len % 17 === 0) problems.push(...invalid(text.slice(0, len)));
      }
      expect(problems).toEqual([]);
    }, 60_000);
  });
});

describe('recovery', () => {
  const kinds = (text: string) => parse(text).ast.members.map((m) => (m.type === 'block' ? `${m.keyword.text} ${m.name?.text ?? ''}`.trim() : m.type));

  it('single-token insertion: a missing "over" is reported and the rule kept', () => {
    const r = parse('alerting p {\n  page when burn_rate > 2 1h and 5m\n}\n');
    expect(r.issues.map((i) => i.code)).toEqual(['parse/expected-token']);
    const block = r.ast.members[0];
    expect(block.type === 'block' && block.members[0].type).toBe('alert-rule');
  });

  it('deletion: stray tokens inside a block are skipped and reported once per run', () => {
    const r = parse('service s {\n  ) ] ,\n  tier = low\n}\n');
    expect(r.issues.map((i) => [i.code, i.range.start, i.range.end])).toEqual([['parse/unexpected-token', 14, 19]]);
    const block = r.ast.members[0];
    expect(block.type === 'block' && block.members.map((m) => m.type)).toEqual(['attribute']);
  });

  it('repetition re-sync: a broken member does not lose its siblings', () => {
    const r = parse('service s {\n  title = \n  owner = "o"\n  tier = low\n}\n');
    const block = r.ast.members[0];
    expect(block.type === 'block' && block.members.length).toBe(3);
  });

  it('between rules: an unclosed block ends at the next top-level block at column 1', () => {
    expect(kinds('service a {\n  title = "x"\n\nservice b {\n}\nalerting p {\n}\n')).toEqual(['service a', 'service b', 'alerting p']);
  });

  it('an unterminated string does not hide later errors', () => {
    const r = parse('service s {\n  title = "open\n  tier = low )\n}\n');
    expect(r.issues.map((i) => i.code).sort()).toEqual(['lex/unterminated-string', 'parse/unexpected-token']);
  });
});

describe('recovery by indentation where braces do not balance', () => {
  const issues = (text: string) => parse(text).issues.map((i) => `${i.code} ${JSON.stringify(text.slice(i.range.start, i.range.end))}@${text.slice(0, i.range.start).split('\n').length}`);
  const shape = (text: string): string[] => {
    const out: string[] = [];
    const walk = (ms: readonly import('../../grammar/src/ast.js').Member[], ind: string) => {
      for (const m of ms) {
        if (m.type !== 'block') continue;
        out.push(`${ind}${m.keyword.text}${m.name ? ' ' + m.name.text : ''}${m.closeBrace ? '' : ' (unclosed)'}`);
        walk(m.members, ind + '  ');
      }
    };
    walk(parse(text).ast.members, '');
    return out;
  };

  const missingInner = 'service s {\n  sli a = ratio {\n    good  = g_total\n    total = t_total\n\n  slo a {\n    sli = a\n  }\n}\n';

  it('an inner block missing its "}" ends before the next sibling at its indentation: one error, at it', () => {
    expect(issues(missingInner)).toEqual(['parse/unclosed-block "{"@2']);
    expect(shape(missingInner)).toEqual(['service s', '  sli a (unclosed)', '  slo a']);
  });

  it('the last inner block missing its "}": the "}" aligned with the service is the service\'s', () => {
    const text = 'service s {\n  slo a {\n    sli = a\n\n  sla b {\n    slo = a\n}\n';
    expect(issues(text)).toEqual(['parse/unclosed-block "{"@2', 'parse/unclosed-block "{"@5']);
    expect(shape(text)).toEqual(['service s', '  slo a (unclosed)', '  sla b (unclosed)']);
    const one = 'service s {\n  title = "x"\n  slo a {\n    sli = a\n}\n';
    expect(issues(one)).toEqual(['parse/unclosed-block "{"@3']);
    expect(shape(one)).toEqual(['service s', '  slo a (unclosed)']);
  });

  it('a stray "}" is one error at its line, and the blocks around it are whole', () => {
    const text = 'service s {\n  sli a = ratio {\n    good  = g_total\n    }\n    total = t_total\n  }\n\n  slo a {\n    sli = a\n  }\n}\n';
    expect(issues(text)).toEqual(['parse/unexpected-token "}"@4']);
    expect(shape(text)).toEqual(['service s', '  sli a', '  slo a']);
    const block = parse(text).ast.members[0];
    expect(block.type === 'block' && block.members[0].type === 'block' && block.members[0].members.map((m) => m.type === 'attribute' && m.name.text)).toEqual(['good', 'total']);
  });

  it('a stray "}" between inner blocks, one column right of the service', () => {
    const text = 'service s {\n  slo a {\n    sli = a\n  }\n  }\n  slo b {\n    sli = a\n  }\n}\n';
    expect(issues(text)).toEqual(['parse/unexpected-token "}"@5']);
    expect(shape(text)).toEqual(['service s', '  slo a', '  slo b']);
  });

  it('balanced braces are parsed as written, however they are indented (valid files never change)', () => {
    const text = 'service s {\n      title = "x"\n  slo a {\n sli = a\n        }\n    slo b { sli = a\n}\n    }\n';
    expect(issues(text)).toEqual([]);
    expect(shape(text)).toEqual(['service s', '  slo a', '  slo b']);
  });

  it('a region is one top-level block: a mistake in one does not move the braces of another', () => {
    const text = `${missingInner}\nservice t {\n  slo x {\n    sli = y\n      }\n}\n`;
    expect(issues(text)).toEqual(['parse/unclosed-block "{"@2']);
    expect(shape(text)).toEqual(['service s', '  sli a (unclosed)', '  slo a', 'service t', '  slo x']);
  });

  it('more than one brace missing or extra without an indentation to go by falls back to the plain rules', () => {
    const text = 'service s { slo a { sli = a }\n';
    expect(issues(text)).toEqual(['parse/unclosed-block "{"@1']);
    expect(issues('service s { slo a { sli = a } } }\n')).toEqual(['parse/unexpected-token "}"@1']);
  });
});

describe('values that are one mistake', () => {
  const attr = (text: string) => {
    const r = parse(text);
    const b = r.ast.members[0];
    const a = b.type === 'block' ? b.members[0] : undefined;
    return { issues: r.issues.map((i) => i.code), value: a?.type === 'attribute' ? a.value : undefined, attr: a };
  };

  it('`99,9%` and `12,000,000` are one malformed number, not a number, a comma and a stray', () => {
    expect(attr('service s {\n  objective = 99,9%\n}\n')).toMatchObject({ issues: [], value: { type: 'bad-number', raw: '99,9%' } });
    expect(attr('service s {\n  target >= 12,000,000\n}\n')).toMatchObject({ issues: [], value: { type: 'comparison', value: { type: 'bad-number', raw: '12,000,000' } } });
    // A comma with a space after it still separates members.
    expect(parse('service s { a = 1, b = 2 }\n').ast.members[0]).toMatchObject({ members: [{ name: { text: 'a' } }, { name: { text: 'b' } }] });
  });

  it('`dba-team` is one value (no lexer error); a lone "-" elsewhere still is one', () => {
    expect(attr('service s {\n  owner = dba-team\n}\n')).toMatchObject({ issues: [], value: { type: 'ref', parts: [{ text: 'dba-team' }] } });
    expect(attr('service s {\n  owner = a-b-c\n}\n')).toMatchObject({ issues: [], value: { type: 'ref', parts: [{ text: 'a-b-c' }] } });
    expect(parse('service s {\n  factor = - 5\n}\n').issues.map((i) => i.code)).toContain('lex/unexpected-character');
  });

  it('`=>` and `=<` are read as >= and <=, and say how they were written', () => {
    expect(attr('service s {\n  target => 80%\n}\n')).toMatchObject({ issues: [], attr: { op: '>=' }, value: { type: 'comparison', op: '>=', written: '=>' } });
    expect(attr('service s {\n  target = =< 80%\n}\n')).toMatchObject({ issues: [], value: { type: 'comparison', op: '<=', written: '=<' } });
    expect(attr('service s {\n  target >= 80%\n}\n').value).not.toHaveProperty('written');
  });

  it('`1 month` and `2 years` are one malformed number', () => {
    expect(attr('service s {\n  window = 1 month\n}\n')).toMatchObject({ issues: [], value: { type: 'bad-number', raw: '1 month' } });
    expect(attr('service s {\n  window = 2 years\n}\n')).toMatchObject({ issues: [], value: { type: 'bad-number', raw: '2 years' } });
  });
});

describe('text that is not Unicode', () => {
  it('a lone surrogate (from an editor or a program; a UTF-8 file cannot hold one) is one error at it, wherever it is; a pair is a character', () => {
    const text = 'service s {\n  owner = "x\ud800y"\n  // \udc00\n}\n';
    const issues = parse(text).issues;
    expect(issues.map((i) => [i.code, text.slice(i.range.start, i.range.end)])).toEqual([
      ['lex/unexpected-character', '\ud800'],
      ['lex/unexpected-character', '\udc00'],
    ]);
    expect(issues[0].message).toMatch(/U\+D800: half of a UTF-16 surrogate pair/);
    expect(parse('service s {\n  owner = "x😀y"\n}\n').issues).toEqual([]);
    // bounded: one error each, at most 10
    expect(parse(`// ${'\ud800'.repeat(1000)}\n`).issues).toHaveLength(10);
  });
});
