// No input hangs or overflows the stack (issue 10): 10,000-deep nesting in every form the grammar
// has, and a PromQL string nested as deep, get one located error each, in check, format and the
// language server; text that is not Pace (megabytes of noise on one line) gets one error and is
// parsed in linear time; a file with hundreds of thousands of diagnostics is still analysed. The
// inputs are large enough that the quadratic or exponential versions of this code outlast the test
// timeout by far: a regression fails, it does not merely slow down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format, parse, Workspace, type Diagnostic } from '../../server/src/core/index.js';
import { MAX_NESTING, MAX_SYNTAX_ISSUES } from '../../grammar/src/limits.js';
import { Lexer } from 'chevrotain';
import { tokenize } from '../../grammar/src/lexer.js';
import { allTokens } from '../../grammar/src/tokens.js';
import { parseIncremental } from '../../server/src/core/workspace/incremental.js';
import { LspClient, pos } from '../helpers/lsp-harness.js';

const N = 10_000;
const URI = 'file:///deep.pace';

function check(text: string): readonly Diagnostic[] {
  const ws = new Workspace();
  ws.setFile(URI, text);
  return ws.analyze().diagnosticsFor(URI);
}

/** The offset of the opener of level MAX_NESTING + 1, counting `{`, `[`, `(` from the start of `text` (no strings in these inputs). */
function levelPastLimit(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[' || c === '(') {
      if (++depth > MAX_NESTING) return i;
    } else if (c === '}' || c === ']' || c === ')') depth--;
  }
  throw new Error('not that deep');
}

const DEEP: Record<string, string> = {
  'braces': `service a ${'{'.repeat(N)}\n`,
  'labels blocks, unclosed': `service a {\n  slo x {\n${'labels { '.repeat(N)}\n`,
  'labels blocks, closed': `service a {\n  slo x {\n${'labels { '.repeat(N)}${'}'.repeat(N)}\n  }\n}\n`,
  'parentheses in a value': `service a {\n  slo x {\n    objective = ${'('.repeat(N)}1${')'.repeat(N)}\n  }\n}\n`,
  'calls in a value': `service a {\n  slo x {\n    objective = ${'f('.repeat(N)}1${')'.repeat(N)}\n  }\n}\n`,
  'lists in a value': `service a {\n  depends_on = ${'['.repeat(N)}b${']'.repeat(N)}\n}\n`,
  'a selector in a list': `service a {\n  sli x = ratio {\n    bad = ${'['.repeat(N)}m{a="b"}${']'.repeat(N)}\n    total = m\n  }\n}\n`,
};

describe(`nesting deeper than ${MAX_NESTING}: one located error, never a stack overflow`, () => {
  for (const [name, text] of Object.entries(DEEP)) {
    it(`${name}, ${N.toLocaleString('en-US')} deep: parse/too-deep at the first opener past the limit, in check and format`, () => {
      const at = levelPastLimit(text);
      const ds = check(text);
      expect(ds.map((d) => [d.code, d.range.start])).toEqual([['parse/too-deep', at]]);
      expect(ds[0].message).toContain(`level ${MAX_NESTING + 1}`);
      const f = format(text);
      expect(f.changed).toBe(false);
      expect(f.skipped).toMatch(/a syntax error at line \d+: Nested too deeply/);
    });
  }

  it('a PromQL string nested 10,000 deep: check/promql-syntax at the first bracket past the limit, unparsed', () => {
    const text = `service a {\n  sli x = promql {\n    good = \`${'sum('.repeat(N)}up${')'.repeat(N)}\`\n    total = \`up\`\n  }\n}\n`;
    const ds = check(text);
    expect(ds.map((d) => d.code)).toEqual(['check/promql-syntax']);
    expect(ds[0].range.start).toBe(text.indexOf('`') + 1 + 'sum('.length * MAX_NESTING + 3);
    expect(ds[0].message).toContain(`nested deeper than ${MAX_NESTING} levels`);
    // Brackets inside PromQL strings and comments do not count.
    const quoted = `service a {\n  sli x = promql {\n    good = \`up{a="${'('.repeat(N)}"} # ${'['.repeat(N)}\n\`\n    total = \`up\`\n  }\n}\n`;
    expect(check(quoted)).toEqual([]);
  });

  it('exactly at the limit parses as usual; one more level is the error', () => {
    // The service's `{` is level 1, so a list can open MAX_NESTING - 1 levels.
    const at = (levels: number) => `service a {\n  depends_on = ${'['.repeat(levels)}b${']'.repeat(levels)}\n}\n`;
    expect(parse(at(MAX_NESTING - 1)).issues).toEqual([]);
    expect(parse(at(MAX_NESTING)).issues.map((i) => i.code)).toEqual(['parse/too-deep']);
  });

  it('only the top-level block that nests too deeply is left out: the rest of the file is checked, before and after', () => {
    const before = 'service before {\n  tier = urgent\n}\n';
    const after = 'service after {\n  tier = urgnt\n}\n';
    const text = before + DEEP['labels blocks, unclosed'].replace('service a', 'service deep') + after;
    const ds = check(text);
    expect(ds.map((d) => d.code)).toEqual(['check/invalid-value', 'parse/too-deep', 'check/invalid-value']);
    expect(ds[2].range.start).toBe(text.indexOf('urgnt'));
    // Lexer errors inside the block left out go with it.
    expect(check(`service a {\n${'['.repeat(N)} @ @ @\n}\n${after}`).map((d) => d.code)).toEqual(['parse/too-deep', 'check/invalid-value']);
  });

  it('incremental parsing of a large file with a too-deep block gives what parse() gives', () => {
    const filler = Array.from({ length: 300 }, (_, i) => `service s${i} {\n  title = "S ${i}"\n}\n`).join('');
    const v1 = filler + DEEP['braces'];
    const v2 = filler.replace('"S 7"', '"S seven"') + DEEP['braces'];
    const first = parseIncremental(v1);
    const second = parseIncremental(v2, first);
    const plain = parse(v2);
    expect(second.issues).toEqual(plain.issues);
    expect(second.ast.members.length).toBe(plain.ast.members.length);
    expect(second.issues.map((i) => i.code)).toEqual(['parse/too-deep']);
  });
});

