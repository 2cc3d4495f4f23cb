// The document of a preview webview (no vscode import, so that tests run it in plain Node): the
// server's page under the webview's own Content-Security-Policy, or a plain page of escaped text.
import * as crypto from 'node:crypto';

/** Text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export const NONCE = /^[A-Za-z0-9+/]{16,}={0,2}$/;

/** A fresh CSP nonce (128 random bits). */
function newNonce(): string {
  return crypto.randomBytes(16).toString('base64');
}

/**
 * The document a preview webview shows: the server's page with its Content-Security-Policy replaced
 * by the webview's (the page's nonce'd scripts and styles, the webview's own resources, data: images;
 * nothing else, nothing remote).
 */
export function webviewDocument(html: string, nonce: string, cspSource: string): string {
  if (!NONCE.test(nonce)) throw new Error('the preview page has no valid nonce');
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${cspSource} 'nonce-${nonce}'; img-src ${cspSource} data:; base-uri 'none'; form-action 'none'`;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`;
  const existing = /<meta\s+http-equiv\s*=\s*["']?Content-Security-Policy["']?[^>]*>/gi;
  const stripped = html.replace(existing, '');
  const head = /<head(\s[^>]*)?>/i.exec(stripped);
  if (head) return stripped.slice(0, head.index + head[0].length) + '\n' + meta + stripped.slice(head.index + head[0].length);
  return `<!doctype html>\n<html><head>${meta}</head><body>${stripped}</body></html>`;
}

/** A page of plain text (an older server's answer, or an error), escaped. */
export function textPage(title: string, text: string): { html: string; nonce: string } {
  const nonce = newNonce();
  const style = 'body{font:13px/1.5 var(--vscode-font-family,system-ui,sans-serif);margin:16px}pre{white-space:pre-wrap;font-family:var(--vscode-editor-font-family,monospace)}';
  return { nonce, html: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style nonce="${nonce}">${style}</style></head><body><h1>${escapeHtml(title)}</h1><pre>${escapeHtml(text)}</pre></body></html>\n` };
}

