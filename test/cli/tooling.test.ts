// A newcomer's fresh clone: `npm run package` on Node 20 by itself, and the e2e setup's apt-get
// waiting for another apt-get instead of failing.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pace-tooling-'));
  temps.push(d);
  return d;
}

describe('npm run package', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

  it('uses the pinned @vscode/vsce devDependency, which runs on the oldest Node the README promises', () => {
    const pinned = pkg.devDependencies['@vscode/vsce'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const installed = JSON.parse(readFileSync(path.join(root, 'node_modules/@vscode/vsce/package.json'), 'utf8'));
    expect(installed.version).toBe(pinned);
    // package.json says Node >=20; so must vsce.
    expect(pkg.engines.node).toBe('>=20');
    expect(installed.engines.node.replace(/\s/g, '')).toBe('>=20');
    expect(pkg.scripts.package).toBe('node client/scripts/package-vsix.mjs --out pace.vsix');
  });

  it('packages with this Node and no download: no npx, no other Node, no network', () => {
    const out = path.join(tempDir(), 'pace.vsix');
    // An npm that fails and a cache without Node 24: the script must need neither.
    const bin = tempDir();
    writeFileSync(path.join(bin, 'npx'), '#!/bin/sh\necho "npx must not be called" >&2\nexit 9\n');
    chmodSync(path.join(bin, 'npx'), 0o755);
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, PACE_E2E_CACHE: tempDir(), npm_config_offline: 'true' };
    const r = spawnSync(process.execPath, ['client/scripts/package-vsix.mjs', '--out', out], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`package-vsix: @vscode/vsce ${pkg.devDependencies['@vscode/vsce']} on Node ${process.versions.node}`);
    // The script's own checks of the content ran and passed.
    expect(r.stdout).toMatch(/package-vsix: .*pace\.vsix: \d+ entries, \d+ KiB/);
    for (const f of ['extension/package.json', 'extension/server/out/server.cjs', 'extension/client/out/extension.cjs', 'extension/grammar/syntaxes/pace.tmLanguage.json']) expect(r.stdout).toContain(f);
    expect(readFileSync(out).readUInt32LE(0)).toBe(0x04034b50);
  });
});

describe('test/e2e/setup.sh: apt-get', () => {
  /** Runs apt-install.sh with a fake apt-get that reports a held lock for its first `locked` updates. */
  function aptInstall(opts: { locked: number; failure?: string }) {
    const dir = tempDir();
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    const calls = path.join(dir, 'calls');
    writeFileSync(
      path.join(bin, 'apt-get'),
      `#!/bin/sh
echo "$*" >> "${calls}"
case "$*" in
  *update*)
    n=$(grep -c update "${calls}")
    if [ "$n" -le ${opts.locked} ]; then
      echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
      echo "E: Unable to lock directory /var/lib/apt/lists/" >&2
      exit 100
    fi
    ${opts.failure ? `echo "${opts.failure}" >&2; exit 100` : 'exit 0'} ;;
esac
exit 0
`,
    );
    chmodSync(path.join(bin, 'apt-get'), 0o755);
    const r = spawnSync('bash', [path.join(root, 'test/e2e/apt-install.sh'), 'chromium', 'libkrb5-dev'], {
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, PACE_APT_RETRY_SECONDS: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: r.status, stderr: r.stderr, calls: readFileSync(calls, 'utf8').trimEnd().split('\n') };
  }

  it('waits while another apt-get holds the lock, then installs with a dpkg lock timeout', () => {
    const r = aptInstall({ locked: 2 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.calls).toEqual([
      ...Array(3).fill('update -qq -o DPkg::Lock::Timeout=600'),
      'install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 chromium libkrb5-dev',
    ]);
    expect(r.stderr.match(/holds the lock/g)).toHaveLength(2);
  });

  it('fails at once on another error of apt-get update, showing it', () => {
    const r = aptInstall({ locked: 0, failure: 'E: The repository is not signed.' });
    expect(r.status).toBe(1);
    expect(r.calls).toEqual(['update -qq -o DPkg::Lock::Timeout=600']);
    expect(r.stderr).toContain('E: The repository is not signed.');
  });

  it('is what setup.sh runs for the Debian packages', () => {
    const setup = readFileSync(path.join(root, 'test/e2e/setup.sh'), 'utf8');
    expect(setup).toContain('bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "${missing[@]}"');
    expect(setup).not.toMatch(/^\s*apt-get /m);
  });
});
