import { canonicalJson } from '../../../../lambdas/lib/canonicalJson';
import { BatchLeaseHeldError, listBatches } from '../../../../lambdas/lib/ledger';
import { processBatch, type BatchOutcome } from '../../../../lambdas/lib/worker';
import { countTargetWrites, crashAfterTargetWrites, SimulatedCrash } from '../../support/crash';
import { dynamoTargets, useEmulators } from '../../../support';
import { uniqueName } from '../../support/fixture';
import { createScenario, FIRST_BATCH_COUNTS, FIRST_BATCH_WRITES, oneCleanRun, processAll, SCENARIO_COUNTS } from '../../support/scenario';

/** Invariant 1: running a batch twice, concurrently or one after another, leaves the target exactly as running it once. */
describe.each(dynamoTargets())('processBatch is idempotent on %s', (target) => {
  const env = useEmulators(target);
  // Every test runs the scenario under this runId in its own tables, so one clean run is the reference for all.
  const runId = uniqueName('run');
  let once: Awaited<ReturnType<typeof oneCleanRun>>;

  beforeAll(async () => {
    once = await oneCleanRun(env(), runId);
  });

  it('one clean run writes exactly what changed, stamped (the baseline the other tests compare with)', () => {
    expect(once.outcomes.map((o) => o.counts)).toEqual(SCENARIO_COUNTS);
    const item7 = { id: 'item-0007', version: 2, doubled: 14, backfillRunId: runId, backfillTransform: 'doubler@1', backfillBatchId: 'b0000000' };
    expect(once.target.split('\n')).toContain(canonicalJson(item7));
    expect(once.target.split('\n')).toContain(canonicalJson({ id: 'item-0004', version: 3, doubled: -4, writer: 'live' }));
  });

  it('running every batch twice in sequence leaves the target byte-identical to one run', async () => {
    // GIVEN the scenario, and what one clean run of it leaves
    const { f, items } = await createScenario(env(), { runId });

    // WHEN every batch runs, then runs again (an at-least-once redelivery)
    const first = await processAll(f, items, 'attempt-a');
    const second = await processAll(f, items, 'attempt-b');

    // THEN the target is byte-identical to one run, and the repeat reports the first run's results
    expect(await f.dumpTarget()).toBe(once.target);
    expect(second.map((o) => o.alreadyDone)).toEqual([true, true, true]);
    expect(second.map(({ counts, checksum }) => ({ counts, checksum }))).toEqual(first.map(({ counts, checksum }) => ({ counts, checksum })));
    expect(first.map((o) => o.checksum)).toEqual(once.outcomes.map((o) => o.checksum));
  });

  it('two concurrent attempts of every batch leave the target byte-identical to one run', async () => {
    const { f, items } = await createScenario(env(), { runId });

    // WHEN two attempts of each batch start at once
    const settled = await Promise.allSettled(items.flatMap((item) => [processBatch(f.deps, f.ctx('attempt-a'), item), processBatch(f.deps, f.ctx('attempt-b'), item)]));

    // THEN an attempt either did the batch or was refused while the other held the lease...
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    for (const { reason } of refused) expect(reason).toBeInstanceOf(BatchLeaseHeldError);
    const done = settled.filter((s): s is PromiseFulfilledResult<BatchOutcome> => s.status === 'fulfilled').map((s) => s.value);
    expect(done.filter((o) => !o.alreadyDone).map((o) => o.batchId).sort()).toEqual(['b0000000', 'b0000001', 'b0000002']);
    // ...and a refused attempt retried afterwards finds its batch done
    for (const { reason } of refused) {
      const item = items.find((i) => i.batchId === (reason as BatchLeaseHeldError).batchId)!;
      expect(await processBatch(f.deps, f.ctx('attempt-retry'), item)).toMatchObject({ alreadyDone: true });
    }
    expect(await f.dumpTarget()).toBe(once.target);
    expect((await listBatches(f.deps, f.runId)).map((b) => [b.status, b.attempt])).toEqual([
      ['DONE', 1],
      ['DONE', 1],
      ['DONE', 1],
    ]);
  });

  it('an attempt that takes over after a crash between the writes and completion writes nothing and reports what an uninterrupted batch reports', async () => {
    const { f, items } = await createScenario(env(), { runId });
    const [item] = items;

    // GIVEN attempt A wrote all of the batch, then died before completing it
    const crash = crashAfterTargetWrites(f.targetTable, FIRST_BATCH_WRITES);
    await expect(processBatch(f.depsWithHook(crash.hook), f.ctx('attempt-a'), item!)).rejects.toThrow(SimulatedCrash);
    expect(await f.batch(item!.batchId)).toMatchObject({ status: 'IN_PROGRESS', leaseOwner: 'attempt-a' });
    const afterCrash = await f.dumpTarget();

    // WHEN its lease runs out and attempt B takes over
    f.clock.advance(f.spec.leaseSeconds * 1000 + 1);
    const writes = countTargetWrites(f.targetTable);
    const outcome = await processBatch(f.depsWithHook(writes.hook), f.ctx('attempt-b'), item!);

    // THEN B finds everything already written: no writes, and the counts and checksum of one run
    // (A's writes carry this batch's stamp and match the recorded snapshot, so they count as written)
    expect(writes.count).toBe(0);
    expect(outcome).toMatchObject({ attempt: 2, alreadyDone: false });
    expect(outcome.counts).toEqual(FIRST_BATCH_COUNTS);
    expect(outcome.checksum).toBe(once.outcomes[0]!.checksum);
    expect(await f.dumpTarget()).toBe(afterCrash);
    await processAll(f, items.slice(1), 'attempt-b');
    expect(await f.dumpTarget()).toBe(once.target);
  });

  it('an attempt that takes over after a crash in the middle of the writes writes only the rest and reports what an uninterrupted batch reports', async () => {
    const { f, items } = await createScenario(env(), { runId });
    const [item] = items;

    // GIVEN attempt A died after 3 of its 8 writes
    const crash = crashAfterTargetWrites(f.targetTable, 3);
    await expect(processBatch(f.depsWithHook(crash.hook), f.ctx('attempt-a'), item!)).rejects.toThrow(SimulatedCrash);
    await f.settle();

    // WHEN attempt B takes over
    f.clock.advance(f.spec.leaseSeconds * 1000 + 1);
    const writes = countTargetWrites(f.targetTable);
    const outcome = await processBatch(f.depsWithHook(writes.hook), f.ctx('attempt-b'), item!);

    // THEN B writes the other 5, counts A's 3 as written too, and the run ends exactly like an uninterrupted one
    expect(writes.count).toBe(FIRST_BATCH_WRITES - 3);
    expect(outcome.counts).toEqual(FIRST_BATCH_COUNTS);
    expect(outcome.checksum).toBe(once.outcomes[0]!.checksum);
    await processAll(f, items.slice(1), 'attempt-b');
    expect(await f.dumpTarget()).toBe(once.target);
  });
});