describe('text that is not Pace', () => {
  /** Noise of Pace's own characters and others, deterministic. */
  function noise(length: number): string {
    const chars = 'abc{}[]()=~",.%:;!@#$^&*-+ 0123456789xyz_`';
    let s = 1;
    let out = '';
    for (let i = 0; i < length; i++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      out += chars[s % chars.length];
    }
    return out;
  }

  it(`more than ${MAX_SYNTAX_ISSUES.toLocaleString('en-US')} syntax errors are one error, at the first, and the file declares nothing`, () => {
    const many = `service ok {\n}\n  ${'@ '.repeat(MAX_SYNTAX_ISSUES + 1)}\n`;
    const ds = check(many);
    expect(ds.map((d) => [d.code, d.range.start])).toEqual([['parse/too-many-errors', many.indexOf('@')]]);
    expect(ds[0].message).toMatch(/^1,001 syntax errors .* The first: Unexpected character '@'\.$/);
    expect(parse(many).ast.members).toEqual([]);
    // At the limit, every error is listed.
    const limit = `service ok {\n}\n  ${'@ '.repeat(MAX_SYNTAX_ISSUES)}\n`;
    expect(check(limit).map((d) => d.code)).toEqual(Array(MAX_SYNTAX_ISSUES).fill('lex/unexpected-character'));
  });

  it('1 MB of noise on one line: one error, in linear time', () => {
    // Before, locating each '{' and '}' searched back to the line's start: quadratic on one line.
    const text = noise(1_000_000);
    const ds = check(text);
    expect(ds.map((d) => d.code)).toEqual(['parse/too-many-errors']);
    expect(format(text).skipped).toMatch(/too-many|syntax errors/);
  });

  it('runs of characters no token starts with are lexed in one go, with exactly the tokens and errors of the plain lexer', () => {
    // The plain Chevrotain lexer over the token table, as Pace had it: the reference.
    const plain = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: true });
    const key = (r: ReturnType<typeof tokenize>) => ({
      tokens: r.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`),
      comments: (r.groups.comments ?? []).map((t) => `${t.tokenType.name}@${t.startOffset}`),
      errors: r.errors.map((e) => `${e.offset}+${e.length}`),
    });
    const alphabet = ['a', 'Z', '_', '0', '9', ' ', '\n', '\t', '/', '*', '"', '`', '\\', '{', '}', '[', ']', '(', ')', ',', '.', '=', '~', '!', '<', '>', '%', '-', ':', '@', '#', '$', ';', '?', '^', '&', "'", '|', 'é', '\u00a0', '\ufeff', '\u0000', '\ud83d', '\ude00', '😀', 'ms', '5m', 'service', '//', '/*', '*/'];
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    let unlexable = 0;
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const len = 1 + rand(40);
      for (let k = 0; k < len; k++) text += alphabet[rand(alphabet.length)];
      const got = key(tokenize(text));
      expect(got, JSON.stringify(text)).toEqual(key(plain.tokenize(text)));
      unlexable += got.errors.length;
    }
    // The comparison covers many errors, and the messages say what Chevrotain's say.
    expect(unlexable).toBeGreaterThan(3000);
    expect(tokenize('a @@# b').errors).toEqual(plain.tokenize('a @@# b').errors);
  });

  it('10 MB of characters no token starts with: one error, lexed in one go', () => {
    const text = '@'.repeat(10_000_000);
    const r = tokenize(text);
    expect(r.errors.map((e) => [e.offset, e.length])).toEqual([[0, 10_000_000]]);
    expect(check(text).map((d) => d.code)).toEqual(['lex/unexpected-character']);
  });

  it("500,000 stray '}' on one line: one error", () => {
    const text = '} '.repeat(500_000);
    expect(check(text).map((d) => [d.code, d.range.start, d.range.end])).toEqual([['parse/unexpected-token', 0, text.length - 1]]);
  });

  it('200,000 diagnostics of one file are all reported (lists of that size are never spread into arguments)', () => {
    const text = `service big {\n${'  colour = 1\n'.repeat(200_000)}}\n`;
    const ds = check(text);
    expect(ds.length).toBe(200_000);
    expect(new Set(ds.map((d) => d.code))).toEqual(new Set(['check/unknown-attribute']));
  }, 60_000);
});

