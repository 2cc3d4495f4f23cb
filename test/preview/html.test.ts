// The HTML preview without a browser: the chart series (core/evaluate/charts.ts) against the
// evaluator's reference implementation and the preview's own figures, min/max downsampling, the
// page's escaping and CSP, uPlot inlined by esbuild at build time, and a golden of the page's
// structure (the inlined library and the page's own script and style left out, the nonce injected).
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { downsample, increaseSince, previewCharts, sliWindowSeconds, type Chart } from '../../server/src/core/evaluate/charts.js';
import { errorRatioAt, isStaleNaN, resolveSli, staleNaN, sumIncreaseAt, type Series } from '../../server/src/core/evaluate/index.js';
import { preview } from '../../server/src/core/index.js';
import { escapeHtml, previewHtml, scriptJson } from '../../server/src/core/report/html.js';
import { CLIENT_SCRIPT, PAGE_STYLE } from '../../server/src/core/report/html-assets.js';
import { uplotAssets } from '../../server/src/cli/html/assets.js';
import { modelOf, PROJECT, sampleData, START, XSS_PROJECT } from './html-fixture.js';

const root = path.join(__dirname, '../..');
const NONCE = 'dGVzdC1ub25jZS0xMjM0NTY=';
const model = modelOf(PROJECT);
const data = sampleData();
const result = preview(model, data);
const charts = previewCharts(model, data, result);
const chart = (id: string): Chart => {
  const c = charts.charts.find((x) => x.id === id);
  if (!c) throw new Error(`no chart ${id}`);
  return c;
};
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe('chart series', () => {
  it('increaseSince is sum(increase(x[t − start])) as the reference evaluator computes it, with resets, stale markers and gaps', () => {
    const seriesArb = fc.array(fc.record({ dt: fc.integer({ min: 1, max: 400 }), inc: fc.integer({ min: -3, max: 50 }), stale: fc.boolean() }), { minLength: 0, maxLength: 60 }).map((steps): Series => {
      // Written straight into the typed arrays: a NaN stored in a plain number[] may be canonicalised
      // by V8 (double elements), which turns a stale marker into a NaN sample.
      const t = new Float64Array(steps.length);
      const v = new Float64Array(steps.length);
      let ts = 1_000_000;
      let x = 100;
      steps.forEach((s, i) => {
        ts += s.dt * 1000;
        x = s.inc < 0 ? -s.inc : x + s.inc; // a negative step is a counter reset to a small value
        t[i] = ts;
        v[i] = s.stale && s.dt % 7 === 0 ? staleNaN() : x;
      });
      expect(v.every((y, i) => !Number.isNaN(y) || isStaleNaN(y)), 'every NaN is a stale marker').toBe(true);
      return { metric: 'x_total', labels: {}, t, v };
    });
    fc.assert(
      fc.property(fc.array(seriesArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 3000 }), fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 20 }), (series, startOffset, offsets) => {
        const start = 1_000_000 + startOffset * 1000;
        const times = [...new Set(offsets)].sort((a, b) => a - b).map((o) => start + o * 1000);
        const got = increaseSince(series, start, times);
        times.forEach((t, k) => {
          const want = sumIncreaseAt(series, t, t - start);
          if (want === undefined) expect(got.present[k], `no value at ${t}`).toBe(0);
          else {
            expect(got.present[k], `a value at ${t}`).toBe(1);
            expect(Math.abs(got.v[k] - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('min/max downsampling keeps every spike and dip, the first and last instants, and at most maxPoints points', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null }), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 4, max: 500 }), (ys, maxPoints) => {
        const x = ys.map((_, i) => i * 60_000);
        const col = { v: ys.map((y) => y ?? 0), present: ys.map((y) => (y === null ? 0 : 1)) };
        const d = downsample(x, [col, col], maxPoints);
        expect(d.x.length).toBeLessThanOrEqual(Math.max(maxPoints, ys.length <= maxPoints ? ys.length : 0));
        expect(d.x[0]).toBe(0);
        expect(d.x[d.x.length - 1]).toBe(x[x.length - 1]);
        for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThan(d.x[i - 1]);
        const present = ys.filter((y): y is number => y !== null);
        const kept = d.values[0].filter((y): y is number => y !== null);
        if (present.length) {
          expect(Math.min(...kept)).toBe(Number(Math.min(...present).toPrecision(6)));
          expect(Math.max(...kept)).toBe(Number(Math.max(...present).toPrecision(6)));
        } else expect(kept).toEqual([]);
        expect(d.values[1]).toEqual(d.values[0]);
      }),
      { numRuns: 200 },
    );
  });

  it('gives each SLO a budget burn-down, a burn-rate chart and an SLI chart, and each KPI with data its trend, none over maxPoints', () => {
    expect(charts.charts.map((c) => c.id)).toEqual([
      'slo:checkout.availability#burn',
      'slo:checkout.availability#budget',
      'slo:checkout.availability#sli',
      'slo:checkout.fast#burn',
      'slo:checkout.fast#budget',
      'slo:checkout.fast#sli',
      'kpi:growth.conversion#kpi',
    ]);
    for (const c of charts.charts) {
      expect(c.x.length, c.id).toBeLessThanOrEqual(charts.maxPoints);
      for (const l of c.lines) {
        expect(l.values.length, `${c.id} ${l.label}`).toBe(c.x.length);
        expect(l.values.filter((v) => v !== null).length, `${c.id} ${l.label}`).toBeGreaterThan(0);
      }
    }
    // Ten days of 1-minute steps were cut to the limit.
    expect(chart('slo:checkout.availability#burn').sourcePoints).toBe(10 * 1440);
    expect(chart('slo:checkout.availability#burn').x.length).toBeLessThanOrEqual(2000);
  });

  it('burns the budget down from the window start to exactly the preview’s remaining budget at `at`', () => {
    for (const id of ['slo:checkout.availability', 'slo:checkout.fast']) {
      const c = chart(`${id}#budget`);
      const p = result.slos.find((s) => s.id === id)!;
      expect(c.x[0]).toBe(p.window.start);
      expect(c.x[c.x.length - 1]).toBe(result.at);
      const values = c.lines[0].values;
      expect(rel(values[values.length - 1] as number, p.errorBudget.remainingRatio as number)).toBeLessThan(5e-4); // kept to 4 digits
      expect(values[0]).toBeGreaterThan(0.99);
    }
    // The incident spends most of availability's budget at once: the burn-down falls by more than half around it.
    const c = chart('slo:checkout.availability#budget');
    const i0 = c.x.findIndex((t) => t >= Date.UTC(2026, 9, 8, 13, 0));
    const i1 = c.x.findIndex((t) => t >= Date.UTC(2026, 9, 8, 15, 30));
    expect((c.lines[0].values[i0] as number) - (c.lines[0].values[i1] as number)).toBeGreaterThan(0.5);
  });

  it('draws the burn rate over each rule window with the rules’ factors and the backtest’s firings', () => {
    const c = chart('slo:checkout.availability#burn');
    expect(c.lines.map((l) => [l.label, l.shown])).toEqual([
      ['burn 5m', false],
      ['burn 1h', true],
      ['burn 2h', false],
      ['burn 1d', true],
    ]);
    expect(c.thresholds).toEqual([
      { label: 'page when > 14.4×', value: 14.4, severity: 'page' },
      { label: 'ticket when > 1×', value: 1, severity: 'ticket' },
    ]);
    const p = result.slos.find((s) => s.id === 'slo:checkout.availability')!;
    expect(p.alerts.length).toBe(2);
    expect(c.spans).toEqual(p.alerts.map((a) => ({ label: `${a.severity}: ${a.rule}`, severity: a.severity, from: a.firedAt, to: a.resolvedAt, open: false })));
    // Undecimated, every value is the reference error ratio over the window divided by the budget.
    const full = previewCharts(model, data, result, { maxPoints: 1e9 }).charts.find((x) => x.id === c.id)!;
    const r = resolveSli(model.services[0].slis.find((s) => s.id === 'sli:checkout.availability')!, data.series).resolved!;
    expect(full.lines[1].values[0]).toBeNull(); // one sample: no increase yet
    for (const k of [120, 3000, 7 * 1440 + 14 * 60 + 30, full.x.length - 1]) {
      const want = errorRatioAt(r, full.x[k], 3600_000);
      expect(rel(full.lines[1].values[k] as number, (want as number) / 0.001)).toBeLessThan(5e-3); // kept to 3 digits
    }
    // An SLO without rules: its 1h burn rate against the budget-neutral rate.
    expect(chart('slo:checkout.fast#burn').lines.map((l) => l.label)).toEqual(['burn 1h']);
    expect(chart('slo:checkout.fast#burn').thresholds).toEqual([{ label: 'budget-neutral (1×)', value: 1 }]);
  });

  it('shows the SLI over 1h windows (longer when the data is sparse) with the objective', () => {
    const c = chart('slo:checkout.availability#sli');
    expect(c.thresholds).toEqual([{ label: 'objective 99.9%', value: 0.999 }]);
    const values = c.lines[0].values.filter((v): v is number => v !== null);
    // The incident: 20% of requests fail for 40 minutes, a third of the 1h window's errors spared.
    expect(Math.min(...values)).toBeGreaterThan(0.86);
    expect(Math.min(...values)).toBeLessThan(0.875);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    const r = resolveSli(model.services[0].slis[0], data.series).resolved!;
    expect(sliWindowSeconds(r)).toBe(3600);
    const every = (n: number) => ({ ...r, denominator: r.denominator.map((s) => ({ ...s, t: s.t.filter((_, i) => i % n === 0), v: s.v.filter((_, i) => i % n === 0) })) });
    expect(sliWindowSeconds(every(15))).toBe(3600);
    expect(sliWindowSeconds(every(30))).toBe(7200);
    expect(sliWindowSeconds(every(60))).toBe(21_600);
  });

  it('draws the KPI’s daily values, the fitted trend to its crossing and the target', () => {
    const c = chart('kpi:growth.conversion#kpi');
    const k = result.kpis[0];
    expect(k.trend).not.toBeNull();
    const measured = c.lines[0].values.filter((v) => v !== null);
    expect(measured.length).toBe(k.trend!.points);
    expect(c.lines[1].style).toBe('projection');
    const iAt = c.x.indexOf(result.at);
    expect(rel(c.lines[1].values[iAt] as number, k.trend!.valueAt)).toBeLessThan(1e-5);
    expect(c.x[c.x.length - 1]).toBe(k.trend!.crossesAt);
    expect(rel(c.lines[1].values[c.x.length - 1] as number, 0.035)).toBeLessThan(1e-4);
    expect(c.markers).toEqual([{ label: `crosses ${new Date(k.trend!.crossesAt!).toISOString().slice(0, 10)}`, at: k.trend!.crossesAt }]);
    expect(c.thresholds).toEqual([{ label: 'target ≥ 3.5%', value: 0.035 }]);
  });

  it('burns a time-slice SLO’s budget down in slices, to the preview’s figure', () => {
    const m = modelOf(`
service sync {
  sli fresh = timeslice {
    gauge     = sync_lag_seconds
    good_when < 30
    slice     = 1m
  }
  slo fresh {
    sli       = fresh
    objective = 99%
    window    = 2d
    alerting  = none
  }
}
`);
    const n = 3 * 1440;
    const t = Float64Array.from({ length: n }, (_, i) => START + i * 60_000);
    // Lagging (bad) for 20 of the 1440 minutes of the second day, and 5 of the third.
    const v = Float64Array.from({ length: n }, (_, i) => ((i >= 1440 + 600 && i < 1440 + 620) || (i >= 2880 + 100 && i < 2880 + 105) ? 90 : 3));
    const d = { series: [{ metric: 'sync_lag_seconds', labels: {}, t, v }], issues: [] };
    const r = preview(m, d);
    const c = previewCharts(m, d, r);
    expect(c.charts.map((x) => x.id)).toEqual(['slo:sync.fresh#burn', 'slo:sync.fresh#budget', 'slo:sync.fresh#sli']);
    const budget = c.charts[1].lines[0].values;
    const p = r.slos[0];
    expect(p.errorBudget.remainingRatio).not.toBeNull();
    expect(rel(budget[budget.length - 1] as number, p.errorBudget.remainingRatio as number)).toBeLessThan(5e-4);
    // 25 bad slices of the 2,881 in the window, against a budget of 1%: 1 − 25 / 28.81.
    expect(p.errorBudget.remainingRatio).toBeCloseTo(1 - 25 / 28.81, 6);
    expect(Math.min(...(c.charts[2].lines[0].values.filter((x) => x !== null) as number[]))).toBeCloseTo(1 - 20 / 61, 6);
  });

  it('has no charts for an SLO whose SLI has no data, and none before the data starts', () => {
    const bare = sampleData().series.filter((s) => !s.metric.startsWith('http_request_duration'));
    const d = { series: bare, issues: [] };
    const c = previewCharts(model, d, preview(model, d));
    expect(c.charts.some((x) => x.subject === 'slo:checkout.fast')).toBe(false);
    expect(c.charts.some((x) => x.subject === 'slo:checkout.availability')).toBe(true);
    const early = preview(model, data, { at: START - 3600_000 });
    expect(previewCharts(model, data, early).charts.some((x) => x.kind === 'budget')).toBe(false);
  });
});

