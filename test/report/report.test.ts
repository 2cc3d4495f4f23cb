// `pace report`: goldens of the samples' October review (Markdown and HTML), the report's numbers
// against `pace preview --format json` at the same instant, the period's instant and its calendar
// SLAs, the worst hours against the preview's own 1h burn rates, escaping of hostile strings, and
// the usage errors of bad periods (exit 2).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { budget, isoWeeksIn, parsePeriod, preview, rangePeriod, review, reviewHtml, reviewMarkdown, escapeMarkdown, previewCharts, type NormalizedModel, type ReviewResult, type SampleData } from '../../server/src/core/index.js';
import { CLIENT_SCRIPT, PAGE_STYLE } from '../../server/src/core/report/html-assets.js';
import { REVIEW_STYLE } from '../../server/src/core/report/review-html.js';
import { loadSampleData } from '../../server/src/node/data/index.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';
import { modelOf, sampleData, XSS_PROJECT } from '../preview/html-fixture.js';

const root = path.join(__dirname, '../..');
const golden = (name: string) => path.join(__dirname, 'golden', name);
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

/** The HTML with what does not belong in a golden replaced: the random nonce, uPlot, the page's stylesheet and script, and the chart data (kept as each chart's id, kind and points per line). */
function htmlStructure(html: string): string {
  const nonce = /<style nonce="([A-Za-z0-9+/=]+)">/.exec(html)?.[1];
  expect(nonce).toBeDefined();
  return html
    .split(nonce as string)
    .join('NONCE')
    .replace(/(<style nonce="NONCE">)[^]*?(<\/style>)/, '$1/* uPlot */$2')
    .replace(`${PAGE_STYLE}\n${REVIEW_STYLE}`, `/* page style: ${PAGE_STYLE.length} + ${REVIEW_STYLE.length} characters */`)
    .replace(/(<script nonce="NONCE">)[^]*?(<\/script>)/, '$1/* uPlot */$2')
    .replace(CLIENT_SCRIPT, `/* page script: ${CLIENT_SCRIPT.length} characters */`)
    .replace(/(<script type="application\/json" id="pace-data">)([^]*?)(<\/script>)/, (_, a, json, b) => {
      const d = JSON.parse(json) as { charts: { id: string; kind: string; dx: number[]; lines: { label: string; values: (number | null)[] }[]; spans: unknown[] }[] };
      const charts = d.charts.map((c) => ({ id: c.id, kind: c.kind, x: c.dx.length + 1, spans: c.spans.length, lines: c.lines.map((l) => `${l.label}: ${l.values.filter((v) => v !== null).length}`) }));
      return `${a}\n${charts.map((c) => JSON.stringify(c)).join('\n').replace(/[<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n${b}`;
    });
}

let model: NormalizedModel;
let data: SampleData;
let october: ReviewResult;

beforeAll(async () => {
  const project = readProject(path.join(root, 'samples'));
  model = loadWorkspace(project).analyze().normalized().model;
  const loaded = await loadSampleData([path.join(root, 'samples/data/shop.om.br')]);
  data = { series: loaded.series, issues: loaded.issues };
  const p = parsePeriod('2026-10');
  if (!p.period) throw new Error(p.error);
  const r = review(model, data, p.period);
  if (!r.result) throw new Error(r.error);
  october = r.result;
}, 120_000);

describe('pace report samples --period 2026-10', () => {
  it('Markdown: the golden, a wiki page of tables', async () => {
    const r = await run(['report', 'samples', '--period', '2026-10']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    await expect(r.stdout).toMatchFileSnapshot(golden('samples-2026-10.md'));
    // Every table row has as many cells as its head (no stray `|` from a user string).
    for (const block of r.stdout.split('\n\n').filter((b) => b.startsWith('| '))) {
      const rows = block.trim().split('\n');
      const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
      for (const l of rows) expect(cells(l), l).toBe(cells(rows[0]));
    }
    // The summary leads.
    expect(r.stdout.indexOf('## Summary')).toBeLessThan(r.stdout.indexOf('## SLAs'));
  }, 60_000);

  it('HTML: the golden of its structure (nonce, uPlot and chart data aside), written atomically with --out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pace-report-'));
    temps.push(dir);
    const out = path.join(dir, 'review.html');
    const r = await run(['report', 'samples', '--period', '2026-10', '--format', 'html', '--out', out]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    const html = readFileSync(out, 'utf8');
    expect(html.length).toBeLessThan(1.5e6);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-[A-Za-z0-9+/=]{24}&#39;/);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    await expect(htmlStructure(html)).toMatchFileSnapshot(golden('samples-2026-10.html'));
    // A fresh nonce for every page.
    const again = await run(['report', 'samples', '--period', '2026-10', '--format', 'html']);
    expect(/nonce="([^"]+)"/.exec(again.stdout)?.[1]).not.toBe(/nonce="([^"]+)"/.exec(html)?.[1]);
    expect(htmlStructure(again.stdout)).toBe(htmlStructure(html));
  }, 60_000);
});

