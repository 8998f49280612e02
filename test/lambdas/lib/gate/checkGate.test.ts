import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { HANDLER_FACTORIES } from '../../../../lambdas/handlerFactories';
import { BREAKER_PK, BREAKER_SK, openBreaker } from '../../../../lambdas/lib/breaker';
import { abortAfterTimeout, awaitOperator, decideAfterMap, FAILURES_ACTOR, leftBatches, markAborted, RunAbortedWhilePausingError, RunAlreadyResumedError, RunNotGatableError } from '../../../../lambdas/lib/gate';
import {
  claimBatch,
  completeBatch,
  failBatch,
  getRun,
  listAudit,
  markRunFailed,
  requestAbort,
  requestPause,
  requestResume,
  startOrResumeRun,
  ZERO_COUNTS,
} from '../../../../lambdas/lib/ledger';
import { InvalidEventError } from '../../../../lambdas/lib/runtime/errors';
import { specHash, type Spec } from '../../../../lambdas/lib/spec';
import { batchIdOf } from '../../../../lambdas/lib/plan';
import { dynamoTargets } from '../../../support';
import { useFreshRunFixture, type Fixture } from '../../support/fixture';

const OPERATOR = 'local:ana';
const FAILURES = { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'The specified tolerated failure threshold was exceeded: 1 of 6 items failed' };

