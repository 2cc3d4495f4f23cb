// Regressions of checker and linker bugs found while writing samples/broken/.
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/core/index.js';
import { canonicalTimeZone } from '../../server/src/core/semantics/values.js';

function check(text: string): string[] {
  const ws = new Workspace();
  ws.setFile('file:///a.pace', text);
  const a = ws.analyze();
  return a.diagnostics.map((d) => `${d.code} ${text.slice(d.range.start, d.range.end)}`);
}

const SERVICE = `service checkout {
  sli ok = ratio {
    good  = x_total{code!~"5.."}
    total = x_total
  }

  slo ok {
    sli       = ok
    objective = 99.9%
    window    = 30d
    alerting  = checkout
  }
}
`;

describe('checker fixes', () => {
  it('reports an unknown SLI kind inside a service (it was silently accepted)', () => {
    expect(check('service s {\n  sli fast = latancy {\n    under = 1s\n  }\n}\n')).toEqual(['check/unknown-sli-kind latancy']);
  });

  it('reports an unknown SLI kind at the top level too', () => {
    expect(check('sli fast = latancy {\n  under = 1s\n}\n')).toEqual(["check/unknown-block sli", 'check/unknown-sli-kind latancy']);
  });

  it('keeps the members of a service when an alerting policy or an objective has the same name', () => {
    const text = `${SERVICE}
alerting checkout {
  page when burn_rate > 14.4 over 1h and 5m
}

objective checkout {
  supported_by = [checkout.ok]
}
`;
    expect(check(text)).toEqual([]);
  });

  it('keeps the members of the first declaration when a service is declared twice', () => {
    const text = `${SERVICE}
service checkout {
  title = "Again"
}

alerting checkout {
  page when burn_rate > 14.4 over 1h and 5m
}
`;
    expect(check(text)).toEqual(['link/duplicate-name checkout']);
  });

  // 99.9% over 30d lets 43m12s of bad time fall in one week; a weekly 99.8% allows 20m9.6s.
  it('reports an SLA measured over a shorter window than its SLO, when a week can hold more bad time than it allows', () => {
    const text = `service s {
  sli ok = ratio {
    good  = x_total{code!~"5.."}
    total = x_total
  }

  slo ok {
    sli       = ok
    objective = 99.9%
    window    = 30d
  }

  sla weekly {
    slo       = ok
    objective = 99.8%
    window    = calendar week
  }

  sla monthly {
    slo       = ok
    objective = 99.5%
    window    = calendar month
  }
}
`;
    expect(check(text)).toEqual(['check/sla-not-looser 99.8%']);
  });
});

describe('units written as words', () => {
  it('`30 days` and `99.9 percent` are one diagnostic each, with the obvious fix', () => {
    const text = 'service s {\n  sli a = ratio { good = g total = t }\n  slo x {\n    sli = a\n    objective = 99.9 percent\n    window = 30 days\n  }\n}\n';
    const ws = new Workspace();
    ws.setFile('file:///a.pace', text);
    const ds = ws.analyze().diagnostics;
    expect(ds.map((d) => `${d.code} ${text.slice(d.range.start, d.range.end)}`)).toEqual(['check/invalid-number 99.9 percent', 'check/invalid-number 30 days']);
    expect(ds.map((d) => d.fixes?.[0]?.edits[0].newText)).toEqual(['99.9%', '30d']);
  });
  it('a number followed by a name on the next line is still a number', () => {
    expect(check('service s {\n  sli a = ratio { good = g total = t }\n  slo x {\n    sli = a\n    objective = 99\n    days = 1\n    window = 30d\n  }\n}\n')).toEqual([
      'check/wrong-type 99',
      'check/unknown-attribute days',
    ]);
  });
});

