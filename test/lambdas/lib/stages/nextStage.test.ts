import {
  beginStage,
  getRun,
  listStages,
  markStageAwaitingApproval,
  newApprovalId,
  recordDecision,
  recordStageDecision,
  recordStageValidation,
  requestApproval,
  StageApprovalMismatchError,
  StageTransitionError,
  startOrResumeRun,
} from '../../../../lambdas/lib/ledger';
import { specHash } from '../../../../lambdas/lib/spec';
import { ApprovalNotGrantedError, completeStage, nextStage, planStages, PlanHasNoStagesError, StageRejectedError, type PlannedStage } from '../../../../lambdas/lib/stages';
import { dynamoTargets } from '../../../support';
import { useFreshRunFixture, type Fixture } from '../../support/fixture';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

describe.each(dynamoTargets())('nextStage and completeStage on %s', (target) => {
  const fixture = useFreshRunFixture(target);
  let f: Fixture;
  let stages: PlannedStage[];
  let canary: PlannedStage;
  let wave1: PlannedStage;
  beforeEach(async () => {
    f = fixture();
    await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec) });
    // 4 batches: canary b0, wave-1 b1 (50%), wave-2 b2..b3 (100%)
    stages = planStages({ runId: f.runId, planHash: 'a'.repeat(64), batchCount: 4 }, { canary: { batches: 1 }, waves: [50, 100] });
    [canary, wave1] = stages as [PlannedStage, PlannedStage];
  });

  const next = () => nextStage(f.deps, { runId: f.runId, plan: { stages } });
  const statuses = async () => (await listStages(f.deps, f.runId)).map((s) => [s.name, s.status]);
  const validate = (stage: PlannedStage) => recordStageValidation(f.deps, { runId: f.runId, stage, passed: true, evidenceKey: `evidence/${f.runId}/${stage.name}.json`, failures: [] });
  /** The canary validated and waiting for a new OPEN approval (quorum 1 of alice and bob); returns its id. */
  async function canaryAwaitingApproval(): Promise<string> {
    await next();
    await validate(canary);
    const approvalId = newApprovalId();
    await requestApproval(f.deps, {
      runId: f.runId, stage: 'canary', approvalId, taskToken: 'token-1', approvers: [ALICE, BOB], quorum: 1,
      expiresAt: new Date(f.clock.nowMs() + 3_600_000).toISOString(), startedBy: 'local:carol', preventSelfApproval: true,
    });
    await markStageAwaitingApproval(f.deps, { runId: f.runId, stageName: 'canary', approvalId });
    return approvalId;
  }
  const decide = (approvalId: string, approver: string, decision: 'approve' | 'reject') =>
    recordDecision(f.deps, { runId: f.runId, approvalId, approver, decision, comment: '', sourceIp: '127.0.0.1', userAgent: 'test' });

  describe('nextStage', () => {
    it('begins the canary of a new staged run', async () => {
      await expect(next()).resolves.toEqual({ done: false, stage: canary, resumeAt: 'process' });
      expect(await statuses()).toEqual([['canary', 'RUNNING']]);
      expect((await getRun(f.deps, f.runId))?.stage).toEqual({ name: 'canary', status: 'RUNNING' });
    });

    it('goes on to the first stage not passed, and is done once every stage passed', async () => {
      await next();
      await validate(canary);
      await completeStage(f.deps, { runId: f.runId, stage: canary });
      await expect(next()).resolves.toEqual({ done: false, stage: wave1, resumeAt: 'process' });
      for (const stage of stages.slice(1)) {
        await validate(stage);
        await completeStage(f.deps, { runId: f.runId, stage });
        await next();
      }
      await expect(next()).resolves.toEqual({ done: true });
      expect(await statuses()).toEqual([['canary', 'PASSED'], ['wave-1', 'PASSED'], ['wave-2', 'PASSED']]);
    });

    it.each([
      ['interrupted while processing (RUNNING)', async () => undefined],
      ['validated but not yet passed (VALIDATED)', async () => void (await validate(canary))],
      ['whose gate failed, when the run is resumed (GATE_FAILED)', async () => void (await recordStageValidation(f.deps, { runId: f.runId, stage: canary, passed: false, evidenceKey: 'e', failures: ['x'] }))],
    ])('re-enters a stage %s at its processing', async (_when, interrupt) => {
      await next();
      await interrupt();
      await expect(next()).resolves.toEqual({ done: false, stage: canary, resumeAt: 'process' });
      expect(await statuses()).toEqual([['canary', 'RUNNING']]);
    });

    it('re-enters a stage waiting for an OPEN approval at the approval, with the same approvalId, without processing it again', async () => {
      const approvalId = await canaryAwaitingApproval();
      await expect(next()).resolves.toEqual({ done: false, stage: canary, resumeAt: 'approval', approvalId });
      expect(await statuses()).toEqual([['canary', 'AWAITING_APPROVAL']]);
    });

    it('passes a stage whose approval was given while the run was away, and goes on to the next stage', async () => {
      const approvalId = await canaryAwaitingApproval();
      await decide(approvalId, ALICE, 'approve');
      await expect(next()).resolves.toEqual({ done: false, stage: wave1, resumeAt: 'process' });
      expect((await listStages(f.deps, f.runId))[0]).toMatchObject({ status: 'PASSED', decision: 'APPROVED', decidedBy: [ALICE], approvalId });
    });

    it('sends a stage whose approval was rejected while the run was away back to its approval (RequestApproval answers ApprovalRejected)', async () => {
      const approvalId = await canaryAwaitingApproval();
      await decide(approvalId, BOB, 'reject');
      await expect(next()).resolves.toEqual({ done: false, stage: canary, resumeAt: 'approval', approvalId });
    });

    it('refuses to go past a REJECTED stage, naming who rejected it', async () => {
      await canaryAwaitingApproval();
      await recordStageDecision(f.deps, { runId: f.runId, stageName: 'canary', outcome: 'REJECTED', by: [BOB] });
      const refusal = await next().catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(StageRejectedError);
      expect((refusal as Error).message).toContain(`Stage canary of run ${f.runId} was rejected by ${BOB}; nothing after it is written`);
      expect(await statuses()).toEqual([['canary', 'REJECTED']]);
    });

    it('is done at once for a plan of no stage, and refuses a plan without stages', async () => {
      await expect(nextStage(f.deps, { runId: f.runId, plan: { stages: [] } })).resolves.toEqual({ done: true });
      await expect(nextStage(f.deps, { runId: f.runId, plan: {} })).rejects.toThrow(PlanHasNoStagesError);
      expect(await statuses()).toEqual([]);
    });
  });

  describe('completeStage', () => {
    it('passes a validated stage that needs no approval', async () => {
      await beginStage(f.deps, { runId: f.runId, stage: canary });
      await validate(canary);
      await expect(completeStage(f.deps, { runId: f.runId, stage: canary })).resolves.toMatchObject({ status: 'PASSED' });
    });

    it('passes a stage by its approval, recording who approved from the ledger, not from the task output', async () => {
      const approvalId = await canaryAwaitingApproval();
      await decide(approvalId, ALICE, 'approve');
      await expect(completeStage(f.deps, { runId: f.runId, stage: canary, approval: { approvalId, approvedBy: [ALICE, BOB] } })).resolves.toMatchObject({
        status: 'PASSED', decision: 'APPROVED', decidedBy: [ALICE],
      });
    });

    it('refuses a forged SendTaskSuccess (the approval still OPEN in the ledger) and changes nothing', async () => {
      // GIVEN the canary waits for an approval nobody decided
      const approvalId = await canaryAwaitingApproval();
      // WHEN the task is released with a fabricated output naming the approval
      const forged = completeStage(f.deps, { runId: f.runId, stage: canary, approval: { approvalId, approvedBy: [ALICE, BOB] } });
      // THEN the stage does not pass: the error names the approval and its status in the ledger
      await expect(forged).rejects.toThrow(ApprovalNotGrantedError);
      await expect(forged).rejects.toThrow(`Stage canary of run ${f.runId} was released by a task output naming approval ${approvalId}, but the ledger has that approval OPEN, not APPROVED`);
      expect((await listStages(f.deps, f.runId))[0]).toMatchObject({ status: 'AWAITING_APPROVAL', approvalId });
      expect((await listStages(f.deps, f.runId))[0]?.decidedBy).toBeUndefined();
    });

    it('refuses a task output naming a rejected or an unknown approval, and changes nothing', async () => {
      const approvalId = await canaryAwaitingApproval();
      await expect(completeStage(f.deps, { runId: f.runId, stage: canary, approval: { approvalId: newApprovalId(), approvedBy: [ALICE] } })).rejects.toThrow(ApprovalNotGrantedError);
      await decide(approvalId, BOB, 'reject');
      await expect(completeStage(f.deps, { runId: f.runId, stage: canary, approval: { approvalId, approvedBy: [ALICE] } })).rejects.toThrow('the ledger has that approval REJECTED, not APPROVED');
      expect((await listStages(f.deps, f.runId))[0]).toMatchObject({ status: 'AWAITING_APPROVAL', approvalId });
    });

    it('refuses to pass a stage waiting for an approval without it, or with another approved approval, and changes nothing', async () => {
      const approvalId = await canaryAwaitingApproval();
      await expect(completeStage(f.deps, { runId: f.runId, stage: canary })).rejects.toThrow(StageTransitionError);
      // GIVEN another approval of the same stage, approved, that the stage does not wait for
      const otherId = newApprovalId();
      await requestApproval(f.deps, {
        runId: f.runId, stage: 'canary', approvalId: otherId, taskToken: 'token-2', approvers: [ALICE, BOB], quorum: 1,
        expiresAt: new Date(f.clock.nowMs() + 3_600_000).toISOString(), startedBy: 'local:carol', preventSelfApproval: true,
      });
      await decide(otherId, ALICE, 'approve');
      const other = completeStage(f.deps, { runId: f.runId, stage: canary, approval: { approvalId: otherId, approvedBy: [ALICE] } });
      await expect(other).rejects.toThrow(StageApprovalMismatchError);
      expect((await listStages(f.deps, f.runId))[0]).toMatchObject({ status: 'AWAITING_APPROVAL', approvalId });
    });
  });
});
