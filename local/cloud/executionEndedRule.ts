import { ENDED_EXECUTION_STATUSES } from '../../lambdas/lib/executions/endedExecutionStatuses';
import type { ExecutionStatusChangeEvent } from './stepfunctions/types';

const ENDED_UNSUCCESSFULLY: ReadonlySet<string> = new Set(ENDED_EXECUTION_STATUSES);

/**
 * The local stand-in for the stack's EventBridge rule on "Step Functions Execution Status Change":
 * passes to `target` (the `execution-status-change` handler) exactly the events the rule matches
 * (infra/constructs/ExecutionStatusRule.ts): an execution of one of `stateMachineArns` that was
 * ABORTED, TIMED_OUT or FAILED; the others are dropped.
 * @example
 *   onExecutionStatusChange: executionEndedRule([stateMachineArn('Backfill'), stateMachineArn('Rollback')], (event) => handler(event, context))
 */
export function executionEndedRule(
  stateMachineArns: readonly string[],
  target: (event: ExecutionStatusChangeEvent) => Promise<unknown>,
): (event: ExecutionStatusChangeEvent) => Promise<void> {
  return async (event) => {
    if (!stateMachineArns.includes(event.detail.stateMachineArn) || !ENDED_UNSUCCESSFULLY.has(event.detail.status)) return;
    await target(event);
  };
}
