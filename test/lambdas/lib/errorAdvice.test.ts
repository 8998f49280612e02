import { BatchLeaseHeldError, LeaseLostError } from '../../../lambdas/lib/ledger';
import { MalformedThresholdExceededError } from '../../../lambdas/lib/run';
import { SourceChangedError, TargetSchemaMismatchError, TransientStoreError } from '../../../lambdas/lib/worker';

/** What each error tells the operator to do: right for the cause, and actionable. */
describe('error advice', () => {
  it('MalformedThresholdExceededError tells a spec key mistake from a transform bug', () => {
    const error = new MalformedThresholdExceededError('r1', 30, 100, 1);
    expect(error.message).toContain('spec.target (partitionKey, sortKey, their types, versionAttribute) does not match what the transform produces');
    expect(error.message).toContain('a published transform version is immutable, so fix it as name@N+1');
    expect(error.message).not.toMatch(/resume/);
  });

  it('TargetSchemaMismatchError names the table, the spec\'s key fields and DynamoDB\'s error', () => {
    const cause = Object.assign(new Error('The provided key element does not match the schema'), { name: 'ValidationException' });
    const error = new TargetSchemaMismatchError('r1', 'b0000002', { tableName: 'orders', partitionKey: 'pk', sortKey: 'sk' }, cause);
    expect(error.message).toBe(
      'Batch b0000002: DynamoDB refused the keys for target table orders (ValidationException: The provided key element does not match the schema): ' +
        'spec.target.partitionKey "pk" and sortKey "sk" does not match the table\'s key schema (names or types). ' +
        "Set the spec's target key to the table's (aws dynamodb describe-table --table-name orders) and start the spec as a new run",
    );
    expect(error.cause).toBe(cause);
  });

  it('BatchLeaseHeldError says which attempt holds the lease and for how long', () => {
    const error = new BatchLeaseHeldError('r1', 'b0000003', { leaseExpiresAtMs: Date.UTC(2026, 0, 1, 0, 10), nowMs: Date.UTC(2026, 0, 1, 0, 0), holderAttempt: 2 });
    expect(error.message).toContain('Batch b0000003 of run r1 is leased to attempt 2 until 2026-01-01T00:10:00.000Z (600 s from now)');
    expect(error.message).toContain('start the run again after 2026-01-01T00:10:00.000Z to resume it');
  });

  it('LeaseLostError, SourceChangedError and TransientStoreError say what to do next', () => {
    expect(new LeaseLostError('r1', 'b1', 'completing the batch').message).toContain('raise spec.leaseSeconds or lower spec.batchSize');
    expect(new SourceChangedError('r1', 'b1', 'orders/a.jsonl', '"e1"', '"e2"').message).toContain(
      'Restore its planned version (ETag above) and start the run again to resume it, or start a new run under another runId',
    );
    expect(new TransientStoreError('r1', 'b1', Object.assign(new Error('slow down'), { name: 'ThrottlingException' })).message).toContain('lower spec.maxConcurrency');
  });
});
