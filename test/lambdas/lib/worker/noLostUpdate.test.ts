import { processBatch, decideWrite, stampItem, writeTargetItem } from '../../../../lambdas/lib/worker';
import type { Target } from '../../../../lambdas/lib/worker/targetKeys';
import { sourceLines } from '../../support/doubler';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture, type DdbCall } from '../../support/fixture';

const TARGET: Target = { tableName: 'target', partitionKey: 'id', versionAttribute: 'version' };
const stamp = { runId: 'run-1', transform: 'doubler@1', batchId: 'b0000000' };

describe('decideWrite', () => {
  it('writes an item that does not exist yet', () => {
    expect(decideWrite(undefined, { id: 'a', version: 2, doubled: 4 }, TARGET)).toBe('write');
  });

  it('skips an item whose stored version is newer (live traffic wins)', () => {
    expect(decideWrite({ id: 'a', version: 3, doubled: 0 }, { id: 'a', version: 2, doubled: 4 }, TARGET)).toBe('skippedNewer');
  });

  it('rewrites an item derived from the same version when the recomputed content differs (the fix)', () => {
    expect(decideWrite({ id: 'a', version: 2, doubled: 999 }, { id: 'a', version: 2, doubled: 4 }, TARGET)).toBe('write');
  });

  it('rewrites an item of an older version', () => {
    expect(decideWrite({ id: 'a', version: 1, doubled: 4 }, { id: 'a', version: 2, doubled: 4 }, TARGET)).toBe('write');
  });

  it('leaves an equal item alone, whoever stamped it', () => {
    const stored = stampItem({ id: 'a', version: 2, doubled: 4 }, { ...stamp, runId: 'an-earlier-run' });
    expect(decideWrite(stored, stampItem({ id: 'a', version: 2, doubled: 4 }, stamp), TARGET)).toBe('unchanged');
  });

  it('at equal version, merges with an item of the same transform (another batch or run) by the canonical order: the winner stays', () => {
    // '{"doubled":6,…' outranks '{"doubled":4,…' (the greater canonical JSON without stamps)
    const fromOtherBatch = (doubled: number) => stampItem({ id: 'a', version: 2, doubled }, { ...stamp, batchId: 'b0000001' });
    expect(decideWrite(fromOtherBatch(6), stampItem({ id: 'a', version: 2, doubled: 4 }, stamp), TARGET)).toBe('unchanged');
    expect(decideWrite(fromOtherBatch(4), stampItem({ id: 'a', version: 2, doubled: 6 }, stamp), TARGET)).toBe('write');
    const fromEarlierRun = stampItem({ id: 'a', version: 2, doubled: 6 }, { ...stamp, runId: 'an-earlier-run' });
    expect(decideWrite(fromEarlierRun, stampItem({ id: 'a', version: 2, doubled: 4 }, stamp), TARGET)).toBe('unchanged');
  });

  it('at equal version, rewrites an item another transform (or live traffic) wrote, whatever the order says (the fix)', () => {
    const fromOldTransform = stampItem({ id: 'a', version: 2, doubled: 6 }, { ...stamp, transform: 'doubler@0' });
    expect(decideWrite(fromOldTransform, stampItem({ id: 'a', version: 2, doubled: 4 }, stamp), TARGET)).toBe('write');
    expect(decideWrite({ id: 'a', version: 2, doubled: 6 }, stampItem({ id: 'a', version: 2, doubled: 4 }, stamp), TARGET)).toBe('write');
  });
});

/** Invariant 2: a target write is conditional on the version; a newer live write is never overwritten, and is counted as skipped. */
describe.each(dynamoTargets())('no lost live update on %s', (target) => {
  const env = useEmulators(target);

  it('leaves an item whose stored version is newer exactly as it was, counted skippedNewer', async () => {
    // GIVEN live traffic already wrote version 5 of item-0002, newer than the backfill's version 2
    const f = await createFixture(env(), { batchSize: 5 });
    const live = { id: 'item-0002', version: 5, doubled: 123, writer: 'live' };
    await f.putTarget(live);
    const [item] = await f.plan(sourceLines(5, 2));

    // WHEN the batch runs
    const outcome = await processBatch(f.deps, f.ctx('attempt-a'), item!);

    // THEN the live item is untouched and the others are written
    expect(await f.getTarget('item-0002')).toEqual(live);
    expect(outcome.counts).toMatchObject({ produced: 5, written: 4, created: 4, skippedNewer: 1, unchanged: 0 });
  });

  it('writeTargetItem: a newer live write that lands between the pre-image read and the write is not overwritten', async () => {
    const f = await createFixture(env());
    const target = f.spec.target;
    // GIVEN the worker read version 1 as the pre-image...
    await f.putTarget({ id: 'item-0001', version: 1, doubled: 0 });
    const preImage = await f.getTarget('item-0001');
    expect(preImage?.version).toBe(1);
    // ...and then live traffic wrote version 3
    const live = { id: 'item-0001', version: 3, doubled: 77, writer: 'live' };
    await f.putTarget(live);

    // WHEN the worker writes its recomputed version 2
    const result = await writeTargetItem(f.deps.clients.ddb, target, stampItem({ id: 'item-0001', version: 2, doubled: 2 }, stamp), preImage);

    // THEN the live write stands, and the outcome says so with what is stored now
    expect(result).toEqual({ outcome: 'skippedNewer', postImage: live });
    expect(await f.getTarget('item-0001')).toEqual(live);
  });

  it('writeTargetItem: writes over the same or an older version, and creates a missing item', async () => {
    const f = await createFixture(env());
    const target = f.spec.target;
    await f.putTarget({ id: 'same', version: 2, doubled: 999 });
    await f.putTarget({ id: 'older', version: 1, doubled: 0 });
    const items = ['same', 'older', 'new'].map((id) => stampItem({ id, version: 2, doubled: 4 }, stamp));

    const preImages = [await f.getTarget('same'), await f.getTarget('older'), undefined];
    const results = [];
    for (const [i, item] of items.entries()) results.push(await writeTargetItem(f.deps.clients.ddb, target, item, preImages[i]));

    expect(results.map((r) => r.outcome)).toEqual(['written', 'written', 'created']);
    for (const item of items) expect(await f.getTarget(item.id as string)).toEqual(item);
  });

  it('processBatch: a live write that races in after the pre-images were read is kept and counted skippedNewer', async () => {
    const f = await createFixture(env(), { batchSize: 5 });
    await f.putTarget({ id: 'item-0003', version: 1, doubled: 0 });
    const [item] = await f.plan(sourceLines(5, 2));
    const live = { id: 'item-0003', version: 4, doubled: 8, writer: 'live' };
    // GIVEN live traffic writes item-0003 just before the worker's own write of it reaches DynamoDB
    const raceIn = async (call: DdbCall) => {
      const written = (call.input as { Item?: { id?: string } }).Item;
      if (call.command === 'PutItemCommand' && call.tableName === f.targetTable && written?.id === 'item-0003') await f.putTarget(live);
    };

    // WHEN the batch runs
    const outcome = await processBatch(f.depsWithHook(raceIn), f.ctx('attempt-a'), item!);

    // THEN the live write stands, and is counted as skipped, not written
    expect(await f.getTarget('item-0003')).toEqual(live);
    expect(outcome.counts).toMatchObject({ produced: 5, written: 4, created: 4, skippedNewer: 1 });
  });
});
