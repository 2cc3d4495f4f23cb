// Every language feature over the protocol, against the bundled server: positions are UTF-16.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CodeAction,
  CodeLens,
  CompletionList,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InlayHint,
  Location,
  SelectionRange,
  SemanticTokens,
  SymbolInformation,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { fixture } from '../helpers/fixture.js';
import { CAPABILITIES, LspClient, pos } from '../helpers/lsp-harness.js';

// `<|>` marks are stripped by the fixture helper; the marked sources below are used for cursor offsets.
const CHECKOUT_MARKED = `/// The storefront's purchase flow — 😀 emoji before the cursor keeps UTF-16 honest.
service checkout {
  title      = "Checkout 😀"
  tier       = critical
  depends_on = [payments]

  /// Requests that did not fail on the server side.
  sli availability = ratio {
    good  = http_requests_total{job="checkout", code!~"5.."}
    total = http_requests_total{job="checkout"}
  }

  slo availability {
    sli       = availability
    objective = 99.9%
    window    = 30d
  }

  slo monthly {
    sli       = availability
    objective = 99.9%
    window    = calendar month
    alerting  = standard
  }

  sla enterprise {
    slo       = availability
    objective = 99.5%
    window    = calendar month
    credit 10% below 99.5%
  }
}
`;

const FIXTURE = `
//- pace.yaml
version: 1
//- checkout.pace
${CHECKOUT_MARKED}
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

alerting standard {
  page   when burn_rate > 14.4 over 1h and 5m
  ticket when burn_rate > 1    over 3d and 6h
}
//- objectives.pace
objective growth {
  supported_by = [checkout.availability, payments.ok]
  kpi conversion {
    measure = ratio(a_total, b_total)
    target >= 3.5%
    window = 28d
  }
}
`;

const fx = fixture(FIXTURE);
const TEXT = fx.files.find((f) => f.path === 'checkout.pace')!.text;

/** The position of the n-th occurrence of `needle` (plus `delta` characters) in checkout.pace. */
function at(needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = TEXT.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`not found: ${needle}`);
  return pos(TEXT, i + delta);
}

function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => off(b.range.start) - off(a.range.start))) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

