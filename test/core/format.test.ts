// The canonical formatter: the sketch's example is its own canonical form, golden cases
// (test/core/format/*.in.pace → *.out.pace; UPDATE_GOLDEN=1 rewrites the outputs), idempotence,
// broken files left alone, and no token ever gained or lost.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lexer, tokenMatcher } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { tokens as T } from '../../grammar/src/parser.js';
import { format, keepsMeaning } from '../../server/src/core/format/format.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const goldenDir = join(here, 'format');
const update = process.env.UPDATE_GOLDEN === '1';

function sketchExample(): string {
  // The design sketch's complete example, kept in the test data (tests are hermetic).
  return readFileSync(join(repo, 'test', 'grammar', 'data', 'ok', '0001-sketch-example.pace'), 'utf8');
}

const cases = readdirSync(goldenDir)
  .filter((f) => f.endsWith('.in.pace'))
  .sort()
  .map((f) => ({ name: f.slice(0, -'.in.pace'.length), input: readFileSync(join(goldenDir, f), 'utf8') }));

/**
 * The tokens of a text, comments included, ignoring whitespace (inside comments too), commas, and the
 * optional `=` before a comparison (`good_when = < 5` is `good_when < 5`).
 */
const lexer = new Lexer(T.allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: true });
function tokenSequence(text: string): string[] {
  const lexed = lexer.tokenize(text);
  expect(lexed.errors).toEqual([]);
  const all = [...lexed.tokens, ...(lexed.groups.comments ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  return all
    .filter((t, i) => !tokenMatcher(t, T.Comma) && !(t.tokenType === T.Equals && all[i + 1] && tokenMatcher(all[i + 1], T.CompareOp)))
    .map((t) => (t.tokenType.GROUP === 'comments' ? t.image.replace(/\s+/g, '') : t.image));
}

describe('format', () => {
  it("prints the sketch's complete example exactly as it is written", () => {
    const src = sketchExample();
    const r = format(src);
    expect(r.skipped).toBeUndefined();
    expect(r.text).toBe(src);
    expect(r.changed).toBe(false);
  });

  it('has golden cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  describe.each(cases)('$name', ({ name, input }) => {
    const outPath = join(goldenDir, `${name}.out.pace`);

    it('matches the golden output', () => {
      const r = format(input);
      expect(r.skipped).toBeUndefined();
      if (update) writeFileSync(outPath, r.text);
      expect(existsSync(outPath), `${name}.out.pace is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(r.text).toBe(readFileSync(outPath, 'utf8'));
      expect(r.changed).toBe(r.text !== input);
    });

    it('is idempotent', () => {
      const once = format(input).text;
      const twice = format(once);
      expect(twice.skipped).toBeUndefined();
      expect(twice.text).toBe(once);
      expect(twice.changed).toBe(false);
    });

    it('changes nothing but whitespace, commas and the `=` of comparisons', () => {
      expect(tokenSequence(format(input).text)).toEqual(tokenSequence(input));
    });

    it('keeps the layout rules: LF, one final newline, no trailing spaces outside strings, no blank line after { or before }', () => {
      const out = format(input).text;
      expect(out).not.toContain('\r');
      expect(out.endsWith('\n') && !out.endsWith('\n\n')).toBe(true);
      expect(out).not.toMatch(/\n\n\n/);
      expect(out).not.toMatch(/\{\n\n/);
      expect(out).not.toMatch(/\n\n\s*\}/);
    });
  });

  it('has a safety net that tells a layout change from a change of tokens or of doc comments', () => {
    const src = 'service a {\n  title = "A"\n  // note\n  slo s {\n    sli = x\n  }\n}\n';
    expect(keepsMeaning(src, src)).toBe(true);
    // Whitespace, commas, and where one comment ends and the next begins are layout.
    expect(keepsMeaning(src, src.replace('  // note\n', '  // note\n  // more\n').replace('// more', '').replace('// note\n  \n', '// note\n'))).toBe(true);
    expect(keepsMeaning('service a {\n  // n\n  , /// d\n  slo s {\n    sli = x\n  }\n}\n', 'service a {\n  // n /// d\n  slo s {\n    sli = x\n  }\n}\n')).toBe(true);
    // A token changed, lost or added is not.
    expect(keepsMeaning(src, src.replace('"A"', '"B"'))).toBe(false);
    expect(keepsMeaning(src, src.replace('  // note\n', ''))).toBe(false);
    expect(keepsMeaning(src, src.replace('sli = x', 'sli = x.y'))).toBe(false);
    // The same tokens, but a `///` that now documents a block (the bug of fuzz finding 7), is not either.
    const trailing = 'service a {\n  title = "A" /// d\n  slo s {\n    sli = x\n  }\n}\n';
    expect(keepsMeaning(trailing, trailing.replace(' /// d\n', '\n  /// d\n'))).toBe(false);
    // Output that does not parse is not.
    expect(keepsMeaning(src, src.slice(0, -2))).toBe(false);
  });

  it('leaves a file with a syntax error unchanged and says why', () => {
    const src = 'service checkout {\n  title = "Checkout"\n  owner = \n}\n';
    const r = format(src);
    expect(r.text).toBe(src);
    expect(r.changed).toBe(false);
    expect(r.skipped).toMatch(/syntax error/);
    expect(r.skipped).toMatch(/line 4/);
  });

  it('leaves unclosed blocks, comments and strings unchanged', () => {
    for (const src of ['service a {\n  title = "A"\n', 'service a {\n  title = "A"\n}\n/* never closed\n', 'service a {\n  title = "A\n}\n', 'service a { title = `x }\n']) {
      const r = format(src);
      expect(r.text).toBe(src);
      expect(r.skipped).toBeDefined();
    }
  });

  it('converts CRLF line endings to LF and keeps a byte order mark', () => {
    const r = format('\uFEFFservice a {\r\n  title   = "A"\r\n}\r\n');
    expect(r.text).toBe('\uFEFFservice a {\n  title = "A"\n}\n');
    expect(r.changed).toBe(true);
  });

  it('converts lone \r line endings (old Mac) to LF', () => {
    const r = format('// c\rservice a {\r  title   = "A\\rB"\r}\r');
    expect(r.text).toBe('// c\nservice a {\n  title = "A\\rB"\n}\n');
  });

  it('formats an empty file to an empty file', () => {
    expect(format('')).toEqual({ text: '', changed: false });
    expect(format('\n\n  \n')).toEqual({ text: '', changed: true });
  });

  it('honours the indent option', () => {
    const r = format('service a {\n  slo b {\n    sli = c\n  }\n}\n', { indent: 4 });
    expect(r.text).toBe('service a {\n    slo b {\n        sli = c\n    }\n}\n');
    expect(format(r.text, { indent: 4 }).changed).toBe(false);
  });

  it('reports an unchanged file as unchanged', () => {
    const src = sketchExample();
    expect(format(format(src.replace(/ {2}/g, '    ')).text)).toEqual({ text: src, changed: false });
  });
});