describe("the report's numbers are the preview's", () => {
  it('at the same instant: every SLO, SLA and KPI figure equals `pace preview --format json --at`, and the alerts are those fired in the period', async () => {
    const atText = new Date(october.at).toISOString();
    // The samples' data ends on 31 October 00:00, before the period's end: the figures are at the data's last sample.
    expect([atText, october.atReason]).toEqual(['2026-10-31T00:00:00.000Z', 'data-end']);
    const pv = await run(['preview', 'samples', '--format', 'json', '--at', atText]);
    expect(pv.code).toBe(0);
    const json = JSON.parse(pv.stdout);
    expect(october.slos.map((s) => s.preview.id)).toEqual(json.slos.map((s: { id: string }) => s.id));
    json.slos.forEach((j: any, i: number) => {
      const s = october.slos[i];
      expect(s.preview.attainment, j.id).toBe(j.attainment);
      expect(s.preview.errorBudget, j.id).toEqual(j.errorBudget);
      expect(s.preview.exhausted, j.id).toBe(j.exhausted);
      expect(s.outOfBudget, j.id).toBe(j.exhausted);
      expect(s.budgetSpent, j.id).toBe(j.errorBudget.remainingRatio === null ? null : 1 - j.errorBudget.remainingRatio);
      expect(s.budgetSpentSeconds, j.id).toBe(j.errorBudget.remainingRatio === null ? null : (1 - j.errorBudget.remainingRatio) * j.errorBudget.totalSeconds);
      const inPeriod = j.alerts.filter((a: any) => a.firedAt >= '2026-10-01T00:00:00.000Z' && a.firedAt < '2026-11-01T00:00:00.000Z');
      expect(s.alerts.map((a) => ({ severity: a.severity, rule: a.rule, firedAt: new Date(a.firedAt).toISOString(), resolvedAt: a.resolvedAt === null ? null : new Date(a.resolvedAt).toISOString() })), j.id).toEqual(
        inPeriod.map((a: any) => ({ severity: a.severity, rule: a.rule, firedAt: a.firedAt, resolvedAt: a.resolvedAt })),
      );
      for (const a of s.alerts) expect(a.durationSeconds).toBe(((a.resolvedAt ?? october.dataEnd) - a.firedAt) / 1000);
    });
    expect(october.slas.map((s) => ({ id: s.preview.id, attainment: s.preview.attainment, met: s.preview.met, creditOwed: s.preview.creditOwed, tier: s.preview.tier, period: s.preview.window.period }))).toEqual(
      json.slas.map((j: any) => ({ id: j.id, attainment: j.attainment, met: j.met, creditOwed: j.creditOwed, tier: j.tier, period: j.window.period })),
    );
    expect(october.kpis.map((k) => ({ id: k.id, value: k.value, meetsTarget: k.meetsTarget, sentence: k.trend?.sentence ?? null }))).toEqual(
      json.kpis.map((j: any) => ({ id: j.id, value: j.value, meetsTarget: j.meetsTarget, sentence: j.trend?.sentence ?? null })),
    );
    // And the Markdown page prints those numbers: each SLO row's attainment and budget left, each SLA row's attainment.
    const md = reviewMarkdown(october);
    for (const j of json.slos.filter((x: any) => x.attainment !== null)) {
      const name = j.id.replace(/^slo:[^.]+\./, '');
      const row = md.split('\n').find((l) => l.startsWith(`| ${j.service.replace('service:', '')} | ${name} | `) && l.includes(' | no |'));
      expect(row, j.id).toBeDefined();
      expect(row).toContain(`| ${budget.formatPercent(j.attainment)} |`);
      expect(row).toContain(`| ${budget.formatPercent(j.errorBudget.remainingRatio)} (${budget.formatDuration(Math.round(j.errorBudget.remainingSeconds))}) |`);
    }
    for (const j of json.slas) expect(md).toContain(`| ${j.window.period} | ${budget.formatPercent(j.attainment)} | ${j.met ? 'met' : 'breached'} |`);
  }, 60_000);

  it('a period the data runs past: the figures are at its last instant, as `pace preview --at` computes them there; alerts after it are left out', async () => {
    const week = parsePeriod('2026-W42').period!; // Mon 12 – Mon 19 October
    expect([new Date(week.from).toISOString(), new Date(week.to).toISOString()]).toEqual(['2026-10-12T00:00:00.000Z', '2026-10-19T00:00:00.000Z']);
    const r = review(model, data, week).result!;
    expect([new Date(r.at).toISOString(), r.atReason]).toEqual(['2026-10-18T23:59:59.999Z', 'period-end']);
    const pv = await run(['preview', 'samples', '--format', 'json', '--at', '2026-10-18T23:59:59.999Z']);
    const json = JSON.parse(pv.stdout);
    expect(r.slos.map((s) => [s.preview.id, s.preview.attainment, s.preview.errorBudget.remainingRatio])).toEqual(json.slos.map((j: any) => [j.id, j.attainment, j.errorBudget.remainingRatio]));
    expect(r.slas.map((s) => [s.preview.id, s.preview.attainment, s.preview.window.period])).toEqual(json.slas.map((j: any) => [j.id, j.attainment, j.window.period]));
    // Only inventory's incident of 14 October fires that week; the 21 October incident is in another week.
    expect([...new Set(r.alerts.map((a) => a.slo))]).toEqual(['slo:inventory.stock_in_sync']);
    expect(r.alerts.every((a) => a.firedAt >= week.from && a.firedAt < week.to)).toBe(true);
    // The worst hours lie in the week.
    expect(r.hoursRanked).toBe(7 * 24);
    for (const h of r.worstHours) expect(h.start >= week.from && h.start + 3_600_000 <= week.to).toBe(true);
  }, 60_000);

  it('a calendar SLA in another zone is the period that holds the report period’s middle, at its own last instant', () => {
    const project = `
service checkout {
  sli availability = ratio {
    bad   = http_requests_total{service="checkout", code="500"}
    total = http_requests_total{service="checkout"}
  }
  slo availability {
    sli       = availability
    objective = 99.9%
    window    = 7d
    alerting  = none
  }
  sla paris {
    slo       = availability
    objective = 99.5%
    window    = calendar month in "Europe/Paris"
    credit 10% below 99.5%
  }
  sla utc {
    slo       = availability
    objective = 99.5%
    window    = calendar month
  }
}
`;
    const m = modelOf(project);
    const d = sampleData(33); // 1 October to 3 November
    const oct = parsePeriod('2026-10').period!;
    const r = review(m, d, oct).result!;
    expect(new Date(r.at).toISOString()).toBe('2026-10-31T23:59:59.999Z');
    const paris = r.slas.find((s) => s.preview.id === 'sla:checkout.paris')!;
    const utc = r.slas.find((s) => s.preview.id === 'sla:checkout.utc')!;
    // At 23:59 UTC on 31 October Paris is in November already: the Paris October ends at 23:00 UTC.
    expect(new Date(paris.at).toISOString()).toBe('2026-10-31T22:59:59.999Z');
    expect(paris.preview.window.period).toBe('Oct 2026');
    expect(paris.preview).toEqual(preview(m, d, { at: paris.at }).slas.find((s) => s.id === 'sla:checkout.paris'));
    expect(utc.at).toBe(r.at);
    expect(utc.preview).toEqual(r.preview.slas.find((s) => s.id === 'sla:checkout.utc'));
    expect(utc.preview.window.period).toBe('Oct 2026');
    // The preview at the report's instant would have shown the Paris November, an hour old.
    expect(r.preview.slas.find((s) => s.id === 'sla:checkout.paris')?.window.period).toBe('Nov 2026');
  });

  it('an SLA breached owes the credit tier it reached, and the summary says so', () => {
    const project = `
service checkout {
  sli availability = ratio {
    bad   = http_requests_total{service="checkout", code="500"}
    total = http_requests_total{service="checkout"}
  }
  slo availability {
    sli       = availability
    objective = 99.99%
    window    = calendar month
    alerting  = none
  }
  sla strict {
    slo       = availability
    objective = 99.99%
    window    = calendar month
    credit 10% below 99.99%
    credit 25% below 99.9%
    credit 50% below 95%
  }
}
`;
    const m = modelOf(project);
    const r = review(m, sampleData(10), parsePeriod('2026-10').period!).result!;
    const s = r.slas[0];
    // The fixture's incident (20% of requests fail for 40 minutes) puts the month between 99.9% and 99.99%: the 10% tier.
    const a = s.preview.attainment!;
    expect(a).toBeGreaterThan(0.999);
    expect(a).toBeLessThan(0.9999);
    const expected = 0.1;
    expect(s.breached).toBe(true);
    expect(s.preview.creditOwed).toBe(expected);
    expect(r.summary.slasBreached).toEqual(['sla:checkout.strict']);
    expect(r.summary.creditsOwed).toEqual([{ sla: 'sla:checkout.strict', credit: expected, tier: s.preview.tier }]);
    expect(r.summary.slosOutOfBudget).toEqual(['slo:checkout.availability']);
    const md = reviewMarkdown(r);
    expect(md).toContain(`- **SLAs breached**: 1 of 1: checkout.strict (${budget.formatPercent(a)} &lt; 99.99%)`);
    expect(md).toContain(`- **Credits owed**: checkout.strict: ${budget.formatPercent(expected)} (${s.preview.tier})`);
    expect(md).toContain(`- **SLOs out of budget**: 1 of 1: checkout.availability (${budget.formatPercent(r.slos[0].budgetSpent!)} spent)`);
    expect(r.slos[0].budgetSpent).toBeGreaterThan(1);
  });
});

