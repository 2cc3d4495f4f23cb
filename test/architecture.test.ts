// Invariant 1 of ARCHITECTURE.md: the core is pure. grammar/ and server/src/core/ import no
// editor, file-system or process APIs, and use no console; only server/src/{cli,lsp,node} and client/ do IO.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..');
const FORBIDDEN_IMPORTS = /^(vscode|vscode-languageserver.*|vscode-languageclient.*|vscode-jsonrpc|node:.*|fs|path|os|child_process|process|url|tinyglobby|picomatch)$/;

describe('the core is pure', () => {
  const files = globSync(['grammar/src/**/*.ts', 'server/src/core/**/*.ts'], { cwd: root });
  it('has files to check', () => expect(files.length).toBeGreaterThan(10));
  for (const f of files) {
    it(f, () => {
      const text = readFileSync(path.join(root, f), 'utf8');
      const imports = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
      expect(imports.filter((i) => FORBIDDEN_IMPORTS.test(i))).toEqual([]);
      expect(imports.filter((i) => i.startsWith('.') && /\/(cli|lsp|node)\//.test(path.join(path.dirname(f), i)))).toEqual([]);
      const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      expect(code).not.toMatch(/\b(console|process|require)\s*[.(]/);
    });
  }
});
