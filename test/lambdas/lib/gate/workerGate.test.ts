import { listBatches, requestPause, requestResume } from '../../../../lambdas/lib/ledger';
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
});
