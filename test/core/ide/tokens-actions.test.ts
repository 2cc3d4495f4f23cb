import { describe, expect, it } from 'vitest';
import { codeActions, codeLenses, formatting, inlayHints, semanticTokens } from '../../../server/src/core/ide/index.js';
import { analyzeFixture } from '../../helpers/fixture.js';
import { Workspace } from '../../../server/src/core/index.js';

describe('semantic tokens', () => {
  it('classifies declarations, references, attributes, numbers and keywords', () => {
    const { analysis, uri, text } = analyzeFixture(`service a {
  tier = high
  sli ok = ratio {
    good  = g{job="a"}
    total = t
  }
  slo s {
    sli       = ok
    objective = 99.9%
    window    = calendar month
    alerting  = p
  }
}
alerting p {
  page when burn_rate > 14.4 over 1h and 5m
}
`);
    const toks = semanticTokens(analysis, uri).map((t) => `${text.slice(t.start, t.start + t.length)}:${t.type}${t.modifiers.length ? '.' + t.modifiers.join('.') : ''}`);
    expect(toks).toEqual([
      'service:keyword',
      'a:namespace.declaration',
      'tier:property',
      'high:enumMember',
      'sli:keyword',
      'ok:function.declaration',
      'ratio:type.defaultLibrary',
      'good:property',
      'g:macro',
      'job:parameter',
      'total:property',
      't:macro',
      'slo:keyword',
      's:variable.declaration',
      'sli:property',
      'ok:function',
      'objective:property',
      '99.9%:number',
      'window:property',
      'calendar:keyword',
      'month:enumMember',
      'alerting:property',
      'p:type',
      'alerting:keyword',
      'p:type.declaration',
      'page:enumMember',
      'when:keyword',
      'burn_rate:variable.readonly.defaultLibrary',
      '>:operator',
      '14.4:number',
      'over:keyword',
      '1h:number',
      'and:keyword',
      '5m:number',
    ]);
  });
});

describe('code actions', () => {
  it('offers the fixes attached to diagnostics', () => {
    const { analysis, uri, text } = analyzeFixture('service a {\n  sli r = ratio {\n    good = g\n    total = t\n  }\n  slo s {\n    sli = r\n    objective = 0.999\n    window = 30d\n  }\n}\n');
    const at = text.indexOf('0.999');
    const actions = codeActions(analysis, uri, { start: at, end: at });
    expect(actions.map((a) => a.title)).toEqual(['Change to 99.9%']);
    expect(actions[0].edits[0]).toMatchObject({ range: { start: at, end: at + 5 }, newText: '99.9%' });
    expect(actions[0].preferred).toBe(true);
  });

  it('offers to add a missing required attribute', () => {
    const { analysis, uri, text } = analyzeFixture('service a {\n  slo s {\n    objective = 99%\n    window = 30d\n  }\n}\n');
    const at = text.indexOf('slo s') + 4;
    const actions = codeActions(analysis, uri, { start: at, end: at });
    expect(actions.map((a) => a.title)).toContain("Add 'sli'");
  });

  it('offers did-you-mean and "Create SLI" for an unresolved sli reference', () => {
    const src = 'service checkout {\n  sli fast = latency {\n    histogram = h\n    under = 300ms\n  }\n\n  /// Doc.\n  slo s {\n    sli = fas\n    objective = 99%\n    window = 30d\n  }\n}\n';
    const { analysis, uri, text } = analyzeFixture(src);
    const at = text.indexOf('fas\n');
    const actions = codeActions(analysis, uri, { start: at, end: at + 3 });
    expect(actions.map((a) => a.title)).toEqual(["Change to 'fast'", "Create SLI 'fas'"]);
    const create = actions[1].edits[0];
    const insertAt = text.indexOf('  /// Doc.');
    expect(create.range).toEqual({ start: insertAt, end: insertAt });
    expect(create.newText).toBe('  sli fas = ratio {\n    good  = http_requests_total{job="checkout", code!~"5.."}\n    total = http_requests_total{job="checkout"}\n  }\n\n');
  });
});

