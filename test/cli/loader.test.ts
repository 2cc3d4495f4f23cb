// The `pace` binary's loader (server/src/cli/loader.ts): it runs the bundle beside it with V8's code
// cache when the cache was made from that bundle's exact bytes, and as node would without it
// otherwise. On a stand-in bundle: the cache is written by PACE_WRITE_CODE_CACHE and used by the next
// start; a bundle changed to other bytes of the same length (V8 alone would take the old cache for
// it, since it checks only the length) runs its new code; a damaged cache is not used. On the real
// build: the caches esbuild.mjs wrote are the ones V8 uses. The commands run with other V8 flags
// (diff, generate) read a cache of their own, which V8 would refuse for the others.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
let dir: string;

const run = (loader: string, env: Record<string, string> = {}, args: string[] = []) =>
  spawnSync(process.execPath, [loader, ...args], { encoding: 'utf8', env: { ...process.env, PACE_CODE_CACHE_REPORT: '1', ...env } });

// A stand-in for pace.cjs: CommonJS with require, module and __filename, as the real bundle uses them.
const fake = (word: string) => `const path = require('node:path');\nmodule.exports = 1;\nfunction answer() { return ${JSON.stringify(word)} + ' ' + path.basename(__filename) + ' ' + process.argv.slice(2).join(','); }\nprocess.stdout.write(answer() + '\\n');\n`;

describe('the pace binary loads its bundle with the code cache', () => {
  let loader: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pace-loader-'));
    loader = path.join(dir, 'cli.cjs');
    await esbuild.build({ entryPoints: [path.join(root, 'server/src/cli/loader.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: loader, logLevel: 'error' });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the cache on request, uses it next time, and ignores it for other bytes of the same length or when damaged', () => {
    const bundle = path.join(dir, 'pace.cjs');
    const cache = `${bundle}.cache`;
    writeFileSync(bundle, fake('alpha'));

    const first = run(loader, { PACE_WRITE_CODE_CACHE: cache }, ['a', 'b']);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe('alpha pace.cjs a,b\n');
    expect(first.stderr).toBe('pace: code cache absent or stale\n');

    const second = run(loader);
    expect(second.stdout).toBe('alpha pace.cjs \n');
    expect(second.stderr).toBe('pace: code cache used\n');

    // Same length, other code: the old cache must not run the old function.
    writeFileSync(bundle, fake('omega'));
    const changed = run(loader);
    expect(changed.stdout).toBe('omega pace.cjs \n');
    expect(changed.stderr).toBe('pace: code cache absent or stale\n');

    // The right hash in front of bytes that are no cache: V8 rejects them, and the bundle still runs.
    const c = readFileSync(cache);
    writeFileSync(bundle, fake('alpha'));
    writeFileSync(cache, Buffer.concat([c.subarray(0, 32), Buffer.alloc(c.length - 32, 7)]));
    const damaged = run(loader);
    expect(damaged.stdout).toBe('alpha pace.cjs \n');
    expect(damaged.stderr).toBe('pace: code cache rejected\n');
  });

  it('keeps a cache of its own for the commands it runs with other V8 flags (diff, generate), which the other cache would not fit', () => {
    const bundle = path.join(dir, 'pace.cjs');
    const [cache, batch] = [`${bundle}.cache`, `${bundle}.batch.cache`];
    writeFileSync(bundle, fake('beta'));
    rmSync(cache, { force: true });
    rmSync(batch, { force: true });

    const written = run(loader, { PACE_WRITE_CODE_CACHE: batch }, ['generate']);
    expect(written.stdout).toBe('beta pace.cjs generate\n');
    expect(written.stderr).toBe('pace: code cache absent or stale\n');
    expect(run(loader, {}, ['generate']).stderr).toBe('pace: code cache used\n');
    // Other commands read the other cache, absent here.
    expect(run(loader, {}, ['check']).stderr).toBe('pace: code cache absent or stale\n');
    // The batch cache put where they look: V8 refuses it, since it was made under the batch flags.
    writeFileSync(cache, readFileSync(batch));
    const refused = run(loader, {}, ['check']);
    expect(refused.stdout).toBe('beta pace.cjs check\n');
    expect(refused.stderr).toBe('pace: code cache rejected\n');
  });

  it('the real bundle is ASCII (V8 holds a source with any other character as UTF-16, twice the bytes to read and scan)', () => {
    const text = readFileSync(path.join(root, 'server/out/pace.cjs'), 'latin1');
    expect(text.match(/[^\x00-\x7f].{0,40}/)?.[0]).toBeUndefined();
  });

  it('the build wrote a cache for the real bundle, and V8 uses it', () => {
    const r = run(path.join(root, 'server/out/cli.cjs'), {}, ['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(r.stderr).toBe('pace: code cache used\n');
    // And the one for the commands run with the batch flags.
    const g = run(path.join(root, 'server/out/cli.cjs'), {}, ['generate', '--help']);
    expect(g.status).toBe(0);
    expect(g.stdout).toContain('Usage: pace generate');
    expect(g.stderr).toBe('pace: code cache used\n');
  });
});
