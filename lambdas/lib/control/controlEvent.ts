import { z } from 'zod';
import { IamFunctionUrlEventSchema, readIamRequest } from '../runtime/iamFunctionUrlRequest';
import { BadControlRequestError, UnauthenticatedControlCallerError } from './errors';

/** The path the control endpoint answers (POST only). */
export const CONTROLS_PATH = '/controls';

/** The longest reason recorded (on the run record and in the audit trail). */
export const MAX_REASON_LENGTH = 2000;

/** The longest body read: the reason at its limit, JSON-escaped, plus the other fields. */
const MAX_BODY_BYTES = 16_384;

/** A control request's Function URL event (AuthType AWS_IAM): see IamFunctionUrlEventSchema. */
export const ControlEventSchema = IamFunctionUrlEventSchema;
export type ControlEvent = z.input<typeof ControlEventSchema>;

const reason = z.string().trim().max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters; shorten it`);
const required = reason.min(1, 'must say why (it is recorded with who asked); pass --reason "..."');
const runId = z.string().min(1, 'must name the run');

/** The action the caller asks for (the body); a run's actions name the run, the breaker's do not. */
export const ControlBodySchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('pause'), runId, reason: required }).strict(),
    z.object({ action: z.literal('resume'), runId, reason: reason.default('') }).strict(),
    z.object({ action: z.literal('abort'), runId, reason: required, rollback: z.boolean().default(false) }).strict(),
    z.object({ action: z.literal('breaker-open'), reason: required }).strict(),
    z.object({ action: z.literal('breaker-close'), reason: required }).strict(),
  ],
  { error: 'must be "pause", "resume", "abort", "breaker-open" or "breaker-close"' },
);
export type ControlBody = z.output<typeof ControlBodySchema>;

/** One control request, its caller as AWS (or the local cloud) vouched for it. */
export type CallerControl = ControlBody & { readonly caller: string };

/**
 * Reads a control request: the caller from the authorizer, the body as JSON.
 * @throws UnauthenticatedControlCallerError when no caller is named; BadControlRequestError for a wrong method, path or body
 * @example
 *   const request = callerControlOf(ControlEventSchema.parse(event));
 *   // { caller: 'arn:aws:sts::123456789012:assumed-role/Operator/alice', action: 'pause', runId: 'orders-fix-1', reason: 'latency' }
 */
export function callerControlOf(event: z.output<typeof ControlEventSchema>): CallerControl {
  const { body, caller } = readIamRequest(event, {
    path: CONTROLS_PATH,
    maxBodyBytes: MAX_BODY_BYTES,
    bodySchema: ControlBodySchema,
    badRequest: (problem, statusCode) => new BadControlRequestError(problem, statusCode),
    unauthenticated: () => new UnauthenticatedControlCallerError(),
  });
  return { ...body, caller };
}
