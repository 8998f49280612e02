import { listBatches, markExecutionEnded, markRunFailed, RunNotRunningError, RunStatusError, startOrResumeRun } from '../../../../lambdas/lib/ledger';
import { specHash } from '../../../../lambdas/lib/spec';
import { processWorkerInput, WorkerInputSchema, type WorkerInput } from '../../../../lambdas/lib/worker';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture, type Fixture } from '../../support/fixture';

/** `count` order events for `order-summary@2` (a registered transform: the worker looks it up by the spec). */
const orderLines = (count: number): string[] =>
  Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      orderId: `ord-${String(i + 1).padStart(5, '0')}`,
      version: 1,
      customerId: `cust-${i % 7}`,
      placedAt: '2024-03-09T23:30:00-08:00',
      currency: 'USD',
      lines: [{ sku: `SKU-${i % 5}`, quantity: 1 + (i % 3), unitPrice: '19.99' }],
    }),
  );

/** The result with every number replaced by 0: its shape. */
const shapeOf = (value: unknown): string => JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' ? 0 : v));

/** Invariant 9: no state payload grows with the dataset. */
describe.each(dynamoTargets())('processWorkerInput on %s', (target) => {
  const env = useEmulators(target);

  async function workerInputFor(records: number, mode: 'apply' | 'dry-run' = 'apply'): Promise<{ f: Fixture; input: WorkerInput }> {
    const f = await createFixture(env(), { transform: 'order-summary@2', partitionKey: 'orderId', batchSize: 100, mode });
    const Items = await f.plan(orderLines(records));
    // Parsed as the worker handler parses its event.
    return { f, input: WorkerInputSchema.parse({ Items, BatchInput: { runId: f.runId, spec: f.spec } }) };
  }

  it('returns the same small result for 10 and for 1,000 records', async () => {
    // In dry-run, so the test stays fast: the result is the same whether the items are written or not.
    const small = await workerInputFor(10, 'dry-run');
    const large = await workerInputFor(1000, 'dry-run');
    expect(large.input.Items).toHaveLength(10);

    const smallResult = await processWorkerInput(small.f.deps, small.input, 'attempt-a');
    const largeResult = await processWorkerInput(large.f.deps, large.input, 'attempt-a');

    expect(smallResult).toEqual({ batches: 1, alreadyDone: 0, counts: { read: 10, malformed: 0, produced: 10, written: 10, created: 10, unchanged: 0, skippedNewer: 0, skippedChanged: 0 }, gated: 0 });
    expect(largeResult).toEqual({ batches: 10, alreadyDone: 0, counts: { read: 1000, malformed: 0, produced: 1000, written: 1000, created: 1000, unchanged: 0, skippedNewer: 0, skippedChanged: 0 }, gated: 0 });
    expect(shapeOf(largeResult)).toBe(shapeOf(smallResult));
    expect(Buffer.byteLength(JSON.stringify(largeResult))).toBeLessThan(256);
  });

  it('refuses to process the batches of a run that is no longer RUNNING, and writes nothing', async () => {
    const { f, input } = await workerInputFor(10);
    await markRunFailed(f.deps, f.runId, { Error: 'States.TaskFailed', Cause: 'the canary failed' });

    await expect(processWorkerInput(f.deps, input, 'attempt-a')).rejects.toThrow(RunStatusError);

    expect(await f.dumpTarget()).toBe('');
    expect(await listBatches(f.deps, f.runId)).toEqual([]);
  });

  it('claims no batch of a run whose execution was stopped, naming the status', async () => {
    // GIVEN a planned run whose execution `backfill stop` stopped
    const { f, input } = await workerInputFor(10);
    const executionArn = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:e-1';
    await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), executionArn });
    await markExecutionEnded(f.deps, { runId: f.runId, executionArn, status: 'ABORTED', actor: 'local:ana', reason: 'wrong spec' });
    // WHEN a child of its Map still runs
    const refused = processWorkerInput(f.deps, input, 'attempt-a');
    // THEN it refuses before claiming anything, saying the run is STOPPED
    await expect(refused).rejects.toThrow(RunNotRunningError);
    await expect(refused).rejects.toThrow(`Run ${f.runId} is STOPPED; cannot process batches`);
    expect(await listBatches(f.deps, f.runId)).toEqual([]);
    expect(await f.dumpTarget()).toBe('');
  });
});
