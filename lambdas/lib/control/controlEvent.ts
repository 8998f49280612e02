import { z } from 'zod';
import { BadControlRequestError, UnauthenticatedControlCallerError } from './errors';

/** The path the control endpoint answers (POST only). */
export const CONTROLS_PATH = '/controls';

/** The longest reason recorded (on the run record and in the audit trail). */
export const MAX_REASON_LENGTH = 2000;

/** The longest body read: the reason at its limit, JSON-escaped, plus the other fields. */
const MAX_BODY_BYTES = 16_384;

/**
 * The fields of a Function URL event (payload format 2.0, AuthType AWS_IAM) the control endpoint
 * reads. `authorizer.iam` is filled in by AWS after it verified the SigV4 signature; a client cannot
 * set it. `authorizer.local` is what the local approval server writes instead (the identity the
 * local CLI acts as, `local:<os user>`); AWS never sends it.
 */
export const ControlEventSchema = z.object({
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
  const { http, authorizer } = event.requestContext;
  if (http.method.toUpperCase() !== 'POST') throw new BadControlRequestError(`method ${JSON.stringify(http.method.slice(0, 20))} is not POST`, 405);
  if (event.rawPath !== CONTROLS_PATH) throw new BadControlRequestError(`there is nothing at ${JSON.stringify(event.rawPath.slice(0, 80))}`, 404);
  const caller = authorizer?.iam?.userArn ?? authorizer?.local?.caller;
  if (caller === undefined) throw new UnauthenticatedControlCallerError();
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new BadControlRequestError(`the body is larger than ${MAX_BODY_BYTES} bytes`, 413);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadControlRequestError('the body is not JSON');
  }
  const parsed = ControlBodySchema.safeParse(json);
  if (!parsed.success) throw new BadControlRequestError(parsed.error.issues.map((i) => `${i.path.join('.') || 'the body'} ${i.message}`).join('; '));
  return { ...parsed.data, caller };
}
