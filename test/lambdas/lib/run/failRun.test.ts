import { createHash, randomUUID } from 'node:crypto';
import { manifestKey } from '../../../../lambdas/lib/artifacts';
import { claimBatch, completeBatch, failBatch, getRun, pinPlan, startOrResumeRun, ZERO_COUNTS } from '../../../../lambdas/lib/ledger';
import { batchIdOf } from '../../../../lambdas/lib/plan';
import { failRun, FAILED_BATCHES_NAMED } from '../../../../lambdas/lib/run';
import { specHash } from '../../../../lambdas/lib/spec';
import { createTestStore, dynamoTargets, uniqueName, useEmulators, type TestStore } from '../../../support';
import { specFor } from '../../fixtures/specs';

/** What each batch of a test run did: completed, failed with an error, or was claimed and never heard of again. */
type Fate = { readonly done: true } | { readonly failed: Error } | { readonly claimedOnly: true } | { readonly missing: true };

const MAP_FAILED = { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'The specified tolerated failure threshold was exceeded: 3 of 8 items failed (37.50%)' };

/** An error whose `name` is `name`, as the worker's named errors are. */
function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe.each(dynamoTargets())('failRun on %s', (target) => {
  const env = useEmulators(target);
  let emulators: TestStore;

  beforeAll(async () => {
    emulators = await createTestStore(env());
  });

  /** A started, planned run whose batches met `fates` through the real ledger functions. */
  async function runWith(fates: readonly Fate[]): Promise<string> {
    const deps = emulators.deps;
    const spec = specFor('backfill-source', 'orders/');
    const runId = uniqueName('run');
    await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec) });
    const planHash = createHash('sha256').update(runId).digest('hex');
    await pinPlan(deps, runId, { planHash, manifestKey: manifestKey({ runId, planHash }), batchCount: fates.length, recordCount: fates.length });
    for (const [index, fate] of fates.entries()) {
      if ('missing' in fate) continue;
      const claim = await claimBatch(deps, { runId, batchId: batchIdOf(index), owner: randomUUID(), leaseSeconds: 60 });
      if (claim.kind !== 'claimed') throw new Error(`test setup: ${batchIdOf(index)} was not claimable`);
      if ('done' in fate) await completeBatch(deps, claim.lease, { counts: ZERO_COUNTS, checksum: 'c' });
      if ('failed' in fate) await failBatch(deps, claim.lease, fate.failed);
    }
    return runId;
  }

  it('names each failed batch with its error name and message, in batchId order, and keeps the Map\'s cause', async () => {
    // GIVEN a run of 4 batches: two failed with different errors, one done, one never ran
    const runId = await runWith([
      { done: true },
      { failed: named('SourceChangedError', 'Batch b0000001: source object orders/a.jsonl changed since planning') },
      { missing: true },
      { failed: named('ValidationException', 'The provided key element does not match the schema') },
    ]);
    // WHEN the Map's threshold failure is recorded
    const failure = await failRun(emulators.deps, runId, MAP_FAILED);
    // THEN the cause names both failed batches with their errors, what to do, then the Map's own cause
    expect(failure.Error).toBe('States.ExceedToleratedFailureThreshold');
    expect(failure.Cause).toBe(
      [
        '2 of 4 planned batches failed:',
        '  b0000001: SourceChangedError: Batch b0000001: source object orders/a.jsonl changed since planning',
        '  b0000003: ValidationException: The provided key element does not match the schema',
        "Each batch's error says what to do. Then start the run again with the same spec to resume it (DONE batches are skipped, failed ones retried), or start a fixed spec as a new run",
        `States.ExceedToleratedFailureThreshold: ${MAP_FAILED.Cause}`,
      ].join('\n'),
    );
    // AND the run record holds the same error
    expect(await getRun(emulators.deps, runId)).toMatchObject({ status: 'FAILED', error: failure });
  });

  it(`names the first ${FAILED_BATCHES_NAMED} failed batches and counts the rest, bounded whatever their number and length`, async () => {
    // GIVEN 40 failed batches, each with a 2,000-character error
    const runId = await runWith(Array.from({ length: 40 }, (_, i) => ({ failed: named('TransformOutputError', `batch ${i}: ${'x'.repeat(2_000)}`) })));
    // WHEN the run fails
    const failure = await failRun(emulators.deps, runId, MAP_FAILED);
    // THEN the first five are named, the other 35 counted, and every message is cut
    const lines = failure.Cause.split('\n');
    expect(lines[0]).toBe('40 of 40 planned batches failed:');
    expect(lines.slice(1, 6).map((line) => line.slice(0, 12))).toEqual(['  b0000000: ', '  b0000001: ', '  b0000002: ', '  b0000003: ', '  b0000004: ']);
    expect(lines[6]).toBe("  and 35 more (each batch's error is on its ledger record)");
    expect(failure.Cause).not.toContain('b0000005');
    expect(failure.Cause.length).toBeLessThan(3_500);
  });

  it('shows a batch whose worker died without recording an error as IN_PROGRESS with its lease', async () => {
    // GIVEN a batch claimed by an attempt that never completed nor failed it (a killed or timed-out worker)
    const runId = await runWith([{ done: true }, { claimedOnly: true }]);
    emulators.deps.clock.advance(20_000);
    // WHEN the Map's failure is recorded
    const failure = await failRun(emulators.deps, runId, { Error: 'States.ExceedToleratedFailureThreshold', Cause: '1 of 2 items failed' });
    // THEN the batch is named, with which attempt holds it and until when
    const leaseEnd = new Date(emulators.deps.clock.nowMs() - 20_000 + 60_000).toISOString();
    expect(failure.Cause).toContain(`b0000001: IN_PROGRESS with no error recorded (leased to attempt 1 until ${leaseEnd} (40 s from now))`);
  });

  it('points to the Map Run\'s exported failures when no batch recorded an error', async () => {
    // GIVEN a run whose children all failed before claiming a batch
    const runId = await runWith([{ missing: true }, { missing: true }]);
    // WHEN the Map's failure is recorded
    const failure = await failRun(emulators.deps, runId, { Error: 'States.ExceedToleratedFailureThreshold', Cause: '2 of 2 items failed' });
    // THEN the cause says so and where the children's errors are
    expect(failure.Cause).toMatch(/^2 of 2 items failed\nNo batch recorded an error/);
    expect(failure.Cause).toContain('map-results/<map run id>/FAILED_0.json');
  });

  it('keeps a Step Functions error of another state as it is when no batch failed (e.g. Finalize timed out)', async () => {
    const runId = await runWith([{ done: true }]);
    const error = { Error: 'States.Timeout', Cause: 'Task timed out after 900 seconds' };
    expect(await failRun(emulators.deps, runId, error)).toEqual(error);
  });

  it('keeps a named error as it is: it already says why', async () => {
    // GIVEN a run with a failed batch, failed by Finalize's own error
    const runId = await runWith([{ failed: named('SourceChangedError', 'changed') }]);
    const error = { Error: 'MalformedThresholdExceededError', Cause: 'Run r: 12 of 100 source records (12.00%) are malformed' };
    // WHEN it is recorded
    const failure = await failRun(emulators.deps, runId, error);
    // THEN it is unchanged
    expect(failure).toEqual(error);
  });

  it('cuts a very long cause so the run record and the state payload stay bounded', async () => {
    const runId = await runWith([{ done: true }]);
    const failure = await failRun(emulators.deps, runId, { Error: 'ReconcileError', Cause: 'y'.repeat(100_000) });
    expect(failure.Cause.length).toBe(8_000);
    expect(failure.Cause.endsWith('…')).toBe(true);
  });

  it('returns the first error of a run already FAILED (a duplicate MarkRunFailed)', async () => {
    const runId = await runWith([{ failed: named('SourceChangedError', 'changed') }]);
    const first = await failRun(emulators.deps, runId, MAP_FAILED);
    const second = await failRun(emulators.deps, runId, { Error: 'States.Timeout', Cause: '' });
    expect(second).toEqual(first);
  });
});
