import {
  getRun,
  markExecutionEnded,
  markRunAborted,
  markRunFailed,
  markRunPaused,
  markRunRejected,
  markRunStoppedByPolicy,
  requestAbort,
  requestPause,
  requestResume,
  markRunRolledBack,
  markRunSucceeded,
  pinPlan,
  PlanChangedError,
  RUN_TRANSITIONS,
  RunNotFoundError,
  RunNotResumableError,
  RunNotRollbackableError,
  RunNotRollingBackError,
  RunNotRunningError,
  RunSpecMismatchError,
  RunStatusChangedError,
  RunStillRunningError,
  FINISHED_STATUSES,
  recordRollbackFailure,
  startOrResumeRun,
  startRollback,
  UNKNOWN_STARTER,
  type RunStatus,
} from '../../../../lambdas/lib/ledger';
import { RUN_STATUSES } from '../../../../lambdas/lib/ledger/transitions';
import { moveRun } from '../../../../lambdas/lib/ledger/moveRun';
import { specHash, type Spec } from '../../../../lambdas/lib/spec';
import { watchAudit } from '../../support/audit';
import { dynamoTargets } from '../../../support';
import { useFreshRunFixture, type Fixture } from '../../support/fixture';

type From = RunStatus | null;
const nameOf = (status: From): string => status ?? '(none)';

/** The audit event a move appends. */
function auditTypeOf(from: From, to: RunStatus): string {
  if (to === 'RUNNING') return from === null ? 'RunStarted' : 'RunResumed';
  if (to === 'PAUSING') return 'RunPauseRequested';
  if (to === 'PAUSED') return 'RunPaused';
  if (to === 'ABORTING') return 'RunAbortRequested';
  if (to === 'ABORTED') return 'RunAborted';
  if (to === 'ROLLING_BACK') return from === 'ROLLING_BACK' ? 'RollbackResumed' : 'RollbackStarted';
  if (to === 'ROLLED_BACK' || to === 'ROLLED_BACK_WITH_CONFLICTS' || to === 'REJECTED_ROLLED_BACK') return 'RollbackSucceeded';
  if (to === 'REJECTED') return 'RunRejected';
  if (to === 'STOPPED') return 'RunStopped';
  if (to === 'TIMED_OUT') return 'RunTimedOut';
  return to === 'FAILED' ? 'RunFailed' : 'RunSucceeded';
}

/** The moves after StartRun that bring a new run to each status. */
const PATH_TO: Record<RunStatus, RunStatus[]> = {
  RUNNING: [],
  SUCCEEDED: ['SUCCEEDED'],
  SUCCEEDED_WITH_FAILURES: ['SUCCEEDED_WITH_FAILURES'],
  FAILED: ['FAILED'],
  STOPPED: ['STOPPED'],
  TIMED_OUT: ['TIMED_OUT'],
  ROLLING_BACK: ['FAILED', 'ROLLING_BACK'],
  ROLLED_BACK: ['FAILED', 'ROLLING_BACK', 'ROLLED_BACK'],
  ROLLED_BACK_WITH_CONFLICTS: ['FAILED', 'ROLLING_BACK', 'ROLLED_BACK_WITH_CONFLICTS'],
  REJECTED: ['REJECTED'],
  REJECTED_ROLLED_BACK: ['REJECTED', 'ROLLING_BACK', 'REJECTED_ROLLED_BACK'],
  PAUSING: ['PAUSING'],
  PAUSED: ['PAUSING', 'PAUSED'],
  ABORTING: ['ABORTING'],
  ABORTED: ['ABORTING', 'ABORTED'],
};

const ALLOWED = RUN_TRANSITIONS.map((t) => ({ ...t, fromName: nameOf(t.from) }));

