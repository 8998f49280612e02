import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { LOCAL_NAMES } from '../../../infra/definitions';
import {
  beginStage,
  getBatch,
  getRun,
  markStageAwaitingApproval,
  newApprovalId,
  recordDecision,
  recordStageValidation,
  requestApproval,
  startOrResumeRun,
} from '../../../lambdas/lib/ledger';
import { buildPlan, ManifestItemSchema } from '../../../lambdas/lib/plan';
import { SpecSchema, specHash, type Spec } from '../../../lambdas/lib/spec';
import type { PlannedStage } from '../../../lambdas/lib/stages/PlannedStage';
import { processWorkerInput, WorkerInputSchema } from '../../../lambdas/lib/worker';
import { loadDefinition, localNestedExecutions, runExecution, TaskTokens, type ExecutionOutcome } from '../../../local/engine';
import type { LocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { localFunctions, ROLLBACK_STATE_MACHINE_NAME } from '../../../local/runtime/localFunctions';
import { BACKFILL_ASL } from '../../../local/runtime/runBackfillLocally';
import { ROLLBACK_ASL } from '../../../local/runtime/runRollbackLocally';
import { exampleSpec, targetDump, useSeededEnvironments } from './localRun';

const APPROVER = 'alice@example.com';

/**
 * The rejection states of statemachines/backfill.asl.json (RecordRejection → IsCanaryRolledBack →
 * RollbackCanary → Rejected / RejectedRollbackFailed), run from RecordRejection on the real handlers
 * and the real rollback state machine, after a canary was written and its approval rejected.
 */
describe('the backfill ASL after a rejected approval', () => {
  const seeded = useSeededEnvironments();

  function stagedSpec(onRejection: 'keep-canary' | 'rollback-canary'): Spec {
    return SpecSchema.parse(exampleSpec({ batchSize: 200, rollout: { canary: { batches: 1 }, waves: [100] }, approval: { approvers: [APPROVER], onRejection } }));
  }

  /** GIVEN the canary of a 3-batch run written, validated, and its approval rejected by alice. */
  async function rejectedCanary(env: LocalEnvironment, runId: string, spec: Spec, decision: 'approve' | 'reject' = 'reject'): Promise<{ canary: PlannedStage }> {
    const { deps } = env;
    await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec), startedBy: 'local:carol' });
    const plan = await buildPlan(deps, runId, spec);
    const canary = plan.stages![0]!;
    const { Body } = await env.clients.s3.send(new GetObjectCommand({ Bucket: plan.manifestBucket, Key: canary.manifestKey }));
    const items = (await Body!.transformToString()).split('\n').filter(Boolean).map((line) => ManifestItemSchema.parse(JSON.parse(line)));
    await beginStage(deps, { runId, stage: canary });
    await processWorkerInput(deps, WorkerInputSchema.parse({ Items: items, BatchInput: { runId, spec } }), 'canary-attempt');
    await recordStageValidation(deps, { runId, stage: canary, passed: true, evidenceKey: `evidence/${runId}/canary.json`, failures: [] });
    const approvalId = newApprovalId();
    await requestApproval(deps, {
      runId, stage: 'canary', approvalId, taskToken: 'token', approvers: [APPROVER], quorum: 1,
      expiresAt: new Date(deps.clock.nowMs() + 3_600_000).toISOString(), startedBy: 'local:carol', preventSelfApproval: true,
    });
    await markStageAwaitingApproval(deps, { runId, stageName: 'canary', approvalId });
    await recordDecision(deps, { runId, approvalId, approver: APPROVER, decision, comment: 'totals are off', sourceIp: '127.0.0.1', userAgent: 'test' });
    return { canary };
  }

  /** WHEN the workflow goes on from RequestApproval's Catch (`$.error` ApprovalRejected) at RecordRejection. */
  async function fromRecordRejection(env: LocalEnvironment, runId: string, spec: Spec, canary: PlannedStage, error = { Error: 'ApprovalRejected', Cause: `rejected by ${APPROVER}` }): Promise<ExecutionOutcome> {
    const backfill = localFunctions('backfill', env.deps);
    const rollback = localFunctions('rollback', env.deps);
    const definition = { ...loadDefinition(BACKFILL_ASL, backfill.substitutions), StartAt: 'RecordRejection' };
    return runExecution({
      definition,
      input: { runId, spec, next: { done: false, stage: canary, resumeAt: 'process' }, error },
      executionName: runId,
      stateMachineName: 'Backfill',
      taskHandlers: backfill.taskHandlers,
      s3: env.clients.s3,
      taskTokens: new TaskTokens(),
      nestedExecutions: localNestedExecutions([{ stateMachineName: ROLLBACK_STATE_MACHINE_NAME, definition: loadDefinition(ROLLBACK_ASL, rollback.substitutions), taskHandlers: rollback.taskHandlers }], { s3: env.clients.s3 }),
    });
  }

  it('keep-canary: ends the execution with ApprovalRejected and who and why, the run REJECTED, the canary kept', async () => {
    const { env } = await seeded(600);
    const spec = stagedSpec('keep-canary');
    const { canary } = await rejectedCanary(env, 'rejected-states-keep', spec);
    const afterCanary = await targetDump(env);

    const outcome = await fromRecordRejection(env, 'rejected-states-keep', spec, canary);

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'ApprovalRejected' });
    expect(outcome.cause).toContain(`Run rejected-states-keep was rejected at stage canary by ${APPROVER}: "totals are off"`);
    expect(await getRun(env.deps, 'rejected-states-keep')).toMatchObject({ status: 'REJECTED', rejection: { by: APPROVER } });
    expect(await targetDump(env)).toBe(afterCanary);
    expect(outcome.stats.taskInvocations['arn:aws:states:::states:startExecution.sync:2']).toBeUndefined();
  }, 120_000);

  it('rollback-canary: RollbackCanary rolls the canary back through the rollback state machine; the target is as before the run, the run REJECTED_ROLLED_BACK', async () => {
    const { env } = await seeded(600);
    const before = await targetDump(env);
    const spec = stagedSpec('rollback-canary');
    const { canary } = await rejectedCanary(env, 'rejected-states-rollback', spec);
    expect(await targetDump(env)).not.toBe(before);

    const outcome = await fromRecordRejection(env, 'rejected-states-rollback', spec, canary);

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'ApprovalRejected' });
    expect(await targetDump(env)).toBe(before);
    expect(await getRun(env.deps, 'rejected-states-rollback')).toMatchObject({
      status: 'REJECTED_ROLLED_BACK',
      rejection: { by: APPROVER },
      rollback: { status: 'REJECTED_ROLLED_BACK', rolledBackFrom: 'REJECTED', batches: 1 },
      rollbackRequestedBy: 'backfill (spec.approval.onRejection: rollback-canary)',
    });
  }, 120_000);

  it('a timeout whose approval is APPROVED (recorded, SendTaskSuccess lost) ends the run FAILED saying so, never rolling the approved canary back', async () => {
    const { env } = await seeded(600);
    const runId = 'rejected-states-undelivered';
    const spec = stagedSpec('rollback-canary');
    // GIVEN the canary written and approved by alice, but the run's wait timed out (the answer never reached it)
    const { canary } = await rejectedCanary(env, runId, spec, 'approve');
    const afterCanary = await targetDump(env);

    const outcome = await fromRecordRejection(env, runId, spec, canary, { Error: 'States.Timeout', Cause: 'no answer within TimeoutSeconds' });

    // THEN the execution fails through MarkRunFailed (not ApprovalRejected), the run is FAILED (resumable) with the cause, the canary as written
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).not.toBe('ApprovalRejected');
    expect(outcome.stats.taskInvocations['arn:aws:states:::states:startExecution.sync:2']).toBeUndefined();
    const run = await getRun(env.deps, runId);
    expect(run?.status).toBe('FAILED');
    expect(JSON.stringify(run)).toContain('ApprovalNotDeliveredError');
    expect(JSON.stringify(run)).toContain('the answer never reached the run');
    expect(await targetDump(env)).toBe(afterCanary);
  }, 120_000);

  it('a refused rollback ends the execution RejectedRollbackFailed with the rollback\'s error, and the run stays REJECTED (never RUNNING), the canary as written', async () => {
    const { env } = await seeded(600);
    const runId = 'rejected-states-refused';
    const spec = stagedSpec('rollback-canary');
    const { canary } = await rejectedCanary(env, runId, spec);
    // GIVEN the canary batch's snapshot is gone (the rollback refuses to restore without it)
    const batch = await getBatch(env.deps, runId, 'b0000000');
    await env.clients.s3.send(new DeleteObjectCommand({ Bucket: LOCAL_NAMES.artifactsBucket, Key: batch!.snapshot!.key }));
    const afterCanary = await targetDump(env);

    const outcome = await fromRecordRejection(env, runId, spec, canary);

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RejectedRollbackFailed' });
    expect(JSON.parse(outcome.cause!)).toMatchObject({ Status: 'FAILED', Error: 'SnapshotsUnusableError' });
    expect(await getRun(env.deps, runId)).toMatchObject({ status: 'REJECTED', rejection: { by: APPROVER } });
    expect(await targetDump(env)).toBe(afterCanary);
  }, 120_000);
});
