import { describe, expect, it } from 'vitest';
import { complete } from '../../../server/src/core/ide/index.js';
import { analyzeFixture } from '../../helpers/fixture.js';

function labels(src: string): string[] {
  const { analysis, uri, offset } = analyzeFixture(src);
  return complete(analysis, uri, offset).map((i) => i.label);
}

function items(src: string) {
  const { analysis, uri, offset } = analyzeFixture(src);
  return complete(analysis, uri, offset);
}

const SERVICE = `
service checkout {
  tier = high
  sli availability = ratio {
    good  = http_requests_total{job="checkout", code!~"5.."}
    total = http_requests_total{job="checkout"}
  }
  sli fast = latency {
    histogram = http_request_duration_seconds{job="checkout"}
    under     = 300ms
  }
  slo availability {
    sli       = availability
    objective = 99.9%
    window    = 30d
  }
  SLOT
}
service payments {
  title = "Payments"
}
alerting standard {
  page when burn_rate > 14.4 over 1h and 5m
}
`;

describe('completion: keywords and attributes', () => {
  it('offers the top-level blocks at the top level', () => {
    expect(labels('<|>')).toEqual(['service', 'alerting', 'objective']);
    expect(labels('service a {\n}\nse<|>')).toEqual(['service', 'alerting', 'objective']);
  });

  it('offers the top-level blocks as snippets with documentation from the block table', () => {
    const svc = items('<|>').find((i) => i.label === 'service')!;
    expect(svc.snippet).toBe(true);
    expect(svc.insertText).toContain('service ${1:name} {');
    expect(svc.documentation).toContain('Something that is operated');
  });

  it('offers the attributes not yet set and the sub-blocks inside a service', () => {
    const l = labels(SERVICE.replace('SLOT', '<|>'));
    expect(l).toContain('owner');
    expect(l).toContain('title');
    expect(l).toContain('depends_on');
    expect(l).not.toContain('tier'); // already set
    expect(l).toEqual(expect.arrayContaining(['sli', 'slo', 'sla', 'labels']));
    expect(l).not.toContain('service');
  });

  it('excludes attributes set after the cursor too', () => {
    const l = labels('service a {\n  <|>\n  owner = "x"\n}\n');
    expect(l).not.toContain('owner');
    expect(l).toContain('title');
  });

  it('offers the attributes of an SLO, required ones first, with docs and types', () => {
    const list = items('service a {\n  slo x {\n    <|>\n  }\n}\n');
    const names = list.filter((i) => i.kind === 'attribute').map((i) => i.label);
    expect(names).toEqual(['title', 'sli', 'objective', 'window', 'alerting', 'alert_name', 'description']);
    expect(list.filter((i) => i.kind === 'block').map((i) => i.label)).toEqual(['labels', 'annotations', 'page', 'ticket']);
    expect(list.find((i) => i.label === 'page')!.insertText).toBe('page {\n  $0\n}');
    const sorted = [...list].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((i) => i.label);
    expect(sorted.slice(0, 3).sort()).toEqual(['objective', 'sli', 'window']);
    const obj = list.find((i) => i.label === 'objective')!;
    expect(obj.documentation).toContain('strictly between 0% and 100%');
    expect(obj.detail).toContain('percentage');
  });

  it('offers the attributes of the SLI kind', () => {
    expect(labels('service a {\n  sli l = latency {\n    <|>\n  }\n}\n')).toEqual(expect.arrayContaining(['histogram', 'under', 'description']));
    expect(labels('service a {\n  sli r = ratio {\n    good = m\n    <|>\n  }\n}\n')).toEqual(['total', 'description']);
  });

  it('does not offer the other attribute of an exactly-one group once one is set (from the block table)', () => {
    // SLA: `slo` or `sli`.
    const sla = (body: string) => labels(`service a {\n  sla s {\n    ${body}\n  }\n}\n`).filter((l) => l === 'slo' || l === 'sli');
    expect(sla('<|>')).toEqual(['slo', 'sli']);
    expect(sla('slo = x\n    <|>')).toEqual([]);
    expect(sla('sli = x\n    <|>')).toEqual([]);
    expect(sla('<|>\n    sli = x')).toEqual([]);
    // Ratio and promql SLIs: `good` or `bad`.
    const sli = (kind: string, body: string) => labels(`service a {\n  sli r = ${kind} {\n    ${body}\n  }\n}\n`).filter((l) => l === 'good' || l === 'bad');
    expect(sli('ratio', '<|>')).toEqual(['good', 'bad']);
    expect(sli('ratio', 'bad = m\n    <|>')).toEqual([]);
    expect(sli('promql', 'good = "x"\n    <|>')).toEqual([]);
    expect(sli('promql', '<|>\n    bad = "x"')).toEqual([]);
  });

  it('offers rules in alerting policies and credit tiers in SLAs', () => {
    const pol = items('alerting p {\n  <|>\n}\n');
    expect(pol.map((i) => i.label)).toEqual(expect.arrayContaining(['page', 'ticket', 'description', 'labels']));
    expect(pol.find((i) => i.label === 'page')!.insertText).toBe('page when burn_rate > ${1:14.4} over ${2:1h} and ${3:5m}');
    // `page { … }` (labels and annotations of the page alerts) is offered beside the rule, under its own label.
    expect(pol.find((i) => i.label === 'page { … }')).toMatchObject({ kind: 'block', filterText: 'page' });
    expect(items('alerting p {\n  labels { a = "b" }\n  <|>\n}\n').map((i) => i.label)).not.toContain('labels');
    expect(labels('service a {\n  sla s {\n    <|>\n  }\n}\n')).toEqual(expect.arrayContaining(['credit', 'objective', 'window', 'slo', 'sli']));
  });

  it('offers KPIs in objectives', () => {
    expect(labels('objective o {\n  <|>\n}\n')).toEqual(expect.arrayContaining(['kpi', 'supported_by', 'title', 'owner']));
  });

  it('completes inside an unclosed block (incomplete code)', () => {
    expect(labels('service a {\n  title = "x"\n  <|>')).toEqual(expect.arrayContaining(['owner', 'sli']));
    expect(labels('service a {\n  slo x {\n    objective = 99%\n    wi<|>')).toContain('window');
  });

  it('completes in a file that starts with a blank line (it used to hang)', () => {
    expect(labels('//- main.pace\n\nservice a {\n  <|>\n}\n')).toContain('owner');
  });

  it('does not complete in comments and strings', () => {
    expect(labels('// serv<|>')).toEqual([]);
    expect(labels('service a {\n  title = "ti<|>"\n}\n')).toEqual([]);
  });
});

