import { describe, expect, it } from 'vitest';
import { definition, prepareRename, references, rename } from '../../../server/src/core/ide/index.js';
import { analyzeFixture, memUri } from '../../helpers/fixture.js';

const PROJECT = `
//- checkout.pace
service checkout {
  depends_on = [payments]
  sli availability = ratio {
    good  = g
    total = t
  }
  slo availability {
    sli       = availability
    objective = 99.9%
    window    = 30d
  }
}
//- payments.pace
service payments {
  sli ok = ratio {
    good  = g
    total = t
  }
  slo ok {
    sli       = ok
    objective = 99.95%
    window    = 30d
  }
}
//- objectives.pace
objective growth {
  supported_by = [checkout.availability, payments.ok]
}
`;

function at(marker: string, replace: string, src = PROJECT) {
  return analyzeFixture(src.replace(marker, replace));
}

function texts(a: ReturnType<typeof analyzeFixture>, locs: { uri: string; range: { start: number; end: number } }[]): string[] {
  return locs.map((l) => {
    const f = a.fx.files.find((x) => memUri(x.path) === l.uri)!;
    return `${f.path}:${f.text.slice(l.range.start, l.range.end)}@${l.range.start}`;
  });
}

describe('definition', () => {
  it('goes from a reference to its declaration, across files', () => {
    const a = at('supported_by = [checkout.availability', 'supported_by = [checkout.avail<|>ability');
    const locs = definition(a.analysis, a.uri, a.offset);
    expect(locs).toHaveLength(1);
    expect(locs[0].uri).toBe(memUri('checkout.pace'));
    const text = a.fx.files[0].text;
    // The SLO, not the SLI of the same name.
    expect(locs[0].range.start).toBe(text.indexOf('slo availability') + 4);
  });

  it('goes to the service from the first part of service.slo', () => {
    const a = at('supported_by = [checkout.availability', 'supported_by = [check<|>out.availability');
    const locs = definition(a.analysis, a.uri, a.offset);
    expect(locs[0].range.start).toBe(a.fx.files[0].text.indexOf('service checkout') + 8);
  });

  it('resolves sli = x to the SLI of the same service', () => {
    const a = at('sli       = availability', 'sli       = avail<|>ability');
    const locs = definition(a.analysis, a.uri, a.offset);
    expect(locs[0].range.start).toBe(a.fx.files[0].text.indexOf('sli availability') + 4);
  });
});

describe('references', () => {
  it('lists every reference, with or without the declaration', () => {
    const a = at('service payments', 'service pay<|>ments');
    expect(texts(a, references(a.analysis, a.uri, a.offset, false))).toEqual([
      `checkout.pace:payments@${a.fx.files[0].text.indexOf('[payments]') + 1}`,
      `objectives.pace:payments@${a.fx.files[2].text.indexOf('payments.ok')}`,
    ]);
    expect(references(a.analysis, a.uri, a.offset, true)).toHaveLength(3);
  });
});

describe('rename', () => {
  it('returns the name range in prepareRename', () => {
    const a = at('slo ok {', 'slo o<|>k {');
    const r = prepareRename(a.analysis, a.uri, a.offset);
    expect(r && 'range' in r ? a.text.slice(r.range.start, r.range.end) : r).toBe('ok');
  });

  it('renames an SLO and its qualified references across files', () => {
    const a = at('slo ok {', 'slo o<|>k {');
    const r = rename(a.analysis, a.uri, a.offset, 'healthy');
    expect('edits' in r).toBe(true);
    if (!('edits' in r)) return;
    expect(r.edits.map((e) => e.uri).sort()).toEqual([memUri('objectives.pace'), memUri('payments.pace')]);
    expect(r.edits.every((e) => e.newText === 'healthy')).toBe(true);
  });

  it('renaming a service updates service.slo references and depends_on', () => {
    const a = at('service payments', 'service pay<|>ments');
    const r = rename(a.analysis, a.uri, a.offset, 'billing');
    if (!('edits' in r)) throw new Error(r.error);
    expect(r.edits).toHaveLength(3);
    const obj = a.fx.files[2].text;
    expect(r.edits.find((e) => e.uri === memUri('objectives.pace'))!.range).toEqual({ start: obj.indexOf('payments.ok'), end: obj.indexOf('payments.ok') + 'payments'.length });
  });

  it('refuses invalid names, keywords and clashes', () => {
    const a = at('slo ok {', 'slo o<|>k {');
    expect(rename(a.analysis, a.uri, a.offset, '9lives')).toEqual({ error: expect.stringContaining('not a valid name') });
    expect(rename(a.analysis, a.uri, a.offset, 'a-b')).toEqual({ error: expect.stringContaining('not a valid name') });
    expect(rename(a.analysis, a.uri, a.offset, 'service')).toEqual({ error: expect.stringContaining('keyword') });
    const b = at('service payments', 'service pay<|>ments');
    expect(rename(b.analysis, b.uri, b.offset, 'checkout')).toEqual({ error: expect.stringContaining('already exists') });
  });

  it('refuses builtins', () => {
    const a = analyzeFixture('service a {\n  slo s {\n    alerting = def<|>ault\n  }\n}\n');
    expect(prepareRename(a.analysis, a.uri, a.offset)).toEqual({ error: expect.stringContaining('built in') });
  });
});
