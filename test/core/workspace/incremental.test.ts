// parseIncremental must equal a whole-file parse, whatever the edit.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Span } from '../../../grammar/src/nodes.js';
import { parse } from '../../../grammar/src/parser.js';
import { checkStructureIncremental, chunkStarts, parseIncremental, type IncrementalParse } from '../../../server/src/core/workspace/incremental.js';
import { checkStructure } from '../../../server/src/core/validation/structure.js';
import { Workspace } from '../../../server/src/core/workspace/workspace.js';

function service(i: number): string {
  return `/// Service ${i}.
/// Second doc line.
service svc_${i} {
  title = "Service ${i}"
  tier  = ${['critical', 'high', 'medium', 'low'][i % 4]}
  depends_on = [svc_0]
  labels { team = "t${i}", env = "prod" }

  sli requests = ratio {
    good  = http_requests_total{job="svc_${i}", code!~"5.."}
    total = http_requests_total{job="svc_${i}"}
  }

  sli q = promql {
    good  = \`sum(rate(x{code="OK"}[$window]))\`
    total = "sum(rate(x[$window]))"
  }

  slo availability {
    sli       = requests
    objective = 99.9%
    window    = 30d
    alerting  = standard
  }

  sla contract {
    slo       = availability
    objective = 99.5%
    window    = calendar month
    credit 10% below 99.5%
  }
}
`;
}

const BASE = `// header comment
alerting standard {
  page   when burn_rate > 14.4 over 1h and 5m
  ticket when burn_rate > 1    over 3d and 6h
}

${Array.from({ length: 12 }, (_, i) => service(i)).join('\n')}
objective growth {
  kpi conversion {
    measure = ratio(a_total, b_total)
    target >= 3.5%
    window = 28d
  }
  supported_by = [svc_0.availability]
}
`;

/** A tiny deterministic PRNG, so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SNIPPETS = ['{', '}', '}\n', '"', '`', '/*', '*/', '///', '// x', '\n', ' ', 'service x {\n', '\nservice y {\n', '[', ']', '(', ')', '=', 'slo', 'over', 'and', '99.9%', '5min', 'foo.bar', ',', '\nalerting p {\n', '\n/// doc\n', 'x = ', '>'];

function normalize(r: ReturnType<typeof parse>) {
  const issues = [...r.issues].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return { ast: JSON.parse(JSON.stringify(r.ast)), issues: JSON.parse(JSON.stringify(issues)) };
}

