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

  it(`on every truncation of ${corpus.length} corpus files`, () => {
    expect(corpus.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const f of corpus) {
      const text = readFileSync(f, 'utf8');
      for (let len = 0; len <= text.length; len++) {
        const r = parse(text.slice(0, len));
        for (const i of r.issues) {
          if (i.range.start < 0 || i.range.end > len || i.range.end < i.range.start) problems.push(`${f} at ${len}: ${i.code} ${i.range.start}..${i.range.end}`);
        }
        // The whole pipeline on a sample of the truncations (it is slower).
        if (len % 17 === 0) problems.push(...invalid(text.slice(0, len)));
      }
    }
    expect(problems).toEqual([]);
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
