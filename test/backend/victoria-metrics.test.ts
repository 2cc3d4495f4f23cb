// `pace preview --prometheus URL` against a real VictoriaMetrics 1.79 (Debian's package), started on
// 127.0.0.1 with the same three days imported (POST /api/v1/import/prometheus, ms timestamps).
// MetricsQL's increase() does not extrapolate as Prometheus's does: Pace reports what the backend
// computes and says so, and this test bounds the difference against the file-based preview.
//
// The bound, and why. The data's samples sit on whole minutes, and every window ends on a minute:
// - a window inside the data ([at − W, at] after the first sample S0): Prometheus's range holds the
//   samples at at − W … at, both on the window's edges, so it does not extrapolate; MetricsQL takes
//   the last sample before its left-open window (at − W, at], the same one: the same increase, so
//   the figures agree within 1e-9 relative;
// - a window that reaches before S0: Prometheus extrapolates each counter's increase by half a
//   scrape interval (30 s) towards the window's start, over the T − S0 the samples cover, unless
//   the counter would go below zero (a counter still at 0); MetricsQL counts from the first sample
//   and does not extrapolate. Each sum thus differs by a factor of at most 1 + 30 s / (at − S0), and a
//   ratio of two of them by at most twice that: the bound is 60 s / (at − S0) relative (2.3e-4 at the
//   end of three days), for the events, the error ratio and every figure derived from them.
// - time slices (1 − avg_over_time of a 1-minute subquery): Prometheus 2.42 counts the slices at
//   both ends of [at − W, at], MetricsQL only those in (at − W, at]: one slice more or less out of
//   the W / slice there are (or those since S0), so the bound is slice / min(W, at − S0) relative
//   (1/1440 over a day).
// Alerts: a condition compares the error ratios with a threshold, so within the bound it holds at
// the same steps except where a ratio lies within the bound of the threshold: the firings are
// compared rule by rule, and each may move by a few steps.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVictoriaMetrics, toPrometheusTextMs, type VictoriaMetricsServer } from '../helpers/victoria-metrics.js';
import { END, INCIDENT, MIN, previewJson, relDiff, S, sloNumbers, threeDays } from './fixture.js';

describe('pace preview --prometheus: VictoriaMetrics computes MetricsQL, within a stated bound of the files', () => {
  let vm: VictoriaMetricsServer | undefined;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    const text = threeDays();
    dir = mkdtempSync(path.join(tmpdir(), 'pace-backend-vm-'));
    file = path.join(dir, 'three-days.om');
    writeFileSync(file, text);
    vm = await startVictoriaMetrics();
    await vm.import(toPrometheusTextMs(text));
  }, 300_000);

  afterAll(async () => {
    await vm?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  for (const [name, at] of [
    ['the last sample', END],
    ['during the incident', INCIDENT + 20 * MIN],
  ] as const) {
    it(`at ${name}: detected as VictoriaMetrics (MetricsQL), every figure within the bound`, async () => {
      const iso = new Date(at).toISOString();
      const local = await previewJson(['--data', file, '--at', iso]);
      const remote = await previewJson(['--prometheus', vm!.url, '--at', iso]);
      const note = remote.issues.find((i) => i.code === 'preview/backend');
      expect(note?.message).toMatch(/^figures computed by VictoriaMetrics at http:\/\/127\.0\.0\.1:\d+, with MetricsQL's semantics: MetricsQL's increase and rate do not extrapolate/);
      // The backend's span ends at --at; the files' at their last sample.
      expect(remote.data?.start).toBe(local.data?.start);
      const unit: Record<string, number> = { s: 1000, m: MIN, h: 60 * MIN, d: 1440 * MIN, w: 10_080 * MIN };
      const duration = (label: string) => [...label.matchAll(/(\d+)([smhdw])/g)].reduce((ms, m) => ms + Number(m[1]) * unit[m[2]], 0);
      const covered = at - S;
      let compared = 0;
      let differ = 0;
      for (const [i, mine] of local.slos.entries()) {
        const theirs = remote.slos[i];
        expect(theirs.id).toBe(mine.id);
        const a = sloNumbers(mine);
        const b = sloNumbers(theirs);
        // The primary figures; budget left and exhaustion are the same code's functions of them (assemblePreview).
        for (const k of Object.keys(a).filter((x) => !x.startsWith('budget.') && x !== 'exhaustionAt')) {
          const x = a[k];
          const y = b[k];
          expect(y === null, `${mine.id} ${k}: file ${x}, VictoriaMetrics ${y}`).toBe(x === null);
          if (x === null || y === null) continue;
          const w = k.startsWith('burn ') ? duration(k.slice(5)) : k === 'currentBurn' ? duration(mine.currentBurn.window) : at - Date.parse(mine.window.start);
          expect(w, `${mine.id} ${k}`).toBeGreaterThan(0);
          // Time slices: one slice more or less in the window moves the error ratio by at most one slice's share, an
          // absolute bound in error-ratio units (burn rates are error ratios over the budget); counters: relative.
          const slices = mine.sliKind === 'timeslice';
          const bound = slices ? MIN / Math.min(w, covered) : at - w < S ? (60 * 1000) / covered : 1e-9;
          const inRatio = k === 'currentBurn' || k.startsWith('burn ') ? mine.errorBudget.total : 1;
          const d = slices ? Math.abs(x - y) * inRatio : relDiff(x, y);
          expect(d, `${mine.id} ${k}: file ${x}, VictoriaMetrics ${y}, bound ${bound}`).toBeLessThanOrEqual(bound + 1e-12);
          compared++;
          if (d > 1e-9) differ++;
        }
        // Firings: the same per rule, each within a few steps (a ratio within the bound of its threshold may cross it a step apart).
        // (At the last sample only: before it, the files' backtest runs on past --at.)
        if (at === END) expect(theirs.alerts.map((x) => x.rule), mine.id).toEqual(mine.alerts.map((x) => x.rule));
        for (const [j, x] of mine.alerts.entries()) {
          if (at !== END) break;
          const y = theirs.alerts[j];
          expect(Math.abs(Date.parse(y.firedAt) - Date.parse(x.firedAt)), `${mine.id} ${x.rule} fired`).toBeLessThanOrEqual(5 * MIN);
          if (x.resolvedAt !== null && y.resolvedAt !== null) expect(Math.abs(Date.parse(y.resolvedAt) - Date.parse(x.resolvedAt)), `${mine.id} ${x.rule} resolved`).toBeLessThanOrEqual(5 * MIN);
          else expect(y.resolvedAt, `${mine.id} ${x.rule}`).toBe(x.resolvedAt);
        }
      }
      expect(compared).toBeGreaterThan(150);
      // The semantics really differ here (else the bound would test nothing): windows reaching before the data.
      expect(differ).toBeGreaterThan(10);
    }, 120_000);
  }
});
