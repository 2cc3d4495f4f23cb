// The diff's core on models built from text: each row of docs/diff.md's class table, the rename
// heuristic (and when it declines), dependency feasibility, and the generated rules' changes.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { diff, Workspace, type NormalizedModel } from '../../server/src/core/index.js';

function model(files: Record<string, string>): NormalizedModel {
  const ws = new Workspace();
  for (const [name, text] of Object.entries(files)) ws.setFile(`file:///p/${name}`, text);
  const a = ws.analyze();
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => d.message)).toEqual([]);
  return a.normalized().model;
}

const svc = (body: string, name = 'checkout', extra = '') => `service ${name} {${extra}
  sli availability = ratio {
    good  = http_requests_total{job="checkout", code!~"5.."}
    total = http_requests_total{job="checkout"}
  }
${body}
}
`;
const slo = (objective = '99.9%', window = '30d', alerting = 'default', name = 'availability') => `
  slo ${name} {
    sli       = availability
    objective = ${objective}
    window    = ${window}
    alerting  = ${alerting}
  }`;

/** Every reason a change of these tests gave: each must be a row of docs/diff.md's class table (the last test). */
const reasons = new Map<string, string>();
const changes = (a: Record<string, string>, b: Record<string, string>) => {
  const cs = diff.diffModels(model(a), model(b));
  for (const c of cs) reasons.set(c.reason, c.class);
  return cs;
};
const one = (a: Record<string, string>, b: Record<string, string>, field?: string) => {
  const cs = changes(a, b).filter((c) => field === undefined || c.field === field);
  expect(cs).toHaveLength(1);
  return cs[0];
};

describe('SLO objectives and windows', () => {
  it("a lower objective is loosening, with the budget in time (the issue's example)", () => {
    const c = one({ 'a.pace': svc(slo('99.9%')) }, { 'a.pace': svc(slo('99.5%')) }, 'objective');
    expect(c).toMatchObject({ kind: 'changed', entity: 'slo', id: 'slo:checkout.availability', class: 'loosening', reason: 'slo-objective-lowered' });
    expect(c.text).toBe('99.9% → 99.5% over 30d: budget 43m12s → 3h36m');
    expect(c.before).toMatchObject({ objective: 0.999, budgetSeconds: 2592 });
    expect(c.after).toMatchObject({ objective: 0.995, budgetSeconds: 12960 });
  });

  it('a higher objective is tightening, and so are the rules it makes fire sooner', () => {
    const cs = changes({ 'a.pace': svc(slo('99.5%')) }, { 'a.pace': svc(slo('99.9%')) });
    expect(cs.find((c) => c.field === 'objective')).toMatchObject({ class: 'tightening', text: '99.5% → 99.9% over 30d: budget 3h36m → 43m12s' });
    const rules = cs.filter((c) => c.field?.startsWith('rules/'));
    expect(rules).toHaveLength(4);
    expect(rules.every((r) => r.class === 'tightening')).toBe(true);
    // Sloth's 30-day page rule: 14.4 × 0.5% = 7.2% → 14.4 × 0.1% = 1.44%; on a total outage 7.2% of 1h → 1.44% of 1h.
    expect(rules[0].text).toBe('alert rule page when burn_rate > 14.4 over 1h and 5m: threshold 7.2% → 1.44%, time to fire 4m19.2s → 51.84s');
  });

  it('a longer window is loosening, a shorter one tightening, and a calendar month for 30d neutral', () => {
    expect(one({ 'a.pace': svc(slo('99.9%', '7d', 'none')) }, { 'a.pace': svc(slo('99.9%', '30d', 'none')) })).toMatchObject({ field: 'window', class: 'loosening', reason: 'slo-window-longer', text: '99.9% over 7d → 99.9% over 30d: budget 10m4.8s → 43m12s' });
    expect(one({ 'a.pace': svc(slo('99.9%', '30d', 'none')) }, { 'a.pace': svc(slo('99.9%', '7d', 'none')) })).toMatchObject({ class: 'tightening', reason: 'slo-window-shorter' });
    const c = one({ 'a.pace': svc(slo('99.9%', '30d', 'none')) }, { 'a.pace': svc(slo('99.9%', 'calendar month', 'none')) });
    expect(c).toMatchObject({ class: 'neutral', reason: 'slo-window-same-length' });
    expect(c.text).toBe('99.9% over 30d → 99.9% over calendar month: budget 43m12s → 40m19.2s–44m38.4s');
  });

  it('a lower objective over a shorter window is loosening: looser in one respect is enough', () => {
    expect(one({ 'a.pace': svc(slo('99.9%', '30d', 'none')) }, { 'a.pace': svc(slo('99%', '7d', 'none')) })).toMatchObject({ field: 'objective,window', class: 'loosening', reason: 'slo-objective-lowered' });
  });

  it('removing an SLO is loosening, adding one tightening', () => {
    const base = { 'a.pace': svc(slo()) };
    const head = { 'a.pace': svc(slo() + slo('99%', '7d', 'none', 'relaxed')) };
    expect(one(base, head)).toMatchObject({ kind: 'added', id: 'slo:checkout.relaxed', class: 'tightening', text: 'added: 99% over 7d (budget 1h40m48s), alerting = none' });
    expect(one(head, base)).toMatchObject({ kind: 'removed', id: 'slo:checkout.relaxed', class: 'loosening' });
  });
});