describe.each(dynamoTargets())('the workflow gate (check-gate) on %s', (target) => {
  const fixture = useFreshRunFixture(target);
  let f: Fixture;
  beforeEach(async () => {
    f = fixture();
    // The breaker is one record per ledger: each test starts with it CLOSED (absent).
    await f.deps.clients.ddb.send(new DeleteCommand({ TableName: f.deps.ledgerTable, Key: { pk: BREAKER_PK, sk: BREAKER_SK } }));
  });

  const specWith = (overrides: Partial<Spec> = {}): Spec => ({ ...f.spec, ...overrides });
  const start = (spec: Spec = f.spec) => startOrResumeRun(f.deps, { runId: f.runId, spec, specHash: specHash(spec) });
  const done = async (index: number) => {
    const claim = await claimBatch(f.deps, { runId: f.runId, batchId: batchIdOf(index), owner: 'w', leaseSeconds: 60 });
    if (claim.kind === 'claimed') await completeBatch(f.deps, claim.lease, { counts: ZERO_COUNTS });
  };
  const failed = async (index: number) => {
    const claim = await claimBatch(f.deps, { runId: f.runId, batchId: batchIdOf(index), owner: 'w', leaseSeconds: 60 });
    if (claim.kind === 'claimed') await failBatch(f.deps, claim.lease, new Error('boom'));
  };
  const after = (spec: Spec, extra: { error?: typeof FAILURES; stage?: { name: string; firstBatch: number; batchCount: number } } = {}) =>
    decideAfterMap(f.deps, { runId: f.runId, spec, plan: { batchCount: 6 }, ...extra });

  describe('after-map', () => {
    it('continues when every batch of the map is DONE or FAILED and the gate is open', async () => {
      await start();
      for (const i of [0, 1, 2, 3, 4]) await done(i);
      await failed(5);
      expect(await after(f.spec)).toEqual({ next: 'continue', pauseTimeoutSeconds: 86_400 });
    });

    it('reruns the map when the gate is open but batches were left unclaimed (a pause resumed before it drained)', async () => {
      await start();
      for (const i of [0, 1, 2]) await done(i);
      expect(await after(f.spec)).toMatchObject({ next: 'rerun' });
    });

    it('judges a stage\'s map by the stage\'s slice of the plan', async () => {
      await start();
      for (const i of [2, 3]) await done(i);
      expect(await after(f.spec, { stage: { name: 'wave-1', firstBatch: 2, batchCount: 2 } })).toMatchObject({ next: 'continue' });
      expect(await after(f.spec, { stage: { name: 'wave-2', firstBatch: 4, batchCount: 2 } })).toMatchObject({ next: 'rerun' });
    });

    it('does not rerun for batches a failed child skipped (they count against the tolerance, as Finalize counts them)', async () => {
      // GIVEN 2 batches per child: the child of b0000002-b0000003 failed at its first batch
      await start(specWith({ batchesPerWorker: 2 }));
      for (const i of [0, 1, 4, 5]) await done(i);
      await failed(2);
      expect(await leftBatches(f.deps, f.runId, { firstBatch: 0, batchCount: 6, batchesPerWorker: 2 })).toEqual([]);
      expect(await after(specWith({ batchesPerWorker: 2 }))).toMatchObject({ next: 'continue' });
    });

    it('says pause for an operator\'s pause, with who and why, and the spec\'s pauseTimeoutSeconds', async () => {
      await start(specWith({ pauseTimeoutSeconds: 600 }));
      await requestPause(f.deps, f.runId, { by: OPERATOR, reason: 'live latency', trigger: 'operator' });
      expect(await after(specWith({ pauseTimeoutSeconds: 600, onFailure: 'stop' }))).toEqual({
        next: 'pause',
        pauseTimeoutSeconds: 600,
        trigger: { kind: 'operator', by: OPERATOR, reason: 'live latency' },
      });
    });

    it.each([false, true])('says abort for an aborting run (rollback %s)', async (rollback) => {
      await start();
      await requestAbort(f.deps, f.runId, { by: OPERATOR, reason: 'wrong spec', rollback });
      expect(await after(f.spec)).toMatchObject({ next: 'abort', abortRollback: rollback, trigger: { kind: 'operator', by: OPERATOR } });
    });

    it('applies onFailure "pause" (the default) when the breaker is open: the run is PAUSING with the breaker as trigger', async () => {
      await start();
      await openBreaker(f.deps, { by: 'alarm:backfill-health', reason: 'throttles' });
      expect(await after(f.spec)).toMatchObject({ next: 'pause', trigger: { kind: 'breaker', by: 'alarm:backfill-health', reason: 'the breaker opened: throttles' } });
      expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'PAUSING', control: { action: 'pause', trigger: 'breaker' } });
    });

    it('continues when the breaker opened after every batch of the last map settled (nothing left to write)', async () => {
      // GIVEN every batch DONE or FAILED, then the breaker opens
      await start();
      for (const i of [0, 1, 2, 3, 4]) await done(i);
      await failed(5);
      await openBreaker(f.deps, { by: 'alarm:backfill-health', reason: 'throttles' });
      // THEN an unstaged run and the last stage go on to Finalize / ValidateStage, the run still RUNNING
      expect(await after(f.spec)).toEqual({ next: 'continue', pauseTimeoutSeconds: 86_400 });
      expect(await after(f.spec, { stage: { name: 'wave-1', firstBatch: 3, batchCount: 3 } })).toMatchObject({ next: 'continue' });
      expect((await getRun(f.deps, f.runId))?.status).toBe('RUNNING');
      // AND a stage with stages to go still pauses before the next one writes
      expect(await after(f.spec, { stage: { name: 'canary', firstBatch: 0, batchCount: 3 } })).toMatchObject({ next: 'pause', trigger: { kind: 'breaker' } });
    });

    it('stops rerunning a map that leaves the same batches 3 times over: the onFailure policy, trigger failures, naming them', async () => {
      // GIVEN a child that fails before claiming any batch: b0000004 and b0000005 never get a record
      await start(specWith({ onFailure: 'stop' }));
      for (const i of [0, 1, 2, 3]) await done(i);
      // WHEN CheckGate judges the map after each rerun
      for (let rerun = 1; rerun <= 3; rerun++) expect(await after(specWith({ onFailure: 'stop' }))).toMatchObject({ next: 'rerun' });
      const decision = await after(specWith({ onFailure: 'stop' }));
      // THEN the 4th time it applies the policy
      expect(decision).toMatchObject({ next: 'stop', trigger: { kind: 'failures', by: FAILURES_ACTOR } });
      expect(decision.trigger?.reason).toContain('(b0000004, b0000005)');
      expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'STOPPED', stoppedBy: 'failures' });
    });

    it('counts reruns without progress only: a rerun that finished batches starts the count again', async () => {
      await start();
      for (const i of [0, 1]) await done(i);
      for (let rerun = 1; rerun <= 3; rerun++) expect(await after(f.spec)).toMatchObject({ next: 'rerun' });
      await done(2);
      for (let rerun = 1; rerun <= 3; rerun++) expect(await after(f.spec)).toMatchObject({ next: 'rerun' });
      expect(await after(f.spec)).toMatchObject({ next: 'pause', trigger: { kind: 'failures' } });
    });

    it.each(['stop', 'rollback'] as const)('applies onFailure "%s" when failures passed the tolerance: the run is STOPPED by failures, audited', async (policy) => {
      await start(specWith({ onFailure: policy }));
      await failed(2);
      const decision = await after(specWith({ onFailure: policy }), { error: FAILURES });
      // The trigger's reason names the failed batches with their errors, as MarkRunFailed's Cause does
      const named = expect.stringContaining('b0000002: Error: boom');
      expect(decision).toMatchObject({ next: policy, trigger: { kind: 'failures', by: FAILURES_ACTOR, reason: named } });
      expect(decision.trigger?.reason).toContain(FAILURES.Cause);
      expect(decision.cause).toContain(`onFailure "${policy}": failures passed the tolerance`);
      expect(decision.cause).toContain('b0000002: Error: boom');
      expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'STOPPED', stoppedBy: 'failures', stopReason: named });
      const audit = (await listAudit(f.deps, f.runId)).map((e) => [e.type, e.detail?.policy ?? e.detail?.trigger]);
      expect(audit).toEqual(expect.arrayContaining([['RunPauseRequested', 'failures'], ['RunStopped', policy]]));
    });

    it('a retried call after the policy stopped the run answers the same, changing nothing', async () => {
      await start(specWith({ onFailure: 'stop' }));
      const first = await after(specWith({ onFailure: 'stop' }), { error: FAILURES });
      const events = (await listAudit(f.deps, f.runId)).length;
      expect(await after(specWith({ onFailure: 'stop' }), { error: FAILURES })).toEqual(first);
      expect((await listAudit(f.deps, f.runId)).length).toBe(events);
    });

    it('an operator\'s pause wins over failures past the tolerance', async () => {
      await start(specWith({ onFailure: 'stop' }));
      await requestPause(f.deps, f.runId, { by: OPERATOR, reason: 'look first', trigger: 'operator' });
      expect(await after(specWith({ onFailure: 'stop' }), { error: FAILURES })).toMatchObject({ next: 'pause', trigger: { kind: 'operator' } });
      expect((await getRun(f.deps, f.runId))?.status).toBe('PAUSING');
    });

    it('refuses a run another execution or an operator ended (FAILED), naming the status', async () => {
      await start();
      await markRunFailed(f.deps, f.runId, { Error: 'X', Cause: 'y' });
      await expect(after(f.spec)).rejects.toThrow(RunNotGatableError);
      await expect(after(f.spec)).rejects.toThrow(`Run ${f.runId} is FAILED; cannot go on after its map`);
    });
  });

  describe('await-operator', () => {
    it('marks the drained run PAUSED with the token; a second call (a retry) replaces the token', async () => {
      await start();
      await requestPause(f.deps, f.runId, { by: OPERATOR, reason: 'r', trigger: 'operator' });
      await awaitOperator(f.deps, { runId: f.runId, taskToken: 'token-1' });
      expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'PAUSED', control: { taskToken: 'token-1', by: OPERATOR } });
      await awaitOperator(f.deps, { runId: f.runId, taskToken: 'token-2' });
      expect((await getRun(f.deps, f.runId))?.control?.taskToken).toBe('token-2');
    });

    it('says so when the run was resumed or aborted while it drained', async () => {
      await start();
      await requestPause(f.deps, f.runId, { by: OPERATOR, reason: 'r', trigger: 'operator' });
      await requestResume(f.deps, f.runId, { by: OPERATOR });
      await expect(awaitOperator(f.deps, { runId: f.runId, taskToken: 't' })).rejects.toThrow(RunAlreadyResumedError);
      await requestAbort(f.deps, f.runId, { by: OPERATOR, reason: 'no', rollback: false });
      await expect(awaitOperator(f.deps, { runId: f.runId, taskToken: 't' })).rejects.toThrow(RunAbortedWhilePausingError);
    });

    it('the handler tells the operators (the operations topic: exactly this message)', async () => {
      await start();
      await requestPause(f.deps, f.runId, { by: OPERATOR, reason: 'live latency', trigger: 'operator' });
      const published: PublishCommandInput[] = [];
      const handler = HANDLER_FACTORIES['check-gate']({ ...f.deps, operations: { topicArn: 'arn:aws:sns:us-east-1:000000000000:ops', publish: async (input) => void published.push(input) } });
      await handler({ action: 'await-operator', runId: f.runId, taskToken: 'secret-token' }, { awsRequestId: 'r-1' });
      expect(published).toEqual([
        {
          TopicArn: 'arn:aws:sns:us-east-1:000000000000:ops',
          Subject: `Backfill run ${f.runId} is PAUSED`,
          Message:
            `Run ${f.runId} (doubler-test) is PAUSED: paused by ${OPERATOR}: live latency.\n` +
            `Resume it: backfill resume ${f.runId}\nAbort it: backfill abort ${f.runId} --reason "..." [--rollback]\n` +
            'Without an answer within pauseTimeoutSeconds (86400) it is aborted.',
        },
      ]);
      expect(JSON.stringify(published)).not.toContain('secret-token');
    });
  });

  describe('mark-aborted and abort-after-timeout', () => {
    it('marks an aborting run ABORTED, saying whether it rolls back; a retry answers the same', async () => {
      await start();
      await requestAbort(f.deps, f.runId, { by: OPERATOR, reason: 'wrong spec', rollback: true });
      const aborted = await markAborted(f.deps, { runId: f.runId });
      expect(aborted).toEqual({ rollback: true, by: OPERATOR, reason: 'wrong spec', cause: `Run ${f.runId} was aborted by ${OPERATOR}: wrong spec; what it wrote is rolled back` });
      expect((await getRun(f.deps, f.runId))?.status).toBe('ABORTED');
      expect(await markAborted(f.deps, { runId: f.runId })).toEqual(aborted);
    });

    it('aborts a paused run nobody answered (by pause-timeout, without rollback)', async () => {
      await start();
      await requestPause(f.deps, f.runId, { by: OPERATOR, reason: 'lunch', trigger: 'operator' });
      await awaitOperator(f.deps, { runId: f.runId, taskToken: 't' });
      await abortAfterTimeout(f.deps, { runId: f.runId, pauseTimeoutSeconds: 60 });
      expect(await markAborted(f.deps, { runId: f.runId })).toMatchObject({ rollback: false, by: 'pause-timeout', reason: expect.stringContaining('pauseTimeoutSeconds 60 (paused by local:ana: lunch)') });
    });

    it('does not abort a run resumed as its wait timed out', async () => {
      await start();
      await expect(abortAfterTimeout(f.deps, { runId: f.runId, pauseTimeoutSeconds: 60 })).rejects.toThrow(RunAlreadyResumedError);
      expect((await getRun(f.deps, f.runId))?.status).toBe('RUNNING');
    });
  });

  it('the handler refuses a bad event with a named error, changing nothing', async () => {
    await start();
    const handler = HANDLER_FACTORIES['check-gate'](f.deps);
    await expect(handler({ action: 'await-operator', runId: f.runId }, { awsRequestId: 'r-1' })).rejects.toThrow(InvalidEventError);
    await expect(handler({ action: 'pause-everything', runId: f.runId }, { awsRequestId: 'r-1' })).rejects.toThrow(InvalidEventError);
    expect((await getRun(f.deps, f.runId))?.status).toBe('RUNNING');
  });
});
