// Helpers shared by the extension-host test suites.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PaceApi } from '../../extension';

export const EXTENSION_ID = 'pace.pace-lang';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder (a copy of test/e2e/workspace)');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Activates the extension (if needed), waits for the language server and returns the API. */
export async function paceApi(): Promise<PaceApi> {
  const ext = vscode.extensions.getExtension<PaceApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  await withTimeout(api.ready, 60_000, 'the Pace language server did not start within 60 s');
  return api;
}

export async function openPace(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc, { preview: false });
  assert.equal(doc.languageId, 'pace', `${name} should open with language "pace"`);
  return doc;
}

/**
 * The position of `needle` in the document (the `nth` occurrence, 0-based), moved `delta`
 * characters into it (so delta 0 is its first character).
 */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (occurrence ${nth}) not found in ${doc.uri.path}`);
  }
  return doc.positionAt(at + delta);
}

export function withTimeout<T>(p: Thenable<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    Promise.resolve(p).then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
  });
}

/**
 * Calls `probe` until `accept` holds for its result or `ms` pass; returns the last result.
 * Language features are asked for more than once because the server may still be indexing.
 */
export async function poll<T>(probe: () => Thenable<T>, accept: (v: T) => boolean, ms = 20_000, every = 250): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    let value: T | undefined;
    let error: unknown;
    try { value = await probe(); } catch (e) { error = e; }
    if (error === undefined && accept(value as T)) return value as T;
    if (Date.now() >= end) {
      if (error !== undefined) throw error;
      return value as T;
    }
    await new Promise((r) => setTimeout(r, every));
  }
}

/** The plain text of hover contents (MarkdownString, MarkedString or string). */
export function hoverText(hovers: vscode.Hover[] | undefined): string {
  const parts: string[] = [];
  for (const h of hovers ?? []) {
    for (const c of h.contents) {
      if (typeof c === 'string') parts.push(c);
      else if ('value' in c) parts.push(c.value);
    }
  }
  return parts.join('\n---\n');
}

export function completionLabels(list: vscode.CompletionList | undefined): string[] {
  return (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}
