// A real VictoriaMetrics for tests (Debian's package `victoria-metrics`, 1.79): start it on
// 127.0.0.1 (a free port, a temp dir), import OpenMetrics text through
// `POST /api/v1/import/prometheus` (millisecond timestamps), stop it. Installed with apt-get when
// running as root and missing, else the error names the package. Every wait is bounded.
//
// VictoriaMetrics refuses samples more than two days ahead of the clock: tests put their data in
// the past. `-search.latencyOffset=0s` and a flush make imported data visible at once; a month of
// 1-minute time slices is a subquery of 44,640 points, above the default -search.maxPointsPerTimeseries.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const PACKAGE = 'victoria-metrics';

function which(bin: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin']) {
    const p = path.join(dir, bin);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

export function victoriaMetricsBinary(): string {
  let bin = which('victoria-metrics');
  if (!bin) {
    if (process.getuid?.() !== 0) throw new Error(`This test needs VictoriaMetrics: install the Debian package '${PACKAGE}' (apt-get install --no-install-recommends ${PACKAGE}).`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const args = ['install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=600', PACKAGE];
    let r = spawnSync('apt-get', args, { stdio: 'pipe', env, timeout: 15 * 60_000 });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update', '-o', 'DPkg::Lock::Timeout=600'], { stdio: 'pipe', env, timeout: 10 * 60_000 });
      r = spawnSync('apt-get', args, { stdio: 'pipe', env, timeout: 15 * 60_000 });
    }
    if (r.status !== 0) throw new Error(`apt-get install ${PACKAGE} failed (exit ${r.status}): ${String(r.stderr).slice(-2000)}`);
    bin = which('victoria-metrics');
    if (!bin) throw new Error(`apt-get installed '${PACKAGE}' but 'victoria-metrics' is still not on PATH.`);
  }
  return bin;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  const child: ChildProcess = spawn(bin, [`-storageDataPath=${path.join(dir, 'data')}`, `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=100y', '-search.latencyOffset=0s', '-search.maxPointsPerTimeseries=200000', '-loggerLevel=ERROR'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await Promise.race([exit, sleep(10_000)]);
      if (!exited) {
        child.kill('SIGKILL');
        await Promise.race([exit, sleep(5_000)]);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`victoria-metrics exited before it was ready: ${stderr}`);
    }
    try {
      const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`victoria-metrics was not ready after ${opts.readyTimeoutMs ?? 60_000} ms: ${stderr}`);
    }
    await sleep(100);
  }
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
