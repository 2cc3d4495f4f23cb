// `pace generate --target alertmanager` against the real Alertmanager 0.25 (Debian's
// prometheus-alertmanager): `amtool check-config` passes on the output for samples/ and for a project
// with configured receivers (and fails on broken ones: not vacuous); `amtool config routes test`
// lands page and ticket alerts of each owner's services on that owner's receivers and unknown
// services on pace-default; label values with quotes and regex metacharacters are escaped; a real
// Alertmanager mutes a ticket while a page of the same SLO fires (and only then), and delivers the
// page through the generated template; pace.yaml's options are validated; goldens; determinism.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { main } from '../../server/src/cli/main.js';
import { generate } from '../../server/src/core/index.js';
import { alertmanagerFiles, matcher, regexLiteral, serviceAlertLabels, TIER_TIMING } from '../../server/src/core/generate/alertmanager.js';
import type { NormalizedModel } from '../../server/src/core/model/model.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';
import { amtool, routeReceivers, startAlertmanager, type AlertmanagerServer } from '../helpers/alertmanager.js';
import { sleep } from '../helpers/server-process.js';
import { plainOutput } from '../helpers/output.js';

const root = path.join(__dirname, '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pace-alertmanager-'));
  temps.push(d);
  return d;
}

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

/** A copy of samples/ (without its broken folders, data and what `npm start` generated) with another pace.yaml. */
function samplesWith(paceYaml: string): string {
  const d = path.join(tempDir(), 'samples');
  cpSync(path.join(root, 'samples'), d, { recursive: true, filter: (src) => !/^(broken[^/\\]*|data|generated)([/\\]|$)/.test(path.relative(path.join(root, 'samples'), src)) });
  writeFileSync(path.join(d, 'pace.yaml'), paceYaml);
  return d;
}

const samplesModel = (): NormalizedModel => loadWorkspace(readProject(path.join(root, 'samples'))).analyze().normalized().model;

/** Writes a target output into a fresh folder; the path of its alertmanager.yml. */
function writeOutput(out: { files: { path: string; text: string }[] }): string {
  const d = tempDir();
  for (const f of out.files) writeFileSync(path.join(d, f.path), f.text);
  return path.join(d, 'alertmanager.yml');
}

async function checkConfig(file: string) {
  return amtool(['check-config', file]);
}

type Route = { receiver?: string; matchers?: string[]; routes?: Route[]; group_wait?: string; group_interval?: string; repeat_interval?: string; group_by?: string[] };
type Config = { route: Route; receivers: ({ name: string } & Record<string, unknown>)[]; inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[]; templates: string[]; global?: Record<string, unknown> };