/** Each diagnostic as `code text`, with its fixes as `*new text` (preferred) or `new text`. */
function fixes(text: string, files: Record<string, string> = {}): { code: string; at: string; fixes: string[] }[] {
  const ws = new Workspace();
  ws.setFile('file:///a.pace', text);
  for (const [name, t] of Object.entries(files)) ws.setFile(`file:///${name}`, t);
  return ws.analyze().diagnostics.map((d) => ({
    code: d.code,
    at: (d.uri === 'file:///a.pace' ? text : files[d.uri.slice('file:///'.length)]).slice(d.range.start, d.range.end),
    fixes: (d.fixes ?? []).map((f) => `${f.preferred ? '*' : ''}${f.edits.map((e) => e.newText).join(' ')}`),
  }));
}

/** The text after applying the preferred fix of every diagnostic (edits of one file, none overlapping). */
function applyPreferred(text: string): string {
  const ws = new Workspace();
  ws.setFile('file:///a.pace', text);
  const edits = ws.analyze().diagnostics.flatMap((d) => d.fixes?.find((f) => f.preferred)?.edits ?? []);
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start - a.range.start)) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

const sloWith = (attrs: string) => `service s {
  sli ok = ratio {
    good  = x_total{code!~"5.."}
    total = x_total
  }

  slo ok {
    sli = ok
${attrs}
  }
}
`;

describe('user trial: quick fixes', () => {
  it('`objective = 99,9%` is one diagnostic with the fix 99.9%', () => {
    const text = sloWith('    objective = 99,9%\n    window    = 30d');
    expect(fixes(text)).toEqual([{ code: 'check/invalid-number', at: '99,9%', fixes: ['*99.9%'] }]);
    expect(fixes(applyPreferred(text))).toEqual([]);
  });

  it('thousands separators are offered, and `1,500` both ways with neither preferred', () => {
    const kpi = (target: string) => `objective o {\n  kpi k {\n    measure = sum(x_total)\n    target  >= ${target}\n    window  = 28d\n  }\n}\n`;
    expect(fixes(kpi('12,000,000'))).toEqual([{ code: 'check/invalid-number', at: '12,000,000', fixes: ['*12000000'] }]);
    expect(fixes(kpi('1,500'))).toEqual([{ code: 'check/invalid-number', at: '1,500', fixes: ['1.500', '1500'] }]);
  });

  it('`window = 1M` offers calendar month (preferred) and 30d, not one minute', () => {
    expect(fixes(sloWith('    objective = 99.9%\n    window    = 1M'))).toEqual([{ code: 'check/invalid-number', at: '1M', fixes: ['*calendar month', '30d'] }]);
    expect(fixes(sloWith('    objective = 99.9%\n    window    = 3M'))).toEqual([{ code: 'check/invalid-number', at: '3M', fixes: ['*calendar quarter', '90d'] }]);
    expect(fixes(applyPreferred(sloWith('    objective = 99.9%\n    window    = 1M')))).toEqual([]);
  });

  it('`1 month` gets the fixes of 1M; `2 weeks` → 2w or 14d; a KPI window (a duration) gets days only', () => {
    expect(fixes(sloWith('    objective = 99.9%\n    window    = 1 month'))).toEqual([{ code: 'check/invalid-number', at: '1 month', fixes: ['*calendar month', '30d'] }]);
    expect(fixes(sloWith('    objective = 99.9%\n    window    = 2 weeks'))).toEqual([{ code: 'check/invalid-number', at: '2 weeks', fixes: ['*2w', '14d'] }]);
    expect(fixes('objective o {\n  kpi k {\n    measure = sum(x_total)\n    target  >= 3\n    window  = 2 months\n  }\n}\n')).toEqual([{ code: 'check/invalid-number', at: '2 months', fixes: ['*60d'] }]);
  });

  it('`owner = dba-team` is one error, fixed by quoting the whole name', () => {
    const text = 'service s {\n  owner = dba-team\n}\n';
    expect(fixes(text)).toEqual([{ code: 'check/wrong-type', at: 'dba-team', fixes: ['*"dba-team"'] }]);
    expect(applyPreferred(text)).toBe('service s {\n  owner = "dba-team"\n}\n');
  });

  it('a hyphenated name in a reference list is one unresolved reference with the underscore spelling', () => {
    const text = 'service payments_api {\n}\n\nservice s {\n  depends_on = [payments-api]\n}\n';
    expect(fixes(text)).toEqual([{ code: 'link/unresolved-reference', at: 'payments-api', fixes: ['*payments_api'] }]);
  });

  it('`target => 80%` and `=<` are errors with the fix >= / <= (preferred), read as what they stand for', () => {
    const text = 'objective o {\n  kpi k {\n    measure = ratio(a_total, b_total)\n    target  => 80%\n    window  = 28d\n  }\n  kpi t {\n    measure = avg(x_seconds)\n    target  =< 1h\n    window  = 28d\n  }\n}\n';
    expect(fixes(text)).toEqual([
      { code: 'check/misspelt-operator', at: '=>', fixes: ['*>='] },
      { code: 'check/misspelt-operator', at: '=<', fixes: ['*<='] },
    ]);
    expect(applyPreferred(text)).toContain('target  >= 80%');
    expect(fixes(applyPreferred(text))).toEqual([]);
  });

  it('`burn_rate => 2` in an alert rule is the same error', () => {
    expect(fixes('alerting p {\n  page when burn_rate => 14.4 over 1h and 5m\n}\n')).toEqual([{ code: 'check/misspelt-operator', at: '=>', fixes: ['*>='] }]);
  });
});

