import { processBatch, readSnapshot, stampItem, writeTargetItem } from '../../../../lambdas/lib/worker';
import { storedItemGuard } from '../../../../lambdas/lib/worker/storedItemGuard';
import type { TargetItem } from '../../../../lambdas/transforms/Transform';
import { sourceLines } from '../../support/doubler';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture, type DdbCall } from '../../support/fixture';

const stamp = { runId: 'run-1', transform: 'doubler@1', batchId: 'b0000000' };
const TARGET = { tableName: 'target', partitionKey: 'id', versionAttribute: 'version' };

/** A pre-image with the shapes a comparison must get right: nested maps and lists, a null, a number. */
const PRE_IMAGE: TargetItem = { id: 'item-0001', version: 2, doubled: 999, note: null, detail: { tags: ['a', 'b'], nested: { depth: 2, empty: [] } } };

describe('storedItemGuard', () => {
  it('requires absence when there was no pre-image', () => {
    expect(storedItemGuard(TARGET, undefined)).toEqual({ ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'id' } });
  });

  it('compares every attribute of the pre-image but the key (which only has to exist), maps and lists element by element with their types and sizes, nulls by type', () => {
    const guard = storedItemGuard(TARGET, { id: 'a', version: 1, note: null, detail: { tags: ['x'] } });
    expect(guard.ExpressionAttributeNames).toEqual({ '#a0': 'id', '#a1': 'detail', '#a2': 'tags', '#a3': 'note', '#a4': 'version' });
    expect(guard.ConditionExpression).toBe(
      'attribute_exists(#a0) AND attribute_type(#a1, :v0) AND size(#a1) = :v1 AND attribute_type(#a1.#a2, :v2) AND size(#a1.#a2) = :v3 AND #a1.#a2[0] = :v4 AND attribute_type(#a3, :v5) AND #a4 = :v6',
    );
    expect(guard.ExpressionAttributeValues).toEqual({ ':v0': 'M', ':v1': 1, ':v2': 'L', ':v3': 1, ':v4': 'x', ':v5': 'NULL', ':v6': 1 });
  });

  it('falls back to key, version and stamps when the comparison would not fit in 4 KB', () => {
    const wide: TargetItem = { id: 'a', version: 1, backfillRunId: 'r', backfillBatchId: 'b' };
    for (let i = 0; i < 400; i++) wide[`attribute${i}`] = i;
    const guard = storedItemGuard(TARGET, wide);
    expect(Object.values(guard.ExpressionAttributeNames)).toEqual(['id', 'version', 'backfillRunId', 'backfillBatchId']);
    expect(Buffer.byteLength(guard.ConditionExpression)).toBeLessThanOrEqual(4096);
  });
});

