import { HANDLER_FACTORIES } from '../../../../lambdas/handlerFactories';
import { beginStage, getRun, listAudit, listStages, markStageAwaitingApproval, newApprovalId, recordDecision, recordStageValidation, requestApproval, RunNotRunningError } from '../../../../lambdas/lib/ledger';
import type { PlannedStage } from '../../../../lambdas/lib/stages/PlannedStage';
import { getApproval } from '../../../../lambdas/lib/ledger/approvals/ApprovalRecord';
import { ApprovalNotDeliveredError, NotARejectionError, recordRejection, RejectionNotRecordedError } from '../../../../lambdas/lib/rejection';
import { SpecSchema, type Spec } from '../../../../lambdas/lib/spec';
import { processWorkerInput, WorkerInputSchema } from '../../../../lambdas/lib/worker';
import { sourceLines } from '../../support/doubler';
import { watchAudit } from '../../support/audit';
import { dynamoTargets } from '../../../support';
import { useFreshRunFixture, type Fixture } from '../../support/fixture';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const HOUR_MS = 3_600_000;
const REJECTED = { Error: 'ApprovalRejected', Cause: 'rejected by alice@example.com' };
const CANARY: PlannedStage = { name: 'canary', kind: 'canary', index: 0, firstBatch: 0, batchCount: 1, cumulativePercent: 34, manifestKey: 'manifests/r/p-canary.jsonl' };
const TIMED_OUT = { Error: 'States.Timeout', Cause: 'State RequestApproval got neither SendTaskSuccess nor SendTaskFailure within TimeoutSeconds 3600' };