describe('the worst hours', () => {
  it('are the whole hours with the highest burn rate of any SLO: the 21 October incident first, each score the preview’s 1h burn rate at the hour’s end', () => {
    const worst = october.worstHours;
    expect(worst.length).toBe(10);
    expect(october.hoursRanked).toBe(30 * 24);
    expect(new Date(worst[0].start).toISOString()).toBe('2026-10-21T14:00:00.000Z');
    for (let i = 1; i < worst.length; i++) expect(worst[i].score).toBeLessThanOrEqual(worst[i - 1].score);
    for (const h of worst.slice(0, 3)) {
      const p = preview(model, data, { at: h.start + 3_600_000 });
      for (const s of h.slos) {
        const slo = p.slos.find((x) => x.id === s.slo)!;
        expect(s.burnRate, `${s.slo} ${new Date(h.start).toISOString()}`).toBeCloseTo(slo.burnRates['1h'] as number, 9);
      }
      expect(h.score).toBe(Math.max(...h.slos.map((s) => s.burnRate)));
      expect(h.bad).toBeCloseTo(h.slos.reduce((n, s) => n + (s.bad ?? 0), 0), 6);
    }
  }, 120_000);
});

describe('hostile strings', () => {
  const m = modelOf(XSS_PROJECT);
  const d = sampleData(3);
  const r = review(m, d, parsePeriod('2026-10').period!).result!;

  it('Markdown: no HTML, no cell broken by `|`', () => {
    const md = reviewMarkdown(r);
    expect(md).not.toMatch(/<(script|img|\/script)/i);
    expect(md).toContain('&lt;/script&gt;&lt;!--');
    expect(escapeMarkdown('a|b <i>*x*</i> _y_ snake_case\nz')).toBe('a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; \\_y\\_ snake_case z');
  });

  it('HTML: every user string escaped, the data JSON cannot end its script', () => {
    const html = reviewHtml(r, previewCharts(m, d, r.preview), { nonce: 'dGVzdC1ub25jZS0xMjM0NTY=', assets: { script: '', style: '' } });
    const body = html.slice(0, html.indexOf('<script type="application/json"'));
    expect(body).not.toMatch(/<(script|img)\b/i);
    const json = html.slice(html.indexOf('<script type="application/json"'), html.indexOf('</script>', html.indexOf('<script type="application/json"')));
    expect(json).not.toMatch(/<\/script|<!--/i);
    expect(() => reviewHtml(r, previewCharts(m, d, r.preview), { nonce: 'short', assets: { script: '', style: '' } })).toThrow(/nonce/);
  });
});