describe('user trial: time zones', () => {
  const zone = (tz: string) => sloWith(`    objective = 99.9%\n    window    = calendar month in "${tz}"`);

  it('a zone in the wrong case is an error whose preferred fix is the tz database spelling', () => {
    expect(fixes(zone('europe/london'))).toEqual([{ code: 'check/invalid-time-zone', at: '"europe/london"', fixes: ['*"Europe/London"'] }]);
  });

  it('a typo gets the nearest zone; an abbreviation none (BST is Asia/Dhaka to Intl)', () => {
    expect(fixes(zone('Europe/Londn'))).toEqual([{ code: 'check/invalid-time-zone', at: '"Europe/Londn"', fixes: ['*"Europe/London"'] }]);
    expect(fixes(zone('BST'))).toEqual([{ code: 'check/invalid-time-zone', at: '"BST"', fixes: [] }]);
  });

  it('a link to another area gets the zone it stands for', () => {
    expect(fixes(zone('US/Eastern'))).toEqual([{ code: 'check/invalid-time-zone', at: '"US/Eastern"', fixes: ['*"America/New_York"'] }]);
    expect(fixes(zone('Etc/UTC'))).toEqual([{ code: 'check/invalid-time-zone', at: '"Etc/UTC"', fixes: ['*"UTC"'] }]);
  });

  it('both spellings of a renamed zone are accepted (Node lists the old one)', () => {
    for (const tz of ['Europe/Kiev', 'Europe/Kyiv', 'Asia/Calcutta', 'Asia/Kolkata', 'UTC', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires']) expect(fixes(zone(tz)), tz).toEqual([]);
  });

  it('canonicalTimeZone: the name itself, its tz spelling, or undefined', () => {
    expect(['Europe/Paris', 'europe/paris', 'UTC', 'utc', 'Asia/Kolkata', 'asia/kolkata', 'BST', 'US/Eastern', 'Nowhere/Land'].map(canonicalTimeZone)).toEqual([
      'Europe/Paris',
      'Europe/Paris',
      'UTC',
      'UTC',
      'Asia/Kolkata',
      'Asia/Kolkata',
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('user trial: selectors, lists, rules and blocks', () => {
  it('`histogram = x_bucket{…}` is an error with the fix removing _bucket', () => {
    const text = 'service s {\n  sli fast = latency {\n    histogram = http_duration_seconds_bucket{job="a"}\n    under     = 300ms\n  }\n}\n';
    expect(fixes(text)).toEqual([{ code: 'check/invalid-value', at: 'http_duration_seconds_bucket', fixes: ['*http_duration_seconds'] }]);
  });

  it('`status="a|b"` warns and offers =~ (and !~ for !=); a literal value does not', () => {
    const text = 'service s {\n  sli ok = ratio {\n    good  = x_total{status="a|b", route="/api/x"}\n    total = x_total{code!="5.."}\n  }\n}\n';
    expect(fixes(text)).toEqual([
      { code: 'check/suspicious-matcher', at: '"a|b"', fixes: ['*status=~"a|b"'] },
      { code: 'check/suspicious-matcher', at: '"5.."', fixes: ['*code!~"5.."'] },
    ]);
    expect(fixes(applyPreferred(text))).toEqual([]);
  });

  it('a name repeated in depends_on, soft_depends_on or supported_by warns, with a fix removing it', () => {
    const text = `${SERVICE}\nservice t {\n  depends_on      = [checkout, checkout]\n  soft_depends_on = [checkout checkout]\n}\n\nobjective o {\n  supported_by = [checkout.ok, t, checkout.ok]\n}\n`;
    const found = fixes(text).filter((d) => d.code === 'check/duplicate-item');
    expect(found).toEqual([
      { code: 'check/duplicate-item', at: 'checkout', fixes: ['*'] },
      { code: 'check/duplicate-item', at: 'checkout', fixes: ['*'] },
      { code: 'check/duplicate-item', at: 'checkout.ok', fixes: ['*'] },
    ]);
    const fixed = applyPreferred(text);
    expect(fixed).toContain('depends_on      = [checkout]');
    expect(fixed).toContain('soft_depends_on = [checkout]');
    expect(fixed).toContain('supported_by = [checkout.ok, t]');
  });

  it('identical alert rules in one policy warn (1h and 60m alike), and the fix removes the line', () => {
    const text = 'alerting p {\n  page when burn_rate > 14.4 over 1h and 5m\n  page when burn_rate > 14.4 over 60m and 5m\n  page when burn_rate > 6 over 6h and 30m\n}\n';
    expect(fixes(text)).toEqual([{ code: 'check/duplicate-item', at: 'page', fixes: ['*'] }]);
    expect(applyPreferred(text)).toBe('alerting p {\n  page when burn_rate > 14.4 over 1h and 5m\n  page when burn_rate > 6 over 6h and 30m\n}\n');
  });

  it('two labels blocks in one block are an error pointing at the first; after a rule, labels warn', () => {
    const ws = new Workspace();
    const text = 'service s {\n  labels { a = "1" }\n  labels { b = "2" }\n}\n\nalerting p {\n  page when burn_rate > 14.4 over 1h and 5m\n  labels { c = "3" }\n}\n';
    ws.setFile('file:///a.pace', text);
    const ds = ws.analyze().diagnostics;
    expect(ds.map((d) => `${d.severity} ${d.code} ${text.slice(d.range.start, d.range.end)} ${d.related?.map((r) => r.range.start)}`)).toEqual([
      `error check/duplicate-block labels ${text.indexOf('labels')}`,
      `warning check/labels-after-rule labels ${text.indexOf('page')}`,
    ]);
    expect(ds[1].message).toMatch(/every rule of policy 'p'/);
  });
});

describe('user trial: PromQL regexes', () => {
  it('a look-around inside a promql SLI string is check/invalid-regex, located on the regex', () => {
    const text = 'service s {\n  sli p = promql {\n    good  = `sum(rate(x{a=~"(?=x)y", b="c"}[$window]))`\n    total = "sum(rate(x{a!~\\"\\\\\\\\1\\"}[$window]))"\n  }\n}\n';
    expect(fixes(text).map((d) => `${d.code} ${d.at}`)).toEqual(['check/invalid-regex "(?=x)y"', 'check/invalid-regex \\"\\\\\\\\1\\"']);
  });
});

describe('user trial: a duplicate service in another file', () => {
  it('resolves references inside the duplicate against its own members: only link/duplicate-name', () => {
    const dup = 'service checkout {\n  sli fast = latency {\n    histogram = y\n    under     = 1s\n  }\n\n  slo fast {\n    sli       = fast\n    objective = 99.9%\n    window    = 30d\n  }\n}\n';
    expect(fixes(SERVICE.replace('    alerting  = checkout\n', ''), { 'b.pace': dup })).toEqual([{ code: 'link/duplicate-name', at: 'checkout', fixes: [] }]);
  });

  it('keeps the duplicate and its members out of the namespace', () => {
    const dup = 'service checkout {\n  sli fast = ratio {\n    good  = a_total\n    total = b_total\n  }\n}\n\nobjective o {\n  supported_by = [checkout.fast]\n}\n';
    const ws = new Workspace();
    ws.setFile('file:///a.pace', SERVICE.replace('    alerting  = checkout\n', ''));
    ws.setFile('file:///b.pace', dup);
    const a = ws.analyze();
    expect(a.diagnostics.map((d) => d.code)).toEqual(['link/duplicate-name', 'link/unresolved-reference']);
    expect(a.semantic.symbols.filter((s) => s.name === 'fast')).toEqual([]);
  });
});

describe('language additions for Sloth and OpenSLO users: checked like the rest', () => {
  const slo = (body: string) => `service s {\n  sli r = ratio {\n    good  = a_total\n    total = b_total\n  }\n\n  slo o {\n    sli       = r\n    objective = 99%\n    window    = 30d\n${body}  }\n}\n`;

  it('accepts title, alert_name, annotations and page/ticket blocks of labels and annotations', () => {
    expect(check(slo('    title      = "T"\n    alert_name = "A"\n    annotations { summary = "x" }\n    page { labels { k = "v" } annotations { runbook_url = "u" } }\n    ticket { labels { k = "w" } }\n'))).toEqual([]);
  });

  it('reports unknown keys in them, a misspelt alert_name and a repeated block', () => {
    expect(check(slo('    alert_nam = "x"\n    page { severity = "x" }\n    ticket { labels { a = "b" } labels { c = "d" } }\n'))).toEqual([
      'check/unknown-attribute alert_nam',
      'check/unknown-attribute severity',
      'check/duplicate-block labels',
    ]);
  });

  it('a raw error_ratio SLI stands alone: with good, bad or total it is a conflict', () => {
    expect(check('service s {\n  sli e = promql {\n    error_ratio = `x`\n  }\n}\n')).toEqual([]);
    expect(check('service s {\n  sli e = promql {\n    error_ratio = `x`\n    total = `y`\n  }\n}\n')).toEqual(['check/conflicting-attributes error_ratio']);
    expect(check('service s {\n  sli e = promql {\n    good = `y`\n  }\n}\n')).toEqual(['check/conflicting-attributes e']);
  });

  it('a single-window rule is a rule (no parse error, no window-order check); annotations after rules warn like labels', () => {
    expect(check('alerting p {\n  page when burn_rate > 2 over 1h for 5m\n}\n')).toEqual([]);
    expect(check('alerting p {\n  page when burn_rate > 2 over 1h\n  annotations { a = "b" }\n  page { labels { k = "v" } }\n}\n')).toEqual(['check/labels-after-rule annotations']);
  });

  it('annotations, page and ticket blocks belong inside an SLO or a policy', () => {
    expect(check('annotations { a = "b" }\n')).toEqual(['check/unknown-block annotations']);
    expect(check('service s {\n  page { labels { a = "b" } }\n}\n')).toEqual(['check/unknown-block page']);
  });
});

describe('found by fuzzing', () => {
  it('an alert_name is a name (it is written unquoted into rule files, routes and templates)', () => {
    const text = 'service s {\n  sli r = ratio {\n    good  = a_total\n    total = b_total\n  }\n\n  slo o {\n    sli        = r\n    objective  = 99%\n    window     = 30d\n    alert_name = "a: b"\n  }\n}\n';
    expect(check(text)).toEqual(['check/invalid-value "a: b"']);
  });

  it('a byte order mark at the start of a file is whitespace, as editors write it', () => {
    expect(check('\uFEFFservice s {\n  title = "S"\n}\n')).toEqual([]);
  });
});
