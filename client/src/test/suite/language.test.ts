// Language features end to end: VS Code → vscode-languageclient → the Pace language server.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { completionLabels, hoverText, openPace, paceApi, poll, positionOf, workspaceFile } from './util';

export function register(): void {
  suite('Language features', () => {
    suiteSetup(async () => { await paceApi(); });

    test('diagnostics appear on a broken .pace file', async () => {
      const doc = await openPace('broken.pace');
      const diags = await poll(
        async () => vscode.languages.getDiagnostics(doc.uri),
        (d) => d.some((x) => x.severity === vscode.DiagnosticSeverity.Error),
        30_000,
      );
      const errors = diags.filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
      assert.ok(errors.length > 0, `expected an error on broken.pace, got ${JSON.stringify(diags.map((d) => d.message))}`);
      for (const e of errors) assert.ok(e.range.start.line >= 1 && e.range.end.line < doc.lineCount, 'error range lies inside the file');
    });

    test('a valid .pace file has no errors', async () => {
      const doc = await openPace('checkout.pace');
      // Give the server a moment to publish, then check that nothing it published is an error.
      await new Promise((r) => setTimeout(r, 1000));
      const errors = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(errors.map((e) => `${e.range.start.line + 1}: ${e.message}`), []);
    });

    test('completion after "sli =" offers the SLIs of the service', async () => {
      const doc = await openPace('checkout.pace');
      const pos = positionOf(doc, 'sli       = requests_ok', 'sli       = '.length);
      const list = await poll(
        () => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos),
        (l) => ['requests_ok', 'fast'].every((n) => completionLabels(l).includes(n)),
      );
      const labels = completionLabels(list);
      assert.ok(labels.includes('requests_ok') && labels.includes('fast'),
        `expected requests_ok and fast among ${JSON.stringify(labels.slice(0, 40))}`);
    });

    test('hover on an SLO objective shows the error budget (99.9% over 30d = 43m12s)', async () => {
      const doc = await openPace('checkout.pace');
      const candidates = [
        positionOf(doc, '99.9%', 1),                          // the value
        positionOf(doc, 'objective = 99.9%', 2),              // the attribute
        positionOf(doc, 'slo availability', 'slo '.length + 2), // the SLO's name
      ];
      let seen = '';
      const found = await poll(async () => {
        for (const pos of candidates) {
          const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
          if (text) seen = text;
          if (/43\s*m\s*12\s*s/.test(text)) return true;
        }
        return false;
      }, (ok) => ok);
      assert.ok(found, `no hover mentions 43m12s; last hover text: ${JSON.stringify(seen.slice(0, 400))}`);
    });

    test('renaming an SLI edits its definition and its references in both files', async () => {
      const checkout = await openPace('checkout.pace');
      const storefront = await openPace('storefront.pace');
      const pos = positionOf(checkout, 'sli requests_ok', 'sli '.length + 3);
      const edit = await poll(
        () => vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', checkout.uri, pos, 'requests_good'),
        (e) => !!e && e.entries().length >= 2,
      );
      assert.ok(edit, 'the rename provider returned an edit');
      const byFile = new Map(edit.entries().map(([uri, edits]) => [uri.toString(), edits] as const));
      const inCheckout = byFile.get(checkout.uri.toString()) ?? [];
      const inStorefront = byFile.get(storefront.uri.toString()) ?? [];
      const describe = JSON.stringify([...byFile].map(([u, e]) => [u.split('/').pop(), e.length]));
      // definition + `sli = requests_ok` in checkout.pace; `sli = checkout.requests_ok` in storefront.pace
      assert.ok(inCheckout.length >= 2, `expected >= 2 edits in checkout.pace: ${describe}`);
      assert.ok(inStorefront.length >= 1, `expected >= 1 edit in storefront.pace: ${describe}`);
      for (const [doc, edits] of [[checkout, inCheckout], [storefront, inStorefront]] as const) {
        for (const e of edits) {
          assert.equal(e.newText, 'requests_good');
          assert.equal(doc.getText(e.range), 'requests_ok', `edit in ${doc.uri.path} replaces the SLI's name only`);
        }
      }
    });

    test('renaming an SLO updates supported_by in the other file', async () => {
      const checkout = await openPace('checkout.pace');
      const storefront = await openPace('storefront.pace');
      const pos = positionOf(checkout, 'slo availability', 'slo '.length + 1);
      const edit = await poll(
        () => vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', checkout.uri, pos, 'available'),
        (e) => !!e && e.entries().length >= 2,
      );
      assert.ok(edit, 'the rename provider returned an edit');
      const files = edit.entries().map(([uri]) => uri.toString());
      assert.ok(files.includes(checkout.uri.toString()) && files.includes(storefront.uri.toString()),
        `expected edits in checkout.pace and storefront.pace, got ${JSON.stringify(files)}`);
      assert.equal(workspaceFile('checkout.pace').toString(), checkout.uri.toString());
    });
  });
}
