// The samples: samples/ is a realistic project that checks clean; samples/broken/ holds one file per
// diagnostic code, each annotated inline with every diagnostic it must produce (see
// test/helpers/annotations.ts); samples/broken-config/<name>/ holds one project per `config/<name>`
// code, annotated in its pace.yaml. All of samples/broken/ is checked together, as one project.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, LineIndex, Workspace, type Diagnostic } from '../server/src/core/index.js';
import { loadWorkspace, readProject, toPath, toUri } from '../server/src/node/project.js';
import { annotationKey, compareAnnotations, diffAnnotations, formatDiff, parseAnnotations, toAnnotation, type Annotation } from './helpers/annotations.js';

const root = path.join(__dirname, '..');
const samples = path.join(root, 'samples');
const brokenDir = path.join(samples, 'broken');
const brokenConfigDir = path.join(samples, 'broken-config');

const display = (uri: string) => path.relative(root, toPath(uri)).split(path.sep).join('/');

/** Codes that need a sample: every code but the internal ones. */
const PUBLIC_CODES = Object.entries(CODES)
  .filter(([, info]) => !('internal' in info && info.internal))
  .map(([code]) => code);

/** `check/wrong-type` → `check-wrong-type.pace`. */
export const sampleFileName = (code: string) => `${code.replace('/', '-')}.pace`;

function analyzeProject(dir: string) {
  const project = readProject(dir);
  const analysis = loadWorkspace(project).analyze();
  return { project, analysis };
}

/** Expected annotations and actual diagnostics of a project, as sorted keys plus a readable diff. */
function compare(expected: Annotation[], actual: readonly Diagnostic[], texts: Map<string, string>) {
  const lineIndexes = new Map<string, LineIndex>();
  const lineIndexOf = (uri: string) => {
    let li = lineIndexes.get(uri);
    if (!li) lineIndexes.set(uri, (li = new LineIndex(texts.get(uri) ?? '')));
    return li;
  };
  const expectedKeys = [...expected].sort(compareAnnotations).map((a) => annotationKey(a, display));
  const actualKeys = actual.map((d) => toAnnotation(d, lineIndexOf(d.uri))).sort(compareAnnotations).map((a) => annotationKey(a, display));
  const report = formatDiff(diffAnnotations(expected, actual, lineIndexOf), (uri) => texts.get(uri) ?? '', display);
  return { expectedKeys, actualKeys, report };
}

describe('samples/', () => {
  it('checks clean: no diagnostic at all, not even a warning', () => {
    const { project, analysis } = analyzeProject(samples);
    expect(project.configPath, 'samples/pace.yaml').toBeDefined();
    expect(project.files.length).toBeGreaterThanOrEqual(5);
    expect(project.files.some((f) => f.includes(`${path.sep}broken`)), 'broken samples are excluded').toBe(false);
    const shown = analysis.diagnostics.map((d) => `${display(d.uri)}:${analysis.files.get(d.uri)?.lineIndex.position(d.range.start).line ?? 0} ${d.severity} ${d.code}: ${d.message}`);
    expect(shown).toEqual([]);
  });

  it('holds every kind of definition the language offers', () => {
    const text = readProject(samples).files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    for (const needle of ['= ratio {', 'bad   =', '= latency {', '= timeslice {', '= promql {', '[$window]', 'soft_depends_on', 'calendar month', 'calendar quarter', 'calendar week', 'in "Europe/Paris"', '= 28d', '= 30d', 'alerting  = default', 'alerting  = none', 'credit ', '///', 'labels', 'kpi ', 'target  <= 4h']) {
      expect(text, needle).toContain(needle);
    }
  });
});

describe('samples/broken/', () => {
  const { project, analysis } = analyzeProject(brokenDir);
  const texts = new Map([...analysis.files].map(([uri, f]) => [uri, f.text]));

  it('is a project of its own: no pace.yaml', () => {
    expect(project.configPath).toBeUndefined();
    expect(project.files.length).toBeGreaterThan(0);
  });

  it('produces exactly the annotated diagnostics', () => {
    const expected = [...texts].flatMap(([uri, text]) => parseAnnotations(uri, text));
    const { expectedKeys, actualKeys, report } = compare(expected, analysis.diagnostics, texts);
    expect(actualKeys, `diagnostics differ from the annotations:\n${report}\n`).toEqual(expectedKeys);
  });

  it('has one file per diagnostic code, named after it, that produces its code', () => {
    const missing: string[] = [];
    for (const code of PUBLIC_CODES) {
      if (code.startsWith('config/')) continue;
      const file = path.join(brokenDir, sampleFileName(code));
      if (!fs.existsSync(file)) {
        missing.push(`${code}: no samples/broken/${sampleFileName(code)}`);
        continue;
      }
      if (!analysis.diagnosticsFor(toUri(file)).some((d) => d.code === code)) missing.push(`${code}: samples/broken/${sampleFileName(code)} does not produce it`);
    }
    expect(missing).toEqual([]);
  });

  it('has no file that is not named after a code, and each starts with a comment saying what is wrong', () => {
    const names = new Set(PUBLIC_CODES.map(sampleFileName));
    for (const f of fs.readdirSync(brokenDir)) {
      expect(names.has(f), `samples/broken/${f} is not named after a diagnostic code`).toBe(true);
      expect(fs.readFileSync(path.join(brokenDir, f), 'utf8')).toMatch(/^\/\/ \S/);
    }
  });
});

