import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { CheckSummary } from '../../extension';
import { openPace, paceApi, poll, withTimeout } from './util';

const COMMANDS = ['pace.checkProject', 'pace.generate', 'pace.showPreview', 'pace.restartServer'];

export function register(): void {
  suite('Commands', () => {
    suiteSetup(async () => { await paceApi(); });

    test('all Pace commands are registered', async () => {
      const all = await vscode.commands.getCommands(true);
      for (const c of COMMANDS) assert.ok(all.includes(c), `${c} is registered`);
    });

    test('Pace: Check Project reports the errors of the project', async () => {
      await openPace('broken.pace');
      const summary = await withTimeout(
        vscode.commands.executeCommand<CheckSummary | undefined>('pace.checkProject'), 30_000, 'pace.checkProject did not finish');
      assert.ok(summary, 'the command returns its summary');
      assert.equal(typeof summary.errors, 'number');
      assert.equal(typeof summary.warnings, 'number');
      assert.ok(summary.files >= 1, `files counted: ${summary.files}`);
      assert.ok(summary.errors >= 1, `broken.pace has errors; summary ${JSON.stringify(summary)}`);
    });

    test('Pace: Generate Configs finishes without throwing', async () => {
      await openPace('checkout.pace');
      await withTimeout(vscode.commands.executeCommand('pace.generate'), 30_000, 'pace.generate did not finish');
    });

    test('Pace: Show Preview opens a webview panel with the project\'s preview, updated as you type', async () => {
      // preview/ is a project with sample data (data/traffic.csv: attainment 99.95%).
      const doc = await openPace('preview/shop.pace');
      const api = await paceApi();
      await withTimeout(vscode.commands.executeCommand('pace.showPreview'), 60_000, 'pace.showPreview did not finish');
      const panels = api.previewPanels();
      assert.equal(panels.length, 1, `one preview panel: ${JSON.stringify(panels.map((p) => p.title))}`);
      const panel = panels[0];
      assert.equal(panel.title, 'Pace Preview: shop-preview');
      assert.equal(panel.status, 'ready');
      // The webview holds the shared preview page under the webview's CSP.
      const html = panel.html;
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-[A-Za-z0-9+\/]+=*&#39;; style-src (?:&#39;self&#39;|[^;&])+ &#39;nonce-[^"]*img-src /);
      assert.equal((html.match(/http-equiv="Content-Security-Policy"/g) ?? []).length, 1, 'only the webview\'s CSP');
      assert.ok(html.includes('Orders &lt;API&gt;'), 'the service title, escaped');
      assert.ok(!html.includes('Orders <API>'), 'no unescaped user string');
      assert.ok(html.includes('99.95%'), 'the attainment');
      const slos = (panel.preview as { slos: { id: string; attainment: number }[] }).slos;
      assert.equal(slos[0].id, 'slo:orders.availability');
      assert.ok(Math.abs(slos[0].attainment - 0.9995) < 1e-9, `attainment ${slos[0].attainment}`);
      // An edit updates the open panel (the server announces it, debounced).
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      const at = doc.getText().indexOf('99.9%');
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 5)), '99.99%'));
      const updated = await poll(async () => api.previewPanels()[0], (p) => !!p && p.updates > panel.updates && p.html.includes('99.99%'), 30_000);
      assert.ok(updated && updated.updates > panel.updates, `updated: ${updated?.updates} > ${panel.updates}`);
      assert.ok(updated.html.includes('99.99%'), 'the new objective is in the page');
      // Lenses show the preview's figures.
      const lenses = await poll(
        () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri),
        (l) => !!l?.some((x) => x.command?.title.includes('budget left')), 30_000);
      assert.ok(lenses?.some((x) => /^99\.95% · budget left -400%/.test(x.command?.title ?? '')), JSON.stringify(lenses?.map((x) => x.command?.title)));
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    test('Pace: Restart Server brings a new running client', async () => {
      const before = (await paceApi()).client;
      await withTimeout(vscode.commands.executeCommand('pace.restartServer'), 60_000, 'pace.restartServer did not finish');
      const api = await paceApi();
      assert.ok(api.client && api.client !== before, 'a new client');
      assert.ok(api.client.isRunning(), 'the new client is running');
    });
  });
}