/** The named error that refuses a move to each status (RunNotFoundError when there is no run yet). */
const REFUSAL: Record<RunStatus, typeof RunNotResumableError | typeof RunNotRunningError | typeof RunNotRollbackableError | typeof RunNotRollingBackError> = {
  RUNNING: RunNotResumableError,
  SUCCEEDED: RunNotRunningError,
  SUCCEEDED_WITH_FAILURES: RunNotRunningError,
  FAILED: RunNotRunningError,
  STOPPED: RunNotRunningError,
  TIMED_OUT: RunNotRunningError,
  ROLLING_BACK: RunNotRollbackableError,
  ROLLED_BACK: RunNotRollingBackError,
  ROLLED_BACK_WITH_CONFLICTS: RunNotRollingBackError,
  REJECTED: RunNotRunningError,
  REJECTED_ROLLED_BACK: RunNotRollingBackError,
  PAUSING: RunNotRunningError,
  PAUSED: RunNotRunningError,
  ABORTING: RunNotRunningError,
  ABORTED: RunNotRunningError,
};

const isFinished = (status: From): boolean => status !== null && (FINISHED_STATUSES as readonly RunStatus[]).includes(status);

/**
 * Every other (from, to) pair is refused with the move's named error. Not moves: FAILED → FAILED
 * (marking a failed run failed again keeps the first error), REJECTED → REJECTED (likewise) and a finished run → RUNNING (StartRun
 * with the same spec is a no-op returning the report); both are tested on their own below.
 */
const NOT_ALLOWED = ([null, ...RUN_STATUSES] as From[])
  .flatMap((from) => RUN_STATUSES.map((to) => ({ from, to })))
  .filter(({ from, to }) => !RUN_TRANSITIONS.some((t) => t.from === from && t.to === to))
  .filter(({ from, to }) => !(from === 'FAILED' && to === 'FAILED'))
  .filter(({ from, to }) => !(from === 'REJECTED' && to === 'REJECTED'))
  // Asked again, a pause or an abort is a no-op, and a paused run's token is replaced (tested below).
  .filter(({ from, to }) => !(to === 'PAUSING' && (from === 'PAUSING' || from === 'PAUSED')))
  .filter(({ from, to }) => !(from === to && (to === 'PAUSED' || to === 'ABORTING' || to === 'ABORTED')))
  .filter(({ from, to }) => !(to === 'RUNNING' && isFinished(from)));

/** Moves only an execution's end makes (markExecutionEnded): an end the table does not allow is not an error, it changes nothing. */
const isExecutionEnd = (to: RunStatus): to is 'STOPPED' | 'TIMED_OUT' => to === 'STOPPED' || to === 'TIMED_OUT';

const REFUSED = NOT_ALLOWED.filter(({ to }) => !isExecutionEnd(to)).map(({ from, to }) => {
  const error = from === null ? RunNotFoundError : REFUSAL[to];
  return { from, to, fromName: nameOf(from), error, errorName: error.name };
});

const IGNORED_ENDS = NOT_ALLOWED.filter(({ to }) => isExecutionEnd(to)).map(({ from, to }) => ({ from, to, fromName: nameOf(from), why: from === null ? 'run-not-found' : 'run-not-active' }));

const FAILURE = { Error: 'States.TaskFailed', Cause: 'worker crashed' };
const TOKEN = 'task-token-of-WaitForOperator';
const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:e-1';