describe.each(dynamoTargets())('recordRejection on %s', (target) => {
  const fixture = useFreshRunFixture(target);
  let f: Fixture;
  let spec: Spec;
  beforeEach(() => {
    f = fixture();
    spec = stagedSpec(f.spec, 'keep-canary');
  });

  /** The fixture's spec with a canary, one wave and alice and bob as approvers. */
  function stagedSpec(base: Spec, onRejection: 'keep-canary' | 'rollback-canary'): Spec {
    return SpecSchema.parse({ ...base, rollout: { canary: { batches: 1 }, waves: [100] }, approval: { approvers: [ALICE, BOB], timeoutSeconds: 3600, onRejection } });
  }

  /** GIVEN a planned run (3 batches of 100) whose canary stage waits for its approval. */
  async function waitingForApproval(): Promise<{ approvalId: string; items: Awaited<ReturnType<Fixture['plan']>> }> {
    const items = await f.plan(sourceLines(250));
    const approvalId = newApprovalId();
    await beginStage(f.deps, { runId: f.runId, stage: CANARY });
    await recordStageValidation(f.deps, { runId: f.runId, stage: CANARY, passed: true, evidenceKey: `evidence/${f.runId}/canary.json`, failures: [] });
    await requestApproval(f.deps, {
      runId: f.runId,
      stage: 'canary',
      approvalId,
      taskToken: 'token-SECRET',
      approvers: [ALICE, BOB],
      quorum: 1,
      expiresAt: new Date(f.clock.nowMs() + HOUR_MS).toISOString(),
      startedBy: 'local:carol',
      preventSelfApproval: true,
    });
    await markStageAwaitingApproval(f.deps, { runId: f.runId, stageName: 'canary', approvalId });
    return { approvalId, items };
  }

  const reject = (approvalId: string, comment = 'totals are off by 100x') =>
    recordDecision(f.deps, { runId: f.runId, approvalId, approver: ALICE, decision: 'reject', comment, sourceIp: '203.0.113.7', userAgent: 'test' });

  it('marks the run REJECTED with who rejected it and their comment, audited, and keeps the canary (onRejection keep-canary)', async () => {
    // GIVEN alice rejected the canary's approval
    const { approvalId } = await waitingForApproval();
    await reject(approvalId);
    const audit = await watchAudit(f.deps, f.runId);
    // WHEN RecordRejection runs with the Catch's error
    const result = await recordRejection(f.deps, { runId: f.runId, spec, stage: 'canary', error: REJECTED });
    // THEN the run is REJECTED, naming the stage, the approver and the comment
    const rejection = { stage: 'canary', outcome: 'rejected', approvalId, by: ALICE, comment: 'totals are off by 100x', at: new Date(f.clock.nowMs()).toISOString() };
    expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'REJECTED', rejection });
    expect(await audit.appended()).toEqual([
      expect.objectContaining({ type: 'StageRejected', detail: expect.objectContaining({ stage: 'canary', approvalId, outcome: 'REJECTED', by: [ALICE] }) }),
      expect.objectContaining({ type: 'RunRejected', actor: ALICE, detail: rejection }),
    ]);
    // AND its canary stage is REJECTED, by alice
    expect((await listStages(f.deps, f.runId))[0]).toMatchObject({ name: 'canary', status: 'REJECTED', decision: 'REJECTED', decidedBy: [ALICE], approvalId });
    // AND the workflow keeps the canary, and ends with a Cause that says who and why
    expect(result).toEqual({
      rollback: false,
      cause: `Run ${f.runId} was rejected at stage canary by ${ALICE}: "totals are off by 100x". Nothing beyond the canary stage was written; a rejected run does not resume: fix the cause and start a new run under another name`,
    });
  });

  it('asks for the canary to be rolled back when spec.approval.onRejection is rollback-canary', async () => {
    const { approvalId } = await waitingForApproval();
    await reject(approvalId);
    const result = await recordRejection(f.deps, { runId: f.runId, spec: stagedSpec(f.spec, 'rollback-canary'), stage: 'canary', error: REJECTED });
    expect(result.rollback).toBe(true);
  });

  it('on a timeout closes the approval EXPIRED (audited as a timeout) and marks the run REJECTED as timed out', async () => {
    // GIVEN nobody decided before RequestApproval timed out
    const { approvalId } = await waitingForApproval();
    const audit = await watchAudit(f.deps, f.runId);
    // WHEN RecordRejection runs with States.Timeout
    const result = await recordRejection(f.deps, { runId: f.runId, spec, stage: 'canary', error: TIMED_OUT });
    // THEN the approval is EXPIRED, why is recorded, and no decision can be made on it any more
    expect(await getApproval(f.deps, f.runId, approvalId)).toMatchObject({ status: 'EXPIRED', expiredReason: 'States.Timeout: no decision within spec.approval.timeoutSeconds (3600 s)' });
    // AND the run is REJECTED as timed out, audited after ApprovalExpired
    expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'REJECTED', rejection: { stage: 'canary', outcome: 'timed-out', approvalId } });
    expect((await audit.appended()).map((e) => [e.type, e.actor])).toEqual([
      ['ApprovalExpired', undefined],
      ['StageRejected', undefined],
      ['RunRejected', 'aws.states'],
    ]);
    expect((await listStages(f.deps, f.runId))[0]).toMatchObject({ name: 'canary', status: 'REJECTED', decidedBy: [] });
    expect(result.cause).toContain('was rejected at stage canary: nobody decided within spec.approval.timeoutSeconds (timeout means rejection)');
  });

  it('changes nothing more when retried (a retried RecordRejection task)', async () => {
    const { approvalId } = await waitingForApproval();
    await reject(approvalId);
    const first = await recordRejection(f.deps, { runId: f.runId, spec, stage: 'canary', error: REJECTED });
    const before = await getRun(f.deps, f.runId);
    const audit = await watchAudit(f.deps, f.runId);
    f.clock.advance(1_000);

    const again = await recordRejection(f.deps, { runId: f.runId, spec, stage: 'canary', error: REJECTED });

    expect(again).toEqual(first);
    expect(await getRun(f.deps, f.runId)).toEqual(before);
    expect(await audit.appended()).toEqual([]);
  });

  it('refuses an error that is neither a rejection nor a timeout, changing nothing', async () => {
    await waitingForApproval();
    const before = await getRun(f.deps, f.runId);
    const refused = recordRejection(f.deps, { runId: f.runId, spec, stage: 'canary', error: { Error: 'States.TaskFailed', Cause: 'boom' } });
    await expect(refused).rejects.toThrow(NotARejectionError);
    await expect(refused).rejects.toThrow(/got error "States.TaskFailed", which is neither ApprovalRejected nor States.Timeout/);
    expect(await getRun(f.deps, f.runId)).toEqual(before);
  });

  it('refuses ApprovalRejected when the ledger holds no rejecting decision for the stage, changing nothing', async () => {
    const { approvalId } = await waitingForApproval();
    const before = await getRun(f.deps, f.runId);
    const refused = recordRejection(f.deps, { runId: f.runId, spec, stage: 'canary', error: REJECTED });
    await expect(refused).rejects.toThrow(RejectionNotRecordedError);
    await expect(refused).rejects.toThrow(`approval ${approvalId} is OPEN`);
    expect(await getRun(f.deps, f.runId)).toEqual(before);
    expect((await getApproval(f.deps, f.runId, approvalId))?.status).toBe('OPEN');
  });

  it('on a timeout whose approval was APPROVED (recorded, never delivered) refuses to call it a rejection and rolls nothing back', async () => {
    // GIVEN alice approved (the record is APPROVED) but SendTaskSuccess never reached the run, which then timed out
    const { approvalId } = await waitingForApproval();
    await recordDecision(f.deps, { runId: f.runId, approvalId, approver: ALICE, decision: 'approve', comment: 'ok', sourceIp: '203.0.113.7', userAgent: 'test' });
    const before = await getRun(f.deps, f.runId);
    // WHEN RecordRejection runs with the timeout, under onRejection rollback-canary
    const refused = recordRejection(f.deps, { runId: f.runId, spec: stagedSpec(f.spec, 'rollback-canary'), stage: 'canary', error: TIMED_OUT });
    // THEN it refuses with a named error (its Catch ends the run FAILED via MarkRunFailed with this cause), saying the approval is kept
    await expect(refused).rejects.toThrow(ApprovalNotDeliveredError);
    await expect(refused).rejects.toThrow(`approval ${approvalId} was APPROVED by ${ALICE}: the answer never reached the run`);
    // AND nothing is changed: the run is not REJECTED, the approval stays APPROVED, the canary stage is not rejected
    expect(await getRun(f.deps, f.runId)).toEqual(before);
    expect((await getApproval(f.deps, f.runId, approvalId))?.status).toBe('APPROVED');
    expect((await listStages(f.deps, f.runId))[0]?.status).not.toBe('REJECTED');
  });

  it('claims no batch after the run is REJECTED: a worker child that starts late is refused and writes nothing', async () => {
    // GIVEN a rejected run, with batches of its plan never processed
    const { approvalId, items } = await waitingForApproval();
    await reject(approvalId);
    await recordRejection(f.deps, { runId: f.runId, spec, stage: 'canary', error: REJECTED });
    const targetBefore = await f.dumpTarget();
    // WHEN a worker child gets one of its batches
    const refused = processWorkerInput(f.deps, WorkerInputSchema.parse({ Items: items.slice(1), BatchInput: { runId: f.runId, spec } }), 'late-attempt');
    // THEN it is refused, no batch is claimed and nothing is written
    await expect(refused).rejects.toThrow(RunNotRunningError);
    await expect(refused).rejects.toThrow(/is REJECTED; cannot process batches/);
    expect(await f.batch(items[1]!.batchId)).toBeUndefined();
    expect(await f.dumpTarget()).toBe(targetBefore);
  });

  it('is what the reject-run handler runs, on its Parameters', async () => {
    const { approvalId } = await waitingForApproval();
    await reject(approvalId, '');
    const handler = HANDLER_FACTORIES['reject-run'](f.deps);
    const result = await handler({ runId: f.runId, spec, stage: 'canary', error: REJECTED }, { awsRequestId: 'r-1' });
    expect(result).toEqual({ rollback: false, cause: expect.stringContaining(`by ${ALICE} (no comment)`) });
    expect((await listAudit(f.deps, f.runId)).at(-1)).toMatchObject({ type: 'RunRejected', actor: ALICE });
  });
});
