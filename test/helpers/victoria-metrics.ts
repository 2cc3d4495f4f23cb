// A real VictoriaMetrics for tests (Debian's package `victoria-metrics`, 1.79): start it on
// 127.0.0.1 (a free port, a temp dir), import OpenMetrics text through
// `POST /api/v1/import/prometheus` (millisecond timestamps), stop it. Installed with apt-get when
// missing, the error names the package (test/setup/global.ts installs it). Every wait is bounded.
//
// VictoriaMetrics refuses samples more than two days ahead of the clock: tests put their data in
// the past. `-search.latencyOffset=0s` and a flush make imported data visible at once; a month of
// 1-minute time slices is a subquery of 44,640 points, above the default -search.maxPointsPerTimeseries.
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort, startServerProcess, type ServerProcess } from './server-process.js';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { missingPackage, which } from './debian.js';

const PACKAGE = 'victoria-metrics';

export function victoriaMetricsBinary(): string {
  const bin = which('victoria-metrics');
  if (!bin) throw missingPackage(PACKAGE, "VictoriaMetrics's 'victoria-metrics' and 'vmalert'");
  return bin;
}

export { freePort } from './server-process.js';


/** OpenMetrics text (timestamps in seconds) as Prometheus text with millisecond timestamps. */
export function toPrometheusTextMs(openMetrics: string): string {
  const out: string[] = [];
  for (const line of openMetrics.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.push(`${line.slice(0, cut)} ${Math.round(Number(line.slice(cut + 1)) * 1000)}`);
  }
  return out.join('\n') + '\n';
}

export interface VictoriaMetricsServer {
  readonly url: string;
  import(prometheusTextMs: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startVictoriaMetrics(opts: { readyTimeoutMs?: number } = {}): Promise<VictoriaMetricsServer> {
  const bin = victoriaMetricsBinary();
  const dir = mkdtempSync(path.join(tmpdir(), 'pace-vm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let server: ServerProcess;
  try {
    server = await startServerProcess(
      'victoria-metrics',
      bin,
      [`-storageDataPath=${path.join(dir, 'data')}`, `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=100y', '-search.latencyOffset=0s', '-search.maxPointsPerTimeseries=200000', '-loggerLevel=ERROR'],
      `${url}/health`,
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
  return {
    url,
    async import(text) {
      const r = await fetch(`${url}/api/v1/import/prometheus`, { method: 'POST', body: text, signal: AbortSignal.timeout(120_000) });
      if (r.status !== 204 && r.status !== 200) throw new Error(`import: HTTP ${r.status}: ${await r.text()}`);
      const f = await fetch(`${url}/internal/force_flush`, { signal: AbortSignal.timeout(60_000) });
      if (!f.ok) throw new Error(`force_flush: HTTP ${f.status}`);
      // The search caches were filled before the import: reset them.
      await fetch(`${url}/internal/resetRollupResultCache`, { signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
    },
    stop,
  };
}
