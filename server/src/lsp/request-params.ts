// The parameters of every request Pace answers, checked before its handler runs. vscode-languageserver
// passes them on as the client sent them: a hover without a position, or a range whose lines are
// strings, would otherwise make the handler throw and answer an empty result, as if all were well.
// JSON-RPC's answer to unusable parameters is InvalidParams (-32602), naming what is wrong.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { isObject, isPosition as isIntegerPosition } from './sync-params.js';

/** An LSP Position: its line and character are uintegers. */
const isPosition = (p: unknown): boolean => isIntegerPosition(p) && p.line >= 0 && p.character >= 0;
const isRange = (r: unknown): boolean => isObject(r) && isPosition(r.start) && isPosition(r.end);

type Check = (p: Record<string, unknown>) => string | undefined;

const document: Check = (p) => (isObject(p.textDocument) && typeof p.textDocument.uri === 'string' ? undefined : 'textDocument.uri must be a string');
const position: Check = (p) => document(p) ?? (isPosition(p.position) ? undefined : 'position must be a {line, character} of non-negative integers');
const range: Check = (p) => document(p) ?? (isRange(p.range) ? undefined : 'range must be a {start, end} of positions');
const options: Check = (p) => (isObject(p.options) ? undefined : 'options must be an object');
const all =
  (...checks: Check[]): Check =>
  (p) => {
    for (const c of checks) {
      const problem = c(p);
      if (problem) return problem;
    }
    return undefined;
  };

/** By the name a handler gives ServerContext.guard: what its parameters must hold. */
const CHECKS: Readonly<Record<string, Check>> = {
  hover: position,
  completion: position,
  definition: position,
  references: position,
  documentHighlight: position,
  prepareRename: position,
  rename: all(position, (p) => (typeof p.newName === 'string' ? undefined : 'newName must be a string')),
  codeAction: all(range, (p) => (isObject(p.context) ? undefined : 'context must be an object')),
  formatting: all(document, options),
  rangeFormatting: all(range, options),
  inlayHint: range,
  selectionRange: all(document, (p) => (Array.isArray(p.positions) && p.positions.every(isPosition) ? undefined : 'positions must be an array of positions')),
  codeLens: document,
  documentSymbol: document,
  foldingRange: document,
  semanticTokens: document,
  workspaceSymbol: (p) => (typeof p.query === 'string' ? undefined : 'query must be a string'),
};

/** Why the parameters of the request a handler named `name` answers are unusable; undefined when they are fine or the name checks nothing. */
export function requestProblem(name: string, params: unknown): string | undefined {
  const check = CHECKS[name];
  if (!check) return undefined;
  if (!isObject(params)) return 'the parameters must be an object';
  return check(params);
}

/** The names whose parameters are checked (a test holds every handler to the list). */
export const CHECKED_REQUESTS: readonly string[] = Object.keys(CHECKS);

/** Throws InvalidParams when `requestProblem` finds one. */
export function checkRequest(name: string, params: unknown): void {
  const problem = requestProblem(name, params);
  if (problem) throw new ResponseError(ErrorCodes.InvalidParams, `Pace: ${name}: ${problem}`);
}
