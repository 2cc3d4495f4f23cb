// The language-server soak in CI (issue 10): a seeded run of soak-driver.ts against the bundled server
// (server/out/server.cjs, built by `node esbuild.mjs`). The full run is `node scripts/soak.mjs --edits
// 10000`; docs/robustness.md ("Language-server soak") says what is checked and records its figures.
import { describe, expect, it } from 'vitest';
import { answerProblems, lineLengths, runSoak, soakFailures, type SoakResult } from './soak-driver.js';

const SEED = 20261202;

describe('language-server soak', () => {
  let r: SoakResult;

  it('2,000 seeded edits with requests, cancellations and malformed messages: alive, answered, memory < +10%, diagnostics equal pace check', async () => {
    r = await runSoak({ seed: SEED, edits: 2000, warmupEdits: 300, progress: process.env.PACE_SOAK_PROGRESS ? (m) => console.log(m) : undefined });
    // Every property at once, so that a failure says everything that went wrong.
    expect(soakFailures(r)).toEqual([]);
    expect(r.exited).toBeUndefined();
    expect(r.unanswered).toEqual([]);
    expect(r.answered).toBe(r.requests);
    expect(r.handlerFailures).toEqual([]);
    expect(r.badRanges).toEqual([]);
    expect(r.mismatches).toEqual([]);
    expect(r.growth).toBeLessThan(0.1);
  }, 300_000);

  it('ran the mix it claims (so that the properties above are not vacuous)', () => {
    expect(r, 'the soak ran').toBeDefined();
    expect(r.edits).toBeGreaterThanOrEqual(2000);
    for (const k of ['incremental', 'fullText', 'burst', 'didOpen', 'didClose', 'didSave', 'created', 'deleted', 'cancelled']) expect(r.counts[k] ?? 0, k).toBeGreaterThan(0);
    for (const m of ['completion', 'hover', 'definition', 'references', 'rename', 'codeAction', 'semanticTokens/full', 'documentSymbol', 'formatting', 'codeLens']) {
      expect(r.counts[`request textDocument/${m}`] ?? 0, m).toBeGreaterThan(0);
    }
    for (const m of ['pace/check', 'pace/preview', 'pace/generate']) expect(r.counts[`request ${m}`] ?? 0, m).toBeGreaterThan(0);
    expect(Object.keys(r.counts).filter((k) => k.startsWith('malformed ')).length).toBeGreaterThanOrEqual(10);
    // Requests were cancelled while in flight, and some got RequestCancelled; unknown methods got MethodNotFound.
    expect(r.errorCodes['-32601'] ?? 0).toBeGreaterThan(0);
    // Malformed parameters are answered InvalidParams (server/src/lsp/request-params.ts).
    expect(r.errorCodes['-32602'] ?? 0).toBeGreaterThan(0);
    // The edits broke files (the comparison with pace check covers diagnostics, not 50 empty lists) and
    // every file of the project was compared.
    expect(r.filesCompared).toBeGreaterThanOrEqual(50);
    expect(r.diagnosticsCompared).toBeGreaterThan(20);
    expect(r.rssWarmMB).toBeGreaterThan(20);
    // The probe answered (the live data is what the memory property is about).
    expect(r.liveWarmMB).toBeGreaterThan(5);
    expect(r.codeWarmMB).toBeGreaterThan(1);
  });
});

describe('the soak oracle', () => {
  it('splits lines as LSP does: \\n, \\r\\n and a lone \\r', () => {
    expect(lineLengths('ab\ncd\r\nefg\rh')).toEqual([2, 2, 3, 1]);
    expect(lineLengths('')).toEqual([0]);
    expect(lineLengths('a\n')).toEqual([1, 0]);
  });

  it('finds positions outside the document in answers, and none in good ones', () => {
    const uri = 'file:///a.pace';
    const texts = new Map([[uri, 'service a {\r\n  x = 1\r\n}\r\n']]);
    const at = (line: number, character: number) => ({ line, character });
    // In the document: the end of a line, the empty last line.
    expect(answerProblems('textDocument/hover', { contents: '', range: { start: at(0, 0), end: at(0, 11) } }, uri, texts)).toEqual([]);
    expect(answerProblems('textDocument/definition', [{ uri, range: { start: at(3, 0), end: at(3, 0) } }], uri, texts)).toEqual([]);
    // Between '\r' and '\n', past the last line, backwards, in a rename's edits and a publication.
    expect(answerProblems('textDocument/hover', { contents: '', range: { start: at(0, 0), end: at(0, 12) } }, uri, texts)).toHaveLength(1);
    expect(answerProblems('textDocument/references', [{ uri, range: { start: at(4, 0), end: at(4, 1) } }], uri, texts)).toHaveLength(1);
    expect(answerProblems('textDocument/documentSymbol', [{ range: { start: at(1, 3), end: at(1, 2) }, selectionRange: { start: at(1, 2), end: at(1, 3) } }], uri, texts)).toHaveLength(1);
    expect(answerProblems('textDocument/rename', { changes: { [uri]: [{ range: { start: at(1, 2), end: at(1, 9) }, newText: 'y' }] } }, uri, texts)).toHaveLength(1);
    expect(answerProblems('publishDiagnostics', [{ range: { start: at(1, 6), end: at(1, 8) }, code: 'lex/x', message: '' }], uri, texts)[0]).toContain('lex/x');
    // Semantic tokens (relative encoding): a token running past its line.
    expect(answerProblems('textDocument/semanticTokens/full', { data: [0, 0, 7, 0, 0, 0, 8, 3, 0, 0] }, uri, texts)).toEqual([]);
    expect(answerProblems('textDocument/semanticTokens/full', { data: [0, 0, 7, 0, 0, 1, 2, 9, 0, 0] }, uri, texts)).toHaveLength(1);
    // Documents the client did not have are not judged.
    expect(answerProblems('textDocument/definition', [{ uri: 'file:///b.pace', range: { start: at(99, 0), end: at(99, 0) } }], uri, texts)).toEqual([]);
  });
});
