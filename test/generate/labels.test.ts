// The label sets of a plan (prometheus.ts): every level's labels merged in key order, the later
// level winning (project, target option, service, SLO; then the severity's labels; Pace's own last),
// as spreading them and sorting the keys makes them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/core/index.js';
import { sortKeys } from '../../server/src/core/model/build.js';
import { planSlo, sortedKeys, withSorted, type SloPlan } from '../../server/src/core/generate/prometheus.js';

const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

describe('label merging', () => {
  it('withSorted is the sorted spread of two sorted label sets, the second winning', () => {
    const name = fc.constantFrom('a', 'b', 'env', 'pace_long_window', 'pace_service', 'pace_short_window', 'pace_slo', 'severity', 'team', 'z_last', '_x');
    const labels = fc.dictionary(name, fc.string({ maxLength: 3 }), { maxKeys: 8 }).map(sorted);
    fc.assert(
      fc.property(labels, labels, (a, b) => {
        const got = withSorted(a, b);
        expect(Object.entries(got)).toEqual(Object.entries(sorted({ ...a, ...b })));
      }),
    );
    expect(sortedKeys({ b: '1', a: '2' })).toEqual(['a', 'b']);
    expect(sortedKeys({ a: '1', b: '2' })).toEqual(['a', 'b']);
  });

  it("a plan's record and alert labels: every level merged, the later winning, Pace's own last", () => {
    const ws = new Workspace();
    ws.setConfig({ version: 1, name: 'p', labels: { team: 'project', env: 'project', zone: 'project', region: 'project' } } as never, []);
    ws.setFile(
      'file:///p/a.pace',
      [
        'service api {',
        '  labels { team = "service", tier = "service" }',
        '  sli ok = ratio {',
        '    good  = x_total{code!~"5.."}',
        '    total = x_total',
        '  }',
        '  slo ok {',
        '    labels { zone = "slo", a = "slo" }',
        '    sli       = ok',
        '    objective = 99.9%',
        '    window    = 30d',
        '    alerting  = paging',
        '  }',
        '}',
        'alerting paging {',
        '  labels { team = "policy", severity = "policy", b = "policy" }',
        '  page when burn_rate > 14.4 over 1h and 5m',
        '  ticket when burn_rate > 1 over 3d',
        '}',
        '',
      ].join('\n'),
    );
    const analysis = ws.analyze();
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { model } = analysis.normalized();
    const service = model.services[0];
    const slo = service.slos[0];
    const options = { labels: { env: 'option', cluster: 'option' } };
    const plan = planSlo(model, service, slo, options) as SloPlan;
    const user = { ...model.labels, ...options.labels, ...service.labels, ...slo.labels };
    const own = { pace_service: 'api', pace_slo: 'ok' };
    expect(Object.entries(plan.recordLabels)).toEqual(Object.entries(sorted({ ...user, ...own })));
    expect(plan.recordLabels).toMatchObject({ region: 'project', team: 'service', env: 'option', zone: 'slo', cluster: 'option', a: 'slo', tier: 'service' });
    expect(plan.alerts.length).toBe(2);
    for (const a of plan.alerts) {
      const meta = slo.alerting![a.rule.severity];
      const windows: Record<string, string> = a.rule.singleWindow ? { pace_long_window: a.labels.pace_long_window } : { pace_long_window: a.labels.pace_long_window, pace_short_window: a.labels.pace_short_window };
      expect(Object.entries(a.expandedLabels)).toEqual(Object.entries(sorted({ ...user, ...meta.labels, ...own, severity: a.rule.severity, ...windows })));
      expect(a.expandedLabels.severity).toBe(a.rule.severity);
      expect(Object.keys(a.expandedAnnotations)).toEqual(Object.keys(sortKeys(a.expandedAnnotations)));
    }
    expect(plan.alerts.map((a) => [a.rule.severity, a.expandedLabels.team, a.expandedLabels.pace_short_window])).toEqual([
      ['page', 'policy', '5m'],
      ['ticket', 'policy', undefined],
    ]);
  });
});
