// The parser's lookahead strategy (grammar/src/lookahead.ts) must choose what Chevrotain's own LL(k)
// strategy chooses, on valid input and in every recovery path: every .pace file of the repository,
// every ```pace example of the docs, and 3,000 fuzz inputs (generated, broken and mutated files from
// test/fuzz/harness.ts) are parsed with both, and the trees and issues must be equal.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, useChevrotainLookahead } from '../../grammar/src/parser.js';
import { inputFor } from '../fuzz/harness.js';

const root = path.resolve(__dirname, '../..');

function paceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) paceFiles(p, out);
    else if (name.endsWith('.pace')) out.push(p);
  }
  return out;
}

const files = paceFiles(root).map((f) => readFileSync(f, 'utf8'));
const examples = readdirSync(path.join(root, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) => [...readFileSync(path.join(root, 'docs', f), 'utf8').matchAll(/^```pace\n([\s\S]*?)^```$/gm)].map((m) => m[1]));
const corpus = [...files, ...examples];

/** The tree and issues as plain data (node classes aside). */
const parsed = (text: string) => JSON.stringify(parse(text));

function both(texts: readonly string[]): { dispatch: string[]; chevrotain: string[] } {
  useChevrotainLookahead(false);
  const dispatch = texts.map(parsed);
  useChevrotainLookahead(true);
  const chevrotain = texts.map(parsed);
  useChevrotainLookahead(false);
  return { dispatch, chevrotain };
}

describe("the parser's lookahead chooses as Chevrotain's does", () => {
  afterAll(() => useChevrotainLookahead(false));

  it(`on the repository's .pace files and the docs' examples (${corpus.length} texts)`, () => {
    expect(files.length).toBeGreaterThan(50);
    const { dispatch, chevrotain } = both(corpus);
    corpus.forEach((text, i) => expect(dispatch[i], text.slice(0, 200)).toBe(chevrotain[i]));
  });

  it('on 3,000 fuzz inputs: generated, broken and mutated files', () => {
    const inputs = Array.from({ length: 3000 }, (_, i) => inputFor(20261203, i, files));
    const { dispatch, chevrotain } = both(inputs);
    let withIssues = 0;
    inputs.forEach((text, i) => {
      if (JSON.parse(chevrotain[i]).issues.length) withIssues++;
      expect(dispatch[i], text.slice(0, 300)).toBe(chevrotain[i]);
    });
    // The recovery paths are exercised, not only valid input.
    expect(withIssues).toBeGreaterThan(500);
  }, 120_000);
});
