import { getRun, listBatches } from '../../../../lambdas/lib/ledger';
import type { RollbackReport } from '../../../../lambdas/lib/rollback';
import { dynamoTargets, useEmulators } from '../../../support';
import { endRun, rehearse, rollBack } from '../../support/rollback';
import { createScenario, processAll } from '../../support/scenario';

/** A rehearsal says what the rollback would do with the run's status too, by the rollback's own check. */
describe.each(dynamoTargets())('rehearsing the rollback of a run by its status on %s', (target) => {
  const env = useEmulators(target);

  it('of a run still RUNNING says the rollback would be refused with RunStillRunningError; with force, what the forced rollback does', async () => {
    // GIVEN a run whose batches all wrote but that was never finished (its process was killed)
    const { f, items } = await createScenario(env());
    await processAll(f, items, 'forward');
    expect((await getRun(f.deps, f.runId))?.status).toBe('RUNNING');

    // WHEN it is rehearsed without force THEN the rehearsal says the rollback would be refused, and why
    const report = await rehearse(f);
    expect(report).toMatchObject({ runStatus: 'RUNNING', healthy: false, wouldEndAs: 'refused', problemCount: 1, forced: false });
    expect(report.problems).toEqual([{ batchId: '-', problem: 'run-status', key: 'RunStillRunningError', detail: expect.stringMatching(/must be stopped.*--force/) }]);
    // AND the rollback agrees
    await expect(rollBack(f)).rejects.toMatchObject({ name: 'RunStillRunningError' });

    // WHEN it is rehearsed with force THEN it says what the forced rollback would do, and that rollback does it
    const forced = await rehearse(f, { force: true });
    expect(forced).toMatchObject({ runStatus: 'RUNNING', healthy: true, wouldEndAs: 'ROLLED_BACK', problemCount: 0, forced: true, batches: (await listBatches(f.deps, f.runId)).length });
    const rolledBack = (await rollBack(f, { force: true })) as RollbackReport;
    expect(rolledBack).toMatchObject({ status: 'ROLLED_BACK', forced: true, counts: { restored: forced.wouldRestore, deleted: forced.wouldDelete } });
  }, 60_000);

  it('of a finished run is not affected by force (nothing to force)', async () => {
    const { f, items } = await createScenario(env());
    await processAll(f, items, 'forward');
    await endRun(f);
    expect(await rehearse(f, { force: true })).toMatchObject({ runStatus: 'SUCCEEDED', healthy: true, wouldEndAs: 'ROLLED_BACK', forced: false });
  }, 60_000);
});
