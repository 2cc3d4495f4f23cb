// Debian packages the tests run (prometheus, prometheus-alertmanager, victoria-metrics): a binary is
// looked up on PATH and in /usr/bin, /usr/local/bin; a missing package is installed with apt-get
// when the tests run as root (CI), updating the package lists once if the first try fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export function which(bin: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin']) {
    const p = path.join(dir, bin);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** `apt-get install` of `pkg` (no recommends); throws with apt's last output when it fails. */
export function aptInstall(pkg: string): void {
  const args = ['install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=600', pkg];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', args, { stdio: 'pipe', env, timeout: 15 * 60_000 });
  if (r.status !== 0) {
    // A machine without package lists: update them once and try again.
    spawnSync('apt-get', ['update', '-o', 'DPkg::Lock::Timeout=600'], { stdio: 'pipe', env, timeout: 10 * 60_000 });
    r = spawnSync('apt-get', args, { stdio: 'pipe', env, timeout: 15 * 60_000 });
  }
  if (r.status !== 0) throw new Error(`apt-get install ${pkg} failed (exit ${r.status}): ${String(r.stderr).slice(-2000)}`);
}
