import { listBatches } from '../../../lambdas/lib/ledger';
import { describeUnrecordedChildFailures } from '../../../local/cli/failedChildren';
import { runBackfillLocally } from '../../../local/runtime/runBackfillLocally';
import { exampleSpec, useSeededEnvironments } from '../runtime/localRun';

jest.setTimeout(120_000);

/** A child that fails before its worker claims any batch, as a worker out of memory or refused by Lambda would. */
class WorkerCrashedError extends Error {
  constructor() {
    super('the worker process exited before it claimed a batch');
    this.name = 'Runtime.ExitError';
  }
}

describe('describeUnrecordedChildFailures', () => {
  const seeded = useSeededEnvironments();

  it('names the Map Run\'s failed children whose batches recorded no error, from the ResultWriter\'s FAILED file', async () => {
    // GIVEN a run whose third child fails before claiming its batch
    const { env } = await seeded(1_000);
    let calls = 0;
    const outcome = await runBackfillLocally({
      env,
      // onFailure "stop": failures past the tolerance end the run (the default "pause" would wait for an operator)
      input: exampleSpec({ batchSize: 100, maxConcurrency: 1, onFailure: 'stop' }),
      runId: 'crashed-child',
      wrapTaskHandler: (name, handler) =>
        name !== 'worker'
          ? handler
          : async (input) => {
              calls += 1;
              if (calls === 3) throw new WorkerCrashedError();
              return handler(input);
            },
    });
    expect(outcome.status).toBe('FAILED');
    // AND the execution's Cause, explained as MarkRunFailed explains it, says no batch recorded an error and where the children's are
    expect(outcome.error).toBe('RunStoppedByPolicy');
    expect(outcome.cause).toContain('The specified tolerated failure threshold was exceeded');
    expect(outcome.cause).toContain('No batch recorded an error');
    expect(outcome.cause).toContain('map-results/<map run id>/FAILED_0.json');
    // WHEN the CLI explains the failure
    const text = await describeUnrecordedChildFailures(env.clients.s3, outcome.stats, await listBatches(env.deps, 'crashed-child'));
    // THEN it names the child's batch with the child's own error, and where it read it
    expect(text).toMatch(/^1 child of the Map Run failed without a batch error \(s3:\/\/backfill-artifacts\/map-results\/[0-9a-f-]+\/FAILED_0\.json\):\n/);
    expect(text).toContain('\n  b0000002: Runtime.ExitError: the worker process exited before it claimed a batch');
  });

  it('says nothing when every failed child recorded its batch\'s error', async () => {
    const { env } = await seeded(500);
    const outcome = await runBackfillLocally({
      env,
      input: exampleSpec({ batchSize: 100, onFailure: 'stop', target: { tableName: 'order-summaries', partitionKey: 'customerId', versionAttribute: 'version' } }),
      runId: 'recorded',
    });
    expect(outcome.status).toBe('FAILED');
    expect(await describeUnrecordedChildFailures(env.clients.s3, outcome.stats, await listBatches(env.deps, 'recorded'))).toBeUndefined();
  });
});
