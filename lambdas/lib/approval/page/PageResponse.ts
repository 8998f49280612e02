import { SECURITY_HEADERS, esc, htmlDocument } from './html';

/** What the approval function returns to its Function URL (payload format 2.0, structured). */
export interface PageResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * An HTML page response with the security headers.
 * @example
 * htmlResponse(200, htmlDocument('Approve', body));
 */
export const htmlResponse = (statusCode: number, document: string, extraHeaders: Record<string, string> = {}): PageResponse => ({
  statusCode,
  headers: { ...SECURITY_HEADERS, ...extraHeaders },
  body: document,
});

/**
 * A page that says why nothing happened and what to do.
 * @example
 * noticePage(410, 'This link has expired', error.message);
 */
export const noticePage = (statusCode: number, title: string, message: string, extraHeaders: Record<string, string> = {}): PageResponse =>
  htmlResponse(statusCode, htmlDocument(title, `<h1>${esc(title)}</h1><p class="notice">${esc(message)}</p><p>Nothing was changed.</p>`), extraHeaders);
