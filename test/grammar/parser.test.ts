// Data-driven parser goldens (rust-analyzer's test_data/parser/{ok,err}): each .pace file has an
// .ast.txt dump beside it. `npx vitest run -u` rewrites them; review the diff.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, validateGrammar } from '../../grammar/src/parser.js';
import { dumpAst } from '../helpers/ast-dump.js';

const dir = path.join(__dirname, 'data');

function golden(file: string): string {
  const text = readFileSync(file, 'utf8');
  const r = parse(text);
  const issues = r.issues.map((i) => `issue ${i.code} @${i.range.start}..${i.range.end}: ${i.message}`).join('\n');
  return `${dumpAst(r.ast)}${issues ? `---\n${issues}\n` : ''}`;
}

describe('grammar', () => {
  // parse() builds its parser without Chevrotain's validations (they cost its start); they run here.
  it("passes Chevrotain's grammar validations", () => {
    expect(() => validateGrammar()).not.toThrow();
  });
});

describe('parser goldens: ok', () => {
  for (const f of readdirSync(path.join(dir, 'ok')).filter((f) => f.endsWith('.pace'))) {
    it(f, async () => {
      const file = path.join(dir, 'ok', f);
      expect(parse(readFileSync(file, 'utf8')).issues).toEqual([]);
      await expect(golden(file)).toMatchFileSnapshot(file.replace(/\.pace$/, '.ast.txt'));
    });
  }
});

describe('parser goldens: err', () => {
  for (const f of readdirSync(path.join(dir, 'err')).filter((f) => f.endsWith('.pace'))) {
    it(f, async () => {
      const file = path.join(dir, 'err', f);
      const r = parse(readFileSync(file, 'utf8'));
      expect(r.issues.length).toBeGreaterThan(0);
      await expect(golden(file)).toMatchFileSnapshot(file.replace(/\.pace$/, '.ast.txt'));
    });
  }
});
