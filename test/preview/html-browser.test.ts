// The HTML preview in headless Debian Chromium (/usr/bin/chromium, driven by playwright-core, which
// downloads no browser): the page renders with no console error, no CSP violation and no network
// request (every request is routed; only the page itself is served), every chart has a canvas and
// every line holds the data points of its chart; without JavaScript the tables are there; hostile
// strings render as text and no dialog opens. A screenshot is kept in test/.artifacts/preview.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { renderPreviewHtml } from '../../server/src/cli/html/page.js';
import { previewCharts } from '../../server/src/core/evaluate/charts.js';
import { preview } from '../../server/src/core/index.js';
import { modelOf, PROJECT, sampleData, XSS_PROJECT } from './html-fixture.js';
import { launchChromium, openPage, type LoadedPage } from '../helpers/chromium.js';

const root = path.join(__dirname, '../..');
const ARTIFACTS = path.join(__dirname, '../.artifacts');

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The page with every request routed (test/helpers/chromium.ts), once its charts are drawn when scripts run. */
const open = (html: string, opts: { javaScriptEnabled?: boolean } = {}): Promise<LoadedPage> => openPage(browser, html, { ...opts, readySelector: 'html[data-charts="ready"]' });

const model = modelOf(PROJECT);
const data = sampleData();
const result = preview(model, data);

describe('the HTML preview in Chromium', () => {
  it('renders every chart from its data, with no console error, no CSP violation and no network request', async () => {
    const html = renderPreviewHtml(model, data, result);
    const { page, problems, requests, dialogs } = await open(html);
    const expected = previewCharts(model, data, result).charts;
    const figures = await page.$$eval('figure[data-chart]', (figs) =>
      figs.map((f) => ({
        id: f.getAttribute('data-chart'),
        rendered: f.getAttribute('data-rendered'),
        points: JSON.parse(f.getAttribute('data-points') ?? 'null') as number[] | null,
        x: Number(f.getAttribute('data-x')),
        canvases: f.querySelectorAll('canvas').length,
        canvasWidth: f.querySelector('canvas')?.width ?? 0,
        legend: [...f.querySelectorAll('.u-legend .u-label')].map((l) => l.textContent),
      })),
    );
    expect(figures.map((f) => f.id)).toEqual(expected.map((c) => c.id));
    for (const f of figures) {
      const c = expected.find((x) => x.id === f.id)!;
      expect(f.rendered, f.id ?? '').toBe('1');
      expect(f.canvases, f.id ?? '').toBe(1);
      expect(f.canvasWidth, f.id ?? '').toBeGreaterThan(200);
      expect(f.x, f.id ?? '').toBe(c.x.length);
      expect(f.points, f.id ?? '').toEqual(c.lines.map((l) => l.values.filter((v) => v !== null).length));
      for (const n of f.points ?? []) expect(n, f.id ?? '').toBeGreaterThan(0);
      expect(f.legend, f.id ?? '').toEqual(['time', ...c.lines.map((l) => l.label)]);
    }
    // The canvases are drawn on: a chart's plot area is not blank.
    // (The callbacks run in the page; this file is type-checked without the DOM library.)
    const inked = await page.$eval('figure[data-chart="slo:checkout.availability#burn"] canvas', (c: any) => {
      const px: Uint8ClampedArray = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      return n / (c.width * c.height);
    });
    expect(inked).toBeGreaterThan(0.01);
    expect(await page.locator('table.slos tbody tr').count()).toBe(2);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'preview-small.png'), fullPage: true });
    await page.context().close();
  }, 60_000);

  it('renders `pace preview samples --format html` (a month of the samples’ data): every chart drawn, a page under 1.5 MB', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['preview', 'samples', '--format', 'html'], { stdout: (x) => (stdout += x), stderr: (x) => (stderr += x), cwd: root, env: {}, isTTY: false });
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout.length).toBeLessThan(1.5e6);
    const { page, problems, requests, dialogs } = await open(stdout);
    const figures = await page.$$eval('figure[data-chart]', (figs) => figs.map((f) => ({ id: f.getAttribute('data-chart'), rendered: f.getAttribute('data-rendered'), canvases: f.querySelectorAll('canvas').length, points: JSON.parse(f.getAttribute('data-points') ?? '[]') as number[] })));
    expect(figures.length).toBeGreaterThan(30);
    for (const f of figures) {
      expect([f.id, f.rendered, f.canvases]).toEqual([f.id, '1', 1]);
      expect(f.points.length, f.id ?? '').toBeGreaterThan(0);
      for (const n of f.points) expect(n, f.id ?? '').toBeGreaterThan(0);
    }
    // The samples' incident pages: its span and the page threshold are on checkout's burn-rate chart.
    expect(await page.locator('.pill.page').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'preview.png'), fullPage: true });
    writeFileSync(path.join(ARTIFACTS, 'preview.html'), stdout);
    await page.context().close();
  }, 120_000);

  it('is readable without JavaScript: the tables and the notes are there, the charts say why they are empty', async () => {
    const { page, problems, requests } = await open(renderPreviewHtml(model, data, result), { javaScriptEnabled: false });
    expect(await page.locator('table.slos').isVisible()).toBe(true);
    expect(await page.locator('table.slos tbody th').allTextContents()).toEqual(['availabilityOne request in a thousand may fail.', 'fast']);
    expect(await page.locator('table.slas tbody th').allTextContents()).toEqual(['merchants']);
    expect(await page.locator('table.kpis tbody th').allTextContents()).toEqual(['conversion']);
    expect(await page.locator('canvas').count()).toBe(0);
    const note = await page.$eval('.plot', (el) => (globalThis as any).getComputedStyle(el, '::after').content as string);
    expect(note).toContain('drawn by a script');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('shows hostile titles, doc comments and labels as text: no element is injected, no dialog opens', async () => {
    const m = modelOf(XSS_PROJECT);
    const r = preview(m, data);
    const { page, problems, requests, dialogs } = await open(renderPreviewHtml(m, data, r));
    expect(await page.locator('section.service h2').first().textContent()).toBe('<script>alert(1)</script> evil');
    expect(await page.locator('section.service p.desc').textContent()).toBe('"><img src=x onerror=alert(1)> and <script>alert(1)</script>');
    expect(await page.locator('section.service .facts').textContent()).toContain('owner "><img src=x onerror=alert(1)>');
    expect(await page.locator('section.service .tag').textContent()).toBe('team=</script><!--');
    expect(await page.locator('tbody th .desc').textContent()).toBe('"><img src=x onerror=alert(1)>');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(3);
    const kpiCaption = await page.locator('figure[data-chart^="kpi:"] figcaption').textContent();
    expect(kpiCaption).toContain('note!="</script><!--"');
    expect(await page.locator('figure[data-chart^="kpi:"]').getAttribute('data-rendered')).toBe('1');
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  }, 60_000);
});
