// LSP snippets (`${1:99.9%}`, `$0`) for the edits the core suggests. A snippet always travels beside
// the plain text it stands for (`TextEdit.snippet` beside `newText`): editors that take snippets let
// the user overwrite the placeholder, everything else (CLI, SARIF, plain clients) uses the plain text.

/** Escapes `\`, `$` and `}` so that `text` is inserted literally by a snippet. */
export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => '\\' + c);
}

/**
 * An attribute line as a snippet whose value is a placeholder: `objective = 99.9%` →
 * `objective = ${1:99.9%}`, `target >= 3.5%` → `target >= ${1:3.5%}`.
 */
export function attributeLineSnippet(line: string): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*\s*(?:=|<=|>=|==|<|>)\s*)(\S.*)$/.exec(line);
  if (!m) return escapeSnippet(line);
  return `${escapeSnippet(m[1])}\${1:${escapeSnippet(m[2])}}`;
}
