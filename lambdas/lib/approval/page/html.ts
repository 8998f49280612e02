import { createHash } from 'node:crypto';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML element body or a double-quoted attribute. */
export const esc = (value: string | number): string => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * The page's only style, one inline `<style>` block allowed by its hash in the CSP: no external
 * request, and no `'unsafe-inline'`, so an injected style or script could not apply even if escaping failed.
 */
const STYLE = [
  'body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}',
  'table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}',
  '.pass{color:#116611}.fail{color:#b00020}.notice{padding:.75rem 1rem;border:2px solid #888;background:#f6f6f6}',
  'textarea{width:100%;min-height:5rem}button{font-size:1rem;padding:.4rem 1.2rem;margin-right:1rem}',
].join('');

const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/**
 * The headers of every approval page response: nothing loads but the page's own hashed style, no
 * frame may embed it (clickjacking of the Approve button), nothing is cached (the form carries a
 * CSRF token), the link (with its signature) is never sent as a Referer, and forms post only here.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src '${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

/**
 * A whole HTML document around `body` (already escaped HTML), with the page's style.
 * @example
 * htmlDocument('Approval refused', `<p>${esc(message)}</p>`);
 */
export const htmlDocument = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="robots" content="noindex, nofollow"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;

/** A table of escaped cells: `rows` hold HTML (escape data with `esc`). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** Compact JSON, escaped; `—` when absent. */
export const json = (value: unknown): string => (value === undefined ? '—' : esc(JSON.stringify(value) ?? String(value)));