/** Exact snapshots: a write lands only on the state the batch read and recorded. */
describe.each(dynamoTargets())('writes guarded by their pre-image on %s', (target) => {
  const env = useEmulators(target);

  it('a write lands while the stored item is still its pre-image, maps, lists and nulls included', async () => {
    const f = await createFixture(env());
    await f.putTarget(PRE_IMAGE);
    const next = stampItem({ id: 'item-0001', version: 2, doubled: 2 }, stamp);

    expect(await writeTargetItem(f.deps.clients.ddb, f.spec.target, next, PRE_IMAGE)).toEqual({ outcome: 'written', postImage: next });
    expect(await f.getTarget('item-0001')).toEqual(next);
  });

  it.each<[string, TargetItem]>([
    ['a top-level value changed, same version', { ...PRE_IMAGE, doubled: 55 }],
    ['a value inside a nested map changed', { ...PRE_IMAGE, detail: { tags: ['a', 'b'], nested: { depth: 3, empty: [] } } }],
    ['a list changed', { ...PRE_IMAGE, detail: { tags: ['b', 'a'], nested: { depth: 2, empty: [] } } }],
    ['an element was added to a list', { ...PRE_IMAGE, detail: { tags: ['a', 'b', 'c'], nested: { depth: 2, empty: [] } } }],
    ['a key was added to a nested map', { ...PRE_IMAGE, detail: { tags: ['a', 'b'], nested: { depth: 2, empty: [], extra: true } } }],
    ['an empty list became an empty map', { ...PRE_IMAGE, detail: { tags: ['a', 'b'], nested: { depth: 2, empty: {} } } }],
    ['a null became a value', { ...PRE_IMAGE, note: 'set by live traffic' }],
    ['an attribute was removed', { id: 'item-0001', version: 2, doubled: 999, note: null }],
    ['an older version was written', { ...PRE_IMAGE, version: 1 }],
  ])('a write is refused and counted skippedChanged when, after the read, %s', async (_, live) => {
    const f = await createFixture(env());
    await f.putTarget(live);

    const result = await writeTargetItem(f.deps.clients.ddb, f.spec.target, stampItem({ id: 'item-0001', version: 2, doubled: 2 }, stamp), PRE_IMAGE);

    expect(result).toEqual({ outcome: 'skippedChanged', postImage: live });
    expect(await f.getTarget('item-0001')).toEqual(live);
  });

  it('an item created after the read found none is not overwritten: skippedChanged, or skippedNewer when newer', async () => {
    const f = await createFixture(env());
    const write = (id: string) => writeTargetItem(f.deps.clients.ddb, f.spec.target, stampItem({ id, version: 2, doubled: 2 }, stamp), undefined);
    await f.putTarget({ id: 'same-version', version: 2, doubled: 7 });
    await f.putTarget({ id: 'newer', version: 3, doubled: 7 });

    expect(await write('same-version')).toEqual({ outcome: 'skippedChanged', postImage: { id: 'same-version', version: 2, doubled: 7 } });
    expect(await write('newer')).toEqual({ outcome: 'skippedNewer', postImage: { id: 'newer', version: 3, doubled: 7 } });
    expect(await f.getTarget('same-version')).toEqual({ id: 'same-version', version: 2, doubled: 7 });
  });

  it('a stale pre-image of an item an earlier attempt of the same batch already wrote counts written (created when there was none), with no second write', async () => {
    const f = await createFixture(env());
    const next = stampItem({ id: 'item-0001', version: 2, doubled: 2 }, stamp);
    const created = stampItem({ id: 'item-0002', version: 2, doubled: 4 }, stamp);
    await f.putTarget(next);
    await f.putTarget(created);

    expect(await writeTargetItem(f.deps.clients.ddb, f.spec.target, next, PRE_IMAGE)).toEqual({ outcome: 'written', postImage: next });
    expect(await writeTargetItem(f.deps.clients.ddb, f.spec.target, created, undefined)).toEqual({ outcome: 'created', postImage: created });
    // Another batch's equal item is not this batch's write: unchanged
    expect(await writeTargetItem(f.deps.clients.ddb, f.spec.target, stampItem(next, { ...stamp, batchId: 'b0000001' }), PRE_IMAGE)).toEqual({ outcome: 'unchanged', postImage: next });
  });

  it('an item too wide for a full comparison is still written, guarded by its version and stamps', async () => {
    const f = await createFixture(env());
    const wide: TargetItem = { id: 'wide', version: 1, doubled: 0, backfillRunId: 'an-earlier-run', backfillBatchId: 'b0000009' };
    for (let i = 0; i < 400; i++) wide[`attribute${i}`] = i;
    await f.putTarget(wide);
    const next = stampItem({ id: 'wide', version: 2, doubled: 2 }, stamp);

    expect(await writeTargetItem(f.deps.clients.ddb, f.spec.target, next, wide)).toMatchObject({ outcome: 'written' });
    expect(await writeTargetItem(f.deps.clients.ddb, f.spec.target, stampItem(next, { ...stamp, runId: 'run-2' }), wide)).toMatchObject({ outcome: 'unchanged' });
  });

  it('processBatch reads pre-images eventually consistent, and a same-version live write racing in is kept and counted skippedChanged', async () => {
    const f = await createFixture(env(), { batchSize: 5 });
    await f.putTarget({ id: 'item-0003', version: 2, doubled: 999 });
    const [item] = await f.plan(sourceLines(5, 2));
    const live = { id: 'item-0003', version: 2, doubled: 55, writer: 'live' };
    const consistentReads: unknown[] = [];
    // GIVEN live traffic rewrites item-0003 at the same version just before the worker's write of it
    const hook = async (call: DdbCall) => {
      if (call.command === 'BatchGetItemCommand') consistentReads.push(...Object.values(call.input.RequestItems as Record<string, { ConsistentRead?: boolean }>).map((r) => r.ConsistentRead));
      const written = (call.input as { Item?: { id?: string } }).Item;
      if (call.command === 'PutItemCommand' && call.tableName === f.targetTable && written?.id === 'item-0003') await f.putTarget(live);
    };

    // WHEN the batch runs
    const outcome = await processBatch(f.depsWithHook(hook), f.ctx('attempt-a'), item!);

    // THEN the live write stands and is counted, and the snapshot still holds what the batch read
    expect(consistentReads).toEqual([false]);
    expect(await f.getTarget('item-0003')).toEqual(live);
    expect(outcome.counts).toMatchObject({ produced: 5, written: 4, created: 4, skippedChanged: 1, skippedNewer: 0 });
    const batch = await f.batch(item!.batchId);
    const entries = await readSnapshot(f.deps.clients.s3, f.deps.artifactsBucket, { runId: f.runId, batchId: item!.batchId }, batch!.snapshot!);
    expect(entries.find((e) => e.key.id === 'item-0003')?.preImage).toEqual({ id: 'item-0003', version: 2, doubled: 999 });
  });
});
