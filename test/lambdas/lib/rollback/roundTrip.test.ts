import { rollbackReportKey } from '../../../../lambdas/lib/artifacts';
import { getRun, listAudit, UNKNOWN_REQUESTER } from '../../../../lambdas/lib/ledger';
import type { RollbackReport } from '../../../../lambdas/lib/rollback';
import { processBatch } from '../../../../lambdas/lib/worker';
import { sourceLine } from '../../support/doubler';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture } from '../../support/fixture';
import { endRun, rollBack } from '../../support/rollback';
import { createScenario, processAll } from '../../support/scenario';

/** Invariant 6: rollback restores every pre-image and deletes what the run created, exactly. */
describe.each(dynamoTargets())('rolling back a run on %s', (target) => {
  const env = useEmulators(target);

  it('round trip: the target after the rollback is byte-identical to before the run', async () => {
    // GIVEN the target before the run (rewritten, older, unchanged and newer items; 20 keys absent)
    const { f, items, before } = await createScenario(env());
    // AND the backfill ran every batch
    await processAll(f, items, 'forward');
    await endRun(f);
    expect(await f.dumpTarget()).not.toBe(before);

    // WHEN the run is rolled back
    const report = (await rollBack(f)) as RollbackReport;

    // THEN the target dump is byte-identical to the one taken before the run: rewritten items are
    // restored, created items are gone, and the items the run skipped are as they were
    expect(await f.dumpTarget()).toBe(before);
    expect(report).toMatchObject({ status: 'ROLLED_BACK', rolledBackFrom: 'SUCCEEDED', forced: false, batches: 3 });
    expect(report.counts).toEqual({ entries: 25, restored: 3, deleted: 20, alreadyRestored: 0, untouched: 2, handledByOtherBatch: 0, conflicts: 0, verifiedMismatches: 0, laterRunWrites: 0 });
    expect(report.conflicts).toEqual({ total: 0, shown: [] });
    // AND the run ends ROLLED_BACK with its report, which is also in S3
    expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'ROLLED_BACK', rollback: report });
    expect(JSON.parse(await f.readArtifact(rollbackReportKey({ runId: f.runId })))).toEqual(report);
  }, 60_000);

  it('puts every step in the audit trail', async () => {
    const { f, items } = await createScenario(env());
    await processAll(f, items, 'forward');
    await endRun(f);
    const forwardEvents = (await listAudit(f.deps, f.runId)).length;

    await rollBack(f);

    const events = (await listAudit(f.deps, f.runId)).slice(forwardEvents);
    expect(events.map((e) => [e.type, e.batchId ?? ''])).toEqual([
      ['RollbackStarted', ''],
      ['RollbackPlanned', ''],
      ...['b0000000', 'b0000001', 'b0000002'].flatMap((batchId) => [
        ['RollbackBatchClaimed', batchId],
        ['RollbackBatchRestored', batchId],
      ]),
      ['RollbackSucceeded', ''],
    ]);
    expect(events[0]!.detail).toEqual({ from: 'SUCCEEDED', forced: false, reason: '' });
    expect(events[0]!.actor).toBe(UNKNOWN_REQUESTER);
    expect(events.at(-1)!.detail).toMatchObject({ status: 'ROLLED_BACK', restored: 3, deleted: 20, conflicts: 0 });
  }, 60_000);

  it('names who asked for the rollback, and why, on RollbackStarted and RollbackPlanned', async () => {
    // GIVEN a finished run
    const { f, items } = await createScenario(env());
    await processAll(f, items, 'forward');
    await endRun(f);
    const forwardEvents = (await listAudit(f.deps, f.runId)).length;
    // WHEN an operator rolls it back with the input's requestedBy and reason
    await rollBack(f, { requestedBy: 'arn:aws:iam::123456789012:user/ana', reason: 'rounding bug in v2' });
    // THEN both events of BeginRollback carry the actor and the reason
    const begun = (await listAudit(f.deps, f.runId)).slice(forwardEvents).filter((e) => e.type === 'RollbackStarted' || e.type === 'RollbackPlanned');
    expect(begun).toMatchObject([
      { type: 'RollbackStarted', actor: 'arn:aws:iam::123456789012:user/ana', detail: { reason: 'rounding bug in v2' } },
      { type: 'RollbackPlanned', actor: 'arn:aws:iam::123456789012:user/ana', detail: { reason: 'rounding bug in v2' } },
    ]);
    expect((await getRun(f.deps, f.runId))?.rollbackRequestedBy).toBe('arn:aws:iam::123456789012:user/ana');
  }, 60_000);

  it('restores the pre-run state of a key two batches of the run wrote, in either order', async () => {
    for (const order of ['manifest order', 'reverse order'] as const) {
      // GIVEN item a, written by batch 0 (version 1) and again by batch 1 (version 2), whose pre-image is batch 0's write
      const f = await createFixture(env(), { batchSize: 2 });
      await f.putTarget({ id: 'a', version: 1, doubled: 999 });
      const items = await f.plan([sourceLine('a', 1, 1), sourceLine('b', 1, 2), sourceLine('a', 2, 3), sourceLine('c', 1, 4)]);
      const before = await f.dumpTarget();
      for (const item of items) await processBatch(f.deps, f.ctx('forward'), item);
      await endRun(f);
      expect(await f.getTarget('a')).toMatchObject({ version: 2, doubled: 6, backfillBatchId: 'b0000001' });

      // WHEN the batches are rolled back in `order`
      const report = (await rollBack(f, { order: (list) => (order === 'reverse order' ? [...list].reverse() : list) })) as RollbackReport;

      // THEN item a is back to its pre-run state, not to batch 0's write
      expect(await f.dumpTarget()).toBe(before);
      expect(report.status).toBe('ROLLED_BACK');
      expect(report.counts).toMatchObject({ entries: 4, restored: 1, deleted: 2, conflicts: 0 });
      expect(report.counts.handledByOtherBatch + report.counts.alreadyRestored).toBe(1);
    }
  }, 60_000);
});