describe('pace generate samples --target alertmanager', () => {
  let dir: string;
  let file: string;
  let config: Config;
  let stderr: string;
  beforeAll(async () => {
    const out = path.join(tempDir(), 'out');
    const r = await run(['generate', 'samples', '--target', 'alertmanager', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    stderr = r.stderr;
    dir = path.join(out, 'alertmanager');
    file = path.join(dir, 'alertmanager.yml');
    config = parseYaml(readFileSync(file, 'utf8')) as Config;
  }, 60_000);

  it('writes alertmanager.yml and its template, each with the marker', () => {
    expect(readdirSync(dir).sort()).toEqual(['alertmanager.yml', 'pace.tmpl']);
    for (const f of readdirSync(dir)) expect(generate.isGenerated(readFileSync(path.join(dir, f), 'utf8')), f).toBe(true);
  });

  it('passes amtool check-config (configuration and template)', async () => {
    const r = await checkConfig(file);
    expect(r.out).toMatch(/SUCCESS/);
    expect(r.out).toMatch(/1 inhibit rules/);
    expect(r.out).toMatch(/1 templates/);
    expect(r.code, r.out).toBe(0);
  }, 60_000);

  it('the check is not vacuous: a broken template, an unknown receiver and a bad matcher fail', async () => {
    const d = tempDir();
    writeFileSync(path.join(d, 'pace.tmpl'), readFileSync(path.join(dir, 'pace.tmpl'), 'utf8').replace(/\{\{ end \}\}\{\{ end \}\}\n$/, '{{ end }}\n'));
    writeFileSync(path.join(d, 'alertmanager.yml'), readFileSync(file, 'utf8'));
    expect((await checkConfig(path.join(d, 'alertmanager.yml'))).code).not.toBe(0);
    const text = readFileSync(file, 'utf8');
    for (const broken of [text.replace('receiver: payments-team-page', 'receiver: nobody'), text.replace('pace_service=~"checkout|payments_api"', 'pace_service=~"checkout|(payments_api"')]) {
      expect(broken).not.toBe(text);
      const b = path.join(tempDir(), 'alertmanager.yml');
      writeFileSync(b, broken);
      writeFileSync(path.join(path.dirname(b), 'pace.tmpl'), readFileSync(path.join(dir, 'pace.tmpl'), 'utf8'));
      expect((await checkConfig(b)).code).not.toBe(0);
    }
  }, 60_000);

  it('routes pages and tickets to the owner of the service, and the rest to pace-default (amtool config routes test)', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ pace_service: 'checkout', pace_slo: 'availability', severity: 'page' }, 'payments-team-page'],
      [{ pace_service: 'checkout', pace_slo: 'availability', severity: 'ticket' }, 'payments-team-ticket'],
      [{ pace_service: 'payments_api', severity: 'page' }, 'payments-team-page'],
      [{ pace_service: 'fraud_detection', severity: 'page' }, 'risk-team-page'],
      [{ pace_service: 'fraud_detection', severity: 'ticket' }, 'risk-team-ticket'],
      [{ pace_service: 'event_bus', severity: 'page' }, 'platform-team-page'],
      [{ pace_service: 'postgres', severity: 'ticket' }, 'platform-team-ticket'],
      [{ pace_service: 'web_frontend', severity: 'page' }, 'web-team-page'],
      [{ pace_service: 'unknown_service', severity: 'page' }, 'pace-default'],
      [{ pace_service: 'checkout_v2', severity: 'page' }, 'pace-default'], // the regex is anchored
      [{ alertname: 'NodeDown', severity: 'page' }, 'pace-default'],
      [{ pace_service: 'checkout', severity: 'info' }, 'pace-default'],
    ];
    for (const [labels, receiver] of cases) expect(await routeReceivers(file, labels), JSON.stringify(labels)).toEqual([receiver]);
  }, 120_000);

  it('routes every service with alerts, each to its owner, timed by its tier', () => {
    const model = samplesModel();
    const owners = config.route.routes!;
    const leaves: { services: string[]; severity: string; receiver: string; timing: Route }[] = [];
    const values = (m: string) => {
      const [, op, v] = /^pace_service(=~?)"(.*)"$/.exec(m)!;
      return op === '=' ? [v] : v.split('|');
    };
    for (const o of owners) {
      for (const s of o.routes!) {
        const severity = /^severity="(.*)"$/.exec(s.matchers![0])![1];
        if (!s.routes) leaves.push({ services: values(o.matchers![0]), severity, receiver: s.receiver!, timing: s });
        else for (const t of s.routes) leaves.push({ services: values(t.matchers![0]), severity, receiver: s.receiver!, timing: t });
      }
    }
    let n = 0;
    for (const service of model.services) {
      const alerts = serviceAlertLabels(model, service);
      const mine = leaves.filter((l) => l.services.includes(service.name));
      if (!alerts.length) {
        expect(mine, service.name).toEqual([]);
        continue;
      }
      for (const sev of ['page', 'ticket'] as const) {
        const leaf = mine.find((l) => l.severity === sev)!;
        expect(leaf.receiver).toBe(`${service.owner}-${sev}`);
        const t = TIER_TIMING[service.tier!][sev];
        expect({ group_wait: leaf.timing.group_wait, group_interval: leaf.timing.group_interval, repeat_interval: leaf.timing.repeat_interval }).toEqual(t);
        n++;
      }
    }
    expect(n).toBe(2 * 9);
    expect(TIER_TIMING.critical.page.group_wait).toBe('10s');
    expect(config.route).toMatchObject({ receiver: 'pace-default', group_by: ['alertname', 'pace_service', 'pace_slo', 'severity'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' });
  });

  it('inhibits tickets while a page fires for the same SLO', () => {
    expect(config.inhibit_rules).toEqual([{ source_matchers: ['severity="page"', 'pace_service!=""', 'pace_slo!=""'], target_matchers: ['severity="ticket"'], equal: ['pace_service', 'pace_slo'] }]);
  });

  it('uses matchers, never the deprecated match/match_re', () => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/\bmatch(_re)?:/);
    expect(text).not.toMatch(/source_match(_re)?:|target_match(_re)?:/);
  });

  it('names the receivers that notify no one in a note', () => {
    expect(stderr).toMatch(/note: alertmanager: receivers .*payments-team-page, payments-team-ticket.* notify no one/);
    expect(config.receivers.every((r) => Object.keys(r).length === 1)).toBe(true);
    expect(config.receivers.map((r) => r.name)).toContain('pace-default');
  });

  it('matches the goldens', async () => {
    for (const f of readdirSync(dir).sort()) await expect(readFileSync(path.join(dir, f), 'utf8')).toMatchFileSnapshot(path.join(root, 'test/generate/golden/alertmanager', f));
  });

  it('is deterministic, whatever the order of the receivers in pace.yaml', () => {
    const model = samplesModel();
    const src = () => 'x.pace';
    const a = { receivers: { 'payments-team': { page: { pagerduty_configs: [{ routing_key: 'k', severity: 'critical' }] } }, 'web-team': { ticket: { webhook_configs: [{ url: 'http://127.0.0.1:1/x' }] } } } };
    const b = { receivers: { 'web-team': { ticket: { webhook_configs: [{ url: 'http://127.0.0.1:1/x' }] } }, 'payments-team': { page: { pagerduty_configs: [{ severity: 'critical', routing_key: 'k' }] } } } };
    expect(plainOutput(generate.generateTarget(model, 'alertmanager', src, { alertmanager: a }))).toEqual(plainOutput(generate.generateTarget(samplesModel(), 'alertmanager', src, { alertmanager: b })));
  });
});

