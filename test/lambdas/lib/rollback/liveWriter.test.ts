import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflictListKey } from '../../../../lambdas/lib/artifacts';
import { getRun } from '../../../../lambdas/lib/ledger';
import type { AttributeChange, Conflict, RollbackReport } from '../../../../lambdas/lib/rollback';
import type { TargetItem } from '../../../../lambdas/transforms/Transform';
import { dynamoTargets, useEmulators } from '../../../support';
import type { DdbCall, Fixture } from '../../support/fixture';
import { formatRehearsalReport, formatRollbackReport } from '../../../../local/cli/formatRollbackReport';
import { endRun, rehearse, rollBack } from '../../support/rollback';
import { createScenario, processAll } from '../../support/scenario';

const stamped = (f: Fixture, id: string, doubled: number, batchId: string): TargetItem => ({
  id,
  version: 2,
  doubled,
  backfillRunId: f.runId,
  backfillTransform: 'doubler@1',
  backfillBatchId: batchId,
});

/** What differs from an item the run wrote (version 2) to a live write of it: stamps gone, new value and version, `writer: "live"`. */
const liveChanges = (f: Fixture, wrote: number, live: number, version: number): AttributeChange[] => [
  { path: 'backfillBatchId', kind: 'removed', before: 'b0000000' },
  { path: 'backfillRunId', kind: 'removed', before: f.runId },
  { path: 'backfillTransform', kind: 'removed', before: 'doubler@1' },
  { path: 'doubled', kind: 'changed', before: wrote, after: live },
  { path: 'version', kind: 'changed', before: 2, after: version },
  { path: 'writer', kind: 'added', after: 'live' },
];

/** The dump with the given items' lines replaced by their current value (or removed). */
function dumpWith(before: string, now: Record<string, TargetItem | null>): string {
  const lines = before.split('\n').filter((line) => line !== '' && !(JSON.parse(line).id in now));
  for (const item of Object.values(now)) if (item) lines.push(JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1)))));
  return lines.sort().map((line) => `${line}\n`).join('');
}

