import { describe, expect, it } from 'vitest';
import { documentSymbols, foldingRanges, fuzzyScore, selectionRanges, workspaceSymbols } from '../../../server/src/core/ide/index.js';
import { analyzeFixture } from '../../helpers/fixture.js';

const SRC = `// A comment run
// of two lines.
service checkout {
  title = "Checkout"
  sli availability = ratio {
    good  = g
    total = t
  }
  slo avail {
    sli       = availability
    objective = 99.9%
    window    = 30d
  }
  sla contract {
    slo       = avail
    objective = 99.5%
    window    = calendar month
  }
}

alerting standard {
  page when burn_rate > 14.4 over 1h and 5m
}

objective growth {
  kpi conversion {
    measure = ratio(a_total, b_total)
    target >= 3.5%
    window = 28d
  }
}
`;

describe('outline', () => {
  it('nests SLIs, SLOs and SLAs under services and KPIs under objectives', () => {
    const { analysis, uri } = analyzeFixture(SRC);
    const s = documentSymbols(analysis, uri);
    expect(s.map((x) => [x.name, x.kind, x.children.map((c) => `${c.kind}:${c.name}`)])).toEqual([
      ['checkout', 'service', ['sli:availability', 'slo:avail', 'sla:contract']],
      ['standard', 'alerting', []],
      ['growth', 'objective', ['kpi:conversion']],
    ]);
    expect(s[0].detail).toBe('Checkout');
    expect(s[0].children[0].detail).toBe('ratio SLI');
    expect(s[0].children[1].detail).toBe('99.9% over 30d');
    expect(s[1].detail).toBe('1 rule');
  });

  it('finds workspace symbols fuzzily', () => {
    const { analysis } = analyzeFixture(SRC);
    expect(workspaceSymbols([analysis], 'avail').map((s) => s.name)).toEqual(['avail', 'availability']);
    expect(workspaceSymbols([analysis], 'chk').map((s) => s.name)).toEqual(['checkout']);
    expect(workspaceSymbols([analysis], 'cnv')[0].name).toBe('conversion');
    expect(workspaceSymbols([analysis], 'zzz')).toEqual([]);
    expect(workspaceSymbols([analysis], 'checkout.av').map((s) => s.name)).toEqual(['avail', 'availability']);
    expect(fuzzyScore('ab', 'a_b')).toBeGreaterThan(fuzzyScore('ab', 'axxxxb'));
  });

  it('folds blocks spanning lines and comment runs', () => {
    const { analysis, uri, text } = analyzeFixture(SRC);
    const f = foldingRanges(analysis, uri);
    const lineOf = (o: number) => text.slice(0, o).split('\n').length - 1;
    expect(f.map((r) => [r.kind, lineOf(r.start), lineOf(r.end)])).toEqual([
      ['comment', 0, 1],
      ['region', 2, 18],
      ['region', 4, 7],
      ['region', 8, 12],
      ['region', 13, 17],
      ['region', 20, 22],
      ['region', 24, 30],
      ['region', 25, 29],
    ]);
  });

  it('selects outwards from a name', () => {
    const { analysis, uri, offset, text } = analyzeFixture(SRC.replace('objective = 99.9%', 'objective = 99.<|>9%'));
    const chain = selectionRanges(analysis, uri, offset).map((r) => text.slice(r.start, r.end));
    expect(chain[0]).toBe('99.9%');
    expect(chain[1]).toBe('objective = 99.9%');
    expect(chain[chain.length - 1]).toBe(text);
    expect(chain.some((c) => c.startsWith('slo avail {'))).toBe(true);
    expect(chain.some((c) => c.startsWith('service checkout {'))).toBe(true);
  });
});
