import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { appendAudit } from '../audit';
import {
  AlreadyDecidedError,
  ApprovalClosedError,
  ApprovalError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  NotAnApproverError,
  SelfApprovalError,
} from '../errors';
import { personOf } from '../../spec';
import { isConditionalCheckFailed } from '../isConditionalCheckFailed';
import type { ApprovalStatus } from '../transitions';
import { isStarter } from './isStarter';
import { approvalKey, approvedBy, getApproval, type ApprovalRecord, type LedgerDeps, type RecordedDecision } from './ApprovalRecord';

/** The longest comment stored with a decision (it is shown on the page and kept in the audit trail). */
export const MAX_COMMENT_LENGTH = 2000;

/** A decision as the approval endpoint receives it (after the link's signature and CSRF token are verified). */
export const DecisionRequestSchema = z.object({
  runId: z.string().min(1),
  approvalId: z.string().min(1),
  approver: z.string().min(1),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(MAX_COMMENT_LENGTH, `comment must be at most ${MAX_COMMENT_LENGTH} characters; shorten it`),
  sourceIp: z.string(),
  userAgent: z.string(),
});
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

/** What the caller does next; the task token is handed out only here, and only when the run is released. */
export type DecisionOutcome =
  | { readonly outcome: 'pending'; readonly approvedBy: readonly string[]; readonly quorum: number }
  | { readonly outcome: 'approved'; readonly taskToken: string; readonly approvedBy: readonly string[]; readonly quorum: number }
  | { readonly outcome: 'rejected'; readonly taskToken: string; readonly rejectedBy: string; readonly comment: string };

/** The refusal of `request` against the record as read, if any (the checks a decision must pass, in order). */
function refusalOf(record: ApprovalRecord, request: DecisionRequest, nowMs: number): ApprovalError | undefined {
  const { runId, approvalId, approver } = request;
  const earlier = record.decisions[approver];
  if (earlier) return new AlreadyDecidedError(runId, approvalId, approver, earlier.decision, earlier.at);
  if (record.status !== 'OPEN') return new ApprovalClosedError(runId, approvalId, record.status, approver);
  if (nowMs >= record.expiresAtMs) return new ApprovalExpiredError(runId, approvalId, record.expiresAt, approver);
  if (!record.approvers.includes(approver)) return new NotAnApproverError(runId, approvalId, approver, record.approvers);
  if (record.preventSelfApproval && isStarter(record.startedBy, approver)) return new SelfApprovalError(runId, approvalId, approver);
  return undefined;
}

/** The status this decision moves an OPEN record to (a row of APPROVAL_TRANSITIONS). */
function nextStatus(record: ApprovalRecord, request: DecisionRequest): ApprovalStatus {
  if (request.decision === 'reject') return 'REJECTED';
  // The quorum counts persons: the spec refuses one person listed twice, this guards a record that predates that check.
  const persons = new Set([...approvedBy(record), request.approver].map(personOf));
  return persons.size >= record.quorum ? 'APPROVED' : 'OPEN';
}

/** Writes the decision if the record is still the one read (same version, OPEN, unexpired); false when it changed. */
async function writeDecision(deps: LedgerDeps, record: ApprovalRecord, request: DecisionRequest, decided: RecordedDecision, to: ApprovalStatus): Promise<boolean> {
  try {
    await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: approvalKey(request.runId, request.approvalId),
        ConditionExpression: '#status = :open AND #version = :version AND expiresAtMs > :now AND attribute_not_exists(decisions.#approver)',
        UpdateExpression: `SET decisions.#approver = :decided, #status = :to, #version = :next, updatedAt = :at${to === 'OPEN' ? '' : ', closedAt = :at'}`,
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version', '#approver': request.approver },
        ExpressionAttributeValues: {
          ':open': 'OPEN',
          ':version': record.version,
          ':next': record.version + 1,
          ':now': deps.clock.nowMs(),
          ':decided': decided,
          ':to': to,
          ':at': decided.at,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Records one approver's decision, once: conditional on the approval OPEN, unexpired and unchanged
 * since read, so two concurrent POSTs of the same approver record one decision and refuse the
 * other. Another approver's concurrent decision only makes this one read again and retry. Every
 * decision and every refusal is audited with approver, comment, time, source IP and user agent.
 * @throws ApprovalNotFoundError, AlreadyDecidedError, ApprovalClosedError, ApprovalExpiredError,
 *   NotAnApproverError, SelfApprovalError; nothing is changed but the refusal's audit event
 * @example
 *   const next = await recordDecision(deps, { runId, approvalId, approver: 'alice@example.com',
 *     decision: 'approve', comment: 'counts look right', sourceIp: '203.0.113.7', userAgent });
 *   if (next.outcome === 'approved') await sfn.sendTaskSuccess({ taskToken: next.taskToken, output });
 */
export async function recordDecision(deps: LedgerDeps, request: DecisionRequest): Promise<DecisionOutcome> {
  const { runId, approvalId, approver, decision, comment, sourceIp, userAgent } = request;
  const audit = (type: string, extra: Record<string, unknown>): Promise<void> =>
    appendAudit(deps, { runId, type, actor: approver, detail: { approvalId, approver, decision, comment, sourceIp, userAgent, ...extra } });
  const refuse = async (error: ApprovalError): Promise<never> => {
    await audit('ApprovalDecisionRefused', { refusal: error.name, reason: error.message });
    throw error;
  };
  // A failed write means another approver decided in between (each at most once) or the approval
  // closed (refused on the next read): the retries are bounded by the approvers.
  for (let attempt = 0; ; attempt++) {
    const record = await getApproval(deps, runId, approvalId);
    if (!record) return refuse(new ApprovalNotFoundError(runId, approvalId, approver));
    const refusal = refusalOf(record, request, deps.clock.nowMs());
    if (refusal) return refuse(refusal);
    const to = nextStatus(record, request);
    const decided: RecordedDecision = { decision, comment, at: new Date(deps.clock.nowMs()).toISOString(), sourceIp, userAgent };
    if (!(await writeDecision(deps, record, request, decided, to))) {
      if (attempt >= record.approvers.length) throw new ApprovalError(`Approval ${approvalId} of run ${runId} kept changing while ${approver} decided; try again`, runId, approvalId, { approver });
      continue;
    }
    const approvers = approvedBy({ decisions: { ...record.decisions, [approver]: decided } });
    await audit('ApprovalDecisionRecorded', { stage: record.stage, status: to, approvedBy: approvers, quorum: record.quorum });
    if (to === 'REJECTED') return { outcome: 'rejected', taskToken: record.taskToken, rejectedBy: approver, comment };
    if (to === 'APPROVED') return { outcome: 'approved', taskToken: record.taskToken, approvedBy: approvers, quorum: record.quorum };
    return { outcome: 'pending', approvedBy: approvers, quorum: record.quorum };
  }
}
