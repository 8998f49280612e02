import type { SFNClient } from '@aws-sdk/client-sfn';
import type { z } from 'zod';
import { BreakerOpenError } from '../breaker';
import { LedgerError, RunNotFoundError } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { applyControl, type ControlOutcome } from './applyControl';
import { callerControlOf, type ControlEventSchema } from './controlEvent';
import { ControlError } from './errors';

/** What the control endpoint answers (a Function URL structured response, JSON body). */
export interface ControlResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The JSON body of an answer: the applied action, or the refusal (its error name and message). */
export type ControlAnswer = ControlOutcome | { readonly refused: string; readonly message: string };

const json = (statusCode: number, answer: ControlAnswer): ControlResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(answer),
});

/**
 * The status code of a refusal; undefined for a fault (DynamoDB or Step Functions down), which propagates.
 * A run in the wrong status, a resume while the breaker is OPEN: 409 (the ledger's errors); no such run: 404.
 */
function refusalStatusOf(error: unknown): number | undefined {
  if (error instanceof ControlError) return error.statusCode;
  if (error instanceof RunNotFoundError) return 404;
  if (error instanceof BreakerOpenError) return 409;
  if (error instanceof LedgerError) return 409;
  return undefined;
}

/**
 * Serves one request of the control endpoint (`backfill pause|resume|abort|breaker`): reads the
 * caller and the body, applies the action (applyControl). Every refusal is a JSON answer
 * `{ refused, message }` with its status code and nothing changed; only a fault throws.
 * @example
 *   const response = await controlRequest(deps, sfn, ControlEventSchema.parse(event));
 *   // { statusCode: 200, body: '{"action":"pause","runId":"orders-fix-1","by":"arn:aws:sts::…","changed":true,"from":"RUNNING","status":"PAUSING","released":false}' }
 */
export async function controlRequest(deps: Deps, sfn: SFNClient, event: z.output<typeof ControlEventSchema>): Promise<ControlResponse> {
  try {
    return json(200, await applyControl(deps, sfn, callerControlOf(event)));
  } catch (error) {
    const statusCode = refusalStatusOf(error);
    if (statusCode === undefined) throw error;
    return json(statusCode, { refused: (error as Error).name, message: (error as Error).message });
  }
}
