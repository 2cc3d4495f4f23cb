// yaml-text.ts, the fast path of the openslo and alertmanager targets: wherever it answers, its text is byte for byte
// what `yaml` writes (new Document(value), commentBefore, toString({ lineWidth: 0 })); it answers for
// the plain data the generators write, and leaves every string yaml would quote or fold to yaml.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, isMap, isSeq, parse } from 'yaml';
import { blockScalarLoses, documentText, goYamlText, plainSafe } from '../../server/src/core/generate/yaml-text.js';
import { escapeGoYamlBreaks, yamlExpr, yamlQuoted } from '../../server/src/core/generate/output.js';

type Json = string | number | boolean | null | undefined | Json[] | { [k: string]: Json };

function viaYaml(value: { [k: string]: Json }, comment?: string, items?: ReadonlyMap<object, string>): string {
  const doc = new Document(value);
  if (comment) doc.commentBefore = comment;
  if (items) commentItems(value, doc.contents, items);
  return doc.toString({ lineWidth: 0 });
}

/** Sets `commentBefore` on the nodes of the map items that `items` has a comment for. */
function commentItems(value: Json, node: unknown, items: ReadonlyMap<object, string>): void {
  if (Array.isArray(value)) {
    if (isSeq(node)) value.forEach((v, i) => commentItems(v, node.items[i], items));
  } else if (value && typeof value === 'object' && isMap(node)) {
    const c = items.get(value);
    if (c) (node as { commentBefore?: string }).commentBefore = c;
    for (const k of Object.keys(value)) if (value[k] !== undefined) commentItems(value[k], node.get(k, true), items);
  }
}

/** The maps that are items of a sequence, in document order. */
function seqMaps(value: Json, inSeq = false, out: object[] = []): object[] {
  if (Array.isArray(value)) for (const v of value) seqMaps(v, true, out);
  else if (value && typeof value === 'object') {
    if (inSeq) out.push(value);
    for (const v of Object.values(value)) seqMaps(v, false, out);
  }
  return out;
}

