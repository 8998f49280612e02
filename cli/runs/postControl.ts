import { z } from 'zod';
import type { ControlBodySchema, ControlOutcome } from '../../lambdas/lib/control';
import { RUN_STATUSES } from '../../lambdas/lib/ledger/transitions';
import { ControlEndpointError, ControlRefusedError, NoControlEndpointError } from '../errors';
import type { Target } from '../target';

const BreakerViewSchema = z.object({
  state: z.enum(['OPEN', 'CLOSED']),
  reason: z.string().optional(),
  openedBy: z.string().optional(),
  openedAt: z.string().optional(),
  closedBy: z.string().optional(),
  closedAt: z.string().optional(),
  closeReason: z.string().optional(),
  alarm: z.string().optional(),
  triggeringAlarms: z.array(z.object({ name: z.string(), state: z.string() })).optional(),
  okSince: z.string().optional(),
});

/** The control endpoint's JSON answer (lambdas/lib/control/controlRequest.ts). */
const AnswerSchema = z.union([
  z.object({ refused: z.string(), message: z.string() }),
  z.object({
    action: z.enum(['pause', 'resume', 'abort']),
    runId: z.string(),
    by: z.string(),
    changed: z.boolean(),
    from: z.enum(RUN_STATUSES),
    status: z.enum(RUN_STATUSES),
    released: z.boolean(),
  }),
  z.object({ action: z.enum(['breaker-open', 'breaker-close']), by: z.string(), changed: z.boolean(), breaker: BreakerViewSchema }),
]);

/**
 * Sends one action to the target's control endpoint as the CLI's caller (SigV4-signed on AWS, the
 * local identity locally) and returns what it did.
 * @throws NoControlEndpointError when the target serves none; ControlRefusedError when it refused
 *   (nothing changed); ControlEndpointError when the answer is not the endpoint's (AWS refused the signature, the function failed)
 * @example
 *   const outcome = await postControl(target, { action: 'pause', runId: 'orders-fix-1', reason: 'latency alarm' });
 *   // { action: 'pause', runId: 'orders-fix-1', by: 'local:alice', changed: true, from: 'RUNNING', status: 'PAUSING', released: false }
 */
export async function postControl(target: Target, body: z.input<typeof ControlBodySchema>): Promise<ControlOutcome> {
  const endpoint = target.controlEndpoint;
  if (endpoint === undefined) throw new NoControlEndpointError(target.label, target.kind);
  const response = await endpoint.post(JSON.stringify(body));
  let parsed: ReturnType<typeof AnswerSchema.safeParse>;
  try {
    parsed = AnswerSchema.safeParse(JSON.parse(response.body));
  } catch {
    throw new ControlEndpointError(endpoint.url, response.statusCode, response.body);
  }
  if (!parsed.success) throw new ControlEndpointError(endpoint.url, response.statusCode, response.body);
  if ('refused' in parsed.data) throw new ControlRefusedError(parsed.data.refused, parsed.data.message);
  return parsed.data;
}


/** What the endpoint answers to a run's action (pause, resume, abort). */
export type RunControlOutcome = Extract<ControlOutcome, { readonly runId: string }>;
/** What the endpoint answers to a breaker action. */
export type BreakerControlOutcome = Extract<ControlOutcome, { readonly breaker: unknown }>;

/**
 * postControl for a run's action, typed as its answer.
 * @example
 *   const { from, status } = await postRunControl(target, { action: 'abort', runId, reason: 'wrong target', rollback: true });
 */
export async function postRunControl(target: Target, body: Extract<z.input<typeof ControlBodySchema>, { runId: string }>): Promise<RunControlOutcome> {
  return (await postControl(target, body)) as RunControlOutcome;
}

/**
 * postControl for a breaker action, typed as its answer.
 * @example
 *   const { breaker } = await postBreakerControl(target, { action: 'breaker-close', reason: 'incident resolved' });
 */
export async function postBreakerControl(target: Target, body: Exclude<z.input<typeof ControlBodySchema>, { runId: string }>): Promise<BreakerControlOutcome> {
  return (await postControl(target, body)) as BreakerControlOutcome;
}
