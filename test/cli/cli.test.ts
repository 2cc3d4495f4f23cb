// The CLI in-process (main(argv, io)): stdout goldens and exit codes for every format and command,
// plus one smoke test of the bundled binary.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { ioErrorText, main } from '../../server/src/cli/main.js';
import { loadWorkspace, readProject, toUri } from '../../server/src/node/project.js';
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
    // The schema's formats (uri, uri-reference, date-time) are checked, and ajv has nothing to warn about.
    const warnings: unknown[] = [];
    const ajv = new AjvDraft4({ allErrors: true, strict: false, unicodeRegExp: false, logger: { log: () => {}, warn: (...a: unknown[]) => warnings.push(a), error: (...a: unknown[]) => warnings.push(a) } });
    addFormats(ajv as unknown as Parameters<typeof addFormats>[0]);
    const validate = ajv.compile(sarifSchema);
    expect(warnings).toEqual([]);
    const log = JSON.parse(r.stdout);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThan(20);
    for (const res of results) expect(log.runs[0].tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    // No links to a home page that does not exist: the only URL is the schema's.
    expect(r.stdout.match(/\bhttps?:\/\/[^"\s]+/g)).toEqual(['https://json.schemastore.org/sarif-2.1.0.json']);
    // Formats are checked: a date that is not a date-time is rejected.
    expect(validate({ ...log, runs: [{ ...log.runs[0], invocations: [{ executionSuccessful: true, startTimeUtc: 'yesterday' }] }] })).toBe(false);
    expect(validate.errors?.map((e) => e.keyword)).toContain('format');
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

  it('a code frame of a very long line shows 160 columns around the error, and messages quote long tokens cut', async () => {
    // A 10 MB file on one line printed 10 MB per diagnostic, twice (the line and the caret's padding).
    const dir = tempDir();
    const long = 'z'.repeat(100_000);
    writeFileSync(path.join(dir, 'long.pace'), `service a {\n  x = ${'y'.repeat(100_000)} @ ${long}\n}\n`);
    const r = await run(['check', 'long.pace'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeLessThan(3000);
    const lines = r.stdout.split('\n');
    // The '@' at its column, its caret under it, inside the window.
    const at = lines.findIndex((l) => l.includes("Unexpected character '@'"));
    expect(lines[at]).toMatch(/long\.pace:2:100008 error lex\/unexpected-character/);
    const src = lines[at + 2];
    const caret = lines[at + 3];
    expect(src).toMatch(/\| …y+ @ z+…$/);
    expect(src.indexOf('@')).toBe(caret.indexOf('^'));
    expect(caret.trimEnd().endsWith('^')).toBe(true);
    // The parser's message names the 100,000-character token by its first characters only.
    const quoted = lines.find((l) => l.includes('parse/expected-token'))!;
    expect(quoted).toContain(`'${'z'.repeat(57)}…'`);
    expect(quoted.length).toBeLessThan(200);
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
    expect(r.stderr).toBe('pace: 1 warning, more than the maximum of 0\n');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('⚠ 0 errors, 1 warning in 1 file checked');
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: 1\ncheck:\n  max_warnings: 0\n');
    expect((await run(['check', dir])).code).toBe(1);
  });

  it('a broken pace.yaml is a config error: exit 2, located in pace.yaml', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: 1\nfils: ["*.pace"]\n');
    writeFileSync(path.join(dir, 'a.pace'), 'service s {}\n');
    const r = await run(['check', dir], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("pace.yaml:2:1 error config/invalid Unknown key 'fils' in pace.yaml. Did you mean 'files'?");
  });

  it('a misspelt key in pace.yaml gets a did-you-mean, located at the key', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: 1\ncheck:\n  max_warning: 0\n');
    writeFileSync(path.join(dir, 'a.pace'), 'service s {}\n');
    const r = await run(['check'], { cwd: dir });
    expect(r.code).toBe(2);
    await expect(r.stdout).toMatchFileSnapshot(golden('config-did-you-mean.txt'));
  });

  it('prints notes in another file of the project as path:line:col of their real position', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: 1\n');
    writeFileSync(path.join(dir, 'a.pace'), '// the first one\nservice shop {\n  title = "A"\n}\n');
    writeFileSync(path.join(dir, 'b.pace'), 'service shop {\n  title = "B"\n}\n');
    const text = await run(['check', 'b.pace'], { cwd: dir });
    expect(text.stdout).toContain("\n  note: a.pace:2:9 'shop' is first declared here.\n");
    expect(text.stdout).not.toContain('file:');
    expect(text.stdout).toContain('in 1 file checked');
    const json = JSON.parse((await run(['check', 'b.pace', '--format', 'json'], { cwd: dir })).stdout);
    expect(json.diagnostics[0].related).toEqual([{ file: 'a.pace', range: { start: { line: 1, character: 8 }, end: { line: 1, character: 12 } }, message: "'shop' is first declared here." }]);
    const sarif = JSON.parse((await run(['check', 'b.pace', '--format', 'sarif'], { cwd: dir })).stdout);
    expect(sarif.runs[0].results[0].relatedLocations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'a.pace', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 9, endLine: 2, endColumn: 13, charOffset: 25, charLength: 4 },
    });
    // Run from elsewhere, the same note is relative to that working directory.
    expect((await run(['check', path.join(dir, 'b.pace')], { cwd: path.dirname(dir) })).stdout).toContain(`note: ${path.basename(dir)}/a.pace:2:9 `);
  });

  it('usage errors exit 2 without a stack trace', async () => {
    for (const argv of [['check', '--format', 'xml'], ['check', 'no/such/dir'], ['frobnicate'], ['check', '--max-warnings', '-1'], ['check', 'README.md']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.length).toBeGreaterThan(0);
    }
  });

  it('leaves out a project file that is gone when read (a shared folder such as /tmp), but not a file the user named', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.pace'), 'service a {\n}\n');
    const project = readProject(dir);
    const gone = path.join(dir, 'gone.pace');
    const ws = loadWorkspace({ ...project, files: [...project.files, gone] });
    expect(ws.uris()).toEqual([toUri(path.join(dir, 'a.pace'))]);
    expect(() => loadWorkspace(project, [gone])).toThrow(/ENOENT/);
  });

  it('says what the system refused in words, with the path relative to the working folder', () => {
    const err = (code: string, p: string) => Object.assign(new Error(code), { code, path: p });
    expect(ioErrorText(err('EACCES', '/w/p/sub/b.pace'), '/w/p')).toBe('permission denied: sub/b.pace');
    expect(ioErrorText(err('ENOENT', '/w/p/x.pace'), '/w')).toBe('no such file or directory: p/x.pace');
    expect(ioErrorText(err('EXDEV', '/w/x'), '/w')).toBe('EXDEV: x');
  });

  it('colours only on a terminal, and never with NO_COLOR', async () => {
    const tty = (await run(['check', 'samples/broken'], { isTTY: true })).stdout;
    expect(tty).toContain('\x1b[31merror\x1b[39m');
    expect(tty).toContain('\x1b[33mwarning\x1b[39m');
    expect(tty).toContain('\x1b[1msamples/broken/');
    // Without the escapes, the coloured output is the plain one.
    expect(tty.replace(/\x1b\[\d+m/g, '')).toBe((await run(['check', 'samples/broken'])).stdout);
    expect((await run(['check', 'samples/broken'], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    // NO_COLOR set but empty does not count (no-color.org).
    expect((await run(['check', 'samples/broken'], { isTTY: true, env: { NO_COLOR: '' } })).stdout).toContain('\x1b[31m');
    expect((await run(['check', 'samples/broken', '--no-color'], { isTTY: true })).stdout).not.toContain('\x1b[');
    // Not a terminal: no colours, whatever the environment says.
    expect((await run(['check', 'samples/broken'], { env: { FORCE_COLOR: '1' } })).stdout).not.toContain('\x1b[');
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
    expect(r.stdout).toBe('created proj/pace.yaml\ncreated proj/services.pace\nnext: pace check proj\n');
    expect(existsSync(path.join(dir, 'proj/pace.yaml'))).toBe(true);
    // No link to a site that does not exist.
    expect(readFileSync(path.join(dir, 'proj/pace.yaml'), 'utf8')).not.toMatch(/https?:/);
    const c = await run(['check', 'proj'], { cwd: dir });
    expect([c.code, c.stdout]).toEqual([0, '✔ 0 errors, 0 warnings in 1 file checked\n']);
    expect((await run(['fmt', '--check', 'proj'], { cwd: dir })).code).toBe(0);
    const again = await run(['init', 'proj'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; nothing was written');
  });

  it('prints every path relative to the working directory, however the folder was given', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'work'));
    const cwd = path.join(dir, 'work');
    expect((await run(['init'], { cwd })).stdout).toBe('created pace.yaml\ncreated services.pace\nnext: pace check\n');
    expect((await run(['init', path.join(cwd, 'abs')], { cwd })).stdout).toBe('created abs/pace.yaml\ncreated abs/services.pace\nnext: pace check abs\n');
    expect((await run(['init', '../work/up/'], { cwd })).stdout).toBe('created up/pace.yaml\ncreated up/services.pace\nnext: pace check up\n');
    expect((await run(['init', '../side'], { cwd })).stdout).toBe('created ../side/pace.yaml\ncreated ../side/services.pace\nnext: pace check ../side\n');
    expect((await run(['init', 'my project'], { cwd })).stdout).toBe("created my project/pace.yaml\ncreated my project/services.pace\nnext: pace check 'my project'\n");
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

  it('ends quietly when the reader of its output goes away (EPIPE)', async () => {
    /** Runs the binary with a stdout pipe whose reading end is closed before the first write. */
    const closedReader = (argv: string[]) =>
      new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...argv], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.destroy();
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject).on('close', (status) => resolve({ status, stderr }));
      });
    // The command's own exit code, and no stack trace (an uncaught EPIPE would exit 1 with one).
    expect(await closedReader(['check', 'samples'])).toEqual({ status: 0, stderr: '' });
    expect(await closedReader(['check', 'samples/broken'])).toEqual({ status: 1, stderr: '' });
    const fmt = await closedReader(['fmt', '--check', 'samples/broken']);
    expect(fmt.status).toBe(1);
    expect(fmt.stderr).toMatch(/would be reformatted\n$/);
    expect(fmt.stderr).not.toMatch(/EPIPE|\n\s+at /);
    // Real pipelines into `head`: stderr alone, then stderr in the same pipe (its exit code and any
    // complaint go to the outer stderr).
    const err = path.join(tempDir(), 'stderr');
    const cli = `"${process.execPath}" "${bin}"`;
    const r = spawnSync('bash', ['-c', `${cli} check samples/broken 2>"${err}" | head -1; echo "exit \${PIPESTATUS[0]}"; { ${cli} fmt --check samples/broken 2>&1; echo "exit $?" >&2; } | head -c 10`], { cwd: root, encoding: 'utf8' });
    expect(r.stdout).toMatch(/^samples\/broken\/[^\n]+\nexit 1\nsamples\/br$/);
    expect(readFileSync(err, 'utf8')).toBe('');
    expect(r.stderr).toBe('exit 1\n');
  });

  it('reports output it could not write (a full disk) as an IO error, exit 2', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, 'check', 'samples/broken'], { cwd: root, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect([r.status, r.stderr]).toEqual([2, 'pace: cannot write the output: ENOSPC\n']);
    } finally {
      closeSync(full);
    }
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
