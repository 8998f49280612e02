import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getRun, listAudit, listBatches } from '../../../../lambdas/lib/ledger';
import { rehearsalReportKeyOf, type RollbackReport } from '../../../../lambdas/lib/rollback';
import { SnapshotIntegrityError } from '../../../../lambdas/lib/worker';
import { dynamoTargets, useEmulators, type Emulators } from '../../../support';
import type { Fixture } from '../../support/fixture';
import { countTargetChanges, endRun, rehearse, rollBack } from '../../support/rollback';
import { createScenario, processAll } from '../../support/scenario';

async function finishedRun(env: Emulators): Promise<{ f: Fixture; before: string }> {
  const { f, items, before } = await createScenario(env);
  await processAll(f, items, 'forward');
  await endRun(f);
  return { f, before };
}

/** Rollback rehearsal: checks every snapshot and judges every item, without writing to the target. */
describe.each(dynamoTargets())('rehearsing a rollback on %s', (target) => {
  const env = useEmulators(target);

  it('of a healthy run reports zero problems, what would be restored and deleted, and an estimate; it writes nothing', async () => {
    const { f } = await finishedRun(env());
    const after = await f.dumpTarget();
    const run = await getRun(f.deps, f.runId);
    const writes = countTargetChanges(f.targetTable);

    const report = await rehearse({ ...f, deps: f.depsWithHook(writes.hook) });

    expect(report).toMatchObject({
      runId: f.runId,
      mode: 'rehearse',
      runStatus: 'SUCCEEDED',
      healthy: true,
      batches: 3,
      entries: 25,
      wouldRestore: 3,
      wouldDelete: 20,
      conflicts: 0,
      untouched: 2,
      problemCount: 0,
      problems: [],
      sampleConflicts: [],
    });
    expect(report.estimate.seconds).toBeGreaterThanOrEqual(1);
    expect(report.estimate.basis).toMatch(/default rate|forward run/);
    // THEN nothing changed: no target write, the run's status and record as they were
    expect(writes.count).toBe(0);
    expect(await f.dumpTarget()).toBe(after);
    expect(await getRun(f.deps, f.runId)).toEqual(run);
    // AND the rehearsal is in the audit trail and its report in S3
    expect((await listAudit(f.deps, f.runId)).at(-1)).toMatchObject({ type: 'RollbackRehearsed', detail: { healthy: true, problemCount: 0, wouldRestore: 3, wouldDelete: 20 } });
    expect(JSON.parse(await f.readArtifact(rehearsalReportKeyOf(f.runId)))).toEqual(report);
    // AND a rollback after it does exactly what it said
    const rolledBack = (await rollBack(f)) as RollbackReport;
    expect(rolledBack.counts).toMatchObject({ restored: report.wouldRestore, deleted: report.wouldDelete, conflicts: report.conflicts });
  }, 60_000);

  it('finds a deleted snapshot object and a corrupted one, each named by key', async () => {
    const { f } = await finishedRun(env());
    const [b0, b1] = await listBatches(f.deps, f.runId);
    // GIVEN batch 0's snapshot object was deleted and batch 1's was changed by one byte
    await f.deps.clients.s3.send(new DeleteObjectCommand({ Bucket: f.deps.artifactsBucket, Key: b0!.snapshot!.key }));
    const original = await f.readArtifact(b1!.snapshot!.key);
    const corrupted = original.replace('"doubled":', '"doubled" :');
    await f.deps.clients.s3.send(new PutObjectCommand({ Bucket: f.deps.artifactsBucket, Key: b1!.snapshot!.key, Body: corrupted }));

    const report = await rehearse(f);

    expect(report.healthy).toBe(false);
    expect(report.problemCount).toBe(2);
    expect(report.problems).toEqual([
      { batchId: 'b0000000', problem: 'missing', key: b0!.snapshot!.key, detail: expect.stringContaining(b0!.snapshot!.key) },
      { batchId: 'b0000001', problem: 'checksum-mismatch', key: b1!.snapshot!.key, detail: expect.stringContaining('sha256') },
    ]);
    // AND the healthy batch is still judged
    expect(report).toMatchObject({ batches: 3, wouldDelete: 5 });
  }, 60_000);

  it('a rollback over a corrupted snapshot fails that batch by key, and restores nothing of it', async () => {
    const { f } = await finishedRun(env());
    const [b0] = await listBatches(f.deps, f.runId);
    await f.deps.clients.s3.send(new PutObjectCommand({ Bucket: f.deps.artifactsBucket, Key: b0!.snapshot!.key, Body: 'not a snapshot\n' }));
    const after = await f.dumpTarget();

    const error = await rollBack(f).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SnapshotIntegrityError);
    expect(error).toMatchObject({ key: b0!.snapshot!.key, problem: 'checksum-mismatch', batchId: 'b0000000' });
    expect(await f.dumpTarget()).toBe(after);
    expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'ROLLING_BACK' });
  }, 60_000);
});