describe('alert rules', () => {
  const policy = (rules: string) => `alerting p {\n${rules}\n}\n`;
  const files = (rules: string) => ({ 'a.pace': svc(slo('99.9%', '30d', 'p')), 'p.pace': policy(rules) });

  it('a lower factor is tightening on each SLO, and neutral on the policy itself', () => {
    const cs = changes(files('page when burn_rate > 14.4 over 1h and 5m'), files('page when burn_rate > 10 over 1h and 5m'));
    expect(cs.map((c) => [c.entity, c.class, c.reason])).toEqual([
      ['slo', 'tightening', 'rule-tighter'],
      ['policy', 'neutral', 'policy'],
    ]);
    expect(cs[0].text).toBe('alert rule page when burn_rate > 14.4 over 1h and 5m → page when burn_rate > 10 over 1h and 5m: threshold 1.44% → 1%, time to fire 51.84s → 36s');
    expect(cs[1].text).toContain('used by 1 SLO');
  });

  it('a `for` that delays firing is loosening; a rule removed is loosening, added tightening', () => {
    expect(changes(files('page when burn_rate > 14.4 over 1h and 5m'), files('page when burn_rate > 14.4 over 1h and 5m for 5m')).filter((c) => c.entity === 'slo')).toMatchObject([{ field: 'rules/0', class: 'loosening', text: 'alert rule page when burn_rate > 14.4 over 1h and 5m → page when burn_rate > 14.4 over 1h and 5m for 5m: threshold 1.44%, time to fire 51.84s → 5m51.84s' }]);
    const two = 'page when burn_rate > 14.4 over 1h and 5m\nticket when burn_rate > 1 over 3d and 6h';
    const removed = changes(files(two), files('page when burn_rate > 14.4 over 1h and 5m')).filter((c) => c.entity === 'slo');
    expect(removed).toMatchObject([{ field: 'rules/1', class: 'loosening', reason: 'rule-removed', after: null }]);
    const added = changes(files('page when burn_rate > 14.4 over 1h and 5m'), files(two)).filter((c) => c.entity === 'slo');
    expect(added).toMatchObject([{ field: 'rules/1', class: 'tightening', reason: 'rule-added', before: null }]);
  });

  it('a page turned into a ticket is loosening', () => {
    expect(changes(files('page when burn_rate > 6 over 6h and 30m'), files('ticket when burn_rate > 6 over 6h and 30m')).filter((c) => c.entity === 'slo')).toMatchObject([{ field: 'rules/0', class: 'loosening', reason: 'rule-looser' }]);
  });

  it('alerting = none removes every rule: each one loosening', () => {
    const cs = changes({ 'a.pace': svc(slo('99.9%', '30d', 'default')) }, { 'a.pace': svc(slo('99.9%', '30d', 'none')) });
    expect(cs[0]).toMatchObject({ field: 'alerting', class: 'neutral', text: 'alerting default → none' });
    expect(cs.slice(1).map((c) => c.class)).toEqual(['loosening', 'loosening', 'loosening', 'loosening']);
  });

  it('pairs rules by severity and windows, so that a rule inserted first is one addition', () => {
    const r = diff.pairRules(
      [{ severity: 'page', factor: 14.4, longWindowSeconds: 3600, shortWindowSeconds: 300 }],
      [
        { severity: 'page', factor: 6, longWindowSeconds: 21600, shortWindowSeconds: 1800 },
        { severity: 'page', factor: 14.4, longWindowSeconds: 3600, shortWindowSeconds: 300 },
      ],
    );
    expect(r).toEqual({ pairs: [[0, 1]], removed: [], added: [0] });
  });
});

