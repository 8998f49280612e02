import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MapRunUpdateError, readController, reportBatchHealth, startWriteRateControl, WriteRateLimiter, type BatchHealthReport } from '../../../../lambdas/lib/rate';
import { createTestStore, useEmulators, type TestStore } from '../../../support';
import { stagedMapRuns } from '../../support/stagedMapRuns';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:Backfill:run-1';
const FIRST_STAGE = 'arn:aws:states:us-east-1:123456789012:mapRun:Backfill/ProcessStage:00000000-0000-0000-0000-000000000001';
const NEXT_STAGE = 'arn:aws:states:us-east-1:123456789012:mapRun:Backfill/ProcessStage:00000000-0000-0000-0000-000000000002';

const stagedSfn = (maxConcurrency: number, options: { refuseUpdatesOf?: string } = {}) =>
  stagedMapRuns({ executionArn: EXECUTION, first: FIRST_STAGE, next: NEXT_STAGE, maxConcurrency, ...options });

describe('startWriteRateControl across Map Runs', () => {
  const env = useEmulators('dynalite');
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(env());
  });
  const T0 = Date.UTC(2026, 0, 1);
  const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
  const spec = { maxConcurrency: 8, maxWritesPerSecond: 100 };
  const share = (turns: unknown) => (turns as WriteRateLimiter).writesPerSecond;

  it('brings the next Map Run to the controller\'s concurrency, and its workers together stay within the ceiling', async () => {
    // GIVEN a run whose first Map Run the controller cut from 8 to 2 (two halvings)
    const { sfn, updates, nextStage, concurrencyOf } = stagedSfn(spec.maxConcurrency);
    const deps = { ...store.deps, clients: { ...store.deps.clients, sfn } };
    const runId = 'two-map-runs';
    const report = (fields: Partial<BatchHealthReport>): BatchHealthReport => ({ runId, executionArn: EXECUTION, throttles: 0, at: at(0), maxConcurrency: spec.maxConcurrency, ...fields });
    await reportBatchHealth(deps, report({}));
    await reportBatchHealth(deps, report({ throttles: 1, at: at(1) }));
    await reportBatchHealth(deps, report({ throttles: 1, at: at(12) }));
    expect(concurrencyOf(FIRST_STAGE)).toBe(2);
    // WHEN the next stage's Map Run starts, at 8, and its first 8 workers start at once
    nextStage();
    const first = await Promise.all(Array.from({ length: 8 }, () => startWriteRateControl(deps, { runId, spec, executionArn: EXECUTION })));
    // THEN the 8 of them write at most the ceiling together (not 8 × 100 / 2 = 400 a second)
    expect(first.reduce((sum, control) => sum + share(control.turns), 0)).toBeLessThanOrEqual(spec.maxWritesPerSecond);
    // AND one of them set the new Map Run to the controller's 2, once, and the record names it
    expect(updates.filter((u) => u.mapRunArn === NEXT_STAGE)).toEqual([{ mapRunArn: NEXT_STAGE, maxConcurrency: 2 }]);
    expect(await readController(store.deps, runId)).toMatchObject({ concurrency: 2, mapRunArn: NEXT_STAGE });
    expect(await readController(store.deps, runId)).not.toHaveProperty('pendingMapRunArn');
    // AND a worker started once the update is done has the share of 2: with the Map Run at 2, the
    // first workers (each at most 100 / 8) and the later ones (100 / 2, started only when fewer than 2 run) keep the ceiling
    const later = await startWriteRateControl(deps, { runId, spec, executionArn: EXECUTION });
    expect(share(later.turns)).toBe(50);
    expect(later.concurrency).toBe(2);
  });

  it('sizes a worker at the spec\'s maxConcurrency while another worker\'s update of the new Map Run is pending', async () => {
    // GIVEN a controller at 2 whose claim of the next Map Run is recorded but not yet applied
    const { sfn, nextStage, updates } = stagedSfn(spec.maxConcurrency);
    const deps = { ...store.deps, clients: { ...store.deps.clients, sfn } };
    const runId = 'pending-map-run';
    const report = (fields: Partial<BatchHealthReport>): BatchHealthReport => ({ runId, executionArn: EXECUTION, throttles: 0, at: at(0), maxConcurrency: spec.maxConcurrency, ...fields });
    await reportBatchHealth(deps, report({}));
    await reportBatchHealth(deps, report({ throttles: 1, at: at(1) }));
    await reportBatchHealth(deps, report({ throttles: 1, at: at(12) }));
    nextStage();
    await store.deps.clients.ddb.send(
      new UpdateCommand({ TableName: store.deps.ledgerTable, Key: { pk: `RUN#${runId}`, sk: 'CONTROLLER' }, UpdateExpression: 'SET pendingMapRunArn = :arn', ExpressionAttributeValues: { ':arn': NEXT_STAGE } }),
    );
    // WHEN a worker starts
    const control = await startWriteRateControl(deps, { runId, spec, executionArn: EXECUTION });
    // THEN it takes 100 / 8 (the Map Run may still run 8) and leaves the update to the claimer
    expect(share(control.turns)).toBe(12.5);
    expect(updates.filter((u) => u.mapRunArn === NEXT_STAGE)).toEqual([]);
  });

  it('leaves a refused update of the new Map Run to the next worker, sizing this one at the spec\'s maxConcurrency', async () => {
    // GIVEN a controller at 2 and a next Map Run whose UpdateMapRun Step Functions refuses
    const { sfn, nextStage } = stagedSfn(spec.maxConcurrency, { refuseUpdatesOf: NEXT_STAGE });
    const deps = { ...store.deps, clients: { ...store.deps.clients, sfn } };
    const runId = 'refused-map-run';
    const report = (fields: Partial<BatchHealthReport>): BatchHealthReport => ({ runId, executionArn: EXECUTION, throttles: 0, at: at(0), maxConcurrency: spec.maxConcurrency, ...fields });
    await reportBatchHealth(deps, report({}));
    await reportBatchHealth(deps, report({ throttles: 1, at: at(1) }));
    await reportBatchHealth(deps, report({ throttles: 1, at: at(12) }));
    nextStage();
    // WHEN a worker starts
    const control = await startWriteRateControl(deps, { runId, spec, executionArn: EXECUTION });
    // THEN it says why, writes at 100 / 8, and drops its claim so the next worker tries again
    expect(control.followFailed).toBeInstanceOf(MapRunUpdateError);
    expect(control.followFailed?.message).toContain(`UpdateMapRun of ${NEXT_STAGE} to maxConcurrency 2 failed (AccessDeniedException`);
    expect(share(control.turns)).toBe(12.5);
    expect(await readController(store.deps, runId)).not.toHaveProperty('pendingMapRunArn');
  });
});