describe('configured receivers', () => {
  const paceYaml = `version: 1
name: acme-shop
labels: { company: "acme" }
generate:
  targets:
    alertmanager:
      global:
        resolve_timeout: 10m
        slack_api_url: https://hooks.slack.example/services/T0/B0/X
      default_receiver:
        email_configs:
          - to: oncall@acme.example
            from: alertmanager@acme.example
            smarthost: smtp.acme.example:587
      route:
        group_wait: 45s
        repeat_interval: 6h
      tiers:
        critical:
          page: { repeat_interval: 30m }
      receivers:
        payments-team:
          page:
            pagerduty_configs:
              - routing_key: 0123456789abcdef0123456789abcdef
                severity: critical
                description: '{{ template "pace.title" . }}'
          ticket:
            slack_configs:
              - channel: "#payments"
                send_resolved: true
                title: '{{ template "pace.title" . }}'
                text: '{{ template "pace.text" . }}'
        risk-team:
          page:
            opsgenie_configs:
              - api_key: abc
                priority: P1
        nobody-team:
          page:
            webhook_configs:
              - url: http://127.0.0.1:9/none
`;
  let file: string;
  let config: Config;
  let stderr: string;
  beforeAll(async () => {
    const p = samplesWith(paceYaml);
    const r = await run(['generate', p]);
    expect(r.code, r.stderr).toBe(0);
    stderr = r.stderr;
    file = path.join(p, 'generated/alertmanager/alertmanager.yml');
    config = parseYaml(readFileSync(file, 'utf8')) as Config;
  }, 60_000);

  it('passes amtool check-config', async () => {
    const r = await checkConfig(file);
    expect(r.code, r.out).toBe(0);
  }, 60_000);

  it('passes the receiver bodies through verbatim, keys sorted', () => {
    const byName = new Map(config.receivers.map((r) => [r.name, r]));
    expect(byName.get('payments-team-page')).toEqual({
      name: 'payments-team-page',
      pagerduty_configs: [{ description: '{{ template "pace.title" . }}', routing_key: '0123456789abcdef0123456789abcdef', severity: 'critical' }],
    });
    expect(byName.get('payments-team-ticket')).toEqual({
      name: 'payments-team-ticket',
      slack_configs: [{ channel: '#payments', send_resolved: true, text: '{{ template "pace.text" . }}', title: '{{ template "pace.title" . }}' }],
    });
    expect(byName.get('risk-team-page')).toEqual({ name: 'risk-team-page', opsgenie_configs: [{ api_key: 'abc', priority: 'P1' }] });
    expect(byName.get('risk-team-ticket')).toEqual({ name: 'risk-team-ticket' });
    expect(byName.get('pace-default')).toEqual({ name: 'pace-default', email_configs: [{ from: 'alertmanager@acme.example', smarthost: 'smtp.acme.example:587', to: 'oncall@acme.example' }] });
    expect(byName.has('nobody-team-page')).toBe(false);
    expect(config.global).toEqual({ resolve_timeout: '10m', slack_api_url: 'https://hooks.slack.example/services/T0/B0/X' });
    const text = readFileSync(file, 'utf8');
    expect(text.indexOf('description:')).toBeLessThan(text.indexOf('routing_key:'));
  });

  it('takes the root timing and the tier overrides', async () => {
    expect(config.route).toMatchObject({ group_wait: '45s', group_interval: '5m', repeat_interval: '6h' });
    const payments = config.route.routes!.find((r) => r.matchers![0] === 'pace_service=~"checkout|payments_api"')!;
    expect(payments.routes![0]).toMatchObject({ receiver: 'payments-team-page', group_wait: '10s', repeat_interval: '30m' });
    expect(payments.routes![1]).toMatchObject({ receiver: 'payments-team-ticket', group_wait: '5m', repeat_interval: '12h' });
    expect(await routeReceivers(file, { pace_service: 'checkout', severity: 'page' })).toEqual(['payments-team-page']);
    expect(await routeReceivers(file, { pace_service: 'fraud_detection', severity: 'page' })).toEqual(['risk-team-page']);
  }, 60_000);

  it('notes what notifies no one and the owners that no service has', () => {
    expect(stderr).toMatch(/note: alertmanager: receivers [^\n]*risk-team-ticket[^\n]* notify no one/);
    expect(stderr).not.toMatch(/receivers [^\n]*payments-team-page[^\n]* notify no one/);
    expect(stderr).toMatch(/note: alertmanager: receivers are configured for owner nobody-team, but no service with alerts has that owner/);
  });

  it('the check is not vacuous: a PagerDuty receiver without a key fails amtool check-config', async () => {
    const b = path.join(path.dirname(file), 'broken.yml');
    const broken = parseYaml(readFileSync(file, 'utf8')) as Config;
    delete (broken.receivers.find((r) => r.name === 'payments-team-page')!.pagerduty_configs as Record<string, unknown>[])[0].routing_key;
    writeFileSync(b, stringifyYaml(broken));
    const r = await checkConfig(b);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/missing service or routing key in PagerDuty config/);
  }, 60_000);
});

