// A short seeded fuzzing run for CI (issue 10), the harness's own checks, and the regression cases
// of what fuzzing found. The long runs are `npm run fuzz -- --iterations N` (docs/robustness.md).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { format } from '../../server/src/core/format/format.js';
import { BLOCKS } from '../../server/src/core/language/blocks.js';
import { printModel, Workspace } from '../../server/src/core/index.js';
import { failureKey, generatePace, inputFor, KNOWN_BUGS, knownBug, minimize, mutate, Rng, runOne, type Stages } from './harness.js';

const root = path.join(__dirname, '../..');
const samples = [
  ...readdirSync(path.join(root, 'samples')).filter((f) => f.endsWith('.pace')).map((f) => path.join(root, 'samples', f)),
  ...readdirSync(path.join(root, 'samples/broken')).filter((f) => f.endsWith('.pace')).map((f) => path.join(root, 'samples/broken', f)),
].map((f) => readFileSync(f, 'utf8'));

function diagnosticsOf(text: string) {
  const ws = new Workspace();
  ws.setFile('file:///t.pace', text);
  return ws.analyze().diagnostics;
}

describe('fuzzing: a short seeded run', () => {
  it('every sample, as it is, passes every property', () => {
    expect(samples.length).toBeGreaterThan(20);
    for (const s of samples) expect(runOne(s).failures).toEqual([]);
  });

  it('250 seeded inputs (generated and mutated) pass every property, and many reach generate and print', () => {
    const seed = 20261202;
    let clean = 0;
    const failures: string[] = [];
    const known = new Set<string>();
    for (let i = 0; i < 250; i++) {
      const input = inputFor(seed, i, samples);
      const r = runOne(input);
      if (r.clean) clean++;
      for (const f of r.failures) {
        const bug = knownBug(input, f);
        if (bug) known.add(bug);
        else failures.push(`iteration ${i} (seed ${seed}): ${failureKey(f)}\n${f.message}\n--- input ---\n${input}`);
      }
    }
    expect(failures).toEqual([]);
    // Only the known bugs (KNOWN_BUGS, none open today).
    expect([...known].filter((k) => !KNOWN_BUGS.some((b) => b.name === k))).toEqual([]);
    // A third of the inputs come from the generator's valid mode: they must reach normalize and generate.
    expect(clean).toBeGreaterThan(60);
  }, 60_000);
});

