import { getRun, markExecutionEnded, markRunFailed, requestAbort, requestPause, markRunPaused, startOrResumeRun } from '../../../../lambdas/lib/ledger';
import { specHash } from '../../../../lambdas/lib/spec';
import { dynamoTargets } from '../../../support';
import { useFreshRunFixture, type Fixture } from '../../support/fixture';

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:e-1';

/** A paused or aborting run's execution is still open (it waits, or drains): its end, or a failed state, moves the run. */
describe.each(dynamoTargets())('the end of a paused or aborting run on %s', (target) => {
  const fixture = useFreshRunFixture(target);
  let f: Fixture;
  beforeEach(() => (f = fixture()));

  async function runThatIs(status: 'PAUSING' | 'PAUSED' | 'ABORTING'): Promise<void> {
    await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), executionArn: EXECUTION });
    if (status === 'ABORTING') {
      await requestAbort(f.deps, f.runId, { by: 'local:ana', reason: 'wrong spec', rollback: false });
      return;
    }
    await requestPause(f.deps, f.runId, { by: 'local:ana', reason: 'latency', trigger: 'operator' });
    if (status === 'PAUSED') await markRunPaused(f.deps, f.runId, { taskToken: 'token' });
  }

  it.each([
    { from: 'PAUSED', ended: 'ABORTED', to: 'STOPPED' },
    { from: 'PAUSED', ended: 'TIMED_OUT', to: 'TIMED_OUT' },
    { from: 'PAUSED', ended: 'FAILED', to: 'FAILED' },
    { from: 'PAUSING', ended: 'FAILED', to: 'FAILED' },
    { from: 'ABORTING', ended: 'ABORTED', to: 'STOPPED' },
    { from: 'ABORTING', ended: 'FAILED', to: 'FAILED' },
  ] as const)('markExecutionEnded moves a $from run whose execution ended $ended to $to', async ({ from, ended, to }) => {
    await runThatIs(from);
    const result = await markExecutionEnded(f.deps, { runId: f.runId, executionArn: EXECUTION, status: ended, actor: 'local:bob', reason: 'night' });
    expect(result).toEqual({ outcome: 'marked', runId: f.runId, status: to });
    expect((await getRun(f.deps, f.runId))?.status).toBe(to);
  });

  it.each(['PAUSING', 'PAUSED', 'ABORTING'] as const)('MarkRunFailed records the failure of a %s run', async (from) => {
    await runThatIs(from);
    await markRunFailed(f.deps, f.runId, { Error: 'States.Runtime', Cause: 'a state failed' });
    expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'FAILED', error: { Error: 'States.Runtime' } });
  });
});