describe('language features', () => {
  let c: LspClient;
  let uri: string;
  const doc = () => ({ textDocument: { uri } });

  beforeAll(async () => {
    c = await LspClient.start({ fixture: fx, waitFor: ['checkout.pace'] });
    uri = c.uri('checkout.pace');
    await c.open('checkout.pace', TEXT);
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('completes attribute names from the block table, with markdown docs and snippets', async () => {
    const text = TEXT.replace('  tier       = critical\n', '  tier       = critical\n  ow\n');
    await c.change('checkout.pace', text);
    const p = pos(text, text.indexOf('  ow\n') + 4);
    const r = await c.request<CompletionList>('textDocument/completion', { ...doc(), position: p });
    const owner = r.items.find((i) => i.label === 'owner')!;
    expect(owner).toMatchObject({ kind: 10, insertTextFormat: 2, textEdit: { range: { start: { line: p.line, character: 2 }, end: p }, newText: 'owner = "$0"' } });
    expect(owner.documentation).toEqual({ kind: 'markdown', value: expect.stringContaining('The team that owns the service.') });
    expect(r.items.map((i) => i.label)).not.toContain('tier');
    await c.change('checkout.pace', TEXT);
  });

  it('completes this service’s SLIs after sli =, and another service’s after sli = svc.', async () => {
    const text = TEXT.replace('sli       = availability\n    objective = 99.9%\n    window    = 30d', 'sli       = \n    objective = 99.9%\n    window    = 30d');
    await c.change('checkout.pace', text);
    const r = await c.request<CompletionList>('textDocument/completion', { ...doc(), position: pos(text, text.indexOf('sli       = \n') + 12) });
    // This service's SLIs, then the other services with SLIs, as the first part of `service.sli`.
    expect(r.items.map((i) => i.label)).toEqual(['availability', 'payments']);
    expect(r.items[0].documentation).toMatchObject({ value: expect.stringContaining('Requests that did not fail') });
    expect(r.items[1]).toMatchObject({ textEdit: { newText: 'payments.' }, command: { command: 'editor.action.triggerSuggest' } });
    const dotted = text.replace('sli       = \n', 'sli       = payments.\n');
    await c.change('checkout.pace', dotted);
    const q = await c.request<CompletionList>('textDocument/completion', { ...doc(), position: pos(dotted, dotted.indexOf('sli       = payments.') + 21) });
    expect(q.items.map((i) => i.label)).toEqual(['ok']);
    await c.change('checkout.pace', TEXT);
  });

  it('hovers an SLO with its budget and alert rules', async () => {
    const h = await c.request<Hover>('textDocument/hover', { ...doc(), position: at('slo availability', 6) });
    expect(h.range).toEqual({ start: at('slo availability', 4), end: at('slo availability', 16) });
    const v = (h.contents as { value: string }).value;
    expect(v).toContain('**43m12s** of full outage per 30d');
    expect(v).toContain('| page | 14.4× | 1h / 5m | 1.44% | 2% | 51.84s |');
  });

  it('hovers an SLA with monthly downtime and credits', async () => {
    const h = await c.request<Hover>('textDocument/hover', { ...doc(), position: at('sla enterprise', 6) });
    expect((h.contents as { value: string }).value).toContain('Allowed downtime per month: **3h36m**');
  });

  it('goes to a definition in another file', async () => {
    const d = await c.request<Location[]>('textDocument/definition', { ...doc(), position: at('[payments]', 3) });
    expect(d).toEqual([{ uri: c.uri('payments.pace'), range: { start: { line: 0, character: 8 }, end: { line: 0, character: 16 } } }]);
  });

  it('finds references across files, with and without the declaration', async () => {
    const p = at('slo availability', 6);
    const refs = await c.request<Location[]>('textDocument/references', { ...doc(), position: p, context: { includeDeclaration: true } });
    expect(refs.map((r) => r.uri.split('/').pop())).toEqual(['checkout.pace', 'checkout.pace', 'objectives.pace']);
    const without = await c.request<Location[]>('textDocument/references', { ...doc(), position: p, context: { includeDeclaration: false } });
    expect(without).toHaveLength(2);
  });

  it('prepares and performs a rename across files; renaming a service updates service.slo', async () => {
    const prep = await c.request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', { ...doc(), position: at('service checkout', 9) });
    expect(prep).toEqual({ range: { start: at('service checkout', 8), end: at('service checkout', 16) }, placeholder: 'checkout' });
    const edit = await c.request<WorkspaceEdit>('textDocument/rename', { ...doc(), position: at('service checkout', 9), newName: 'shop' });
    expect(Object.keys(edit.changes!).map((u) => u.split('/').pop()).sort()).toEqual(['checkout.pace', 'objectives.pace']);
    expect(edit.changes![c.uri('objectives.pace')]).toEqual([{ range: { start: { line: 1, character: 18 }, end: { line: 1, character: 26 } }, newText: 'shop' }]);
  });

  it('refuses invalid names with a ResponseError', async () => {
    await expect(c.request('textDocument/rename', { ...doc(), position: at('service checkout', 9), newName: 'two words' })).rejects.toMatchObject({ message: expect.stringContaining('not a valid name') });
    await expect(c.request('textDocument/rename', { ...doc(), position: at('service checkout', 9), newName: 'objective' })).rejects.toMatchObject({ message: expect.stringContaining('keyword') });
  });

  it('outlines the document hierarchically', async () => {
    const s = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', doc());
    expect(s.map((x) => x.name)).toEqual(['checkout']);
    expect(s[0].children!.map((x) => `${x.kind}:${x.name}`)).toEqual(['12:availability', '14:availability', '14:monthly', '23:enterprise']);
    expect(s[0].selectionRange).toEqual({ start: at('service checkout', 8), end: at('service checkout', 16) });
  });

  it('finds workspace symbols fuzzily across files', async () => {
    const s = await c.request<SymbolInformation[]>('workspace/symbol', { query: 'stnd' });
    expect(s.map((x) => x.name)).toEqual(['standard']);
    expect(s[0].location.uri).toBe(c.uri('payments.pace'));
  });

  it('folds blocks and comment runs', async () => {
    const f = await c.request<FoldingRange[]>('textDocument/foldingRange', doc());
    expect(f).toContainEqual({ startLine: at('service checkout').line, endLine: at('sla enterprise').line + 5, kind: 'region' });
    expect(f).toContainEqual({ startLine: at('sli availability').line, endLine: at('sli availability').line + 2, kind: 'region' });
  });

  it('expands selections outwards', async () => {
    const [s] = await c.request<SelectionRange[]>('textDocument/selectionRange', { ...doc(), positions: [at('99.9%', 2)] });
    expect(s.range).toEqual({ start: at('99.9%'), end: at('99.9%', 5) });
    expect(s.parent!.range).toEqual({ start: at('objective = 99.9%'), end: at('objective = 99.9%', 17) });
  });

  it('formats the document with minimal edits, and not at all with syntax errors', async () => {
    const messy = TEXT.replace('  tier       = critical', '      tier = critical');
    await c.change('checkout.pace', messy);
    const edits = await c.request<TextEdit[]>('textDocument/formatting', { ...doc(), options: { tabSize: 2, insertSpaces: true } });
    expect(apply(messy, edits)).toBe(TEXT);
    expect(edits).toHaveLength(1);
    const range = await c.request<TextEdit[]>('textDocument/rangeFormatting', { ...doc(), range: { start: at('sla enterprise'), end: at('credit') }, options: { tabSize: 2, insertSpaces: true } });
    expect(range).toEqual([]);
    await c.change('checkout.pace', messy + 'service {');
    expect(await c.request<TextEdit[]>('textDocument/formatting', { ...doc(), options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
    await c.change('checkout.pace', TEXT);
  });

  it('encodes semantic tokens with the declared legend', async () => {
    const legend = c.initializeResult.capabilities.semanticTokensProvider!.legend;
    const t = await c.request<SemanticTokens>('textDocument/semanticTokens/full', doc());
    const decoded: string[] = [];
    let line = 0;
    let ch = 0;
    for (let i = 0; i < t.data.length; i += 5) {
      const [dl, ds, len, type, mods] = t.data.slice(i, i + 5);
      line += dl;
      ch = dl ? ds : ch + ds;
      const mod = legend.tokenModifiers.filter((_, b) => mods & (1 << b));
      decoded.push(`${line}:${ch}:${TEXT.split('\n')[line].slice(ch, ch + len)}:${legend.tokenTypes[type]}${mod.length ? '.' + mod.join('.') : ''}`);
    }
    const l = at('service checkout').line;
    expect(decoded.slice(0, 6)).toEqual([`${l}:0:service:keyword`, `${l}:8:checkout:namespace.declaration.documentation`, `${l + 1}:2:title:property`, `${l + 2}:2:tier:property`, `${l + 2}:15:critical:enumMember`, `${l + 3}:2:depends_on:property`]);
    expect(decoded).toContain(`${at("objective = 99.9%").line}:16:99.9%:number`);
  });

  it('offers quick fixes from diagnostics and "Create SLI"', async () => {
    const text = TEXT.replace('sli       = availability\n    objective = 99.9%\n    window    = 30d', 'sli       = latency_ok\n    objective = 0.999\n    window    = 30d');
    const mark = c.mark();
    await c.change('checkout.pace', text);
    const diags = await c.waitForDiagnostics('checkout.pace', { after: mark, until: (l) => l.length === 2 });
    const wrong = diags.find((d) => d.code === 'check/wrong-type')!;
    const fix = await c.request<CodeAction[]>('textDocument/codeAction', { ...doc(), range: wrong.range, context: { diagnostics: [wrong] } });
    expect(fix).toEqual([{ title: 'Change to 99.9%', kind: 'quickfix', isPreferred: true, diagnostics: [wrong], edit: { changes: { [uri]: [{ range: wrong.range, newText: '99.9%' }] } } }]);
    const unresolved = diags.find((d) => d.code === 'link/unresolved-reference')!;
    const create = await c.request<CodeAction[]>('textDocument/codeAction', { ...doc(), range: unresolved.range, context: { diagnostics: [unresolved] } });
    expect(create.map((a) => a.title)).toEqual(["Create SLI 'latency_ok'"]);
    const after = apply(text, create[0].edit!.changes![uri]);
    expect(after).toContain('  sli latency_ok = ratio {\n    good  = http_requests_total{job="checkout", code!~"5.."}');
    // Applying both fixes leaves a clean file.
    const mark2 = c.mark();
    await c.change('checkout.pace', apply(after, [{ range: { start: pos(after, after.indexOf('0.999')), end: pos(after, after.indexOf('0.999') + 5) }, newText: '99.9%' }]));
    await c.waitForDiagnostics('checkout.pace', { after: mark2, until: (l) => l.length === 0 });
    await c.change('checkout.pace', TEXT);
  });

  it('uses the fixes in a diagnostic’s data when the analysis no longer has it', async () => {
    const stale = { range: at('objective = 99.9%', 12), source: 'pace', code: 'check/wrong-type', message: 'old', data: { fixes: [{ title: 'Old fix', preferred: true, edits: [{ uri, range: { start: at('99.9%'), end: at('99.9%', 5) }, newText: '99%' }] }] } };
    const r = await c.request<CodeAction[]>('textDocument/codeAction', { ...doc(), range: { start: at('99.9%'), end: at('99.9%') }, context: { diagnostics: [{ ...stale, range: { start: at('99.9%'), end: at('99.9%', 5) } }] } });
    expect(r.map((a) => a.title)).toEqual(['Old fix']);
  });

  it('shows inlay hints after objectives', async () => {
    const h = await c.request<InlayHint[]>('textDocument/inlayHint', { ...doc(), range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } } });
    expect(h.map((x) => [x.position, x.label])).toEqual([
      [at('99.9%', 5), 'budget 43m12s / 30d'],
      [at('99.9%', 5, 1), 'budget 40m19s–44m38s / month'],
      [at('99.5%', 5), 'budget 3h21m36s–3h43m12s / month'],
    ]);
    expect(h[0].paddingLeft).toBe(true);
    const p = await c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: c.uri('payments.pace') }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } } });
    expect(p.map((x) => x.label)).toEqual(['budget 21m36s / 30d', '≥ 2% of budget in 1h', '≥ 10% of budget in 3d']);
  });

  it('shows a code lens with the budget summary on each SLO', async () => {
    const l = await c.request<CodeLens[]>('textDocument/codeLens', doc());
    expect(l.map((x) => [x.range.start.line, x.command?.title])).toEqual([
      [at('slo availability').line, 'budget 0.1% = 43m12s per 30d · 4 alert rules (default)'],
      [at('slo monthly').line, 'budget 0.1% = 40m19s–44m38s per month · 2 alert rules (standard)'],
    ]);
    // A real command (registered by the client) that shows the lens's details.
    expect(l[0].command!.command).toBe('pace.showSloDetails');
    expect(l[0].command!.arguments).toEqual([{ uri, id: 'checkout.availability', title: l[0].command!.title, details: expect.arrayContaining(['SLO checkout.availability: objective 99.9% over a rolling 30d.']) }]);
  });

  it('highlights the occurrences of a symbol in the document', async () => {
    const h = await c.request<{ range: unknown; kind: number }[]>('textDocument/documentHighlight', { ...doc(), position: at('sli availability', 5) });
    expect(h.map((x) => x.kind)).toEqual([3, 2, 2]);
  });
});

