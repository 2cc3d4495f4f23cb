// The preview in the editor, over the protocol, against the bundled server: with sample data
// (pace.yaml `data:`), code lenses and inlay hints show the preview's figures, pace/preview answers
// with the preview's JSON and its page, edits update it (debounced) and a project with errors keeps
// its last good preview, marked stale; without data the definition-only lenses stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeLens, InlayHint } from 'vscode-languageserver-protocol';
import { fixture } from '../helpers/fixture.js';
import { CAPABILITIES, LspClient, pos } from '../helpers/lsp-harness.js';
import { textPage, webviewDocument } from '../../client/src/webview.js';
import { attainmentText } from '../../server/src/core/ide/actions.js';

// The cursor marks where the objective's hints go (right after its value).
const CHECKOUT_MARKED = `service checkout {
  title = "Checkout"

  sli requests = ratio {
    good  = http_requests_total{job="checkout", code!~"5.."}
    total = http_requests_total{job="checkout"}
  }

  slo availability {
    description = "<img src=x onerror=alert(1)> & friends"
    sli         = requests
    objective   = 99.9%<|>
    window      = 30d
  }

  slo fast {
    sli       = requests
    objective = 99%
    window    = 30d
    alerting  = none
  }
}
`;
const fx = fixture(CHECKOUT_MARKED);
const CHECKOUT = fx.files[0].text;
const OBJECTIVE_END = fx.cursor!.offset;

/**
 * Three hours of 1-minute scrapes: 1,999 good and 1 failed request a minute, so an error ratio of
 * exactly 1/2000: attainment 99.95%; of a 99.9% objective's budget (0.1% of 30 days = 43m12s) half
 * is spent, so 50% (21m36s) is left; a burn rate of 0.5 fires no alert of the default policy.
 */
function sampleCsv(good = 1999, bad = 1): string {
  const start = Date.parse('2026-10-01T00:00:00Z') / 1000;
  const lines = ['timestamp,series,value'];
  for (let m = 0; m <= 180; m++) {
    lines.push(`${start + 60 * m},"http_requests_total{job=""checkout"",code=""200""}",${good * m}`);
    lines.push(`${start + 60 * m},"http_requests_total{job=""checkout"",code=""500""}",${bad * m}`);
  }
  return lines.join('\n') + '\n';
}

const WITH_DATA = `
//- pace.yaml
version: 1
name: shop
data:
  - "data/*.csv"
//- checkout.pace
${CHECKOUT}`;

const range = { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } };

async function lenses(c: LspClient): Promise<CodeLens[]> {
  return c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: c.uri('checkout.pace') } });
}

