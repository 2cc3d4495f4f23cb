// The CLI in-process (main(argv, io)): stdout goldens and exit codes for every format and command,
// plus one smoke test of the bundled binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft4 from 'ajv-draft-04';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import modelSchema from '../../schemas/pace-model.schema.json';

const root = path.join(__dirname, '../..');
const golden = (name: string) => path.join(__dirname, 'golden', name);
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pace-cli-'));
  temps.push(d);
  return d;
}

async function run(argv: string[], opts: { cwd?: string; isTTY?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: opts.cwd ?? root, env: opts.env ?? {}, isTTY: opts.isTTY ?? false });
  return { code, stdout, stderr };
}

describe('pace check', () => {
  it('samples: clean, exit 0', async () => {
    const r = await run(['check', 'samples']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✔ 0 errors, 0 warnings in \d+ files checked\n$/);
  });

  it('samples/broken as text: every diagnostic with a code frame, exit 1', async () => {
    const r = await run(['check', 'samples/broken']);
    expect(r.code).toBe(1);
    await expect(r.stdout).toMatchFileSnapshot(golden('broken.txt'));
  });

  it('samples/broken as JSON: LSP-style 0-based positions and a summary', async () => {
    const r = await run(['check', 'samples/broken', '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['diagnostics', 'summary']);
    expect(out.summary.errors).toBe(out.diagnostics.filter((d: { severity: string }) => d.severity === 'error').length);
    for (const d of out.diagnostics) {
      expect(Object.keys(d).slice(0, 5)).toEqual(['file', 'range', 'severity', 'code', 'message']);
      expect(d.range.start.line).toBeGreaterThanOrEqual(0);
    }
    await expect(r.stdout).toMatchFileSnapshot(golden('broken.json'));
  });

  it('samples/broken as SARIF 2.1.0: valid against the official schema', async () => {
    const r = await run(['check', 'samples/broken', '--format', 'sarif']);
    expect(r.code).toBe(1);
    const sarifSchema = JSON.parse(readFileSync(path.join(root, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new AjvDraft4({ allErrors: true, strict: false, unicodeRegExp: false }).compile(sarifSchema);
    const log = JSON.parse(r.stdout);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThan(20);
    for (const res of results) expect(log.runs[0].tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    // The schema is not vacuous: a result without a message is rejected.
    delete results[0].message;
    expect(validate(log)).toBe(false);
  });

  it('samples/broken as GitHub workflow commands', async () => {
    const r = await run(['check', 'samples/broken', '--format', 'github']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^::(error|warning|notice) file=samples\/broken\/[^,]+\.pace,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z]+\/[a-z-]+::\S/);
    await expect(r.stdout).toMatchFileSnapshot(golden('broken.github.txt'));
  });

  it('a single file: only its diagnostics, resolved against its project', async () => {
    const r = await run(['check', 'samples/broken/check-wrong-type.pace', '--format', 'json']);
    expect(r.code).toBe(1);
    const files = new Set(JSON.parse(r.stdout).diagnostics.map((d: { file: string }) => d.file));
    expect([...files]).toEqual(['samples/broken/check-wrong-type.pace']);
  });

  it('a folder inside a project is checked within that project, reporting only its files', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: 1\n');
    writeFileSync(path.join(dir, 'base.pace'), 'service base {\n  tier = urgent\n}\n');
    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'app.pace'), 'service app {\n  depends_on = [base]\n}\n');
    const r = await run(['check', 'sub', '--format', 'json'], { cwd: dir });
    // base.pace has an error, but it is not in the folder asked for; `base` still resolves.
    expect([r.code, JSON.parse(r.stdout).diagnostics]).toEqual([0, []]);
    expect((await run(['check', '.'], { cwd: dir })).code).toBe(1);
  });

  it('--max-warnings fails a project whose only findings are warnings', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.pace'), 'alerting quiet {\n}\n');
    expect((await run(['check', dir])).code).toBe(0);
    const r = await run(['check', dir, '--max-warnings', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 warnings, more than the maximum of 0');
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: 1\ncheck:\n  max_warnings: 0\n');
    expect((await run(['check', dir])).code).toBe(1);
  });

  it('a broken pace.yaml is a config error: exit 2, located in pace.yaml', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: 1\nfils: ["*.pace"]\n');
    writeFileSync(path.join(dir, 'a.pace'), 'service s {}\n');
    const r = await run(['check', dir], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("pace.yaml:2:1 error config/invalid Unknown key 'fils' in pace.yaml.");
  });

  it('usage errors exit 2 without a stack trace', async () => {
    for (const argv of [['check', '--format', 'xml'], ['check', 'no/such/dir'], ['frobnicate'], ['check', '--max-warnings', '-1'], ['check', 'README.md']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.length).toBeGreaterThan(0);
    }
  });

  it('colours only on a terminal, and never with NO_COLOR', async () => {
    expect((await run(['check', 'samples/broken'], { isTTY: true })).stdout).toContain('\x1b[31m');
    expect((await run(['check', 'samples/broken'], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    expect((await run(['check', 'samples/broken', '--no-color'], { isTTY: true })).stdout).not.toContain('\x1b[');
    expect((await run(['check', 'samples/broken'])).stdout).not.toContain('\x1b[');
  });

  it('--emit-model prints a model valid against schemas/pace-model.schema.json', async () => {
    const r = await run(['check', 'samples', '--emit-model']);
    expect(r.code).toBe(0);
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(modelSchema);
    expect(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors)).toBe(true);
    const broken = await run(['check', 'samples/broken', '--emit-model']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
  });
});

describe('pace fmt', () => {
  const messy = 'service   s {\n    title="S"\n  tier =   low\n\n\n  owner = "o" // trailing\n}\n';
  it('--check lists files that would change and exits 1 without writing', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.pace'), messy);
    const r = await run(['fmt', '--check', dir], { cwd: dir });
    expect([r.code, r.stdout]).toEqual([1, 'a.pace\n']);
    expect(readFileSync(path.join(dir, 'a.pace'), 'utf8')).toBe(messy);
  });
  it('writes the canonical layout, keeps comments, and is idempotent', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.pace'), messy);
    expect((await run(['fmt', dir], { cwd: dir })).stdout).toBe('formatted a.pace\n');
    const out = readFileSync(path.join(dir, 'a.pace'), 'utf8');
    expect(out).toBe('service s {\n  title = "S"\n  tier  = low\n\n  owner = "o" // trailing\n}\n');
    expect((await run(['fmt', '--check', dir], { cwd: dir })).code).toBe(0);
  });
  it('refuses a file with syntax errors and leaves it untouched', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.pace'), 'service s {\n  title = "open\n}\n');
    const r = await run(['fmt', dir], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a.pace: not formatted');
    expect(readFileSync(path.join(dir, 'a.pace'), 'utf8')).toBe('service s {\n  title = "open\n}\n');
  });
  it('the samples are formatted', async () => {
    const r = await run(['fmt', '--check', 'samples']);
    expect([r.code, r.stdout]).toEqual([0, '']);
  });
});

describe('pace init', () => {
  it('scaffolds a project that checks clean, and never overwrites', async () => {
    const dir = tempDir();
    const r = await run(['init', 'proj'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'proj/pace.yaml'))).toBe(true);
    const c = await run(['check', 'proj'], { cwd: dir });
    expect([c.code, c.stdout]).toEqual([0, '✔ 0 errors, 0 warnings in 1 file checked\n']);
    expect((await run(['fmt', '--check', 'proj'], { cwd: dir })).code).toBe(0);
    const again = await run(['init', 'proj'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; nothing was written');
  });
});

describe('the bundled binary', () => {
  const bin = path.join(root, 'server/out/cli.cjs');
  it('runs check on the samples (exit 0) and on broken files (exit 1)', () => {
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(spawnSync(process.execPath, [bin, 'check', 'samples'], { cwd: root }).status).toBe(0);
    const broken = spawnSync(process.execPath, [bin, 'check', 'samples/broken', '--format', 'json'], { cwd: root, encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout).summary.errors).toBeGreaterThan(20);
  });
  it('is linked as `pace` by npm install, so `npx pace` works', () => {
    const linked = path.join(root, 'node_modules/.bin/pace');
    expect(existsSync(linked)).toBe(true);
    const r = spawnSync(linked, ['check', 'samples'], { cwd: root, encoding: 'utf8' });
    expect([r.status, r.stdout]).toEqual([0, expect.stringMatching(/^✔ 0 errors, 0 warnings in \d+ files checked\n$/)]);
  });

  it('reports an unreadable project as an error, not a stack trace', () => {
    const dir = tempDir();
    cpSync(path.join(root, 'samples/pace.yaml'), path.join(dir, 'pace.yaml'));
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: [\n');
    const r = spawnSync(process.execPath, [bin, 'check', dir], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toContain('config/syntax');
    expect(r.stderr).not.toContain('    at ');
  });
});
