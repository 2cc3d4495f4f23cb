// `pace generate`'s core: a pure function from the normalized model to the files of a target
// (paths relative to the target's folder). The host (server/src/cli/generate.ts) writes them.
import type { NormalizedModel } from '../model/model.js';
import type { TargetOutput } from './output.js';
import { prometheusRuleFiles, type PrometheusOptions, type SourceOf } from './prometheus.js';
import { promtoolTestFiles } from './promtool-tests.js';
import { openSloFiles } from './openslo.js';
import { layoutFiles } from './layouts.js';
import { alertmanagerFiles, type AlertmanagerOptions } from './alertmanager.js';
import { grafanaFiles, type GrafanaOptions } from './grafana.js';
import { datadogFiles, type DatadogOptions } from './datadog.js';
import { slothCompatFiles, type SlothCompatMode, type SlothCompatOptions } from './sloth-compat.js';

export { GENERATED_MARKER, isGenerated, type GeneratedFile, type TargetOutput } from './output.js';
export type { PrometheusOptions, SourceOf } from './prometheus.js';
export { PROMETHEUS_FORMATS, type PrometheusFormat, type KubernetesOptions } from './layouts.js';
export { SLOTH_COMPAT_MODES, type SlothCompatMode, type SlothCompatOptions } from './sloth-compat.js';

/** The targets `pace generate` knows, in the order it writes them. */
export const GENERATE_TARGETS = ['prometheus', 'openslo', 'alertmanager', 'grafana', 'datadog'] as const;
export type GenerateTarget = (typeof GENERATE_TARGETS)[number];

export interface TargetOptions {
  /** With `compat: 'sloth'`, the prometheus target writes Sloth's rule files instead (sloth-compat.ts). */
  readonly prometheus?: PrometheusOptions & SlothCompatOptions & { readonly compat?: SlothCompatMode };
  readonly alertmanager?: AlertmanagerOptions;
  readonly grafana?: GrafanaOptions;
  readonly datadog?: DatadogOptions;
}

/**
 * `sourceOf` answering each id once per model: every target asks it for every SLO, SLI and policy,
 * and the host's answer (a path relative to the project) is not free. Keyed by the model and the
 * function, so a new model (or another host function) never sees old answers.
 */
const sources = new WeakMap<NormalizedModel, WeakMap<SourceOf, SourceOf>>();
function memoSource(model: NormalizedModel, sourceOf: SourceOf): SourceOf {
  let byFn = sources.get(model);
  if (!byFn) sources.set(model, (byFn = new WeakMap()));
  let f = byFn.get(sourceOf);
  if (!f) {
    const known = new Map<string, string | undefined>();
    f = (id) => {
      let s = known.get(id);
      if (s !== undefined || known.has(id)) return s;
      s = sourceOf(id);
      known.set(id, s);
      return s;
    };
    byFn.set(sourceOf, f);
  }
  return f;
}

/** The files of one target; deterministic (same model, same bytes), sorted by path. */
export function generateTarget(model: NormalizedModel, target: GenerateTarget, hostSourceOf: SourceOf, options: TargetOptions = {}): TargetOutput {
  const sourceOf = memoSource(model, hostSourceOf);
  switch (target) {
    case 'prometheus': {
      const opts = options.prometheus ?? {};
      if (opts.compat === 'sloth') {
        const out = slothCompatFiles(model, opts);
        if ((opts.format ?? 'prometheus') !== 'prometheus') out.notes.push(`the ${opts.format} format does not apply in Sloth compatibility mode: Sloth's rule files are written`);
        return out;
      }
      const { files: plain, plans } = prometheusRuleFiles(model, sourceOf, opts);
      const notes = plans.flatMap((p) => p.skipped.map((s) => `skipped ${s}`));
      const format = opts.format ?? 'prometheus';
      if (format !== 'prometheus') {
        // promtool's unit tests load plain rule files only: the other layouts come without them.
        if (opts.tests === true) notes.push(`no promtool test files in the ${format} format (promtool test rules loads the prometheus format only)`);
        return { target, files: sortFiles(layoutFiles(plans, format, opts.kubernetes)), notes };
      }
      const files = plain;
      const tests = opts.tests === false ? [] : promtoolTestFiles(plans);
      if (opts.tests !== false)
        for (const sp of plans)
          for (const p of sp.plans) {
            if (sp.untestable) notes.push(`${p.slo.id}: no promtool test file (${sp.untestable}); its rules are in a file of their own, SERVICE.SLO.rules.yml`);
            else if (p.sli.kind === 'timeslice' || p.sli.kind === 'promql') notes.push(`${p.slo.id}: its promtool tests check the metadata only (no synthetic series for ${p.sli.kind} SLIs)`);
          }
      return { target, files: sortFiles([...files, ...tests]), notes };
    }
    case 'openslo':
      return openSloFiles(model, sourceOf);
    case 'alertmanager':
      return alertmanagerFiles(model, sourceOf, options.alertmanager);
    case 'grafana':
      return grafanaFiles(model, sourceOf, options.grafana);
    case 'datadog':
      return datadogFiles(model, sourceOf, options.datadog);
  }
}

const sortFiles = <T extends { path: string }>(files: T[]): T[] => files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