/** Asks until `accept` holds (the preview is computed in the background, after a debounce). */
async function poll<T>(probe: () => Promise<T>, accept: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (accept(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const titles = (l: CodeLens[]) => l.map((x) => x.command?.title);

interface PreviewAnswer {
  project: string;
  name: string;
  title: string;
  status: string;
  stale: boolean;
  message?: string;
  preview: { slos: { id: string; attainment: number | null; errorBudget: { remainingRatio: number | null }; alerts: { severity: string }[] }[] } | null;
  files: string[];
  html?: string;
  nonce?: string;
}

describe('the attainment a lens shows', () => {
  it('has one digit more than the objective, rounded, but never up to an objective it misses', () => {
    expect(attainmentText(0.99939, 0.999)).toBe('99.94%');
    expect(attainmentText(0.999971, 0.9999)).toBe('99.997%');
    expect(attainmentText(0.974, 0.99)).toBe('97.4%');
    // 99.8999% rounds to 99.90%, which would read as meeting 99.9%: shown as 99.89%.
    expect(attainmentText(0.998999, 0.999)).toBe('99.89%');
    expect(attainmentText(0.999, 0.999)).toBe('99.9%');
    expect(attainmentText(0.99900001, 0.999)).toBe('99.9%');
  });
});

describe('the preview in the editor, with sample data', () => {
  let c: LspClient;
  const changed: unknown[] = [];
  beforeAll(async () => {
    c = await LspClient.start({
      fixture: WITH_DATA,
      extraFiles: { 'data/traffic.csv': sampleCsv() },
      capabilities: { ...CAPABILITIES, workspace: { ...CAPABILITIES.workspace, codeLens: { refreshSupport: true }, inlayHint: { refreshSupport: true } } },
      waitFor: ['checkout.pace'],
    });
    c.conn.onNotification('pace/previewChanged', (p: unknown) => {
      changed.push(p);
    });
    c.conn.onRequest('workspace/codeLens/refresh', () => null);
    c.conn.onRequest('workspace/inlayHint/refresh', () => null);
    await c.open('checkout.pace', CHECKOUT);
  }, 30_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('code lenses show attainment, budget left and the alerts fired, with the same command as before', async () => {
    const l = await poll(() => lenses(c), (x) => titles(x).some((t) => t?.includes('budget left')));
    expect(titles(l)).toEqual(['99.95% · budget left 50% (21m36s) · no alerts fired', '99.95% · budget left 95% (6h50m24s) · no alerts fired']);
    expect(l[0].range.start).toEqual(pos(CHECKOUT, CHECKOUT.indexOf('slo availability')));
    expect(l[0].command!.command).toBe('pace.showSloDetails');
    const args = l[0].command!.arguments![0] as { id: string; details: string[] };
    expect(args.id).toBe('checkout.availability');
    expect(args.details[0]).toMatch(/^Preview at 2026-10-01 03:00 UTC: attainment 99\.95% of 99\.9% over 30d\.$/);
    // The definition's details follow the preview's.
    expect(args.details).toContain('SLO checkout.availability: objective 99.9% over a rolling 30d.');
    // The server announced the new figures (the client re-asks for lenses and refreshes the page).
    expect(changed).toContainEqual({ project: c.dir, name: 'shop' });
    // Computed in the worker thread, never on the thread that answers requests.
    expect(c.logs.some((m) => /^Pace: previewed .* on 1 data file in \d+ ms \(preview worker\)\.$/.test(m)), c.logs.join('\n')).toBe(true);
  });

  it('inlay hints show the attainment after the objective, beside its budget', async () => {
    const h = await c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: c.uri('checkout.pace') }, range });
    const after = h.filter((x) => x.position.line === pos(CHECKOUT, OBJECTIVE_END).line);
    expect(after.map((x) => [x.position, x.label])).toEqual([
      [pos(CHECKOUT, OBJECTIVE_END), 'budget 43m12s / 30d'],
      [pos(CHECKOUT, OBJECTIVE_END), 'attained 99.95%'],
    ]);
    expect((after[1].tooltip as { value: string }).value).toContain('Attainment of SLO checkout.availability over 30d on the sample data at 2026-10-01 03:00 UTC: 99.95% (objective 99.9%).');
  });

  it('pace/preview answers with the preview JSON and a page whose user strings are escaped', async () => {
    const a = await c.request<PreviewAnswer>('pace/preview', { uri: c.uri('checkout.pace') });
    expect(a).toMatchObject({ project: c.dir, name: 'shop', title: 'Pace Preview: shop', status: 'ready', stale: false, files: [expect.stringMatching(/data\/traffic\.csv$/)] });
    const slo = a.preview!.slos.find((s) => s.id === 'slo:checkout.availability')!;
    expect(slo.attainment).toBeCloseTo(0.9995, 12);
    expect(slo.errorBudget.remainingRatio).toBeCloseTo(0.5, 9);
    expect(slo.alerts).toEqual([]);
    const html = a.html!;
    expect(a.nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<script nonce="${a.nonce}">`);
    expect(html).toContain('Checkout');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; friends');
    // Every script is the page's own, nonce'd, or inert JSON data; nothing is loaded from elsewhere.
    for (const m of html.matchAll(/<script\b([^>]*)>/g)) expect(m[1]).toMatch(new RegExp(`nonce="${a.nonce!.replace(/[+/]/g, '\\$&')}"|type="application/json"`));
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    // A fresh nonce per answer; html: false leaves the page out.
    const b = await c.request<PreviewAnswer>('pace/preview', { project: c.dir });
    expect(b.nonce).not.toBe(a.nonce);
    expect(b.preview).toEqual(a.preview);
    const j = await c.request<PreviewAnswer>('pace/preview', { uri: c.uri('checkout.pace'), html: false });
    expect(j.html).toBeUndefined();
    expect(j.preview).toEqual(a.preview);
  });

  it('the client shows the page under the webview’s CSP: its nonce, the webview’s resources, nothing else', async () => {
    const a = await c.request<PreviewAnswer>('pace/preview', { uri: c.uri('checkout.pace') });
    const doc = webviewDocument(a.html!, a.nonce!, 'https://file+.vscode-resource.vscode-cdn.net');
    const metas = [...doc.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)].map((m) => m[1].replace(/&#39;/g, "'"));
    expect(metas).toEqual([`default-src 'none'; script-src 'nonce-${a.nonce}'; style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-${a.nonce}'; img-src https://file+.vscode-resource.vscode-cdn.net data:; base-uri 'none'; form-action 'none'`]);
    expect(doc.indexOf('<meta http-equiv="Content-Security-Policy"')).toBeLessThan(doc.indexOf('<script'));
    expect(doc.indexOf('<meta http-equiv="Content-Security-Policy"')).toBeLessThan(doc.indexOf('<style'));
    // Everything else is the server's page.
    expect(doc.replace(/\n<meta http-equiv="Content-Security-Policy"[^>]*>/, '')).toBe(a.html!.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    expect(() => webviewDocument(a.html!, 'x', 'vscode-resource:')).toThrow(/no valid nonce/);
    const t = textPage('Pace Preview: <x>', 'a </pre><script>alert(1)</script>');
    expect(t.html).toContain('<pre>a &lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;</pre>');
    expect(webviewDocument(t.html, t.nonce, 'vscode-resource:')).toContain(`<style nonce="${t.nonce}">`);
  });

  it('follows edits: a tighter objective changes the figures, debounced', async () => {
    const before = changed.length;
    const previewed = () => c.logs.filter((m) => m.startsWith('Pace: previewed ')).length;
    const runs = previewed();
    // Typing: five versions in quick succession are previewed once, after the last.
    for (const o of ['99.91%', '99.92%', '99.93%', '99.95%', '99.99%']) await c.change('checkout.pace', CHECKOUT.replace('objective   = 99.9%', `objective   = ${o}`));
    const l = await poll(() => lenses(c), (x) => !!x[0]?.command?.title.includes('-400%'));
    expect(previewed() - runs).toBe(1);
    // An error ratio of 0.05% spends five budgets of 0.01%: 400% overspent, 4 × 4m19.2s.
    expect(l[0].command!.title).toMatch(/^99\.95% · budget left -400% \(-17m17s\) · /);
    const a = await c.request<PreviewAnswer>('pace/preview', { uri: c.uri('checkout.pace'), html: false });
    const slo = a.preview!.slos.find((s) => s.id === 'slo:checkout.availability')!;
    expect(slo.errorBudget.remainingRatio).toBeCloseTo(-4, 9);
    // The lens counts the alerts the backtest fired (a burn rate of 5 fires the default policy's tickets).
    const pages = slo.alerts.filter((x) => x.severity === 'page').length;
    const tickets = slo.alerts.length - pages;
    expect(tickets).toBeGreaterThan(0);
    expect(l[0].command!.title.endsWith([pages && `${pages} page${pages > 1 ? 's' : ''}`, `${tickets} ticket${tickets > 1 ? 's' : ''}`].filter(Boolean).join(', ') + ' fired')).toBe(true);
    expect(changed.length).toBeGreaterThan(before);
  });

  it('a project with errors keeps its last good preview, marked stale', async () => {
    const good = await c.request<PreviewAnswer>('pace/preview', { uri: c.uri('checkout.pace'), html: false });
    await c.change('checkout.pace', CHECKOUT.replace('sli         = requests', 'sli         = nowhere'));
    const l = await poll(() => lenses(c), (x) => !!x[0]?.command?.title.includes('stale'));
    expect(l[0].command!.title).toMatch(/^99\.95% · budget left -400% \(-17m17s\) · .* fired · stale \(the project has errors\)$/);
    const a = await c.request<PreviewAnswer>('pace/preview', { uri: c.uri('checkout.pace') });
    expect(a).toMatchObject({ status: 'stale', stale: true });
    expect(a.preview).toEqual(good.preview);
    expect(a.html).toContain('<div class="pace-banner" role="status"><strong>Stale.</strong> The project has 1 error');
    const h = await c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: c.uri('checkout.pace') }, range });
    expect(h.map((x) => x.label)).toContain('attained 99.95% · below objective (stale)');
    // Fixed: fresh again.
    await c.change('checkout.pace', CHECKOUT);
    const fresh = await poll(() => lenses(c), (x) => titles(x)[0] === '99.95% · budget left 50% (21m36s) · no alerts fired');
    expect(titles(fresh)[0]).toBe('99.95% · budget left 50% (21m36s) · no alerts fired');
  });

  it('reads the data again when a data file changes on disk', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    // Twice the failures: an error ratio of 1/1000, the whole budget of 99.9% spent.
    writeFileSync(join(c.dir, 'data/traffic.csv'), sampleCsv(1998, 2));
    await c.watched([{ rel: 'data/traffic.csv', type: 2 }]);
    const l = await poll(() => lenses(c), (x) => !!x[0]?.command?.title.startsWith('99.9% · budget left 0%'));
    expect(titles(l)[0]).toMatch(/^99\.9% · budget left 0% \(0s\) · /);
  });
});

