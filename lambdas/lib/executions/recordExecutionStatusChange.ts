import { markExecutionEnded, parseStopCause, recordRollbackExecutionEnded, type EndedExecutionStatus, type MarkExecutionEndedResult } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { ENDED_EXECUTION_STATUSES } from './endedExecutionStatuses';
import { runOfExecution, type RunOfExecution } from './runOfExecution';

/** The part of Step Functions' "Execution Status Change" event this reads (the handler's schema validates the whole event). */
export interface ExecutionStatusChange {
  readonly executionArn: string;
  readonly name: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly input: string | null;
  readonly error: string | null;
  readonly cause: string | null;
}

export type ExecutionStatusChangeResult =
  | { readonly outcome: 'ignored'; readonly status: ExecutionStatusChange['status'] }
  | ({ readonly workflow: 'backfill' } & MarkExecutionEndedResult)
  | { readonly workflow: 'rollback'; readonly runId: string; readonly outcome: 'noted' | 'unchanged' };

const isEnded = (status: ExecutionStatusChange['status']): status is EndedExecutionStatus => (ENDED_EXECUTION_STATUSES as readonly string[]).includes(status);

/**
 * Acts on an execution's status change: when a backfill execution was stopped, timed out or failed
 * outside MarkRunFailed, its run is marked STOPPED (with who and why, read back from the backfill
 * CLI's StopExecution cause), TIMED_OUT or FAILED (markExecutionEnded); when a rollback execution
 * ended so, the run stays ROLLING_BACK and the ending is noted (recordRollbackExecutionEnded).
 * Other statuses, other executions of the run, runs already ended: nothing changes.
 * @example
 *   await recordExecutionStatusChange(deps, event.detail); // { workflow: 'backfill', outcome: 'marked', runId, status: 'STOPPED' }
 */
export async function recordExecutionStatusChange(deps: Deps, change: ExecutionStatusChange): Promise<ExecutionStatusChangeResult> {
  const { status } = change;
  if (!isEnded(status)) return { outcome: 'ignored', status };
  const run: RunOfExecution = runOfExecution(change.input ?? '', change.name);
  const stop = status === 'ABORTED' ? parseStopCause(change.error, change.cause) : {};
  const ended = {
    runId: run.runId,
    executionArn: change.executionArn,
    status,
    ...(change.error === null ? {} : { error: change.error }),
    ...(change.cause === null ? {} : { cause: change.cause }),
    ...stop,
  };
  if (run.workflow === 'rollback') {
    const noted = await recordRollbackExecutionEnded(deps, ended);
    return { workflow: 'rollback', runId: run.runId, outcome: noted ? 'noted' : 'unchanged' };
  }
  return { workflow: 'backfill', ...(await markExecutionEnded(deps, ended)) };
}
