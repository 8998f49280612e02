import { TargetSchemaMismatchError } from '../../../../lambdas/lib/worker';
import { processWorkerInput, WorkerInputSchema } from '../../../../lambdas/lib/worker';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture } from '../../support/fixture';

const orderLine = (i: number): string =>
  JSON.stringify({ orderId: `ord-${i}`, version: 1, customerId: `cust-${i}`, placedAt: '2024-03-09T23:30:00-08:00', currency: 'USD', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '19.99' }] });

describe.each(dynamoTargets())('a spec whose target key is not the table\'s, on %s', (target) => {
  const env = useEmulators(target);

  it('fails the batch with TargetSchemaMismatchError naming the spec field and DynamoDB\'s ValidationException, recorded on the batch', async () => {
    // GIVEN a target table keyed by orderId, and a spec that says its key is customerId
    const f = await createFixture(env(), { transform: 'order-summary@2', partitionKey: 'orderId' });
    const Items = await f.plan([orderLine(1), orderLine(2)]);
    const spec = { ...f.spec, target: { ...f.spec.target, partitionKey: 'customerId' } };
    // WHEN a worker processes the batch
    const error = await processWorkerInput(f.deps, WorkerInputSchema.parse({ Items, BatchInput: { runId: f.runId, spec } }), 'attempt-a').then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    // THEN the error names the spec field, the table and DynamoDB's own error, and says what to do
    expect(error).toBeInstanceOf(TargetSchemaMismatchError);
    expect(error?.message).toContain(`DynamoDB refused the keys for target table ${f.targetTable} (ValidationException: `);
    expect(error?.message).toContain('spec.target.partitionKey "customerId" (no sortKey) does not match the table\'s key schema');
    expect(error?.message).toContain('start the spec as a new run');
    // AND the batch's ledger record holds it, for the run's error to name
    expect((await f.batch(Items[0]!.batchId))?.error).toMatch(/^TargetSchemaMismatchError: Batch b0000000: /);
  });
});
