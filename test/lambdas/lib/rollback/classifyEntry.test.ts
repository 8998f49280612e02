import { classifyEntry, type EntryAction } from '../../../../lambdas/lib/rollback';
import type { SnapshotEntry } from '../../../../lambdas/lib/worker';
import type { TargetItem } from '../../../../lambdas/transforms/Transform';

const RUN = 'run-1';
const stamp = (batchId: string, runId = RUN) => ({ backfillRunId: runId, backfillTransform: 'doubler@1', backfillBatchId: batchId });
const pre: TargetItem = { id: 'a', version: 1, doubled: 999 };
const wrote: TargetItem = { id: 'a', version: 2, doubled: 2, ...stamp('b1') };
const entry = (preImage: TargetItem | null, intended: TargetItem | null): SnapshotEntry => ({ key: { id: 'a' }, preImage, intended });

/** classifyEntry decides what rollback does with one snapshot entry of batch b1, given the item now. */
describe('classifyEntry', () => {
  const cases: Array<[string, SnapshotEntry, TargetItem | null, TargetItem | null, EntryAction]> = [
    ['restores an item still as this batch wrote it', entry(pre, wrote), pre, wrote, { kind: 'restore' }],
    ['restores (deletes) an item this batch created', entry(null, wrote), null, wrote, { kind: 'restore' }],
    ['restores an item carrying this batch\'s stamp when the snapshot does not know what was written', entry(pre, null), pre, wrote, { kind: 'restore' }],
    ['reports a conflict for an item that kept the stamp but changed', entry(pre, wrote), pre, { ...wrote, doubled: 7 }, { kind: 'conflict', reason: 'changed-since-run' }],
    ['reports a conflict for an item live traffic rewrote', entry(pre, wrote), pre, { id: 'a', version: 3, doubled: 1 }, { kind: 'conflict', reason: 'changed-since-run' }],
    ['reports a conflict for an item live traffic deleted', entry(pre, wrote), pre, null, { kind: 'conflict', reason: 'changed-since-run' }],
    ['leaves an item already back at its pre-run state', entry(pre, wrote), pre, pre, { kind: 'alreadyRestored' }],
    ['leaves a created item that is gone again', entry(null, wrote), null, null, { kind: 'alreadyRestored' }],
    ['leaves an item the run decided not to write', entry(pre, null), pre, pre, { kind: 'untouched' }],
    ['leaves an item the run did not write, even when live traffic changed it', entry(pre, null), pre, { id: 'a', version: 5, doubled: 0 }, { kind: 'untouched' }],
    ['leaves an item another batch of the run wrote last to that batch', entry(pre, wrote), pre, { ...wrote, version: 3, ...stamp('b2') }, { kind: 'handledByOtherBatch', batchId: 'b2' }],
    ['does not take another run\'s stamp for its own: a later run wrote over it', entry(pre, wrote), pre, { ...wrote, ...stamp('b1', 'run-2') }, { kind: 'conflict', reason: 'written-by-later-run', laterRunId: 'run-2' }],
    ['leaves an item the run did not write, even when a later run wrote it', entry(pre, null), pre, { ...wrote, ...stamp('b1', 'run-2') }, { kind: 'untouched' }],
  ];

  it.each(cases)('%s', (_what, snapshotEntry, original, current, expected) => {
    expect(classifyEntry({ entry: snapshotEntry, original, current }, RUN, 'b1')).toEqual(expected);
  });

  it('compares whole items regardless of attribute order', () => {
    const reordered = Object.fromEntries(Object.entries(pre).reverse());
    expect(classifyEntry({ entry: entry(pre, wrote), original: pre, current: reordered }, RUN, 'b1')).toEqual({ kind: 'alreadyRestored' });
  });
});
