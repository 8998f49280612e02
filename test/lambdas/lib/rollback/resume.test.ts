import { conflictListKey } from '../../../../lambdas/lib/artifacts';
import { getRun, startRollback } from '../../../../lambdas/lib/ledger';
import { loadRollback, processRollbackWorkerInput, type RollbackReport } from '../../../../lambdas/lib/rollback';
import { watchAudit } from '../../support/audit';
import { dynamoTargets, useEmulators, type Emulators } from '../../../support';
import { uniqueName, type Fixture } from '../../support/fixture';
import { countTargetChanges, crashAfterRestores, endRun, manifestItemsOf, rollBack, SimulatedRollbackCrash, workerInputOf } from '../../support/rollback';
import { createScenario, processAll } from '../../support/scenario';

/** A finished run of the scenario whose item 15 (written by batch 1) live traffic changed since: one conflict. */
async function finishedRun(env: Emulators, runId: string): Promise<{ f: Fixture; before: string }> {
  const { f, items, before } = await createScenario(env, { runId });
  await processAll(f, items, 'forward');
  await endRun(f);
  await f.putTarget({ id: 'item-0015', version: 9, doubled: 0, writer: 'live' });
  return { f, before };
}

/** Invariant 6: rollback is itself resumable and idempotent. */
describe.each(dynamoTargets())('a rollback interrupted or repeated on %s', (target) => {
  const env = useEmulators(target);
  // Every test rolls back the same run (same runId, so the same stamps) in its own tables; one
  // uninterrupted rollback is the reference.
  const runId = uniqueName('run');
  let reference: { report: RollbackReport; target: string; conflicts: string };

  beforeAll(async () => {
    const { f } = await finishedRun(env(), runId);
    const report = (await rollBack(f)) as RollbackReport;
    reference = { report, target: await f.dumpTarget(), conflicts: await f.readArtifact(conflictListKey({ runId })) };
  }, 60_000);

  it('the reference rolls back everything but the live conflict', () => {
    expect(reference.report).toMatchObject({ status: 'ROLLED_BACK_WITH_CONFLICTS', counts: { restored: 3, deleted: 19, conflicts: 1 } });
    expect(reference.report.conflicts.shown.map((c) => c.key)).toEqual([{ id: 'item-0015' }]);
  });

  it('interrupted after k of n batches and started again, it ends identical to an uninterrupted rollback', async () => {
    const { f } = await finishedRun(env(), runId);
    // GIVEN a rollback that stopped after its first batch
    expect(await rollBack(f, { stopAfterBatches: 1 })).toBeUndefined();
    expect(await getRun(f.deps, runId)).toMatchObject({ status: 'ROLLING_BACK', rollbackStarts: 1 });

    // WHEN it is started again
    const report = (await rollBack(f)) as RollbackReport;

    // THEN it resumed, skipped the batch already done, and ended exactly as the reference did
    expect(report.rollbackStarts).toBe(2);
    expect(await f.dumpTarget()).toBe(reference.target);
    expect(report.counts).toEqual(reference.report.counts);
    expect(report.conflicts).toEqual(reference.report.conflicts);
    expect(await f.readArtifact(conflictListKey({ runId }))).toBe(reference.conflicts);
    expect(report.status).toBe(reference.report.status);
  }, 60_000);

  it('crashed in the middle of a batch and taken over after its lease, it ends with the same target and conflicts', async () => {
    const { f } = await finishedRun(env(), runId);
    // GIVEN a rollback worker that died after 2 restores of its first batch
    const crash = crashAfterRestores(f.targetTable, 2);
    await expect(rollBack(f, { deps: f.depsWithHook(crash.hook) })).rejects.toThrow(SimulatedRollbackCrash);
    await f.settle();

    // WHEN the rollback is started again once the dead worker's lease has expired
    f.clock.advance(f.spec.leaseSeconds * 1000 + 1);
    const report = (await rollBack(f, { owner: 'rollback-attempt-2' })) as RollbackReport;

    // THEN target and conflicts are those of the uninterrupted rollback; the 2 items restored before
    // the crash count as already restored now
    expect(await f.dumpTarget()).toBe(reference.target);
    expect(report.conflicts).toEqual(reference.report.conflicts);
    expect(report.status).toBe(reference.report.status);
    const { restored, deleted, alreadyRestored } = report.counts;
    expect(restored + deleted + alreadyRestored).toBe(reference.report.counts.restored + reference.report.counts.deleted + reference.report.counts.alreadyRestored);
    expect(alreadyRestored).toBe(reference.report.counts.alreadyRestored + 2);
  }, 60_000);

  it('run twice, the second rollback changes nothing and says the run was already rolled back', async () => {
    const { f } = await finishedRun(env(), runId);
    const first = (await rollBack(f)) as RollbackReport;
    const record = await getRun(f.deps, runId);
    const audit = await watchAudit(f.deps, runId);
    const writes = countTargetChanges(f.targetTable);

    const second = (await rollBack(f, { deps: f.depsWithHook(writes.hook) })) as RollbackReport;

    expect(second).toEqual({ ...first, alreadyRolledBack: true });
    expect(writes.count).toBe(0);
    expect(await getRun(f.deps, runId)).toEqual(record);
    expect(await audit.appended()).toEqual([]);
    expect(await f.dumpTarget()).toBe(reference.target);
  }, 60_000);

  it('a duplicated worker (Express children are at-least-once) finds its batch done and writes nothing', async () => {
    const { f } = await finishedRun(env(), runId);
    const loaded = await loadRollback(f.deps, { runId });
    if (loaded.alreadyRolledBack) throw new Error('unexpected');
    await startRollback(f.deps, runId, { force: false });
    const [first] = await manifestItemsOf(f.deps, loaded);
    const once = await processRollbackWorkerInput(f.deps, workerInputOf(loaded, [first!]), 'child-a');
    const writes = countTargetChanges(f.targetTable);

    const again = await processRollbackWorkerInput(f.depsWithHook(writes.hook), workerInputOf(loaded, [first!]), 'child-a-redelivered');

    expect(again).toEqual({ ...once, alreadyDone: 1 });
    expect(writes.count).toBe(0);
  }, 60_000);
});
