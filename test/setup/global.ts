// vitest globalSetup: installs the Debian packages the suite runs (prometheus, prometheus-alertmanager,
// victoria-metrics, chromium) once, in vitest's main process, before any test worker starts.
//
// Why here and not in the tests: a worker that blocks (spawnSync of apt-get, minutes on a fresh
// machine) cannot answer vitest's RPC, whose timeout is a fixed 60 s; the run then ends with
// "Timeout calling onTaskUpdate" and exit 1 although every test passed. Installing before the workers
// exist also means two workers never wait on apt's lock for each other.
//
// As root a missing package is installed with test/e2e/apt-install.sh (it waits for another apt that
// holds the lock). Otherwise nothing is installed: one line names the packages to install, and each
// test that needs one fails with the same advice.
import * as path from 'node:path';
import { missingPackages, run, SUITE_PACKAGES } from '../helpers/debian.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export default async function setup(): Promise<void> {
  const missing = missingPackages(SUITE_PACKAGES);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    process.stderr.write(`pace tests: the Debian packages ${missing.join(', ')} are missing; the tests that run them will fail. Install them: sudo apt-get install --no-install-recommends ${missing.join(' ')}\n`);
    return;
  }
  process.stderr.write(`pace tests: installing the Debian packages ${missing.join(', ')} (apt-get, once)…\n`);
  const t0 = Date.now();
  const { status, stderr } = await run('bash', [path.join(ROOT, 'test', 'e2e', 'apt-install.sh'), ...missing]).catch((e: unknown) => ({ status: null, stderr: String(e) }));
  const still = missingPackages(SUITE_PACKAGES);
  if (status === 0 && still.length === 0) {
    process.stderr.write(`pace tests: installed ${missing.join(', ')} in ${Math.round((Date.now() - t0) / 1000)} s\n`);
    return;
  }
  // Not fatal: the tests that need no package still run, the others say what is missing.
  process.stderr.write(`pace tests: apt-get could not install ${still.join(', ') || missing.join(', ')} (exit ${status}):\n${stderr.slice(-4000)}\n`);
}
