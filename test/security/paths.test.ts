// Files (issue 10): paths in pace.yaml cannot leave the project root. `files` and `data` globs and
// `generate.out` that are absolute, go up with `..` (also inside a glob's braces) or start with `~`
// are config/invalid errors located at the value; a .pace file, a data file or an output folder
// that a symbolic link leads out of the project is refused with a message located in pace.yaml.
// Each case checks that nothing outside was read (a secret .pace/.om file outside never shows up)
// or written (the outside folder stays empty).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { parseConfig } from '../../server/src/core/index.js';
import { readProject } from '../../server/src/node/project.js';

const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

const SERVICE = `service api {
  sli ok = ratio {
    bad   = req_total{code="500"}
    total = req_total
  }
  slo ok {
    sli       = ok
    objective = 99%
    window    = 28d
  }
}
`;
const SECRET_PACE = 'service outside_secret {}\n';
const T = 1790812800;
const DATA = `# TYPE req counter\nreq_total{code="500"} 0 ${T}\nreq_total{code="200"} 0 ${T}\nreq_total{code="500"} 1 ${T + 60}\nreq_total{code="200"} 99 ${T + 60}\n# EOF\n`;

/** A sandbox: `project/` (pace.yaml, api.pace) beside `outside/` (a secret .pace and .om file, and an empty folder `out/`). */
function sandbox(config: string): { project: string; outside: string } {
  const base = mkdtempSync(path.join(tmpdir(), 'pace-paths-'));
  temps.push(base);
  const project = path.join(base, 'project');
  const outside = path.join(base, 'outside');
  mkdirSync(project);
  mkdirSync(path.join(outside, 'out'), { recursive: true });
  writeFileSync(path.join(outside, 'secret.pace'), SECRET_PACE);
  writeFileSync(path.join(outside, 'secret.om'), DATA);
  writeFileSync(path.join(project, 'pace.yaml'), config);
  writeFileSync(path.join(project, 'api.pace'), SERVICE);
  return { project, outside };
}

