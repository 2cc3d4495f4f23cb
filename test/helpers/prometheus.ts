// A real Prometheus for tests (Debian's package `prometheus`, 2.42): backfill OpenMetrics text into
// a TSDB with promtool, start a server on 127.0.0.1 (a free port, a temp dir), query it, stop it.
// The package is installed by the test setup (test/setup/global.ts); when it is missing the error
// names it. Every wait is bounded.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, startServerProcess, type ServerProcess } from './server-process.js';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { missingPackage, run, which } from './debian.js';

const PACKAGE = 'prometheus';

/** The paths of `prometheus` and `promtool`. */
export function prometheusBinaries(): { prometheus: string; promtool: string } {
  const prometheus = which('prometheus');
  const promtool = which('promtool');
  if (!prometheus || !promtool) throw missingPackage(PACKAGE, "Prometheus 2.42's 'prometheus' and 'promtool'");
  return { prometheus, promtool };
}


export interface PromSample {
  readonly metric: Record<string, string>;
  /** Unix ms and the value as Prometheus printed it, parsed ("+Inf", "NaN" included). */
  readonly values: [number, number][];
}

export interface PrometheusServer {
  readonly url: string;
  readonly dir: string;
  /** `/api/v1/query` at a Unix-ms instant: the result vector (empty when PromQL has no result). */
  query(expr: string, timeMs: number): Promise<PromSample[]>;
  /** `/api/v1/query_range` (steps in ms; at most 11,000 per series). */
  queryRange(expr: string, startMs: number, endMs: number, stepMs: number): Promise<PromSample[]>;
  stop(): Promise<void>;
}

/** A number as Prometheus' JSON spells it. */
export function parsePromValue(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

const seconds = (ms: number) => String(ms / 1000);

/**
 * Backfills `openMetrics` (text ending in `# EOF`, timestamps in seconds) into a new TSDB and
 * starts Prometheus on it. Call `stop()` (in afterAll); it also removes the temp dir.
 */
export async function startPrometheusWith(openMetrics: string, opts: { readyTimeoutMs?: number } = {}): Promise<PrometheusServer> {
  const { prometheus, promtool } = prometheusBinaries();
  const dir = mkdtempSync(path.join(tmpdir(), 'pace-prom-'));
  const data = path.join(dir, 'data');
  const input = path.join(dir, 'data.om');
  writeFileSync(input, openMetrics);
  const backfill = await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', input, data], { timeoutMs: 120_000 });
  if (backfill.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`promtool tsdb create-blocks-from openmetrics failed (exit ${backfill.status}${backfill.signal ? `, ${backfill.signal}` : ''}): ${String(backfill.stderr).slice(-2000)}`);
  }
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(config, 'global: {evaluation_interval: 1m}\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let server: ServerProcess;
  try {
    server = await startServerProcess(
      'prometheus',
      prometheus,
      [`--config.file=${config}`, `--storage.tsdb.path=${data}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      `${url}/-/ready`,
      opts.readyTimeoutMs,
    );
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const stop = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  const api = async (endpoint: string, params: Record<string, string>): Promise<PromSample[]> => {
    const r = await fetch(`${url}/api/v1/${endpoint}`, { method: 'POST', body: new URLSearchParams(params), signal: AbortSignal.timeout(30_000) });
    const body = (await r.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown[] } };
    if (body.status !== 'success' || !body.data) throw new Error(`${endpoint} ${params.query}: ${body.error ?? r.status}`);
    const { resultType, result } = body.data;
    if (resultType === 'vector') {
      return (result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({ metric: s.metric, values: [[Math.round(s.value[0] * 1000), parsePromValue(s.value[1])]] }));
    }
    if (resultType === 'matrix') {
      return (result as { metric: Record<string, string>; values: [number, string][] }[]).map((s) => ({ metric: s.metric, values: s.values.map(([t, v]) => [Math.round(t * 1000), parsePromValue(v)]) }));
    }
    if (resultType === 'scalar') {
      const [t, v] = result as unknown as [number, string];
      return [{ metric: {}, values: [[Math.round(t * 1000), parsePromValue(v)]] }];
    }
    throw new Error(`${endpoint}: unexpected result type ${resultType}`);
  };

  return {
    url,
    dir,
    query: (expr, timeMs) => api('query', { query: expr, time: seconds(timeMs) }),
    queryRange: (expr, startMs, endMs, stepMs) => api('query_range', { query: expr, start: seconds(startMs), end: seconds(endMs), step: seconds(stepMs) }),
    stop,
  };
}
