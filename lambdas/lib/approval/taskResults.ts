import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** The error a rejected (or timed-out) approval fails the waiting RequestApproval state with; its Catch routes on it. */
export const APPROVAL_REJECTED_ERROR = 'ApprovalRejected';

/** SendTaskFailure caps `cause` at 32768 characters; ours stay far below, this keeps a long comment from failing the call. */
const MAX_CAUSE_CHARS = 32_768;

/** What RequestApproval's state receives when the quorum approved (its ResultPath `$.approval`). */
export interface ApprovalReleased {
  readonly approvalId: string;
  readonly approvedBy: readonly string[];
}

/**
 * Releases the waiting run: SendTaskSuccess with `{ approvalId, approvedBy }`.
 * @example
 * await sendApproved(sfn, outcome.taskToken, { approvalId, approvedBy: outcome.approvedBy });
 */
export async function sendApproved(sfn: SFNClient, taskToken: string, released: ApprovalReleased): Promise<void> {
  await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ approvalId: released.approvalId, approvedBy: [...released.approvedBy] }) }));
}

/**
 * Fails the waiting run's RequestApproval state with `ApprovalRejected` and the cause given.
 * @example
 * await sendRejected(sfn, outcome.taskToken, `Approval ${approvalId} was rejected by bob@example.com: counts are off`);
 */
export async function sendRejected(sfn: SFNClient, taskToken: string, cause: string): Promise<void> {
  await sfn.send(new SendTaskFailureCommand({ taskToken, error: APPROVAL_REJECTED_ERROR, cause: cause.slice(0, MAX_CAUSE_CHARS) }));
}

/**
 * Whether the error says the task no longer waits: its wait timed out, or its execution ended or
 * was stopped (Step Functions' `TaskTimedOut` / `TaskDoesNotExist`).
 */
export const isTaskGone = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TaskTimedOut' || error.name === 'TaskDoesNotExist');

/**
 * Asks Step Functions whether the task still waits (SendTaskHeartbeat, accepted by any waiting
 * callback task), so a decision is never recorded for a run that stopped waiting.
 * @example
 * if (!(await taskStillWaits(sfn, token))) return runNoLongerWaitsPage();
 */
export async function taskStillWaits(sfn: SFNClient, taskToken: string): Promise<boolean> {
  try {
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
    return true;
  } catch (error) {
    if (isTaskGone(error)) return false;
    throw error;
  }
}
