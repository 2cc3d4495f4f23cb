// The docs: every example is checked, and the generated parts are up to date.
//
// Convention for fenced code in docs/*.md:
// - ```pace         a complete file. It must parse without any issue and check clean ALONE: no
//                   prelude, no other block of the doc; so each example declares what it uses.
// - ```pace broken  a broken sample copied from samples/broken/ into docs/diagnostics.md, with its
//                   annotations; checked by test/samples.test.ts, and here only for being current.
// - ```yaml         in docs/language.md, a pace.yaml: it must be valid against the schema.
// Any other info string that starts with `pace` is an error, so that no example escapes the checks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseConfig, Workspace } from '../server/src/core/index.js';
import schema from '../schemas/pace-config.schema.json';
import { blocksSection, brokenSamples, currentGenerated, diagnosticsDoc, documentedCodes } from '../scripts/docs.js';

const root = path.join(__dirname, '..');
const docsDir = path.join(root, 'docs');
const STALE = 'is stale: run `npm run docs:gen` and commit the result';

interface Fence {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly info: string;
  readonly text: string;
}

function fences(file: string): Fence[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`${path.relative(root, file)}:${start + 1}: code fence never closed`);
    out.push({ file: path.relative(root, file), line: start + 1, info: open[1].trim(), text: body.join('\n') + '\n' });
  }
  return out;
}

const docs = fs.readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort();
const allFences = docs.flatMap((f) => fences(path.join(docsDir, f)));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) out.add(m[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  for (const m of text.matchAll(/<a id="([^"]+)"><\/a>/g)) out.add(m[1]);
  return out;
}

describe('examples in docs/*.md', () => {
  it('exist, and use only the known kinds of fences', () => {
    expect(allFences.filter((f) => f.info === 'pace').length).toBeGreaterThan(10);
    const unknown = allFences.filter((f) => f.info.startsWith('pace') && f.info !== 'pace' && f.info !== 'pace broken');
    expect(unknown.map((f) => `${f.file}:${f.line} \`\`\`${f.info}`)).toEqual([]);
  });

  for (const f of allFences.filter((x) => x.info === 'pace')) {
    it(`${f.file}:${f.line} parses and checks clean on its own`, () => {
      expect(parse(f.text).issues.map((i) => `${i.code}: ${i.message}`)).toEqual([]);
      const ws = new Workspace();
      ws.setFile('file:///docs/example.pace', f.text);
      const a = ws.analyze();
      const shown = a.diagnostics.map((d) => `line ${f.line + 1 + a.files.get(d.uri)!.lineIndex.position(d.range.start).line}: ${d.severity} ${d.code}: ${d.message}`);
      expect(shown).toEqual([]);
    });
  }

  for (const f of allFences.filter((x) => x.info === 'yaml' && x.file === path.join('docs', 'language.md'))) {
    it(`${f.file}:${f.line} is a valid pace.yaml`, () => {
      expect(parseConfig('file:///docs/pace.yaml', f.text).diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    });
  }
});

describe('docs/language.md', () => {
  const text = fs.readFileSync(path.join(docsDir, 'language.md'), 'utf8');

  it(`has its block reference generated from blocks.ts (else it ${STALE})`, () => {
    const current = currentGenerated(text);
    expect(current, 'the <!-- generated:blocks:start/end --> markers are missing').toBeDefined();
    expect(current === blocksSection(), `docs/language.md's block reference ${STALE}`).toBe(true);
  });

  it('documents every key of pace.yaml', () => {
    const keys = [...Object.keys(schema.properties), ...Object.keys(schema.properties.check.properties).map((k) => `check.${k}`)];
    for (const k of keys) expect(text, `pace.yaml key '${k}'`).toContain(`\`${k}\``);
  });

  it('documents the syntax changes from the sketch', () => {
    for (const needle of ['good_when < 100', 'good_when = < 100', 'Backtick raw strings', 'soft_depends_on', '`labels` on SLOs, alerting policies and objectives', 'Bare metric names']) {
      expect(text).toContain(needle);
    }
  });
});

describe('docs/diagnostics.md', () => {
  const text = fs.readFileSync(path.join(docsDir, 'diagnostics.md'), 'utf8');
  const read = (rel: string) => (fs.existsSync(path.join(root, rel)) ? fs.readFileSync(path.join(root, rel), 'utf8') : undefined);

  it(`is generated from codes.ts and samples/broken*/ (else it ${STALE})`, () => {
    expect(text === diagnosticsDoc(brokenSamples(read)), `docs/diagnostics.md ${STALE}`).toBe(true);
  });

  it('has a section and an example for every code', () => {
    const anchors = anchorsOf(text);
    for (const c of documentedCodes()) {
      expect(anchors.has(c.replace('/', '-')), c).toBe(true);
      expect(brokenSamples(read).has(c), `a broken sample for ${c}`).toBe(true);
    }
  });
});

describe('links in docs/*.md', () => {
  it('point at anchors that exist', () => {
    const anchors = new Map(docs.map((d) => [d, anchorsOf(fs.readFileSync(path.join(docsDir, d), 'utf8'))]));
    const broken: string[] = [];
    for (const d of docs) {
      const text = fs.readFileSync(path.join(docsDir, d), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
      for (const m of text.matchAll(/\]\(([A-Za-z0-9_.-]*\.md)?#([^)\s]+)\)/g)) {
        const target = m[1] ?? d;
        if (!anchors.get(target)?.has(m[2])) broken.push(`${d}: ${m[0]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