// Strings near every rule of yaml's plain scalars: indicators, `: `, ` #`, quotes, numbers, booleans,
// null, document markers, spaces at the ends, control and line-separator characters, non-ASCII.
const pieces = ['a', 'Z', '_', '0', '1.5', '-', '?', ':', ' ', '#', '"', "'", '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '.', '~', '\t', '\n', '\u0007', '\u0085', '\u2028', 'é', '×', '…', '𝄞', 'true', 'null', 'No', '0x1f', '---', 'e5', '$window', 'job="x"'];
const str = fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((xs) => xs.join(''));
const scalar = fc.oneof(str, fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.constant(undefined));
const key = fc.oneof(fc.constantFrom('apiVersion', 'kind', 'name', 'pace.dev/owner', 'true', '1', 'a b', 'a: b', '-x'), str);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
}));
const top = fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }) as fc.Arbitrary<{ [k: string]: Json }>;
// Data of strings yaml writes plain, sequences of maps most of all (route trees): the fast path answers for most.
const plainStr = fc.constantFrom('a', 'team-a', 'severity="page"', 'pace_service=~"a|b"', '1h', 'x y');
const { plainValue } = fc.letrec((tie) => ({
  plainValue: fc.oneof({ depthSize: 'small' }, plainStr, tie('plainItems'), tie('plainObject')),
  plainItems: fc.array(tie('plainObject'), { maxLength: 3 }),
  plainObject: fc.dictionary(fc.constantFrom('matchers', 'receiver', 'routes', 'name'), tie('plainValue'), { maxKeys: 3 }),
}));
const plainTop = fc.dictionary(fc.constantFrom('route', 'receivers', 'inhibit_rules'), plainValue, { minKeys: 1, maxKeys: 3 }) as fc.Arbitrary<{ [k: string]: Json }>;
const comment = fc.option(fc.array(fc.constantFrom(' SLO x', ' note', '', ' ', 'x: y', ' a # b'), { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n')), { nil: undefined });

describe('yaml-text', () => {
  it('writes exactly what yaml writes, whenever it writes anything (random data, hostile strings)', () => {
    let answered = 0;
    fc.assert(
      fc.property(top, comment, (v, c) => {
        const fast = documentText(v, c);
        if (fast !== undefined) {
          answered++;
          expect(fast).toBe(viaYaml(v, c));
        }
      }),
      { numRuns: Number(process.env.YAML_TEXT_RUNS ?? 3000) },
    );
    expect(answered).toBeGreaterThan(20); // not vacuous (most random documents hold a string yaml quotes)
  });

  it('writes the comments before sequence items as yaml does (random data and comments, hostile ones included)', () => {
    let commented = 0;
    const itemComment = fc.constantFrom('', ' ', ' owner team-a: checkout (high)', ' page: no tier', 'x # y', '   ', '#', ' a\nb', '\t', ' é…', ' a\u2028b');
    fc.assert(
      fc.property(fc.oneof(top, plainTop), comment, fc.array(itemComment, { maxLength: 8 }), (v, c, picks) => {
        const maps = seqMaps(v);
        const items = new Map<object, string>();
        maps.forEach((m, i) => items.set(m, picks[i % Math.max(1, picks.length)] ?? ''));
        const fast = documentText(v, c, items);
        if (fast !== undefined) {
          if ([...items.values()].some(Boolean)) commented++;
          expect(fast).toBe(viaYaml(v, c, items));
        }
      }),
      { numRuns: Number(process.env.YAML_TEXT_RUNS ?? 3000) },
    );
    expect(commented).toBeGreaterThan(5); // not vacuous
    // A route tree as the alertmanager target writes it.
    const route = { matchers: ['pace_service=~"a|b"'], routes: [{ matchers: ['severity="page"'], receiver: 'team-page' }, { matchers: ['severity="ticket"'], receiver: 'team-ticket' }] };
    const doc = { route: { receiver: 'pace-default', routes: [route] } };
    const items = new Map<object, string>([[route, ' owner team: a (high), b (low)'], [route.routes[0], ' page: high'], [route.routes[1], ' ']]);
    expect(documentText(doc, undefined, items)).toBe(viaYaml(doc, undefined, items));
    expect(documentText(doc, undefined, items)).toContain('\n    # owner team: a (high), b (low)\n    - matchers:\n');
    expect(documentText(doc, undefined, new Map([[route, ' two\nlines']]))).toBeUndefined();
  });

  it('answers for the plain data the openslo target writes, and it reads back as the same data', () => {
    const doc = {
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: { name: 'checkout.availability', labels: { env: 'prod' }, annotations: { 'pace.dev/owner': 'payments-team' } },
      spec: {
        description: "Requests that did not fail on the server side (5xx), the storefront's flow.",
        indicator: { query: 'sum(rate(http_requests_total{job="checkout", code!~"5.."}[5m]))' },
        timeWindow: [{ duration: '30d', isRolling: true }],
        objectives: [{ target: 0.999 }, { op: 'gte', value: 1, target: 0.99, timeSliceTarget: 1, timeSliceWindow: 60 }],
        alertPolicies: ['burn-rate.page-1h-5m'],
        empty: {},
        none: [],
        missing: undefined,
        nothing: null,
      },
    };
    const fast = documentText(doc, ' SLO availability\n note: two lines');
    expect(fast).toBeDefined();
    expect(fast).toBe(viaYaml(doc, ' SLO availability\n note: two lines'));
    expect(parse(fast!)).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('leaves to yaml every string it would quote, escape or read as another type', () => {
    for (const s of ['', ' a', 'a ', 'a: b', 'a #b', '#a', '- a', '-', '?', 'true', 'False', 'NULL', '~', '1', '-1', '+1', '.5', '1e3', '0x1f', '0o7', '.inf', '.nan', '---', '...', '"a"', "'a'", '{a}', '[a]', '*a', '&a', '!a', '|a', '>a', '%a', '@a', '`a', 'a\nb', 'a\tb', 'a\u0085b', 'a\u2028b', 'a:'])
      expect(plainSafe(s), JSON.stringify(s)).toBe(false);
    for (const s of ['a', 'openslo/v1', 'x: y'.replace(': ', ':'), 'a#b', 'a - b', 'job="x"', '$window', 'é×…', 'yes', 'on']) expect(plainSafe(s), s).toBe(true);
    expect(documentText({ a: 'x\ny' })).toBeUndefined();
    expect(documentText({ a: -0 })).toBeUndefined();
    expect(documentText({ a: [[1]] })).toBeUndefined();
  });

  it('goYamlText: every string of up to 5 blanks, tabs, newlines and text reads back as itself; blockScalarLoses names exactly the ones plain yaml loses', () => {
    // yaml 2.9 writes `" \n"` as `|+` with no indentation indicator, which reads back as `"\n"` (fuzz
    // finding 11) or does not parse (`"  \n\t\n"`, 13). The alertmanager and openslo targets write
    // through goYamlText, so an owner or a description like that must survive it.
    const A = [' ', '\t', '\n', 'a', '#', '-'];
    const all: string[] = [];
    const rec = (s: string, d: number) => {
      if (s) all.push(s);
      if (d) for (const c of A) rec(s + c, d - 1);
    };
    rec('', 5);
    const readsBack = (v: object, text: string) => {
      try {
        return JSON.stringify(parse(text)) === JSON.stringify(v);
      } catch {
        return false;
      }
    };
    let lost = 0;
    for (const x of all) {
      for (const v of [{ k: x }, { k: [x] }, { k: { j: x } }]) {
        expect(readsBack(v, goYamlText(new Document(v))), JSON.stringify(x)).toBe(true);
        const plainLoses = !readsBack(v, new Document(v).toString({ lineWidth: 0 }));
        if (plainLoses) {
          lost++;
          expect(blockScalarLoses(x), JSON.stringify(x)).toBe(true);
        }
      }
    }
    // The case is real: plain yaml loses some of them (so the assertions above are not vacuous).
    expect(lost).toBeGreaterThan(30);
    expect(blockScalarLoses(' \n')).toBe(true);
    expect(blockScalarLoses('a\n b')).toBe(false);
  });
});

describe('output.ts scalars', () => {
  // yamlQuoted's fast path (`"s"` for printable ASCII without `"` and `\`) against what it stands for.
  it("yamlQuoted is JSON's quoting with Go's line breaks escaped, for every code unit alone and among text", () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `a${ch}b`]) expect(yamlQuoted(s), `U+${c.toString(16)}`).toBe(escapeGoYamlBreaks(JSON.stringify(s)));
    }
    fc.assert(fc.property(str, (s) => yamlQuoted(s) === escapeGoYamlBreaks(JSON.stringify(s))));
  });

  it('yamlExpr single-quotes one line of printable text, doubling its quotes, and reads back as itself', () => {
    for (const s of ['rate(x[5m])', "a'b", "''", 'sum by (job) (x{code=~"5.."})', 'a\nb', 'a\u2028b'])
      expect(parse(`k: ${yamlExpr(s)}`)).toEqual({ k: s });
    expect(yamlExpr("it's")).toBe("'it''s'");
    expect(yamlExpr('x')).toBe("'x'");
  });
});
