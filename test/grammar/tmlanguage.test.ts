// The TextMate grammar (grammar/syntaxes/pace.tmLanguage.json) against its fixtures and the lexer.
//  (a) vscode-tmgrammar-test runs every fixture in test/grammar/tmlanguage/*.pace: each source line is
//      followed by `// ^^^ scope` assertions (see the README of vscode-tmgrammar-test);
//  (b) the grammar's keyword patterns list exactly the KEYWORDS of grammar/src/tokens.ts;
//  (c) the enumerated values (SLI kinds, tiers, severities, ...) are in the patterns of their scopes.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KEYWORDS } from '../../grammar/src/tokens.js';
import { ALERTING_BUILTINS, CALENDAR_UNITS, MEASURE_FUNCTIONS, SEVERITIES, SLI_KINDS, TIERS } from '../../server/src/core/language/blocks.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const GRAMMAR_REL = 'grammar/syntaxes/pace.tmLanguage.json';
const GRAMMAR_PATH = path.join(ROOT, GRAMMAR_REL);
const FIXTURES_REL = 'test/grammar/tmlanguage';

/** Values the grammar must know, by the scope that colours them. */
export const GRAMMAR_VALUES: readonly { readonly what: string; readonly scope: string; readonly values: readonly string[] }[] = [
  { what: 'SLI kinds', scope: 'support.type.sli-kind.pace', values: SLI_KINDS },
  { what: 'service tiers', scope: 'constant.language.tier.pace', values: TIERS },
  { what: 'alert severities', scope: 'constant.language.severity.pace', values: SEVERITIES },
  { what: 'calendar units and alerting built-ins', scope: 'constant.language.pace', values: [...CALENDAR_UNITS, ...ALERTING_BUILTINS] },
  { what: 'KPI measure functions', scope: 'support.function.pace', values: MEASURE_FUNCTIONS },
  { what: 'alert rule metric', scope: 'support.variable.pace', values: ['burn_rate'] },
];

interface Capture {
  name?: string;
  patterns?: Rule[];
}
interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Capture>;
  beginCaptures?: Record<string, Capture>;
  endCaptures?: Record<string, Capture>;
  repository?: Record<string, Rule>;
}
interface Grammar extends Rule {
  scopeName: string;
  repository: Record<string, Rule>;
}

function loadGrammar(): Grammar {
  return JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8')) as Grammar;
}

/** Words that are whole alternatives of a regex group: `(?:page|ticket)` → page, ticket. */
function alternationWords(regex: string): string[] {
  return regex.match(/(?<=[(|:])[A-Za-z_][A-Za-z0-9_]*(?=[|)])/g) ?? [];
}

/** Every rule that has a regex, with the scopes it gives (its name and its captures' names). */
function rulesWithRegex(root: Rule): { rule: Rule; scopes: string[]; words: string[] }[] {
  const found: { rule: Rule; scopes: string[]; words: string[] }[] = [];
  const visit = (rule: Rule): void => {
    const captureSets = [rule.captures, rule.beginCaptures, rule.endCaptures].filter((c): c is Record<string, Capture> => !!c);
    const regexes = [rule.match, rule.begin, rule.end].filter((r): r is string => typeof r === 'string');
    if (regexes.length) {
      const scopes = [rule.name, ...captureSets.flatMap((c) => Object.values(c).map((x) => x.name))].filter((s): s is string => !!s);
      found.push({ rule, scopes, words: regexes.flatMap(alternationWords) });
    }
    rule.patterns?.forEach(visit);
    for (const c of captureSets) for (const x of Object.values(c)) x.patterns?.forEach(visit);
    if (rule.repository) Object.values(rule.repository).forEach(visit);
  };
  visit(root);
  return found;
}

