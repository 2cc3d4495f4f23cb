// Atomic writes (issue 10), shown by killing the process mid-write: `pace generate` on a project of
// 150 services (about 900 files, every target) is SIGKILLed at seeded random moments while it
// rewrites the previous version's output; after each kill, every file of the output folder is
// the previous complete version or the new complete version (or, for a file the new version
// adds, absent), never a part; a killed run's temporary file is named `.<name>.<pid>.pace-tmp`,
// is never taken for an output (not listed as stale by --check, not removed as one) and is removed
// by the next run, which then leaves exactly the new version. The same for `pace fmt` (a file of
// 2.5 MB) and `pace import --out`. The CLI is bundled and run as a child process, as users run it.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAtomicTemp } from '../../server/src/node/project.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pace-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);
const cli = path.join(dir, 'cli.cjs');

beforeAll(async () => {
  await esbuild.build({ entryPoints: [path.join(__dirname, '../../server/src/cli/bin.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: cli, logLevel: 'error', define: { 'import.meta.url': '__import_meta_url' }, banner: { js: 'var __import_meta_url = require("url").pathToFileURL(__filename).href;' } });
}, 60_000);

/** A seeded PRNG (mulberry32): the kill moments are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function listFiles(d: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(d);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = path.join(d, e);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

function snapshot(d: string): Map<string, string> {
  return new Map(listFiles(d).map((f) => [path.relative(d, f), readFileSync(f, 'utf8')]));
}

function paceSource(services: number, objective: string): string {
  let s = '';
  for (let i = 0; i < services; i++) {
    s += `service s${i} {\n  title = "Service ${i} at ${objective}"\n  owner = "team-${i % 20}"\n  sli ok = ratio {\n    bad   = req_total{job="s${i}", code="500"}\n    total = req_total{job="s${i}"}\n  }\n  slo ok {\n    sli       = ok\n    objective = ${objective}\n    window    = 30d\n  }\n}\n`;
  }
  return s;
}

const run = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });

/**
 * Starts the CLI and SIGKILLs it once its stdout has shown `after` lines (a write done each), or
 * after `ms` when `after` is 0; resolves when it is gone, with what it printed.
 */
function killDuring(args: string[], cwd: string, after: number, ms: number): Promise<{ lines: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = 0;
    const kill = () => child.kill('SIGKILL');
    if (after === 0) setTimeout(kill, ms);
    child.stdout.on('data', (d: Buffer) => {
      lines += d.toString().split('\n').length - 1;
      if (after > 0 && lines >= after) kill();
    });
    child.on('close', (_code, signal) => resolve({ lines, signal }));
  });
}

describe('a killed pace generate leaves old or new files, never a part', () => {
  const SERVICES = 150;
  let before: Map<string, string>;
  let after: Map<string, string>;

  beforeAll(() => {
    // The previous version (99.9%) and the new one (99.5%, new titles): almost every file changes.
    for (const [name, objective] of [
      ['a', '99.9%'],
      ['b', '99.5%'],
    ]) {
      const p = path.join(dir, name);
      mkdirSync(p);
      writeFileSync(path.join(p, 'pace.yaml'), 'version: 1\n');
      writeFileSync(path.join(p, 'services.pace'), paceSource(SERVICES, objective));
      const r = run(['generate', '.'], p);
      expect(r.status, r.stderr).toBe(0);
    }
    before = snapshot(path.join(dir, 'a', 'generated'));
    after = snapshot(path.join(dir, 'b', 'generated'));
    expect(before.size).toBeGreaterThan(900);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect([...after].filter(([f, text]) => before.get(f) !== text).length).toBeGreaterThan(0.95 * after.size);
  }, 180_000);

  const random = prng(20261202);
  const KILLS = 5;
  for (let k = 0; k < KILLS; k++) {
    const at = 1 + Math.floor(random() * 850);
    it(`kill ${k + 1}: after about ${at} files written`, async () => {
      const work = path.join(dir, `work-${k}`);
      cpSync(path.join(dir, 'b', 'services.pace'), path.join(work, 'services.pace'));
      writeFileSync(path.join(work, 'pace.yaml'), 'version: 1\n');
      cpSync(path.join(dir, 'a', 'generated'), path.join(work, 'generated'), { recursive: true });
      const r = await killDuring(['generate', '.'], work, at, 0);
      expect(r.signal).toBe('SIGKILL');
      expect(r.lines).toBeGreaterThanOrEqual(at);
      expect(r.lines).toBeLessThan(after.size); // killed before the end
      const out = path.join(work, 'generated');
      let old = 0;
      let fresh = 0;
      let same = 0;
      const temps: string[] = [];
      for (const file of listFiles(out)) {
        const rel = path.relative(out, file);
        if (isAtomicTemp(file)) {
          temps.push(rel);
          continue;
        }
        const text = readFileSync(file, 'utf8');
        if (text === before.get(rel) && text === after.get(rel)) same++;
        else if (text === before.get(rel)) old++;
        else if (text === after.get(rel)) fresh++;
        else throw new Error(`${rel}: neither the previous nor the new version (${text.length} characters)`);
      }
      expect(old + fresh + same).toBe(after.size); // no file lost
      expect(fresh).toBeGreaterThanOrEqual(at - 1);
      expect(old).toBeGreaterThan(0);
      // A temporary file left by the kill is not taken for an output...
      const check = run(['generate', '.', '--check'], work);
      expect(check.status).toBe(1);
      expect(check.stdout).not.toMatch(/pace-tmp/);
      expect(check.stdout.split('\n').filter(Boolean)).toHaveLength(old);
      // ...and the next run removes it and finishes the job.
      const again = run(['generate', '.'], work);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).not.toMatch(/pace-tmp/);
      expect(snapshot(out)).toEqual(after);
      console.log(`kill ${k + 1}: ${fresh} new, ${old} previous, ${temps.length} temporary file${temps.length === 1 ? '' : 's'} left (${temps.join(', ') || 'none'})`);
    }, 180_000);
  }

  it('a temporary file left by a killed run is removed by the next run, even with nothing to write', () => {
    const work = path.join(dir, 'work-temp');
    cpSync(path.join(dir, 'b'), work, { recursive: true });
    // A dead process's temp (pid 2^22 + 1 is above Linux's pid_max default), empty or complete.
    const empty = path.join(work, 'generated', 'prometheus', `.s1.rules.yml.4194305.pace-tmp`);
    const full = path.join(work, 'generated', 'openslo', `.s1.yaml.4194305.pace-tmp`);
    writeFileSync(empty, '');
    writeFileSync(full, after.get(path.join('openslo', 's1.yaml'))!);
    expect(run(['generate', '.', '--check'], work).status).toBe(0);
    const r = run(['generate', '.'], work);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/0 created, 0 updated, 0 removed, \d+ unchanged/);
    expect(listFiles(path.join(work, 'generated')).filter((f) => isAtomicTemp(f))).toEqual([]);
    expect(snapshot(path.join(work, 'generated'))).toEqual(after);
  }, 60_000);
});

