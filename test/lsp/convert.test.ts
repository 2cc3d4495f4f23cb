// The core ↔ LSP mapping, without a server.
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../server/src/core/index.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeAction, codeActionsFromData, codeLens, completionItem, diagnostic, foldingRange, plainSnippet, semanticTokens, selectionRange, SHOW_SLO_DETAILS, supportsSnippetEdits } from '../../server/src/lsp/convert.js';

const docs = { lines: () => undefined, uri: (u: string) => u };

describe('convert', () => {
  it('maps offsets to UTF-16 positions', () => {
    const text = 'a😀b\nxyz';
    const li = new LineIndex(text);
    const d = diagnostic({ code: 'check/invalid-value', severity: 'warning', message: 'm', uri: 'u', range: { start: 3, end: 4 }, source: 'check' }, li, docs);
    expect(d).toEqual({ range: { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } }, severity: 2, code: 'check/invalid-value', source: 'pace', message: 'm' });
  });

  it('counts lines as LSP does: LF, CRLF and a lone CR each end one (the same positions as TextDocument)', () => {
    const text = 'a\rbc\r\nd\n\r\re\r\r\nf\r';
    const li = new LineIndex(text);
    const td = TextDocument.create('file:///t.pace', 'pace', 1, text);
    expect(li.lineCount).toBe(td.lineCount);
    // Every offset but those between the \r and the \n of a CRLF (TextDocument moves them before the
    // \r; no Pace range ends there: convert.ts's textEdit widens an edit to the whole line break).
    for (let o = 0; o <= text.length; o++) {
      if (text[o - 1] === '\r' && text[o] === '\n') continue;
      expect(li.position(o), `offset ${o}`).toEqual(td.positionAt(o));
    }
    for (let line = 0; line < td.lineCount; line++) {
      for (const character of [0, 1, 2, 1000]) expect(li.offset({ line, character }), `${line}:${character}`).toBe(td.offsetAt({ line, character }));
    }
    expect([0, 1, 2, 3, 4, 5, 6].map((l) => li.lineText(l))).toEqual(['a', 'bc', 'd', '', '', 'e', '']);
  });

  it('counts LF-only texts as TextDocument does (their lines are found by a search, not a scan)', () => {
    for (const text of ['', 'a', '\n', 'a\nbc\n\nd', 'a\nbc\n\nd\n', '\n\nx\n']) {
      const li = new LineIndex(text);
      const td = TextDocument.create('file:///t.pace', 'pace', 1, text);
      expect(li.lineCount, JSON.stringify(text)).toBe(td.lineCount);
      for (let o = 0; o <= text.length; o++) expect(li.position(o), `${JSON.stringify(text)} offset ${o}`).toEqual(td.positionAt(o));
      for (let line = 0; line < td.lineCount; line++) expect(li.lineStart(line)).toBe(td.offsetAt({ line, character: 0 }));
    }
  });

  it('turns snippets into plain text for clients without snippet support', () => {
    expect(plainSnippet('service ${1:name} {\n  $0\n}')).toBe('service name {\n  \n}');
    expect(plainSnippet('tier = ${1|critical,high,medium,low|}')).toBe('tier = critical');
    const li = new LineIndex('x');
    expect(completionItem({ label: 'tier', kind: 'attribute', insertText: 'tier = ${1|a,b|}', snippet: true, range: { start: 0, end: 1 } }, li, false)).toMatchObject({ insertTextFormat: 1, textEdit: { newText: 'tier = a' } });
  });

  it('asks for completion again after a service qualifier', () => {
    const li = new LineIndex('sli = ');
    const item = completionItem({ label: 'auth', kind: 'reference', symbolKind: 'service', insertText: 'auth.', retrigger: true, range: { start: 6, end: 6 } }, li);
    expect(item).toMatchObject({ textEdit: { newText: 'auth.' }, command: { command: 'editor.action.triggerSuggest' } });
    expect(completionItem({ label: 'x', kind: 'reference', range: { start: 6, end: 6 } }, li).command).toBeUndefined();
  });

  it('sends a fix with a snippet as a SnippetTextEdit to clients that take them, else as plain text', () => {
    const text = 'slo s {\n}\n';
    const li = new LineIndex(text);
    const d = { lines: () => li, uri: (u: string) => u, version: () => 7 };
    const edit = { uri: 'file:///a.pace', range: { start: 8, end: 8 }, newText: '  objective = 99.9%\n', snippet: '  objective = ${1:99.9%}\n' };
    const action = { title: "Add 'objective'", kind: 'quickfix' as const, edits: [edit] };
    const at = { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } };
    expect(codeAction(action, d, [], true).edit).toEqual({
      documentChanges: [{ textDocument: { uri: 'file:///a.pace', version: 7 }, edits: [{ range: at, snippet: { kind: 'snippet', value: '  objective = ${1:99.9%}\n' } }] }],
    });
    expect(codeAction(action, d, [], false).edit).toEqual({ changes: { 'file:///a.pace': [{ range: at, newText: '  objective = 99.9%\n' }] } });
    // Without a snippet, the plain form even for clients that take snippets.
    expect(codeAction({ ...action, edits: [{ ...edit, snippet: undefined }] }, d, [], true).edit).toEqual({ changes: { 'file:///a.pace': [{ range: at, newText: '  objective = 99.9%\n' }] } });
    // The copy in a published diagnostic's data keeps the snippet.
    const published = diagnostic({ code: 'check/missing-attribute', severity: 'error', message: 'm', uri: 'file:///a.pace', range: { start: 0, end: 3 }, source: 'check', fixes: [{ title: "Add 'objective'", edits: [edit] }] }, li, d);
    expect(codeActionsFromData(published, true)[0].edit).toEqual({ documentChanges: [{ textDocument: { uri: 'file:///a.pace', version: null }, edits: [{ range: at, snippet: { kind: 'snippet', value: '  objective = ${1:99.9%}\n' } }] }] });
    expect(codeActionsFromData(published, false)[0].edit).toEqual({ changes: { 'file:///a.pace': [{ range: at, newText: '  objective = 99.9%\n' }] } });
  });

  it('takes snippet edits only from clients that announce them with documentChanges', () => {
    expect(supportsSnippetEdits({ workspace: { workspaceEdit: { documentChanges: true, snippetEditSupport: true } } })).toBe(true);
    expect(supportsSnippetEdits({ workspace: { workspaceEdit: { documentChanges: false, snippetEditSupport: true } } })).toBe(false);
    expect(supportsSnippetEdits({ workspace: { workspaceEdit: { documentChanges: true } } })).toBe(false);
    expect(supportsSnippetEdits({})).toBe(false);
  });

  it('gives code lenses a command the VS Code client registers', () => {
    const li = new LineIndex('slo s {}');
    const lens = codeLens({ range: { start: 0, end: 3 }, title: 'budget', symbolId: 'a.s', details: ['d1', 'd2'] }, li, 'file:///x.pace');
    expect(lens.command).toEqual({ title: 'budget', command: SHOW_SLO_DETAILS, arguments: [{ uri: 'file:///x.pace', id: 'a.s', title: 'budget', details: ['d1', 'd2'] }] });
    const client = fs.readFileSync(path.resolve(__dirname, '../../client/src/extension.ts'), 'utf8');
    expect(client).toContain(`registerCommand('${SHOW_SLO_DETAILS}'`);
  });

  it('encodes semantic tokens relative to the previous token', () => {
    const li = new LineIndex('ab cd\n  ef');
    const data = semanticTokens(
      [
        { start: 0, length: 2, type: 'keyword', modifiers: [] },
        { start: 3, length: 2, type: 'namespace', modifiers: ['declaration'] },
        { start: 8, length: 2, type: 'property', modifiers: [] },
      ],
      li,
    );
    expect(data).toEqual([0, 0, 2, 9, 0, 0, 3, 2, 0, 1, 1, 2, 2, 7, 0]);
  });

  it('keeps the closing brace line of a folded block visible', () => {
    const li = new LineIndex('a {\n  b\n}\n');
    expect(foldingRange({ start: 0, end: 8, kind: 'region', closer: true }, li)).toEqual({ startLine: 0, endLine: 1, kind: 'region' });
    expect(foldingRange({ start: 0, end: 2, kind: 'region', closer: true }, li)).toBeUndefined();
  });

  it('nests selection ranges', () => {
    const li = new LineIndex('abc def');
    const s = selectionRange([{ start: 4, end: 7 }, { start: 0, end: 7 }], li, { line: 0, character: 5 });
    expect(s.range.start.character).toBe(4);
    expect(s.parent!.range.start.character).toBe(0);
    expect(s.parent!.parent).toBeUndefined();
  });
});