describe('pace.yaml: generate.targets.alertmanager is validated', () => {
  for (const [what, yaml, message] of [
    ['a misspelt integration', 'receivers:\n        web-team:\n          page:\n            pagerduty_config: [{routing_key: x}]\n', /receivers\.web-team\.page/],
    ['a name in a receiver body', 'default_receiver:\n        name: mine\n', /default_receiver/],
    ['an unknown severity', 'receivers:\n        web-team:\n          urgent: {}\n', /Unknown key 'urgent'/],
    ['a bad duration', 'route:\n        group_wait: 30 seconds\n', /route\.group_wait/],
    ['an unknown tier', 'tiers:\n        urgent: {}\n', /Unknown key 'urgent'/],
    ['an unknown option', 'receiver: {}\n', /Unknown key 'receiver'.*Did you mean 'receivers'\?/],
  ] as const) {
    it(`rejects ${what}`, async () => {
      const p = samplesWith(`version: 1\ngenerate:\n  targets:\n    alertmanager:\n      ${yaml}`);
      const r = await run(['generate', p]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/config\/invalid/);
      expect(r.stderr).toMatch(message);
    });
  }
});

describe('escaping and owners', () => {
  /** The samples' model with checkout renamed and its owner given quotes and a backslash, and web_frontend without an owner. */
  function hostileModel(): NormalizedModel {
    const model = structuredClone(samplesModel());
    const checkout = model.services.find((s) => s.name === 'checkout')!;
    (checkout as { name: string }).name = 'check.out"(v2)';
    (checkout as { owner?: string }).owner = 'pay "ments" \\ team';
    delete (model.services.find((s) => s.name === 'web_frontend') as { owner?: string }).owner;
    return model;
  }

  it('regex-escapes and quotes label values in matchers', () => {
    expect(regexLiteral('a.b|c(d)*')).toBe('a\\.b\\|c\\(d\\)\\*');
    expect(matcher('pace_service', ['a"b'])).toBe('pace_service="a\\"b"');
    expect(matcher('pace_service', ['a.b', 'c\\d'])).toBe('pace_service=~"a\\\\.b|c\\\\\\\\d"');
  });

  it('amtool routes a service whose name has quotes and metacharacters, and nothing like it', async () => {
    const out = alertmanagerFiles(hostileModel(), () => 'x.pace');
    const file = writeOutput(out);
    const check = await checkConfig(file);
    expect(check.code, check.out).toBe(0);
    const owner = 'pay "ments" \\ team';
    expect(await routeReceivers(file, { pace_service: 'check.out"(v2)', severity: 'page' })).toEqual([`${owner}-page`]);
    expect(await routeReceivers(file, { pace_service: 'check.out"(v2)', severity: 'ticket' })).toEqual([`${owner}-ticket`]);
    expect(await routeReceivers(file, { pace_service: 'payments_api', severity: 'page' })).toEqual(['payments-team-page']);
    // Unescaped, `.` would match any character and `(v2)` would be a group.
    expect(await routeReceivers(file, { pace_service: 'checkXout"v2', severity: 'page' })).toEqual(['pace-default']);
    expect(await routeReceivers(file, { pace_service: 'checkXout"(v2)', severity: 'page' })).toEqual(['pace-default']);
  }, 60_000);

  it('sends the services without an owner to pace-default, timed by their tier, and says so', async () => {
    const out = alertmanagerFiles(hostileModel(), () => 'x.pace');
    const file = writeOutput(out);
    expect(await routeReceivers(file, { pace_service: 'web_frontend', severity: 'page' })).toEqual(['pace-default']);
    expect(await routeReceivers(file, { pace_service: 'web_frontend', severity: 'ticket' })).toEqual(['pace-default']);
    const config = parseYaml(out.files[0].text) as Config;
    const last = config.route.routes!.at(-1)!;
    expect(last.matchers).toEqual(['pace_service="web_frontend"']);
    expect(last.routes![0]).toMatchObject({ receiver: 'pace-default', ...TIER_TIMING.high.page });
    expect(config.receivers.map((r) => r.name)).not.toContain('web-team-page');
    expect(out.notes.join('\n')).toMatch(/pace-default notifies no one, and the alerts of web_frontend \(no owner\) go there/);
  }, 60_000);

  it('a model without alerts gives a valid configuration with only pace-default', async () => {
    const model = structuredClone(samplesModel());
    for (const s of model.services) for (const o of s.slos) (o as { alerting: unknown }).alerting = null;
    const out = alertmanagerFiles(model, () => undefined);
    const config = parseYaml(out.files[0].text) as Config;
    expect(config.route.routes).toBeUndefined();
    expect(config.receivers).toEqual([{ name: 'pace-default' }]);
    const r = await checkConfig(writeOutput(out));
    expect(r.code, r.out).toBe(0);
  }, 60_000);
});