describe('quick fixes that add a missing attribute', () => {
  const SRC = 'service a {\n  sli r = ratio {\n    good = g\n    total = t\n  }\n  slo s {\n    sli = r\n    window = 30d\n  }\n}\n';
  const FX = `//- pace.yaml\nversion: 1\n//- a.pace\n${SRC}`;

  async function addObjective(c: LspClient): Promise<CodeAction> {
    const u = c.uri('a.pace');
    await c.open('a.pace', SRC);
    const diags = await c.waitForDiagnostics('a.pace', { until: (l) => l.some((d) => d.code === 'check/missing-attribute') });
    const missing = diags.find((d) => d.code === 'check/missing-attribute')!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: missing.range, context: { diagnostics: [missing] } });
    return actions.find((a) => a.title === "Add 'objective'")!;
  }

  it('inserts a snippet with the value as a placeholder for clients with snippet edits', async () => {
    const caps = { ...CAPABILITIES, workspace: { ...CAPABILITIES.workspace, workspaceEdit: { documentChanges: true, snippetEditSupport: true } } };
    const c = await LspClient.start({ fixture: FX, capabilities: caps, waitFor: ['a.pace'] });
    try {
      const add = await addObjective(c);
      const at = pos(SRC, SRC.indexOf('  }\n}'));
      expect(add.edit).toEqual({ documentChanges: [{ textDocument: { uri: c.uri('a.pace'), version: expect.any(Number) }, edits: [{ range: { start: at, end: at }, snippet: { kind: 'snippet', value: '    objective = ${1:99.9%}\n' } }] }] });
    } finally {
      await c.stop();
    }
  });

  it('falls back to plain text for other clients', async () => {
    const c = await LspClient.start({ fixture: FX, waitFor: ['a.pace'] });
    try {
      const add = await addObjective(c);
      const at = pos(SRC, SRC.indexOf('  }\n}'));
      expect(add.edit).toEqual({ changes: { [c.uri('a.pace')]: [{ range: { start: at, end: at }, newText: '    objective = 99.9%\n' }] } });
    } finally {
      await c.stop();
    }
  });
});