describe('parseIncremental', () => {
  it('cuts before top-level blocks and their doc comments', () => {
    const starts = chunkStarts(BASE);
    expect(starts.length).toBe(1 + 1 + 12 + 1);
    expect(BASE.slice(starts[2], starts[2] + 14)).toBe('/// Service 0.');
  });

  it('cuts a file that starts with a blank line (it used to loop forever)', () => {
    expect(chunkStarts('\nservice a {\n}\n')).toEqual([0, 1]);
    expect(chunkStarts('\n\n/// doc\nservice a {\n}\n')).toEqual([0, 2]);
    expect(chunkStarts('\r\nservice a {\n}\n')).toEqual([0, 2]);
  });

  it('re-uses only the previous version it is given', () => {
    const a = parseIncremental(BASE, undefined, 0);
    const b = parseIncremental(BASE, undefined, 0);
    expect(a.ast.members[0]).not.toBe(b.ast.members[0]);
    expect(a.ast.members[5]).not.toBe(b.ast.members[5]);
    // The first parse of a file is a plain one; from its first edit on, the nodes of chunks that
    // did not change or move are re-used.
    const a2 = parseIncremental(BASE.replace('Service 11', 'Service 12'), a, 0);
    expect(a2.ast.members[0]).not.toBe(a.ast.members[0]);
    const a3 = parseIncremental(BASE.replace('Service 11', 'Service 13'), a2, 0);
    expect(a3.ast.members[0]).toBe(a2.ast.members[0]);
    expect(a3.ast.members.filter((m, i) => m !== a2.ast.members[i]).length).toBe(1);
    // Another chain of versions of the same text shares nothing with that one.
    const b2 = parseIncremental(BASE.replace('Service 11', 'Service 13'), b, 0);
    const b3 = parseIncremental(BASE.replace('Service 11', 'Service 14'), b2, 0);
    expect(b3.ast.members[0]).toBe(b2.ast.members[0]);
    for (const m of b3.ast.members) expect(a3.ast.members).not.toContain(m);
  });

  it('equals a whole-file parse on the unedited text', () => {
    const first = parseIncremental(BASE, undefined, 0);
    expect(normalize(first)).toEqual(normalize(parse(BASE)));
    expect(normalize(parseIncremental(BASE, first, 0))).toEqual(normalize(parse(BASE)));
  });

  it('equals a whole-file parse after random edits', { timeout: 180_000 }, () => {
    const next = rng(42);
    let text = BASE;
    let previous: IncrementalParse = parseIncremental(text, undefined, 0);
    for (let n = 0; n < 100; n++) {
      const at = Math.floor(next() * text.length);
      const r = next();
      if (r < 0.4) text = text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at);
      else if (r < 0.7) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * 8)));
      else if (r < 0.85) {
        const lineStart = text.lastIndexOf('\n', at) + 1;
        const lineEnd = text.indexOf('\n', at);
        text = text.slice(0, lineStart) + text.slice(lineEnd < 0 ? text.length : lineEnd + 1);
      } else text = n % 10 === 0 ? BASE : text.slice(0, at) + text[at]?.toUpperCase() + text.slice(at + 1);
      const full = parse(text);
      expect(normalize(parseIncremental(text, undefined, 0)), `edit ${n}`).toEqual(normalize(full));
      // Given the previous version, chunks that did not change are re-used from it.
      const keyed = parseIncremental(text, previous, 0);
      previous = keyed;
      expect(normalize(keyed), `edit ${n} (keyed)`).toEqual(normalize(full));
      // Structure checks per chunk, shifted into place, equal the whole-file checks.
      {
        expect(JSON.parse(JSON.stringify(checkStructureIncremental('file:///fuzz.pace', keyed, text))), `structure ${n}`).toEqual(JSON.parse(JSON.stringify(checkStructure('file:///fuzz.pace', full.ast, text))));
      }
    }
  });
});

describe('parse state belongs to the workspace', () => {
  // Large enough for the default threshold: two workspaces edit the same uri with different texts.
  const LARGE = `${Array.from({ length: 40 }, (_, i) => service(i)).join('\n')}`;
  const URI = 'file:///project/big.pace';

  function snapshot(ws: Workspace) {
    const a = ws.analyze();
    return { ast: JSON.parse(JSON.stringify(a.files.get(URI)!.ast)), diagnostics: JSON.parse(JSON.stringify(a.diagnostics)) };
  }

  function fresh(text: string) {
    const ws = new Workspace();
    ws.setFile(URI, text);
    return snapshot(ws);
  }

  it('two workspaces with the same uri, edited alternately, each equal a fresh parse of their own text', () => {
    expect(LARGE.length).toBeGreaterThan(16_384);
    const base = new Workspace();
    const head = new Workspace();
    const next = rng(7);
    let baseText = LARGE;
    let headText = LARGE.replace('svc_3', 'svc_three');
    base.setFile(URI, baseText);
    head.setFile(URI, headText);
    for (let n = 0; n < 12; n++) {
      // Alternate: an edit in one, then the other. The same chunk texts exist in both.
      const edit = (t: string) => {
        const i = Math.floor(next() * 40);
        return n % 3 === 2 ? t.replace(`title = "Service ${i}"`, `title = "Service ${i}!"`) : t.replace(`svc_${i}"`, `svc_${i}_${n}"`);
      };
      if (n % 2 === 0) {
        baseText = edit(baseText);
        base.setFile(URI, baseText);
      } else {
        headText = edit(headText);
        head.setFile(URI, headText);
      }
      const b = base.analyze().files.get(URI)!.ast;
      const h = head.analyze().files.get(URI)!.ast;
      // Not one node in common: linking keys its tables by node identity.
      const headNodes = new Set(h.members);
      expect(b.members.some((m) => headNodes.has(m)), `edit ${n}: shared nodes`).toBe(false);
      expect(snapshot(base), `edit ${n}: base`).toEqual(fresh(baseText));
      expect(snapshot(head), `edit ${n}: head`).toEqual(fresh(headText));
      expect(normalize(parse(baseText)).ast).toEqual(snapshot(base).ast);
    }
  });

  it('re-uses the unchanged chunks of its own previous version', () => {
    const ws = new Workspace();
    ws.setFile(URI, LARGE);
    ws.setFile(URI, LARGE.replace('Service 5"', 'Service 5!"'));
    const before = ws.analyze().files.get(URI)!.ast;
    ws.setFile(URI, LARGE.replace('Service 5"', 'Service 5?"'));
    const after = ws.analyze().files.get(URI)!.ast;
    expect(after.members.filter((m, i) => m !== before.members[i]).length).toBe(1);
  });
});

