// `pace report --format html` in headless Debian Chromium (test/helpers/chromium.ts): the samples'
// October review renders with no console error, no CSP violation and no network request; every
// chart (burn rates with alert spans, budget burn-down, KPI trends) is drawn and each of its lines
// holds data points; without JavaScript the tables are there. A screenshot is kept in
// test/.artifacts/report.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { launchChromium, openPage } from '../helpers/chromium.js';

const root = path.join(__dirname, '../..');
const ARTIFACTS = path.join(__dirname, '../.artifacts');

let browser: Browser;
let html = '';

beforeAll(async () => {
  browser = await launchChromium();
  let stderr = '';
  const code = await main(['report', 'samples', '--period', '2026-10', '--format', 'html'], { stdout: (x) => (html += x), stderr: (x) => (stderr += x), cwd: root, env: {}, isTTY: false });
  expect([code, stderr]).toEqual([0, '']);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the HTML report in Chromium', () => {
  it('draws every chart from its data, with no console error, no CSP violation and no request', async () => {
    const { page, problems, requests, dialogs } = await openPage(browser, html, { readySelector: 'html[data-charts="ready"]' });
    const data = JSON.parse(await page.$eval('#pace-data', (el) => el.textContent ?? '{}')) as { charts: { id: string; kind: string; lines: { values: (number | null)[] }[]; spans: unknown[] }[] };
    const figures = await page.$$eval('figure[data-chart]', (figs) =>
      figs.map((f) => ({ id: f.getAttribute('data-chart'), rendered: f.getAttribute('data-rendered'), error: f.getAttribute('data-error'), canvases: f.querySelectorAll('canvas').length, points: JSON.parse(f.getAttribute('data-points') ?? 'null') as number[] | null })),
    );
    expect(figures.map((f) => f.id)).toEqual(data.charts.map((c) => c.id));
    // Per SLO with figures a burn-rate chart and a budget burn-down; per KPI its trend.
    const kinds = new Set(data.charts.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['budget', 'burn', 'kpi']);
    expect(data.charts.filter((c) => c.kind === 'kpi').length).toBe(10);
    expect(data.charts.filter((c) => c.kind === 'burn').length).toBe(15);
    for (const f of figures) {
      const c = data.charts.find((x) => x.id === f.id)!;
      expect([f.id, f.rendered, f.error, f.canvases]).toEqual([f.id, '1', null, 1]);
      expect(f.points, f.id ?? '').toEqual(c.lines.map((l) => l.values.filter((v) => v !== null).length));
      for (const n of f.points ?? []) expect(n, f.id ?? '').toBeGreaterThan(0);
    }
    // The 21 October incident's pages are spans on checkout's burn-rate chart, and the canvas is drawn on.
    expect(data.charts.find((c) => c.id === 'slo:checkout.availability#burn')?.spans.length).toBe(4);
    const inked = await page.$eval('figure[data-chart="slo:checkout.availability#burn"] canvas', (c: any) => {
      const px: Uint8ClampedArray = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      return n / (c.width * c.height);
    });
    expect(inked).toBeGreaterThan(0.01);
    expect(await page.locator('table.slas tbody tr').count()).toBe(2);
    expect(await page.locator('table.slos tbody tr').count()).toBe(17);
    expect(await page.locator('table.alerts tbody tr').count()).toBe(15);
    expect(await page.locator('table.hours tbody tr').count()).toBe(10);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
    writeFileSync(path.join(ARTIFACTS, 'report.html'), html);
    await page.context().close();
  }, 120_000);

  it('is readable without JavaScript: the summary and the tables are there, nothing is drawn', async () => {
    const { page, problems, requests } = await openPage(browser, html, { javaScriptEnabled: false });
    expect(await page.locator('ul.summary li').allTextContents()).toEqual([
      'SLAs breached: none of 2',
      'Credits owed: none',
      'SLOs out of budget: none of 15',
      'Alerts fired: 4 pages, 11 tickets',
      'KPIs off target: 1 of 10: checkout_growth.conversion',
    ]);
    expect(await page.locator('table.slos').isVisible()).toBe(true);
    expect(await page.locator('canvas').count()).toBe(0);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  }, 60_000);
});
