// Editor features: pure functions of an Analysis, a uri and an offset, returning core types (offset
// ranges, plain objects). No LSP here: server/src/lsp/convert.ts maps these to the protocol.
export * from './types.js';
export { complete, completionContext } from './completion.js';
export { hover, symbolDoc } from './hover.js';
export { definition, references, highlights, prepareRename, rename, invalidName, NAME_PATTERN } from './navigation.js';
export { documentSymbols, workspaceSymbols, foldingRanges, selectionRanges, fuzzyScore } from './outline.js';
export { semanticTokens, KIND_TOKEN } from './semantic-tokens.js';
export { codeActions, createSliAction, inlayHints, codeLenses } from './actions.js';
export { formatting, lineEdits, type FormattingOptions } from './formatting.js';
export { symbolAt, referencesTo } from './locate.js';
export { sloNumbers, slaNumbers, sloSummary, budgetTime, shortDuration } from './numbers.js';
