import { claimBatch, failBatch, listBatches, requestPause, requestResume } from '../../../../lambdas/lib/ledger';
import { decideAfterMap } from '../../../../lambdas/lib/gate';
import { processWorkerInput, WorkerInputSchema, type WorkerInput } from '../../../../lambdas/lib/worker';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture, type DdbCall, type Fixture } from '../../support/fixture';

/** `count` order events for `order-summary@2` (a registered transform: the worker looks it up by the spec). */
const orderLines = (count: number): string[] =>
  Array.from({ length: count }, (_, i) =>
    JSON.stringify({ orderId: `ord-${String(i + 1).padStart(5, '0')}`, version: 1, customerId: `cust-${i % 7}`, placedAt: '2024-03-09T23:30:00-08:00', currency: 'USD', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '19.99' }] }),
  );

/** Invariant 7 in the worker: the gate is read before each batch of a child, not once per child. */
describe.each(dynamoTargets())('the worker\'s gate on %s', (target) => {
  const env = useEmulators(target);

  async function childOfThreeBatches(): Promise<{ f: Fixture; input: WorkerInput }> {
    const f = await createFixture(env(), { transform: 'order-summary@2', partitionKey: 'orderId', batchSize: 100 });
    const Items = await f.plan(orderLines(300));
    return { f, input: WorkerInputSchema.parse({ Items, BatchInput: { runId: f.runId, spec: f.spec } }) };
  }

  it('a pause that lands after the first batch leaves the other two unclaimed, returned as gated; resumed, they are processed', async () => {
    const { f, input } = await childOfThreeBatches();
    expect(input.Items).toHaveLength(3);
    // GIVEN an operator's pause landing just before the child reads the gate for its 2nd batch
    let gateReads = 0;
    const deps = f.depsWithHook(async (call: DdbCall) => {
      const readsLedger = call.command.startsWith('BatchGet') && Object.hasOwn((call.input.RequestItems ?? {}) as object, f.deps.ledgerTable);
      if (readsLedger && ++gateReads === 2) await requestPause(f.deps, f.runId, { by: 'local:ana', reason: 'latency', trigger: 'operator' });
    });
    // WHEN the child runs
    const result = await processWorkerInput(deps, input, 'attempt-a');
    // THEN it stopped at the gate: one batch done, two left, not a failure
    expect(result).toMatchObject({ batches: 1, gated: 2 });
    expect((await listBatches(f.deps, f.runId)).map((b) => [b.batchId, b.status])).toEqual([['b0000000', 'DONE']]);
    // AND once resumed, the same child finishes the rest
    await requestResume(f.deps, f.runId, { by: 'local:ana' });
    expect(await processWorkerInput(f.deps, input, 'attempt-b')).toMatchObject({ batches: 3, alreadyDone: 1, gated: 0 });
  });

  it('a retry the gate stopped at a batch its first attempt left FAILED leaves it for the rerun, not failed', async () => {
    const { f, input } = await childOfThreeBatches();
    const spec = { ...f.spec, batchesPerWorker: 3 };
    // GIVEN the child's first attempt failed transiently at its first batch (recorded FAILED)
    const claim = await claimBatch(f.deps, { runId: f.runId, batchId: 'b0000000', owner: 'attempt-a', leaseSeconds: 60 });
    if (claim.kind !== 'claimed') throw new Error('not claimed');
    await failBatch(f.deps, claim.lease, new Error('TransientStoreError: throttled'));
    // AND the map's retry of the child found the gate shut (an operator's pause)
    await requestPause(f.deps, f.runId, { by: 'local:ana', reason: 'latency', trigger: 'operator' });
    f.clock.advance(1000);
    expect(await processWorkerInput(f.deps, input, 'attempt-b')).toMatchObject({ batches: 0, gated: 3 });
    // WHEN the run is resumed and CheckGate judges the map
    await requestResume(f.deps, f.runId, { by: 'local:ana' });
    // THEN the map runs again for all three batches, none counted as failed
    expect(await decideAfterMap(f.deps, { runId: f.runId, spec, plan: { batchCount: 3 } })).toMatchObject({ next: 'rerun' });
    // AND the rerun's child processes them all
    expect(await processWorkerInput(f.deps, input, 'attempt-c')).toMatchObject({ batches: 3, gated: 0 });
    expect(await decideAfterMap(f.deps, { runId: f.runId, spec, plan: { batchCount: 3 } })).toMatchObject({ next: 'continue' });
  });

  it('a child that died at a batch after an earlier round gated it is not taken for gated again', async () => {
    const { f, input } = await childOfThreeBatches();
    const spec = { ...f.spec, batchesPerWorker: 3 };
    // GIVEN a round gated the child at its first batch, then the run resumed
    await requestPause(f.deps, f.runId, { by: 'local:ana', reason: 'latency', trigger: 'operator' });
    await processWorkerInput(f.deps, input, 'attempt-a');
    await requestResume(f.deps, f.runId, { by: 'local:ana' });
    f.clock.advance(1000);
    // WHEN the rerun's child fails at that batch for good
    const claim = await claimBatch(f.deps, { runId: f.runId, batchId: 'b0000000', owner: 'attempt-b', leaseSeconds: 60 });
    if (claim.kind !== 'claimed') throw new Error('not claimed');
    await failBatch(f.deps, claim.lease, new Error('SourceChangedError'));
    // THEN the map is done: the child died, its batches count against the tolerance
    expect(await decideAfterMap(f.deps, { runId: f.runId, spec, plan: { batchCount: 3 } })).toMatchObject({ next: 'continue' });
  });
});
