import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

    // Writes the timings measured by activate() for bench/run.mjs (part `vscode`): to
    // $PACE_E2E_TIMINGS, else test/.artifacts/e2e/activation.json under the extension's folder.
    // Only their presence is asserted here; the target (activation ≤ 300 ms) is checked by the bench.
    test('the activation timings are recorded', async () => {
      const api = await paceApi();
      const { activateMs, readyMs } = api.timings;
      for (const [name, v] of [['activateMs', activateMs], ['readyMs', readyMs]] as const) {
        assert.ok(typeof v === 'number' && Number.isFinite(v) && v >= 0, `timings.${name} is a number >= 0: ${String(v)}`);
      }
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext);
      const file = process.env.PACE_E2E_TIMINGS || path.join(ext.extensionPath, 'test', '.artifacts', 'e2e', 'activation.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ activateMs, readyMs, vscodeVersion: vscode.version, appName: vscode.env.appName }, null, 2));
    });

    test('.pace files get the pace language and its configuration', async () => {
      const doc = await vscode.workspace.openTextDocument(workspaceFile('checkout.pace'));
      assert.equal(doc.languageId, 'pace');
      const languages = await vscode.languages.getLanguages();
      assert.ok(languages.includes('pace'));
    });
  });
}
