// The test setup itself: the worker's event loop turns between tests, the package check names what
// is missing, and `run` neither blocks nor outlives its timeout.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingPackages, run, SUITE_PACKAGES } from '../helpers/debian.js';

describe('each-file setup', () => {
  let turned = false;
  it('schedules an immediate and blocks for a while', () => {
    setImmediate(() => (turned = true));
    const end = Date.now() + 50;
    while (Date.now() < end);
    expect(turned).toBe(false);
  });
  it('finds it run before the next test starts (the poll phase, where RPC replies are read, came first)', () => {
    expect(turned).toBe(true);
  });
});

describe('missingPackages', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pace-setup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fake = (name: string) => {
    writeFileSync(path.join(dir, name), '#!/bin/sh\n');
    chmodSync(path.join(dir, name), 0o755);
  };
  it('needs every binary of a package, any one of its alternatives', () => {
    const pkgs = [
      { pkg: 'a', bins: [['pace-fake-a1'], ['pace-fake-a2', 'pace-fake-a3']] },
      { pkg: 'b', bins: [['pace-fake-b']] },
    ];
    const saved = process.env.PATH;
    process.env.PATH = dir;
    try {
      expect(missingPackages(pkgs)).toEqual(['a', 'b']);
      fake('pace-fake-a1');
      expect(missingPackages(pkgs)).toEqual(['a', 'b']);
      fake('pace-fake-a3');
      expect(missingPackages(pkgs)).toEqual(['b']);
    } finally {
      process.env.PATH = saved;
    }
  });
  it('lists the four packages the suite runs', () => {
    expect(SUITE_PACKAGES.map((p) => p.pkg)).toEqual(['prometheus', 'prometheus-alertmanager', 'victoria-metrics', 'chromium']);
  });
});

describe('run', () => {
  it('returns the status and both streams, and feeds stdin', async () => {
    const r = await run('sh', ['-c', 'cat; echo err >&2; exit 3'], { input: 'in\n' });
    expect(r).toEqual({ status: 3, signal: null, stdout: 'in\n', stderr: 'err\n' });
  });
  it('kills the child at its timeout while this worker goes on', async () => {
    let ticks = 0;
    const iv = setInterval(() => ticks++, 10);
    const r = await run('sleep', ['30'], { timeoutMs: 300 });
    clearInterval(iv);
    expect(r.signal).toBe('SIGKILL');
    expect(ticks).toBeGreaterThan(5);
  });
});
