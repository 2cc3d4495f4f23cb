// Every stage bounded (issue 10): user input cannot make a loop or an allocation explode. Durations
// end where Prometheus's do; the preview's time slices are bounded by the sample data, not by the
// window; dependency graphs of 10,000 services are walked without recursion and in linear time, in
// the checker, the what-if propagation and the CLI's report. Each case is large enough that the old
// code outlasts the test timeout (or overflows the stack): a regression fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace, type Diagnostic } from '../../server/src/core/index.js';
import { MAX_PREVIEW_SLICES, resolveSli, slicesAt, slicesGrid, type Series } from '../../server/src/core/evaluate/index.js';
import { propagateWhatIf } from '../../server/src/core/evaluate/whatif.js';
import type { NormalizedModel, TimesliceSli } from '../../server/src/core/model/model.js';
import { render } from '../../server/src/cli/report.js';
import { prometheusBinaries } from '../helpers/prometheus.js';

const URI = 'file:///b.pace';

function check(text: string): readonly Diagnostic[] {
  const ws = new Workspace();
  ws.setFile(URI, text);
  return ws.analyze().diagnosticsFor(URI);
}

describe('durations end where Prometheus durations end (2^63 ns)', () => {
  const LONGEST = '106751d23h47m16s854ms';
  const TOO_LONG = '106751d23h47m16s855ms';
  const slo = (window: string, rule = 'over 1h and 5m') => `service s {
  sli a = ratio {
    bad   = m{code=~"5.."}
    total = m
  }
  slo a {
    sli       = a
    objective = 99%
    window    = ${window}
    alerting  = p
  }
}

alerting p {
  page when burn_rate > 14.4 ${rule}
}
`;
  const tooLong = (ds: readonly Diagnostic[]) => ds.filter((d) => d.code === 'check/invalid-value' && d.message.includes('longer than any duration Prometheus can hold'));

  it(`${LONGEST} is a window; ${TOO_LONG} and 99999999w are errors, located at the value`, () => {
    expect(tooLong(check(slo(LONGEST)))).toEqual([]);
    for (const w of [TOO_LONG, '99999999w']) {
      const text = slo(w);
      const found = tooLong(check(text));
      expect(found.map((d) => d.range)).toEqual([{ start: text.indexOf(w), end: text.indexOf(w) + w.length }]);
    }
  });

  it("alert windows and 'for' are bounded the same way", () => {
    const text = slo('30d', `over 99999999w and 5m for ${TOO_LONG}`);
    expect(tooLong(check(text)).map((d) => text.slice(d.range.start, d.range.end))).toEqual(['99999999w', TOO_LONG]);
  });

  it('promtool 2.42 draws the line at the same place', () => {
    const { promtool } = prometheusBinaries();
    const dir = mkdtempSync(path.join(tmpdir(), 'pace-durations-'));
    try {
      const verdict = (d: string) => {
        writeFileSync(path.join(dir, 'r.yml'), `groups:\n  - name: g\n    rules:\n      - record: x\n        expr: rate(up[${d}])\n`);
        return spawnSync(promtool, ['check', 'rules', 'r.yml'], { cwd: dir, encoding: 'utf8', timeout: 60_000 }).status === 0;
      };
      expect([verdict(LONGEST), verdict(TOO_LONG)]).toEqual([true, false]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('time slices: bounded by the sample data, not by the window', () => {
  const MIN = 60_000;
  const DAY = 86_400_000;
  const T0 = 1_790_000_000_000;
  // Two days of a gauge scraped each minute, bad for one hour.
  const t: number[] = [];
  const v: number[] = [];
  for (let x = T0; x <= T0 + 2 * DAY; x += MIN) {
    t.push(x);
    v.push(x > T0 + DAY && x < T0 + DAY + 3_600_000 ? 10 : 0);
  }
  const gauge: Series = { metric: 'lag', labels: {}, t: Float64Array.from(t), v: Float64Array.from(v) };
  const grid = { start: T0 + DAY, end: T0 + 2 * DAY + 10 * MIN, step: 17 * MIN };

  it('a window of 106,751 days of 1 s slices (9.2 billion: more than an array can hold) counts what a 10-day one counts, and what the reference counts', () => {
    // Every window here reaches back past the data's start: the counts are those of the data.
    const SEC = 1000;
    const huge = slicesGrid([gauge], 106_751 * DAY, SEC, '<', 5, grid);
    const long = slicesGrid([gauge], 10 * DAY, SEC, '<', 5, grid);
    expect([...huge.total]).toEqual([...long.total]);
    expect([...huge.good]).toEqual([...long.good]);
    // The bad hour is in: the slices from its first bad sample to the next good one (59 minutes).
    const last = huge.t.length - 1;
    expect(huge.total[last] - huge.good[last]).toBe(59 * 60);
    // And the reference (one slice at a time) agrees, on minute slices.
    const minutes = slicesGrid([gauge], 106_751 * DAY, MIN, '<', 5, grid);
    for (const k of [0, Math.floor(minutes.t.length / 2), last]) {
      const ref = slicesAt([gauge], minutes.t[k], 10 * DAY, MIN, '<', 5)!;
      expect({ good: minutes.good[k], total: minutes.total[k] }).toEqual(ref);
    }
  });

  it(`the preview declines an SLI whose slices over the data number more than ${MAX_PREVIEW_SLICES.toLocaleString('en-US')}`, () => {
    const sli = (sliceSeconds: number): TimesliceSli => ({ id: 'sli:db.fresh', name: 'fresh', service: 'service:db', kind: 'timeslice', gauge: { text: 'lag', metric: 'lag', matchers: [] }, goodWhen: { op: '<', value: 5 }, sliceSeconds });
    // Two days of 1 s slices: 172,801, evaluated.
    expect(resolveSli(sli(1), [gauge]).resolved?.timeslice?.sliceMs).toBe(1000);
    // Two days of 1 ms slices: 172,800,001, declined with a warning that says so.
    const r = resolveSli(sli(0.001), [gauge]);
    expect(r.resolved).toBeUndefined();
    expect(r.issues).toEqual([{ severity: 'warning', code: 'data/unsupported-sli', message: expect.stringContaining('2d hold 172,800,001 of its 1ms slices, more than the preview evaluates (10,000,000)') }]);
  });
});

describe('dependency graphs of 10,000 services', () => {
  const N = 10_000;
  const services = (cycle: boolean) => Array.from({ length: N }, (_, i) => `service s${i} {\n  depends_on = [s${i + 1 < N ? i + 1 : cycle ? 0 : 'none'}]\n}\n`).join('').replace(`depends_on = [snone]\n`, '');

  it('a chain checks clean and a cycle is one link/dependency-cycle (no recursion: no stack overflow)', () => {
    expect(check(services(false))).toEqual([]);
    const ds = check(services(true));
    expect(ds.map((d) => d.code)).toEqual(['link/dependency-cycle']);
    expect(ds[0].related).toHaveLength(N - 1);
  });

  it("the CLI's text report of that cycle (10,000 related notes) is linear in the notes", () => {
    const text = services(true);
    const ds = check(text);
    const out = render('text', { diagnostics: ds, files: new Map([[URI, { display: 'b.pace', uri: URI, text }]]), fileCount: 1, color: false, toolVersion: 'test' });
    expect(out.split('\n').filter((l) => l.includes('note: b.pace:'))).toHaveLength(N - 1);
  });

  it('a what-if at the end of the chain reaches every service, with bounded reasons and full paths', () => {
    const model = { services: Array.from({ length: N }, (_, i) => ({ id: `service:s${i}`, dependsOn: i + 1 < N ? [`service:s${i + 1}`] : [], softDependsOn: [] })) } as unknown as Pick<NormalizedModel, 'services'>;
    const p = propagateWhatIf(model, `service:s${N - 1}`);
    expect(p.affected).toHaveLength(N);
    const first = p.affected.find((a) => a.service === 'service:s0')!;
    expect(first.reason).toBe('depends_on s1 → s2 → s3 → s4 → s5 → s6 → s7 → … (9,991 more) → s9999');
    expect(first.path).toHaveLength(N);
    expect(first.path[0]).toBe(`service:s${N - 1}`);
    const near = p.affected.find((a) => a.service === `service:s${N - 3}`)!;
    expect(near).toEqual({ service: `service:s${N - 3}`, via: `service:s${N - 2}`, path: [`service:s${N - 1}`, `service:s${N - 2}`, `service:s${N - 3}`], reason: `depends_on s${N - 2} → s${N - 1}` });
  });
});

