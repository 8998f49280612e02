import { ApprovalClosedError, expireApproval, markRunRejected, recordStageDecision, type RunRejection } from '../ledger';
import type { Deps } from '../runtime/Deps';
import type { Spec } from '../spec';
import { ApprovalNotDeliveredError, NotARejectionError, RejectionNotRecordedError } from './errors';
import { findStageApproval, rejectingDecision, type StageApproval } from './findStageApproval';

/** The ASL error a rejecting approver's SendTaskFailure carries. */
export const APPROVAL_REJECTED = 'ApprovalRejected';
/** The ASL error of a RequestApproval that waited longer than spec.approval.timeoutSeconds. */
export const STATES_TIMEOUT = 'States.Timeout';

/** RecordRejection's input: the run, the stage whose approval was refused, and the Catch's `$.error`. */
export interface RecordRejectionInput {
  readonly runId: string;
  readonly spec: Spec;
  readonly stage: string;
  readonly error: { readonly Error: string; readonly Cause: string };
}

/** What the workflow does next: roll the canary back or not, and the Cause its Rejected state ends with. */
export interface RecordRejectionResult {
  readonly rollback: boolean;
  readonly cause: string;
}

/**
 * The workflow's RecordRejection step, after an approver rejected a stage (ApprovalRejected) or
 * nobody decided in time (States.Timeout: the approval is then closed EXPIRED, audited as a
 * timeout): marks the stage REJECTED (StageRejected, with who rejected it) and the run REJECTED with
 * who rejected it and their comment, or the timeout (RunRejected), and
 * says whether spec.approval.onRejection asks to roll the canary back. Nothing beyond the stage
 * was written, and REJECTED is not active, so no batch is claimed after it. A retried call
 * changes nothing more.
 * @throws NotARejectionError, RejectionNotRecordedError, ApprovalNotDeliveredError (a timeout whose
 *   approval is APPROVED: recorded, not delivered) — nothing is changed; StageTransitionError when
 *   the stage does not wait for an approval.
 * @example
 *   const { rollback, cause } = await recordRejection(deps, { runId, spec, stage: 'canary', error: { Error: 'ApprovalRejected', Cause: '...' } });
 */
export async function recordRejection(deps: Deps, input: RecordRejectionInput): Promise<RecordRejectionResult> {
  const { runId, stage, error } = input;
  if (error.Error !== APPROVAL_REJECTED && error.Error !== STATES_TIMEOUT) throw new NotARejectionError(runId, stage, error.Error);
  const approval = await findStageApproval(deps, runId, stage);
  let rejection: Omit<RunRejection, 'at'>;
  if (error.Error === STATES_TIMEOUT) {
    // An APPROVED record means the quorum decided and only its SendTaskSuccess was lost: never a rejection, never a rollback.
    if (approval?.status === 'APPROVED') throw new ApprovalNotDeliveredError(runId, stage, approval.approvalId, approvers(approval));
    if (approval) await expireTimedOut(deps, runId, approval.approvalId, input.spec);
    rejection = { stage, outcome: 'timed-out', ...(approval ? { approvalId: approval.approvalId } : {}) };
  } else {
    const decision = approval && rejectingDecision(approval);
    if (!approval || !decision) throw new RejectionNotRecordedError(runId, stage, approval ? `approval ${approval.approvalId} is ${approval.status}` : 'no approval of that stage');
    rejection = { stage, outcome: 'rejected', approvalId: approval.approvalId, by: decision.by, comment: decision.comment };
  }
  // The stage first: a run found REJECTED has its stage REJECTED too (a retry repeats neither).
  await recordStageDecision(deps, { runId, stageName: stage, outcome: 'REJECTED', by: rejection.by ? [rejection.by] : [], ...(rejection.approvalId ? { approvalId: rejection.approvalId } : {}) });
  const run = await markRunRejected(deps, runId, rejection);
  return { rollback: input.spec.approval?.onRejection === 'rollback-canary', cause: rejectionCause(runId, run.rejection ?? { ...rejection, at: '' }) };
}

/** Who approved, sorted. */
const approvers = (approval: StageApproval): string[] =>
  Object.entries(approval.decisions)
    .filter(([, d]) => d.decision === 'approve')
    .map(([by]) => by)
    .sort();

/** Closes the approval the run stopped waiting for; one approved or rejected just too late stays as it is (the run timed out all the same). */
async function expireTimedOut(deps: Deps, runId: string, approvalId: string, spec: Spec): Promise<void> {
  const seconds = spec.approval?.timeoutSeconds;
  try {
    await expireApproval(deps, { runId, approvalId, reason: `${STATES_TIMEOUT}: no decision within spec.approval.timeoutSeconds${seconds === undefined ? '' : ` (${seconds} s)`}` });
  } catch (closed) {
    if (!(closed instanceof ApprovalClosedError)) throw closed;
  }
}

/**
 * The Cause a rejected run's execution ends with: the stage, who rejected it and why, or the timeout.
 * @example
 *   rejectionCause('r-1', { stage: 'canary', outcome: 'rejected', by: 'alice@example.com', comment: 'totals off', at });
 *   // 'Run r-1 was rejected at stage canary by alice@example.com: "totals off". Nothing beyond the canary was written; …'
 */
export function rejectionCause(runId: string, rejection: RunRejection): string {
  const what =
    rejection.outcome === 'rejected'
      ? `was rejected at stage ${rejection.stage} by ${rejection.by}${rejection.comment ? `: ${JSON.stringify(rejection.comment)}` : ' (no comment)'}`
      : `was rejected at stage ${rejection.stage}: nobody decided within spec.approval.timeoutSeconds (timeout means rejection)`;
  return `Run ${runId} ${what}. Nothing beyond the ${rejection.stage} stage was written; a rejected run does not resume: fix the cause and start a new run under another name`;
}
