// `pace preview --prometheus URL` against a real Prometheus 2.42 (Debian's package), started on
// 127.0.0.1 with the same three days the file-based preview reads (promtool backfill): every
// figure equals the file-based preview's within 1e-9 relative, and the backtest fires the same
// alerts at the same times, because Pace asks Prometheus the PromQL it evaluates itself offline.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedModel } from '../../server/src/core/index.js';
import { previewFromBackend } from '../../server/src/node/backend/index.js';
import { type PrometheusServer, startPrometheusWith } from '../helpers/prometheus.js';
import { DAY, END, INCIDENT, type JsonPreview, type JsonSlo, MIN, previewJson, relDiff, S, samplesModel, sloNumbers, threeDays } from './fixture.js';

function expectSameFigures(file: JsonPreview, backend: JsonPreview): number {
  let compared = 0;
  expect(backend.slos.map((s) => s.id)).toEqual(file.slos.map((s) => s.id));
  for (const [i, mine] of file.slos.entries()) {
    const theirs = backend.slos[i];
    const a = sloNumbers(mine);
    const b = sloNumbers(theirs);
    expect(Object.keys(b), mine.id).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) {
      const x = a[k];
      const y = b[k];
      expect(y === null, `${mine.id} ${k}: file ${x}, backend ${y}`).toBe(x === null);
      if (x === null || y === null) continue;
      expect(relDiff(x, y), `${mine.id} ${k}: file ${x}, backend ${y}`).toBeLessThanOrEqual(1e-9);
      compared++;
    }
    expect(theirs.exhausted, mine.id).toBe(mine.exhausted);
    expect(theirs.window, mine.id).toEqual(mine.window);
  }
  expect(backend.slas.map((s) => s.id)).toEqual(file.slas.map((s) => s.id));
  for (const [i, mine] of file.slas.entries()) {
    const theirs = backend.slas[i];
    expect(theirs.attainment === null, mine.id).toBe(mine.attainment === null);
    if (mine.attainment !== null) expect(relDiff(mine.attainment, theirs.attainment as number), mine.id).toBeLessThanOrEqual(1e-9);
    expect({ met: theirs.met, creditOwed: theirs.creditOwed, tier: theirs.tier }, mine.id).toEqual({ met: mine.met, creditOwed: mine.creditOwed, tier: mine.tier });
  }
  return compared;
}

type Alert = JsonSlo['alerts'][number];

/**
 * The backend's firings equal the file-based ones. For time-slice SLIs one step apart is allowed:
 * Prometheus 2.42's avg_over_time is a running mean, so 3 bad slices out of 300 give it
 * 1 - avg = 0.009999999999999898 where the evaluator's 1 - good/total gives 0.010000000000000009,
 * and a threshold of exactly 1% (a ticket's "1 over 3d") flips at such a tie. Pace reports what
 * the backend computes; the figures themselves agree within 1e-9.
 */
function expectSameAlerts(id: string, sliKind: string, local: readonly Alert[], remote: readonly Alert[]): void {
  if (sliKind !== 'timeslice') {
    expect(remote, id).toEqual(local);
    return;
  }
  expect(remote.map((a) => [a.rule, a.severity]), id).toEqual(local.map((a) => [a.rule, a.severity]));
  const ms = (t: string | null) => (t === null ? null : Date.parse(t));
  for (const [i, a] of local.entries()) {
    for (const k of ['activeAt', 'firedAt', 'resolvedAt'] as const) {
      const x = ms(a[k]);
      const y = ms(remote[i][k]);
      expect(y === null, `${id} ${k}`).toBe(x === null);
      if (x !== null && y !== null) expect(Math.abs(x - y), `${id} ${a.rule} ${k}: ${a[k]} vs ${remote[i][k]}`).toBeLessThanOrEqual(MIN);
    }
  }
}

