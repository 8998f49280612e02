import { snapshotKey } from '../../../../lambdas/lib/artifacts';
import { getRun, listBatches, recordSnapshot } from '../../../../lambdas/lib/ledger';
import { ForwardBatchLeasedError, type RollbackReport } from '../../../../lambdas/lib/rollback';
import { processBatch, writeSnapshot } from '../../../../lambdas/lib/worker';
import { crashAfterTargetWrites, SimulatedCrash } from '../../support/crash';
import { dynamoTargets, useEmulators } from '../../../support';
import { endRun, rollBack } from '../../support/rollback';
import { createScenario } from '../../support/scenario';

describe.each(dynamoTargets())('rolling back what a run wrote on %s', (target) => {
  const env = useEmulators(target);

  it('a run that failed after some batches rolls back only what it wrote', async () => {
    // GIVEN batch 0 done, batch 1 crashed after 3 of its writes, batch 2 never started, and the run marked FAILED
    const { f, items, before } = await createScenario(env());
    await processBatch(f.deps, f.ctx('forward'), items[0]!);
    const crash = crashAfterTargetWrites(f.targetTable, 3);
    await expect(processBatch(f.depsWithHook(crash.hook), f.ctx('forward'), items[1]!)).rejects.toThrow(SimulatedCrash);
    await f.settle();
    await endRun(f, 'FAILED');

    // WHEN it is rolled back while the crashed attempt's lease is still live
    // THEN that batch waits for the lease (a worker of the run might still be writing)...
    await expect(rollBack(f)).rejects.toThrow(ForwardBatchLeasedError);
    // ...and once the lease has expired, the rollback resumes and finishes
    f.clock.advance(f.spec.leaseSeconds * 1000 + 1);
    const report = (await rollBack(f)) as RollbackReport;

    // THEN the target is back to its pre-run state
    expect(await f.dumpTarget()).toBe(before);
    // AND only the two batches that recorded a snapshot were rolled back: batch 1's three writes are
    // undone, its seven unwritten items were already as before, batch 2 needed nothing
    expect(report).toMatchObject({ status: 'ROLLED_BACK', rolledBackFrom: 'FAILED', batches: 2 });
    expect(report.counts).toEqual({ entries: 20, restored: 2 + 1, deleted: 6 + 2, alreadyRestored: 7, untouched: 2, handledByOtherBatch: 0, conflicts: 0, verifiedMismatches: 0, laterRunWrites: 0 });
    expect((await getRun(f.deps, f.runId))?.status).toBe('ROLLED_BACK');
  }, 60_000);

  it('a stale attempt\'s snapshot object is never used: rollback reads only the snapshot the ledger recorded', async () => {
    // GIVEN attempt 1 recorded its snapshot, wrote 3 items and died; attempt 2 took over and finished
    const { f, items, before } = await createScenario(env());
    const [item] = items;
    const crash = crashAfterTargetWrites(f.targetTable, 3);
    await expect(processBatch(f.depsWithHook(crash.hook), f.ctx('attempt-1'), item!)).rejects.toThrow(SimulatedCrash);
    await f.settle();
    f.clock.advance(f.spec.leaseSeconds * 1000 + 1);
    const takeover = await processBatch(f.deps, f.ctx('attempt-2'), item!);
    expect(takeover.attempt).toBe(2);
    for (const rest of items.slice(1)) await processBatch(f.deps, f.ctx('attempt-2'), rest);
    await endRun(f);
    // AND a stale worker of attempt 2 wrote a snapshot object of its own (taken after attempt 1's writes) and tried to record it
    const stale = await writeSnapshot(f.deps.clients.s3, f.deps.artifactsBucket, { runId: f.runId, batchId: item!.batchId, attempt: 2 }, [
      { key: { id: 'item-0001' }, preImage: { id: 'item-0001', version: 2, doubled: 2, backfillRunId: f.runId }, intended: null },
    ]);
    const lease = { runId: f.runId, batchId: item!.batchId, owner: 'attempt-2', attempt: 2, expiresAtMs: f.clock.nowMs() + 60_000 };
    await expect(recordSnapshot(f.deps, lease, stale)).rejects.toThrow();
    const recorded = (await listBatches(f.deps, f.runId))[0]!.snapshot!;
    expect(recorded.key).toBe(snapshotKey({ runId: f.runId, batchId: item!.batchId, attempt: 1 }));

    // WHEN the run is rolled back
    const report = (await rollBack(f)) as RollbackReport;

    // THEN attempt 1's snapshot was used: every item is back to its pre-run state
    expect(await f.dumpTarget()).toBe(before);
    expect(report.conflicts.total).toBe(0);
  }, 60_000);
});
