import { InvalidTokenError } from '../errors';

const DEFAULT_PAGE_SIZE = 100;

export interface PageRequest {
  /** 0 or absent: the default of 100, as on AWS. */
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/**
 * One page of `items` (already in answer order). The token names the query and the key of the
 * last item returned, so a page stays right when items are added meanwhile (a new execution at
 * the head of a newest-first list), and a token from another query is refused (InvalidToken).
 * @example
 *   const { page, nextToken } = paginate(executions, (e) => e.record.seq, request, `ListExecutions ${arn}`);
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => number, request: PageRequest, query: string): { page: T[]; nextToken?: string } {
  const size = request.maxResults || DEFAULT_PAGE_SIZE;
  let start = 0;
  if (request.nextToken !== undefined) {
    const after = decodeToken(request.nextToken, query);
    const index = items.findIndex((item) => keyOf(item) === after);
    if (index < 0) throw new InvalidTokenError(request.nextToken);
    start = index + 1;
  }
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  return start + size < items.length && last !== undefined ? { page, nextToken: encodeToken(query, keyOf(last)) } : { page };
}

function encodeToken(query: string, after: number): string {
  return Buffer.from(JSON.stringify({ query, after })).toString('base64url');
}

function decodeToken(token: string, query: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { query?: unknown; after?: unknown };
    if (decoded.query === query && typeof decoded.after === 'number') return decoded.after;
  } catch {
    // not one of ours: refused below
  }
  throw new InvalidTokenError(token);
}
