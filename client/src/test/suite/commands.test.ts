import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { CheckSummary } from '../../extension';
import { openPace, paceApi, withTimeout } from './util';

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

    test('Pace: Generate Configs and Pace: Show Preview finish without throwing', async () => {
      await openPace('checkout.pace');
      await withTimeout(vscode.commands.executeCommand('pace.generate'), 30_000, 'pace.generate did not finish');
      await withTimeout(vscode.commands.executeCommand('pace.showPreview'), 30_000, 'pace.showPreview did not finish');
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