describe('SLAs', () => {
  const sla = (objective: string, credits: string) => `
  sla gold {
    sli       = availability
    objective = ${objective}
    window    = calendar month
${credits}
  }`;
  const tiers = (a: string, b: string) => `    credit ${a} below 99.5%\n    credit ${b} below 99%`;

  it('a lower SLA objective is loosening, in allowed bad time', () => {
    expect(one({ 'a.pace': svc(slo() + sla('99.5%', tiers('10%', '25%'))) }, { 'a.pace': svc(slo() + sla('99%', '    credit 25% below 99%')) }, 'objective')).toMatchObject({
      entity: 'sla',
      class: 'loosening',
      reason: 'sla-objective-lowered',
      text: '99.5% → 99% over calendar month: allows 3h21m36s–3h43m12s → 6h43m12s–7h26m24s',
    });
  });

  it('lower credits are loosening, higher ones tightening', () => {
    const base = { 'a.pace': svc(slo('99.9%') + sla('99.5%', tiers('10%', '25%'))) };
    expect(one(base, { 'a.pace': svc(slo('99.9%') + sla('99.5%', tiers('5%', '25%'))) })).toMatchObject({ field: 'credits', class: 'loosening', text: 'credits 10% below 99.5%, 25% below 99% → 5% below 99.5%, 25% below 99%' });
    expect(one(base, { 'a.pace': svc(slo('99.9%') + sla('99.5%', tiers('10%', '50%'))) })).toMatchObject({ field: 'credits', class: 'tightening' });
    // More owed below 99%, less between 99% and 99.5%: looser somewhere is loosening.
    expect(one(base, { 'a.pace': svc(slo('99.9%') + sla('99.5%', '    credit 50% below 99%')) })).toMatchObject({ field: 'credits', class: 'loosening' });
  });

  it('removing an SLA is loosening', () => {
    expect(one({ 'a.pace': svc(slo('99.9%') + sla('99.5%', tiers('10%', '25%'))) }, { 'a.pace': svc(slo('99.9%')) })).toMatchObject({ kind: 'removed', entity: 'sla', class: 'loosening' });
  });
});

describe('renames', () => {
  it('an SLO with the same SLI, objective and window under another name is one rename', () => {
    const cs = changes({ 'a.pace': svc(slo('99.9%', '30d', 'default', 'availability')) }, { 'a.pace': svc(slo('99.9%', '30d', 'default', 'success')) });
    expect(cs).toEqual([expect.objectContaining({ kind: 'renamed', entity: 'slo', id: 'slo:checkout.success', baseId: 'slo:checkout.availability', class: 'neutral', text: 'renamed availability → success' })]);
  });

  it('a service with the same SLIs is one rename; what names it elsewhere is translated', () => {
    const other = (dep: string) => `service web {\n  depends_on = [${dep}]\n}\nobjective o {\n  supported_by = [${dep}.availability]\n}\n`;
    const cs = changes({ 'a.pace': svc(slo()), 'b.pace': other('checkout') }, { 'a.pace': svc(slo(), 'orders'), 'b.pace': other('orders') });
    expect(cs).toEqual([expect.objectContaining({ kind: 'renamed', entity: 'service', id: 'service:orders', baseId: 'service:checkout' })]);
  });

  it('declines when the content is ambiguous: two removed and two added with the same signature', () => {
    const two = (a: string, b: string) => ({ 'a.pace': svc(slo('99.9%', '30d', 'none', a) + slo('99.9%', '30d', 'none', b)) });
    const cs = changes(two('a', 'b'), two('c', 'd'));
    expect(cs.map((c) => `${c.kind} ${c.id}`).sort()).toEqual(['added slo:checkout.c', 'added slo:checkout.d', 'removed slo:checkout.a', 'removed slo:checkout.b']);
  });

  it('a renamed SLO whose objective also moved is not a rename', () => {
    const cs = changes({ 'a.pace': svc(slo('99.9%', '30d', 'none', 'a')) }, { 'a.pace': svc(slo('99.5%', '30d', 'none', 'b')) });
    expect(cs.map((c) => c.kind).sort()).toEqual(['added', 'removed']);
  });
});

