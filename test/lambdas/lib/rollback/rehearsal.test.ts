import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { rehearsalReportKey } from '../../../../lambdas/lib/artifacts';
import { getRun, listAudit, listBatches } from '../../../../lambdas/lib/ledger';
import type { RollbackReport } from '../../../../lambdas/lib/rollback';
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

  it('names who asked for it as the actor of RollbackRehearsed', async () => {
    const { f } = await finishedRun(env());

    await rehearse(f, { requestedBy: 'local:ana' });

    expect((await listAudit(f.deps, f.runId)).at(-1)).toMatchObject({ type: 'RollbackRehearsed', actor: 'local:ana' });
  });

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
    expect(JSON.parse(await f.readArtifact(rehearsalReportKey({ runId: f.runId })))).toEqual(report);
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
      { batchId: 'b0000000', problem: 'missing', key: b0!.snapshot!.key, detail: 'no such object' },
      // the finding itself, whole: not the error's advice cut off mid-sentence
      { batchId: 'b0000001', problem: 'checksum-mismatch', key: b1!.snapshot!.key, detail: expect.stringMatching(/^sha256 [0-9a-f]{12}…, recorded [0-9a-f]{12}…$/) },
    ]);
    // AND the healthy batch is still judged
    expect(report).toMatchObject({ batches: 3, wouldDelete: 5 });
  }, 60_000);

  it('a rollback with a deleted and an altered snapshot is refused before restoring anything, each named by key and why', async () => {
    const { f } = await finishedRun(env());
    const [, b1, b2] = await listBatches(f.deps, f.runId);
    // GIVEN batch 1's snapshot object was deleted and batch 2's altered (batch 0's, restored first, is fine)
    await f.deps.clients.s3.send(new DeleteObjectCommand({ Bucket: f.deps.artifactsBucket, Key: b1!.snapshot!.key }));
    await f.deps.clients.s3.send(new PutObjectCommand({ Bucket: f.deps.artifactsBucket, Key: b2!.snapshot!.key, Body: 'not a snapshot\n' }));
    const run = await getRun(f.deps, f.runId);
    const after = await f.dumpTarget();
    const writes = countTargetChanges(f.targetTable);

    const error = await rollBack({ ...f, deps: f.depsWithHook(writes.hook) }).catch((e: unknown) => e);

    // THEN it is refused by a named error listing both snapshots and what to do
    expect(error).toMatchObject({
      name: 'SnapshotsUnusableError',
      runId: f.runId,
      problemCount: 2,
      problems: [
        { batchId: 'b0000001', problem: 'missing', key: b1!.snapshot!.key },
        { batchId: 'b0000002', problem: 'checksum-mismatch', key: b2!.snapshot!.key },
      ],
    });
    expect((error as Error).message).toContain(`b0000001 ${b1!.snapshot!.key}: missing`);
    expect((error as Error).message).toContain(`b0000002 ${b2!.snapshot!.key}: checksum-mismatch`);
    expect((error as Error).message).toMatch(/versioned.*nothing was restored/is);
    // AND the advice holds where it runs: AWS keeps versions, the local emulators (s3rver) keep none
    expect((error as Error).message).toMatch(/on AWS .*previous version/i);
    expect((error as Error).message).toMatch(/on the local emulators .*no versions.*cannot be recovered/i);
    // AND nothing was restored, and the run is as it was (a rollback of it can be started once the objects are back)
    expect(writes.count).toBe(0);
    expect(await f.dumpTarget()).toBe(after);
    expect(await getRun(f.deps, f.runId)).toEqual(run);
  }, 60_000);
});
