// Generated recording rules evaluated over backfilled history, with a real Prometheus 2.42
// (../shared/recipes/prometheus-history): OpenMetrics text is backfilled into a TSDB, a server is
// started on it (127.0.0.1, a free port), `promtool tsdb create-blocks-from rules` evaluates the
// rule files over a past range against that server, the blocks it writes are moved into the data
// dir and the server is restarted, once per level of rules (a rule over another recorded series
// sees it only in the next pass). Every wait is bounded; `stop()` removes the temp dir.
import { spawn } from 'node:child_process';
import { run } from './debian.js';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort, startServerProcess, type ServerProcess } from './server-process.js';
import { parsePromValue, prometheusBinaries, type PromSample } from './prometheus.js';

const seconds = (ms: number) => String(ms / 1000);

export interface PrometheusHistory {
  readonly url: string;
  query(expr: string, timeMs: number): Promise<PromSample[]>;
  queryRange(expr: string, startMs: number, endMs: number, stepMs: number): Promise<PromSample[]>;
  /** Evaluates the recording rules of `ruleFiles` over [startMs, endMs] every minute, `passes` times, restarting the server after each. */
  backfillRules(ruleFiles: string[], startMs: number, endMs: number, passes: number): Promise<{ blocks: number }>;
  stop(): Promise<void>;
}

export async function startPrometheusHistory(openMetrics: string, opts: { readyTimeoutMs?: number } = {}): Promise<PrometheusHistory> {
  const { prometheus, promtool } = prometheusBinaries();
  const dir = mkdtempSync(path.join(tmpdir(), 'pace-prom-rules-'));
  const data = path.join(dir, 'data');
  const input = path.join(dir, 'data.om');
  writeFileSync(input, openMetrics);
  const backfill = await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', input, data], { timeoutMs: 180_000 });
  if (backfill.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`promtool tsdb create-blocks-from openmetrics failed (exit ${backfill.status}${backfill.signal ? `, ${backfill.signal}` : ''}): ${String(backfill.stderr).slice(-2000)}`);
  }
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(config, 'global: {evaluation_interval: 1m}\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const readyMs = opts.readyTimeoutMs ?? 60_000;

  // Stopping waits longer than the other helpers: Prometheus compacts the moved blocks.
  const stopServer = (r: ServerProcess) => r.stop(15_000);
  const startServer = () =>
    startServerProcess(
      'prometheus',
      prometheus,
      [`--config.file=${config}`, `--storage.tsdb.path=${data}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', '--query.max-samples=200000000'],
      `${url}/-/ready`,
      readyMs,
    );

  let running: ServerProcess | undefined;
  try {
    running = await startServer();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  const api = async (endpoint: string, params: Record<string, string>): Promise<PromSample[]> => {
    const r = await fetch(`${url}/api/v1/${endpoint}`, { method: 'POST', body: new URLSearchParams(params), signal: AbortSignal.timeout(60_000) });
    const body = (await r.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown[] } };
    if (body.status !== 'success' || !body.data) throw new Error(`${endpoint} ${params.query}: ${body.error ?? r.status}`);
    const { resultType, result } = body.data;
    if (resultType === 'vector') {
      return (result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({ metric: s.metric, values: [[Math.round(s.value[0] * 1000), parsePromValue(s.value[1])]] }));
    }
    if (resultType === 'matrix') {
      return (result as { metric: Record<string, string>; values: [number, string][] }[]).map((s) => ({ metric: s.metric, values: s.values.map(([t, v]) => [Math.round(t * 1000), parsePromValue(v)]) }));
    }
    throw new Error(`${endpoint}: unexpected result type ${resultType}`);
  };

  return {
    url,
    query: (expr, timeMs) => api('query', { query: expr, time: seconds(timeMs) }),
    queryRange: (expr, startMs, endMs, stepMs) => api('query_range', { query: expr, start: seconds(startMs), end: seconds(endMs), step: seconds(stepMs) }),
    async backfillRules(ruleFiles, startMs, endMs, passes) {
      let blocks = 0;
      for (let pass = 0; pass < passes; pass++) {
        const out = path.join(dir, `rules-${pass}`);
        mkdirSync(out);
        const args = ['tsdb', 'create-blocks-from', 'rules', '-q', `--start=${seconds(startMs)}`, `--end=${seconds(endMs)}`, '--eval-interval=60s', `--url=${url}`, `--output-dir=${out}`, ...ruleFiles];
        const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
          const c = spawn(promtool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          c.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
          const timer = setTimeout(() => c.kill('SIGKILL'), 600_000);
          c.once('exit', (status) => {
            clearTimeout(timer);
            resolve({ status, stderr });
          });
        });
        if (r.status !== 0) throw new Error(`promtool tsdb create-blocks-from rules failed (exit ${r.status}): ${r.stderr}`);
        await stopServer(running!);
        // Blocks are ULID-named folders; keep the names.
        for (const b of readdirSync(out, { withFileTypes: true })) {
          if (!b.isDirectory() || b.name === 'wal' || b.name === 'chunks_head') continue;
          renameSync(path.join(out, b.name), path.join(data, b.name));
          blocks++;
        }
        running = await startServer();
      }
      return { blocks };
    },
    async stop() {
      if (running) await stopServer(running);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
