// One lexer: the parser, the formatter's safety net and the editor's token view share grammar/src/lexer.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lexer } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { paceLexer, tokenize, Unlexable } from '../../../grammar/src/lexer.js';
import { allTokens } from '../../../grammar/src/tokens.js';
import { lex } from '../../../server/src/core/ide/lex.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(rel));
    else if (e.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

describe('one lexer', () => {
  it('is built in grammar/src/lexer.ts only', () => {
    const builders = [...sources('grammar/src'), ...sources('server/src'), ...sources('client/src')].filter((f) => /new\s+Lexer\s*\(/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(builders).toEqual(['grammar/src/lexer.ts']);
  });

  it("keeps Chevrotain's first-character dispatch (one pattern it cannot analyse makes it try every pattern at every token)", () => {
    const warn = console.warn;
    const warned: unknown[] = [];
    console.warn = (...a: unknown[]) => void warned.push(a);
    try {
      expect(() => new Lexer([...allTokens, Unlexable], { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: true })).not.toThrow();
    } finally {
      console.warn = warn;
    }
    expect(warned).toEqual([]);
  });

  it('is one instance', () => {
    expect(paceLexer()).toBe(paceLexer());
  });

  it('gives the editor the same tokens as the parser, with offsets in the whole text', () => {
    const text = 'service a {\n  /// doc\n  sli r = ratio { good = x{code!~"5.."} total = y }\n}\n';
    const from = text.indexOf('sli');
    const whole = tokenize(text);
    const part = lex(text, from);
    const expected = whole.tokens.filter((t) => t.startOffset >= from).map((t) => [t.tokenType.name, t.image, t.startOffset]);
    expect(part.tokens.map((t) => [t.type, t.image, t.start])).toEqual(expected);
    expect(lex(text).comments.map((c) => c.image)).toEqual(['/// doc']);
  });
});
