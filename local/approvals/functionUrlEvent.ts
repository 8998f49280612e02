import type { IncomingMessage } from 'node:http';

/**
 * A Lambda Function URL request (payload format 2.0) as AWS delivers it: the fields the approval
 * page reads, in AWS's shape (headers lower-cased, repeated ones joined with commas, cookies apart).
 */
export interface FunctionUrlEvent {
  readonly version: '2.0';
  readonly routeKey: '$default';
  readonly rawPath: string;
  /** The query as sent, without the `?`; '' when there is none. */
  readonly rawQueryString: string;
  readonly cookies?: string[];
  readonly headers: Record<string, string>;
  /** Repeated parameters joined with commas; absent when there is no query. */
  readonly queryStringParameters?: Record<string, string>;
  readonly requestContext: {
    readonly accountId: string;
    readonly apiId: string;
    readonly domainName: string;
    readonly domainPrefix: string;
    readonly http: { readonly method: string; readonly path: string; readonly protocol: string; readonly sourceIp: string; readonly userAgent: string };
    readonly requestId: string;
    readonly routeKey: '$default';
    readonly stage: '$default';
    /** e.g. `01/Dec/2026:13:41:28 +0000` */
    readonly time: string;
    readonly timeEpoch: number;
  };
  /** Absent when the request has no body. */
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

/** What a Function URL handler returns (the structured form; Lambda infers a 200 JSON answer from anything else). */
export interface FunctionUrlResult {
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
  readonly cookies?: string[];
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/** Bodies of these types reach the function as text; any other type arrives base64-encoded, as on AWS. */
const TEXT_TYPES = [/^text\//, /^application\/json\b/, /^application\/[\w.+-]*\+json\b/, /^application\/xml\b/, /^application\/[\w.+-]*\+xml\b/, /^application\/javascript\b/];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** `01/Dec/2026:13:41:28 +0000`, the requestContext.time format. */
function requestTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const joined: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) joined[name] = name in joined ? `${joined[name]},${value}` : value;
  return joined;
}

/** Where the request came from and when, as the local approval server knows it. */
export interface FunctionUrlRequestContext {
  readonly requestId: string;
  readonly nowMs: number;
  /** The server's host:port, which stands in for `<url-id>.lambda-url.<region>.on.aws`. */
  readonly domainName: string;
}

/**
 * Turns one HTTP request (its body already read) into the event a Function URL hands its function.
 * @example
 *   const event = functionUrlEvent(request, await readBody(request), { requestId: randomUUID(), nowMs: clock.nowMs(), domainName: '127.0.0.1:4573' });
 *   // { rawPath: '/approvals/q3J0…', rawQueryString: 'approver=…', requestContext: { http: { method: 'GET', … } }, isBase64Encoded: false, … }
 */
export function functionUrlEvent(request: IncomingMessage, body: Buffer, context: FunctionUrlRequestContext): FunctionUrlEvent {
  const target = request.url ?? '/';
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : target.slice(queryAt + 1);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values === undefined) continue;
    if (name === 'cookie') cookies = values.flatMap((value) => value.split(/;\s*/)).filter((cookie) => cookie !== '');
    else headers[name] = values.join(',');
  }
  const contentType = (headers['content-type'] ?? '').toLowerCase();
  const asText = TEXT_TYPES.some((type) => type.test(contentType));
  const method = request.method ?? 'GET';
  const queryStringParameters = queryParameters(rawQueryString);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: context.domainName,
      domainPrefix: context.domainName.split('.')[0]!,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: context.requestId,
      routeKey: '$default',
      stage: '$default',
      time: requestTime(context.nowMs),
      timeEpoch: context.nowMs,
    },
    ...(body.length > 0 ? { body: asText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !asText,
  };
}
