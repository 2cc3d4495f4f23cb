import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, paceApi, workspaceFile } from './util';

export function register(): void {
  suite('Activation', () => {
    test('the workspace is the Pace fixture project', async () => {
      const stat = await vscode.workspace.fs.stat(workspaceFile('pace.yaml'));
      assert.equal(stat.type, vscode.FileType.File);
    });

    test('the extension is activated by the workspace and exports its API', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is present`);
      // workspaceContains:**/*.pace activates it without any file being opened.
      const deadline = Date.now() + 30_000;
      while (!ext.isActive && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.ok(ext.isActive, 'activated by workspaceContains');
      const api = await paceApi();
      assert.ok(api.ready instanceof Promise, 'exports.ready is a promise');
      assert.ok(api.client, 'exports.client is set');
      assert.ok(api.client.isRunning(), 'the language client is running');
    });

    test('.pace files get the pace language and its configuration', async () => {
      const doc = await vscode.workspace.openTextDocument(workspaceFile('checkout.pace'));
      assert.equal(doc.languageId, 'pace');
      const languages = await vscode.languages.getLanguages();
      assert.ok(languages.includes('pace'));
    });
  });
}