describe('KPIs, SLIs and dependencies', () => {
  const objective = (kpis: string) => `objective growth {\n  title = "Growth"\n${kpis}\n}\n`;
  const kpi = (name: string, target: string) => `  kpi ${name} {\n    measure = ratio(checkout_completed_total, checkout_started_total)\n    target  ${target}\n    window  = 28d\n  }`;

  it('a KPI added is tightening; a lower `>=` target loosening', () => {
    expect(one({ 'o.pace': objective(kpi('conversion', '>= 3.5%')) }, { 'o.pace': objective(kpi('conversion', '>= 3.5%') + '\n' + kpi('retention', '>= 40%')) })).toMatchObject({ kind: 'added', entity: 'kpi', id: 'kpi:growth.retention', class: 'tightening', text: 'added: ratio(checkout_completed_total, checkout_started_total) >= 40% over 28d' });
    expect(one({ 'o.pace': objective(kpi('conversion', '>= 3.5%')) }, { 'o.pace': objective(kpi('conversion', '>= 3%')) })).toMatchObject({ field: 'target', class: 'loosening', text: 'target >= 3.5% → >= 3%' });
  });

  it('a slower latency threshold is loosening', () => {
    const lat = (under: string) => `service api {\n  sli fast = latency {\n    histogram = http_request_duration_seconds{job="api"}\n    under     = ${under}\n  }\n  slo fast {\n    sli = fast\n    objective = 99%\n    window = 30d\n    alerting = none\n  }\n}\n`;
    expect(one({ 'a.pace': lat('300ms') }, { 'a.pace': lat('500ms') })).toMatchObject({ entity: 'sli', field: 'underSeconds', class: 'loosening', text: 'good under 300ms → 500ms' });
  });

  it('a dependency whose objective drops below what its dependant promises makes it infeasible: loosening', () => {
    const files = (dbObjective: string) => ({
      'a.pace': svc(slo('99.9%', '30d', 'none'), 'checkout', '\n  depends_on = [db]'),
      'db.pace': `service db {\n  sli up = ratio {\n    good  = up_total{job="db", ok="1"}\n    total = up_total{job="db"}\n  }\n  slo up {\n    sli = up\n    objective = ${dbObjective}\n    window = 30d\n    alerting = none\n  }\n}\n`,
    });
    const c = changes(files('99.99%'), files('99.5%')).find((x) => x.field === 'dependencyBound')!;
    expect(c).toMatchObject({ entity: 'service', id: 'service:checkout', class: 'loosening', reason: 'dependency-infeasible', text: 'dependency bound 99.99% (db 99.99%) → 99.5% (db 99.5%): objective 99.9% no longer within it' });
    expect(changes(files('99.5%'), files('99.99%')).find((x) => x.field === 'dependencyBound')).toMatchObject({ class: 'tightening', reason: 'dependency-feasible' });
    // The checker's own bound (check/dependency-objective) agrees: the model's numbers.
    expect(diff.dependencyBounds(model(files('99.5%'))).get('service:checkout')).toMatchObject({ objective: 0.999, bound: 0.995, feasible: false });
  });
});

