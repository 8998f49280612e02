import { randomUUID } from 'node:crypto';
import { createHandler } from '../../../lambdas/execution-status-change/handler';
import {
  getRun,
  markRunSucceeded,
  recordRollbackFailure,
  SERVICE_ACTOR,
  startOrResumeRun,
  startRollback,
  stopCause,
  STOP_ERROR,
  UNKNOWN_STOPPER,
  type RunRecord,
} from '../../../lambdas/lib/ledger';
import { failRun } from '../../../lambdas/lib/run';
import { InvalidEventError } from '../../../lambdas/lib/runtime/errors';
import { scheduledRunId, specHash } from '../../../lambdas/lib/spec';
import type { ExecutionStatusChangeEvent } from '../../../local/cloud/stepfunctions/types';
import { dynamoTargets } from '../../support';
import { watchAudit } from '../support/audit';
import { useFreshRunFixture, type Fixture } from '../support/fixture';

const context = { awsRequestId: 'request-1' };
const ACCOUNT = '123456789012';
const arnOf = (stateMachine: string, name: string) => `arn:aws:states:us-east-1:${ACCOUNT}:execution:${stateMachine}:${name}`;

/**
 * The event as EventBridge delivers it to a rule's target (AWS's documented sample, with our
 * execution's fields; `inputDetails`/`outputDetails` are AWS's too), typed as the local cloud's
 * contract says it delivers it.
 */