async function pace(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr, all: stdout + stderr };
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('paths in pace.yaml stay inside the project', () => {
  const cases: { name: string; yaml: string; needle: string; message: RegExp }[] = [
    { name: "a files glob with '..'", yaml: 'version: 1\nfiles:\n  - "../outside/*.pace"\n', needle: '"../outside', message: /'files' pattern '..\/outside\/\*.pace' goes up with '..'/ },
    { name: 'an absolute files glob', yaml: 'version: 1\nfiles:\n  - "**/*.pace"\n  - "/tmp/**/*.pace"\n', needle: '"/tmp', message: /'files' pattern '\/tmp\/\*\*\/\*.pace' is an absolute path/ },
    { name: "'..' inside a glob's braces", yaml: 'version: 1\nfiles:\n  - "{..,.}/outside/*.pace"\n', needle: '"{..', message: /goes up with '..'/ },
    { name: "a data glob with '..'", yaml: 'version: 1\ndata:\n  - "../outside/*.om"\n', needle: '"../outside', message: /'data' pattern '..\/outside\/\*.om' goes up with '..'/ },
    { name: 'generate.out absolute', yaml: 'version: 1\ngenerate:\n  out: /tmp/pace-out\n', needle: '/tmp/pace-out', message: /'generate.out' '\/tmp\/pace-out' is an absolute path/ },
    { name: "generate.out with '..'", yaml: 'version: 1\ngenerate:\n  out: ../outside/out\n', needle: '../outside/out', message: /'generate.out' '..\/outside\/out' goes up with '..'/ },
    { name: 'generate.out in a home folder', yaml: 'version: 1\ngenerate:\n  out: ~/out\n', needle: '~/out', message: /starts with '~'/ },
  ];
  for (const c of cases) {
    it(`${c.name}: a located config/invalid error; check, generate and preview refuse; nothing outside read or written`, async () => {
      const { project, outside } = sandbox(c.yaml);
      const line = lineOf(c.yaml, c.needle);
      const check = await pace(['check', '.'], project);
      expect(check.code).toBe(2);
      expect(check.all).toMatch(new RegExp(`^pace\\.yaml:${line}:\\d+ error config/invalid `, 'm'));
      expect(check.all).toMatch(c.message);
      expect(check.all).not.toContain('outside_secret');
      const generate = await pace(['generate', '.'], project);
      expect(generate.code).toBe(2);
      expect(generate.all).toMatch(c.message);
      const preview = await pace(['preview', '.', '--format', 'json'], project);
      expect(preview.code).toBe(2);
      expect(preview.stdout).toBe('');
      expect(readdirSync(path.join(outside, 'out'))).toEqual([]);
      expect(existsSync('/tmp/pace-out')).toBe(false);
      expect(existsSync(path.join(project, 'generated'))).toBe(false);
    });
  }

  it('parseConfig refuses them in the core too (the language server reads pace.yaml through it)', () => {
    for (const c of cases) {
      const r = parseConfig('file:///p/pace.yaml', c.yaml);
      expect(r.diagnostics.map((d) => d.code)).toEqual(['config/invalid']);
      expect(r.diagnostics[0].message).toMatch(c.message);
      expect(c.yaml.slice(r.diagnostics[0].range.start)).toMatch(new RegExp(`^${c.needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    // Paths that only look like it are fine.
    for (const ok of ['version: 1\nfiles: ["a..b/*.pace", "..x.pace", "dir/**/*.pace"]\n', 'version: 1\ngenerate:\n  out: build/..generated\n']) expect(parseConfig('file:///p/pace.yaml', ok).diagnostics).toEqual([]);
  });

  it('a .pace file that is a symbolic link out of the project: refused, located at files, not read', async () => {
    const { project, outside } = sandbox('version: 1\nfiles:\n  - "**/*.pace"\n');
    symlinkSync(path.join(outside, 'secret.pace'), path.join(project, 'linked.pace'));
    const p = readProject(project);
    expect(p.files).toEqual([path.join(project, 'api.pace')]);
    expect(p.configDiagnostics.map((d) => d.code)).toEqual(['config/invalid']);
    const check = await pace(['check', '.'], project);
    expect(check.code).toBe(2);
    expect(check.all).toMatch(/^pace\.yaml:3:\d+ error config\/invalid 'files' matches linked\.pace \(a symbolic link to .*secret\.pace\), outside the project: not read/m);
    expect(check.all).not.toContain('outside_secret');
  });

  it('a folder that is a symbolic link out of the project: its files are not read', async () => {
    const { project, outside } = sandbox('version: 1\n');
    symlinkSync(outside, path.join(project, 'shared'));
    const check = await pace(['check', '.', '--format', 'json'], project);
    expect(check.code).toBe(2);
    expect(check.all).toContain('shared/secret.pace (a symbolic link to');
    expect(check.all).not.toContain('outside_secret');
  });

  it('a data file that is a symbolic link out of the project: preview and report refuse, located in pace.yaml', async () => {
    const { project, outside } = sandbox('version: 1\ndata:\n  - "data/*.om"\n');
    mkdirSync(path.join(project, 'data'));
    writeFileSync(path.join(project, 'data', 'mine.om'), DATA);
    symlinkSync(path.join(outside, 'secret.om'), path.join(project, 'data', 'linked.om'));
    for (const args of [['preview', '.'], ['report', '.']]) {
      const r = await pace(args, project);
      expect(r.code, r.all).toBe(2);
      expect(r.stderr).toMatch(/^pace: pace\.yaml:3:3: 'data' matches data\/linked\.om \(a symbolic link to .*secret\.om\), outside the project: not read/);
      expect(r.stdout).toBe('');
    }
    // Without the link, the same project previews.
    rmSync(path.join(project, 'data', 'linked.om'));
    expect((await pace(['preview', '.'], project)).code).toBe(0);
  });

  it('generate.out that is a symbolic link out of the project: refused, located at the value; nothing written', async () => {
    const yaml = 'version: 1\ngenerate:\n  out: gen\n';
    const { project, outside } = sandbox(yaml);
    symlinkSync(path.join(outside, 'out'), path.join(project, 'gen'));
    const r = await pace(['generate', '.'], project);
    expect(r.code).toBe(2);
    expect(r.all).toMatch(/^pace\.yaml:3:8 error config\/invalid 'generate.out' 'gen' leads out of the project through a symbolic link/m);
    expect(readdirSync(path.join(outside, 'out'))).toEqual([]);
    // A target folder inside the output folder that links out is refused too.
    rmSync(path.join(project, 'gen'));
    mkdirSync(path.join(project, 'gen'));
    symlinkSync(path.join(outside, 'out'), path.join(project, 'gen', 'prometheus'));
    const again = await pace(['generate', '.'], project);
    expect(again.code).toBe(2);
    expect(again.all).toMatch(/'generate.out' 'gen' holds prometheus, a symbolic link out of the project/);
    expect(readdirSync(path.join(outside, 'out'))).toEqual([]);
    // --out on the command line is the user's own choice, anywhere.
    rmSync(path.join(project, 'gen', 'prometheus'));
    const explicit = await pace(['generate', '.', '--out', path.join(outside, 'out'), '--target', 'openslo'], project);
    expect(explicit.code, explicit.all).toBe(0);
    expect(readFileSync(path.join(outside, 'out', 'openslo', 'api.yaml'), 'utf8')).toMatch(/^# Generated by Pace/);
  });
});
