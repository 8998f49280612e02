import { appendAudit, getApproval, recordDecision, type DecisionRequest } from '../ledger';
import type { Deps } from '../runtime/Deps';
import type { ApprovalServices } from './ApprovalServices';
import { RunNoLongerWaitsError } from './errors';
import { redeliverAnswer, rejectedCause } from './redeliverAnswer';
import { isTaskGone, sendApproved, sendRejected, taskStillWaits } from './taskResults';

/** What became of a recorded decision. */
export type AppliedDecision =
  | { readonly outcome: 'pending'; readonly approvedBy: readonly string[]; readonly quorum: number }
  | { readonly outcome: 'approved'; readonly approvedBy: readonly string[]; readonly quorum: number }
  | { readonly outcome: 'rejected'; readonly rejectedBy: string; readonly comment: string }
  /** Recorded, but Step Functions says the run stopped waiting before the answer reached it (a resumed run goes on with it). */
  | { readonly outcome: 'undelivered'; readonly decided: 'approved' | 'rejected' }
  /** Decided earlier, but that answer never reached the still-waiting run (its send failed): re-sent now, nothing new recorded. */
  | { readonly outcome: 'redelivered'; readonly decided: 'approved' | 'rejected' };

export interface ApplyDecisionHooks {
  /** Called when recordDecision refused the decision (it audited the refusal itself). */
  readonly onLedgerRefusal?: () => void;
}

/**
 * Decides an approval for one approver, whoever vouched for them (a signed link on the approval
 * page, AWS IAM for `backfill approve`): checks that the run still waits, records the decision once
 * (recordDecision: its refusals and audits), and at quorum releases the run (SendTaskSuccess) or, on
 * a rejection, fails it (SendTaskFailure `ApprovalRejected`). An attempt on an approval already
 * closed APPROVED/REJECTED whose task still waits re-sends the recorded answer (redeliverAnswer):
 * the first send failed after the write, and nothing else would ever deliver it.
 * @throws RunNoLongerWaitsError before anything is recorded when the task no longer waits; the
 *   ledger's refusals (NotAnApproverError, SelfApprovalError, AlreadyDecidedError, …)
 * @example
 *   const applied = await applyDecision(deps, services, { runId, approvalId, approver, decision: 'approve', comment: '', sourceIp, userAgent });
 *   // { outcome: 'approved', approvedBy: ['alice@example.com'], quorum: 1 }
 */
export async function applyDecision(deps: Deps, services: Pick<ApprovalServices, 'sfn'>, request: DecisionRequest, hooks: ApplyDecisionHooks = {}): Promise<AppliedDecision> {
  const { runId, approvalId, approver } = request;
  const record = await getApproval(deps, runId, approvalId);
  // Ask Step Functions first: a decision for a run that stopped waiting is refused with nothing recorded.
  if (record?.status === 'OPEN' && deps.clock.nowMs() < record.expiresAtMs && !(await taskStillWaits(services.sfn, record.taskToken))) {
    throw new RunNoLongerWaitsError(approvalId, runId);
  }
  if (record) {
    const resent = await redeliverAnswer(deps, services, record, request);
    if (resent) return { outcome: 'redelivered', decided: resent };
  }
  const outcome = await recordDecision(deps, request).catch((error: unknown) => {
    hooks.onLedgerRefusal?.();
    throw error;
  });
  if (outcome.outcome === 'pending') return outcome;
  try {
    if (outcome.outcome === 'approved') await sendApproved(services.sfn, outcome.taskToken, { approvalId, approvedBy: outcome.approvedBy });
    else await sendRejected(services.sfn, outcome.taskToken, rejectedCause(runId, approvalId, outcome.rejectedBy, outcome.comment));
  } catch (error) {
    if (!isTaskGone(error)) throw error;
    await appendAudit(deps, { runId, type: 'ApprovalAnswerUndelivered', actor: approver, detail: { approvalId, outcome: outcome.outcome, error: (error as Error).name } });
    return { outcome: 'undelivered', decided: outcome.outcome };
  }
  return outcome.outcome === 'approved'
    ? { outcome: 'approved', approvedBy: outcome.approvedBy, quorum: outcome.quorum }
    : { outcome: 'rejected', rejectedBy: outcome.rejectedBy, comment: outcome.comment };
}
