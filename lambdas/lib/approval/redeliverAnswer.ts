import { appendAudit, type ApprovalRecord } from '../ledger';
import type { Deps } from '../runtime/Deps';
import type { ApprovalServices } from './ApprovalServices';
import { sendApproved, sendRejected, taskStillWaits } from './taskResults';

/** The Cause a rejecting approver's SendTaskFailure carries (the same on a re-send). */
export const rejectedCause = (runId: string, approvalId: string, by: string, comment: string): string =>
  `Approval ${approvalId} of run ${runId} was rejected by ${by}${comment ? `: ${comment}` : ''}`;

/** Who asked for the re-send, for the audit trail. */
export interface RedeliveryRequest {
  readonly approver: string;
  readonly sourceIp: string;
  readonly userAgent: string;
}

/**
 * Re-sends the answer a closed approval recorded (SendTaskSuccess at quorum, SendTaskFailure on a
 * rejection) when its task still waits: the decision was written but the first send failed
 * (throttled, a 5xx, a Lambda timeout between write and send). Both calls are safe to repeat per
 * token, and the answer comes from the ledger, never from the request. Only an approver on the list
 * may ask; the re-send is audited (ApprovalAnswerRedelivered).
 * @returns what was re-sent, or undefined when there is nothing to re-send (the record is not
 *   APPROVED/REJECTED, the asker is not an approver, or the task no longer waits)
 * @example
 *   const resent = await redeliverAnswer(deps, services, record, { approver, sourceIp, userAgent });
 *   // 'approved'
 */
export async function redeliverAnswer(
  deps: Deps,
  services: Pick<ApprovalServices, 'sfn'>,
  record: ApprovalRecord,
  request: RedeliveryRequest,
): Promise<'approved' | 'rejected' | undefined> {
  if ((record.status !== 'APPROVED' && record.status !== 'REJECTED') || !record.approvers.includes(request.approver)) return undefined;
  if (!(await taskStillWaits(services.sfn, record.taskToken))) return undefined;
  const decisions = Object.entries(record.decisions).sort(([, a], [, b]) => a.at.localeCompare(b.at));
  if (record.status === 'APPROVED') {
    const approvedBy = decisions.filter(([, d]) => d.decision === 'approve').map(([by]) => by).sort();
    await sendApproved(services.sfn, record.taskToken, { approvalId: record.approvalId, approvedBy });
  } else {
    const [by, rejection] = decisions.find(([, d]) => d.decision === 'reject') ?? ['', { comment: '' }];
    await sendRejected(services.sfn, record.taskToken, rejectedCause(record.runId, record.approvalId, by, rejection.comment));
  }
  await appendAudit(deps, {
    runId: record.runId,
    type: 'ApprovalAnswerRedelivered',
    actor: request.approver,
    detail: { approvalId: record.approvalId, status: record.status, approver: request.approver, sourceIp: request.sourceIp, userAgent: request.userAgent },
  });
  return record.status === 'APPROVED' ? 'approved' : 'rejected';
}
