import type { Target } from '../target';
import { describeExecutionState, executionArnOf, type ExecutionState } from './executionOfRun';

/**
 * The execution named after a run that has no record (yet): one that is still before StartRun, or
 * one that ended before it (a spec refused by ValidateSpec creates no run). Undefined when there is none.
 * @example
 *   const early = await runlessExecution(target, 'orders-1'); // early?.state.status === 'FAILED'
 */
export async function runlessExecution(target: Target, runId: string): Promise<{ state: ExecutionState; message: string } | undefined> {
  const state = await describeExecutionState(target.sfn, executionArnOf(target.resources.backfillStateMachineArn, runId));
  if (!state) return undefined;
  const message =
    state.status === 'RUNNING'
      ? `run ${runId} is starting: its execution runs${state.stage ? ` (stage ${state.stage})` : ''} and has not created the run record yet`
      : `run ${runId} never started: its execution ended ${state.status}${state.error ? ` with ${state.error}: ${state.cause ?? ''}` : ''}`;
  return { state, message };
}
