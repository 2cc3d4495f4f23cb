// Synthetic workloads for the benchmark: a Pace project and its OpenSLO v1 twin (the peer's format).
//
//   node bench/gen-project.mjs OUTDIR [N=1000] [--big LINES]
//
// writes OUTDIR/pace/project-N/part_000.pace … (10 services a file), OUTDIR/openslo/project-N/part_000.yaml …
// (the same content as OpenSLO YAML, one file per Pace file), and, with --big, one Pace file of about
// LINES lines (OUTDIR/pace/big/big.pace) and its twin (OUTDIR/openslo/big/big.yaml).
//
// Every Pace service has 5 SLIs (ratio good/total, ratio bad/total, latency, timeslice, promql), 5 SLOs
// (rolling 30d/28d/7d windows, calendar month, calendar quarter in a time zone; alerting = a named
// policy, `default`, `none`), an SLA with two credit tiers, labels on the service and on one SLO, and
// every tenth one `depends_on` svc_0000 (in another file). Every file of 10 services also holds an
// alerting policy of its own (with labels and a `for`) and a business objective with two KPIs whose
// `supported_by` names SLOs of its services; part_000 (and the big file) hold the shared policy
// `standard`. The project checks clean: 0 diagnostics.
//
// The OpenSLO twin (the peer recipe's mapping): service -> kind Service (owner/tier/labels ->
// metadata.labels, depends_on -> an annotation); every SLO -> kind SLO with its SLI inline as
// `indicator` (ratio and latency -> ratioMetric, promql -> ratioMetric with the raw queries, timeslice
// -> thresholdMetric with budgetingMethod Timeslices); rolling windows -> isRolling, calendar ->
// 1M/1Q with calendar.startTime/timeZone; alerting policies -> one AlertCondition + one AlertPolicy
// per rule (OpenSLO allows one condition a policy), referenced from alertPolicies; Pace's built-in
// `default` policy is written out (scaled to 28d) once. SLAs and objectives/KPIs have no OpenSLO
// form and are left out, so the twin carries less content than the Pace project, never more.
import fs from 'node:fs';
import path from 'node:path';

export const pad = (i) => String(i).padStart(4, '0');
const svcId = (i) => `svc_${pad(i)}`; // Pace name and Prometheus job
const svcName = (i) => `svc-${pad(i)}`; // OpenSLO name (no underscores allowed)
const groupId = (g) => String(g).padStart(3, '0');
const TIERS = ['critical', 'high', 'medium', 'low'];
const team = (i) => `team-${i % 37}`;

// ---------------------------------------------------------------------------------------------
// Pace
// ---------------------------------------------------------------------------------------------
const PACE_STANDARD = `/// The SRE workbook's multiwindow, multi-burn-rate policy for 30-day SLOs.
alerting standard {
  page   when burn_rate > 14.4 over 1h and 5m
  page   when burn_rate > 6    over 6h and 30m
  ticket when burn_rate > 3    over 1d and 2h
  ticket when burn_rate > 1    over 3d and 6h
}
`;

function paceService(i) {
  const s = svcId(i);
  const dep = i > 0 && i % 10 === 0 ? `\n  depends_on = [${svcId(0)}]` : '';
  const g = groupId(Math.floor(i / 10));
  return `/// Service number ${i}.
service ${s} {
  title      = "Service ${i}"
  owner      = "${team(i)}"
  tier       = ${TIERS[i % 4]}${dep}
  labels     { team = "${team(i)}", env = "prod" }

  /// Requests that did not fail on the server side.
  sli requests = ratio {
    good  = http_requests_total{job="${s}", code!~"5.."}
    total = http_requests_total{job="${s}"}
  }

  sli errors = ratio {
    bad   = http_requests_total{job="${s}", code=~"5..|429"}
    total = http_requests_total{job="${s}"}
  }

  sli fast = latency {
    histogram = http_request_duration_seconds{job="${s}"}
    under     = 300ms
  }

  sli queue_ok = timeslice {
    gauge     = queue_depth{job="${s}"}
    good_when < 100
    slice     = 1m
  }

  sli grpc_ok = promql {
    good  = \`sum(rate(grpc_server_handled_total{job="${s}", grpc_code="OK"}[$window]))\`
    total = \`sum(rate(grpc_server_handled_total{job="${s}"}[$window]))\`
  }

  slo availability {
    sli       = requests
    objective = ${i === 0 ? '99.99' : '99.9'}%
    window    = 30d
    alerting  = standard
    labels    { class = "availability" }
  }

  slo errors {
    sli       = errors
    objective = 99.5%
    window    = 28d
    alerting  = default
  }

  slo fast {
    sli       = fast
    objective = 99%
    window    = calendar month
    alerting  = team_${g}
  }

  slo queue {
    sli       = queue_ok
    objective = 95%
    window    = 7d
    alerting  = none
  }

  slo grpc {
    sli       = grpc_ok
    objective = 99%
    window    = calendar quarter in "Europe/Paris"
    alerting  = standard
  }

  sla contract {
    slo       = availability
    objective = 99.5%
    window    = calendar month
    credit 10% below 99.5%
    credit 25% below 99%
  }
}
`;
}

