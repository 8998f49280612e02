import type { PlannedStage } from '../../stages/PlannedStage';
import { StageApprovalMismatchError, StageTransitionError } from '../errors';
import { stageStatusesAllowing } from '../transitions';
import { moveStage } from './moveStage';
import { findStage, type LedgerDeps, type StageRecord } from './StageRecord';

/**
 * Begins (or, on a resumed run, re-enters) a stage: RUNNING, with its slice of the plan recorded;
 * audits `StageStarted`. A re-entered stage's earlier evidence and failures are cleared.
 * @throws StageTransitionError when the stage already PASSED, awaits approval or was REJECTED
 * @example
 *   await beginStage(deps, { runId, stage: next.stage });
 */
export async function beginStage(deps: LedgerDeps, request: { readonly runId: string; readonly stage: PlannedStage }): Promise<StageRecord> {
  const { runId, stage } = request;
  const { name, kind, index, firstBatch, batchCount, cumulativePercent } = stage;
  return moveStage(deps, {
    runId,
    stage,
    to: 'RUNNING',
    from: [null, 'RUNNING', 'VALIDATED', 'GATE_FAILED'],
    set: { runId, name, kind, index, firstBatch, batchCount, cumulativePercent, startedAt: new Date(deps.clock.nowMs()).toISOString() },
    remove: ['evidenceKey', 'failures'],
    audit: { type: 'StageStarted', detail: { firstBatch, batchCount, cumulativePercent } },
  });
}

/** What a stage's gate found. */
export interface StageValidation {
  readonly runId: string;
  readonly stage: PlannedStage;
  readonly passed: boolean;
  readonly evidenceKey: string;
  /** Each failed check, in words (empty when it passed). */
  readonly failures: readonly string[];
}

/**
 * Records a stage's gate: VALIDATED when it passed, GATE_FAILED when not, with the evidence key
 * and the failures; audits `StageValidated` or `StageGateFailed`. The same result again (a retried
 * ValidateStage) changes nothing.
 * @throws StageTransitionError when the stage is not RUNNING
 * @example
 *   await recordStageValidation(deps, { runId, stage, passed: false, evidenceKey, failures: ['3 rule violations'] });
 */
export async function recordStageValidation(deps: LedgerDeps, validation: StageValidation): Promise<StageRecord> {
  const { runId, stage, passed, evidenceKey, failures } = validation;
  const to = passed ? 'VALIDATED' : 'GATE_FAILED';
  return moveStage(deps, {
    runId,
    stage,
    to,
    from: ['RUNNING'],
    set: { evidenceKey, failures: [...failures] },
    alreadyDone: (record) => record.status === to && record.evidenceKey === evidenceKey,
    audit: { type: passed ? 'StageValidated' : 'StageGateFailed', detail: { evidenceKey, failures } },
  });
}

/** The stage's record, for a move named by the stage's name alone. */
async function requireStage(deps: LedgerDeps, runId: string, stageName: string, to: StageRecord['status']): Promise<StageRecord> {
  const record = await findStage(deps, runId, stageName);
  if (!record) throw new StageTransitionError(runId, stageName, null, to, stageStatusesAllowing(to));
  return record;
}

/**
 * Marks a validated stage as waiting for `approvalId` (RequestApproval asked the approvers). A
 * resumed run waiting again for the same approval changes nothing; another approval is refused.
 * @throws StageTransitionError when the stage is neither VALIDATED nor waiting for this approval
 * @example
 *   await markStageAwaitingApproval(deps, { runId, stageName: 'canary', approvalId });
 */
export async function markStageAwaitingApproval(deps: LedgerDeps, request: { readonly runId: string; readonly stageName: string; readonly approvalId: string }): Promise<StageRecord> {
  const { runId, stageName, approvalId } = request;
  const record = await requireStage(deps, runId, stageName, 'AWAITING_APPROVAL');
  return moveStage(deps, { runId, stage: record, to: 'AWAITING_APPROVAL', from: ['VALIDATED', 'AWAITING_APPROVAL'], requireWhen: { AWAITING_APPROVAL: { approvalId } }, set: { approvalId } });
}

/** The approvers' outcome for a stage, and who decided (the approvers, or the rejecter). */
export interface StageDecision {
  readonly runId: string;
  readonly stageName: string;
  readonly outcome: 'APPROVED' | 'REJECTED';
  readonly by: readonly string[];
  /** The approval that decided; when given, it must be the one the stage waits for. */
  readonly approvalId?: string;
}

/**
 * Records the approvers' outcome on a stage waiting for it: PASSED when approved, REJECTED when
 * rejected or timed out; audits `StagePassed` or `StageRejected` with who decided. The same
 * outcome again (a retried caller) changes nothing.
 * @throws StageTransitionError when the stage is not AWAITING_APPROVAL; StageApprovalMismatchError
 *   when `approvalId` is not the approval it waits for
 * @example
 *   await recordStageDecision(deps, { runId, stageName: 'canary', outcome: 'APPROVED', by: ['alice@example.com'] });
 */
export async function recordStageDecision(deps: LedgerDeps, decision: StageDecision): Promise<StageRecord> {
  const { runId, stageName, outcome, by, approvalId } = decision;
  const to = outcome === 'APPROVED' ? 'PASSED' : 'REJECTED';
  const record = await requireStage(deps, runId, stageName, to);
  if (approvalId !== undefined && record.approvalId !== approvalId) throw new StageApprovalMismatchError(runId, stageName, record.approvalId, approvalId);
  return moveStage(deps, {
    runId,
    stage: record,
    to,
    from: ['AWAITING_APPROVAL'],
    ...(approvalId === undefined ? {} : { requireWhen: { AWAITING_APPROVAL: { approvalId } } }),
    set: { decision: outcome, decidedBy: [...by] },
    alreadyDone: (found) => found.status === to && found.decision === outcome,
    audit: { type: to === 'PASSED' ? 'StagePassed' : 'StageRejected', detail: { approvalId: record.approvalId, outcome, by } },
  });
}

/**
 * Passes a validated stage that needs no approval (a wave, or a spec without `approval`); audits
 * `StagePassed`. Passing it again changes nothing.
 * @throws StageTransitionError when the stage is not VALIDATED (a stage awaiting approval passes only by recordStageDecision)
 * @example
 *   await markStagePassed(deps, { runId, stageName: 'wave-1' });
 */
export async function markStagePassed(deps: LedgerDeps, request: { readonly runId: string; readonly stageName: string }): Promise<StageRecord> {
  const { runId, stageName } = request;
  const record = await requireStage(deps, runId, stageName, 'PASSED');
  return moveStage(deps, {
    runId,
    stage: record,
    to: 'PASSED',
    from: ['VALIDATED'],
    alreadyDone: (found) => found.status === 'PASSED' && found.decision === undefined,
    audit: { type: 'StagePassed', detail: { approval: 'not needed' } },
  });
}