describe('periods', () => {
  it('months, quarters, ISO weeks, days and years, in UTC, half-open', () => {
    const iso = (t: string) => {
      const p = parsePeriod(t).period!;
      return [p.label, new Date(p.from).toISOString().slice(0, 10), new Date(p.to).toISOString().slice(0, 10)];
    };
    expect(iso('2026-10')).toEqual(['Oct 2026', '2026-10-01', '2026-11-01']);
    expect(iso('2026-12')).toEqual(['Dec 2026', '2026-12-01', '2027-01-01']);
    expect(iso('2026-Q4')).toEqual(['Q4 2026', '2026-10-01', '2027-01-01']);
    expect(iso('2026-q1')).toEqual(['Q1 2026', '2026-01-01', '2026-04-01']);
    expect(iso('2026-W01')).toEqual(['2026-W01', '2025-12-29', '2026-01-05']);
    expect(iso('2026-W53')).toEqual(['2026-W53', '2026-12-28', '2027-01-04']);
    expect(iso('2021-W01')).toEqual(['2021-W01', '2021-01-04', '2021-01-11']);
    expect(iso('2028-02-29')).toEqual(['2028-02-29', '2028-02-29', '2028-03-01']);
    expect(iso('2026')).toEqual(['2026', '2026-01-01', '2027-01-01']);
    expect([isoWeeksIn(2020), isoWeeksIn(2021), isoWeeksIn(2026)]).toEqual([53, 52, 53]);
    expect(rangePeriod(Date.UTC(2026, 9, 1), Date.UTC(2026, 9, 8)).period?.label).toBe('2026-10-01 00:00Z to 2026-10-08 00:00Z');
    expect(rangePeriod(5, 5).error).toMatch(/is not before --to/);
  });

  it('a bad --period, --from or --to is one clear line, exit 2, before any data is loaded', async () => {
    const cases: [string[], RegExp][] = [
      [['--period', '2026-13'], /^pace: --period "2026-13": there is no month 13; expected 2026-10 \(a month\), 2026-Q4 \(a quarter\), 2026-W43 \(an ISO week\), 2026-10-05 \(a day\) or 2026 \(a year\), in UTC\n$/],
      [['--period', '2026-Q0'], /^pace: --period "2026-Q0": there is no quarter Q0; expected /],
      [['--period', '2027-W53'], /^pace: --period "2027-W53": 2027 has ISO weeks 1 to 52, not 53; expected /],
      [['--period', '2026-02-29'], /^pace: --period "2026-02-29": Feb 2026 has no day 29; expected /],
      [['--period', 'October'], /^pace: --period "October": not a period; expected /],
      [['--period', '2026-10', '--from', '2026-10-01T00:00:00Z'], /^pace: --period and --from\/--to exclude each other/],
      [['--from', 'last week'], /^pace: --from last week: expected an RFC 3339 time/],
      [['--from', '2026-10-08T00:00:00Z', '--to', '2026-10-01T00:00:00Z'], /^pace: --from 2026-10-08 00:00Z is not before --to 2026-10-01 00:00Z: the period would be empty\n$/],
      [['--period', '2025-10'], /^pace: the period Oct 2025 \(2025-10-01 00:00Z to 2025-11-01 00:00Z\) holds no sample data: the data runs from 2026-10-01 00:00Z to 2026-10-31 00:00Z\n$/],
    ];
    for (const [args, message] of cases) {
      const r = await run(['report', 'samples', ...args]);
      expect([r.code, r.stdout], args.join(' ')).toEqual([2, '']);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const format = await run(['report', 'samples', '--format', 'pdf']);
    expect(format.code).toBe(2);
  }, 120_000);

  it('--from/--to: any range, figures at its last instant', async () => {
    const r = await run(['report', 'samples', '--from', '2026-10-21T12:00:00Z', '--to', '2026-10-22T00:00:00Z']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('# Service review of acme-shop: 2026-10-21 12:00Z to 2026-10-22 00:00Z');
    expect(r.stdout).toContain("Figures at the period's end (2026-10-21T23:59:59.999Z)");
    expect(r.stdout).toContain('| 2026-10-21 14:04Z | 2026-10-21 14:44Z | 40m | checkout | availability | page | 14.4 over 1h and 5m |');
  }, 60_000);
});
