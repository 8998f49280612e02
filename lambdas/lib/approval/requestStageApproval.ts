import {
  ApprovalNotFoundError,
  expireApproval,
  getApproval,
  listStages,
  markStageAwaitingApproval,
  replaceTaskToken,
  requestApproval,
  requireRun,
  UNKNOWN_STARTER,
  type ApprovalRecord,
  type RunRecord,
} from '../ledger';
import type { Deps } from '../runtime/Deps';
import { ApprovalSchema } from '../spec';
import { newApprovalId } from './approvalId';
import { approvalMessages, type ApprovalNotice } from './approvalMessages';
import type { ApprovalServices } from './ApprovalServices';
import { ApprovalNotConfiguredError, UnknownStarterError } from './errors';
import { sendApproved, sendRejected } from './taskResults';

/** RequestApproval's Payload (the ASL's `lambda:invoke.waitForTaskToken` state). */
export interface StageApprovalRequest {
  readonly runId: string;
  /** The stage's name, e.g. `canary`. */
  readonly stage: string;
  readonly taskToken: string;
  /** ValidateStage's evidence; absent on a resume (the approval keeps the one it was requested with). */
  readonly evidenceKey?: string;
  /** Set on a resume: the approval the run already waits for. */
  readonly approvalId?: string;
}

/** What happened: a new approval was requested, an open one reminded, or a decided one answered at once. */
export interface StageApprovalResult {
  readonly approvalId: string;
  readonly outcome: 'requested' | 'reminded' | 'answered';
  /** Messages published (one per approver); 0 when answered. */
  readonly notified: number;
}

/** Publishes one message per approver with that approver's own link. */
async function notify(services: ApprovalServices, run: RunRecord, record: ApprovalRecord, reminder: boolean): Promise<number> {
  const notice: ApprovalNotice = {
    runId: run.runId,
    stage: record.stage,
    approvalId: record.approvalId,
    approvers: record.approvers,
    quorum: record.quorum,
    expiresAt: new Date(record.expiresAtMs),
    startedBy: record.startedBy,
    transform: run.transform,
    codeVersion: run.codeVersion,
    reminder,
  };
  const messages = approvalMessages(notice, { topicArn: services.topicArn, pageBaseUrl: services.pageBaseUrl, key: await services.signingKey() });
  for (const message of messages) await services.notifier.publish(message);
  return messages.length;
}

/** Answers the new token of a resumed run whose approval was decided (or ran out) while it was away. */
async function answerDecided(deps: Deps, services: ApprovalServices, record: ApprovalRecord, taskToken: string): Promise<void> {
  if (record.status === 'APPROVED') {
    const approvedBy = Object.entries(record.decisions).filter(([, d]) => d.decision === 'approve').map(([approver]) => approver).sort();
    return sendApproved(services.sfn, taskToken, { approvalId: record.approvalId, approvedBy });
  }
  if (record.status === 'REJECTED') {
    const [rejectedBy, rejection] = Object.entries(record.decisions).find(([, d]) => d.decision === 'reject') ?? ['an approver', { comment: '' }];
    return sendRejected(services.sfn, taskToken, `Approval ${record.approvalId} of run ${record.runId} was rejected by ${rejectedBy}${rejection.comment ? `: ${rejection.comment}` : ''}`);
  }
  if (record.status === 'OPEN') await expireApproval(deps, { runId: record.runId, approvalId: record.approvalId, reason: 'expired before the run resumed' });
  return sendRejected(services.sfn, taskToken, `Approval ${record.approvalId} of run ${record.runId} expired at ${record.expiresAt} without a quorum (timeout means rejection)`);
}

