// Edit → diagnostics latency on one file of ≈10,000 lines (170 services in the shape of
// ../shared/recipes/peer-bench/gen-pace-project.mjs), as the peer benchmark measures it: alternate an
// edit that misspells a key (which must yield a diagnostic) and its undo, as incremental changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient, pos } from '../helpers/lsp-harness.js';

function bigFile(services: number): string {
  const out = [`alerting standard {
  page   when burn_rate > 14.4 over 1h and 5m
  page   when burn_rate > 6    over 6h and 30m
  ticket when burn_rate > 3    over 1d and 2h
  ticket when burn_rate > 1    over 3d and 6h
}
`];
  const svc = (i: number) => `svc_${String(i).padStart(4, '0')}`;
  for (let i = 0; i < services; i++) {
    const s = svc(i);
    const dep = i > 0 && i % 10 === 0 ? `\n  depends_on = [${svc(0)}]` : '';
    out.push(`/// Service number ${i}.
service ${s} {
  title      = "Service ${i}"
  owner      = "team-${i % 37}"
  tier       = ${['critical', 'high', 'medium', 'low'][i % 4]}${dep}
  labels     { team = "team-${i % 37}", env = "prod" }

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

  slo availability {
    sli       = requests
    objective = ${i === 0 ? '99.99' : '99.9'}%
    window    = 30d
    alerting  = standard
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
  }

  slo fast_week {
    sli       = fast
    objective = 95%
    window    = 7d
  }

  slo availability_quarter {
    sli       = requests
    objective = 99%
    window    = calendar quarter
  }

  sla contract {
    slo       = availability
    objective = 99.5%
    window    = calendar month
    credit 10% below 99.5%
    credit 25% below 99%
  }
}
`);
  }
  return out.join('\n');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe('edit → diagnostics latency', () => {
  let c: LspClient;
  const text = bigFile(170);
  beforeAll(async () => {
    c = await LspClient.start({ fixture: '//- pace.yaml\nversion: 1\n' });
    await c.open('big.pace', text);
    await c.waitForDiagnostics('big.pace');
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('on a 10,000-line file', { timeout: 120_000 }, async () => {
    expect(text.split('\n').length).toBeGreaterThan(10_000);
    const owners: number[] = [];
    for (let i = text.indexOf('  owner '); i >= 0; i = text.indexOf('  owner ', i + 1)) owners.push(i + 2);
    const times: number[] = [];
    const EDITS = 60;
    for (let n = 0; n < EDITS; n++) {
      const at = owners[(Math.floor(n / 2) * 37) % owners.length];
      const start = pos(text, at);
      const misspell = n % 2 === 0;
      // Misspell `owner` as `ownr` (check/unknown-attribute), then put it back.
      const change = misspell ? { range: { start: { line: start.line, character: start.character + 3 }, end: { line: start.line, character: start.character + 4 } }, text: '' } : { range: { start: { line: start.line, character: start.character + 3 }, end: { line: start.line, character: start.character + 3 } }, text: 'e' };
      const mark = c.mark();
      const t0 = performance.now();
      await c.change('big.pace', [change]);
      await c.waitForDiagnostics('big.pace', { after: mark, until: (d) => d.length === (misspell ? 1 : 0), timeout: 20_000 });
      times.push(performance.now() - t0);
    }
    const warm = times.slice(4).sort((a, b) => a - b);
    const p50 = percentile(warm, 50);
    const p99 = percentile(warm, 99);
    const server = c.logs.filter((l) => l.startsWith('Pace timing')).map((l) => Number(/analysis ([0-9.]+)/.exec(l)![1]) + Number(/publish ([0-9.]+)/.exec(l)![1])).slice(5).sort((a, b) => a - b);
    if (server.length) console.log(`server-side analysis + publish: p50 ${percentile(server, 50).toFixed(1)} ms, p99 ${percentile(server, 99).toFixed(1)} ms`);
    console.log(`edit → diagnostics on ${text.split('\n').length} lines: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${warm[warm.length - 1].toFixed(1)} ms (${warm.length} edits)`);
    // The target is p50 ≤ 20 ms on a quiet machine; the bound here leaves room for a loaded CI box.
    expect(p50).toBeLessThan(150);
  });
});