describe('completion: values', () => {
  it('offers enum values after tier =', () => {
    const list = items('service a {\n  tier = <|>\n}\n');
    expect(list.map((i) => i.label)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(list[0].documentation).toContain('Criticality');
  });

  it('replaces the word being typed', () => {
    const { analysis, uri, offset } = analyzeFixture('service a {\n  tier = cr<|>\n}\n');
    const list = complete(analysis, uri, offset);
    expect(list[0].range).toEqual({ start: offset - 2, end: offset });
  });

  it('offers this service’s SLIs after sli =, and its SLOs after slo =', () => {
    const src = SERVICE.replace('SLOT', 'slo other {\n    sli = <|>\n  }');
    expect(labels(src)).toEqual(['availability', 'fast']);
    const sla = SERVICE.replace('SLOT', 'sla s {\n    slo = <|>\n  }');
    expect(labels(sla)).toEqual(['availability']);
  });

  it('offers another service’s SLIs after sli = svc., and its SLOs after slo = svc.', () => {
    const other = `service auth {
  sli login = ratio {
    good  = logins_total{ok="true"}
    total = logins_total
  }
  sli token = latency {
    histogram = token_seconds
    under     = 100ms
  }
  slo login_ok {
    sli       = login
    objective = 99%
    window    = 30d
  }
}
`;
    expect(labels(other + SERVICE.replace('SLOT', 'slo other {\n    sli = auth.<|>\n  }'))).toEqual(['login', 'token']);
    expect(labels(other + SERVICE.replace('SLOT', 'slo other {\n    sli = auth.to<|>\n  }'))).toEqual(['login', 'token']);
    expect(labels(other + SERVICE.replace('SLOT', 'sla s {\n    slo = auth.<|>\n  }'))).toEqual(['login_ok']);
    expect(labels(other + SERVICE.replace('SLOT', 'sla s {\n    sli = auth.<|>\n  }'))).toEqual(['login', 'token']);
    // An unknown service: nothing.
    expect(labels(other + SERVICE.replace('SLOT', 'slo other {\n    sli = nope.<|>\n  }'))).toEqual([]);
    // Works across files, and the qualified reference links.
    const { analysis, uri, offset } = analyzeFixture(`//- auth.pace\n${other}//- main.pace\n${SERVICE.replace('SLOT', 'slo other {\n    sli = auth.<|>\n  }')}`);
    const list = complete(analysis, uri, offset);
    expect(list.map((i) => [i.label, i.detail])).toEqual([['login', 'ratio SLI'], ['token', 'latency SLI']]);
    expect(list[0].range).toEqual({ start: offset, end: offset });
  });

  it('offers the other services before the dot, after this service’s own members', () => {
    const other = 'service auth {\n  sli login = ratio {\n    good = g\n    total = t\n  }\n}\nservice empty {}\n';
    const list = items(other + SERVICE.replace('SLOT', 'slo other {\n    sli = <|>\n  }'));
    const sorted = [...list].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
    // payments and empty have no SLIs; checkout is the service around the cursor.
    expect(sorted.map((i) => i.label)).toEqual(['availability', 'fast', 'auth']);
    const auth = sorted[2];
    expect(auth).toMatchObject({ insertText: 'auth.', symbolKind: 'service', retrigger: true });
    expect(auth.detail).toContain('1 SLI');
  });

  it('documents references with the target’s doc comment and summary', () => {
    const src = 'service a {\n  /// Good requests.\n  sli ok = ratio {\n    good = g\n    total = t\n  }\n  slo s {\n    sli = <|>\n  }\n}\n';
    const it0 = items(src)[0];
    expect(it0.label).toBe('ok');
    expect(it0.detail).toBe('ratio SLI');
    expect(it0.documentation).toContain('Good requests.');
  });

  it('offers SLI kinds after sli NAME =', () => {
    expect(labels('service a {\n  sli x = <|>\n}\n')).toEqual(['ratio', 'latency', 'timeslice', 'promql']);
  });

  it('offers default, none and the policies after alerting =', () => {
    expect(labels(SERVICE.replace('SLOT', 'slo s {\n    alerting = <|>\n  }'))).toEqual(['default', 'none', 'standard']);
  });

  it('offers calendar units after calendar, and in after the unit', () => {
    expect(labels('service a {\n  slo s {\n    window = <|>\n  }\n}\n')).toEqual(expect.arrayContaining(['calendar month', '30d']));
    expect(labels('service a {\n  slo s {\n    window = calendar <|>\n  }\n}\n')).toEqual(['week', 'month', 'quarter']);
    expect(labels('service a {\n  slo s {\n    window = calendar month <|>\n  }\n}\n')).toEqual(['in']);
  });

  it('offers other services in depends_on = [', () => {
    const l = labels(SERVICE.replace('SLOT', 'depends_on = [<|>]'));
    expect(l).toEqual(['payments']);
    expect(labels('service a {\n  depends_on = [b, <|>]\n}\nservice b {}\nservice c {}\n')).toEqual(['c']);
  });

  it('offers service.slo ids in supported_by = [', () => {
    const src = SERVICE.replace('SLOT', '') + 'objective o {\n  supported_by = [<|>]\n}\n';
    expect(labels(src)).toEqual(['checkout.availability']);
    const dotted = SERVICE.replace('SLOT', '') + 'objective o {\n  supported_by = [checkout.<|>]\n}\n';
    expect(labels(dotted)).toEqual(['availability']);
  });

  it('offers units after a number', () => {
    expect(labels('service a {\n  slo s {\n    objective = 99.9<|>\n  }\n}\n')).toEqual(['99.9%']);
    expect(labels('service a {\n  slo s {\n    window = 30<|>\n  }\n}\n')).toEqual(['30ms', '30s', '30m', '30h', '30d', '30w']);
    expect(labels('alerting p {\n  page when burn_rate > 14.4 over 1<|>\n}\n')).toEqual(['1ms', '1s', '1m', '1h', '1d', '1w']);
    expect(labels('alerting p {\n  page when burn_rate > 14<|>\n}\n')).toEqual([]);
  });

  it('replaces the number with number + unit', () => {
    const { analysis, uri, offset } = analyzeFixture('service a {\n  sla s {\n    credit 10<|>\n  }\n}\n');
    const list = complete(analysis, uri, offset);
    expect(list.map((i) => i.label)).toEqual(['10%']);
    expect(list[0].range).toEqual({ start: offset - 2, end: offset });
  });

  it('continues alert rules word by word', () => {
    expect(labels('alerting p {\n  page <|>\n}\n')).toEqual(['when']);
    expect(labels('alerting p {\n  page when <|>\n}\n')).toEqual(['burn_rate']);
    expect(labels('alerting p {\n  page when burn_rate > 14.4 <|>\n}\n')).toEqual(['over']);
    expect(labels('alerting p {\n  page when burn_rate > 14.4 over 1h <|>\n}\n')).toEqual(['and', 'for']);
    expect(labels('alerting p {\n  page when burn_rate > 14.4 over 1h and 5m <|>\n}\n')).toEqual(['for']);
  });

  it('offers measure functions in KPIs', () => {
    expect(labels('objective o {\n  kpi k {\n    measure = <|>\n  }\n}\n')).toEqual(['ratio', 'avg', 'min', 'max', 'sum', 'p50', 'p90', 'p95', 'p99']);
  });

  it('offers nothing inside a selector', () => {
    expect(labels('service a {\n  sli r = ratio {\n    good = m{job="x", <|>}\n  }\n}\n')).toEqual([]);
  });
});
