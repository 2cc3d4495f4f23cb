// What the language-server soak (soak.test.ts, scripts/soak.mjs) found, one regression test each; see
// docs/robustness.md ("Language-server soak").
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient, ROOT } from '../helpers/lsp-harness.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { answerProblems, lineLengths } from './soak-driver.js';

describe('found by the soak', () => {
  let c: LspClient;
  beforeAll(async () => {
    c = await LspClient.start({ fixture: '//- pace.yaml\nversion: 1\n//- a.pace\nservice a {\n  tier = high\n}\n', waitFor: ['a.pace'] });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('an unclosed string on a CRLF line ends before the line break, in the editor and in pace check', async () => {
    // The string token took the '\r' of '\r\n': the diagnostic ended between '\r' and '\n', one character
    // past the end of the line as the editor counts it.
    const text = 'service crlf {\r\n  title = "never closed\r\n  tier  = high\r\n}\r\n';
    fs.writeFileSync(path.join(c.dir, 'crlf.pace'), text);
    await c.open('crlf.pace', text);
    const d = await c.waitForDiagnostics('crlf.pace', { until: (l) => l.some((x) => x.code === 'lex/unterminated-string') });
    const s = d.find((x) => x.code === 'lex/unterminated-string')!;
    expect(s.range).toEqual({ start: { line: 1, character: 10 }, end: { line: 1, character: lineLengths(text)[1] } });
    const out = spawnSync(process.execPath, [path.join(ROOT, 'server', 'out', 'cli.cjs'), 'check', '--format', 'json', 'crlf.pace'], { cwd: c.dir, encoding: 'utf8' });
    const cli = (JSON.parse(out.stdout) as { diagnostics: { code: string; range: unknown }[] }).diagnostics.find((x) => x.code === 'lex/unterminated-string');
    expect(cli?.range).toEqual(s.range);
  });
});

describe('found by the soak: CRLF and out-of-range positions', () => {
  let c: LspClient;
  beforeAll(async () => {
    c = await LspClient.start({ fixture: '//- pace.yaml\nversion: 1\n//- a.pace\nservice a {\n  tier = high\n}\n', waitFor: ['a.pace'] });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('a position past the end of a CRLF line means the end of the line, not the middle of its line break', async () => {
    // Completion at character 10^6 of an empty CRLF line answered a range ending at character 1: between '\r' and '\n'.
    const text = 'service b {\r\n  tier = high\r\n\r\n}\r\n';
    await c.open('b.pace', text);
    const list = await c.request<{ items: { textEdit?: { range: unknown } }[] }>('textDocument/completion', { textDocument: { uri: c.uri('b.pace') }, position: { line: 2, character: 1_000_000 } });
    const ranges = list.items.map((i) => i.textEdit?.range).filter((r) => r !== undefined);
    expect(ranges.length).toBeGreaterThan(0);
    for (const r of ranges) expect(r).toEqual({ start: { line: 2, character: 0 }, end: { line: 2, character: 0 } });
    // The same on a line with text: the end of 'tier = high'.
    const hover = await c.request<{ range?: unknown } | null>('textDocument/hover', { textDocument: { uri: c.uri('b.pace') }, position: { line: 1, character: 1_000_000 } });
    if (hover?.range) expect(hover.range).toMatchObject({ end: { line: 1, character: 13 } });
  });

  it('a didOpen without text or a didChange with unusable ranges is dropped, and the project keeps publishing', async () => {
    // TextDocuments kept a document whose text was undefined; every later analysis of the project threw,
    // so its diagnostics were never published again.
    const bad = c.uri('bad.pace');
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: bad, languageId: 'pace', version: 1 } });
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: c.uri('bad2.pace'), languageId: 'pace', version: 'one', text: 7 } });
    await c.open('c.pace', 'service c {\n  tier = high\n}\n');
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: c.uri('c.pace'), version: 2 }, contentChanges: [{ range: { start: { line: 'x', character: null }, end: {} }, text: 'garbage' }] });
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: c.uri('c.pace'), version: 3 }, contentChanges: 'abc' });
    const mark = c.mark();
    await c.change('c.pace', 'service c {\n  tier = urgent\n}\n');
    const d = await c.waitForDiagnostics('c.pace', { after: mark, until: (l) => l.length > 0 });
    expect(d.map((x) => x.code)).toEqual(['check/invalid-value']);
    expect(await c.request('pace/check', {})).toMatchObject({ errors: 1, files: 3 });
    expect(c.logs.filter((l) => l.startsWith('Pace: ignored a textDocument/')).length).toBe(4);
    expect(c.logs.filter((l) => / failed/.test(l))).toEqual([]);
  });

  it('formatting a CRLF document answers edits inside its lines, which give the formatted text', async () => {
    // The formatter writes '\n': its edit of each CRLF line removed the '\r', a range ending between
    // '\r' and '\n', which an editor clamps to the end of the line (and keeps the '\r').
    // As many lines after as before: the formatter's diff edits each line, and each edit ended in the '\r\n'.
    const lf = 'service   d {\n  tier =    high\n  owner = "x"\n}\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const format = async (rel: string, text: string) => {
      await c.open(rel, text);
      const edits = await c.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: c.uri(rel) }, options: { tabSize: 2, insertSpaces: true } });
      expect(answerProblems('textDocument/formatting', edits, c.uri(rel), new Map([[c.uri(rel), text]]))).toEqual([]);
      return TextDocument.applyEdits(TextDocument.create(c.uri(rel), 'pace', 1, text), edits);
    };
    const fromLf = await format('d-lf.pace', lf);
    expect(fromLf).toBe('service d {\n  tier  = high\n  owner = "x"\n}\n');
    expect(await format('d-crlf.pace', crlf)).toBe(fromLf);
    // A lone '\r' (an old Mac line end) is a line break too, in the editor as in Pace: it becomes '\n'.
    expect(await format('d-cr.pace', lf.replace(/\n/g, '\r'))).toBe(fromLf);
    expect(await format('d-mixed.pace', 'service   d {\r  tier =    high\r\n  owner = "x"\n}\r')).toBe(fromLf);
  });
});
