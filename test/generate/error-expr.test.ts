// The rule files' error-ratio expressions (prometheus.ts errorExprTexts): built once per SLO with a
// stand-in for the range, then joined by each window. Whatever the SLI, each window's text must be
// yamlExpr of the expression built for that window, as the preview evaluates it.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sliErrorExpression } from '../../server/src/core/model/error-ratio.js';
import type { Sli } from '../../server/src/core/model/model.js';
import { promDuration, yamlExpr } from '../../server/src/core/generate/output.js';
import { errorExprTexts, planServices, type SloPlan } from '../../server/src/core/generate/prometheus.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';

const root = path.join(__dirname, '../..');
const WINDOWS = [300, 1800, 3600, 21_600, 86_400, 259_200, 2_592_000];
const perWindow = (p: Pick<SloPlan, 'windows' | 'errorExpr'>) => p.windows.map((w) => yamlExpr(p.errorExpr(w)));
const planOf = (sli: Sli): SloPlan => ({ sli, windows: WINDOWS, errorExpr: (w: number) => sliErrorExpression(sli, promDuration(w))! }) as unknown as SloPlan;

describe('errorExprTexts', () => {
  it("equals each window's own expression for every SLO of samples/ (ratio, latency, time-slice, raw PromQL)", () => {
    const { model, sourceMap } = loadWorkspace(readProject(path.join(root, 'samples'))).analyze().normalized();
    const plans = planServices(model, (id) => sourceMap.get(id)?.uri).flatMap((sp) => sp.plans);
    expect(new Set(plans.map((p) => p.sli.kind))).toEqual(new Set(['ratio', 'latency', 'timeslice', 'promql']));
    for (const p of plans) expect(errorExprTexts(p), p.slo.id).toEqual(perWindow(p));
    expect(plans.filter((p) => p.windows.length > 4).length).toBeGreaterThan(5);
  });

  it('equals them for hostile raw PromQL: quotes, comments, line breaks, control characters, the stand-in itself', () => {
    const texts = [
      "sum(rate(x{a='b'}[$window])) / sum(rate(y[$window]))",
      'sum(rate(x[$window])) # a comment',
      'sum(rate(x[$window]))\n/ sum(rate(y[$window]))',
      'sum(rate(x{a="\u0001"}[$window])) / sum(rate(y[$window]))',
      'label_replace(x, "w", "$window", "", "") / 1',
      "sum(rate(x{a=\"it's\"}[$window]))",
      'vector(0.01)',
    ];
    let joined = 0;
    for (const errorRatio of texts) {
      const p = planOf({ kind: 'promql', id: 'sli:s.x', name: 'x', errorRatio } as unknown as Sli);
      const got = errorExprTexts(p);
      expect(got, JSON.stringify(errorRatio)).toEqual(perWindow(p));
      if (got[0].startsWith("'")) joined++;
    }
    expect(joined).toBeGreaterThan(3); // most go through the joined pieces, not the fallback
  });
});