describe('a killed pace fmt or pace import leaves old or new files, never a part', () => {
  it('pace fmt on a file of 2.5 MB, killed at 5 random moments', async () => {
    const random = prng(7);
    const p = path.join(dir, 'fmt');
    mkdirSync(p);
    writeFileSync(path.join(p, 'pace.yaml'), 'version: 1\n');
    // Unformatted: every attribute on one line with odd spacing.
    const messy = paceSource(10000, '99.9%').replace(/\n {2,}/g, '\n').replace(/ = /g, '=');
    writeFileSync(path.join(p, 'big.pace'), messy);
    const t0 = Date.now();
    expect(run(['fmt', '.'], p).status).toBe(0);
    const total = Date.now() - t0;
    const formatted = readFileSync(path.join(p, 'big.pace'), 'utf8');
    expect(formatted).not.toBe(messy);
    expect(formatted.length).toBeGreaterThan(2.5e6);
    for (let k = 0; k < 5; k++) {
      writeFileSync(path.join(p, 'big.pace'), messy);
      const ms = Math.floor(random() * total);
      await killDuring(['fmt', '.'], p, 0, ms);
      const text = readFileSync(path.join(p, 'big.pace'), 'utf8');
      expect(text === messy || text === formatted, `killed at ${ms} ms of ${total}: ${text.length} characters`).toBe(true);
      for (const f of readdirSync(p)) expect(f === 'big.pace' || f === 'pace.yaml' || isAtomicTemp(f), f).toBe(true);
    }
    // The next write removes what a kill left.
    writeFileSync(path.join(p, 'big.pace'), messy);
    expect(run(['fmt', '.'], p).status).toBe(0);
    expect(readdirSync(p).sort()).toEqual(['big.pace', 'pace.yaml']);
  }, 180_000);

  it('pace import --out, killed after its first files', async () => {
    const random = prng(11);
    const docs: string[] = [];
    for (let i = 0; i < 400; i++) docs.push(`apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  displayName: Service ${i}\nspec:\n  description: The service number ${i}.\n`);
    writeFileSync(path.join(dir, 'services.yaml'), docs.join('---\n'));
    const complete = path.join(dir, 'import-complete');
    expect(run(['import', 'openslo', 'services.yaml', '--out', complete], dir).status).toBe(0);
    const want = snapshot(complete);
    expect(want.size).toBeGreaterThanOrEqual(400);
    for (let k = 0; k < 3; k++) {
      const out = path.join(dir, `import-${k}`);
      const at = 1 + Math.floor(random() * (want.size - 10));
      await killDuring(['import', 'openslo', 'services.yaml', '--out', out], dir, at, 0);
      const got = snapshot(out);
      for (const [rel, text] of got) {
        if (isAtomicTemp(rel)) continue;
        expect(text, rel).toBe(want.get(rel));
      }
      expect([...got.keys()].filter((f) => !isAtomicTemp(f)).length).toBeGreaterThanOrEqual(at - 1);
    }
  }, 180_000);
});