describe('generated rules', () => {
  it('alerting = none makes the alerts vanish; the error-ratio records of their windows too', () => {
    const g = diff.diffGenerated(model({ 'a.pace': svc(slo('99.9%', '30d', 'default')) }), model({ 'a.pace': svc(slo('99.9%', '30d', 'none')) }));
    const alerts = g.filter((x) => x.type === 'alert');
    expect(alerts.map((a) => `${a.kind} ${a.name} ${a.variant}`)).toEqual([
      'vanished CheckoutAvailabilityErrorBudgetBurn page 1h/5m',
      'vanished CheckoutAvailabilityErrorBudgetBurn page 6h/30m',
      'vanished CheckoutAvailabilityErrorBudgetBurn ticket 1d/2h',
      'vanished CheckoutAvailabilityErrorBudgetBurn ticket 3d/6h',
    ]);
    // Only the 30d window's record stays (the SLO window); 5m, 30m, 1h, 2h, 6h, 1d, 3d vanish.
    expect(g.filter((x) => x.type === 'record').map((r) => `${r.kind} ${r.variant}`)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `vanished pace_window=${w}`));
  });

  it('a lower objective changes the metadata records and every alert expression', () => {
    const g = diff.diffGenerated(model({ 'a.pace': svc(slo('99.9%')) }), model({ 'a.pace': svc(slo('99.5%')) }));
    expect(g.filter((x) => x.type === 'record').map((r) => r.name)).toEqual(['slo:objective:ratio', 'slo:error_budget:ratio', 'slo:period_burn_rate:ratio']);
    expect(g.filter((x) => x.type === 'alert').every((a) => a.kind === 'changed' && a.fields!.includes('expr'))).toBe(true);
    expect(g.find((x) => x.name === 'slo:objective:ratio')).toMatchObject({ before: { expr: 'vector(0.999)' }, after: { expr: 'vector(0.995)' } });
  });
});

describe('the whole', () => {
  const samples = () => {
    const ws = new Workspace();
    for (const f of globSync(['*.pace'], { cwd: path.join(__dirname, '../../samples'), absolute: true })) ws.setFile(`file://${f}`, readFileSync(f, 'utf8'));
    return ws.analyze().normalized().model;
  };

  it('two analyses of the samples: no changes at all', () => {
    const r = diff.diffProjects(samples(), samples(), { base: { label: 'a', kind: 'folder' }, head: { label: 'b', kind: 'folder' } }, { failOn: 'any' });
    expect(r.changes).toEqual([]);
    expect(r.generated).toEqual([]);
    expect(r.gate).toEqual({ failOn: 'any', blocked: false });
  });

  it('the gate: --fail-on loosening blocks only loosening changes, --fail-on any every change', () => {
    const tight = changes({ 'a.pace': svc(slo('99.5%', '30d', 'none')) }, { 'a.pace': svc(slo('99.9%', '30d', 'none')) });
    expect(diff.blocks(tight, 'loosening')).toBe(false);
    expect(diff.blocks(tight, 'any')).toBe(true);
    expect(diff.blocks(tight, undefined)).toBe(false);
    const loose = changes({ 'a.pace': svc(slo('99.9%', '30d', 'none')) }, { 'a.pace': svc(slo('99.5%', '30d', 'none')) });
    expect(diff.blocks(loose, 'loosening')).toBe(true);
  });
});

describe('docs/diff.md', () => {
  it("names every reason these tests met in its class table, with the class the diff gave", () => {
    const doc = readFileSync(path.join(__dirname, '../../docs/diff.md'), 'utf8');
    const table = doc.slice(doc.indexOf('| reason | change | class |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
    const documented = new Map<string, string[]>();
    for (const row of rows) {
      const [names, , cls] = row.split(' | ').map((c) => c.replace(/^\| /, ''));
      const classes = cls.replace(/ \|$/, '').split(' / ');
      const list = [...names.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
      list.forEach((n, i) => documented.set(n, classes.length === list.length ? [classes[i]] : classes));
    }
    expect(reasons.size).toBeGreaterThan(20);
    for (const [reason, cls] of reasons) {
      expect(documented.has(reason), `${reason} is not in docs/diff.md`).toBe(true);
      expect(documented.get(reason), reason).toContain(cls);
    }
  });
});