describe('the preview in the editor, without sample data', () => {
  let c: LspClient;
  beforeAll(async () => {
    c = await LspClient.start({ fixture: `\n//- pace.yaml\nversion: 1\nname: plain\n//- checkout.pace\n${CHECKOUT}`, waitFor: ['checkout.pace'] });
  }, 30_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('code lenses and inlay hints show the definition only', async () => {
    // Long enough for a preview to have been computed, were there one.
    await new Promise((r) => setTimeout(r, 600));
    expect(titles(await lenses(c))).toEqual(['budget 0.1% = 43m12s per 30d · 4 alert rules (default)', 'budget 1% = 7h12m per 30d · no alerting']);
    const h = await c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: c.uri('checkout.pace') }, range });
    expect(h.map((x) => x.label)).toEqual(['budget 43m12s / 30d', 'budget 7h12m / 30d']);
  });

  it('pace/preview says that there is no data, on a page of its own', async () => {
    const a = await c.request<PreviewAnswer>('pace/preview', { uri: c.uri('checkout.pace') });
    expect(a).toMatchObject({ name: 'plain', title: 'Pace Preview: plain', status: 'no-data', stale: false, preview: null, files: [] });
    expect(a.message).toMatch(/no sample data: list its files under `data:` in pace\.yaml/);
    expect(a.html).toContain(`<style nonce="${a.nonce}">`);
    expect(a.html).toContain('<p class="pace-message">This project has no sample data: list its files under `data:` in pace.yaml (docs/editors.md).</p>');
  });
});

