import { getRun } from '../../../../lambdas/lib/ledger';
import type { RollbackReport } from '../../../../lambdas/lib/rollback';
import type { TargetItem } from '../../../../lambdas/transforms/Transform';
import { watchAudit } from '../../support/audit';
import { sourceLine } from '../../support/doubler';
import { dynamoTargets, useEmulators, type Emulators } from '../../../support';
import type { Fixture } from '../../support/fixture';
import { endRun, rehearse, rollBack } from '../../support/rollback';
import { createScenario, processAll } from '../../support/scenario';

/**
 * Run B: a second fix over items 1–10 of the scenario (n + 100), after run A, from newer source
 * records (version 3: at an equal version, items of one transform merge by canonical order instead).
 */
const B_LINES = Array.from({ length: 10 }, (_, i) => sourceLine(`item-${String(i + 1).padStart(4, '0')}`, 3, i + 101));
/** Items both runs wrote: A wrote items 1, 2 and 5–10 of its first batch; B rewrote all of those (item 3 A left unchanged, item 4 only B wrote). */
const BOTH_WROTE = ['item-0001', 'item-0002', 'item-0005', 'item-0006', 'item-0007', 'item-0008', 'item-0009', 'item-0010'];

/** Run A over the scenario, then run B over some of the same items, both finished. */
async function twoRuns(env: Emulators): Promise<{ a: Fixture; b: Fixture; before: string; afterA: string }> {
  const { f: a, items, before } = await createScenario(env);
  await processAll(a, items, 'forward-a');
  await endRun(a);
  const afterA = await a.dumpTarget();
  const b = a.forNewRun();
  await processAll(b, await b.plan(B_LINES), 'forward-b');
  await endRun(b);
  return { a, b, before, afterA };
}

/** Invariant (the interlock): an older run is not rolled back under a newer run that wrote the same items, unless asked to. */
describe.each(dynamoTargets())('rolling back an older run under a newer one on %s', (target) => {
  const env = useEmulators(target);

  it('is refused, naming the newer run and how many items both wrote, and changes nothing; the rehearsal reports it', async () => {
    const { a, b } = await twoRuns(env());
    const run = await getRun(a.deps, a.runId);
    const table = await a.dumpTarget();
    const audit = await watchAudit(a.deps, a.runId);

    const error = await rollBack(a).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'NewerRunWroteItemsError', runId: a.runId, newerRuns: [{ runId: b.runId, items: BOTH_WROTE.length, status: 'SUCCEEDED' }] });
    expect((error as Error).message).toMatch(new RegExp(`run ${b.runId} \\(SUCCEEDED\\) wrote 8 items run ${a.runId} also wrote`));
    expect((error as Error).message).toMatch(new RegExp(`Roll back run ${b.runId} first.*keepNewerRunWrites.*--keep-newer-run-writes`, 's'));
    expect(await getRun(a.deps, a.runId)).toEqual(run);
    expect(await a.dumpTarget()).toBe(table);
    expect(await audit.appended()).toEqual([]);

    const rehearsal = await rehearse(a);
    expect(rehearsal).toMatchObject({ healthy: false, wouldEndAs: 'refused', newerRuns: [{ runId: b.runId, items: 8, status: 'SUCCEEDED' }] });
    expect(rehearsal.problems).toContainEqual({ batchId: '-', problem: 'newer-run-wrote-items', key: b.runId, detail: expect.stringContaining('wrote 8 items') });
  }, 90_000);

  it('rolls back in order, newer first: the table is back to before both runs', async () => {
    const { a, b, before, afterA } = await twoRuns(env());

    expect(((await rollBack(b)) as RollbackReport).status).toBe('ROLLED_BACK');
    expect(await a.dumpTarget()).toBe(afterA);
    expect(((await rollBack(a)) as RollbackReport).status).toBe('ROLLED_BACK');
    expect(await a.dumpTarget()).toBe(before);
  }, 90_000);

  it('with keepNewerRunWrites rolls the older run back and leaves what the newer run wrote, as conflicts naming it', async () => {
    const { a, b } = await twoRuns(env());
    const written: Record<string, TargetItem | undefined> = {};
    for (const id of BOTH_WROTE) written[id] = await a.getTarget(id);

    const report = (await rollBack(a, { keepNewerRunWrites: true })) as RollbackReport;

    expect(report.status).toBe('ROLLED_BACK_WITH_CONFLICTS');
    expect(report.counts).toMatchObject({ conflicts: 8, laterRunWrites: 8 });
    expect(report.conflicts.shown.map((c) => [c.key.id, c.reason, c.laterRunId])).toEqual(BOTH_WROTE.map((id) => [id, 'written-by-later-run', b.runId]));
    expect(report.conflicts.shown[0]!.changes).toEqual([
      { path: 'backfillRunId', kind: 'changed', before: a.runId, after: b.runId },
      { path: 'doubled', kind: 'changed', before: 2, after: 202 },
      { path: 'version', kind: 'changed', before: 2, after: 3 },
    ]);
    for (const id of BOTH_WROTE) expect(await a.getTarget(id)).toEqual(written[id]);
    // AND everything else run A wrote is back to its pre-run state
    expect(await a.getTarget('item-0011')).toBeUndefined();
    expect(await a.getTarget('item-0012')).toEqual({ id: 'item-0012', version: 1, doubled: 0 });
  }, 90_000);
});
