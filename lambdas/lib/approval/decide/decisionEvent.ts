import { z } from 'zod';
import { MAX_COMMENT_LENGTH } from '../../ledger';
import { BadDecisionRequestError, UnauthenticatedCallerError } from '../errors';

/** The path the decision endpoint answers (POST only). */
export const DECISIONS_PATH = '/decisions';

/** The longest body read: the comment at its limit, JSON-escaped, plus the ids. */
const MAX_BODY_BYTES = 32_768;

/**
 * The fields of a Function URL event (payload format 2.0, AuthType AWS_IAM) the decision endpoint
 * reads. `authorizer.iam` is filled in by AWS after it verified the SigV4 signature; a client
 * cannot set it. `authorizer.local` is what the local approval server writes instead (a local
 * cloud has no IAM: it names the identity the CLI acts as, `local:<os user>`); AWS never sends it.
 */
export const DecisionEventSchema = z.object({
  rawPath: z.string(),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.object({
    http: z.object({ method: z.string(), sourceIp: z.string().default(''), userAgent: z.string().default('') }),
    authorizer: z
      .object({
        iam: z.object({ userArn: z.string().min(1) }).optional(),
        local: z.object({ caller: z.string().regex(/^local:/) }).optional(),
      })
      .optional(),
  }),
});
export type DecisionEvent = z.input<typeof DecisionEventSchema>;

/** The decision the caller asks for (the body). */
export const DecisionBodySchema = z
  .object({
    runId: z.string().min(1, 'must name the run'),
    approvalId: z.string().min(1).optional(),
    decision: z.enum(['approve', 'reject'], { error: 'must be "approve" or "reject"' }),
    comment: z.string().max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters; shorten it`).default(''),
  })
  .strict();
export type DecisionBody = z.output<typeof DecisionBodySchema>;

/** One decision request, its caller as AWS (or the local cloud) vouched for it. */
export interface CallerDecision extends DecisionBody {
  readonly caller: string;
  readonly sourceIp: string;
  readonly userAgent: string;
}

/**
 * Reads a decision request: the caller from the authorizer, the body as JSON.
 * @throws UnauthenticatedCallerError when no caller is named; BadDecisionRequestError for a wrong method, path or body
 * @example
 *   const request = callerDecisionOf(DecisionEventSchema.parse(event));
 *   // { caller: 'arn:aws:sts::123456789012:assumed-role/Approver/alice', runId: 'orders-fix-1', decision: 'approve', comment: '', … }
 */
export function callerDecisionOf(event: z.output<typeof DecisionEventSchema>): CallerDecision {
  const { http, authorizer } = event.requestContext;
  if (http.method.toUpperCase() !== 'POST') throw new BadDecisionRequestError(`method ${JSON.stringify(http.method.slice(0, 20))} is not POST`, 405);
  if (event.rawPath !== DECISIONS_PATH) throw new BadDecisionRequestError(`there is nothing at ${JSON.stringify(event.rawPath.slice(0, 80))}`, 404);
  const caller = authorizer?.iam?.userArn ?? authorizer?.local?.caller;
  if (caller === undefined) throw new UnauthenticatedCallerError();
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new BadDecisionRequestError(`the body is larger than ${MAX_BODY_BYTES} bytes`, 413);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadDecisionRequestError('the body is not JSON');
  }
  const parsed = DecisionBodySchema.safeParse(json);
  if (!parsed.success) throw new BadDecisionRequestError(parsed.error.issues.map((i) => `${i.path.join('.') || 'the body'} ${i.message}`).join('; '));
  return { ...parsed.data, caller, sourceIp: http.sourceIp, userAgent: http.userAgent };
}
