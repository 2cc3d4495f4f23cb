// Headless Debian Chromium for page tests (/usr/bin/chromium driven by playwright-core, which
// downloads no browser), as test/preview/html-browser.test.ts opens the preview page: every request
// is routed (only the page itself is served, anything else is recorded and refused), console errors
// and warnings, page errors, CSP violations and dialogs are recorded.
import { missingPackage } from './debian.js';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const PAGE_URL = 'http://pace.invalid/page.html';

/** Debian's chromium, installed by the test setup (test/setup/global.ts). */
export function ensureChromium(): void {
  if (!existsSync(CHROMIUM)) throw missingPackage('chromium', `${CHROMIUM}`);
}

export async function launchChromium(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export interface LoadedPage {
  readonly page: Page;
  readonly problems: string[];
  readonly requests: string[];
  readonly dialogs: string[];
}

/** Opens `html` as the only thing the browser may load; waits for `readySelector` when scripts run. */
export async function openPage(browser: Browser, html: string, opts: { javaScriptEnabled?: boolean; readySelector?: string } = {}): Promise<LoadedPage> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1, javaScriptEnabled: opts.javaScriptEnabled ?? true });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  // Runs in the page before its scripts (outside its CSP): every violation becomes a console error.
  await page.addInitScript({ content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));" });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === PAGE_URL) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    requests.push(url);
    return route.abort('blockedbyclient');
  });
  await page.goto(PAGE_URL, { waitUntil: 'load' });
  if (opts.javaScriptEnabled !== false && opts.readySelector) await page.waitForSelector(opts.readySelector, { timeout: 10_000 });
  return { page, problems, requests, dialogs };
}
