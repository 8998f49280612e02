import { createHash, randomUUID } from 'node:crypto';
import { reportKey } from '../../../../lambdas/lib/artifacts';
import { claimBatch, completeBatch, failBatch, getRun, markExecutionEnded, pinPlan, requestAbort, requestPause, RunNotRunningError, startOrResumeRun, type BatchCounts } from '../../../../lambdas/lib/ledger';
import { batchIdOf, type PlanResult } from '../../../../lambdas/lib/plan';
import { finalizeRun, MalformedThresholdExceededError, ReconcileError, RunGatedError, type RunReport } from '../../../../lambdas/lib/run';
import { specHash, type Spec, type SpecInput } from '../../../../lambdas/lib/spec';
import { createTestStore, dynamoTargets, uniqueName, useEmulators, type TestStore } from '../../../support';
import { specFor } from '../../fixtures/specs';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What each batch does in a test: complete with counts and a checksum, fail, stay claimed, or never run. */
type BatchFate =
  | { readonly done: { readonly read: number; readonly malformed?: number; readonly written?: number; readonly checksum?: string } }
  | { readonly failed: string }
  | { readonly claimedOnly: true }
  | { readonly missing: true };

const countsOf = (read: number, malformed = 0, written = read - malformed): BatchCounts => ({
  read,
  malformed,
  produced: read - malformed,
  written,
  created: Math.min(1, written),
  unchanged: read - malformed - written,
  skippedNewer: 0,
  skippedChanged: 0,
});
const checksumOf = (batchId: string) => sha256(`items of ${batchId}`);