function statusChange(detail: {
  stateMachine?: string;
  name: string;
  status: ExecutionStatusChangeEvent['detail']['status'];
  input: unknown;
  error?: string | null;
  cause?: string | null;
}): ExecutionStatusChangeEvent & { detail: { inputDetails: unknown; outputDetails: unknown } } {
  const stateMachine = detail.stateMachine ?? 'backfill-backfill';
  const executionArn = arnOf(stateMachine, detail.name);
  return {
    version: '0' as const,
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change' as const,
    source: 'aws.states' as const,
    account: ACCOUNT,
    time: '2026-12-01T10:00:05Z',
    region: 'us-east-1',
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${stateMachine}`,
      name: detail.name,
      status: detail.status,
      startDate: 1796119200000,
      stopDate: detail.status === 'RUNNING' ? null : 1796119205000,
      input: JSON.stringify(detail.input),
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
      error: detail.error ?? null,
      cause: detail.cause ?? null,
    },
  };
}

describe.each(dynamoTargets().slice(0, 1))('the execution-status-change handler (on %s)', (dynamo) => {
  const fixture = useFreshRunFixture(dynamo);
  let f: Fixture;
  let handle: ReturnType<typeof createHandler>;
  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  });
  beforeEach(() => {
    f = fixture();
    handle = createHandler(f.deps);
  });

  const run = async (): Promise<RunRecord> => (await getRun(f.deps, f.runId))!;
  /** Starts the run as ValidateSpec and StartRun do in execution `name`; returns the execution's input. */
  async function startIn(name: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const input = { ...f.spec, ...extra };
    await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), startedBy: 'local:ana', executionArn: arnOf('backfill-backfill', name) });
    return input;
  }

  it('marks the run STOPPED with the actor and reason of the backfill CLI\'s StopExecution cause', async () => {
    // GIVEN a run started in execution e-1
    const input = await startIn(f.runId);
    const audit = await watchAudit(f.deps, f.runId);
    f.clock.advance(60_000);
    // WHEN `backfill stop` aborted that execution
    const event = statusChange({ name: f.runId, status: 'ABORTED', input, error: STOP_ERROR, cause: stopCause({ actor: 'arn:aws:iam::123456789012:user/ana', reason: 'wrong spec' }) });
    const result = await handle(event, context);
    // THEN the run is STOPPED, naming who stopped it, why and when, and the audit trail says so
    expect(result).toEqual({ workflow: 'backfill', outcome: 'marked', runId: f.runId, status: 'STOPPED' });
    expect(await run()).toMatchObject({ status: 'STOPPED', stoppedBy: 'arn:aws:iam::123456789012:user/ana', stopReason: 'wrong spec', stoppedAt: new Date(f.clock.nowMs()).toISOString() });
    expect(await audit.appended()).toMatchObject([
      { type: 'RunStopped', actor: 'arn:aws:iam::123456789012:user/ana', detail: { executionArn: event.detail.executionArn, reason: 'wrong spec' } },
    ]);
  });

  it('marks the run STOPPED by an unknown actor when the execution was stopped from the console (no cause)', async () => {
    const input = await startIn(f.runId);

    await handle(statusChange({ name: f.runId, status: 'ABORTED', input }), context);

    expect(await run()).toMatchObject({ status: 'STOPPED', stoppedBy: UNKNOWN_STOPPER, stopReason: '' });
  });

  it('takes any other cause as the reason of an unknown actor', async () => {
    const input = await startIn(f.runId);

    await handle(statusChange({ name: f.runId, status: 'ABORTED', input, error: 'Manual', cause: 'load test over' }), context);

    expect(await run()).toMatchObject({ status: 'STOPPED', stoppedBy: UNKNOWN_STOPPER, stopReason: 'load test over' });
  });

  it('marks the run TIMED_OUT, recording the timeout', async () => {
    const input = await startIn(f.runId);
    const audit = await watchAudit(f.deps, f.runId);

    await handle(statusChange({ name: f.runId, status: 'TIMED_OUT', input, error: 'States.Timeout', cause: 'Execution timed out after 86400 s' }), context);

    expect(await run()).toMatchObject({ status: 'TIMED_OUT', error: { Error: 'States.Timeout', Cause: 'Execution timed out after 86400 s' } });
    expect(await audit.appended()).toMatchObject([{ type: 'RunTimedOut', actor: SERVICE_ACTOR }]);
  });

  it('marks the run FAILED with the execution\'s cause when it failed outside MarkRunFailed', async () => {
    const input = await startIn(f.runId);

    await handle(statusChange({ name: f.runId, status: 'FAILED', input, error: 'States.Runtime', cause: 'MarkRunFailed could not reach the ledger' }), context);

    expect(await run()).toMatchObject({ status: 'FAILED', error: { Error: 'States.Runtime', Cause: 'MarkRunFailed could not reach the ledger' } });
  });

  it('changes nothing when MarkRunFailed already marked the run FAILED (nothing duplicated)', async () => {
    // GIVEN a run the workflow marked FAILED
    const input = await startIn(f.runId);
    await failRun(f.deps, f.runId, { Error: 'ReconcileError', Cause: '2 batches missing' });
    const before = await run();
    const audit = await watchAudit(f.deps, f.runId);
    // WHEN its execution's FAILED event arrives
    const result = await handle(statusChange({ name: f.runId, status: 'FAILED', input, error: 'ReconcileError', cause: '2 batches missing' }), context);
    // THEN the record and the audit trail are as MarkRunFailed left them
    expect(result).toEqual({ workflow: 'backfill', outcome: 'unchanged', runId: f.runId, why: 'run-not-active', status: 'FAILED' });
    expect(await run()).toEqual(before);
    expect(await audit.appended()).toEqual([]);
  });

  it('changes nothing for an event of an older execution of a resumed run', async () => {
    // GIVEN a run started in execution e-1, then resumed by execution e-2 (input naming the run)
    const first = await startIn('e-1');
    await startIn('e-2', { runId: f.runId });
    const before = await run();
    const audit = await watchAudit(f.deps, f.runId);
    // WHEN e-1's ABORTED event arrives late
    const result = await handle(statusChange({ name: 'e-1', status: 'ABORTED', input: { ...first, runId: f.runId } }), context);
    // THEN the resumed run stays RUNNING
    expect(result).toMatchObject({ outcome: 'unchanged', why: 'another-execution', status: 'RUNNING' });
    expect(await run()).toEqual(before);
    expect(before.executionArn).toBe(arnOf('backfill-backfill', 'e-2'));
    expect(await audit.appended()).toEqual([]);
  });

  it('changes nothing for a run that already SUCCEEDED', async () => {
    const input = await startIn(f.runId);
    await markRunSucceeded(f.deps, f.runId, 'SUCCEEDED', { batches: 1 });
    const before = await run();

    const result = await handle(statusChange({ name: f.runId, status: 'ABORTED', input }), context);

    expect(result).toMatchObject({ outcome: 'unchanged', why: 'run-not-active', status: 'SUCCEEDED' });
    expect(await run()).toEqual(before);
  });

  it('ignores RUNNING and SUCCEEDED events', async () => {
    const input = await startIn(f.runId);
    const before = await run();

    await expect(handle(statusChange({ name: f.runId, status: 'RUNNING', input }), context)).resolves.toEqual({ outcome: 'ignored', status: 'RUNNING' });
    await expect(handle(statusChange({ name: f.runId, status: 'SUCCEEDED', input }), context)).resolves.toEqual({ outcome: 'ignored', status: 'SUCCEEDED' });
    expect(await run()).toEqual(before);
  });

  it('finds a scheduled run by the runId its schedule derives (the execution name is Scheduler\'s)', async () => {
    // GIVEN a run a schedule started: no runId in the input, the runId from schedule name and time
    const schedule = { name: 'nightly', scheduledTime: '2026-12-01T06:00:00Z' };
    const scheduled = f.forNewRun();
    const runId = scheduledRunId(schedule.name, schedule.scheduledTime);
    await startOrResumeRun(scheduled.deps, { runId, spec: f.spec, specHash: specHash(f.spec), scheduled: schedule, executionArn: arnOf('backfill-backfill', 'sched-abc') });
    // WHEN that execution is stopped
    await createHandler(scheduled.deps)(statusChange({ name: 'sched-abc', status: 'ABORTED', input: { ...f.spec, schedule, startedBy: 'scheduler:nightly' } }), context);
    // THEN that run is STOPPED
    expect((await getRun(scheduled.deps, runId))?.status).toBe('STOPPED');
  });

  describe('a rollback execution', () => {
    const rollbackInput = () => ({ runId: f.runId, requestedBy: 'local:ana', reason: 'bad rounding' });

    it('leaves a stopped rollback ROLLING_BACK (to resume) and records who stopped it', async () => {
      // GIVEN a run being rolled back by execution rb-1
      await startIn(f.runId);
      await failRun(f.deps, f.runId, { Error: 'ReconcileError', Cause: 'x' });
      await startRollback(f.deps, f.runId, { force: false, executionArn: arnOf('backfill-rollback', 'rb-1'), actor: 'local:ana' });
      const audit = await watchAudit(f.deps, f.runId);
      // WHEN rb-1 is stopped by the CLI
      const cause = stopCause({ actor: 'local:bob', reason: 'rollback during peak hours' });
      const result = await handle(statusChange({ stateMachine: 'backfill-rollback', name: 'rb-1', status: 'ABORTED', input: rollbackInput(), error: STOP_ERROR, cause }), context);
      // THEN the run stays ROLLING_BACK with the stop as its rollback error, audited with the actor
      expect(result).toEqual({ workflow: 'rollback', runId: f.runId, outcome: 'noted' });
      expect(await run()).toMatchObject({ status: 'ROLLING_BACK', rollbackError: { Error: STOP_ERROR, Cause: cause } });
      expect(await audit.appended()).toMatchObject([{ type: 'RollbackStopped', actor: 'local:bob', detail: { reason: 'rollback during peak hours' } }]);
    });

    it('changes nothing when MarkRollbackFailed already recorded the rollback\'s failure', async () => {
      await startIn(f.runId);
      await failRun(f.deps, f.runId, { Error: 'ReconcileError', Cause: 'x' });
      await startRollback(f.deps, f.runId, { force: false, executionArn: arnOf('backfill-rollback', 'rb-1') });
      await recordRollbackFailure(f.deps, f.runId, { Error: 'RollbackIncompleteError', Cause: 'b0000001 not rolled back' });
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);

      const event = statusChange({ stateMachine: 'backfill-rollback', name: 'rb-1', status: 'FAILED', input: rollbackInput(), error: 'RollbackIncompleteError', cause: 'b0000001 not rolled back' });
      const result = await handle(event, context);

      expect(result).toEqual({ workflow: 'rollback', runId: f.runId, outcome: 'unchanged' });
      expect(await run()).toEqual(before);
      expect(await audit.appended()).toEqual([]);
    });

    it('changes nothing for a rollback execution that never began the rollback (refused, or stopped while checking)', async () => {
      await startIn(f.runId);
      await failRun(f.deps, f.runId, { Error: 'ReconcileError', Cause: 'x' });
      const before = await run();

      const result = await handle(statusChange({ stateMachine: 'backfill-rollback', name: 'rb-1', status: 'ABORTED', input: rollbackInput() }), context);

      expect(result).toEqual({ workflow: 'rollback', runId: f.runId, outcome: 'unchanged' });
      expect(await run()).toEqual(before);
    });
  });

  it.each([
    ['detail-type', (e: ReturnType<typeof statusChange>) => ({ ...e, 'detail-type': 'Step Functions State Machine Status Change' })],
    ['detail.status', (e: ReturnType<typeof statusChange>) => ({ ...e, detail: { ...e.detail, status: 'PENDING' } })],
    ['detail.executionArn', (e: ReturnType<typeof statusChange>) => ({ ...e, detail: { ...e.detail, executionArn: undefined } })],
  ])('refuses a malformed event with InvalidEventError naming %s', async (field, malform) => {
    const error = await handle(malform(statusChange({ name: 'e-1', status: 'ABORTED', input: {} })), context).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toContain('execution-status-change received an invalid event');
    expect((error as Error).message).toContain(`${field}:`);
  });
});