/**
 * RequestApproval: stores a new approval of the stage (random id, the task token server-side only,
 * the spec's approvers, quorum and expiry), marks the stage AWAITING_APPROVAL and sends each
 * approver their signed link. On a resume (`approvalId` given), or a retried attempt whose stage
 * already waits for an approval, the same approval is waited on again: an OPEN one gets the new
 * task token and the same links again (a reminder on a resume); a decided one answers the new
 * token at once (SendTaskSuccess, or SendTaskFailure `ApprovalRejected`; an expired one counts as rejected).
 *
 * @throws ApprovalNotConfiguredError when the run's spec has no `approval`
 * @throws UnknownStarterError when `preventSelfApproval` and the run was started without `startedBy`
 * @throws ApprovalNotFoundError when the resumed approval does not exist (or is of another stage)
 * @throws StageTransitionError when the stage is not VALIDATED
 * @example
 * await requestStageApproval(deps, services, { runId, stage: 'canary', evidenceKey, taskToken });
 * // { approvalId: 'q3J0…', outcome: 'requested', notified: 2 }
 */
export async function requestStageApproval(deps: Deps, services: ApprovalServices, request: StageApprovalRequest): Promise<StageApprovalResult> {
  const run = await requireRun(deps, request.runId);
  if (run.spec.approval === undefined) throw new ApprovalNotConfiguredError(run.runId, request.stage);
  if (request.approvalId !== undefined) return waitAgain(deps, services, run, { ...request, approvalId: request.approvalId }, true);
  // A retried attempt (a new task token) of a request whose approval is already stored and marked
  // on the stage waits on that approval instead of requesting a second one.
  const stage = (await listStages(deps, run.runId)).find((s) => s.name === request.stage);
  if (stage?.status === 'AWAITING_APPROVAL' && stage.approvalId !== undefined) {
    return waitAgain(deps, services, run, { ...request, approvalId: stage.approvalId }, false);
  }
  const approval = ApprovalSchema.parse(run.spec.approval);
  // Fail closed: an unknown starter would pass every self-approval check.
  const startedBy = run.startedBy === UNKNOWN_STARTER ? undefined : run.startedBy;
  if (approval.preventSelfApproval && startedBy === undefined) throw new UnknownStarterError(run.runId, request.stage);
  const record = await requestApproval(deps, {
    runId: run.runId,
    stage: request.stage,
    approvalId: newApprovalId(),
    taskToken: request.taskToken,
    approvers: approval.approvers,
    quorum: approval.quorum,
    // Whole seconds: the links carry the expiry in seconds, and the record must expire with them.
    expiresAt: new Date(Math.floor((deps.clock.nowMs() + approval.timeoutSeconds * 1000) / 1000) * 1000).toISOString(),
    startedBy: startedBy ?? UNKNOWN_STARTER,
    preventSelfApproval: approval.preventSelfApproval,
    ...(request.evidenceKey === undefined ? {} : { evidenceKey: request.evidenceKey }),
  });
  // Before any message: the stage says what it waits for, so a resume finds the approval even if publishing fails.
  await markStageAwaitingApproval(deps, { runId: run.runId, stageName: request.stage, approvalId: record.approvalId });
  return { approvalId: record.approvalId, outcome: 'requested', notified: await notify(services, run, record, false) };
}

/** Waits on an existing approval with a new task token: an OPEN one is sent again, a decided one answered at once. */
async function waitAgain(deps: Deps, services: ApprovalServices, run: RunRecord, request: StageApprovalRequest & { readonly approvalId: string }, reminder: boolean): Promise<StageApprovalResult> {
  const existing = await getApproval(deps, run.runId, request.approvalId);
  if (existing?.stage !== request.stage) throw new ApprovalNotFoundError(run.runId, request.approvalId);
  const { replaced, record } = await replaceTaskToken(deps, { runId: run.runId, approvalId: request.approvalId, taskToken: request.taskToken, actor: run.startedBy });
  if (replaced && deps.clock.nowMs() < record.expiresAtMs) return { approvalId: record.approvalId, outcome: 'reminded', notified: await notify(services, run, record, reminder) };
  await answerDecided(deps, services, record, request.taskToken);
  return { approvalId: record.approvalId, outcome: 'answered', notified: 0 };
}
