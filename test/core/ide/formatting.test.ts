// Minimal formatting edits: lineEdits() turns one text into another with edits that touch only the
// lines that changed (the diff itself comes from the `diff` package).
import { describe, expect, it } from 'vitest';
import { lineEdits } from '../../../server/src/core/ide/index.js';
import type { TextEdit } from '../../../server/src/core/index.js';

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start - a.range.start)) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('lineEdits', () => {
  it('returns nothing for equal texts', () => {
    expect(lineEdits('u', 'a\nb\n', 'a\nb\n')).toEqual([]);
  });

  it('edits only inside a line whose indentation changed', () => {
    const a = 'service a {\n    title = "x"\n  owner   = "y"\n}\n';
    const b = 'service a {\n  title = "x"\n  owner = "y"\n}\n';
    const edits = lineEdits('u', a, b);
    expect(edits).toEqual([
      { uri: 'u', range: { start: 14, end: 16 }, newText: '' },
      { uri: 'u', range: { start: 36, end: 38 }, newText: '' },
    ]);
    expect(apply(a, edits)).toBe(b);
  });

  it('makes one edit per run of inserted or deleted lines, leaving equal lines alone', () => {
    const a = 'a\nb\nc\nd\ne\n';
    const b = 'a\nX\nY\nb\nc\ne\n';
    const edits = lineEdits('u', a, b);
    // 'X\nY\n' inserted after 'a', 'd' deleted: two edits, neither touches b, c or e.
    expect(edits).toEqual([
      { uri: 'u', range: { start: 2, end: 2 }, newText: 'X\nY\n' },
      { uri: 'u', range: { start: 6, end: 8 }, newText: '' },
    ]);
    expect(apply(a, edits)).toBe(b);
  });

  it('turns any text into any other', () => {
    const next = rng(3);
    const words = ['a', 'b', 'c', '  d', '}', '{', ''];
    const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join('\n') + (next() < 0.5 ? '\n' : '');
    for (let n = 0; n < 300; n++) {
      const a = text(Math.floor(next() * 20));
      const b = text(Math.floor(next() * 20));
      const edits = lineEdits('u', a, b);
      expect(apply(a, edits), JSON.stringify({ a, b })).toBe(b);
      // Edits never overlap.
      const sorted = [...edits].sort((p, q) => p.range.start - q.range.start);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].range.start).toBeGreaterThanOrEqual(sorted[i - 1].range.end);
    }
  });

  it('still gives a correct (single) edit when the texts differ everywhere', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}\n`).join('');
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}\n`).join('');
    const edits = lineEdits('u', a, b);
    expect(apply(a, edits)).toBe(b);
  });
});