describe('a real Alertmanager: inhibition and the template', () => {
  let am: AlertmanagerServer | undefined;
  let hook: Server;
  const received: { path: string; body: any }[] = [];
  afterAll(async () => {
    await am?.stop();
    await new Promise((r) => hook?.close(r));
  });

  it('mutes the ticket of an SLO while its page fires, not the tickets of other SLOs, and delivers the page with the template', async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (b: Buffer) => (body += b.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(body) });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    const fast = { group_wait: '1s', group_interval: '1s' };
    const options = {
      receivers: {
        'payments-team': {
          page: { slack_configs: [{ api_url: `http://127.0.0.1:${port}/page`, channel: '#pay', title: '{{ template "pace.title" . }}', text: '{{ template "pace.text" . }}', send_resolved: false }] },
          ticket: { webhook_configs: [{ url: `http://127.0.0.1:${port}/ticket`, send_resolved: false }] },
        },
      },
      tiers: { critical: { page: fast, ticket: fast } },
    };
    const out = generate.generateTarget(samplesModel(), 'alertmanager', () => 'x.pace', { alertmanager: options });
    const file = writeOutput(out);
    am = await startAlertmanager(file);
    const alert = (slo: string, severity: string, extra: Record<string, string> = {}) => ({
      labels: { alertname: 'CheckoutErrorBudgetBurn', pace_service: 'checkout', pace_slo: slo, severity, pace_long_window: severity === 'page' ? '1h' : '1d', pace_short_window: severity === 'page' ? '5m' : '2h', ...extra },
      annotations: { summary: `Checkout: ${slo} burns its error budget`, description: `The error ratio of sli:checkout.${slo} is high.` },
      startsAt: new Date().toISOString(),
    });
    const post = async (alerts: unknown[]) => {
      const r = await fetch(`${am!.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts), signal: AbortSignal.timeout(10_000) });
      expect(r.status).toBe(200);
    };
    await post([alert('availability', 'page')]);
    await sleep(500);
    await post([alert('availability', 'ticket'), alert('fast', 'ticket')]);
    type Status = { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } };
    let alerts: Status[] = [];
    const deadline = Date.now() + 30_000;
    const done = () => received.some((r) => r.path === '/page') && received.some((r) => r.path === '/ticket');
    while (Date.now() < deadline) {
      alerts = (await (await fetch(`${am.url}/api/v2/alerts`, { signal: AbortSignal.timeout(10_000) })).json()) as Status[];
      if (done() && alerts.find((a) => a.labels.severity === 'ticket' && a.labels.pace_slo === 'availability')?.status.state === 'suppressed') break;
      await sleep(250);
    }
    await sleep(3_000); // one more group interval: a muted ticket would have been sent by now
    const state = (slo: string, sev: string) => alerts.find((a) => a.labels.pace_slo === slo && a.labels.severity === sev)!.status;
    expect(state('availability', 'ticket').state).toBe('suppressed');
    expect(state('availability', 'ticket').inhibitedBy.length).toBe(1);
    expect(state('availability', 'page').state).toBe('active');
    expect(state('fast', 'ticket').state).toBe('active');
    const tickets = received.filter((r) => r.path === '/ticket').flatMap((r) => r.body.alerts as { labels: Record<string, string> }[]);
    expect(tickets.map((a) => a.labels.pace_slo)).toEqual(['fast']);
    const pages = received.filter((r) => r.path === '/page');
    expect(pages.length).toBe(1);
    const attachment = pages[0].body.attachments[0];
    expect(pages[0].body.channel).toBe('#pay');
    expect(attachment.title).toBe('[FIRING:1] page: Checkout: availability burns its error budget');
    expect(attachment.text).toMatch(/^Checkout: availability burns its error budget\nThe error ratio of sli:checkout\.availability is high\.\nSLO checkout\.availability, windows 1h and 5m, since \d{4}-\d\d-\d\d /);
  }, 90_000);
});

describe('docs/generate.md', () => {
  it("the Alertmanager section's pace.yaml example is valid and generates a configuration amtool accepts", async () => {
    const doc = readFileSync(path.join(root, 'docs/generate.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## The Alertmanager target'));
    const yaml = /```yaml\n(generate:[\s\S]*?)```/.exec(section)![1];
    const p = samplesWith(`version: 1\n${yaml}`);
    const r = await run(['generate', p, '--target', 'alertmanager']);
    expect(r.code, r.stderr).toBe(0);
    const file = path.join(p, 'generated/alertmanager/alertmanager.yml');
    const check = await checkConfig(file);
    expect(check.code, check.out).toBe(0);
    expect(await routeReceivers(file, { pace_service: 'checkout', severity: 'page' })).toEqual(['payments-team-page']);
    const config = parseYaml(readFileSync(file, 'utf8')) as Config;
    expect(config.receivers.find((x) => x.name === 'payments-team-page')).toHaveProperty('pagerduty_configs');
  }, 60_000);
});