function tmGrammarTestBin(): string {
  const require = createRequire(path.join(ROOT, 'package.json'));
  const pkgJson = require.resolve('vscode-tmgrammar-test/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['vscode-tmgrammar-test'];
  if (!bin) throw new Error('vscode-tmgrammar-test declares no vscode-tmgrammar-test binary');
  return path.resolve(path.dirname(pkgJson), bin);
}

describe('TextMate grammar', () => {
  it('is the grammar that package.json contributes for source.pace', () => {
    const grammar = loadGrammar();
    expect(grammar.scopeName).toBe('source.pace');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { grammars: { language: string; scopeName: string; path: string }[] };
    };
    const contributed = pkg.contributes.grammars.find((g) => g.scopeName === 'source.pace');
    expect(contributed?.language).toBe('pace');
    expect(path.resolve(ROOT, contributed!.path)).toBe(GRAMMAR_PATH);
  });

  it('passes every fixture of test/grammar/tmlanguage with vscode-tmgrammar-test', () => {
    const fixtures = fs
      .readdirSync(path.join(ROOT, FIXTURES_REL))
      .filter((f) => f.endsWith('.pace'))
      .sort()
      .map((f) => `${FIXTURES_REL}/${f}`);
    expect(fixtures.length).toBeGreaterThan(0);
    let status = 0;
    let output = '';
    try {
      output = execFileSync(process.execPath, [tmGrammarTestBin(), '--compact', '-g', GRAMMAR_REL, ...fixtures], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 90_000,
      });
    } catch (e) {
      const err = e as { status?: number | null; signal?: string | null; stdout?: string; stderr?: string; message: string };
      status = err.status ?? -1;
      output = `${err.stdout ?? ''}${err.stderr ?? ''}${err.signal ? `\nkilled by ${err.signal}` : ''}\n${err.message}`;
    }
    expect(status, output).toBe(0);
    // One success line per fixture: a fixture that was silently skipped would not appear.
    for (const f of fixtures) expect(output).toContain(f);
  }, 120_000);

  it('lists exactly the keywords of grammar/src/tokens.ts in its keyword patterns', () => {
    const grammar = loadGrammar();
    const keywordRules = rulesWithRegex(grammar.repository.keywords ?? {});
    expect(keywordRules.length).toBeGreaterThan(0);
    const inGrammar = new Set(keywordRules.filter((r) => r.scopes.some((s) => s.startsWith('keyword.'))).flatMap((r) => r.words));
    expect(KEYWORDS.length).toBeGreaterThan(0);
    for (const kw of KEYWORDS) expect(inGrammar.has(kw), `keyword '${kw}' of tokens.ts is missing from the grammar's keyword patterns`).toBe(true);
    for (const word of inGrammar) expect(KEYWORDS, `'${word}' is coloured as a keyword but is not in tokens.ts KEYWORDS`).toContain(word);
    // The block keywords are the ones that open blocks (and may also be attribute names).
    const block = new Set(keywordRules.filter((r) => r.scopes.includes('keyword.other.block.pace')).flatMap((r) => r.words));
    expect([...block].sort()).toEqual(['alerting', 'kpi', 'objective', 'service', 'sla', 'sli', 'slo']);
  });

  it('has every keyword of tokens.ts somewhere in its patterns, with a keyword scope', () => {
    const all = rulesWithRegex(loadGrammar());
    for (const kw of KEYWORDS) {
      const rules = all.filter((r) => r.words.includes(kw) && r.scopes.some((s) => s.startsWith('keyword.')));
      expect(rules.length, `no keyword-scoped pattern matches '${kw}'`).toBeGreaterThan(0);
    }
  });

  for (const { what, scope, values } of GRAMMAR_VALUES) {
    it(`knows the ${what} (${scope})`, () => {
      const words = new Set(
        rulesWithRegex(loadGrammar())
          .filter((r) => r.scopes.includes(scope))
          .flatMap((r) => r.words),
      );
      expect(words.size, `no pattern gives the scope ${scope}`).toBeGreaterThan(0);
      for (const v of values) expect(words.has(v), `'${v}' is not in the patterns scoped ${scope}`).toBe(true);
    });
  }
});