describe('moved(d): a subtree with every offset d further on', () => {
  // The reference: the generic deep copy incremental parsing used before nodes moved themselves
  // (every own numeric start/end moved, prototypes kept).
  function reference(v: unknown, d: number): unknown {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map((x) => reference(x, d));
    const o = v as Record<string, unknown>;
    const out = Object.create(Object.getPrototypeOf(o)) as Record<string, unknown>;
    for (const k of Object.keys(o)) out[k] = reference(o[k], d);
    if (typeof o.start === 'number' && typeof o.end === 'number') Object.assign(out, { start: (o.start as number) + d, end: (o.end as number) + d });
    return out;
  }
  // Same own fields, values and prototypes all the way down, and no object shared with the original.
  function same(a: unknown, b: unknown, original: unknown, where: string): void {
    if (typeof a !== 'object' || a === null) return void expect(a, where).toEqual(b);
    expect(a, `${where}: a copy`).not.toBe(original);
    expect(Object.getPrototypeOf(a), `${where}: class`).toBe(Object.getPrototypeOf(b));
    expect(Object.keys(a).sort(), `${where}: fields`).toEqual(Object.keys(b as object).sort());
    for (const k of Object.keys(a)) same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], (original as Record<string, unknown>)[k], `${where}.${k}`);
  }
  const root = path.join(__dirname, '../../..');
  const files = ['samples', 'samples/broken'].flatMap((dir) => readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.pace')).map((f) => path.join(dir, f)));

  it('equals the generic copy for every node of every sample, valid and broken (every node kind, misspelt operators included)', () => {
    const kinds = new Set<string>();
    const fields = new Set<string>();
    // The two fields only a misspelt operator has: ComparisonNode.written, AlertRuleNode.misspeltOp.
    const misspelt = 'alerting p {\n  page when burn_rate => 14.4 over 1h and 5m\n}\nservice s {\n  sli q = timeslice {\n    gauge = g\n    good_when =< 100\n    slice = 1m\n  }\n}\n';
    for (const f of [...files, '(misspelt operators)']) {
      const ast = parse(f === '(misspelt operators)' ? misspelt : readFileSync(path.join(root, f), 'utf8')).ast;
      for (const [i, node] of [...ast.members, ...ast.comments].entries()) {
        expect(node, f).toBeInstanceOf(Span);
        const visit = (v: unknown): void => {
          if (v instanceof Span) kinds.add(v.constructor.name);
          if (v instanceof Span) for (const k of Object.keys(v)) fields.add(`${v.constructor.name}.${k}`);
          if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) visit(x);
        };
        visit(node);
        same((node as unknown as Span).moved(1234), reference(node, 1234), node, `${f} #${i}`);
      }
    }
    expect([...kinds].sort()).toEqual(['AlertRuleNode', 'AttributeNode', 'BadNumberNode', 'BlockNode', 'CalendarNode', 'CallNode', 'CommentNode', 'ComparisonNode', 'CreditNode', 'ListNode', 'MatcherNode', 'NameNode', 'NumberNode', 'RefNode', 'SelectorNode', 'StringNode']);
    expect([...fields].filter((f) => f === 'ComparisonNode.written' || f === 'AlertRuleNode.misspeltOp').sort()).toEqual(['AlertRuleNode.misspeltOp', 'ComparisonNode.written']);
  });
});
