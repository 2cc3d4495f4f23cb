// The invariants of ARCHITECTURE.md that a machine can check: the core is pure, and the layers
// import only what they may. Each rule names its reason; a failure names the file and the import.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..');
const FORBIDDEN_IMPORTS = /^(vscode|vscode-languageserver.*|vscode-languageclient.*|vscode-jsonrpc|node:.*|fs|path|os|child_process|process|url|tinyglobby|picomatch)$/;

interface Import {
  readonly spec: string;
  /** Repo-relative path of a relative import's target (without extension), else undefined. */
  readonly target?: string;
  readonly typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)(\s+type)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[3] ?? m[4];
    const target = spec.startsWith('.') ? path.posix.join(path.posix.dirname(file), spec).replace(/\.(js|ts|mjs|cjs)$/, '') : undefined;
    out.push({ spec, target, typeOnly: !!m[2] });
  }
  return out;
}

const files = globSync(['grammar/src/**/*.ts', 'server/src/**/*.ts', 'client/src/**/*.ts'], { cwd: root }).sort();
const under = (prefix: string) => files.filter((f) => f.startsWith(prefix));

describe('the core is pure', () => {
  const core = [...under('grammar/src/'), ...under('server/src/core/')];
  it('has files to check', () => expect(core.length).toBeGreaterThan(10));
  for (const f of core) {
    it(f, () => {
      const imports = importsOf(f);
      expect(imports.filter((i) => FORBIDDEN_IMPORTS.test(i.spec)).map((i) => i.spec)).toEqual([]);
      expect(imports.filter((i) => i.target && /^server\/src\/(cli|lsp|node)\//.test(i.target)).map((i) => i.spec)).toEqual([]);
      const code = readFileSync(path.join(root, f), 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      expect(code).not.toMatch(/\b(console|process|require)\s*[.(]/);
    });
  }
});

/** Files whose relative imports break a rule: `file → import`. */
function violations(from: readonly string[], allowed: (target: string, file: string) => boolean): string[] {
  return from.flatMap((f) => importsOf(f).filter((i) => i.target && !allowed(i.target, f)).map((i) => `${f} → ${i.spec}`));
}

describe('layers', () => {
  it('the CLI, the language server and the host side reach the core only through its façade (server/src/core/index.ts)', () => {
    const front = [...under('server/src/cli/'), ...under('server/src/lsp/'), ...under('server/src/node/')];
    expect(front.length).toBeGreaterThan(5);
    expect(violations(front, (t) => !t.startsWith('server/src/core/') || t === 'server/src/core/index')).toEqual([]);
  });

  it('the stages after the model (evaluate, generate, import, diff, report) use only the model, the budget math, each other as drawn, and the grammar', () => {
    const may: Record<string, readonly string[]> = {
      evaluate: ['model', 'budget', 'evaluate'],
      generate: ['model', 'budget', 'generate'],
      import: ['model', 'budget', 'import', 'format'],
      report: ['model', 'budget', 'evaluate', 'report'],
      diff: ['model', 'budget', 'generate', 'evaluate', 'diff'],
    };
    for (const [stage, allowed] of Object.entries(may)) {
      const own = under(`server/src/core/${stage}/`);
      const bad = violations(own, (t) => !t.startsWith('server/src/core/') || allowed.some((a) => t.startsWith(`server/src/core/${a}/`)));
      expect(bad, stage).toEqual([]);
    }
  });

  it('the model and the budget math know nothing of checking, editing or the workspace', () => {
    // The normalizer reads the project's configuration (its name and labels): that type only.
    const bad = violations([...under('server/src/core/model/'), ...under('server/src/core/budget/')], (t) => !/^server\/src\/core\/(validation|ide|workspace|diagnostics)\//.test(t) || t === 'server/src/core/workspace/config');
    expect(bad).toEqual([]);
  });

  it('only the workspace runs the checks (server/src/core/validation)', () => {
    const others = files.filter((f) => !f.startsWith('server/src/core/validation/') && !f.startsWith('server/src/core/workspace/'));
    expect(violations(others, (t) => !t.startsWith('server/src/core/validation/'))).toEqual([]);
  });

  it('editor features do not depend on the language server, and LSP handlers do not import the server module (no cycle)', () => {
    expect(violations(under('server/src/core/ide/'), (t) => !t.startsWith('server/src/lsp/'))).toEqual([]);
    expect(violations(under('server/src/lsp/handlers/'), (t) => t !== 'server/src/lsp/server')).toEqual([]);
  });

  it('the VS Code client does not import the server or the core (it talks LSP)', () => {
    expect(violations(under('client/src/'), (t) => !t.startsWith('server/src/') && !t.startsWith('grammar/src/'))).toEqual([]);
  });
});