describe('pace preview --prometheus: a real Prometheus 2.42 computes the same preview', () => {
  let prom: PrometheusServer | undefined;
  let dir: string;
  let file: string;
  let model: NormalizedModel;

  beforeAll(async () => {
    const text = threeDays();
    dir = mkdtempSync(path.join(tmpdir(), 'pace-backend-prom-'));
    file = path.join(dir, 'three-days.om');
    writeFileSync(file, text);
    model = samplesModel();
    prom = await startPrometheusWith(text);
  }, 300_000);

  afterAll(async () => {
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('at the last sample: every figure within 1e-9 relative, the same alerts at the same times, the same data span', async () => {
    const at = new Date(END).toISOString();
    const local = await previewJson(['--data', file, '--at', at]);
    const remote = await previewJson(['--prometheus', prom!.url, '--at', at]);
    expect(remote.at).toBe(local.at);
    expect(remote.data).toEqual(local.data);
    expect(expectSameFigures(local, remote)).toBeGreaterThan(150);
    for (const [i, s] of local.slos.entries()) expectSameAlerts(s.id, s.sliKind, s.alerts, remote.slos[i].alerts);
    expect(local.slos.some((s) => s.sliKind === 'timeslice' && s.alerts.length > 0)).toBe(true);
    const fired = local.slos.flatMap((s) => s.alerts.map((a) => `${s.id} ${a.severity}`));
    // The incident pages checkout and payments: the comparison covers real firings.
    expect(fired).toContain('slo:checkout.availability page');
    expect(fired).toContain('slo:payments_api.availability page');
    const note = remote.issues.find((i) => i.code === 'preview/backend');
    expect(note?.severity).toBe('info');
    expect(note?.message).toMatch(/^figures computed by Prometheus 2\.42\.\d+\S* at http:\/\/127\.0\.0\.1:\d+, with Prometheus's semantics/);
    // The sample files' own notes (the counter reset) are not the backend's: it reports none of them.
    expect(remote.issues.some((i) => i.code.startsWith('data/'))).toBe(false);
  }, 120_000);

  it('during the incident and a day before the end: the same figures', async () => {
    for (const t of [INCIDENT + 20 * MIN, END - DAY]) {
      const at = new Date(t).toISOString();
      const local = await previewJson(['--data', file, '--at', at]);
      const remote = await previewJson(['--prometheus', prom!.url, '--at', at]);
      expect(expectSameFigures(local, remote), at).toBeGreaterThan(150);
      // The backend backtests up to --at; the files up to their last sample: the firings before --at agree.
      for (const [i, s] of local.slos.entries()) {
        const before = s.alerts.filter((a) => Date.parse(a.firedAt) <= t).map((a) => ({ ...a, resolvedAt: a.resolvedAt !== null && Date.parse(a.resolvedAt) <= t ? a.resolvedAt : null }));
        expectSameAlerts(`${s.id} at ${at}`, s.sliKind, before, remote.slos[i].alerts);
      }
    }
  }, 180_000);

  it('a backtest split into answers of 500 points (4,321 steps, 9 answers per rule) fires the same alerts', async () => {
    const local = await previewJson(['--data', file, '--at', new Date(END).toISOString()]);
    const split = await previewFromBackend(model, prom!.url, { at: END, maxPoints: 500 });
    expect(split.dataStart).toBe(S);
    expect(split.dataEnd).toBe(END);
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    const whole = await previewFromBackend(model, prom!.url, { at: END });
    expect(split.slos.map((s) => s.alerts)).toEqual(whole.slos.map((s) => s.alerts));
    for (const [i, s] of local.slos.entries()) {
      const mine = split.slos[i].alerts.map((a) => ({ ...s.alerts[0], severity: a.severity, rule: a.rule, ruleIndex: a.ruleIndex, threshold: a.threshold, activeAt: iso(a.activeAt)!, firedAt: iso(a.firedAt)!, resolvedAt: iso(a.resolvedAt) }));
      expectSameAlerts(s.id, s.sliKind, s.alerts, mine);
    }
    expect(split.slos.flatMap((s) => s.alerts).length).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
