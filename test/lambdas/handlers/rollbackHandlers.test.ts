import { HANDLER_FACTORIES } from '../../../lambdas/handlerFactories';
import type { HandlerId } from '../../../lambdas/handlers';
import { getRun, listAudit, startRollback } from '../../../lambdas/lib/ledger';
import { InvalidRollbackInputError } from '../../../lambdas/lib/rollback';
import { InvalidEventError } from '../../../lambdas/lib/runtime/errors';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';
import { createHandler as createRollbackLoad } from '../../../lambdas/rollback-load/handler';
import { createHandler as createRollbackMarkFailed } from '../../../lambdas/rollback-mark-failed/handler';
import { dynamoTargets, useEmulators } from '../../support';
import { createScenario, processAll } from '../support/scenario';
import { endRun } from '../support/rollback';

const context = { awsRequestId: 'request-1' };

const HASH = 'a'.repeat(64);
const item = { batchId: 'b0000000', snapshotKey: 'snapshots/r1/b0000000/attempt-1.jsonl', sha256: HASH, itemCount: 10 };
const target = { tableName: 'order-summaries', partitionKey: 'orderId', versionAttribute: 'version' };
const manifest = { bucket: 'artifacts', key: 'manifests/r1/rollback-x.jsonl', sha256: HASH, batchCount: 1, entryCount: 10 };
const mapResult = { MapRunArn: 'arn:aws:states:us-east-1:000000000000:mapRun:Rollback/RestoreBatches:1', ResultWriterDetails: { Bucket: 'artifacts', Key: 'map-results/1/manifest.json' } };

describe.each(dynamoTargets().slice(0, 1))('rollback handlers (on %s)', (dynamo) => {
  const env = useEmulators(dynamo);
  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  });

  // [handler, field the error must name, malformed event]
  const cases: Array<[HandlerId, string, unknown]> = [
    ['rollback-worker', 'Items', { Items: [], BatchInput: { runId: 'r1', mode: 'apply', target, leaseSeconds: 60 } }],
    ['rollback-worker', 'Items.0.sha256', { Items: [{ ...item, sha256: 'x' }], BatchInput: { runId: 'r1', mode: 'apply', target, leaseSeconds: 60 } }],
    ['rollback-worker', 'BatchInput.mode', { Items: [item], BatchInput: { runId: 'r1', mode: 'dry-run', target, leaseSeconds: 60 } }],
    ['rollback-finish', 'manifest.key', { step: 'finish', runId: 'r1', mode: 'apply', manifest: { ...manifest, key: undefined }, mapResult }],
    ['rollback-finish', 'mapResult.ResultWriterDetails', { step: 'finish', runId: 'r1', mode: 'apply', manifest, mapResult: { MapRunArn: 'x' } }],
    ['rollback-finish', 'keepNewerRunWrites', { step: 'begin', runId: 'r1', force: false, manifest, mapResult }],
    ['rollback-finish', 'step', { runId: 'r1', mode: 'apply', manifest, mapResult }],
    ['rollback-mark-failed', 'error.Error', { runId: 'r1', mode: 'apply', error: { Cause: 'x' } }],
    ['rollback-mark-failed', 'mode', { runId: 'r1', error: { Error: 'E', Cause: 'x' } }],
  ];

  it.each(cases)('%s refuses a malformed event with InvalidEventError naming %s', async (name, field, event) => {
    const error = (await HANDLER_FACTORIES[name]({} as Deps)(event, context).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error.message).toContain(`${name} received an invalid event`);
    expect(error.message).toContain(`${field}: `);
  });

  it('rollback-load refuses a bad execution input with InvalidRollbackInputError (the ASL routes it to RollbackRefused)', async () => {
    const { f } = await createScenario(env());
    const error = (await createRollbackLoad(f.deps)({ input: { mode: 'now' } }, context).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(InvalidRollbackInputError);
    expect(error.message).toMatch(/input\.runId: is required[\s\S]*input\.mode: must be "apply" or "rehearse"/);
  });

  it('rollback-load returns a small pointer to the manifest and changes no status; rollback-mark-failed keeps a run ROLLING_BACK with the error', async () => {
    const { f, items } = await createScenario(env());
    await processAll(f, items, 'forward');
    await endRun(f);

    const loaded = (await createRollbackLoad(f.deps)({ input: { runId: f.runId } }, context)) as Record<string, unknown>;
    expect(loaded).toMatchObject({ runId: f.runId, mode: 'apply', alreadyRolledBack: false, force: false, keepNewerRunWrites: false, resumed: false, manifest: { batchCount: 3, entryCount: 25 }, target: f.spec.target });
    expect(JSON.stringify(loaded).length).toBeLessThan(2_000);
    // (the run moves to ROLLING_BACK only in BeginRollback, once every batch was checked)
    expect((await getRun(f.deps, f.runId))?.status).toBe('SUCCEEDED');
    await startRollback(f.deps, f.runId, { force: false });

    await createRollbackMarkFailed(f.deps)({ runId: f.runId, mode: 'apply', error: { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'a batch failed' } }, context);
    expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'ROLLING_BACK', rollbackError: { Error: 'States.ExceedToleratedFailureThreshold' } });

    await createRollbackMarkFailed(f.deps)({ runId: f.runId, mode: 'rehearse', error: { Error: 'States.Timeout', Cause: '' } }, context);
    expect((await listAudit(f.deps, f.runId)).slice(-2).map((e) => e.type)).toEqual(['RollbackFailed', 'RollbackRehearsalFailed']);
  });
});
