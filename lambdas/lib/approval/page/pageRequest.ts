import { z } from 'zod';

/** The fields of a Function URL event (payload format 2.0) the approval page reads. */
export const FunctionUrlEventSchema = z.object({
  rawPath: z.string(),
  rawQueryString: z.string().default(''),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.object({
    http: z.object({ method: z.string(), sourceIp: z.string().default(''), userAgent: z.string().default('') }),
  }),
});
export type FunctionUrlEvent = z.input<typeof FunctionUrlEventSchema>;

/** Longest form body read (a comment of MAX_COMMENT_LENGTH characters, percent-encoded, plus the link's fields). */
const MAX_FORM_BYTES = 32_768;

/** One HTTP request to the approval page, as the handlers use it. */
export interface PageRequest {
  readonly method: string;
  readonly path: string;
  /** The approval id of an `/approvals/<id>` path (optionally under one base-path segment, e.g. `/prod`); undefined for any other path. */
  readonly approvalId: string | undefined;
  readonly query: URLSearchParams;
  readonly rawQueryString: string;
  readonly contentType: string;
  /** The body as text (decoded from base64 when the Function URL encoded it); '' when none. */
  readonly bodyText: string;
  readonly sourceIp: string;
  readonly userAgent: string;
}

/** Why a body cannot be read as a form. */
export type FormProblem = 'too-large' | 'not-a-form';

/**
 * The request of a parsed Function URL event.
 * @example
 * const request = pageRequestOf(FunctionUrlEventSchema.parse(event));
 * request.approvalId; // 'q3J0…' for GET /approvals/q3J0…?approver=…
 */
export function pageRequestOf(event: z.output<typeof FunctionUrlEventSchema>): PageRequest {
  const body = event.body ?? '';
  // An HTTP API stage other than $default prefixes the path with its name (/prod/approvals/<id>).
  const id = /^(?:\/[^/]+)?\/approvals\/([^/]+)$/.exec(event.rawPath)?.[1];
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    approvalId: id === undefined ? undefined : safeDecode(id),
    query: new URLSearchParams(event.rawQueryString),
    rawQueryString: event.rawQueryString,
    contentType: (event.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase(),
    bodyText: event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body,
    sourceIp: event.requestContext.http.sourceIp,
    userAgent: event.requestContext.http.userAgent,
  };
}

const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * The fields of a decision form (application/x-www-form-urlencoded), each named once; a repeated
 * or unknown field is returned as a problem for the caller to refuse.
 * @example
 * const form = formFields(request, ['approver', 'exp', 'sig', 'csrf', 'decision', 'comment']);
 */
export function formFields(request: PageRequest, allowed: readonly string[]): { fields: Record<string, string> } | { problem: FormProblem | `field ${string}` } {
  if (request.contentType !== 'application/x-www-form-urlencoded') return { problem: 'not-a-form' };
  if (Buffer.byteLength(request.bodyText) > MAX_FORM_BYTES) return { problem: 'too-large' };
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(request.bodyText)) {
    if (!allowed.includes(name) || name in fields) return { problem: `field ${JSON.stringify(name.slice(0, 40))}` };
    fields[name] = value;
  }
  return { fields };
}