function xssPage(nonce = NONCE): string {
  const m = modelOf(XSS_PROJECT);
  const r = preview(m, data);
  return previewHtml(m, r, previewCharts(m, data, r), { nonce, assets: { script: uplotAssets().script, style: uplotAssets().style } });
}

describe('the page', () => {
  it('escapes every user string and keeps the embedded JSON inside its script block', () => {
    const html = xssPage();
    for (const raw of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '</script><!--', '<img']) expect(html).not.toContain(raw);
    expect(html).toContain('<h2>&lt;script&gt;alert(1)&lt;/script&gt; <code>evil</code></h2>');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt; and &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<span class="tag">team=&lt;/script&gt;&lt;!--</span>');
    const json = /<script type="application\/json" id="pace-data">([^]*?)<\/script>/.exec(html)![1];
    expect(json).not.toMatch(/<|>|&/);
    const parsed = JSON.parse(json) as { charts: Chart[] };
    expect(parsed.charts.find((c) => c.kind === 'kpi')!.title).toContain('note!="</script><!--"');
    expect(scriptJson({ a: '</script><!--\u2028&' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u2028\\u0026"}');
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('has a strict CSP with the nonce on every script and style, and nothing that loads', () => {
    const html = previewHtml(model, result, charts, { nonce: NONCE, assets: { script: 'var uPlot = function () {};', style: '.uplot{}' } });
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(head.indexOf('<style'));
    expect(head).toContain(`content="default-src &#39;none&#39;; script-src &#39;nonce-${NONCE}&#39;; style-src &#39;nonce-${NONCE}&#39;; img-src data:; font-src &#39;none&#39;; connect-src &#39;none&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;"`);
    const tags = [...html.matchAll(/<(script|style)\b([^>]*)>/g)].map((m) => m[2]);
    expect(tags).toEqual([` nonce="${NONCE}"`, ` nonce="${NONCE}"`, ' type="application/json" id="pace-data"', ` nonce="${NONCE}"`, ` nonce="${NONCE}"`]);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(() => previewHtml(model, result, charts, { nonce: 'x"><script>', assets: { script: '', style: '' } })).toThrow(/nonce/);
  });

  it('inlines a library whose text holds </script> without ending the element', () => {
    const html = previewHtml(model, result, charts, { nonce: NONCE, assets: { script: 'var s = "</script><script>alert(1)</script>";', style: '' } });
    expect(html).toContain('var s = "<\\/script><script>alert(1)<\\/script>";');
  });

  it('gets uPlot inlined at build time by esbuild (the bundle needs no node_modules)', async () => {
    const out = await esbuild.build({ entryPoints: [path.join(root, 'server/src/cli/html/assets.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent', define: { 'import.meta.url': '"file:///nowhere/bundle.cjs"' } });
    const code = out.outputFiles[0].text;
    const mod: { exports: { uplotAssets?: () => { script: string; style: string; source: string } } } = { exports: {} };
    const nope = () => {
      throw new Error('the bundle must not read node_modules');
    };
    const builtins: Record<string, unknown> = { 'node:fs': { readFileSync: nope }, 'node:module': { createRequire: () => ({ resolve: nope }) } };
    new Function('module', 'exports', 'require', code)(mod, mod.exports, (id: string) => builtins[id] ?? nope());
    const got = mod.exports.uplotAssets!();
    expect(got.source).toBe('bundle');
    expect(got.script).toBe(readFileSync(path.join(root, 'node_modules/uplot/dist/uPlot.iife.min.js'), 'utf8'));
    expect(got.style).toBe(readFileSync(path.join(root, 'node_modules/uplot/dist/uPlot.min.css'), 'utf8'));
    // Run from the sources (as here), the same text comes from node_modules.
    expect(uplotAssets()).toEqual({ ...got, source: 'node_modules' });
  });

  it('matches the golden of its structure (a three-day project; library, page script and style left out)', async () => {
    const small = sampleData(3);
    const r = preview(model, small);
    const html = previewHtml(model, r, previewCharts(model, small, r, { maxPoints: 24 }), { nonce: NONCE, assets: { script: '/* uPlot */', style: '/* uPlot */' }, generator: 'pace (test)' })
      .replace(PAGE_STYLE, `/* page style: ${PAGE_STYLE.length} characters */`)
      .replace(CLIENT_SCRIPT, `/* page script: ${CLIENT_SCRIPT.length} characters */`)
      .replace(/(<script type="application\/json" id="pace-data">)([^]*?)(<\/script>)/, (_, a, json, b) => `${a}\n${JSON.stringify(JSON.parse(json), null, 1).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n${b}`);
    await expect(html).toMatchFileSnapshot('golden/html-structure.html');
  });
});