describe('large valid files', () => {
  it('formatting 100,000 commented attributes is linear (it searched every comment for every attribute)', () => {
    const entries = Array.from({ length: 100_000 }, (_, i) => `  k${i}   =   "v${i}"   // entry ${i}\n`).join('');
    const text = `service big {\n${entries}}\n`;
    const f = format(text);
    expect(f.skipped).toBeUndefined();
    expect(f.changed).toBe(true);
    // The `=` aligned in the block, one space before each comment.
    expect(f.text.split('\n').filter((l) => /^ {2}k\d+ += "v\d+" \/\/ entry \d+$/.test(l))).toHaveLength(100_000);
    expect(f.text).toContain('\n  k0     = "v0" // entry 0\n');
    expect(format(f.text).changed).toBe(false);
  }, 60_000);
});

describe('the language server', () => {
  let c: LspClient;
  beforeAll(async () => {
    c = await LspClient.start({ fixture: '//- p/pace.yaml\nversion: 1\n//- p/ok.pace\nservice ok {\n}\n', waitFor: ['p/ok.pace'] });
  }, 60_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('publishes one parse/too-deep for a 10,000-deep file, refuses to format it, and keeps serving', async () => {
    const text = DEEP['labels blocks, closed'];
    await c.open('p/deep.pace', text);
    const d = await c.waitForDiagnostics('p/deep.pace', { until: (l) => l.length > 0, timeout: 30_000 });
    expect(d.map((x) => x.code)).toEqual(['parse/too-deep']);
    const at = levelPastLimit(text);
    expect(d[0].range).toEqual({ start: pos(text, at), end: pos(text, at + 1) });
    const edits = await c.request<unknown[] | null>('textDocument/formatting', { textDocument: { uri: c.uri('p/deep.pace') }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits ?? []).toEqual([]);
    // Still alive: an edit that fixes the file is checked clean.
    const mark = c.mark();
    await c.change('p/deep.pace', 'service deep {\n}\n');
    expect(await c.waitForDiagnostics('p/deep.pace', { after: mark, timeout: 30_000 })).toEqual([]);
    expect(c.exited).toBe(false);
  }, 60_000);

  it('publishes one parse/too-many-errors for 1 MB of noise', async () => {
    await c.open('p/noise.pace', noiseLine(1_000_000));
    const d = await c.waitForDiagnostics('p/noise.pace', { until: (l) => l.length > 0, timeout: 30_000 });
    expect(d.map((x) => x.code)).toEqual(['parse/too-many-errors']);
  }, 60_000);
});

function noiseLine(length: number): string {
  // No brackets: noise with brackets soon nests too deeply, which is parse/too-deep.
  const chars = '=~,.@#$^&*-+ 0123456789xyz';
  let s = 7;
  let out = '';
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out += chars[s % chars.length];
  }
  return out;
}
