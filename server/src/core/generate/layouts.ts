// The layouts of the Prometheus target's rule files (docs/generate.md, "Formats"): the same groups
// (prometheus.ts's groupYaml, byte for byte) wrapped for where the rules run.
//   prometheus           `groups:` — Prometheus's `rule_files:`, Thanos Ruler, vmalert (prometheus.ts)
//   prometheus-operator  a Kubernetes `PrometheusRule` object per service (monitoring.coreos.com/v1)
//   mimir                `namespace: <service>` + `groups:` per service, as `mimirtool rules load`
//                        (and `cortextool rules load`) read it
// The last two put every SLO of a service in one file (no time-slice SLO apart: that split only
// serves promtool's unit tests, which cannot load these layouts). Pure.
import { markerComment, renderedFile, yamlQuoted } from './output.js';
import { groupYaml, type ServicePlan } from './prometheus.js';
import type { GeneratedFile } from './output.js';

export const PROMETHEUS_FORMATS = ['prometheus', 'prometheus-operator', 'mimir'] as const;
export type PrometheusFormat = (typeof PROMETHEUS_FORMATS)[number];

export const PROMETHEUS_RULE_API_VERSION = 'monitoring.coreos.com/v1';

export interface KubernetesOptions {
  /** Labels of every PrometheusRule's metadata (for the Prometheus's `ruleSelector`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The metadata's namespace; absent: none (`kubectl apply -n` decides). */
  readonly namespace?: string;
}

/** One service's plans merged back into one (the time-slice SLOs put apart rejoin it, in the service's SLO order). */
export function mergeByService(plans: readonly ServicePlan[]): ServicePlan[] {
  const byService = new Map<string, ServicePlan[]>();
  for (const sp of plans) byService.set(sp.service.id, [...(byService.get(sp.service.id) ?? []), sp]);
  return [...byService.values()].map((sps) => {
    const first = sps[0];
    const order = new Map(first.service.slos.map((s, i) => [s.id, i]));
    const all = sps.flatMap((sp) => sp.plans).sort((a, b) => order.get(a.slo.id)! - order.get(b.slo.id)!);
    return { service: first.service, file: first.file, plans: all, skipped: sps.flatMap((sp) => sp.skipped), sources: [...new Set(sps.flatMap((sp) => sp.sources))].sort() };
  });
}

/**
 * A Kubernetes object name (RFC 1123 subdomain, at most 63 characters here so that it is also a
 * valid label value) for a service: `pace-slo-payments-api`. Names that collide once lower-cased
 * get a numbered suffix, in the order given.
 */
export function kubernetesNames(serviceNames: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return serviceNames.map((n) => {
    let base = `pace-slo-${n.toLowerCase().replace(/_/g, '-')}`.replace(/-+/g, '-').replace(/-+$/, '');
    if (base.length > 57) base = base.slice(0, 57).replace(/-+$/, '');
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    return k ? `${base}-${k + 1}` : base;
  });
}

/** A Kubernetes label value: at most 63 characters, alphanumeric at both ends. */
const K8S_LABEL_VALUE = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Each line of `text` indented by `by` (empty lines stay empty). */
const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

function header(sp: ServicePlan, what: string): string {
  let out = markerComment(sp.sources);
  out += `# ${what} of service ${sp.service.name}${sp.service.title ? ` (${sp.service.title.replace(/\n/g, ' ')})` : ''}: one group per SLO.\n`;
  for (const s of sp.skipped) out += `# Skipped: ${s}.\n`;
  return out;
}

/** The `PrometheusRule` object of one service. */
export function prometheusRuleYaml(sp: ServicePlan, name: string, k8s: KubernetesOptions = {}): string {
  let out = header(sp, 'Kubernetes PrometheusRule (prometheus-operator) with the recording and alerting rules');
  out += `apiVersion: ${PROMETHEUS_RULE_API_VERSION}\nkind: PrometheusRule\nmetadata:\n  name: ${name}\n`;
  if (k8s.namespace) out += `  namespace: ${yamlQuoted(k8s.namespace)}\n`;
  const labels: Record<string, string> = { ...(k8s.labels ?? {}), 'app.kubernetes.io/managed-by': 'pace' };
  // The service's name, where it is a valid label value (a name may start with `_`).
  if (K8S_LABEL_VALUE.test(sp.service.name)) labels['pace.dev/service'] = sp.service.name;
  out += '  labels:\n' + Object.keys(labels).sort().map((k) => `    ${yamlQuoted(k)}: ${yamlQuoted(labels[k])}\n`).join('');
  out += 'spec:\n';
  if (!sp.plans.length) return out + '  groups: []\n';
  return out + '  groups:\n' + indent(sp.plans.map(groupYaml).join(''), '  ');
}

/** The `mimirtool rules load` file of one service: its namespace is the service's name. */
export function mimirRulesYaml(sp: ServicePlan): string {
  let out = header(sp, `Mimir/Cortex ruler rules (load with \`mimirtool rules load\`), namespace ${sp.service.name}, with the recording and alerting rules`);
  out += `namespace: ${yamlQuoted(sp.service.name)}\n`;
  if (!sp.plans.length) return out + 'groups: []\n';
  return out + 'groups:\n' + sp.plans.map(groupYaml).join('');
}

/** The file name of a service's rules in a layout other than `prometheus`. */
export const layoutFileName = (sp: ServicePlan, format: Exclude<PrometheusFormat, 'prometheus'>) =>
  format === 'prometheus-operator' ? `${sp.service.name}.prometheusrule.yml` : `${sp.service.name}.rules.yml`;

/** The rule files of a layout other than `prometheus`, one per service. */
export function layoutFiles(plans: readonly ServicePlan[], format: Exclude<PrometheusFormat, 'prometheus'>, k8s: KubernetesOptions = {}): GeneratedFile[] {
  const merged = mergeByService(plans);
  const names = kubernetesNames(merged.map((sp) => sp.service.name));
  return merged.map((sp, i) => renderedFile(layoutFileName(sp, format), () => (format === 'prometheus-operator' ? prometheusRuleYaml(sp, names[i], k8s) : mimirRulesYaml(sp))));
}
