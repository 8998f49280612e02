import { snapshotKey } from '../../../../lambdas/lib/artifacts';
import { LeaseLostError, listAudit } from '../../../../lambdas/lib/ledger';
import { processBatch, type BatchOutcome } from '../../../../lambdas/lib/worker';
import { countTargetWrites } from '../../support/crash';
import { dynamoTargets, useEmulators } from '../../../support';
import { uniqueName, type DdbCall, type Fixture } from '../../support/fixture';
import { createScenario, oneCleanRun } from '../../support/scenario';

/** Invariant 4: a batch is completed only by the attempt holding its lease; a stale attempt cannot mark it done. */
describe.each(dynamoTargets())('fencing a stale worker on %s', (target) => {
  const env = useEmulators(target);
  const runId = uniqueName('run');
  let once: Awaited<ReturnType<typeof oneCleanRun>>;

  beforeAll(async () => {
    once = await oneCleanRun(env(), runId);
  });

  /**
   * A hook for attempt A: the first time `when` matches one of A's calls, A stalls past its lease
   * and attempt B takes the batch over and finishes it, before A's call goes out.
   */
  function stallWhile(f: Fixture, when: (call: DdbCall) => boolean, runB: () => Promise<BatchOutcome>) {
    let b: BatchOutcome | undefined;
    return {
      hook: async (call: DdbCall) => {
        if (b || !when(call)) return;
        f.clock.advance(f.spec.leaseSeconds * 1000 + 1);
        b = await runB();
      },
      b: () => b,
    };
  }

  it('a worker that stalls past its lease before writing stops with LeaseLostError; the batch ends DONE by the new attempt with its counts', async () => {
    const { f, items } = await createScenario(env(), { runId });
    const item = items[0]!;
    // GIVEN attempt A stalls while reading the pre-images, and B takes over and completes the batch
    const stall = stallWhile(f, (call) => call.command === 'BatchGetItemCommand', () => processBatch(f.deps, f.ctx('attempt-b'), item));
    const writesOfA = countTargetWrites(f.targetTable);

    // WHEN A carries on
    const a = processBatch(
      f.depsWithHook(async (call) => {
        await stall.hook(call);
        writesOfA.hook(call);
      }),
      f.ctx('attempt-a'),
      item,
    );

    // THEN A stops before writing anything, the batch is B's, and A's failure is not recorded over B's result
    await expect(a).rejects.toThrow(LeaseLostError);
    expect(writesOfA.count).toBe(0);
    const b = stall.b()!;
    expect(b).toMatchObject({ attempt: 2, alreadyDone: false });
    expect(await f.batch(item.batchId)).toMatchObject({ status: 'DONE', attempt: 2, leaseOwner: 'attempt-b', counts: b.counts, checksum: b.checksum });
    expect(await f.listArtifacts(`snapshots/${runId}/${item.batchId}/`)).toEqual([snapshotKey({ runId, batchId: item.batchId, attempt: 2 })]);
    const events = (await listAudit(f.deps, runId)).filter((e) => e.batchId === item.batchId).map((e) => e.type);
    expect(events.sort()).toEqual(['BatchClaimed', 'BatchClaimed', 'BatchCompleted', 'SnapshotRecorded']);
  });

  it('a worker that stalls in the middle of its writes cannot complete the batch after a takeover; the target ends as one run', async () => {
    const { f, items } = await createScenario(env(), { runId });
    const item = items[0]!;
    // GIVEN attempt A stalls at its third target write while B takes over and completes the batch
    let targetWrites = 0;
    const stall = stallWhile(
      f,
      (call) => call.command === 'PutItemCommand' && call.tableName === f.targetTable && ++targetWrites === 3,
      () => processBatch(f.deps, f.ctx('attempt-b'), item),
    );

    // WHEN A carries on with its (conditional, identical) writes and tries to finish
    const a = processBatch(f.depsWithHook(stall.hook), f.ctx('attempt-a'), item);

    // THEN A cannot complete it: B's result stands, and the target is exactly one run's
    await expect(a).rejects.toThrow(LeaseLostError);
    const b = stall.b()!;
    expect(await f.batch(item.batchId)).toMatchObject({ status: 'DONE', attempt: 2, leaseOwner: 'attempt-b', counts: b.counts, checksum: once.outcomes[0]!.checksum });
    // B reused A's snapshot, recorded before A wrote
    expect((await f.batch(item.batchId))?.snapshot?.key).toBe(snapshotKey({ runId, batchId: item.batchId, attempt: 1 }));
    for (const rest of items.slice(1)) await processBatch(f.deps, f.ctx('attempt-b'), rest);
    expect(await f.dumpTarget()).toBe(once.target);
  });
});
