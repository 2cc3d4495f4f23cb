// XSS: every HTML page Pace writes — `pace preview --format html`, `pace report --format html` and
// the editor's webview document (client/src/webview.ts over the server's page with its banner) —
// is built from a project whose titles, doc comments, descriptions, owners, label values and KPI
// titles hold hostile strings, then opened in headless Debian Chromium (test/helpers/chromium.ts).
// Asserted: no dialog, no script from a user string runs (payloads set window.__pwned, a trap
// installed before the page's scripts records any write), no console error and no CSP violation
// (an injected handler blocked by the CSP would still be reported as one), no request; the CSP has a
// nonce and no 'unsafe-inline'/'unsafe-eval' for scripts; every hostile string is text in the page.
// Statically: the page's own script uses no eval / new Function / innerHTML, and the chart JSON
// holds no `</script`, `<!--` or raw U+2028.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textPage, webviewDocument } from '../../client/src/webview.js';
import { main } from '../../server/src/cli/main.js';
import { uplotAssets } from '../../server/src/cli/html/assets.js';
import { newNonce, renderPreviewHtml } from '../../server/src/cli/html/page.js';
import { preview } from '../../server/src/core/index.js';
import { CLIENT_SCRIPT } from '../../server/src/core/report/html-assets.js';
import { messagePage, staleBanner, withBanner } from '../../server/src/lsp/preview/page.js';
import { launchChromium, openPage } from '../helpers/chromium.js';
import { modelOf, sampleData } from '../preview/html-fixture.js';

// Each payload sets window.__pwned (and alert()s) if it ever runs.
const SCRIPT = '</script><script>window.__pwned=1;alert(1)</script>';
const IMG = '"><img src=x onerror="window.__pwned=2;alert(1)">';
const JS_URL = 'javascript:window.__pwned=3;alert(1)';
const TEMPLATE = "{{constructor.constructor('window.__pwned=4;alert(1)')()}}";
const LS = 'line\u2028separator\u2029para';
const COMMENT = '<!--<script>window.__pwned=5</script>';
const BACKTICK = '`${window.__pwned=6}` ${alert(1)}';
const SVG = "<svg onload=window.__pwned=7><a href='javascript:alert(1)'>x</a></svg>";

/** Pace string literal: `\` and `"` escaped. */
const lit = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const PROJECT = `
alerting paging {
  page   when burn_rate > 14.4 over 1h and 5m
  ticket when burn_rate > 1 over 1d and 2h
}

/// ${SCRIPT} ${IMG}
service checkout {
  title       = ${lit(SCRIPT + ' ' + TEMPLATE)}
  description = ${lit(IMG + ' ' + LS + ' ' + BACKTICK)}
  owner       = ${lit(IMG)}
  labels      { team = ${lit(COMMENT)}, link = ${lit(JS_URL)}, icon = ${lit(SVG)} }

  /// ${SVG}
  sli availability = ratio {
    bad   = http_requests_total{service="checkout", code="500"}
    total = http_requests_total{service="checkout"}
  }

  /// ${IMG} ${TEMPLATE} ${BACKTICK}
  slo availability {
    title     = ${lit([SCRIPT, IMG, TEMPLATE, BACKTICK, LS].join(' '))}
    sli       = availability
    objective = 99.9%
    window    = 7d
    alerting  = paging
  }

  sla merchants {
    slo       = availability
    objective = 99.5%
    window    = calendar month
    credit 10% below 99.5%
  }
}

objective growth {
  title = ${lit(SVG + ' ' + COMMENT + ' ' + JS_URL)}
  owner = ${lit(IMG)}
  kpi conversion {
    measure = ratio(checkout_completed_total{note!=${lit(SCRIPT)}, tag!=${lit([COMMENT, JS_URL, SVG].join(' '))}}, checkout_started_total)
    target  >= 3.5%
    window  = 2d
  }
}
`;

/** Strings the page must show as text (with how the page may have folded their whitespace). */
const VISIBLE = [SCRIPT, IMG, JS_URL, TEMPLATE, COMMENT, BACKTICK, SVG];

const DAYS = 4;
const data = sampleData(DAYS);
let browser: Browser;
let dir = '';

/** The sample data as CSV (docs/sample-data.md), every 5th minute. */
function csv(): string {
  const lines = ['timestamp,series,value'];
  for (const s of data.series) {
    const name = `${s.metric}{${Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
    const field = `"${name.replace(/"/g, '""')}"`;
    for (let i = 0; i < s.t.length; i += 5) lines.push(`${s.t[i] / 1000},${field},${s.v[i]}`);
  }
  return lines.join('\n') + '\n';
}

