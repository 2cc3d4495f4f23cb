// One lexer: the parser, the formatter's safety net and the editor's token view share grammar/src/lexer.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lexer } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { paceLexer, tokenize, Unlexable } from '../../../grammar/src/lexer.js';
import { parse } from '../../../grammar/src/parser.js';
import { LineIndex, Workspace } from '../../../server/src/core/index.js';
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

describe('a lone \\r', () => {
  it('ends a line: a // comment stops there, and the offsets are those of the text', () => {
    const text = '// note\rservice a {\r}\r';
    const r = tokenize(text);
    expect(r.errors).toEqual([]);
    expect(r.groups.comments.map((t) => [t.image, t.startOffset])).toEqual([['// note', 0]]);
    expect(r.tokens.map((t) => [t.image, t.startOffset])).toEqual([['service', 8], ['a', 16], ['{', 18], ['}', 20]]);
  });

  it('ends a "…" string, which writes a carriage return as \\r', () => {
    expect(parse('service a {\r  title = "x\r"\r}\r').issues.map((i) => i.code)).toContain('lex/unterminated-string');
    const ok = parse('service a {\n  title = "x\\ry"\n}\n');
    expect(ok.issues).toEqual([]);
    const strings: unknown[] = [];
    JSON.stringify(ok.ast, (k, v) => (k === 'value' && typeof v === 'string' && strings.push(v), v));
    expect(strings).toContain('x\ry');
  });

  it('puts a diagnostic on the line an editor shows', () => {
    const text = 'service a {\r  // one\r  wat\r}\r';
    const ws = new Workspace();
    ws.setFile('file:///t.pace', text);
    const d = ws.analyze().diagnostics;
    expect(d.length).toBeGreaterThan(0);
    const li = new LineIndex(text);
    expect(li.position(d[0].range.start)).toEqual({ line: 2, character: 2 });
    // The workspace keeps the text with the \r as the \n it stands for: same length, same offsets.
    expect(ws.text('file:///t.pace')).toBe(text.replace(/\r/g, '\n'));
  });
});
