import { createHash } from 'node:crypto';
import { snapshotKey } from '../../../../lambdas/lib/artifacts';
import { listAudit, type BatchRecord } from '../../../../lambdas/lib/ledger';
import { processBatch } from '../../../../lambdas/lib/worker';
import { countTargetWrites, crashAfterTargetWrites, SimulatedCrash } from '../../support/crash';
import { dynamoTargets, useEmulators } from '../../../support';
import type { DdbCall, Fixture } from '../../support/fixture';
import { createScenario, SCENARIO_SEEDS } from '../../support/scenario';

/** The snapshot lines as objects. */
const parseJsonl = (body: string): unknown[] =>
  body
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);

/**
 * The snapshot entries of the first batch (items 1–10): each pre-image from the target before the
 * backfill (the seeds, or null), and the stamped item the batch decides to write (null for item 3,
 * already right, and item 4, newer live data).
 */
function firstBatchPreImages(before: string, runId: string): unknown[] {
  const stored = parseJsonl(before) as Array<{ id: string }>;
  return Array.from({ length: 10 }, (_, i) => {
    const id = `item-${String(i + 1).padStart(4, '0')}`;
    const intended = id === 'item-0003' || id === 'item-0004' ? null : { id, version: 2, doubled: 2 * (i + 1), backfillRunId: runId, backfillTransform: 'doubler@1', backfillBatchId: 'b0000000' };
    return { key: { id }, preImage: stored.find((item) => item.id === id) ?? null, intended };
  });
}

/** Invariant 3: a batch writes no target item until its snapshot is recorded; a retry reuses it and never replaces it. */
describe.each(dynamoTargets())('snapshot before write, written once, on %s', (target) => {
  const env = useEmulators(target);

  it('records the snapshot, holding every pre-image (null for items it creates) and what it will write, before the first target write', async () => {
    const { f, items, before } = await createScenario(env());
    const [item] = items;
    // Look at the ledger and S3 at the moment the first target write is about to be sent.
    let atFirstWrite: { record: BatchRecord | undefined; snapshot: unknown[] | undefined } | undefined;
    const observe = async (call: DdbCall) => {
      if (atFirstWrite || call.command !== 'PutItemCommand' || call.tableName !== f.targetTable) return;
      const record = await f.batch(item!.batchId);
      atFirstWrite = { record, snapshot: record?.snapshot ? parseJsonl(await f.readArtifact(record.snapshot.key)) : undefined };
    };

    await processBatch(f.depsWithHook(observe), f.ctx('attempt-a'), item!);

    // THEN before any write the ledger pointed at attempt 1's snapshot, which held the pre-run state
    expect(atFirstWrite?.record?.snapshot).toMatchObject({ key: snapshotKey({ runId: f.runId, batchId: item!.batchId, attempt: 1 }), itemCount: 10 });
    expect(atFirstWrite?.snapshot).toEqual(firstBatchPreImages(before, f.runId));
    expect(firstBatchPreImages(before, f.runId).filter((e) => (e as { preImage: unknown }).preImage !== null)).toHaveLength(SCENARIO_SEEDS.length - 1);
    // AND its recorded sha256 is the object's
    const recorded = (await f.batch(item!.batchId))!.snapshot!;
    expect(createHash('sha256').update(await f.readArtifact(recorded.key)).digest('hex')).toBe(recorded.sha256);
  });

  it('a takeover after a crash mid-batch reuses the recorded snapshot and writes no snapshot of its own', async () => {
    const { f, items, before } = await createScenario(env());
    const [item] = items;
    const batchId = item!.batchId;

    // GIVEN attempt 1 recorded its snapshot, wrote 3 items and died
    const crash = crashAfterTargetWrites(f.targetTable, 3);
    await expect(processBatch(f.depsWithHook(crash.hook), f.ctx('attempt-a'), item!)).rejects.toThrow(SimulatedCrash);
    await f.settle();
    const recorded = (await f.batch(batchId))!.snapshot!;
    const firstSnapshot = await f.readArtifact(recorded.key);

    // WHEN attempt 2 takes over and finishes the batch
    takeOver(f);
    const writes = countTargetWrites(f.targetTable);
    const outcome = await processBatch(f.depsWithHook(writes.hook), f.ctx('attempt-b'), item!);

    // THEN the ledger still points at attempt 1's snapshot, unchanged, holding the pre-run state...
    expect(outcome.attempt).toBe(2);
    expect(writes.count).toBeGreaterThan(0);
    expect((await f.batch(batchId))?.snapshot).toEqual(recorded);
    expect(recorded.key).toBe(snapshotKey({ runId: f.runId, batchId, attempt: 1 }));
    expect(await f.readArtifact(recorded.key)).toBe(firstSnapshot);
    expect(parseJsonl(firstSnapshot)).toEqual(firstBatchPreImages(before, f.runId));
    // ...no attempt-2 snapshot object exists, and the snapshot was recorded once
    expect(await f.listArtifacts(`snapshots/${f.runId}/${batchId}/`)).toEqual([snapshotKey({ runId: f.runId, batchId, attempt: 1 })]);
    const recordedEvents = (await listAudit(f.deps, f.runId)).filter((e) => e.type === 'SnapshotRecorded' && e.batchId === batchId);
    expect(recordedEvents).toHaveLength(1);
  });
});

describe.each(dynamoTargets())('a retry writes only over the recorded pre-images, on %s', (target) => {
  const env = useEmulators(target);

  it('leaves an item that live traffic changed between the attempts alone (skippedChanged), since its snapshot lacks that state', async () => {
    // GIVEN attempt 1 recorded its snapshot and died before its first write
    const { f, items } = await createScenario(env());
    const crash = crashAfterTargetWrites(f.targetTable, 0);
    await expect(processBatch(f.depsWithHook(crash.hook), f.ctx('attempt-a'), items[0]!)).rejects.toThrow(SimulatedCrash);
    await f.settle();
    // AND live traffic then rewrote item-0002 at its old version (the backfill's version 2 would replace it)
    const live = { id: 'item-0002', version: 1, doubled: 55, writer: 'live' };
    await f.putTarget(live);

    // WHEN attempt 2 takes over
    takeOver(f);
    const outcome = await processBatch(f.deps, f.ctx('attempt-b'), items[0]!);

    // THEN the live write stands: overwriting it would lose a state no snapshot holds
    expect(await f.getTarget('item-0002')).toEqual(live);
    expect(outcome.counts).toMatchObject({ written: 7, skippedChanged: 1 });
  });
});

function takeOver(f: Fixture): void {
  f.clock.advance(f.spec.leaseSeconds * 1000 + 1);
}
