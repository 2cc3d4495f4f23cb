export * from './ast.js';
export { parse, parseDuration, type ParseResult, type SyntaxIssue } from './parser.js';
export { KEYWORDS } from './tokens.js';