describe('samples/broken-config/', () => {
  const cases = fs.readdirSync(brokenConfigDir).sort();

  it('has one project per config code', () => {
    const wanted = PUBLIC_CODES.filter((c) => c.startsWith('config/')).map((c) => c.slice('config/'.length)).sort();
    expect(cases).toEqual(wanted);
  });

  for (const name of cases) {
    it(`${name}: pace.yaml yields config/${name}, located as annotated, and nothing else`, () => {
      const dir = path.join(brokenConfigDir, name);
      const { project, analysis } = analyzeProject(dir);
      expect(project.configPath).toBe(path.join(dir, 'pace.yaml'));
      expect(project.files.length, 'a tiny .pace file beside pace.yaml').toBeGreaterThan(0);
      const configUri = toUri(project.configPath!);
      const yamlText = fs.readFileSync(project.configPath!, 'utf8');
      const codes = new Set(analysis.diagnostics.map((d) => d.code));
      expect([...codes]).toEqual([`config/${name}`]);
      for (const d of analysis.diagnostics) {
        expect(d.uri).toBe(configUri);
        expect(d.range.start).toBeGreaterThanOrEqual(0);
        expect(d.range.end).toBeLessThanOrEqual(yamlText.length);
      }
      const texts = new Map([[configUri, yamlText], ...[...analysis.files].map(([uri, f]) => [uri, f.text] as [string, string])]);
      const expected = parseAnnotations(configUri, yamlText, '#');
      const { expectedKeys, actualKeys, report } = compare(expected, analysis.diagnostics, texts);
      expect(actualKeys, `diagnostics differ from the annotations:\n${report}\n`).toEqual(expectedKeys);
    });
  }
});

describe('the sketch', () => {
  /** The complete example of the design sketch (kept in the test data: tests are hermetic). */
  const sketch: string | undefined = fs.readFileSync(path.join(root, 'test/grammar/data/ok/0001-sketch-example.pace'), 'utf8');

  /** The two services the example depends on, with objectives that allow checkout's 99.9%. */
  const DEPENDENCIES = `service payments_api {
  title = "Payments API"

  sli availability = ratio {
    good  = http_requests_total{job="payments-api", code!~"5.."}
    total = http_requests_total{job="payments-api"}
  }

  slo availability {
    sli       = availability
    objective = 99.95%
    window    = 30d
  }
}

service inventory {
  title = "Inventory"

  sli availability = ratio {
    bad   = http_requests_total{job="inventory", code=~"5.."}
    total = http_requests_total{job="inventory"}
  }

  slo availability {
    sli       = availability
    objective = 99.95%
    window    = 30d
  }
}
`;

  it('has a complete example', () => {
    expect(sketch).toBeDefined();
    expect(sketch).toContain('service checkout');
  });

  it('its complete example checks clean with the services it depends on', () => {
    const ws = new Workspace();
    ws.setFile('file:///sketch/checkout.pace', sketch!);
    ws.setFile('file:///sketch/dependencies.pace', DEPENDENCIES);
    expect(ws.analyze().diagnostics.map((d) => `${d.uri} ${d.code}: ${d.message}`)).toEqual([]);
  });

  it('its complete example is part of samples/, block for block', () => {
    const text = readProject(samples).files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const blocks = sketch!.split(/\n\n(?=\S)/).map((b) => b.trim()).filter((b) => /^(\/\/\/.*\n)*(service|alerting|objective) /.test(b));
    expect(blocks.length).toBe(3);
    for (const b of blocks) expect(text, b.split('\n')[0]).toContain(b);
  });
});

describe('the annotation harness', () => {
  const uri = 'file:///t.pace';

  it('reads carets literally, several annotations per line, and skips annotation lines to find the code line', () => {
    const text = ['service x {', '  tier = urgent', '//       ^^^^^^ error check/invalid-value', '  //     ^ warning some/code', '}'].join('\n');
    expect(parseAnnotations(uri, text)).toEqual([
      { uri, line: 1, startCol: 9, endCol: 15, severity: 'error', code: 'check/invalid-value' },
      { uri, line: 1, startCol: 9, endCol: 10, severity: 'warning', code: 'some/code' },
    ]);
  });

  it('refuses an annotation with no code above it, and ignores comments that are not annotations', () => {
    expect(() => parseAnnotations(uri, '// ^^ error a/b\n')).toThrow(/needs a line of code/);
    expect(parseAnnotations(uri, '// ^^ not an annotation\n// see ^ here error x/y\n')).toEqual([]);
  });

  it('clips a multi-line range to its first line, and shows an empty range as one caret', () => {
    const text = 'abc\n  defgh\nij\n';
    const li = new LineIndex(text);
    const at = (start: number, end: number) => toAnnotation({ uri, range: { start, end }, severity: 'error', code: 'a/b' }, li);
    expect(at(6, 13)).toMatchObject({ line: 1, startCol: 2, endCol: 7 });
    expect(at(6, 6)).toMatchObject({ line: 1, startCol: 2, endCol: 3 });
    expect(at(5, 8)).toMatchObject({ line: 1, startCol: 1, endCol: 4 });
  });

  it('reports what is missing and what is unexpected', () => {
    const text = 'x = 1\n//  ^ error a/b\n';
    const li = new LineIndex(text);
    const diff = diffAnnotations(parseAnnotations(uri, text), [{ uri, range: { start: 0, end: 1 }, severity: 'error', code: 'c/d', message: 'm', source: 'check' } as unknown as Diagnostic], () => li);
    expect(formatDiff(diff, () => text)).toMatch(/missing {4}file:\/\/\/t\.pace:1:4-5 error a\/b[\s\S]*unexpected file:\/\/\/t\.pace:1:0-1 error c\/d: m/);
  });
});
