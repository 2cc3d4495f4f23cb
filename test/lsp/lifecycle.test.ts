// The server's life: initialize (capabilities, indexing the workspace from disk), custom requests,
// robustness against malformed input, shutdown and exit. Also `pace lsp --stdio` from the CLI.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { LspClient, ROOT } from '../helpers/lsp-harness.js';
import { fileUri, writeFixture } from '../helpers/fixture.js';

const FIXTURE = `
//- pace.yaml
version: 1
//- services/checkout.pace
/// The storefront's purchase flow.
service checkout {
  tier = critical
  depends_on = [payments]
  sli availability = ratio {
    good  = http_requests_total{job="checkout", code!~"5.."}
    total = http_requests_total{job="checkout"}
  }
  slo availability {
    sli       = availability
    objective = 99.9%
    window    = 30d
  }
}
//- services/payments.pace
service payments {
  tier = urgent
}
`;

describe('lifecycle', () => {
  let c: LspClient;
  beforeAll(async () => {
    c = await LspClient.start({ fixture: FIXTURE, waitFor: ['services/payments.pace'] });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('declares its capabilities', () => {
    const caps = c.initializeResult.capabilities;
    expect(caps.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(caps.completionProvider?.triggerCharacters).toEqual(expect.arrayContaining(['=', '.', '[']));
    expect(caps.renameProvider).toEqual({ prepareProvider: true });
    expect(caps.semanticTokensProvider).toMatchObject({ full: true, legend: { tokenTypes: expect.arrayContaining(['namespace', 'property', 'keyword', 'number']) } });
    for (const k of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'documentSymbolProvider', 'workspaceSymbolProvider', 'foldingRangeProvider', 'selectionRangeProvider', 'documentFormattingProvider', 'documentRangeFormattingProvider', 'codeActionProvider', 'inlayHintProvider', 'codeLensProvider'] as const) {
      expect(caps[k], k).toBeTruthy();
    }
  });

  it('registers file watchers for .pace files and pace.yaml', () => {
    expect(c.registrations).toEqual([expect.objectContaining({ method: 'workspace/didChangeWatchedFiles', registerOptions: { watchers: [{ globPattern: '**/*.pace' }, { globPattern: '**/pace.yaml' }] } })]);
  });

  it('indexes and checks every project file from disk, opened or not', async () => {
    const d = await c.waitForDiagnostics('services/payments.pace', { until: (l) => l.length > 0 });
    expect(d).toEqual([
      {
        range: { start: { line: 1, character: 9 }, end: { line: 1, character: 15 } },
        severity: 1,
        code: 'check/invalid-value',
        source: 'pace',
        message: "'tier' must be one of critical, high, medium, low, found 'urgent'.",
      },
    ]);
    expect(c.diagnostics('services/checkout.pace')).toEqual([]);
  });

  it('answers pace/check with the project totals', async () => {
    expect(await c.request('pace/check', {})).toEqual({ errors: 1, warnings: 0, files: 2 });
    expect(await c.request('pace/check', { uri: c.uri('services/checkout.pace') })).toEqual({ errors: 1, warnings: 0, files: 2 });
  });

  it('answers pace/generate with a MethodNotFound error the client shows, and pace/preview without data with why', async () => {
    await expect(c.request('pace/generate', {})).rejects.toMatchObject({ code: -32601, message: 'Pace: generate is not available in this version yet' });
    // test/lsp/preview.test.ts covers the preview itself.
    expect(await c.request('pace/preview', { uri: c.uri('services/checkout.pace'), html: false })).toMatchObject({ status: 'no-data', preview: null });
    await expect(c.request('pace/preview', { uri: 'file:///nowhere/x.pace' })).rejects.toMatchObject({ code: -32602, message: 'Pace: no Pace project holds this file' });
  });

  it('survives malformed documents and odd requests', async () => {
    const garbage = ['service {{{ ]]] = = "', '\u0000\u0001 }}} service x = = = [', 'slo x {'.repeat(200), '`unterminated raw\n'.repeat(50), '/* never closed', '😀'.repeat(100) + ' service 😀 {'];
    await c.open('broken.pace', garbage[0]);
    for (const g of garbage) {
      await c.change('broken.pace', g);
      const uri = c.uri('broken.pace');
      for (const line of [0, 1, 5, 500]) {
        const position = { line, character: line * 3 };
        await c.request('textDocument/completion', { textDocument: { uri }, position });
        await c.request('textDocument/hover', { textDocument: { uri }, position });
        await c.request('textDocument/definition', { textDocument: { uri }, position });
        await c.request('textDocument/semanticTokens/full', { textDocument: { uri } });
        await c.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
        await c.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } } });
        await c.request('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } });
      }
    }
    // Requests for documents the server does not know, and with missing parameters.
    expect(await c.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere/x.pace' }, position: { line: 0, character: 0 } })).toBeNull();
    expect(await c.request('textDocument/documentSymbol', { textDocument: { uri: 'untitled:Untitled-9' } })).toEqual([]);
    // Unusable parameters are InvalidParams, naming what is wrong (server/src/lsp/request-params.ts).
    await expect(c.request('textDocument/completion', { textDocument: { uri: c.uri('broken.pace') } })).rejects.toMatchObject({ code: -32602, message: 'Pace: completion: position must be a {line, character} of non-negative integers' });
    await expect(c.request('textDocument/hover', { textDocument: { uri: 42 }, position: { line: 0, character: 0 } })).rejects.toMatchObject({ code: -32602, message: 'Pace: hover: textDocument.uri must be a string' });
    await expect(c.request('textDocument/inlayHint', { textDocument: { uri: c.uri('broken.pace') }, range: { start: { line: '0', character: 0 }, end: { line: 1, character: 0 } } })).rejects.toMatchObject({ code: -32602, message: 'Pace: inlayHint: range must be a {start, end} of positions' });
    await expect(c.request('workspace/symbol', {})).rejects.toMatchObject({ code: -32602, message: 'Pace: workspaceSymbol: query must be a string' });
    await expect(c.request('textDocument/rename', { textDocument: { uri: c.uri('broken.pace') }, position: { line: 0, character: 0 } })).rejects.toMatchObject({ code: -32602, message: 'Pace: rename: newName must be a string' });
    // Still alive and correct.
    const d = await c.waitForDiagnostics('broken.pace');
    expect(Array.isArray(d)).toBe(true);
    expect(c.proc.exitCode).toBeNull();
    // broken.pace was never saved: it belonged to the project while open, and leaves it when closed.
    expect(await c.request('pace/check', {})).toMatchObject({ files: 3 });
    const mark = c.mark();
    await c.close('broken.pace');
    expect(await c.waitForDiagnostics('broken.pace', { after: mark })).toEqual([]);
    expect(await c.request('pace/check', {})).toEqual({ errors: 1, warnings: 0, files: 2 });
  });

  it('shuts down and exits with code 0', async () => {
    const code = await c.stop();
    expect(code).toBe(0);
    c = undefined as unknown as LspClient;
  });
});

describe('pace lsp --stdio', () => {
  it('runs the same server from the CLI binary', async () => {
    const dir = writeFixture('//- a.pace\nservice a {\n  tier = urgent\n}\n');
    const proc = spawn(process.execPath, [path.join(ROOT, 'server', 'out', 'cli.cjs'), 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const published = new Promise<{ uri: string; diagnostics: { code: string }[] }>((resolve) => conn.onNotification('textDocument/publishDiagnostics', resolve));
    conn.listen();
    const init = await conn.sendRequest<{ capabilities: { hoverProvider?: boolean } }>('initialize', { processId: process.pid, rootUri: fileUri(dir, ''), capabilities: {} });
    expect(init.capabilities.hoverProvider).toBe(true);
    await conn.sendNotification('initialized', {});
    const p = await published;
    expect(p.uri).toBe(fileUri(dir, 'a.pace'));
    expect(p.diagnostics.map((d) => d.code)).toEqual(['check/invalid-value']);
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    expect(await exited).toBe(0);
    conn.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
