import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** What the WaitForOperator state receives when an operator answers a paused run (its task's output). */
export interface OperatorDecision {
  readonly decision: 'resume' | 'abort' | 'rollback';
  readonly by: string;
  readonly reason: string;
}

/**
 * Releases a paused run's WaitForOperator task with the operator's decision: SendTaskSuccess on the
 * token the run record holds while PAUSED, output `{ decision, by, reason }`.
 * @example
 *   await sendOperatorDecision(sfn, taskToken, { decision: 'resume', by: 'arn:aws:iam::123456789012:user/ops', reason: 'latency is back to normal' });
 */
export async function sendOperatorDecision(sfn: SFNClient, taskToken: string, decision: OperatorDecision): Promise<void> {
  await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ decision: decision.decision, by: decision.by, reason: decision.reason }) }));
}