async function cli(args: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (x) => (stdout += x), stderr: (x) => (stderr += x), cwd: dir, env: {}, isTTY: false });
  expect([code, stderr]).toEqual([0, '']);
  return stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pace-xss-'));
  writeFileSync(path.join(dir, 'main.pace'), PROJECT);
  writeFileSync(path.join(dir, 'data.csv'), csv());
  writeFileSync(path.join(dir, 'pace.yaml'), 'version: 1\nname: xss-lab\nfiles:\n  - "*.pace"\ndata:\n  - "data.csv"\n');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A trap, installed before the page's own scripts: any write to window.__pwned is recorded. */
const TRAP = `(() => { const hits = []; Object.defineProperty(window, '__pwned', { configurable: false, get() { return hits.length ? hits[0] : undefined; }, set(v) { hits.push(v); console.error('PWNED ' + v); } }); window.__pwnedHits = hits; window.alert = (m) => { hits.push('alert:' + m); console.error('PWNED alert'); }; })();`;

/** Every check of a page in the browser; `scripts` is how many <script> elements the page has. */
async function checkPage(html: string, scripts: number, lineSeparator = true): Promise<void> {
  // The CSP: nonce'd scripts only.
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)].map((m) => m[1].replace(/&#39;/g, "'"));
  expect(metas.length).toBe(1);
  const scriptSrc = /script-src ([^;]*)/.exec(metas[0])?.[1] ?? '';
  expect(scriptSrc).toMatch(/^'nonce-[A-Za-z0-9+/]{16,}={0,2}'$/);
  expect(metas[0]).not.toContain('unsafe-inline');
  expect(metas[0]).not.toContain('unsafe-eval');
  expect(metas[0]).toContain("default-src 'none'");
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1];
  // Every <script> is nonce'd or inert JSON; the JSON cannot end its element or open a comment.
  const tags = [...html.matchAll(/<script\b([^>]*)>/gi)];
  expect(tags.length).toBe(scripts);
  for (const m of tags) expect([m[1] === ` nonce="${nonce}"`, m[1] === ' type="application/json" id="pace-data"'].some(Boolean), m[1]).toBe(true);
  const json = /<script type="application\/json" id="pace-data">([\s\S]*?)<\/script>/.exec(html)![1];
  expect(json).not.toMatch(/<|>|&|\u2028|\u2029/);
  expect(JSON.stringify(JSON.parse(json))).toContain('window.__pwned=1');
  // No hostile string is in the page as markup (outside the script elements' text).
  const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');
  expect(markup).not.toContain('<img');
  expect(markup).not.toContain('<svg');
  expect(markup).not.toContain('<!--');
  const tagsWith = (re: RegExp) => [...markup.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]).filter((t) => re.test(t));
  expect(tagsWith(/(href|src|action)\s*=\s*["']?\s*javascript:/i)).toEqual([]);

  const { page, problems, requests, dialogs } = await openPageWithTrap(html);
  expect(dialogs).toEqual([]);
  expect(problems).toEqual([]);
  expect(requests).toEqual([]);
  expect(await page.evaluate('window.__pwnedHits.slice()')).toEqual([]);
  expect(await page.locator('img, svg, iframe, object, embed, a[href^="javascript:" i]').count()).toBe(0);
  expect(await page.locator('script').count()).toBe(scripts);
  expect(await page.locator('html[data-charts="ready"]').count()).toBe(1);
  // Each hostile string is text: the body's text holds it (whitespace as the page folds it).
  // (The text of the body's elements but its scripts: the JSON data holds the strings too.)
  const raw = (await page.evaluate(`(() => { const b = document.body.cloneNode(true); b.querySelectorAll('script').forEach((s) => s.remove()); return b.textContent; })()`)) as string;
  const text = raw.replace(/\s+/g, ' ');
  expect(VISIBLE.filter((s) => !text.includes(s.replace(/\s+/g, ' ')))).toEqual([]);
  if (lineSeparator) expect(raw.includes(LS)).toBe(true);
  // No element attribute starts an event handler (onerror=, onload=, …).
  // (and no attribute holds a javascript: URL).
  const handlers = (await page.evaluate(`[...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value)).map((a) => el.tagName + ' ' + a.name))`)) as string[];
  expect(handlers).toEqual([]);
  await page.context().close();
}

/** openPage (test/helpers/chromium.ts) with the trap added to its context before the page loads. */
function openPageWithTrap(html: string, readySelector: string | null = 'html[data-charts="ready"]') {
  const trapped = {
    newContext: async (o: Parameters<Browser['newContext']>[0]) => {
      const c = await browser.newContext(o);
      await c.addInitScript({ content: TRAP });
      return c;
    },
  } as unknown as Browser;
  return openPage(trapped, html, { readySelector: readySelector ?? undefined });
}

describe('hostile strings in every HTML page Pace writes', () => {
  it('`pace preview --format html`', async () => {
    await checkPage(await cli(['preview', '.', '--format', 'html']), 3);
  }, 120_000);

  it('`pace report --format html`', async () => {
    await checkPage(await cli(['report', '.', '--period', '2026-10-02', '--format', 'html']), 3);
  }, 120_000);

  it('the editor webview: the server page with its stale banner under the webview CSP', async () => {
    const model = modelOf(PROJECT);
    const result = preview(model, data);
    const nonce = newNonce();
    const page = withBanner(renderPreviewHtml(model, data, result, undefined, nonce), nonce, staleBanner(2));
    const doc = webviewDocument(page, nonce, 'https://*.vscode-cdn.net');
    expect(doc).toContain('class="pace-banner"');
    await checkPage(doc, 3);
  }, 120_000);

  it('the webview’s text and message pages (no preview to show) keep hostile text as text, with no script at all', async () => {
    const hostile = VISIBLE.join(' ');
    const t = textPage(`Pace Preview: ${SCRIPT}`, `${hostile}\n</pre>${IMG}`);
    const nonce = newNonce();
    for (const html of [webviewDocument(t.html, t.nonce, 'https://*.vscode-cdn.net'), webviewDocument(messagePage(`No preview: ${SCRIPT}`, hostile, nonce), nonce, 'https://*.vscode-cdn.net')]) {
      expect(html).not.toMatch(/<script/i);
      const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)].map((m) => m[1].replace(/&#39;/g, "'"));
      expect(metas.length).toBe(1);
      expect(metas[0]).not.toContain('unsafe-');
      const { page, problems, requests, dialogs } = await openPageWithTrap(html, null);
      expect([problems, requests, dialogs]).toEqual([[], [], []]);
      expect(await page.evaluate('window.__pwnedHits.slice()')).toEqual([]);
      expect(await page.locator('img, svg, script, a').count()).toBe(0);
      expect(await page.locator('h1').textContent()).toMatch(new RegExp(`: ${SCRIPT.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
      const body = ((await page.locator('body').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(VISIBLE.filter((s) => !body.includes(s.replace(/\s+/g, ' ')))).toEqual([]);
      await page.context().close();
    }
  }, 120_000);

  it('the checks are not vacuous: markup injected into the same page is caught', async () => {
    const model = modelOf(PROJECT);
    const nonce = newNonce();
    const html = renderPreviewHtml(model, data, preview(model, data), undefined, nonce);
    // An inline handler (blocked by the CSP, reported as a violation) and a script carrying the nonce (runs: the trap sees it).
    const bad = html.replace('<main>', () => `<main><img src=x onerror="window.__pwned=2"><script nonce="${nonce}">window.__pwned=9</script>`);
    const { page, problems } = await openPageWithTrap(bad);
    expect(await page.evaluate('window.__pwnedHits.slice()')).toEqual([9]);
    expect(problems.some((p) => /CSP violation: script-src-attr/.test(p))).toBe(true);
    expect(problems).toContain('console error: PWNED 9');
    await page.context().close();
    await expect(checkPage(bad, 4)).rejects.toThrow();
  }, 120_000);

  it('the page scripts (Pace’s own and uPlot): no eval, new Function, string timers, innerHTML or document.write', () => {
    const sinks = [/\beval\s*\(/, /\bnew\s+Function\b/, /\bFunction\s*\(/, /set(Timeout|Interval)\s*\(\s*["'`]/, /\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\.srcdoc\b/];
    for (const bad of sinks) expect(CLIENT_SCRIPT).not.toMatch(bad);
    for (const bad of sinks) expect(uplotAssets().script).not.toMatch(bad);
    // The chart data is read with JSON.parse from the inert JSON block, nothing else.
    expect(CLIENT_SCRIPT).toContain('JSON.parse(holder.textContent');
  });
});