/** The alerting policy and the business objective of one group of 10 services. */
function paceGroup(g, first, last) {
  const id = groupId(g);
  return `alerting team_${id} {
  labels { team = "${team(first)}" }
  page   when burn_rate > 10 over 1h and 5m for 2m
  ticket when burn_rate > 2  over 1d and 2h
}

/// Business objective of services ${first}..${last}.
objective growth_${id} {
  title = "Grow conversion of group ${g} to 3.5%"
  owner = "growth-team"

  kpi conversion {
    measure = ratio(checkout_completed_total{group="${id}"}, checkout_started_total{group="${id}"})
    target  >= 3.5%
    window  = 28d
  }

  kpi mttr {
    measure = avg(incident_resolution_seconds{group="${id}"})
    target  <= 1h
    window  = 90d
  }

  supported_by = [${svcId(first)}.availability, ${svcId(last)}.fast]
}
`;
}

/** Pace text of services [from, to) with their groups' policies and objectives. */
function paceText(from, to, withStandard) {
  const parts = [];
  if (withStandard) parts.push(PACE_STANDARD);
  for (let g = Math.floor(from / 10); g * 10 < to; g++) {
    const a = Math.max(from, g * 10), b = Math.min(to, g * 10 + 10);
    for (let i = a; i < b; i++) parts.push(paceService(i));
    parts.push(paceGroup(g, a, b - 1));
  }
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------
// OpenSLO v1
// ---------------------------------------------------------------------------------------------
const STANDARD_RULES = [
  { sev: 'page', f: 14.4, long: '1h', short: '5m' },
  { sev: 'page', f: 6, long: '6h', short: '30m' },
  { sev: 'ticket', f: 3, long: '1d', short: '2h' },
  { sev: 'ticket', f: 1, long: '3d', short: '6h' },
];
const policyRules = {
  standard: STANDARD_RULES.map((r) => ({ ...r, name: `standard-${r.sev}-${r.long}` })),
  // Pace's built-in `default` for a 28d SLO: the workbook's shares of budget scaled to 28 days.
  'default-28d': STANDARD_RULES.map((r) => ({ ...r, f: Number(((r.f * 28) / 30).toFixed(4)), name: `default-28d-${r.sev}-${r.long}` })),
};
const teamRules = (id) => [
  { sev: 'page', f: 10, long: '1h', short: '5m', name: `team-${id}-page` },
  { sev: 'ticket', f: 2, long: '1d', short: '2h', name: `team-${id}-ticket` },
];

const alertDocs = (policy, rules, labels) =>
  rules
    .map(
      (r) => `---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: ${r.name}
spec:
  description: ${r.sev} when the burn rate is above ${r.f} over ${r.long} and ${r.short}
  severity: ${r.sev}
  condition:
    kind: burnrate
    op: gt
    threshold: ${r.f}
    lookbackWindow: ${r.long}
    alertAfter: ${r.short}
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: ${r.name}
  displayName: ${policy} ${r.sev} ${r.long}/${r.short}${labels ? `\n  labels:\n${Object.entries(labels).map(([k, v]) => `    ${k}: ${v}\n`).join('').trimEnd()}` : ''}
spec:
  alertWhenNoData: false
  alertWhenResolved: true
  alertWhenBreaching: true
  conditions:
    - conditionRef: ${r.name}
  notificationTargets:
    - targetRef: ${r.sev}
`,
    )
    .join('');

const OSLO_SHARED = `---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata:
  name: page
spec:
  description: Page the on-call engineer
  target: pagerduty
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata:
  name: ticket
spec:
  description: Open a ticket for the owning team
  target: jira
${Object.entries(policyRules).map(([p, rules]) => alertDocs(p, rules)).join('')}`;

const metric = (key, query, ind) => `${ind}${key}:
${ind}  metricSource:
${ind}    type: Prometheus
${ind}    spec:
${ind}      query: '${query}'
`;
const rate = (sel) => `sum(rate(${sel}[5m]))`;
const WINDOWS = {
  '30d': '    - duration: 30d\n      isRolling: true\n',
  '28d': '    - duration: 28d\n      isRolling: true\n',
  '7d': '    - duration: 7d\n      isRolling: true\n',
  month: '    - duration: 1M\n      isRolling: false\n      calendar:\n        startTime: "2026-01-01 00:00:00"\n        timeZone: Etc/UTC\n',
  quarterParis: '    - duration: 1Q\n      isRolling: false\n      calendar:\n        startTime: "2026-01-01 00:00:00"\n        timeZone: Europe/Paris\n',
};

function osloService(i) {
  const s = svcId(i), n = svcName(i), id = groupId(Math.floor(i / 10));
  const I = '        '; // inside indicator.spec.<kind>
  const ratio = (goodOrBad, g, t) => `      ratioMetric:\n        counter: true\n${metric(goodOrBad, g, I)}${metric('total', t, I)}`;
  const sli = {
    requests: ratio('good', rate(`http_requests_total{job="${s}", code!~"5.."}`), rate(`http_requests_total{job="${s}"}`)),
    errors: ratio('bad', rate(`http_requests_total{job="${s}", code=~"5..|429"}`), rate(`http_requests_total{job="${s}"}`)),
    fast: ratio('good', rate(`http_request_duration_seconds_bucket{job="${s}", le="0.3"}`), rate(`http_request_duration_seconds_count{job="${s}"}`)),
    queue_ok: metric('thresholdMetric', `max_over_time(queue_depth{job="${s}"}[1m])`, '      '),
    grpc_ok: ratio('good', `sum(rate(grpc_server_handled_total{job="${s}", grpc_code="OK"}[5m]))`, `sum(rate(grpc_server_handled_total{job="${s}"}[5m]))`),
  };
  const slos = [
    { name: 'availability', sli: 'requests', target: i === 0 ? 0.9999 : 0.999, window: '30d', policies: policyRules.standard, labels: '  labels:\n    class: availability\n' },
    { name: 'errors', sli: 'errors', target: 0.995, window: '28d', policies: policyRules['default-28d'] },
    { name: 'fast', sli: 'fast', target: 0.99, window: 'month', policies: teamRules(id) },
    { name: 'queue', sli: 'queue_ok', target: 0.95, window: '7d', timeslice: true },
    { name: 'grpc', sli: 'grpc_ok', target: 0.99, window: 'quarterParis', policies: policyRules.standard },
  ];
  const dep = i > 0 && i % 10 === 0 ? `  annotations:\n    pace.dev/depends-on: ${svcName(0)}\n` : '';
  let y = `---
apiVersion: openslo/v1
kind: Service
metadata:
  name: ${n}
  displayName: Service ${i}
  labels:
    team: ${team(i)}
    env: prod
    owner: ${team(i)}
    tier: ${TIERS[i % 4]}
${dep}spec:
  description: Service number ${i}.
`;
  for (const o of slos) {
    const objective = o.timeslice
      ? `    - op: lt\n      value: 100\n      target: ${o.target}\n      timeSliceTarget: 1\n      timeSliceWindow: 1m\n`
      : `    - target: ${o.target}\n`;
    y += `---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${n}-${o.name}
  displayName: Service ${i} ${o.name}
${o.labels ?? ''}spec:
  service: ${n}
  indicator:
    metadata:
      name: ${n}-${o.sli.replace(/_/g, '-')}
    spec:
${sli[o.sli]}  timeWindow:
${WINDOWS[o.window]}  budgetingMethod: ${o.timeslice ? 'Timeslices' : 'Occurrences'}
  objectives:
${objective}`;
    if (o.policies) y += `  alertPolicies:\n${o.policies.map((r) => `    - ${r.name}\n`).join('')}`;
  }
  return y;
}

function osloText(from, to, withShared, what) {
  let y = `# OpenSLO v1 twin of ${what} (generated by bench/gen-project.mjs; SLAs and KPIs have no OpenSLO form)\n`;
  if (withShared) y += OSLO_SHARED;
  for (let g = Math.floor(from / 10); g * 10 < to; g++) {
    const a = Math.max(from, g * 10), b = Math.min(to, g * 10 + 10);
    y += alertDocs(`team_${groupId(g)}`, teamRules(groupId(g)), { team: team(a) });
    for (let i = a; i < b; i++) y += osloService(i);
  }
  return y;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------
const lines = (t) => t.split('\n').length - (t.endsWith('\n') ? 1 : 0);

/** Writes the N-service project (Pace and OpenSLO) under outDir; returns what it wrote. */
export function generateProject(outDir, N) {
  const paceDir = path.join(outDir, 'pace', `project-${N}`);
  const osloDir = path.join(outDir, 'openslo', `project-${N}`);
  for (const d of [paceDir, osloDir]) {
    fs.rmSync(d, { recursive: true, force: true });
    fs.mkdirSync(d, { recursive: true });
  }
  const out = { services: N, slos: 5 * N, paceDir, osloDir, paceFiles: 0, paceLines: 0, paceBytes: 0, osloFiles: 0, osloLines: 0, osloBytes: 0 };
  for (let f = 0; f * 10 < N; f++) {
    const name = `part_${groupId(f)}`;
    const from = f * 10, to = Math.min(N, f * 10 + 10);
    const p = paceText(from, to, f === 0);
    const y = osloText(from, to, f === 0, `${name}.pace`);
    fs.writeFileSync(path.join(paceDir, `${name}.pace`), p);
    fs.writeFileSync(path.join(osloDir, `${name}.yaml`), y);
    out.paceFiles++, out.paceLines += lines(p), out.paceBytes += Buffer.byteLength(p);
    out.osloFiles++, out.osloLines += lines(y), out.osloBytes += Buffer.byteLength(y);
  }
  return out;
}

/** Writes one Pace file of about `targetLines` lines (whole groups of 10 services) and its twin. */
export function generateBig(outDir, targetLines = 10_000) {
  const perGroup = lines(paceText(10, 20, false)) + 1;
  const head = lines(PACE_STANDARD) + 1;
  const groups = Math.max(1, Math.round((targetLines - head) / perGroup));
  const K = groups * 10;
  const paceDir = path.join(outDir, 'pace', 'big'), osloDir = path.join(outDir, 'openslo', 'big');
  for (const d of [paceDir, osloDir]) {
    fs.rmSync(d, { recursive: true, force: true });
    fs.mkdirSync(d, { recursive: true });
  }
  const p = paceText(0, K, true);
  const y = osloText(0, K, true, `big.pace (services 0..${K - 1} in one file)`);
  const paceFile = path.join(paceDir, 'big.pace'), osloFile = path.join(osloDir, 'big.yaml');
  fs.writeFileSync(paceFile, p);
  fs.writeFileSync(osloFile, y);
  return { services: K, slos: 5 * K, paceFile, osloFile, paceLines: lines(p), paceBytes: Buffer.byteLength(p), osloLines: lines(y), osloBytes: Buffer.byteLength(y) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const bi = args.indexOf('--big');
  const big = bi >= 0 ? Number(args.splice(bi, 2)[1]) : undefined;
  const [outDir, n] = args;
  if (!outDir) {
    console.error('usage: node bench/gen-project.mjs OUTDIR [N=1000] [--big LINES]');
    process.exit(2);
  }
  console.log(generateProject(outDir, Number(n || 1000)));
  if (big) console.log(generateBig(outDir, big));
}
