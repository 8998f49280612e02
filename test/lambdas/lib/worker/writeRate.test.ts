import { ListMapRunsCommand, UpdateMapRunCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { listAudit } from '../../../../lambdas/lib/ledger';
import { getTransform } from '../../../../lambdas/transforms';
import { readController } from '../../../../lambdas/lib/rate';
import type { Deps } from '../../../../lambdas/lib/runtime/Deps';
import { processBatch, processWorkerInput, WorkerInputSchema } from '../../../../lambdas/lib/worker';
import { injectThrottles, useEmulators } from '../../../support';
import { createFixture, type DdbCall, type Fixture } from '../../support/fixture';

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:e-1';
const MAP_RUN = 'arn:aws:states:us-east-1:000000000000:mapRun:Backfill/ProcessBatches:m-1';

const orderLines = (count: number): string[] =>
  Array.from({ length: count }, (_, i) =>
    JSON.stringify({ orderId: `ord-${String(i + 1).padStart(5, '0')}`, version: 1, customerId: 'c', placedAt: '2024-03-09T23:30:00-08:00', currency: 'USD', lines: [{ sku: 'S', quantity: 1, unitPrice: '1.00' }] }),
  );

/** ListMapRuns / UpdateMapRun recorded (the local cloud's real ones: test/local/cloud/adaptiveWriteRate.test.ts). */
function recordingSfn() {
  const updates: unknown[] = [];
  const sfn = {
    send: async (command: ListMapRunsCommand | UpdateMapRunCommand) => {
      if (command instanceof ListMapRunsCommand) return { mapRuns: [{ executionArn: EXECUTION, mapRunArn: MAP_RUN, stateMachineArn: 'x', startDate: new Date(0) }] };
      updates.push(command.input);
      return {};
    },
  } as unknown as SFNClient;
  return { sfn, updates };
}

describe('the worker\'s write rate', () => {
  const env = useEmulators('dynalite');

  async function setup(records: number, specFields: Record<string, unknown> = {}, hook: (call: DdbCall, f: Fixture) => void = () => undefined) {
    const f = await createFixture(env(), { transform: 'order-summary@2', partitionKey: 'orderId', batchSize: (specFields.batchSize as number | undefined) ?? 10 });
    const spec = { ...f.spec, ...specFields };
    const Items = await f.plan(orderLines(records));
    // Its own clients, so the throttling injected here touches no other test
    const deps = f.depsWithHook((call) => hook(call, f));
    const throttles = injectThrottles(deps.clients.ddb, f.targetTable);
    return { f, deps, spec, Items, throttles };
  }

  it('reports in each batch\'s outcome the throttled attempts on its target that the SDK retried', async () => {
    // GIVEN a target that throttles every second attempt (the ledger is not throttled)
    const { f, deps, Items, throttles } = await setup(10);
    throttles.set(2);
    // WHEN a batch runs
    const outcome = await processBatch(deps, { ...f.ctx('attempt-a'), transform: getTransform('order-summary@2') }, Items[0]!);
    // THEN it wrote everything (the SDK retried), and its health names every throttled attempt
    expect(outcome.counts.written).toBe(10);
    expect(throttles.throttled).toBeGreaterThan(0);
    expect(outcome.health.throttles).toBe(throttles.throttled);
    expect(outcome.health.writeRequests).toBe(10);
  });

  it('halves the run\'s concurrency through the controller after a throttled batch, and reports healthy ones', async () => {
    // GIVEN a child of a run at maxConcurrency 8 whose first batch is throttled
    const { f, deps, spec, Items, throttles } = await setup(30, { maxConcurrency: 8 });
    const { sfn, updates } = recordingSfn();
    const steered: Deps = { ...deps, clients: { ...deps.clients, sfn } };
    const input = WorkerInputSchema.parse({ Items: Items.slice(0, 1), BatchInput: { runId: f.runId, spec, executionArn: EXECUTION } });
    throttles.set(2);
    await processWorkerInput(steered, input, 'attempt-a');
    // THEN the controller went 8 → 4, and the running Map Run was set to 4, audited
    expect(await readController(f.deps, f.runId)).toMatchObject({ concurrency: 4, maxConcurrency: 8, mapRunArn: MAP_RUN, version: 1 });
    expect(updates).toEqual([{ mapRunArn: MAP_RUN, maxConcurrency: 4 }]);
    expect((await listAudit(f.deps, f.runId)).filter((e) => e.type === 'ConcurrencyChanged')).toHaveLength(1);
    // AND a child without the parent execution (an older ASL) leaves the controller alone
    const unsteered = WorkerInputSchema.parse({ Items: Items.slice(1, 2), BatchInput: { runId: f.runId, spec } });
    f.clock.advance(60_000);
    await processWorkerInput(steered, unsteered, 'attempt-b');
    expect(await readController(f.deps, f.runId)).toMatchObject({ concurrency: 4, version: 1 });
  });

  it('with maxWritesPerSecond, spaces each worker\'s writes at its share of the ceiling', async () => {
    // GIVEN a ceiling of 20 writes/s at concurrency 4: 5 writes a second for this worker (200 ms apart)
    const { f, deps, spec, Items } = await setup(20, { maxConcurrency: 4, maxWritesPerSecond: 20 });
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
      f.clock.advance(ms);
    };
    const input = WorkerInputSchema.parse({ Items, BatchInput: { runId: f.runId, spec } });
    // WHEN the worker writes its 20 items (a manual clock: each sleep moves it)
    const result = await processWorkerInput({ ...deps, writeRate: { sleep } }, input, 'attempt-a');
    // THEN all 20 were written, each after its turn: 20 turns × 200 ms = 4 s of waiting in all
    expect(result.counts.written).toBe(20);
    expect(slept.reduce((sum, ms) => sum + ms, 0)).toBe(4000);
  });

  it('keeps the batch\'s lease while the ceiling spaces its writes further apart than the lease lasts', async () => {
    // GIVEN a ceiling of 1 write/s at concurrency 5: 5 s between this worker's writes, 150 s for one batch of 30, lease 60 s,
    // on a clock running 20 times faster than real time (the limiter really sleeps: a twentieth)
    const startMs = Date.now();
    const clock = { nowMs: () => Date.UTC(2026, 0, 1) + (Date.now() - startMs) * 20 };
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / 20));
    const leaseSetAt: number[] = [];
    const writtenAt: number[] = [];
    const { f, deps, spec, Items } = await setup(30, { maxConcurrency: 5, maxWritesPerSecond: 1, leaseSeconds: 60, batchSize: 30 }, (call, fixture) => {
      if (call.tableName === fixture.targetTable && call.command === 'PutItemCommand') writtenAt.push(clock.nowMs());
      if (call.tableName === fixture.deps.ledgerTable && call.command === 'UpdateItemCommand' && JSON.stringify(call.input).includes('leaseExpiresAtMs')) leaseSetAt.push(clock.nowMs());
    });
    const input = WorkerInputSchema.parse({ Items, BatchInput: { runId: f.runId, spec } });
    // WHEN it writes them
    const result = await processWorkerInput({ ...deps, clock, writeRate: { sleep } }, input, 'attempt-a');
    // THEN the batch completes, and every write was made under a lease claimed or renewed less than 60 s before
    expect(result.counts.written).toBe(30);
    expect(writtenAt).toHaveLength(30);
    const lapsed = writtenAt.filter((t) => !leaseSetAt.some((set) => set <= t && t < set + 60_000));
    expect(lapsed).toEqual([]);
  });
});
