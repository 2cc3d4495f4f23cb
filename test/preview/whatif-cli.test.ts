// `pace preview --what-if` in-process on samples/ and its data (samples/data/shop.om.br): goldens of
// the text, Markdown and JSON (validated against schemas/pace-preview.schema.json) beside the
// baseline; bad specs are one-line located usage errors (exit 2, no stack trace).
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import previewSchema from '../../schemas/pace-preview.schema.json';

const root = path.join(__dirname, '../..');
const golden = (name: string) => path.join(__dirname, 'golden', name);

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

// The samples' month: payments_api (which checkout hard-depends on) down for two hours on a Monday
// morning, and checkout failing 5% of its requests for two hours the next day.
const OUTAGE = 'outage payments_api 2h at 2026-10-12T10:00Z';
const ERRORS = 'errors checkout 5% 2h at 2026-10-13T10:00Z';

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(previewSchema);

describe('pace preview samples --what-if', () => {
  let json: ReturnType<typeof JSON.parse>;
  let jsonText: string;
  beforeAll(async () => {
    const r = await run(['preview', 'samples', '--format', 'json', '--what-if', OUTAGE, '--what-if', ERRORS]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    jsonText = r.stdout;
    json = JSON.parse(r.stdout);
  }, 120_000);

  it('JSON: the golden, valid against the schema; the baseline is the plain preview', async () => {
    expect(validate(json), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
    await expect(jsonText).toMatchFileSnapshot(golden('whatif.json'));
    const plain = JSON.parse((await run(['preview', 'samples', '--format', 'json'])).stdout);
    const { whatIf, ...baseline } = json;
    expect(baseline).toEqual(plain);
    expect(whatIf.map((w: { spec: string }) => w.spec)).toEqual([OUTAGE, ERRORS]);
  }, 120_000);

  it('the schema is not vacuous for what-if entries', () => {
    const bad = structuredClone(json);
    bad.whatIf[0].share = 1.5;
    expect(validate(bad)).toBe(false);
    const missing = structuredClone(json);
    delete missing.whatIf[0].slos[0].scenario.alerts;
    expect(validate(missing)).toBe(false);
  });

  it('the outage reaches checkout through depends_on, pages, and makes the merchants SLA owe a credit', () => {
    const [outage, errors] = json.whatIf;
    expect(outage.affected).toEqual([
      { service: 'service:payments_api', via: null, path: ['service:payments_api'], reason: 'injected' },
      { service: 'service:checkout', via: 'service:payments_api', path: ['service:payments_api', 'service:checkout'], reason: 'depends_on payments_api' },
    ]);
    expect(outage.share).toBe(1);
    expect(outage.start).toBe('2026-10-12T10:00:00.000Z');
    expect(outage.end).toBe('2026-10-12T12:00:00.000Z');
    const slo = (w: typeof outage, id: string) => w.slos.find((s: { id: string }) => s.id === id);
    const pay = slo(outage, 'slo:payments_api.availability');
    expect(pay.baseline.attainment).toBe(json.slos.find((s: { id: string }) => s.id === pay.id).attainment);
    expect(pay.scenario.attainment).toBeLessThan(pay.baseline.attainment);
    expect(pay.scenario.alerts.page).toBeGreaterThan(pay.baseline.alerts.page);
    expect(pay.newAlerts.some((a: { severity: string; firedAt: string }) => a.severity === 'page' && a.firedAt.startsWith('2026-10-12T10:'))).toBe(true);
    expect(slo(outage, 'slo:checkout.availability').newAlerts.length).toBeGreaterThan(0);
    const merchants = outage.slas.find((s: { id: string }) => s.id === 'sla:payments_api.merchants');
    expect(merchants.baseline).toMatchObject({ met: true, creditOwed: 0 });
    expect(merchants.scenario.met).toBe(false);
    expect(merchants.scenario.creditOwed).toBeGreaterThan(0);
    // Nothing depends on checkout: the 5% of errors there stays there.
    expect(errors.affected.map((a: { service: string }) => a.service)).toEqual(['service:checkout']);
    expect(errors.slos.every((s: { service: string }) => s.service === 'service:checkout')).toBe(true);
    expect(errors.changedSeries).toEqual(expect.arrayContaining(['http_requests_total{code="200", job="checkout"}', 'http_requests_total{code="500", job="checkout"}']));
  });

  it('text and Markdown: the goldens', async () => {
    const text = await run(['preview', 'samples', '--what-if', OUTAGE, '--what-if', ERRORS]);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).toContain('What if: outage payments_api 2h at 2026-10-12T10:00Z');
    expect(text.stdout).toContain('soft_depends_on is not followed');
    await expect(text.stdout.slice(text.stdout.indexOf('\nWhat if:'))).toMatchFileSnapshot(golden('whatif.txt'));
    const md = await run(['preview', 'samples', '--format', 'markdown', '--what-if', OUTAGE]);
    expect(md.code).toBe(0);
    await expect(md.stdout.slice(md.stdout.indexOf('## What if:'))).toMatchFileSnapshot(golden('whatif.md'));
  }, 120_000);
});

describe('bad --what-if specs', () => {
  const cases: [string, string][] = [
    ['outage paymentsapi 30m at 2026-10-12T10:00Z', "pace: --what-if 'outage paymentsapi 30m at 2026-10-12T10:00Z', column 8: no service 'paymentsapi'; did you mean 'payments_api'?\n"],
    ['outage checkout 30 at 2026-10-12T10:00Z', "pace: --what-if 'outage checkout 30 at 2026-10-12T10:00Z', column 17: '30' is not a duration (a duration needs a unit: ms, s, m, h, d or w)\n"],
    ['outage checkout 30m at 2026-10-32T10:00Z', "pace: --what-if 'outage checkout 30m at 2026-10-32T10:00Z', column 24: '2026-10-32T10:00Z': 2026-10 has no day 32\n"],
    ['errors checkout 0% 2h at 2026-10-12T10:00Z', "pace: --what-if 'errors checkout 0% 2h at 2026-10-12T10:00Z', column 17: 0% is outside (0, 100%]: the share of events that fail must be above 0% and at most 100%\n"],
    ['outage checkout 30m at 2027-01-01T00:00Z', "pace: --what-if 'outage checkout 30m at 2027-01-01T00:00Z': the span 2027-01-01T00:00:00.000Z to 2027-01-01T00:30:00.000Z lies outside the sample data (2026-10-01T00:00:00.000Z to 2026-10-31T00:00:00.000Z): it would change nothing\n"],
  ];
  for (const [spec, message] of cases) {
    it(`${spec}: one line on stderr, exit 2`, async () => {
      const r = await run(['preview', 'samples', '--what-if', spec]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }, 60_000);
  }

  it('html does not show scenarios yet: a usage error, not a silent omission', async () => {
    const r = await run(['preview', 'samples', '--format', 'html', '--what-if', 'outage checkout 30m at 2026-10-12T10:00Z']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('pace: --what-if is shown in the text, json and markdown formats, not (yet) in html\n');
  });
});
