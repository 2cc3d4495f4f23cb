// Regressions of checker and linker bugs found while writing samples/broken/.
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/core/index.js';

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

  it('reports an SLA measured over a shorter window than its SLO', () => {
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
    objective = 99.5%
    window    = calendar week
  }

  sla monthly {
    slo       = ok
    objective = 99.5%
    window    = calendar month
  }
}
`;
    expect(check(text)).toEqual(['check/sla-not-looser calendar week']);
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
