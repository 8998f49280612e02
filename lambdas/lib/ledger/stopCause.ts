import { z } from 'zod';
import { UNKNOWN_STOPPER } from './actors';

/** The `error` `backfill stop` gives StopExecution; its `cause` is {@link stopCause}'s JSON. */
export const STOP_ERROR = 'StoppedByOperator';

/** Who stopped an execution and why, as the run record and the audit trail keep it. */
export interface StopRequest {
  readonly actor: string;
  readonly reason: string;
}

const StopCauseSchema = z.object({ actor: z.string().min(1).max(2048), reason: z.string().max(8000) });

/**
 * The StopExecution `cause` that carries who stopped the execution and why to whoever reads the
 * execution's status change (the execution-status-change handler).
 * @example
 *   await sfn.send(new StopExecutionCommand({ executionArn, error: STOP_ERROR, cause: stopCause({ actor, reason }) }));
 */
export function stopCause(request: StopRequest): string {
  return JSON.stringify({ actor: request.actor, reason: request.reason });
}

/**
 * Reads who stopped an execution and why back from StopExecution's `error` and `cause`: the backfill
 * CLI's JSON names both; any other stop (the console, another tool) has an unknown actor, and its
 * cause, if any, is the reason.
 * @example
 *   parseStopCause('StoppedByOperator', '{"actor":"local:ana","reason":"wrong spec"}'); // { actor: 'local:ana', reason: 'wrong spec' }
 *   parseStopCause(null, null); // { actor: 'unknown (stopped without the backfill CLI)', reason: '' }
 */
export function parseStopCause(error: string | null | undefined, cause: string | null | undefined): StopRequest {
  if (error === STOP_ERROR && cause) {
    const parsed = StopCauseSchema.safeParse(parseJsonOrUndefined(cause));
    if (parsed.success) return parsed.data;
  }
  return { actor: UNKNOWN_STOPPER, reason: cause ?? '' };
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
