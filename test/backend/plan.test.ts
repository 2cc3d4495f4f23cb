// The pure parts of `--prometheus`: the query plan (every expression parses as PromQL, with
// Prometheus's own grammar; windows and conditions as the preview defines them), the assembly from
// answers, range splitting at 11,000 points and redaction.
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { planPreview, planSpan, previewFromAnswers, refineSpan, Workspace, type BackendAnswers } from '../../server/src/core/index.js';
import { redact, splitRange } from '../../server/src/node/backend/index.js';
import { DAY, END, S, samplesModel } from './fixture.js';

function parses(expr: string): boolean {
  let ok = true;
  parser.parse(expr).iterate({ enter: (n) => { if (n.type.isError) ok = false; } });
  return ok;
}

describe('the query plan', () => {
  const model = samplesModel();
  const plan = planPreview(model, { at: END, span: { start: S, end: END } });

  it('asks only PromQL that parses, each question once', () => {
    expect(plan.queries.length).toBeGreaterThan(100);
    for (const q of plan.queries) expect(parses(q.expr), q.expr).toBe(true);
    expect(new Set(plan.queries.map((q) => q.key)).size).toBe(plan.queries.length);
    const span = planSpan(model, { at: END });
    for (const q of span.queries) expect(parses(q.expr), q.expr).toBe(true);
  });

  it('closes a # comment that ends raw PromQL before wrapping it (it would comment out the rest)', () => {
    const ws = new Workspace();
    ws.setFile('file:///c.pace', 'service t {\n  sli e = promql {\n    error_ratio = `sum(rate(e_total[$window])) / sum(rate(r_total[$window])) # errors`\n  }\n  sli p = promql {\n    bad   = `sum(rate(e_total[$window])) # bad`\n    total = `sum(rate(r_total[$window]))`\n  }\n  slo a {\n    sli       = e\n    objective = 99.9%\n    window    = 30d\n  }\n  slo b {\n    sli       = p\n    objective = 99.9%\n    window    = 30d\n  }\n}\n');
    const a = ws.analyze();
    expect(a.errorCount).toBe(0);
    const p = planPreview(a.normalized().model, { at: END, span: { start: S, end: END } });
    expect(p.queries.length).toBeGreaterThan(10);
    for (const q of p.queries) expect(parses(q.expr), q.expr).toBe(true);
    expect(p.queries.some((q) => q.expr.includes('# errors\n)'))).toBe(true);
  });

  it("asks each SLO's sums over its window and every burn-rate window at --at, and each rule's condition over the grid from the first sample", () => {
    const instants = plan.queries.filter((q) => q.kind === 'instant');
    expect(instants.every((q) => q.kind === 'instant' && q.time === END)).toBe(true);
    const exprs = new Set(instants.map((q) => q.expr));
    expect(exprs).toContain('sum(increase(http_requests_total{job="checkout"}[30d]))');
    expect(exprs).toContain('sum(increase(http_requests_total{job="checkout"}[5m]))');
    const ranges = plan.queries.filter((q) => q.kind === 'range');
    const rules = model.services.flatMap((s) => s.slos.flatMap((slo) => slo.alerting?.rules ?? []));
    expect(ranges.length).toBeGreaterThan(20);
    expect(ranges.length).toBeLessThanOrEqual(rules.length);
    for (const q of ranges) expect(q.kind === 'range' && [q.start, q.end, q.step]).toEqual([S, END, 60_000]);
    expect(ranges.some((q) => / > 0\.0144 and .* > 0\.0144$/.test(q.expr))).toBe(true);
  });

  it('finds the span in two rounds: hourly, then on the step around what it found', () => {
    const coarse = planSpan(model, { at: END });
    expect(coarse.queries.every((q) => /\[\d+\w+:1h\]\)\)$/.test(q.expr))).toBe(true);
    const answers: BackendAnswers = new Map(coarse.selectors.flatMap((s) => [[s.first, { value: (S + 3_600_000) / 1000, series: 1 }], [s.last, { value: END / 1000, series: 1 }]] as const));
    const fine = refineSpan(coarse, answers);
    const first = fine.queries.find((q) => q.expr.startsWith('min('));
    expect(first?.time).toBe(S + 3_600_000);
    expect(first?.expr).toMatch(/\[2h:1m\]\)\)$/);
  });

  it('assembles a preview from answers: no answer is no value, never a guess; the backend is named', () => {
    const empty = previewFromAnswers(model, plan, new Map(), { name: 'Prometheus 2.42.0', semantics: 'prometheus', url: 'http://127.0.0.1:9090', detected: true });
    expect(empty.slos.every((s) => s.attainment === null && s.alerts.length === 0)).toBe(true);
    expect(empty.issues[0]).toMatchObject({ severity: 'info', code: 'preview/backend' });
    expect(empty.issues.some((i) => i.code === 'preview/no-value')).toBe(true);
    // One answer pair: that SLO's attainment is good/total, its events the two sums.
    const q = (expr: string) => plan.queries.find((x) => x.expr === expr)!.key;
    const answers = new Map([
      [q('sum(increase(http_requests_total{job="checkout", code!~"5.."}[30d]))'), { value: 999, series: 1 }],
      [q('sum(increase(http_requests_total{job="checkout"}[30d]))'), { value: 1000, series: 1 }],
    ]);
    const one = previewFromAnswers(model, plan, answers, { name: 'x', semantics: 'metricsql', url: 'http://h', detected: true });
    const checkout = one.slos.find((s) => s.id === 'slo:checkout.availability')!;
    expect(checkout.attainment).toBe(0.999);
    expect(checkout.events).toEqual({ total: 1000, bad: 1 });
    expect(one.issues[0].message).toMatch(/MetricsQL's semantics/);
  });

  it('has no grid when the backend holds no data, and says so', () => {
    const none = planPreview(model, { at: END, span: null });
    expect(none.grid).toBeNull();
    expect(none.queries.some((q) => q.kind === 'range')).toBe(false);
    const r = previewFromAnswers(model, none, new Map(), { name: 'x', semantics: 'prometheus', url: 'http://h', detected: false });
    expect(r.issues.find((i) => i.code === 'preview/no-data')?.severity).toBe('error');
    expect(r.issues[0].message).toMatch(/did not say what it is/);
  });
});

describe('range splitting and redaction', () => {
  it('splits a range into consecutive answers of at most 11,000 steps on the same grid', () => {
    const step = 60_000;
    const parts = splitRange(S, S + 30 * DAY, step);
    expect(parts.length).toBe(4);
    let next = S;
    for (const p of parts) {
      expect(p.start).toBe(next);
      expect((p.end - p.start) / step + 1).toBeLessThanOrEqual(11_000);
      next = p.end + step;
    }
    expect(parts.at(-1)?.end).toBe(S + 30 * DAY);
    expect(splitRange(S, S, step)).toEqual([{ start: S, end: S }]);
    expect(splitRange(S, S - 1, step)).toEqual([]);
  });

  it('drops user info from URLs and masks every secret, also URL-encoded', () => {
    expect(redact('GET http://bob:p%40ss@host:9090/api failed for p@ss', ['p@ss', 'bob'])).toBe('GET http://host:9090/api failed for ***');
    expect(redact('token abc123 in abc123', ['abc123'])).toBe('token *** in ***');
  });
});