describe('inlay hints and code lenses', () => {
  const SRC = `service a {
  sli r = ratio {
    good = g
    total = t
  }
  slo rolling {
    sli = r
    objective = 99.9%
    window = 30d
  }
  slo monthly {
    sli = r
    objective = 99.9%
    window = calendar month
    alerting = p
  }
  sla contract {
    slo = rolling
    objective = 99.5%
    window = calendar month
  }
}
alerting p {
  page when burn_rate > 14.4 over 1h and 5m
  ticket when burn_rate > 1 over 3d and 6h
}
`;
  it('shows budgets after objectives and budget shares after burn factors', () => {
    const { analysis, uri, text } = analyzeFixture(SRC);
    const hints = inlayHints(analysis, uri).map((h) => `${/\S+$/.exec(text.slice(0, h.offset))![0]}|${h.label}`);
    expect(hints).toEqual(['99.9%|budget 43m12s / 30d', '99.9%|budget 40m19s–44m38s / month', '99.5%|budget 3h21m36s–3h43m12s / month', '14.4|≥ 2% of budget in 1h', '1|≥ 10% of budget in 3d']);
  });

  it('shows one lens per SLO with its budget summary', () => {
    const { analysis, uri } = analyzeFixture(SRC);
    expect(codeLenses(analysis, uri).map((l) => l.title)).toEqual(['budget 0.1% = 43m12s per 30d · 4 alert rules (default)', 'budget 0.1% = 40m19s–44m38s per month · 2 alert rules (p)']);
  });

  it('gives each lens the SLO it is about and the details to show when it is clicked', () => {
    const { analysis, uri } = analyzeFixture(SRC);
    const [rolling, monthly] = codeLenses(analysis, uri);
    expect(rolling.symbolId).toBe('a.rolling');
    expect(rolling.details[0]).toBe('SLO a.rolling: objective 99.9% over a rolling 30d.');
    expect(rolling.details[1]).toBe('Error budget: 0.1% of events, or 43m12s of full outage per 30d.');
    expect(rolling.details).toHaveLength(3 + 4);
    expect(monthly.symbolId).toBe('a.monthly');
    expect(monthly.details).toContain('page: burn rate 14.4× over 1h and 5m — error rate ≥ 1.44%, 2% of the budget spent; fires after 51.84s.');
    const broken = analyzeFixture('service a {\n  slo s {\n    objective = 99.9%\n  }\n}\n');
    expect(codeLenses(broken.analysis, broken.uri)[0].details[0]).toContain('no budget');
  });
});

describe('formatting', () => {
  it('returns minimal edits from the core formatter', () => {
    const { analysis, uri, text } = analyzeFixture('service a {\n    title = "x"\n  owner   = "y"\n}\n');
    const edits = formatting(analysis, uri);
    let out = text;
    for (const e of [...edits].sort((a, b) => b.range.start - a.range.start)) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
    expect(out).toBe('service a {\n  title = "x"\n  owner = "y"\n}\n');
    expect(edits.length).toBeGreaterThan(0);
  });

  it('formats only the requested range', () => {
    const { analysis, uri, text } = analyzeFixture('service a {\n    title = "x"\n}\nservice b {\n    title = "y"\n}\n');
    const start = text.indexOf('service b');
    const edits = formatting(analysis, uri, {}, { start, end: text.length });
    // The blank line between the blocks and service b's indentation; service a is left alone.
    expect(edits.every((e) => e.range.start >= start)).toBe(true);
    expect(edits.map((e) => e.newText)).toEqual(['\n', '']);
    expect(formatting(analysis, uri)).toHaveLength(3);
  });

  it('makes a lone \\r a \\n, and then has nothing left to do (the workspace keeps the text as given)', () => {
    const ws = new Workspace();
    const uri = 'file:///cr.pace';
    const apply = (t: string, es: ReturnType<typeof formatting>) => [...es].sort((a, b) => b.range.start - a.range.start).reduce((o, e) => o.slice(0, e.range.start) + e.newText + o.slice(e.range.end), t);
    const cr = 'service a {\r  owner = "y"\r}\r';
    ws.setFile(uri, cr);
    const out = apply(cr, formatting(ws.analyze(), uri));
    expect(out).toBe('service a {\n  owner = "y"\n}\n');
    // The stages read the same text both times: only the lone \r's changed.
    ws.setFile(uri, out);
    expect(formatting(ws.analyze(), uri)).toEqual([]);
    ws.setFile(uri, cr);
    expect(apply(cr, formatting(ws.analyze(), uri))).toBe(out);
  });

  it('never formats a file with syntax errors', () => {
    const { analysis, uri } = analyzeFixture('service a {\n    title = \n');
    expect(formatting(analysis, uri)).toEqual([]);
  });
});
