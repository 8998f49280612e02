import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_NAMES } from '../../../infra/definitions';
import { getRun, listBatches } from '../../../lambdas/lib/ledger';
import type { LocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { waitFor } from '../../support';
import { rehearsalReportOf, rollbackReportOf, rollbackRun } from './localRollback';
import { exampleSpec, reportOf, run, targetDump, useSeededEnvironments } from './localRun';

jest.setTimeout(400_000);

/** Live traffic after the run: newer versions of three orders the run wrote (found in the target by stamp). */
async function liveUpdates(env: LocalEnvironment, runId: string): Promise<Record<string, unknown>[]> {
  const written = (await targetDump(env))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((item) => item.backfillRunId === runId)
    .slice(0, 3);
  const live = written.map((item) => ({ orderId: item.orderId, version: Number(item.version) + 10, customerId: 'live', orderDate: '2024-03-01', currency: 'USD', itemCount: 1, totalCents: 1 }));
  for (const item of live) await env.clients.ddb.send(new PutCommand({ TableName: LOCAL_NAMES.demoTargetTable, Item: item }));
  return live;
}

describe('a local rollback through statemachines/rollback.asl.json', () => {
  const seeded = useSeededEnvironments();

  it('round trip: rehearse (healthy), roll back, and the target dump is byte-identical to before the run; again is a no-op', async () => {
    // GIVEN the demo target before the run (v1 items, live-updated items, missing items)
    const { env, expected } = await seeded(2_000);
    const before = await targetDump(env);
    expect(reportOf(await run(env, exampleSpec(), 'round-trip')).status).toBe('SUCCEEDED');
    const after = await targetDump(env);

    // WHEN the rollback is rehearsed
    const rehearsal = rehearsalReportOf(await rollbackRun(env, { runId: 'round-trip', mode: 'rehearse' }));
    // THEN it finds no problem, says what a rollback would do, and changes nothing
    expect(rehearsal).toMatchObject({ healthy: true, problemCount: 0, wouldRestore: expected.updated, wouldDelete: expected.created, conflicts: 0, runStatus: 'SUCCEEDED' });
    expect(rehearsal.estimate.basis).toMatch(/forward run/);
    expect(await targetDump(env)).toBe(after);
    expect((await getRun(env.deps, 'round-trip'))?.status).toBe('SUCCEEDED');

    // WHEN the run is rolled back
    const outcome = await rollbackRun(env, { runId: 'round-trip' });
    const report = rollbackReportOf(outcome);
    // THEN the dump is byte-identical to before the run: created items gone, rewritten ones restored, skipped ones untouched
    expect(await targetDump(env)).toBe(before);
    expect(report).toMatchObject({ status: 'ROLLED_BACK', rolledBackFrom: 'SUCCEEDED', counts: { restored: expected.updated, deleted: expected.created, conflicts: 0, alreadyRestored: 0 } });
    expect(report.counts.untouched).toBe(expected.unchanged + expected.skippedNewer);
    expect(outcome.stats.maxPayloadBytes).toBeLessThan(8_000);
    expect((await getRun(env.deps, 'round-trip'))?.status).toBe('ROLLED_BACK');

    // WHEN it is rolled back again THEN nothing happens and the output says so
    const again = rollbackReportOf(await rollbackRun(env, { runId: 'round-trip' }));
    expect(again).toEqual({ ...report, alreadyRolledBack: true });
    expect(await targetDump(env)).toBe(before);
  });

  it('interrupted after k of n batches and started again, ends identical to an uninterrupted rollback, live conflicts included', async () => {
    const spec = exampleSpec({ maxConcurrency: 2, batchSize: 100 });
    // GIVEN an uninterrupted reference rollback of a run whose written items live traffic changed three of
    const reference = await seeded(3_000);
    await run(reference.env, spec, 'resume-rollback');
    const live = await liveUpdates(reference.env, 'resume-rollback');
    const referenceReport = rollbackReportOf(await rollbackRun(reference.env, { runId: 'resume-rollback' }));
    expect(referenceReport.status).toBe('ROLLED_BACK_WITH_CONFLICTS');
    const byOrder = (a: unknown, b: unknown) => String((a as { orderId: string }).orderId).localeCompare(String((b as { orderId: string }).orderId));
    expect(referenceReport.conflicts.shown.map((c) => c.now).sort(byOrder)).toEqual([...live].sort(byOrder));

    // AND the same run and live traffic in another environment, whose rollback is stopped after 5 batches
    const { env } = await seeded(3_000);
    await run(env, spec, 'resume-rollback');
    await liveUpdates(env, 'resume-rollback');
    const stop = new AbortController();
    let done = 0;
    const first = await rollbackRun(env, { runId: 'resume-rollback' }, stop.signal, () => {
      done += 1;
      if (done === 5) stop.abort();
    });
    expect(first.status).toBe('ABORTED');
    expect((await getRun(env.deps, 'resume-rollback'))?.status).toBe('ROLLING_BACK');

    // WHEN the rollback is started again
    const report = rollbackReportOf(await rollbackRun(env, { runId: 'resume-rollback' }));

    // THEN it ends with the same target, counts and conflicts as the uninterrupted one
    expect(report.rollbackStarts).toBe(2);
    expect(await targetDump(env)).toBe(await targetDump(reference.env));
    expect(report.counts).toEqual(referenceReport.counts);
    expect(report.conflicts).toEqual(referenceReport.conflicts);
  });

  it('refuses to roll back a run still marked RUNNING (nothing changed), and rolls it back with force once its workers are gone', async () => {
    // GIVEN a run stopped after 3 batches (its execution aborted; the run is still RUNNING)
    const { env } = await seeded(2_000);
    const before = await targetDump(env);
    const stop = new AbortController();
    let done = 0;
    const forward = await run(env, exampleSpec({ batchSize: 100, maxConcurrency: 2 }), 'stopped-run', stop.signal, () => {
      done += 1;
      if (done === 3) stop.abort();
    });
    expect(forward.status).toBe('ABORTED');
    // (the aborted execution's last handlers finish their batches in the background)
    await waitFor(async () => (await listBatches(env.deps, 'stopped-run')).every((b) => b.status !== 'IN_PROGRESS'), { describe: 'in-flight batches to finish', timeoutMs: 60_000 });
    const partial = await targetDump(env);
    const record = await getRun(env.deps, 'stopped-run');

    // WHEN it is rolled back without force THEN it is refused by name, and nothing changed
    const refused = await rollbackRun(env, { runId: 'stopped-run' });
    expect(refused).toMatchObject({ status: 'FAILED', error: 'RunStillRunningError' });
    expect(refused.cause).toMatch(/must be stopped before it is rolled back/);
    expect(await getRun(env.deps, 'stopped-run')).toEqual(record);
    expect(await targetDump(env)).toBe(partial);

    // WHEN it is rolled back with force THEN only what it wrote is restored
    const report = rollbackReportOf(await rollbackRun(env, { runId: 'stopped-run', force: true }));
    expect(report).toMatchObject({ status: 'ROLLED_BACK', rolledBackFrom: 'RUNNING', forced: true });
    expect(report.batches).toBeLessThan(20);
    expect(await targetDump(env)).toBe(before);
  });

  it('a rehearsal names a deleted and an altered snapshot by key; applying is refused before restoring anything, naming both', async () => {
    const { env } = await seeded(1_500);
    await run(env, exampleSpec(), 'damaged');
    const [, , b2, b3] = await listBatches(env.deps, 'damaged');
    const bucket = LOCAL_NAMES.artifactsBucket;
    await env.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: b2!.snapshot!.key }));
    await env.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: b3!.snapshot!.key, Body: '{"key":{"orderId":"x"},"preImage":null,"intended":null}\n' }));
    const record = await getRun(env.deps, 'damaged');
    const after = await targetDump(env);

    const rehearsal = rehearsalReportOf(await rollbackRun(env, { runId: 'damaged', mode: 'rehearse' }));
    expect(rehearsal).toMatchObject({ healthy: false, wouldEndAs: 'refused' });
    expect(rehearsal.problems.map((p) => [p.batchId, p.problem, p.key])).toEqual([
      [b2!.batchId, 'missing', b2!.snapshot!.key],
      [b3!.batchId, 'checksum-mismatch', b3!.snapshot!.key],
    ]);

    // WHEN it is applied THEN it is refused by name, listing both snapshots, and nothing was restored
    const applied = await rollbackRun(env, { runId: 'damaged' });
    expect(applied).toMatchObject({ status: 'FAILED', error: 'SnapshotsUnusableError' });
    expect(applied.cause).toContain(`${b2!.batchId} ${b2!.snapshot!.key}: missing`);
    expect(applied.cause).toContain(`${b3!.batchId} ${b3!.snapshot!.key}: checksum-mismatch`);
    expect(await targetDump(env)).toBe(after);
    expect(await getRun(env.deps, 'damaged')).toEqual(record);
  });

  it('refuses to roll back an older run under a newer one that wrote the same items (nothing changed); rolled back newest first, the table is as before both', async () => {
    // GIVEN run "older" (order-summary@1), then run "newer" (order-summary@2) over the same orders
    const { env } = await seeded(1_500);
    const before = await targetDump(env);
    expect(reportOf(await run(env, exampleSpec({ transform: 'order-summary@1' }), 'older')).status).toBe('SUCCEEDED');
    expect(reportOf(await run(env, exampleSpec(), 'newer')).status).toBe('SUCCEEDED');
    const afterBoth = await targetDump(env);
    const record = await getRun(env.deps, 'older');

    // WHEN the older run is rolled back first THEN it is refused by name, and nothing changed
    const refused = await rollbackRun(env, { runId: 'older' });
    expect(refused).toMatchObject({ status: 'FAILED', error: 'NewerRunWroteItemsError' });
    expect(refused.cause).toMatch(/run newer \(SUCCEEDED\) wrote \d+ items? run older also wrote/);
    expect(await targetDump(env)).toBe(afterBoth);
    expect(await getRun(env.deps, 'older')).toEqual(record);
    // AND its rehearsal says so
    expect(rehearsalReportOf(await rollbackRun(env, { runId: 'older', mode: 'rehearse' }))).toMatchObject({ healthy: false, wouldEndAs: 'refused', newerRuns: [{ runId: 'newer', status: 'SUCCEEDED' }] });

    // WHEN they are rolled back newest first THEN the table is byte-identical to before both
    expect(rollbackReportOf(await rollbackRun(env, { runId: 'newer' })).status).toBe('ROLLED_BACK');
    expect(rollbackReportOf(await rollbackRun(env, { runId: 'older' })).status).toBe('ROLLED_BACK');
    expect(await targetDump(env)).toBe(before);
  });

  it('a dry run wrote nothing: its rehearsal and rollback have no batch to restore and end cleanly (an empty map)', async () => {
    const { env } = await seeded(500);
    const before = await targetDump(env);
    await run(env, exampleSpec({ mode: 'dry-run' }), 'dry');
    expect(rehearsalReportOf(await rollbackRun(env, { runId: 'dry', mode: 'rehearse' }))).toMatchObject({ healthy: true, batches: 0, entries: 0 });
    const report = rollbackReportOf(await rollbackRun(env, { runId: 'dry' }));
    expect(report).toMatchObject({ status: 'ROLLED_BACK', batches: 0, counts: { entries: 0 } });
    expect(await targetDump(env)).toBe(before);
  });

  it('refuses an unknown runId with RunNotFoundError', async () => {
    const { env } = await seeded(100);
    const outcome = await rollbackRun(env, { runId: 'no-such-run' });
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RunNotFoundError' });
    expect(outcome.cause).toMatch(/does not exist in the ledger; check the runId/);
  });
});