describe('fuzzing: the generator follows the block table', () => {
  const files = Array.from({ length: 60 }, (_, i) => generatePace(new Rng(i), true));

  it('is deterministic: a seed gives the same input', () => {
    expect(generatePace(new Rng(42))).toBe(generatePace(new Rng(42)));
    expect(inputFor(7, 3, samples)).toBe(inputFor(7, 3, samples));
    expect(mutate(new Rng(5), samples[0])).toBe(mutate(new Rng(5), samples[0]));
    expect(inputFor(7, 3, samples)).not.toBe(inputFor(7, 4, samples));
  });

  it('in valid mode, almost every file checks without errors', () => {
    const withErrors = files.filter((t) => diagnosticsOf(t).some((d) => d.severity === 'error'));
    expect(withErrors.length, withErrors[0]).toBeLessThan(files.length / 10);
  });

  it('writes every block kind of the table, every SLI kind, single-window rules and error_ratio SLIs', () => {
    const all = files.join('\n');
    for (const spec of Object.values(BLOCKS)) {
      const head = spec.id.startsWith('sli:') ? new RegExp(`\\bsli \\w+ = ${spec.id.slice(4)} \\{`) : new RegExp(`(^|\\s)${spec.keyword}\\b[^\\n]*\\{`, 'm');
      expect(all, spec.id).toMatch(head);
    }
    expect(all).toMatch(/when burn_rate > [\d.]+ over \w+( for \w+)?$/m); // a single-window rule
    expect(all).toMatch(/over \w+ and \w+/); // a multiwindow one
    expect(all).toMatch(/error_ratio = `/);
    expect(all).toMatch(/credit \d+% below/);
    expect(all).toMatch(/supported_by = \[\w+\.\w+/);
  });

  it('without valid mode, it exercises the checker with many different diagnostics', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 60; i++) for (const d of diagnosticsOf(generatePace(new Rng(i), false))) codes.add(d.code);
    expect(codes.size).toBeGreaterThan(12);
  });
});

describe('fuzzing: the properties catch broken stages', () => {
  const valid = generatePace(new Rng(3), true);
  const real: Stages = { format, printModel };

  it('a format that is not idempotent', () => {
    const stages: Stages = { ...real, format: (t) => ({ text: t + ' ', changed: true }) };
    expect(runOne(valid, stages).failures.map((f) => f.property)).toContain('format-idempotent');
  });

  it('a format that changes the meaning', () => {
    const stages: Stages = { ...real, format: (t) => ({ text: t.replace(/objective = [\d.]+%/, 'objective = 12.5%'), changed: true }) };
    expect(valid).toMatch(/objective = [\d.]+%/);
    const props = runOne(valid, stages).failures.map((f) => f.property);
    expect(props).toContain('format-keeps-meaning');
  });

  it('a printer whose text reads back as another model, and a stage that throws', () => {
    const other: Stages = { ...real, printModel: (m) => printModel(m).replace(/objective = [\d.]+%/, 'objective = 12.5%') };
    expect(runOne(valid, other).failures.map((f) => f.property)).toEqual(['print-round-trip']);
    const throwing: Stages = { ...real, printModel: () => { throw new TypeError('boom'); } };
    const [f] = runOne(valid, throwing).failures;
    expect(f.property).toBe('throws');
    expect(f.stage).toBe('printModel');
    expect(f.message).toContain('TypeError: boom');
  });

  it('minimize shrinks an input to what still fails the same way', () => {
    const stages: Stages = { ...real, format: (t) => { if (t.includes('burn_rate')) throw new Error('burn'); return format(t); } };
    const input = samples.find((s) => s.includes('burn_rate') && s.length > 500)!;
    const key = failureKey(runOne(input, stages).failures[0]);
    const small = minimize(input, key, 10_000, stages);
    expect(small.length).toBeLessThan(20);
    expect(small).toContain('burn_rate');
  }, 30_000);
});

describe('fuzzing: regression cases', () => {
  // Found by the fuzzer: the PromQL of an `error_ratio` was never parsed, so `error_ratio = \`((((\``
  // checked clean and was generated as is into rules that Prometheus rejects.
  it('an invalid error_ratio PromQL is a check/promql-syntax error', () => {
    const text = 'service a {\n  sli x = promql {\n    error_ratio = `sum(rate(errors_total[$window])) / ((`\n  }\n}\n';
    const ds = diagnosticsOf(text);
    expect(ds.map((d) => d.code)).toEqual(['check/promql-syntax']);
    expect(text.slice(ds[0].range.start, ds[0].range.end).length).toBeGreaterThan(0);
    expect(runOne(text).failures).toEqual([]);
  });

  // Found by the fuzzer (output-valid), fixed in f4d9be9: `alert_name = "}"` went unquoted into the
  // rule YAML and the promtool tests; it is now a check/invalid-value error. An owner with a newline
  // (or a tab) broke the comment of alertmanager.yml.
  const slo = (extra: string) => `  sli a = ratio {\n    good  = h_total{code="ok"}\n    total = h_total\n  }\n  slo a {\n    sli       = a\n    objective = 99.9%\n    window    = 30d\n${extra}  }\n`;
  for (const name of ['}', '- x', 'a: b']) {
    it(`alert_name = ${JSON.stringify(name)} is an error, not invalid rule YAML`, () => {
      const text = `service t {\n${slo(`    alert_name = ${JSON.stringify(name)}\n`)}}\n`;
      expect(diagnosticsOf(text).map((d) => d.code)).toEqual(['check/invalid-value']);
      expect(runOne(text).failures).toEqual([]);
    });
  }
  it('a valid alert_name reaches the rules, and the output is valid', () => {
    const r = runOne(`service t {\n${slo('    alert_name = "CheckoutHighErrorRate"\n')}}\n`);
    expect(r).toEqual({ failures: [], clean: true });
  });
  for (const owner of ['a\\nb', 'a\\tb', 'a\\r\\nb']) {
    it(`an owner ${JSON.stringify(owner)} keeps alertmanager.yml valid YAML`, () => {
      expect(runOne(`service t {\n  owner = "${owner}"\n${slo('')}}\n`)).toEqual({ failures: [], clean: true });
    });
  }
  // Found while probing edge inputs, fixed in f4d9be9: a byte order mark was a lex error in check.
  it('a file that starts with a byte order mark checks clean', () => {
    const text = `\uFEFFservice t {\n${slo('')}}\n`;
    expect(diagnosticsOf(text)).toEqual([]);
    expect(runOne(text)).toEqual({ failures: [], clean: true });
  });

  it('edge inputs: empty, BOM, CRLF, NUL, lone surrogate, deep nesting, many closers, a 1 MB string', () => {
    const inputs = [
      '',
      '\uFEFF',
      'service a {\r\n  title = "x"\r\n}\r\n',
      'service a {\u0000}',
      'service a { title = "\uD800" }',
      'service a ' + '{'.repeat(1000),
      'service a {\n' + 'labels {\n'.repeat(2000) + '}\n'.repeat(2001),
      '}'.repeat(5000),
      '/* ' + 'service a {} '.repeat(1000),
      'service a { title = "' + 'x'.repeat(1_000_000) + '" }',
    ];
    for (const t of inputs) expect(runOne(t).failures, JSON.stringify(t.slice(0, 40))).toEqual([]);
  }, 30_000);
});
