import type { Target } from '../target';
import { describeExecutionState, findNewerRunningExecution } from './executionOfRun';

/**
 * The ARN of a running execution of the run: the one its record names, or a newer `<runId>-r<n>`
 * (a resume before its StartRun). Undefined when none runs: the run's workers are gone.
 * @example
 *   await runningExecutionOf(target, 'orders-fix-1', recordedArn); // 'arn:…:execution:Backfill:orders-fix-1'
 */
export async function runningExecutionOf(target: Target, runId: string, executionArn: string): Promise<string | undefined> {
  const recorded = await describeExecutionState(target.sfn, executionArn);
  if (recorded?.status === 'RUNNING') return executionArn;
  return findNewerRunningExecution(target.sfn, target.resources.backfillStateMachineArn, runId, executionArn);
}
