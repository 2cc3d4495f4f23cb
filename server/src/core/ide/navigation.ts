// Go to definition, find references, rename.
import type { Range } from '../../../../grammar/src/ast.js';
import { KEYWORDS } from '../../../../grammar/src/tokens.js';
import type { Analysis } from '../workspace/workspace.js';
import { ALERTING_BUILTINS, KIND_LABEL } from '../language/blocks.js';
import { referencesTo, symbolAt } from './locate.js';
import type { Location, RenameResult } from './types.js';

export function definition(analysis: Analysis, uri: string, offset: number): Location[] {
  const hit = symbolAt(analysis, uri, offset);
  if (!hit?.symbol) return [];
  return [{ uri: hit.symbol.uri, range: hit.symbol.nameRange }];
}

export function references(analysis: Analysis, uri: string, offset: number, includeDeclaration: boolean): Location[] {
  const hit = symbolAt(analysis, uri, offset);
  if (!hit?.symbol) return [];
  const refs = referencesTo(analysis, hit.symbol);
  return includeDeclaration ? [{ uri: hit.symbol.uri, range: hit.symbol.nameRange }, ...refs] : refs;
}

/** Same-file occurrences of the symbol under the cursor (document highlights). */
export function highlights(analysis: Analysis, uri: string, offset: number): { range: Range; write: boolean }[] {
  const hit = symbolAt(analysis, uri, offset);
  if (!hit?.symbol) return [];
  const out = referencesTo(analysis, hit.symbol).filter((l) => l.uri === uri).map((l) => ({ range: l.range, write: false }));
  if (hit.symbol.uri === uri) out.unshift({ range: hit.symbol.nameRange, write: true });
  return out;
}

export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The range of the name that would be renamed, or an error message. */
export function prepareRename(analysis: Analysis, uri: string, offset: number): { range: Range; placeholder: string } | { error: string } | undefined {
  const hit = symbolAt(analysis, uri, offset);
  if (!hit) return undefined;
  if (hit.builtin) return { error: `'${hit.builtin}' is built in and cannot be renamed.` };
  if (!hit.symbol) return { error: 'This name does not resolve to a declaration: nothing to rename.' };
  return { range: hit.range, placeholder: hit.symbol.name };
}

/** Why a name cannot be used, or undefined. */
export function invalidName(name: string): string | undefined {
  if (!NAME_PATTERN.test(name)) return `'${name}' is not a valid name: use letters, digits and '_', not starting with a digit.`;
  if (KEYWORDS.includes(name)) return `'${name}' is a keyword and cannot be used as a name.`;
  return undefined;
}

export function rename(analysis: Analysis, uri: string, offset: number, newName: string): RenameResult {
  const hit = symbolAt(analysis, uri, offset);
  if (!hit) return { error: 'Nothing to rename here.' };
  if (hit.builtin) return { error: `'${hit.builtin}' is built in and cannot be renamed.` };
  const sym = hit.symbol;
  if (!sym) return { error: 'This name does not resolve to a declaration: nothing to rename.' };
  const bad = invalidName(newName);
  if (bad) return { error: bad };
  if (sym.kind === 'alerting' && (ALERTING_BUILTINS as readonly string[]).includes(newName)) return { error: `'${newName}' is a built-in alerting choice and cannot name a policy.` };
  if (newName === sym.name) return { edits: [] };
  const model = analysis.semantic;
  const clash = sym.parent ? model.lookupMember(sym.parent, sym.kind, newName) : model.lookupTop(sym.kind, newName);
  if (clash) return { error: `${KIND_LABEL[sym.kind][0].toUpperCase()}${KIND_LABEL[sym.kind].slice(1)} '${newName}' already exists${sym.parent ? ` in ${KIND_LABEL[sym.parent.kind]} '${sym.parent.name}'` : ''}.` };
  const edits = [{ uri: sym.uri, range: sym.nameRange, newText: newName }, ...referencesTo(analysis, sym).map((l) => ({ uri: l.uri, range: l.range, newText: newName }))];
  return { edits };
}
