// One way to run a real server in a test (Prometheus, VictoriaMetrics): on a free port of 127.0.0.1,
// its stderr's tail kept for messages, ready when a URL answers 2xx, stopped with SIGTERM and then
// SIGKILL, every wait bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

export interface ServerProcess {
  readonly child: ChildProcess;
  exited(): boolean;
  /** The last 4,000 characters it wrote on stderr. */
  stderr(): string;
  /** SIGTERM, up to `termWaitMs` (default 10 s) for it to exit, then SIGKILL. */
  stop(termWaitMs?: number): Promise<void>;
}

/**
 * Starts `command args` and waits until `readyUrl` answers 2xx. If it exits first or is not ready
 * within `readyTimeoutMs`, it is stopped and the error names `name` with its stderr.
 */
export async function startServerProcess(name: string, command: string, args: readonly string[], readyUrl: string, readyTimeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(command, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
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
  const server: ServerProcess = {
    child,
    exited: () => exited,
    stderr: () => stderr,
    async stop(termWaitMs = 10_000) {
      if (exited) return;
      child.kill('SIGTERM');
      await Promise.race([exit, sleep(termWaitMs)]);
      if (!exited) {
        child.kill('SIGKILL');
        await Promise.race([exit, sleep(5_000)]);
      }
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`${name} exited before it was ready: ${stderr}`);
    try {
      const r = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) });
      if (r.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${name} was not ready after ${readyTimeoutMs} ms: ${stderr}`);
    }
    await sleep(100);
  }
}