describe.each(dynamoTargets())('run records on %s', (target) => {
  const fixture = useFreshRunFixture(target);
  let f: Fixture;
  beforeEach(() => (f = fixture()));

  const start = (spec: Spec = f.spec) => startOrResumeRun(f.deps, { runId: f.runId, spec, specHash: specHash(spec), executionArn: EXECUTION });
  const endExecution = (status: 'ABORTED' | 'TIMED_OUT') => markExecutionEnded(f.deps, { runId: f.runId, executionArn: EXECUTION, status, actor: 'local:ana', reason: 'test' });
  const otherSpec = (): Spec => ({ ...f.spec, batchSize: f.spec.batchSize + 1 });
  const run = () => getRun(f.deps, f.runId);

  /**
   * Drives the run (now in `from`) the way the workflows and operators do: StartRun, MarkRunFailed or
   * Finalize; LoadRollback (with force, so a refusal below is about the status, not the interlock) or
   * FinishRollback; an operator's pause, resume or abort, CheckGate's markRunPaused, markRunAborted
   * and policy stop.
   */
  async function moveTo(to: RunStatus, from: From = 'RUNNING'): Promise<void> {
    if (to === 'RUNNING' && (from === 'PAUSING' || from === 'PAUSED')) await requestResume(f.deps, f.runId, { by: 'local:ana', reason: 'deploy done' });
    // A new execution: the run's own execution re-enters a gated run without moving it (controlRecords.test.ts).
    else if (to === 'RUNNING' && from === 'ABORTING') await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), executionArn: `${EXECUTION}-r2` });
    else if (to === 'RUNNING') await start();
    else if (to === 'PAUSING') await requestPause(f.deps, f.runId, { by: 'local:ana', reason: 'orders deploy', trigger: 'operator' });
    else if (to === 'PAUSED') await markRunPaused(f.deps, f.runId, { taskToken: TOKEN });
    else if (to === 'ABORTING') await requestAbort(f.deps, f.runId, { by: 'local:ana', reason: 'wrong transform', rollback: false });
    else if (to === 'ABORTED') await markRunAborted(f.deps, f.runId);
    else if (to === 'STOPPED' && from === 'PAUSING') await markRunStoppedByPolicy(f.deps, f.runId, { trigger: 'breaker', reason: 'breaker opened' });
    else if (to === 'FAILED') await markRunFailed(f.deps, f.runId, FAILURE);
    else if (to === 'STOPPED') await endExecution('ABORTED');
    else if (to === 'TIMED_OUT') await endExecution('TIMED_OUT');
    else if (to === 'ROLLING_BACK') await startRollback(f.deps, f.runId, { force: true });
    else if (to === 'ROLLED_BACK' || to === 'ROLLED_BACK_WITH_CONFLICTS' || to === 'REJECTED_ROLLED_BACK') await markRunRolledBack(f.deps, f.runId, to, { status: to }, {});
    else if (to === 'REJECTED') await markRunRejected(f.deps, f.runId, { stage: 'canary', outcome: 'rejected', by: 'alice@example.com', comment: 'totals off' });
    else if (to === 'SUCCEEDED' || to === 'SUCCEEDED_WITH_FAILURES') await markRunSucceeded(f.deps, f.runId, to, { batches: 3 });
    else await moveRun(f.deps, f.runId, { to });
  }

  /** Follows PATH_TO[status] from a RUNNING run. */
  async function follow(status: RunStatus): Promise<void> {
    let at: RunStatus = 'RUNNING';
    for (const next of PATH_TO[status]) {
      await moveTo(next, at);
      at = next;
    }
  }

  async function bringTo(from: From): Promise<void> {
    if (from === null) return;
    await start();
    await follow(from);
  }

  describe('status transitions', () => {
    it.each(ALLOWED)('allows $fromName → $to ($when)', async ({ from, to }) => {
      // GIVEN a run in `from`
      await bringTo(from);
      const audit = await watchAudit(f.deps, f.runId);
      // WHEN the workflow moves it to `to`
      await moveTo(to, from);
      // THEN the record is in `to`, and the move is in the audit trail
      expect((await run())?.status).toBe(to);
      expect((await audit.appended()).map((e) => e.type)).toEqual([auditTypeOf(from, to)]);
    });

    it.each(REFUSED)('refuses $fromName → $to with $errorName, changing nothing', async ({ from, to, error }) => {
      // GIVEN a run in `from`
      await bringTo(from);
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);
      // WHEN the workflow tries to move it to `to`
      const refused = await moveTo(to, from).catch((e: unknown) => e);
      // THEN the move is refused with its named error, naming the status found
      expect(refused).toBeInstanceOf(error);
      expect((refused as Error).name).toBe(error.name);
      if (from !== null) expect((refused as Error).message).toContain(`is ${from}; cannot`);
      // AND the record is untouched and nothing is audited
      expect(await run()).toEqual(before);
      expect(await audit.appended()).toEqual([]);
    });

    it.each(IGNORED_ENDS)('leaves a $fromName run as it is when its execution ends ($to): $why', async ({ from, to, why }) => {
      // GIVEN a run in `from`, recorded as run by the execution that ends
      await bringTo(from);
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);
      // WHEN that execution's end is recorded
      const result = await endExecution(to === 'STOPPED' ? 'ABORTED' : 'TIMED_OUT');
      // THEN nothing changes, and the result says why
      expect(result).toMatchObject({ outcome: 'unchanged', runId: f.runId, why });
      expect(await run()).toEqual(before);
      expect(await audit.appended()).toEqual([]);
    });

    it.each(FINISHED_STATUSES.map((from) => ({ from })))('treats StartRun on a $from run with its spec as a no-op returning the recorded report', async ({ from }) => {
      // GIVEN a finished run
      await bringTo(from);
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);
      f.clock.advance(5_000);
      // WHEN it is started again with the same spec
      const result = await start();
      // THEN nothing changes and StartRun says the run had already finished, with its report
      expect(result).toEqual({ runId: f.runId, alreadyStarted: false, alreadyFinished: true, resumed: false, starts: 1, status: from, finishedAt: before?.updatedAt, report: { batches: 3, alreadyFinished: true } });
      expect(await run()).toEqual(before);
      expect(await audit.appended()).toEqual([]);
    });

    it('takes its status condition from RUN_TRANSITIONS: a row added to the table allows that move', async () => {
      // GIVEN a rolled-back run, which StartRun refuses to resume
      await bringTo('ROLLED_BACK');
      await expect(start()).rejects.toThrow(RunNotResumableError);
      // WHEN the table gains a ROLLED_BACK → RUNNING row
      const table = RUN_TRANSITIONS as Array<(typeof RUN_TRANSITIONS)[number]>;
      table.push({ from: 'ROLLED_BACK', to: 'RUNNING', when: 'a test row' });
      try {
        // THEN the same call resumes it
        await expect(start()).resolves.toMatchObject({ resumed: true, starts: 2 });
        expect((await run())?.status).toBe('RUNNING');
      } finally {
        table.pop();
      }
    });

    it('refuses a move narrowed to a status the run left meanwhile with RunStatusChangedError', async () => {
      // GIVEN a run read as RUNNING that has since failed
      await start();
      await markRunFailed(f.deps, f.runId, FAILURE);
      const before = await run();
      // WHEN a rollback decided on "RUNNING" is written
      const refused = moveRun(f.deps, f.runId, { to: 'ROLLING_BACK', from: 'RUNNING', force: true });
      // THEN it is refused, naming both statuses, and nothing changes
      await expect(refused).rejects.toThrow(RunStatusChangedError);
      await expect(refused).rejects.toThrow(/is FAILED; cannot roll it back\. It changed from RUNNING/);
      expect(await run()).toEqual(before);
    });

    it('keeps the first error when a FAILED run is marked failed again (FAILED → FAILED is a no-op)', async () => {
      await bringTo('FAILED');
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);

      await markRunFailed(f.deps, f.runId, { Error: 'States.Timeout', Cause: 'a later failure' });

      expect(await run()).toEqual(before);
      expect(before?.error).toEqual(FAILURE);
      expect(await audit.appended()).toEqual([]);
    });
  });

  describe('markRunRejected', () => {
    it('records why on the run and audits RunRejected with the approver as actor', async () => {
      await start();
      const audit = await watchAudit(f.deps, f.runId);

      await markRunRejected(f.deps, f.runId, { stage: 'canary', outcome: 'rejected', approvalId: 'a-1', by: 'alice@example.com', comment: 'totals off' });

      const rejection = { stage: 'canary', outcome: 'rejected', approvalId: 'a-1', by: 'alice@example.com', comment: 'totals off', at: new Date(f.clock.nowMs()).toISOString() };
      expect(await run()).toMatchObject({ status: 'REJECTED', rejection });
      expect(await audit.appended()).toEqual([expect.objectContaining({ type: 'RunRejected', actor: 'alice@example.com', detail: rejection })]);
    });

    it.each(['PAUSING', 'ABORTING'] as const)('marks a %s run REJECTED (a pause or abort landed during the approval wait), recording the rejection', async (status) => {
      await bringTo(status);
      await markRunRejected(f.deps, f.runId, { stage: 'canary', outcome: 'rejected', by: 'alice@example.com', comment: 'totals off' });
      expect(await run()).toMatchObject({ status: 'REJECTED', rejection: { stage: 'canary', by: 'alice@example.com' } });
    });

    it('keeps the first rejection when a REJECTED run is marked rejected again (a retried RecordRejection)', async () => {
      await bringTo('REJECTED');
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);

      await markRunRejected(f.deps, f.runId, { stage: 'wave-1', outcome: 'timed-out' });

      expect(await run()).toEqual(before);
      expect(await audit.appended()).toEqual([]);
    });

    it.each(['REJECTED', 'REJECTED_ROLLED_BACK'] as const)('refuses to resume a %s run, saying a rejected run stays rejected and what to do, changing nothing', async (status) => {
      // GIVEN a rejected run
      await bringTo(status);
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);
      // WHEN StartRun is called again with its spec (a resume)
      const refused = await start().catch((e: unknown) => e);
      // THEN it is refused, naming the status and where to read who rejected it
      expect(refused).toBeInstanceOf(RunNotResumableError);
      expect((refused as Error).message).toContain(`Run ${f.runId} is ${status}; cannot start or resume it. A rejected run stays rejected`);
      expect((refused as Error).message).toContain(`backfill approvals ${f.runId}`);
      expect((refused as Error).message).toContain('start a new run under another name');
      expect(await run()).toEqual(before);
      expect(await audit.appended()).toEqual([]);
    });
  });

  describe('startRollback', () => {
    it('refuses a RUNNING run without force (the interlock) with RunStillRunningError, changing nothing', async () => {
      // GIVEN a run still marked RUNNING
      await start();
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);
      // WHEN a rollback starts without force
      const error = await startRollback(f.deps, f.runId, { force: false }).catch((e: unknown) => e);
      // THEN it is refused with a message that says to stop the run first or force it
      expect(error).toBeInstanceOf(RunStillRunningError);
      expect((error as Error).message).toMatch(/must be stopped before it is rolled back.*force/s);
      expect(await run()).toEqual(before);
      expect(await audit.appended()).toEqual([]);
    });

    it('records where the rollback came from, whether it was forced, and counts its starts', async () => {
      await bringTo('SUCCEEDED');

      const first = await startRollback(f.deps, f.runId, { force: false });
      f.clock.advance(1000);
      const second = await startRollback(f.deps, f.runId, { force: false });

      expect(first).toEqual({ runId: f.runId, resumed: false, rolledBackFrom: 'SUCCEEDED', rollbackStarts: 1, forced: false });
      expect(second).toEqual({ runId: f.runId, resumed: true, rolledBackFrom: 'SUCCEEDED', rollbackStarts: 2, forced: false });
      expect(await run()).toMatchObject({ status: 'ROLLING_BACK', rolledBackFrom: 'SUCCEEDED', rollbackStarts: 2, rollbackForced: false, rollbackStartedAt: new Date(f.clock.nowMs() - 1000).toISOString() });
    });

    it('marks a forced rollback of a RUNNING run as forced', async () => {
      await start();
      expect(await startRollback(f.deps, f.runId, { force: true })).toMatchObject({ resumed: false, rolledBackFrom: 'RUNNING', forced: true });
    });

    it('a failed rollback keeps the run ROLLING_BACK with its error; starting it again resumes and clears the error', async () => {
      await bringTo('ROLLING_BACK');
      const audit = await watchAudit(f.deps, f.runId);

      await recordRollbackFailure(f.deps, f.runId, FAILURE);
      expect(await run()).toMatchObject({ status: 'ROLLING_BACK', rollbackError: FAILURE });
      expect((await audit.appended()).map((e) => e.type)).toEqual(['RollbackFailed']);

      await startRollback(f.deps, f.runId, { force: false });
      expect((await run())?.rollbackError).toBeUndefined();
    });

    it('a failure recorded after another execution finished the rollback leaves the run as it is (audited only)', async () => {
      await bringTo('ROLLED_BACK');
      const before = await run();

      await recordRollbackFailure(f.deps, f.runId, FAILURE);

      expect(await run()).toEqual(before);
    });
  });

  describe('concurrent duplicates (a retried task whose first call is still in flight)', () => {
    it('two StartRun calls at once land on one run', async () => {
      const results = await Promise.all([start(), start()]);

      expect(results.map((r) => r.resumed).sort()).toEqual([false, true]);
      expect(await run()).toMatchObject({ status: 'RUNNING', starts: 2 });
    });

    it('two MarkRunFailed calls at once both succeed, and the run keeps one error', async () => {
      await start();

      await Promise.all([markRunFailed(f.deps, f.runId, FAILURE), markRunFailed(f.deps, f.runId, { Error: 'States.Timeout', Cause: 'the duplicate' })]);

      const failed = await run();
      expect(failed?.status).toBe('FAILED');
      expect([FAILURE.Error, 'States.Timeout']).toContain(failed?.error?.Error);
    });
  });

  describe('an execution that ended outside the workflow (markExecutionEnded)', () => {
    it.each([
      { status: 'ABORTED' as const, to: 'STOPPED' },
      { status: 'TIMED_OUT' as const, to: 'TIMED_OUT' },
      { status: 'FAILED' as const, to: 'FAILED' },
    ])('releases a run its $status execution left $to for a rollback without force', async ({ status, to }) => {
      // GIVEN a run whose execution ended so
      await start();
      await markExecutionEnded(f.deps, { runId: f.runId, executionArn: EXECUTION, status, cause: 'gone' });
      expect((await run())?.status).toBe(to);
      // WHEN it is rolled back without force
      const started = await startRollback(f.deps, f.runId, { force: false, actor: 'local:bob', reason: 'undo' });
      // THEN the interlock lets it through: its execution is known to have ended
      expect(started).toMatchObject({ resumed: false, rolledBackFrom: to, forced: false });
    });

    it.each([{ status: 'ABORTED' as const }, { status: 'TIMED_OUT' as const }, { status: 'FAILED' as const }])(
      'resumes a run its $status execution ended, with the same spec, in a new execution, clearing the ending',
      async ({ status }) => {
        await start();
        await markExecutionEnded(f.deps, { runId: f.runId, executionArn: EXECUTION, status, actor: 'local:ana', reason: 'pause for the night' });
        const audit = await watchAudit(f.deps, f.runId);

        const resumedBy = 'local:bob';
        const next = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:e-2';
        const result = await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), startedBy: resumedBy, executionArn: next });

        expect(result).toMatchObject({ resumed: true, starts: 2 });
        const resumed = await run();
        expect(resumed).toMatchObject({ status: 'RUNNING', executionArn: next });
        for (const cleared of ['error', 'stoppedBy', 'stopReason', 'stoppedAt'] as const) expect(resumed?.[cleared]).toBeUndefined();
        expect(await audit.appended()).toMatchObject([{ type: 'RunResumed', actor: resumedBy, detail: { executionArn: next } }]);
      },
    );
  });

  describe('a pausing, paused or aborting run that ends (its task token goes, who paused it stays)', () => {
    it.each([
      { from: 'PAUSING', to: 'TIMED_OUT' },
      { from: 'ABORTING', to: 'TIMED_OUT' },
    ] as const)('markExecutionEnded moves a $from run whose execution timed out to $to (not stuck $from)', async ({ from, to }) => {
      await bringTo(from);
      expect(await endExecution('TIMED_OUT')).toEqual({ outcome: 'marked', runId: f.runId, status: to });
      expect((await run())?.status).toBe(to);
    });

    it.each<{ gated: 'PAUSED' | 'ABORTING'; end: string; endRun: () => Promise<unknown>; to: RunStatus }>([
      { gated: 'PAUSED', end: 'MarkRunFailed', endRun: () => markRunFailed(f.deps, f.runId, FAILURE), to: 'FAILED' },
      { gated: 'PAUSED', end: 'a stopped execution', endRun: () => endExecution('ABORTED'), to: 'STOPPED' },
      { gated: 'PAUSED', end: 'a timed-out execution', endRun: () => endExecution('TIMED_OUT'), to: 'TIMED_OUT' },
      { gated: 'ABORTING', end: 'a timed-out execution', endRun: () => endExecution('TIMED_OUT'), to: 'TIMED_OUT' },
      { gated: 'ABORTING', end: 'markRunAborted', endRun: () => markRunAborted(f.deps, f.runId), to: 'ABORTED' },
    ])('a $gated run ended by $end is $to without the task token, keeping control as history', async ({ gated, endRun, to }) => {
      await bringTo('PAUSED');
      // An abort of a PAUSED run whose SendTaskSuccess has not gone out yet still holds the token.
      if (gated === 'ABORTING') await requestAbort(f.deps, f.runId, { by: 'local:bob', reason: 'give up', rollback: false });
      expect((await run())?.control?.taskToken).toBe(TOKEN);
      await endRun();
      const ended = await run();
      expect(ended?.status).toBe(to);
      expect(ended?.control).toMatchObject({ action: gated === 'PAUSED' ? 'pause' : 'abort', by: gated === 'PAUSED' ? 'local:ana' : 'local:bob' });
      expect(ended?.control).not.toHaveProperty('taskToken');
    });
  });

  describe('who started a run, and scheduled starts', () => {
    it('records the starter and the execution on the run, and the starter as the RunStarted actor', async () => {
      const audit = await watchAudit(f.deps, f.runId);

      await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), startedBy: 'arn:aws:iam::123456789012:user/ana', executionArn: EXECUTION });

      expect(await run()).toMatchObject({ startedBy: 'arn:aws:iam::123456789012:user/ana', executionArn: EXECUTION });
      expect(await audit.appended()).toMatchObject([{ type: 'RunStarted', actor: 'arn:aws:iam::123456789012:user/ana' }]);
    });

    it('records an unknown starter when the input names none', async () => {
      await start();
      expect((await run())?.startedBy).toBe(UNKNOWN_STARTER);
    });

    it.each(RUN_STATUSES.map((status) => ({ status })))(
      'starts nothing when a schedule fires again for the time of a $status run (alreadyStarted)',
      async ({ status }) => {
        // GIVEN the run a schedule started for 06:00, now in `status`
        const schedule = { name: 'nightly', scheduledTime: '2026-12-01T06:00:00Z' };
        const fire = () => startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), scheduled: schedule, startedBy: 'scheduler:nightly', executionArn: EXECUTION });
        await fire();
        await follow(status);
        const before = await run();
        const audit = await watchAudit(f.deps, f.runId);
        // WHEN Scheduler invokes again for 06:00 (a retry, or a duplicated delivery)
        const again = await fire();
        // THEN StartRun says it already started, with the run's status, and nothing changes
        expect(again).toEqual({ runId: f.runId, alreadyStarted: true, alreadyFinished: false, resumed: false, starts: 1, status, schedule });
        expect(await run()).toEqual(before);
        expect(await audit.appended()).toEqual([]);
      },
    );

    it('records the schedule on a run it started', async () => {
      const schedule = { name: 'nightly', scheduledTime: '2026-12-01T06:00:00Z' };
      await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), scheduled: schedule, startedBy: 'scheduler:nightly' });
      expect(await run()).toMatchObject({ schedule, startedBy: 'scheduler:nightly' });
    });
  });

  describe('startOrResumeRun', () => {
    it('creates the run pinned to its spec, transform and code version', async () => {
      const result = await start();

      expect(result).toEqual({ runId: f.runId, alreadyStarted: false, alreadyFinished: false, resumed: false, starts: 1 });
      expect(await run()).toMatchObject({
        runId: f.runId,
        status: 'RUNNING',
        spec: f.spec,
        specHash: specHash(f.spec),
        transform: 'doubler@1',
        codeVersion: 'test',
        starts: 1,
      });
    });

    it('resumes a RUNNING run with the same spec, counting the start', async () => {
      await start();
      f.clock.advance(1000);

      const result = await start();

      expect(result).toEqual({ runId: f.runId, alreadyStarted: false, alreadyFinished: false, resumed: true, starts: 2 });
      expect(await run()).toMatchObject({ status: 'RUNNING', starts: 2, specHash: specHash(f.spec) });
    });

    it('resumes a FAILED run with the same spec and clears its error', async () => {
      await bringTo('FAILED');

      const result = await start();

      expect(result).toMatchObject({ resumed: true, starts: 2 });
      const resumed = await run();
      expect(resumed?.status).toBe('RUNNING');
      expect(resumed?.error).toBeUndefined();
    });

    it.each(RUN_STATUSES.map((status) => ({ status })))('refuses a $status run started with another spec (RunSpecMismatchError), changing nothing', async ({ status }) => {
      // GIVEN a run in `status`
      await bringTo(status);
      const before = await run();
      const audit = await watchAudit(f.deps, f.runId);
      // WHEN the same runId is started with another spec
      const refused = start(otherSpec());
      // THEN it is refused, naming both specs, and nothing changes
      await expect(refused).rejects.toThrow(RunSpecMismatchError);
      await expect(refused).rejects.toThrow(`was started with spec ${specHash(f.spec).slice(0, 12)}, not ${specHash(otherSpec()).slice(0, 12)}`);
      expect(await run()).toEqual(before);
      expect(await audit.appended()).toEqual([]);
    });

    it('refuses to resume a ROLLED_BACK run with its spec, saying to start a new run under another name', async () => {
      await bringTo('ROLLED_BACK');

      const error = await start().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RunNotResumableError);
      expect(error).toMatchObject({ status: 'ROLLED_BACK', runId: f.runId });
      expect((error as Error).message).toMatch(/Only a run that is RUNNING or FAILED or STOPPED or TIMED_OUT resumes under its runId; start a new run under another name/);
    });
  });

  describe('markRunSucceeded and markRunFailed', () => {
    it('records the summary on a succeeded run', async () => {
      await start();
      await markRunSucceeded(f.deps, f.runId, 'SUCCEEDED', { batches: 3, written: 42 });
      expect((await run())?.summary).toEqual({ batches: 3, written: 42 });
    });

    it('records the error on a failed run', async () => {
      await start();
      await markRunFailed(f.deps, f.runId, FAILURE);
      expect((await run())?.error).toEqual(FAILURE);
    });
  });

  describe('pinPlan', () => {
    const plan = { planHash: 'a'.repeat(64), manifestKey: 'runs/r/manifest.jsonl', batchCount: 3, recordCount: 250 };

    it('pins the plan on a RUNNING run the first time', async () => {
      await start();
      const audit = await watchAudit(f.deps, f.runId);

      expect(await pinPlan(f.deps, f.runId, plan)).toEqual({ pinnedNow: true });

      expect(await run()).toMatchObject(plan);
      expect((await audit.appended()).map((e) => e.type)).toEqual(['PlanPinned']);
    });

    it('accepts the same planHash again (a resumed run planned the same)', async () => {
      await start();
      await pinPlan(f.deps, f.runId, plan);
      const audit = await watchAudit(f.deps, f.runId);

      expect(await pinPlan(f.deps, f.runId, plan)).toEqual({ pinnedNow: false });

      expect(await run()).toMatchObject(plan);
      expect(await audit.appended()).toEqual([]);
    });

    it('refuses a different planHash with PlanChangedError and keeps the pinned plan', async () => {
      await start();
      await pinPlan(f.deps, f.runId, plan);

      await expect(pinPlan(f.deps, f.runId, { ...plan, planHash: 'b'.repeat(64), recordCount: 251 })).rejects.toThrow(PlanChangedError);

      expect(await run()).toMatchObject(plan);
    });

    it.each(['PAUSING', 'PAUSED', 'ABORTING'] as const)('pins the plan on a %s run (a pause or abort landed before Plan; the gated map that follows drains it)', async (status) => {
      await bringTo(status);
      expect(await pinPlan(f.deps, f.runId, plan)).toEqual({ pinnedNow: true });
      expect(await run()).toMatchObject({ ...plan, status });
      expect(await pinPlan(f.deps, f.runId, plan)).toEqual({ pinnedNow: false });
    });

    it('refuses to plan a run that has ended (RunNotRunningError)', async () => {
      await bringTo('SUCCEEDED');
      await expect(pinPlan(f.deps, f.runId, plan)).rejects.toThrow(RunNotRunningError);
      expect((await run())?.planHash).toBeUndefined();
    });

    it('refuses to plan a run that does not exist (RunNotFoundError)', async () => {
      await expect(pinPlan(f.deps, f.runId, plan)).rejects.toThrow(RunNotFoundError);
    });
  });
});