describe('the preview project of the VS Code end-to-end workspace (test/e2e/workspace/preview)', () => {
  let c: LspClient;
  let dir: string;
  beforeAll(async () => {
    const { cpSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    dir = mkdtempSync(join(tmpdir(), 'pace-e2e-ws-'));
    cpSync(join(__dirname, '../e2e/workspace'), dir, { recursive: true });
    c = await LspClient.start({ folder: dir, waitFor: ['preview/shop.pace'] });
  }, 30_000);
  afterAll(async () => {
    await c?.stop();
    const { rmSync } = await import('node:fs');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is a project of its own that previews, while the main project (with broken.pace) says why it does not', async () => {
    const a = await c.request<PreviewAnswer>('pace/preview', { uri: c.uri('preview/shop.pace') });
    expect(a).toMatchObject({ title: 'Pace Preview: shop-preview', status: 'ready', stale: false });
    expect(a.preview!.slos.map((s) => [s.id, s.attainment])).toEqual([['slo:orders.availability', expect.closeTo(0.9995, 12)]]);
    expect(a.html).toContain('Orders &lt;API&gt;');
    expect(a.html).toContain('99.95%');
    const main = await c.request<PreviewAnswer>('pace/preview', { uri: c.uri('checkout.pace'), html: false });
    expect(main).toMatchObject({ name: 'shop-e2e', status: 'no-data' });
    // As the end-to-end test edits it: the page follows.
    const text = c.text('preview/shop.pace') ?? (await import('node:fs')).readFileSync(`${dir}/preview/shop.pace`, 'utf8');
    await c.open('preview/shop.pace', text);
    await c.change('preview/shop.pace', text.replace('99.9%', '99.99%'));
    const b = await poll(() => c.request<PreviewAnswer>('pace/preview', { uri: c.uri('preview/shop.pace') }), (x) => !!x.html?.includes('99.99%'));
    expect(b.html).toContain('99.99%');
  });
});
