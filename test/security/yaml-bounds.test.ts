// YAML bounds (issue 10): every YAML Pace reads — pace.yaml (CLI and language server, through
// parseConfig) and `pace import openslo|sloth` — is bounded:
// - an alias bomb ("billion laughs") is a located error, not an exhausted heap or an internal error:
//   pace.yaml's aliases expand with the `yaml` library's maxAliasCount (100); the importers never
//   expand an alias and say so where it stands;
// - a huge document is refused before it is parsed: pace.yaml over 1,000,000 bytes, an import over
//   4 MB (checked on the files' sizes, before reading them). A 50 MB import is answered in a child
//   process whose peak RSS (VmHWM) stays far below the file's size.
// Sample data is OpenMetrics, CSV or JSON, never YAML (a .yaml data file is data/unknown-format,
// test/data/bad-data-cases.ts).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { importProject, parseConfig } from '../../server/src/core/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pace-yaml-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Nine levels of nine aliases each: 9^9 (387 million) nodes once expanded. */
function bomb(indent = ''): string {
  const lines = [`${indent}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i < 9; i++) lines.push(`${indent}l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

async function pace(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: dir, env: {}, isTTY: false });
  return { code, stdout, stderr, all: stdout + stderr };
}

function project(name: string, yaml: string): string {
  const p = path.join(dir, name);
  rmSync(p, { recursive: true, force: true });
  mkdirSync(p);
  writeFileSync(path.join(p, 'pace.yaml'), yaml);
  writeFileSync(path.join(p, 'a.pace'), 'service a {}\n');
  return p;
}

