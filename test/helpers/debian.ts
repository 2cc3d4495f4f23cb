// Debian packages the tests run (prometheus, prometheus-alertmanager, victoria-metrics, chromium): a
// binary is looked up on PATH and in /usr/bin, /usr/local/bin. They are installed once, before any
// test worker starts, by test/setup/global.ts (as root); a test that finds one missing fails with
// the package to install. Also: `run`, a child process that does not block the worker.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export function which(bin: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin']) {
    const p = path.join(dir, bin);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** Each package the suite runs, with the binaries (any one of each inner list) that show it is there. */
export const SUITE_PACKAGES: readonly { readonly pkg: string; readonly bins: readonly (readonly string[])[] }[] = [
  { pkg: 'prometheus', bins: [['prometheus'], ['promtool']] },
  { pkg: 'prometheus-alertmanager', bins: [['amtool'], ['prometheus-alertmanager', 'alertmanager']] },
  { pkg: 'victoria-metrics', bins: [['victoria-metrics'], ['vmalert']] },
  { pkg: 'chromium', bins: [['chromium']] },
];

export function missingPackages(pkgs: typeof SUITE_PACKAGES): string[] {
  return pkgs.filter((p) => !p.bins.every((alts) => alts.some((b) => which(b)))).map((p) => p.pkg);
}

/** The error a test throws when `pkg` is not installed. */
export function missingPackage(pkg: string, what: string): Error {
  const how = process.getuid?.() === 0 ? 'the test setup (test/setup/global.ts) could not install it; see its message above' : `install it: sudo apt-get install --no-install-recommends ${pkg}`;
  return new Error(`This test needs ${what} from the Debian package '${pkg}': ${how}.`);
}

export interface RunResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A child process run to its end without blocking this worker (spawnSync would: see
 * test/setup/each-file.ts). Killed with SIGKILL after `timeoutMs`; stdout and stderr are kept whole.
 */
export function run(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.once('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.once('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}
