import { z } from 'zod';
import { MAX_COMMENT_LENGTH } from '../../ledger';
import { IamFunctionUrlEventSchema, readIamRequest } from '../../runtime/iamFunctionUrlRequest';
import { BadDecisionRequestError, UnauthenticatedCallerError } from '../errors';

/** The path the decision endpoint answers (POST only). */
export const DECISIONS_PATH = '/decisions';

/** The longest body read: the comment at its limit, JSON-escaped, plus the ids. */
const MAX_BODY_BYTES = 32_768;

/** A decision request's Function URL event (AuthType AWS_IAM): see IamFunctionUrlEventSchema. */
export const DecisionEventSchema = IamFunctionUrlEventSchema;
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
  const { body, caller, sourceIp, userAgent } = readIamRequest(event, {
    path: DECISIONS_PATH,
    maxBodyBytes: MAX_BODY_BYTES,
    bodySchema: DecisionBodySchema,
    badRequest: (problem, statusCode) => new BadDecisionRequestError(problem, statusCode),
    unauthenticated: () => new UnauthenticatedCallerError(),
  });
  return { ...body, caller, sourceIp, userAgent };
}
