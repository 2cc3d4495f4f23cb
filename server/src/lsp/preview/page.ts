// The page pace/preview answers with: the shared preview page (core/report/html.ts, built in the
// worker) with a banner when it is stale, or a short page saying why there is no preview. Every
// user string is escaped; the only styles are nonce'd <style> elements (the client's webview CSP
// allows nothing else).
import { escapeHtml } from '../../core/index.js';

const BANNER_STYLE = `.pace-banner{margin:0 0 12px;padding:8px 12px;border-radius:4px;border:1px solid #b58900;background:rgba(181,137,0,.15);font:13px/1.4 system-ui,sans-serif}
.pace-banner strong{font-weight:600}`;

const MESSAGE_STYLE = `body{font:14px/1.5 system-ui,sans-serif;margin:24px;color:#333;background:#fff}
@media (prefers-color-scheme:dark){body{color:#ddd;background:#1e1e1e}}
h1{font-size:18px;font-weight:600}code{font-family:ui-monospace,monospace}`;

/** Adds a banner at the top of a page built by the shared builder (its <head> and <body> tags are plain). */
export function withBanner(html: string, nonce: string, banner: string | undefined): string {
  if (!banner) return html;
  const style = `<style nonce="${escapeHtml(nonce)}">${BANNER_STYLE}</style>`;
  const div = `<div class="pace-banner" role="status">${banner}</div>`;
  const head = html.indexOf('</head>');
  let out = head >= 0 ? html.slice(0, head) + style + html.slice(head) : style + html;
  const body = /<body[^>]*>/i.exec(out);
  out = body ? out.slice(0, body.index + body[0].length) + '\n' + div + out.slice(body.index + body[0].length) : div + out;
  return out;
}

/** The banner of a stale preview (text escaped here). */
export function staleBanner(errors: number): string {
  return `<strong>Stale.</strong> The project has ${errors} error${errors === 1 ? '' : 's'}: these are the figures of its last version without errors.`;
}

/** A page with a title and a sentence, for when there is no preview to show. */
export function messagePage(title: string, message: string, nonce: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${escapeHtml(nonce)}'">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style nonce="${escapeHtml(nonce)}">${MESSAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="pace-message">${escapeHtml(message)}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
