import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { BREAKER_PK, BREAKER_SK, BreakerOpenError, openBreaker, readBreaker, recordAlarmOk } from '../../../../lambdas/lib/breaker';
import {
  getRun,
  listAudit,
  markExecutionEnded,
  markRunAborted,
  markRunPaused,
  markRunStoppedByPolicy,
  releaseTaskToken,
  requestAbort,
  requestPause,
  requestResume,
  RunNotPausedError,
  RunNotResumableError,
  RunNotRunningError,
  markRunSucceeded,
  startOrResumeRun,
} from '../../../../lambdas/lib/ledger';
import { specHash } from '../../../../lambdas/lib/spec';
import { dynamoTargets } from '../../../support';
import { watchAudit } from '../../support/audit';
import { useFreshRunFixture, type Fixture } from '../../support/fixture';

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:e-1';
const TOKEN = 'AQCEAAAAKgAAAA-secret-token';
const ANA = 'arn:aws:iam::123456789012:user/ana';

describe.each(dynamoTargets().slice(0, 1))('pause, resume and abort records (on %s)', (target) => {
  const fixture = useFreshRunFixture(target);
  let f: Fixture;
  beforeEach(async () => {
    f = fixture();
    // The breaker is one per ledger, and these tests share one: each starts with it closed.
    await f.deps.clients.ddb.send(new DeleteCommand({ TableName: f.deps.ledgerTable, Key: { pk: BREAKER_PK, sk: BREAKER_SK } }));
    await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), executionArn: EXECUTION });
  });
  const run = () => getRun(f.deps, f.runId);
  const at = () => new Date(f.clock.nowMs()).toISOString();
  const pause = () => requestPause(f.deps, f.runId, { by: ANA, reason: 'orders deploy', trigger: 'operator' });
  const paused = async () => {
    await pause();
    await markRunPaused(f.deps, f.runId, { taskToken: TOKEN });
  };

  describe('requestPause', () => {
    it('records who, why and the trigger on the run, and audits RunPauseRequested', async () => {
      const audit = await watchAudit(f.deps, f.runId);

      await requestPause(f.deps, f.runId, { by: 'alarm:backfill-health', reason: 'breaker opened', trigger: 'breaker' });

      const control = { action: 'pause', trigger: 'breaker', by: 'alarm:backfill-health', reason: 'breaker opened', at: at() };
      expect(await run()).toMatchObject({ status: 'PAUSING', control });
      expect(await audit.appended()).toEqual([expect.objectContaining({ type: 'RunPauseRequested', actor: 'alarm:backfill-health', detail: control })]);
    });

    it.each(['PAUSING', 'PAUSED'] as const)('leaves a %s run as it is, keeping the first pause', async (status) => {
      await (status === 'PAUSING' ? pause() : paused());
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);
      f.clock.advance(1000);

      const result = await requestPause(f.deps, f.runId, { by: 'local:bob', reason: 'again', trigger: 'operator' });

      expect(result).toEqual(before);
      expect(await run()).toEqual(before);
      expect(await audit.appended()).toEqual([]);
    });
  });

  describe('markRunPaused', () => {
    it('stores the task token on the run, never in the audit trail', async () => {
      await pause();

      await markRunPaused(f.deps, f.runId, { taskToken: TOKEN });

      expect(await run()).toMatchObject({ status: 'PAUSED', control: { action: 'pause', by: ANA, taskToken: TOKEN } });
      const events = await listAudit(f.deps, f.runId);
      expect(events.map((e) => e.type)).toContain('RunPaused');
      expect(JSON.stringify(events)).not.toContain(TOKEN);
    });

    it('replaces the token of a PAUSED run (a retried call), auditing nothing', async () => {
      await paused();
      const audit = await watchAudit(f.deps, f.runId);

      await markRunPaused(f.deps, f.runId, { taskToken: 'a-newer-token' });

      expect((await run())?.control?.taskToken).toBe('a-newer-token');
      expect(await audit.appended()).toEqual([]);
    });
  });

  describe('requestResume', () => {
    it('resumes a PAUSED run, returning the waiting task\'s token (kept until released), audited with who and why', async () => {
      await paused();
      const audit = await watchAudit(f.deps, f.runId);

      const result = await requestResume(f.deps, f.runId, { by: 'local:bob', reason: 'deploy done' });

      expect(result.taskToken).toBe(TOKEN);
      expect(result.run.status).toBe('RUNNING');
      const appended = await audit.appended();
      expect(appended).toEqual([expect.objectContaining({ type: 'RunResumed', actor: 'local:bob', detail: expect.objectContaining({ from: 'PAUSED', reason: 'deploy done' }) })]);
      expect(JSON.stringify(appended)).not.toContain(TOKEN);
      // Until the caller's SendTaskSuccess went out, a retried resume gets the token again (nothing moved, nothing audited).
      expect(await requestResume(f.deps, f.runId, { by: 'local:bob', reason: 'again' })).toMatchObject({ taskToken: TOKEN, run: { status: 'RUNNING' } });
      expect(await audit.appended()).toEqual([]);
      await releaseTaskToken(f.deps, f.runId, TOKEN);
      expect((await run())?.control).toBeUndefined();
      await expect(requestResume(f.deps, f.runId, { by: 'local:bob' })).rejects.toThrow(RunNotPausedError);
    });

    it('resumes a PAUSING run (still draining) without a token', async () => {
      await pause();
      const result = await requestResume(f.deps, f.runId, { by: 'local:bob' });
      expect(result).toEqual({ run: expect.objectContaining({ status: 'RUNNING' }) });
    });

    it('is refused while the breaker is OPEN (BreakerOpenError: close it first), changing nothing', async () => {
      // GIVEN a paused run, and the breaker open
      await paused();
      await openBreaker(f.deps, { by: 'alarm:backfill-health', reason: 'Threshold Crossed: 3 throttles' });
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);
      // WHEN an operator resumes it
      const refused = await requestResume(f.deps, f.runId, { by: 'local:bob' }).catch((e: unknown) => e);
      // THEN it is refused, saying what opened the breaker and how to close it
      expect(refused).toBeInstanceOf(BreakerOpenError);
      expect((refused as Error).message).toContain('the breaker is OPEN (opened by alarm:backfill-health');
      expect((refused as Error).message).toContain("close it first: backfill breaker close --reason '...'");
      expect(await run()).toEqual(before);
      expect(await audit.appended()).toEqual([]);
    });

    it('closes the breaker first when auto-close is configured and its alarm has been OK long enough', async () => {
      await paused();
      await openBreaker(f.deps, { by: 'alarm:backfill-health', reason: 'Threshold Crossed' });
      await recordAlarmOk(f.deps, { alarm: { name: 'backfill-health' }, at: at(), autoCloseAfterSeconds: 60 });
      f.clock.advance(60_000);

      await expect(requestResume(f.deps, f.runId, { by: 'local:bob' })).resolves.toMatchObject({ taskToken: TOKEN });
      expect(await readBreaker(f.deps)).toMatchObject({ state: 'CLOSED', closedBy: 'auto-close' });
    });

    it.each(['RUNNING', 'FAILED'] as const)('refuses a %s run (RunNotPausedError), changing nothing', async (status) => {
      if (status === 'FAILED') await markExecutionEnded(f.deps, { runId: f.runId, executionArn: EXECUTION, status: 'FAILED', cause: 'x' });
      const before = await run();

      const refused = await requestResume(f.deps, f.runId, { by: 'local:bob' }).catch((e: unknown) => e);

      expect(refused).toBeInstanceOf(RunNotPausedError);
      expect((refused as Error).message).toContain(`Run ${f.runId} is ${status}; cannot resume it from a pause. Only a run that is PAUSING or PAUSED`);
      expect(await run()).toEqual(before);
    });

    it('is the only way a paused run resumes: StartRun refuses it, saying to use backfill resume', async () => {
      await paused();
      const before = await run();

      const refused = await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec) }).catch((e: unknown) => e);

      expect(refused).toBeInstanceOf(RunNotResumableError);
      expect((refused as Error).message).toContain(`is PAUSED; cannot start or resume it. A paused run's workflow still waits for its operator: resume it with backfill resume ${f.runId}`);
      expect(await run()).toEqual(before);
    });

    it('refuses a paused run to another execution too (only its own may enter it again)', async () => {
      await paused();
      const before = await run();

      const other = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:e-2';
      const refused = await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), executionArn: other }).catch((e: unknown) => e);

      expect(refused).toBeInstanceOf(RunNotResumableError);
      expect(await run()).toEqual(before);
    });

    it.each(['PAUSING', 'PAUSED', 'ABORTING'] as const)(
      'lets a %s run be entered again by its own execution (a restarted local cloud) without moving it, audited RunReentered',
      async (status) => {
        // GIVEN a gated run whose execution is started again from its first state
        if (status === 'PAUSING') await pause();
        else if (status === 'PAUSED') await paused();
        else await requestAbort(f.deps, f.runId, { by: ANA, reason: 'wrong transform', rollback: false });
        const before = await run();
        const audit = await watchAudit(f.deps, f.runId);
        // WHEN StartRun runs again in that execution
        const result = await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), startedBy: 'local:ana', executionArn: EXECUTION });
        // THEN the run keeps its status, control and starts (its map drains at once, CheckGate waits again or aborts)
        expect(result).toEqual({ runId: f.runId, alreadyStarted: false, alreadyFinished: false, resumed: true, starts: before!.starts });
        expect(await run()).toEqual(before);
        expect(await audit.appended()).toEqual([
          expect.objectContaining({ type: 'RunReentered', actor: 'local:ana', detail: { status, starts: before!.starts, codeVersion: 'test', executionArn: EXECUTION } }),
        ]);
      },
    );
  });

  describe('requestAbort and markRunAborted', () => {
    it('aborts a PAUSED run: returns its token, kept until released, records the rollback wish', async () => {
      await paused();
      const audit = await watchAudit(f.deps, f.runId);

      const result = await requestAbort(f.deps, f.runId, { by: 'local:bob', reason: 'wrong transform', rollback: true });

      expect(result.taskToken).toBe(TOKEN);
      const aborting = await run();
      expect(aborting).toMatchObject({ status: 'ABORTING', control: { action: 'abort', trigger: 'operator', by: 'local:bob', reason: 'wrong transform', rollback: true, at: at() } });
      expect((await requestAbort(f.deps, f.runId, { by: 'local:bob', reason: 'again', rollback: true })).taskToken).toBe(TOKEN);
      await releaseTaskToken(f.deps, f.runId, TOKEN);
      expect((await run())?.control).toMatchObject({ action: 'abort', by: 'local:bob', reason: 'wrong transform' });
      expect((await run())?.control?.taskToken).toBeUndefined();
      expect(await audit.appended()).toEqual([expect.objectContaining({ type: 'RunAbortRequested', actor: 'local:bob', detail: expect.objectContaining({ from: 'PAUSED', rollback: true }) })]);
    });

    it('aborts a RUNNING run without a token', async () => {
      await expect(requestAbort(f.deps, f.runId, { by: 'local:bob', reason: 'stop it', rollback: false })).resolves.toEqual({ run: expect.objectContaining({ status: 'ABORTING' }) });
    });

    it('leaves an ABORTING run as it is (the first abort stays), and an ABORTED one too', async () => {
      await requestAbort(f.deps, f.runId, { by: 'local:bob', reason: 'first', rollback: false });
      const aborting = await run();
      await requestAbort(f.deps, f.runId, { by: 'local:eve', reason: 'second', rollback: true });
      expect(await run()).toEqual(aborting);

      await markRunAborted(f.deps, f.runId);
      const aborted = await run();
      expect(aborted).toMatchObject({ status: 'ABORTED', control: { by: 'local:bob', reason: 'first' } });
      await markRunAborted(f.deps, f.runId);
      expect(await run()).toEqual(aborted);
    });

    it('refuses to abort a finished run (RunNotRunningError)', async () => {
      await markRunSucceeded(f.deps, f.runId, 'SUCCEEDED', { batches: 1 });
      await expect(requestAbort(f.deps, f.runId, { by: 'local:bob', reason: 'late', rollback: false })).rejects.toThrow(`is SUCCEEDED; cannot abort it`);
    });
  });

  describe('markRunStoppedByPolicy', () => {
    it.each(['RUNNING', 'PAUSING'] as const)('stops a %s run, recording the trigger as stoppedBy and the policy in the audit trail', async (from) => {
      if (from === 'PAUSING') await requestPause(f.deps, f.runId, { by: 'alarm:backfill-health', reason: 'breaker opened', trigger: 'breaker' });
      const audit = await watchAudit(f.deps, f.runId);

      await markRunStoppedByPolicy(f.deps, f.runId, { trigger: 'breaker', reason: 'breaker opened by alarm:backfill-health', policy: 'rollback' });

      expect(await run()).toMatchObject({ status: 'STOPPED', stoppedBy: 'breaker', stopReason: 'breaker opened by alarm:backfill-health', stoppedAt: at() });
      expect(await audit.appended()).toEqual([
        expect.objectContaining({ type: 'RunStopped', actor: 'breaker', detail: { policy: 'rollback', trigger: 'breaker', reason: 'breaker opened by alarm:backfill-health' } }),
      ]);
    });

    it('is a no-op when retried, and refuses a run the operator aborted', async () => {
      await markRunStoppedByPolicy(f.deps, f.runId, { trigger: 'failures', reason: '12% of batches failed' });
      const stopped = await run();
      await markRunStoppedByPolicy(f.deps, f.runId, { trigger: 'failures', reason: '12% of batches failed' });
      expect(await run()).toEqual(stopped);

      const other = f.forNewRun();
      await startOrResumeRun(other.deps, { runId: other.runId, spec: other.spec, specHash: specHash(other.spec) });
      await requestAbort(other.deps, other.runId, { by: 'local:bob', reason: 'mine', rollback: false });
      await expect(markRunStoppedByPolicy(other.deps, other.runId, { trigger: 'failures', reason: 'x' })).rejects.toThrow(RunNotRunningError);
    });

    it('a stopped run resumed by StartRun starts clean: its control and ending are cleared', async () => {
      await requestPause(f.deps, f.runId, { by: 'alarm:backfill-health', reason: 'breaker opened', trigger: 'breaker' });
      await markRunStoppedByPolicy(f.deps, f.runId, { trigger: 'breaker', reason: 'breaker opened' });

      await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), executionArn: EXECUTION });

      const resumed = await run();
      expect(resumed?.status).toBe('RUNNING');
      for (const cleared of ['control', 'stoppedBy', 'stopReason', 'stoppedAt'] as const) expect(resumed?.[cleared]).toBeUndefined();
    });
  });

  it('marks a PAUSED run whose execution was stopped (backfill stop) STOPPED', async () => {
    await paused();
    await expect(markExecutionEnded(f.deps, { runId: f.runId, executionArn: EXECUTION, status: 'ABORTED', actor: ANA, reason: 'done for today' })).resolves.toMatchObject({ outcome: 'marked', status: 'STOPPED' });
  });
});