describe('pace.yaml', () => {
  it('an alias bomb is a located config/syntax error (was: an internal error from toJS)', async () => {
    const yaml = `version: 1\nlabels:\n  x: "1"\n${bomb()}`;
    const t0 = Date.now();
    const r = parseConfig('file:///p/pace.yaml', yaml);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['config/syntax']);
    expect(r.diagnostics[0].message).toMatch(/aliases expand too far .*write the values out/);
    expect(yaml.slice(r.diagnostics[0].range.start, r.diagnostics[0].range.end)).toBe('*l0');
    const p = project('bomb', yaml);
    const check = await pace(['check', p]);
    expect(check.code).toBe(2);
    expect(check.all).toMatch(/pace\.yaml:5:\d+ error config\/syntax pace\.yaml's aliases expand too far/);
    expect(check.all).not.toMatch(/internal error/);
  });

  it('a few ordinary aliases still work', () => {
    const r = parseConfig('file:///p/pace.yaml', 'version: 1\nlabels: &l { team: "a" }\ngenerate:\n  targets:\n    prometheus:\n      labels: *l\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.config.generate?.targets?.prometheus?.labels).toEqual({ team: 'a' });
  });

  it('a pace.yaml over 1,000,000 bytes is refused unread, located at its first line', async () => {
    const p = project('huge', `version: 1\n# ${'x'.repeat(1_100_000)}\n`);
    const check = await pace(['check', p]);
    expect(check.code).toBe(2);
    expect(check.all).toMatch(/pace\.yaml:1:1 error config\/syntax pace\.yaml is 1100014 bytes long: a project configuration is at most 1000000 .*it is not read/);
  });
});

describe('pace import: aliases and size', () => {
  const openslo = `apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: shop\n${bomb('  ')}spec:\n  description: *l8\n`;
  const sloth = `version: "prometheus/v1"\nservice: "shop"\nx:\n${bomb('  ')}labels: *l8\nslos: *l8\n`;

  for (const [format, text, line] of [
    ['openslo', openslo, 6],
    ['sloth', sloth, 5],
  ] as const) {
    it(`${format}: an alias bomb is one located error, at once`, async () => {
      const t0 = Date.now();
      const r = importProject(format, [{ name: 'bomb.yaml', text }]);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(r.messages).toEqual([{ severity: 'error', file: 'bomb.yaml', line, column: expect.any(Number), message: 'YAML: the alias *l0 is not imported (pace import does not expand anchors and aliases): write the value out in full' }]);
      writeFileSync(path.join(dir, `${format}-bomb.yaml`), text);
      const cli = await pace(['import', format, `${format}-bomb.yaml`, '--out', `${format}-out`]);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(new RegExp(`^${format}-bomb\\.yaml:${line}:\\d+: error: YAML: the alias \\*l0 is not imported`));
    });
  }

  it('an alias where a value is expected is named as such, not as a wrong type', () => {
    const r = importProject('sloth', [{ name: 's.yaml', text: 'version: "prometheus/v1"\nservice: "shop"\nlabels: &l\n  team: a\nslos:\n  - name: x\n    objective: 99\n    labels: *l\n    sli: { raw: { error_ratio_query: "sum(rate(e[{{.window}}]))" } }\n    alerting: { page_alert: { disable: true }, ticket_alert: { disable: true } }\n' }]);
    expect(r.messages.map((m) => `${m.line}: ${m.message}`)).toEqual(['8: YAML: the alias *l is not imported (pace import does not expand anchors and aliases): write the value out in full']);
  });

  it('more than 4 MB at once is refused by the core (for any caller)', () => {
    const r = importProject('openslo', [
      { name: 'a.yaml', text: `# ${'x'.repeat(2_500_000)}\n` },
      { name: 'b.yaml', text: `# ${'x'.repeat(2_000_000)}\n` },
    ]);
    expect(r.messages).toEqual([{ severity: 'error', file: 'a.yaml', line: 1, column: 1, message: expect.stringMatching(/^the YAML to import is 4\.5 MB: pace import reads at most 4 MB at once .*import the files in smaller groups$/) }]);
  });

  describe('a 50 MB import, in a child process', () => {
    let cli: string;
    beforeAll(async () => {
      cli = path.join(dir, 'cli.cjs');
      await esbuild.build({ entryPoints: [path.join(__dirname, '../../server/src/cli/bin.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: cli, logLevel: 'error', define: { 'import.meta.url': '__import_meta_url' }, banner: { js: 'var __import_meta_url = require("url").pathToFileURL(__filename).href;' } });
    }, 60_000);

    it('is refused before it is read: exit 2, one clear line, peak RSS far below the file', () => {
      const file = path.join(dir, 'big.yaml');
      const fd = openSync(file, 'w');
      let written = 0;
      for (let i = 0; written < 50e6; i++) written += writeSync(fd, `---\napiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  displayName: "Service ${i} ${'with a long display name '.repeat(4)}"\n`);
      closeSync(fd);
      // The child prints its peak RSS (VmHWM) on exit, after the CLI's own output.
      const hwm = path.join(dir, 'hwm.cjs');
      writeFileSync(hwm, `process.on('exit', () => process.stderr.write('\\nVmHWM ' + /VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1] + '\\n'));\n`);
      const t0 = Date.now();
      const r = spawnSync(process.execPath, ['-r', hwm, cli, 'import', 'openslo', file, '--out', path.join(dir, 'big-out')], { encoding: 'utf8', timeout: 60_000 });
      const seconds = (Date.now() - t0) / 1000;
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const [message, peak] = r.stderr.trim().split('\n\n');
      expect(message).toMatch(/^pace: the YAML to import is 50\.0 MB: pace import reads at most 4 MB at once \(OpenSLO and Sloth files are a few kB each\); import the files in smaller groups; nothing was written$/);
      const peakMb = Number(/^VmHWM (\d+)$/.exec(peak)![1]) / 1024;
      console.log(`50 MB import refused in ${seconds.toFixed(1)} s, peak RSS ${peakMb.toFixed(0)} MB`);
      expect(peakMb).toBeLessThan(150);
    }, 90_000);
  });
});