/** Invariant 6: items changed since by live traffic are reported as conflicts and left alone. */
describe.each(dynamoTargets())('rollback with live writers on %s', (target) => {
  const env = useEmulators(target);

  it('reports items changed after the run as conflicts (what the run wrote, what is there now) and keeps the live values', async () => {
    // GIVEN a finished run
    const { f, items, before } = await createScenario(env());
    await processAll(f, items, 'forward');
    await endRun(f);
    // AND live traffic then wrote a newer version of item 5 (created by the run), deleted item 2
    // (rewritten by the run), changed item 1 in place, keeping the run's stamp and version, and
    // deleted item 6 (created by the run: absent is its pre-run state, so that is no conflict)
    const live5 = { id: 'item-0005', version: 3, doubled: 555, writer: 'live' };
    await f.putTarget(live5);
    for (const id of ['item-0002', 'item-0006']) await f.deps.clients.ddb.send(new DeleteCommand({ TableName: f.targetTable, Key: { id } }));
    await f.deps.clients.ddb.send(new UpdateCommand({ TableName: f.targetTable, Key: { id: 'item-0001' }, UpdateExpression: 'SET doubled = :d', ExpressionAttributeValues: { ':d': 111 } }));
    const live1 = await f.getTarget('item-0001');

    // WHEN the run is rolled back
    const report = (await rollBack(f)) as RollbackReport;

    // THEN the three are conflicts, listed with what the run wrote and what is there now
    const expected: Conflict[] = [
      { batchId: 'b0000000', key: { id: 'item-0001' }, wrote: stamped(f, 'item-0001', 2, 'b0000000'), now: live1!, reason: 'changed-since-run', changes: [{ path: 'doubled', kind: 'changed', before: 2, after: 111 }] },
      { batchId: 'b0000000', key: { id: 'item-0002' }, wrote: stamped(f, 'item-0002', 4, 'b0000000'), now: null, reason: 'changed-since-run', changes: [{ path: '', kind: 'removed' }] },
      { batchId: 'b0000000', key: { id: 'item-0005' }, wrote: stamped(f, 'item-0005', 10, 'b0000000'), now: live5, reason: 'changed-since-run', changes: liveChanges(f, 10, 555, 3) },
    ];
    expect(report.status).toBe('ROLLED_BACK_WITH_CONFLICTS');
    expect(report.counts).toEqual({ entries: 25, restored: 1, deleted: 18, alreadyRestored: 1, untouched: 2, handledByOtherBatch: 0, conflicts: 3, verifiedMismatches: 0, laterRunWrites: 0 });
    expect(report.conflicts).toEqual({ total: 3, shown: expected, listKey: conflictListKey({ runId: f.runId }) });
    expect((await f.readArtifact(conflictListKey({ runId: f.runId }))).split('\n').filter(Boolean).map((line) => JSON.parse(line))).toEqual(expected);
    // AND they keep their live values, while everything else is back to its pre-run state
    expect(await f.dumpTarget()).toBe(dumpWith(before, { 'item-0001': live1!, 'item-0002': null, 'item-0005': live5 }));
    expect((await getRun(f.deps, f.runId))?.status).toBe('ROLLED_BACK_WITH_CONFLICTS');
  }, 60_000);

  it('the rehearsal reports the conflicts the rollback then meets, with the attributes that differ', async () => {
    // GIVEN a finished run, then live traffic: item 1 changed in place, item 2 deleted, item 5 a newer version
    const { f, items } = await createScenario(env());
    await processAll(f, items, 'forward');
    await endRun(f);
    await f.putTarget({ id: 'item-0005', version: 3, doubled: 555, writer: 'live' });
    await f.deps.clients.ddb.send(new DeleteCommand({ TableName: f.targetTable, Key: { id: 'item-0002' } }));
    await f.deps.clients.ddb.send(new UpdateCommand({ TableName: f.targetTable, Key: { id: 'item-0001' }, UpdateExpression: 'SET doubled = :d', ExpressionAttributeValues: { ':d': 111 } }));

    // WHEN the rollback is rehearsed THEN it says the rollback would end with these three conflicts
    const rehearsal = await rehearse(f);
    const changes1 = [{ path: 'doubled', kind: 'changed', before: 2, after: 111 }];
    const changes2 = [{ path: '', kind: 'removed' }];
    const changes5 = liveChanges(f, 10, 555, 3);
    expect(rehearsal).toMatchObject({ healthy: true, conflicts: 3, wouldEndAs: 'ROLLED_BACK_WITH_CONFLICTS' });
    expect(rehearsal.sampleConflicts).toEqual([
      { batchId: 'b0000000', key: { id: 'item-0001' }, reason: 'changed-since-run', changes: changes1 },
      { batchId: 'b0000000', key: { id: 'item-0002' }, reason: 'changed-since-run', changes: changes2 },
      { batchId: 'b0000000', key: { id: 'item-0005' }, reason: 'changed-since-run', changes: changes5 },
    ]);
    const printed = formatRehearsalReport({ ...rehearsal, elapsedMs: 1, itemsPerSecond: 1 });
    expect(printed).toMatch(/3 CONFLICTS/);
    expect(printed).toContain('doubled: 2 → 111');
    expect(printed).toContain('item deleted');
    expect(printed).toContain('+ writer: "live"');

    // AND the rollback meets exactly those, with the same classification and the same differences
    const report = (await rollBack(f)) as RollbackReport;
    expect(report.conflicts.shown.map(({ batchId, key, reason, changes }) => ({ batchId, key, reason, changes }))).toEqual(rehearsal.sampleConflicts);
    expect(formatRollbackReport({ ...report, elapsedMs: 1, itemsPerSecond: 1 })).toContain('version: 2 → 3');
  }, 60_000);

  it('a live write racing the restore wins: the refused restore is judged again and reported as a conflict', async () => {
    const { f, items, before } = await createScenario(env());
    await processAll(f, items, 'forward');
    await endRun(f);
    // GIVEN live traffic writes item 7 just before the rollback restores it
    const live7 = { id: 'item-0007', version: 5, doubled: 777, writer: 'live' };
    let raced = false;
    const race = async (call: DdbCall) => {
      const key = (call.input.Key ?? call.input.Item) as { id?: string } | undefined;
      if (raced || call.tableName !== f.targetTable || call.command !== 'DeleteItemCommand' || key?.id !== 'item-0007') return;
      raced = true;
      await f.deps.clients.ddb.send(new PutCommand({ TableName: f.targetTable, Item: live7 }));
    };

    // WHEN the rollback runs
    const report = (await rollBack(f, { deps: f.depsWithHook(race) })) as RollbackReport;

    // THEN the live value stays and is a conflict of the rollback
    expect(raced).toBe(true);
    expect(await f.getTarget('item-0007')).toEqual(live7);
    expect(report.conflicts.shown).toEqual([
      { batchId: 'b0000000', key: { id: 'item-0007' }, wrote: stamped(f, 'item-0007', 14, 'b0000000'), now: live7, reason: 'changed-during-rollback', changes: liveChanges(f, 14, 777, 5) },
    ]);
    expect(await f.dumpTarget()).toBe(dumpWith(before, { 'item-0007': live7 }));
  }, 60_000);
});
