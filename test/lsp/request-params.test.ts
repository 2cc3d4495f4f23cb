// Every request a handler answers has its parameters checked (server/src/lsp/request-params.ts);
// the LSP round trip of InvalidParams is in test/lsp/lifecycle.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKED_REQUESTS, requestProblem } from '../../server/src/lsp/request-params.js';

const HANDLERS = path.join(__dirname, '../../server/src/lsp/handlers');
/** Guarded handlers that are notifications (nothing to answer) or take no parameters Pace reads. */
const UNCHECKED = new Set(['didOpen', 'didChange', 'didClose', 'didChangeWatchedFiles', 'initialized', 'workspace folders', 'pace/check']);

describe('request parameters', () => {
  it('are checked for every guarded request handler', () => {
    const names = new Set<string>();
    for (const f of readdirSync(HANDLERS)) {
      for (const m of readFileSync(path.join(HANDLERS, f), 'utf8').matchAll(/guard\('([^']+)'/g)) names.add(m[1]);
    }
    expect(names.size).toBeGreaterThan(15);
    expect([...names].filter((n) => !UNCHECKED.has(n) && !CHECKED_REQUESTS.includes(n))).toEqual([]);
    expect(CHECKED_REQUESTS.filter((n) => !names.has(n))).toEqual([]);
  });

  const doc = { textDocument: { uri: 'file:///a.pace' } };
  const pos = { line: 1, character: 2 };
  const range = { start: pos, end: { line: 3, character: 0 } };
  it.each([
    ['hover', { ...doc, position: pos }, undefined],
    ['hover', { ...doc }, 'position must be a {line, character} of non-negative integers'],
    ['hover', { ...doc, position: { line: -1, character: 0 } }, 'position must be a {line, character} of non-negative integers'],
    ['hover', { ...doc, position: { line: 1.5, character: 0 } }, 'position must be a {line, character} of non-negative integers'],
    ['hover', { textDocument: {}, position: pos }, 'textDocument.uri must be a string'],
    ['hover', null, 'the parameters must be an object'],
    ['hover', [doc], 'the parameters must be an object'],
    ['rename', { ...doc, position: pos, newName: 'x' }, undefined],
    ['rename', { ...doc, position: pos, newName: 3 }, 'newName must be a string'],
    ['codeAction', { ...doc, range, context: { diagnostics: [] } }, undefined],
    ['codeAction', { ...doc, range }, 'context must be an object'],
    ['codeAction', { ...doc, range: { start: pos }, context: {} }, 'range must be a {start, end} of positions'],
    ['formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } }, undefined],
    ['formatting', { ...doc }, 'options must be an object'],
    ['rangeFormatting', { ...doc, range, options: {} }, undefined],
    ['selectionRange', { ...doc, positions: [pos, pos] }, undefined],
    ['selectionRange', { ...doc, positions: [pos, { line: 'x', character: 0 }] }, 'positions must be an array of positions'],
    ['semanticTokens', { ...doc }, undefined],
    ['workspaceSymbol', { query: '' }, undefined],
    ['workspaceSymbol', { query: null }, 'query must be a string'],
    ['didOpen', null, undefined],
  ])('%s %j: %s', (name, params, problem) => {
    expect(requestProblem(name, params)).toBe(problem);
  });
});
