// `pace preview --prometheus URL`: the preview computed by a Prometheus-compatible backend. The core
// plans the queries and assembles the answers (core/evaluate/backend-plan.ts); this module detects
// what answers, runs the plan with the client and hands the answers back.
//
// Detection: `/api/v1/status/buildinfo` names Prometheus (and Thanos, Mimir, Cortex: they run
// Prometheus's engine, so its semantics); VictoriaMetrics answers it with no version, and its own
// endpoint `/api/v1/status/active_queries` (404 on Prometheus) names it: MetricsQL semantics.
import { type BackendAnswers, type BackendInfo, type BackendQuery, type InstantAnswer, type NormalizedModel, planPreview, planSpan, previewFromAnswers, type PreviewResult, type RangeAnswer, refineSpan, spanFromAnswers } from '../../core/index.js';
import { BackendError, type ClientOptions, PrometheusClient } from './client.js';

export { BackendError, PrometheusClient, redact, splitRange } from './client.js';

/** What answers at the client's URL, and with which semantics. */
export async function detectBackend(client: PrometheusClient): Promise<BackendInfo> {
  const [build, vm] = await Promise.all([client.request('/api/v1/status/buildinfo', undefined, '/api/v1/status/buildinfo'), client.request('/api/v1/status/active_queries', undefined, '/api/v1/status/active_queries')]);
  let data: { version?: string; application?: string } | undefined;
  try {
    const body = JSON.parse(build.text) as { status?: string; data?: { version?: string; application?: string } };
    if (build.status === 200 && body.status === 'success') data = body.data ?? {};
  } catch {
    data = undefined;
  }
  if (vm.status === 200) return { name: 'VictoriaMetrics', semantics: 'metricsql', url: client.display, detected: true };
  if (data?.version) {
    const app = data.application ?? 'Prometheus';
    return { name: `${app} ${data.version}`, semantics: 'prometheus', url: client.display, detected: true };
  }
  // Neither says what it is (or not a Prometheus API at all: the first query will tell).
  return { name: 'a Prometheus-compatible API', semantics: 'prometheus', url: client.display, detected: false };
}

/** Runs every query (a few at a time: the client limits them) and collects the answers by key. */
export async function runQueries(client: PrometheusClient, queries: readonly BackendQuery[]): Promise<BackendAnswers> {
  const answers = new Map<string, InstantAnswer | RangeAnswer>();
  await Promise.all(
    queries.map(async (q) => {
      if (q.kind === 'instant') {
        const res = await client.query(q.expr, q.time);
        const values = res.map((s) => s.values[0]?.[1]).filter((v): v is number => v !== undefined);
        answers.set(q.key, { value: values.length ? values[0] : null, series: res.length });
      } else {
        const res = await client.queryRange(q.expr, q.start, q.end, q.step);
        const t = new Set<number>();
        for (const s of res) for (const [ts] of s.values) t.add(ts);
        answers.set(q.key, { t: [...t].sort((a, b) => a - b) });
      }
    }),
  );
  return answers;
}

export interface BackendPreviewOptions extends Omit<ClientOptions, 'url'> {
  /** The instant of the figures (Unix ms); default: now, on the step's grid. */
  readonly at?: number;
  readonly stepSeconds?: number;
  readonly backtestSeconds?: number;
  readonly now?: () => number;
}

/**
 * The preview of `model` computed by the backend at `url`. Throws a BackendError whose message
 * is safe to print (no credentials) when the backend cannot answer.
 */
export async function previewFromBackend(model: NormalizedModel, url: string, opts: BackendPreviewOptions = {}): Promise<PreviewResult> {
  const client = new PrometheusClient({ ...opts, url });
  try {
    const backend = await detectBackend(client);
    const step = (opts.stepSeconds ?? 60) * 1000;
    const at = opts.at ?? Math.floor((opts.now ?? Date.now)() / step) * step;
    const base = { at, stepSeconds: opts.stepSeconds, backtestSeconds: opts.backtestSeconds };
    const coarse = planSpan(model, base);
    const fine = refineSpan(coarse, await runQueries(client, coarse.queries), opts.stepSeconds);
    const span = spanFromAnswers(fine, await runQueries(client, fine.queries));
    const plan = planPreview(model, { ...base, span });
    const answers = await runQueries(client, plan.queries);
    return previewFromAnswers(model, plan, answers, backend);
  } catch (e) {
    if (e instanceof BackendError) throw e;
    throw new BackendError(client.redact(`the Prometheus API at ${client.display}: ${(e as Error)?.message ?? String(e)}`));
  }
}
