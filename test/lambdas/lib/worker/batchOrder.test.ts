import { processBatch, type BatchOutcome } from '../../../../lambdas/lib/worker';
import type { RollbackReport } from '../../../../lambdas/lib/rollback';
import type { ManifestItem } from '../../../../lambdas/lib/plan';
import { sourceLine } from '../../support/doubler';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture, uniqueName, type DdbCall, type Fixture } from '../../support/fixture';
import { endRun, rollBack } from '../../support/rollback';

/**
 * Three batches of two records; `a` has the same version in all three with different content, `b`
 * in two. Before the run `a` holds a wrong value at that version (the bug being fixed) and `b`,
 * `c`, `d`, `e` do not exist.
 */
const LINES = [sourceLine('a', 3, 1), sourceLine('b', 2, 2), sourceLine('a', 3, 5), sourceLine('c', 1, 3), sourceLine('a', 3, 3), sourceLine('b', 2, 7), sourceLine('d', 1, 4), sourceLine('e', 1, 6)];
const SEED = { id: 'a', version: 3, doubled: 999 };

const PERMUTATIONS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

/** The table without stamps: what the items say, whichever batch wrote them. */
const contentOf = (dump: string): string =>
  dump
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/,?"backfill(RunId|Transform|BatchId)":"[^"]*"/g, '').replace(/\{,/g, '{'))
    .sort()
    .join('\n');

/** Invariant 2, last sentence: whatever order batches land in, the same input gives the same table. */
describe.each(dynamoTargets())('duplicate keys across batches on %s', (target) => {
  const env = useEmulators(target);
  // One runId for every table, so stamps are equal and tables compare byte for byte.
  const runId = uniqueName('run');

  async function planned(batchSize = 3): Promise<{ f: Fixture; items: ManifestItem[]; before: string }> {
    const f = await createFixture(env(), { runId, batchSize });
    await f.putTarget(SEED);
    const items = await f.plan(LINES);
    return { f, items, before: await f.dumpTarget() };
  }

  it('gives byte-identical tables in every order of the batches, with the winner one batch would pick, and each rolls back exactly', async () => {
    // GIVEN what one batch holding every line leaves (ties broken within the batch)
    const single = await planned(100);
    await processBatch(single.f.deps, single.f.ctx('single'), single.items[0]!);
    const withinOneBatch = contentOf(await single.f.dumpTarget());

    const tables: string[] = [];
    for (const order of PERMUTATIONS) {
      // WHEN the three batches run one after another in `order`
      const { f, items, before } = await planned();
      expect(items).toHaveLength(3);
      for (const index of order) await processBatch(f.deps, f.ctx('forward'), items[index]!);
      tables.push(await f.dumpTarget());

      // THEN (below) the tables are equal; AND rolling the run back restores the pre-run table exactly
      await endRun(f);
      const report = (await rollBack(f, { order: (list) => order.map((i) => list[i]!) })) as RollbackReport;
      expect({ order, status: report.status, conflicts: report.counts.conflicts, table: await f.dumpTarget() }).toEqual({ order, status: 'ROLLED_BACK', conflicts: 0, table: before });
    }
    expect(new Set(tables).size).toBe(1);
    expect(contentOf(tables[0]!)).toBe(withinOneBatch);
    expect(contentOf(tables[0]!)).toContain('{"doubled":6,"id":"a","version":3}');
  }, 120_000);

  it('gives the same table when two batches read a key before either writes it, whichever writes first', async () => {
    // GIVEN the order-independent table
    const reference = await planned();
    for (const item of reference.items) await processBatch(reference.f.deps, reference.f.ctx('forward'), item);
    const expected = await reference.f.dumpTarget();

    for (const firstWriter of [0, 1]) {
      // WHEN batches 0 and 1 both take their snapshots before either writes, and batch `firstWriter` writes first
      const { f, items, before } = await planned();
      const gates = [deferred(), deferred()];
      const snapshotted = [deferred(), deferred()];
      const gated = (batch: number) => async (call: DdbCall) => {
        if (call.command !== 'PutItemCommand' || call.tableName !== f.targetTable) return;
        snapshotted[batch]!.resolve();
        await gates[batch]!.promise;
      };
      const runs: Promise<BatchOutcome>[] = [0, 1].map((batch) => processBatch(f.depsWithHook(gated(batch)), f.ctx(`attempt-${batch}`), items[batch]!));
      await Promise.all(snapshotted.map((s) => s.promise));
      gates[firstWriter]!.resolve();
      const first = await runs[firstWriter]!;
      gates[1 - firstWriter]!.resolve();
      const second = await runs[1 - firstWriter]!;
      await processBatch(f.deps, f.ctx('forward'), items[2]!);

      // THEN the table is the one any sequential order gives, nothing is left as skippedChanged,
      // and the run still rolls back exactly
      expect({ firstWriter, table: await f.dumpTarget() }).toEqual({ firstWriter, table: expected });
      expect(first.counts.skippedChanged + second.counts.skippedChanged).toBe(0);
      await endRun(f);
      expect(((await rollBack(f)) as RollbackReport).counts.conflicts).toBe(0);
      expect(await f.dumpTarget()).toBe(before);
    }
  }, 120_000);

  it('a second run of the same transform over the table leaves it as it is, in any order', async () => {
    // GIVEN the table one run left
    const first = await planned();
    for (const item of first.items) await processBatch(first.f.deps, first.f.ctx('forward'), item);
    const afterFirstRun = contentOf(await first.f.dumpTarget());

    for (const order of [PERMUTATIONS[0]!, PERMUTATIONS[5]!]) {
      // WHEN another run of the same spec runs over it, its batches in `order`
      const again = first.f.forNewRun();
      const items = await again.plan(LINES);
      const outcomes = [];
      for (const index of order) outcomes.push(await processBatch(again.deps, again.ctx('rerun'), items[index]!));

      // THEN the items keep their content: every key already holds the winner, so nothing is written
      expect(contentOf(await again.dumpTarget())).toBe(afterFirstRun);
      expect(outcomes.map((o) => o.counts.written)).toEqual([0, 0, 0]);
    }
  }, 120_000);
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