describe.each(dynamoTargets())('finalizeRun on %s', (target) => {
  const env = useEmulators(target);
  let emulators: TestStore;

  beforeAll(async () => {
    emulators = await createTestStore(env());
  });

  /**
   * A started, planned run whose batches met the given fates through the real ledger functions,
   * completed in `order` (batch indexes; default: plan order).
   */
  async function runWith(fates: readonly BatchFate[], specOverrides: Partial<SpecInput> = {}, order?: readonly number[]): Promise<{ runId: string; spec: Spec; plan: PlanResult }> {
    const deps = emulators.deps;
    const spec = specFor('backfill-source', 'orders/', specOverrides);
    const runId = uniqueName('run');
    await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec) });
    const recordCount = fates.reduce((n, f) => n + ('done' in f ? f.done.read : 0), 0) + fates.filter((f) => !('done' in f)).length * 10;
    const plan: PlanResult = {
      manifestBucket: deps.artifactsBucket,
      manifestKey: `manifests/${runId}/manifest.jsonl`,
      planHash: sha256(`plan of ${runId}`),
      batchCount: fates.length,
      recordCount,
      objectCount: 1,
    };
    await pinPlan(deps, runId, plan);
    for (const index of order ?? fates.map((_, i) => i)) {
      const fate = fates[index]!;
      if ('missing' in fate) continue;
      const batchId = batchIdOf(index);
      const claim = await claimBatch(deps, { runId, batchId, owner: randomUUID(), leaseSeconds: 60 });
      if (claim.kind !== 'claimed') throw new Error(`test setup: ${batchId} was not claimable`);
      if ('done' in fate) {
        const { read, malformed, written, checksum } = fate.done;
        await completeBatch(deps, claim.lease, { counts: countsOf(read, malformed, written), checksum: checksum ?? checksumOf(batchId) });
      } else if ('failed' in fate) {
        await failBatch(deps, claim.lease, new Error(fate.failed));
      }
    }
    return { runId, spec, plan };
  }

  async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a rejection');
  }

  describe('when every planned batch is done', () => {
    it('sums the counts, writes the report to S3 equal to its return value, and marks the run SUCCEEDED', async () => {
      // GIVEN three batches done with known counts
      const input = await runWith([{ done: { read: 10, written: 7 } }, { done: { read: 10, malformed: 0, written: 10 } }, { done: { read: 5, written: 0 } }]);
      emulators.deps.clock.advance(60_000);
      // WHEN the run is finalized
      const report = await finalizeRun(emulators.deps, input);
      // THEN the report adds up the ledger
      expect(report).toMatchObject({
        runId: input.runId,
        jobName: input.spec.jobName,
        status: 'SUCCEEDED',
        mode: 'apply',
        transform: 'order-summary@2',
        specHash: specHash(input.spec),
        planHash: input.plan.planHash,
        codeVersion: 'test-code',
        batches: { planned: 3, done: 3, failed: 0, failedIds: [] },
        records: 25,
        counts: { read: 25, malformed: 0, produced: 25, written: 17, created: 2, unchanged: 8, skippedNewer: 0 },
        malformedPercent: 0,
        starts: 1,
        reportKey: `reports/${input.runId}/report.json`,
        quarantinePrefix: `quarantine/${input.runId}/`,
        finishedAt: new Date(emulators.deps.clock.nowMs()).toISOString(),
      });
      expect(report.reportKey).toBe(reportKey({ runId: input.runId }));
      // AND the S3 report is the returned one
      const stored = JSON.parse(await emulators.getText(emulators.deps.artifactsBucket, report.reportKey)) as RunReport;
      expect(stored).toEqual(report);
      // AND the run is SUCCEEDED with the report as its summary
      const run = await getRun(emulators.deps, input.runId);
      expect(run?.status).toBe('SUCCEEDED');
      expect(run?.summary).toEqual(report);
    });

    it('computes the target checksum over the batches in batch order, whatever order they finished in', async () => {
      // GIVEN the same batch checksums, completed forwards in one run and backwards in another
      const fates: BatchFate[] = [0, 1, 2, 3].map((i) => ({ done: { read: 3, checksum: checksumOf(batchIdOf(i)) } }));
      const forwards = await finalizeRun(emulators.deps, await runWith(fates));
      const backwards = await finalizeRun(emulators.deps, await runWith(fates, {}, [3, 2, 1, 0]));
      // THEN both runs report the same checksum: sha256 of "<batchId> <checksum>\n" in batchId order
      const expected = sha256([0, 1, 2, 3].map((i) => `${batchIdOf(i)} ${checksumOf(batchIdOf(i))}\n`).join(''));
      expect(forwards.targetChecksum).toBe(expected);
      expect(backwards.targetChecksum).toBe(expected);
      // AND one different batch checksum changes it
      const changed = fates.map((f, i) => (i === 2 ? { done: { read: 3, checksum: sha256('other items') } } : f));
      expect((await finalizeRun(emulators.deps, await runWith(changed))).targetChecksum).not.toBe(expected);
    });

    it('returns the recorded report, unchanged, when retried after it finished', async () => {
      const input = await runWith([{ done: { read: 4 } }, { done: { read: 4 } }]);
      const first = await finalizeRun(emulators.deps, input);
      // WHEN Finalize is retried later (a Step Functions retry after a lost response)
      emulators.deps.clock.advance(5 * 60_000);
      const second = await finalizeRun(emulators.deps, input);
      // THEN it returns the same report and the S3 copy is the same
      expect(second).toEqual(first);
      expect(JSON.parse(await emulators.getText(emulators.deps.artifactsBucket, first.reportKey))).toEqual(first);
      expect((await getRun(emulators.deps, input.runId))?.status).toBe('SUCCEEDED');
    });

    it('refuses when the batches read a different number of records than the plan holds', async () => {
      const input = await runWith([{ done: { read: 4 } }, { done: { read: 4 } }]);
      const error = await rejectionOf(finalizeRun(emulators.deps, { ...input, plan: { ...input.plan, recordCount: 9 } }));
      expect(error).toBeInstanceOf(ReconcileError);
      expect(error.message).toContain('read 8 records but the plan has 9');
    });
  });

  describe('refuses with ReconcileError and leaves the run RUNNING', () => {
    it('when a planned batch has no ledger record, naming it', async () => {
      const input = await runWith([{ done: { read: 2 } }, { missing: true }, { done: { read: 2 } }], { toleratedFailurePercent: 20 });
      const error = await rejectionOf(finalizeRun(emulators.deps, input));
      expect(error).toBeInstanceOf(ReconcileError);
      expect(error.message).toContain(input.runId);
      expect(error.message).toContain('1 of 3 planned batches');
      expect(error.message).toContain('b0000001');
      expect((await getRun(emulators.deps, input.runId))?.status).toBe('RUNNING');
    });

    it('but counts a never-processed batch against the tolerance like a failed one (within it: SUCCEEDED_WITH_FAILURES)', async () => {
      const input = await runWith([{ done: { read: 2 } }, { missing: true }, { done: { read: 2 } }], { toleratedFailurePercent: 50 });
      const report = await finalizeRun(emulators.deps, input);
      expect(report.status).toBe('SUCCEEDED_WITH_FAILURES');
      expect(report.batches).toMatchObject({ planned: 3, done: 2, failed: 1, failedIds: ['b0000001'] });
    });

    it('when a planned batch is missing even if a record outside the plan makes the count add up', async () => {
      // GIVEN b0000001 never ran, but a record for b0000007 (not in the plan) exists
      const input = await runWith([{ done: { read: 2 } }, { missing: true }]);
      const claim = await claimBatch(emulators.deps, { runId: input.runId, batchId: batchIdOf(7), owner: randomUUID(), leaseSeconds: 60 });
      if (claim.kind !== 'claimed') throw new Error('test setup: b0000007 was not claimable');
      await completeBatch(emulators.deps, claim.lease, { counts: countsOf(10), checksum: checksumOf('b0000007') });
      // THEN Finalize still names the missing batch
      const error = await rejectionOf(finalizeRun(emulators.deps, input));
      expect(error).toBeInstanceOf(ReconcileError);
      expect(error.message).toContain('1 of 2 planned batches did not complete, above toleratedFailurePercent 0:\n  b0000001: no ledger record (never processed');
    });

    it('when failed batches exceed toleratedFailurePercent, naming each with its error', async () => {
      const input = await runWith([{ done: { read: 2 } }, { failed: 'target throttled' }, { done: { read: 2 } }, { done: { read: 2 } }], {
        toleratedFailurePercent: 20,
      });
      const error = await rejectionOf(finalizeRun(emulators.deps, input));
      expect(error).toBeInstanceOf(ReconcileError);
      expect(error.message).toContain('1 of 4 planned batches did not complete');
      expect(error.message).toContain('\n  b0000001: Error: target throttled');
      expect(error.message).toContain('toleratedFailurePercent 20');
      expect((await getRun(emulators.deps, input.runId))?.status).toBe('RUNNING');
    });

    it('naming the first five batches that did not complete, each with its error, and counting the rest', async () => {
      // GIVEN 8 of 9 batches failed, each with a long error
      const input = await runWith([{ done: { read: 2 } }, ...Array.from({ length: 8 }, (_, i) => ({ failed: `boom ${i} ${'x'.repeat(3_000)}` }))]);
      const error = await rejectionOf(finalizeRun(emulators.deps, input));
      // THEN the first five are named, in batch order, the other three counted, and the message stays bounded
      const lines = error.message.split('\n');
      expect(lines[0]).toContain('8 of 9 planned batches did not complete, above toleratedFailurePercent 0:');
      expect(lines.slice(1, 6).map((line) => line.slice(0, 25))).toEqual(['b0000001', 'b0000002', 'b0000003', 'b0000004', 'b0000005'].map((id, i) => `  ${id}: Error: boom ${i}`.slice(0, 25)));
      expect(lines[6]).toBe("  and 3 more (each batch's error is on its ledger record)");
      expect(error.message.length).toBeLessThan(3_500);
    });

    it('when a batch is still claimed but never finished, counting it as not completed', async () => {
      const input = await runWith([{ done: { read: 2 } }, { claimedOnly: true }]);
      const error = await rejectionOf(finalizeRun(emulators.deps, input));
      expect(error).toBeInstanceOf(ReconcileError);
      expect(error.message).toContain('b0000001: IN_PROGRESS');
    });
  });

  it('marks the run SUCCEEDED_WITH_FAILURES when failed batches stay within toleratedFailurePercent', async () => {
    // GIVEN 1 failed batch of 4 (25%) with 25% tolerated
    const input = await runWith([{ done: { read: 3 } }, { failed: 'boom' }, { done: { read: 3 } }, { done: { read: 3 } }], { toleratedFailurePercent: 25 });
    // WHEN finalized
    const report = await finalizeRun(emulators.deps, input);
    // THEN it succeeds with failures, counting only the done batches
    expect(report.status).toBe('SUCCEEDED_WITH_FAILURES');
    expect(report.batches).toEqual({ planned: 4, done: 3, failed: 1, failedIds: ['b0000001'], failures: ['b0000001: Error: boom'] });
    expect(report.counts.read).toBe(9);
    expect((await getRun(emulators.deps, input.runId))?.status).toBe('SUCCEEDED_WITH_FAILURES');
  });

  describe('malformed records', () => {
    it('refuses with MalformedThresholdExceededError naming the counts when above maxMalformedPercent', async () => {
      // GIVEN 3 malformed of 200 records read (1.5%) and 1% tolerated
      const input = await runWith([{ done: { read: 100, malformed: 2 } }, { done: { read: 100, malformed: 1 } }], { maxMalformedPercent: 1 });
      const error = await rejectionOf(finalizeRun(emulators.deps, input));
      expect(error).toBeInstanceOf(MalformedThresholdExceededError);
      expect(error.name).toBe('MalformedThresholdExceededError');
      expect(error.message).toContain('3 of 200 source records (1.50%)');
      expect(error.message).toContain('maxMalformedPercent 1');
      expect(error.message).toContain(`quarantine/${input.runId}/`);
      expect((await getRun(emulators.deps, input.runId))?.status).toBe('RUNNING');
    });

    it('accepts exactly maxMalformedPercent and reports the percentage', async () => {
      const input = await runWith([{ done: { read: 100, malformed: 1 } }, { done: { read: 100, malformed: 1 } }], { maxMalformedPercent: 1 });
      const report = await finalizeRun(emulators.deps, input);
      expect(report.status).toBe('SUCCEEDED');
      expect(report.malformedPercent).toBe(1);
      expect(report.counts.malformed).toBe(2);
    });
  });

  it('finalizes a plan of zero batches', async () => {
    const report = await finalizeRun(emulators.deps, await runWith([]));
    expect(report).toMatchObject({ status: 'SUCCEEDED', records: 0, batches: { planned: 0, done: 0, failed: 0, failedIds: [] }, targetChecksum: sha256('') });
  });

  it('refuses a run whose execution was stopped meanwhile, writing no report and leaving it STOPPED', async () => {
    // GIVEN a run whose batches are all done, but whose execution an operator stopped
    const input = await runWith([{ done: { read: 10 } }]);
    const executionArn = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:e-1';
    await startOrResumeRun(emulators.deps, { runId: input.runId, spec: input.spec, specHash: specHash(input.spec), executionArn });
    await markExecutionEnded(emulators.deps, { runId: input.runId, executionArn, status: 'ABORTED' });
    // WHEN Finalize runs anyway
    const error = await rejectionOf(finalizeRun(emulators.deps, input));
    // THEN it refuses, naming the status, and the run stays STOPPED with no report
    expect(error).toBeInstanceOf(RunNotRunningError);
    expect(error.message).toContain(`Run ${input.runId} is STOPPED; cannot finalize it`);
    expect((await getRun(emulators.deps, input.runId))?.status).toBe('STOPPED');
    await expect(emulators.getText(emulators.deps.artifactsBucket, reportKey({ runId: input.runId }))).rejects.toThrow();
  });

  it.each(['PAUSING', 'ABORTING'] as const)('refuses a %s run with RunGatedError (the workflow goes to CheckGate), writing no report', async (status) => {
    // GIVEN a run whose batches are all done, then paused or aborted by an operator before Finalize
    const input = await runWith([{ done: { read: 10 } }]);
    if (status === 'PAUSING') await requestPause(emulators.deps, input.runId, { by: 'local:ana', reason: 'deploy', trigger: 'operator' });
    else await requestAbort(emulators.deps, input.runId, { by: 'local:ana', reason: 'wrong transform', rollback: false });
    // WHEN Finalize runs
    const error = await rejectionOf(finalizeRun(emulators.deps, input));
    // THEN it refuses with the name the ASL catches, the run unchanged and no report written
    expect(error).toBeInstanceOf(RunGatedError);
    expect(error.name).toBe('RunGatedError');
    expect(error.message).toContain(`Run ${input.runId} is ${status}`);
    expect((await getRun(emulators.deps, input.runId))?.status).toBe(status);
    await expect(emulators.getText(emulators.deps.artifactsBucket, reportKey({ runId: input.runId }))).rejects.toThrow();
  });
});
