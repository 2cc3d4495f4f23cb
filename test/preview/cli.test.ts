// `pace preview` in-process: goldens of the samples' preview as JSON (validated against
// schemas/pace-preview.schema.json), text and Markdown; a project with errors previews nothing;
// --at, --out and the usage errors.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import previewSchema from '../../schemas/pace-preview.schema.json';

const root = path.join(__dirname, '../..');
const golden = (name: string) => path.join(root, 'test/cli/golden', name);
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pace-preview-'));
  temps.push(d);
  return d;
}

async function run(argv: string[], opts: { cwd?: string; isTTY?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: opts.cwd ?? root, env: opts.env ?? {}, isTTY: opts.isTTY ?? false });
  return { code, stdout, stderr };
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(previewSchema);

describe('pace preview samples', () => {
  let json: ReturnType<typeof JSON.parse>;
  let jsonText: string;
  beforeAll(async () => {
    const r = await run(['preview', 'samples', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    jsonText = r.stdout;
    json = JSON.parse(r.stdout);
  }, 60_000);

  it('JSON: the golden, valid against its schema', async () => {
    expect(validate(json), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
    await expect(jsonText).toMatchFileSnapshot(golden('preview.json'));
  });

  it('the schema is not vacuous: a wrong time, ratio or missing key is rejected', () => {
    const bad = structuredClone(json);
    bad.at = 'yesterday';
    expect(validate(bad)).toBe(false);
    const ratio = structuredClone(json);
    ratio.slos[0].attainment = 1.5;
    expect(validate(ratio)).toBe(false);
    const missing = structuredClone(json);
    delete missing.slos[0].errorBudget.remainingRatio;
    expect(validate(missing)).toBe(false);
  });

  it('shows what the sample data was made to show', () => {
    const slo = (id: string) => json.slos.find((s: { id: string }) => s.id === id);
    // The incident pages checkout, the latency regression tickets checkout's fast SLO.
    const checkout = slo('slo:checkout.availability');
    expect(checkout.alerts.filter((a: { severity: string }) => a.severity === 'page').length).toBeGreaterThan(0);
    expect(checkout.alerts[0].firedAt.startsWith('2026-10-21T14:')).toBe(true);
    expect(slo('slo:checkout.fast').burnRates['1h']).toBeGreaterThan(1);
    expect(Object.keys(checkout)).toEqual(expect.arrayContaining(['id', 'objective', 'attainment', 'errorBudget', 'burnRates', 'alerts', 'exhaustionAt']));
    expect(Object.keys(checkout.errorBudget)).toEqual(expect.arrayContaining(['total', 'remaining', 'remainingRatio', 'remainingSeconds']));
    expect(checkout.burnRates['5m']).toBeTypeOf('number');
    // The counter reset is reported, located in the data file.
    const reset = json.issues.find((i: { code: string }) => i.code === 'data/counter-reset');
    expect(reset.file).toBe('samples/data/shop.om.br');
    expect(reset.line).toBeGreaterThan(1);
    // promql SLIs have a note and no number, located in their .pace file.
    const scored = slo('slo:fraud_detection.scored');
    expect(scored.attainment).toBeNull();
    expect(scored.note).toMatch(/live backend/);
    const note = json.issues.find((i: { code: string; subject?: string }) => i.code === 'preview/needs-backend' && i.subject === 'sli:fraud_detection.scored');
    expect(note.location.file).toBe('samples/payments.pace');
    // A KPI trends towards its target, with a crossing date and R².
    const backlog = json.kpis.find((k: { id: string }) => k.id === 'kpi:payments_engineering.backlog');
    expect(backlog.trend.crossesAt).not.toBeNull();
    expect(backlog.trend.sentence).toMatch(/^at the current trend, backlog crosses 10 on \d{4}-\d\d-\d\d \(R² 0\.\d\d\)$/);
  });

  it('text: the golden (no colour off a terminal)', async () => {
    const r = await run(['preview', 'samples']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toMatch(/^checkout\n {2}SLO +objective +window +attainment +budget left +burn 5m/m);
    await expect(r.stdout).toMatchFileSnapshot(golden('preview.txt'));
  }, 30_000);

  it('text on a terminal is coloured, unless NO_COLOR or --no-color', async () => {
    expect((await run(['preview', 'samples'], { isTTY: true })).stdout).toMatch(/\x1b\[/);
    expect((await run(['preview', 'samples'], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/);
    expect((await run(['preview', 'samples', '--no-color'], { isTTY: true })).stdout).not.toMatch(/\x1b\[/);
  }, 60_000);

  it('markdown: tables', async () => {
    const r = await run(['preview', 'samples', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Preview at 2026-10-31T00:00:00Z$/m);
    expect(r.stdout).toMatch(/^\| SLO \| objective \| window \| attainment \| budget left \|/m);
    expect(r.stdout).toMatch(/^\|---\|---\|/m);
    await expect(r.stdout).toMatchFileSnapshot(golden('preview.md'));
  }, 30_000);

  it('--at moves the instant; --out writes the file atomically and prints nothing', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'preview.json');
    const r = await run(['preview', 'samples', '--format', 'json', '--at', '2026-10-21T14:30:00Z', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.at).toBe('2026-10-21T14:30:00.000Z');
    const checkout = j.slos.find((s: { id: string }) => s.id === 'slo:checkout.availability');
    // Mid-incident the 1h burn rate is far above the page's 14.4.
    expect(checkout.burnRates['1h']).toBeGreaterThan(14.4);
    expect(checkout.exhaustionAt).not.toBeNull();
    expect((await run(['preview', 'samples', '--at', String(Date.parse('2026-10-21T14:30:00Z') / 1000), '--format', 'json'])).stdout).toBe(readFileSync(out, 'utf8'));
  }, 60_000);

  it('usage errors exit 2 with one line', async () => {
    const at = await run(['preview', 'samples', '--at', 'tomorrow']);
    expect(at.code).toBe(2);
    expect(at.stderr).toMatch(/^pace: --at tomorrow: expected an RFC 3339 time/);
    const missing = await run(['preview', 'samples', '--data', 'nope.om']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('pace: no such file: nope.om\n');
  });
});

describe('pace preview on other projects', () => {
  it('a project with errors previews nothing: exit 1, the diagnostics on stderr', async () => {
    const r = await run(['preview', 'samples/broken', '--data', 'samples/data/shop.om.br']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error/);
    expect(r.stderr).toMatch(/pace: a project with errors is not previewed\n$/);
  });

  it('no data configured: a usage error naming pace.yaml', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: 1\n');
    writeFileSync(path.join(dir, 'a.pace'), 'service api {\n  sli ok = ratio {\n    good  = a_total\n    total = b_total\n  }\n  slo ok {\n    sli       = ok\n    objective = 99%\n    window    = 1d\n    alerting  = none\n  }\n}\n');
    const r = await run(['preview', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pace: no sample data: pass --data FILE or list globs under 'data:'/);
  });

  it('data: globs in pace.yaml are relative to the project; missing series are located warnings', async () => {
    const dir = tempDir();
    cpSync(path.join(root, 'samples/data/shop.om.br'), path.join(dir, 'd.om.br'));
    writeFileSync(path.join(dir, 'pace.yaml'), 'version: 1\ndata:\n  - "*.om.br"\n');
    writeFileSync(path.join(dir, 'a.pace'), 'service api {\n  sli ok = ratio {\n    good  = nothing_total\n    total = http_requests_total{job="checkout"}\n  }\n  slo ok {\n    sli       = ok\n    objective = 99%\n    window    = 1d\n    alerting  = none\n  }\n}\n');
    const r = await run(['preview', '.', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.slos[0].attainment).toBeNull();
    const w = j.issues.find((i: { code: string }) => i.code === 'data/no-series');
    expect(w.severity).toBe('warning');
    expect(w.location).toEqual({ file: 'a.pace', line: 2, column: 7 });
    expect(existsSync(path.join(dir, 'd.om.br'))).toBe(true);
  }, 30_000);
});
