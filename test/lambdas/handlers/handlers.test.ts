import { createHash } from 'node:crypto';
import { createHandler as createFinalize } from '../../../lambdas/finalize/handler';
import { HANDLER_FACTORIES } from '../../../lambdas/handlerFactories';
import type { HandlerId } from '../../../lambdas/handlers';
import { claimBatch, failBatch, getRun } from '../../../lambdas/lib/ledger';
import { ReconcileError } from '../../../lambdas/lib/run';
import { InvalidEventError } from '../../../lambdas/lib/runtime/errors';
import { InvalidSpecError, parseSpec, specHash, type Spec } from '../../../lambdas/lib/spec';
import { createHandler as createMarkRunFailed } from '../../../lambdas/mark-run-failed/handler';
import { createHandler as createPlan } from '../../../lambdas/plan/handler';
import { createHandler as createStartRun } from '../../../lambdas/start-run/handler';
import { createHandler as createValidateSpec } from '../../../lambdas/validate-spec/handler';
import { createTestStore, dynamoTargets, uniqueName, useEmulators, type TestStore } from '../../support';
import { exampleSpecInput } from '../fixtures/specs';

const context = { awsRequestId: 'request-1' };
const HASH = 'a'.repeat(64);

describe.each(dynamoTargets())('handlers on %s', (target) => {
  const env = useEmulators(target);
  let emulators: TestStore;
  let spec: Spec;

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    emulators = await createTestStore(env());
    spec = parseSpec(exampleSpecInput());
  });

  async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a rejection');
  }

  const manifestItem = { batchId: 'b0000000', bucket: 'backfill-source', key: 'orders/a.jsonl', etag: '"e"', byteStart: 0, byteEnd: 9, firstLine: 1, records: 1 };
  const plan = { manifestBucket: 'artifacts', manifestKey: 'manifests/r/manifest.jsonl', planHash: HASH, batchCount: 1, recordCount: 1, objectCount: 1 };

  // [handler, field the error must name, malformed event]
  const cases: Array<[HandlerId, string, () => unknown]> = [
    ['validate-spec', 'runId', () => ({ input: exampleSpecInput() })],
    ['validate-spec', 'runId', () => ({ input: exampleSpecInput(), runId: 'x'.repeat(81) })],
    ['validate-spec', '(event)', () => null],
    ['start-run', 'specHash', () => ({ runId: 'r1', spec })],
    ['start-run', 'specHash', () => ({ runId: 'r1', spec, specHash: 'not-a-hash' })],
    ['start-run', 'runId', () => ({ runId: '', spec, specHash: HASH })],
    ['plan', 'spec.batchSize', () => ({ runId: 'r1', spec: { ...spec, batchSize: 0 } })],
    ['plan', 'spec', () => ({ runId: 'r1' })],
    ['worker', 'Items', () => ({ Items: [], BatchInput: { runId: 'r1', spec } })],
    ['worker', 'Items.0.batchId', () => ({ Items: [{ ...manifestItem, batchId: 'batch-1' }], BatchInput: { runId: 'r1', spec } })],
    ['worker', 'BatchInput.runId', () => ({ Items: [manifestItem], BatchInput: { spec } })],
    ['finalize', 'plan.planHash', () => ({ runId: 'r1', spec, plan: { ...plan, planHash: 'abc' } })],
    ['finalize', 'spec.mode', () => ({ runId: 'r1', spec: { ...spec, mode: 'live' }, plan })],
    ['mark-run-failed', 'error.Error', () => ({ runId: 'r1', error: { Cause: 'x' } })],
    ['mark-run-failed', 'error', () => ({ runId: 'r1' })],
    ['request-approval', 'taskToken', () => ({ runId: 'r1', stage: 'canary' })],
    ['request-approval', '(event)', () => ({ runId: 'r1', stage: 'canary', taskToken: 't', spec })],
    ['approval-page', 'requestContext', () => ({ rawPath: '/approvals/x', headers: {} })],
  ];

  it.each(cases)('%s refuses a malformed event with InvalidEventError naming %s', async (name, field, event) => {
    // WHEN the handler gets an event its schema refuses
    const error = await rejectionOf(HANDLER_FACTORIES[name](emulators.deps)(event(), context));
    // THEN it is an InvalidEventError that names the handler and the field
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error.message).toContain(`${name} received an invalid event`);
    expect(error.message).toContain(`${field}: `);
  });

  it('validate-spec returns { runId, spec, specHash } and every field not of the spec (null when absent) for examples/orders-spec.json', async () => {
    const result = await createValidateSpec(emulators.deps)({ input: exampleSpecInput(), runId: 'orders-fix-1' }, context);
    expect(result).toEqual({ runId: 'orders-fix-1', spec, specHash: specHash(spec), startedBy: null, executionArn: null, scheduled: null });
  });

  it('validate-spec passes on who started the execution and its ARN, outside the spec and its hash', async () => {
    const executionArn = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:orders-fix-1';
    const result = await createValidateSpec(emulators.deps)({ input: { ...exampleSpecInput(), startedBy: 'local:ana' }, runId: 'orders-fix-1', executionArn }, context);
    expect(result).toEqual({ runId: 'orders-fix-1', spec, specHash: specHash(spec), startedBy: 'local:ana', executionArn, scheduled: null });
  });

  it('validate-spec refuses a bad spec with InvalidSpecError, not InvalidEventError', async () => {
    const error = await rejectionOf(createValidateSpec(emulators.deps)({ input: { ...exampleSpecInput(), batchSize: 0 }, runId: 'r1' }, context));
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect(error.message).toContain('spec.batchSize');
  });

  it('runs validate-spec → start-run → plan → finalize → mark-run-failed on the emulators', async () => {
    // GIVEN one source object of three records
    const bucket = await emulators.createBucket(uniqueName('source'));
    await emulators.putText(bucket, 'orders/part-0.jsonl', '{"a":1}\n{"a":2}\n{"a":3}\n');
    const runId = uniqueName('run');
    const deps = emulators.deps;
    // WHEN the handlers run in workflow order
    const validated = await createValidateSpec(deps)({ input: { ...exampleSpecInput(), source: { type: 's3-jsonl', bucket, prefix: 'orders/' }, batchSize: 2 }, runId }, context);
    const started = await createStartRun(deps)(validated, context);
    const planned = await createPlan(deps)({ runId, spec: validated.spec }, context);
    // THEN the run exists, is planned, and the plan step returns only a pointer
    expect(started).toEqual({ runId, alreadyStarted: false, alreadyFinished: false, resumed: false, starts: 1 });
    expect(planned).toMatchObject({ batchCount: 2, recordCount: 3, objectCount: 1, manifestBucket: deps.artifactsBucket });
    const manifest = await emulators.getText(planned.manifestBucket, planned.manifestKey);
    expect(planned.planHash).toBe(createHash('sha256').update(manifest).digest('hex'));
    // AND finalizing before any batch ran fails to reconcile; the failure is recorded on the run
    const error = await rejectionOf(createFinalize(deps)({ runId, spec: validated.spec, plan: planned }, context));
    expect(error).toBeInstanceOf(ReconcileError);
    const failure = await createMarkRunFailed(deps)({ runId, error: { Error: error.name, Cause: error.message } }, context);
    expect(await getRun(deps, runId)).toMatchObject({ status: 'FAILED', planHash: planned.planHash, error: { Error: 'ReconcileError' } });
    // AND mark-run-failed returns the recorded error, which the RunFailed state ends the execution with
    expect(failure).toEqual({ Error: 'ReconcileError', Cause: error.message });
  });

  it('mark-run-failed returns the Map\'s error with the failed batches named, as recorded on the run', async () => {
    // GIVEN a planned run whose only batch failed on the target's key
    const bucket = await emulators.createBucket(uniqueName('source'));
    await emulators.putText(bucket, 'orders/part-0.jsonl', '{"a":1}\n');
    const runId = uniqueName('run');
    const deps = emulators.deps;
    const validated = await createValidateSpec(deps)({ input: { ...exampleSpecInput(), source: { type: 's3-jsonl', bucket, prefix: 'orders/' } }, runId }, context);
    await createStartRun(deps)(validated, context);
    await createPlan(deps)({ runId, spec: validated.spec }, context);
    const claim = await claimBatch(deps, { runId, batchId: 'b0000000', owner: 'attempt-1', leaseSeconds: 60 });
    if (claim.kind !== 'claimed') throw new Error('test setup: b0000000 was not claimable');
    await failBatch(deps, claim.lease, Object.assign(new Error('the key does not match'), { name: 'TargetSchemaMismatchError' }));
    // WHEN the Map's threshold error reaches mark-run-failed
    const failure = await createMarkRunFailed(deps)({ runId, error: { Error: 'States.ExceedToleratedFailureThreshold', Cause: '1 of 1 items failed' } }, context);
    // THEN it returns the error naming the batch, the same as on the run record
    expect(failure).toEqual({
      Error: 'States.ExceedToleratedFailureThreshold',
      Cause:
        '1 of 1 planned batches failed:\n  b0000000: TargetSchemaMismatchError: the key does not match\n' +
        "Each batch's error says what to do. Then start the run again with the same spec to resume it (DONE batches are skipped, failed ones retried), or start a fixed spec as a new run\n" +
        'States.ExceedToleratedFailureThreshold: 1 of 1 items failed',
    });
    expect((await getRun(deps, runId))?.error).toEqual(failure);
  });
});
