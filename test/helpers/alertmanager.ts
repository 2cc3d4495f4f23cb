// A real Alertmanager for tests (Debian's package `prometheus-alertmanager`, 0.25): `amtool` to check
// configurations and test routes, and the server on 127.0.0.1 (a free port, a temp dir, no cluster)
// to post alerts to. When they are missing the error names the package
// (test/setup/global.ts installs it). Every wait is bounded.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { missingPackage, which } from './debian.js';
import { freePort, startServerProcess } from './server-process.js';

const PACKAGE = 'prometheus-alertmanager';

let found: { amtool: string; alertmanager: string } | undefined;

/** The paths of `amtool` and the Alertmanager server, installing the package as root when they are missing. */
export function alertmanagerBinaries(): { amtool: string; alertmanager: string } {
  if (found) return found;
  const look = () => ({ amtool: which('amtool'), alertmanager: which('prometheus-alertmanager') ?? which('alertmanager') });
  const b = look();
  if (!b.amtool || !b.alertmanager) throw missingPackage(PACKAGE, "Alertmanager 0.25's 'amtool' and server");
  found = { amtool: b.amtool, alertmanager: b.alertmanager };
  return found;
}

/** Runs amtool (stdout and stderr together, without its warning that --config.file overrides the URL). */
export function amtool(args: readonly string[], cwd?: string): Promise<{ code: number; out: string }> {
  const bin = alertmanagerBinaries().amtool;
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out: out.replace(/^Warning: --config\.file flag overrides the --alertmanager\.url\.\n?/gm, '') });
    });
  });
}

/** `amtool config routes test`: the receivers an alert with these labels reaches (amtool prints them comma-separated). */
export async function routeReceivers(configFile: string, labels: Readonly<Record<string, string>>): Promise<string[]> {
  // amtool reads each argument as a matcher: quote the value, escaping `\` and `"`.
  const args = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  const r = await amtool(['config', 'routes', 'test', `--config.file=${configFile}`, ...args]);
  if (r.code !== 0) throw new Error(`amtool config routes test ${args.join(' ')} failed (exit ${r.code}): ${r.out}`);
  return r.out.trim().split(',').map((s) => s.trim());
}

export interface AlertmanagerServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts Alertmanager on `configFile` (127.0.0.1, a free port, clustering off, a temp storage dir). Call `stop()`. */
export async function startAlertmanager(configFile: string): Promise<AlertmanagerServer> {
  const { alertmanager } = alertmanagerBinaries();
  const dir = mkdtempSync(path.join(tmpdir(), 'pace-am-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  try {
    const server = await startServerProcess(
      'alertmanager',
      alertmanager,
      [`--config.file=${configFile}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
      `${url}/-/ready`,
    );
    return {
      url,
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
