import { Metrics } from '@aws-lambda-powertools/metrics';
import { ListMapRunsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { CONTROLLER_METRICS, WORKER_METRICS } from '../../../lambdas/lib/health';
import { publishBatchMetrics } from '../../../lambdas/lib/observability';
import { ZERO_COUNTS } from '../../../lambdas/lib/ledger';
import { WorkerInputSchema } from '../../../lambdas/lib/worker';
import { createHandler as createWorker } from '../../../lambdas/worker/handler';
import { useEmulators } from '../../support';
import { createFixture } from '../support/fixture';

/** One EMF document as Powertools prints it (one JSON line on stdout). */
interface EmfDocument {
  readonly _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string; StorageResolution?: number }> }> };
  readonly [field: string]: unknown;
}

let lastError: unknown;
/** Runs `action` and returns the EMF documents it printed on stdout. */
async function emittedEmf(action: () => Promise<unknown>): Promise<EmfDocument[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    await action().catch((e: unknown) => { lastError = e; });
  } finally {
    spy.mockRestore();
  }
  return lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as EmfDocument);
}

/** An order event of `order-summary@2` (a registered transform: the worker looks it up by the spec). */
const orderLine = (i: number): string =>
  JSON.stringify({ orderId: `ord-${i}`, version: 1, customerId: 'cust-1', placedAt: '2024-03-09T23:30:00-08:00', currency: 'USD', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '19.99' }] });
const ORDERS = { transform: 'order-summary@2', partitionKey: 'orderId' } as const;

const metricsOf = (doc: EmfDocument) => doc._aws.CloudWatchMetrics[0]!.Metrics;

describe('the worker handler\'s EMF', () => {
  const env = useEmulators('dynalite');
  const saved = { ...process.env };

  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_METRICS_NAMESPACE;
    delete process.env.POWERTOOLS_DEV;
    process.env.BACKFILL_STACK_NAME = 'TestStack';
  });
  afterAll(() => {
    process.env = saved;
  });

  it('publishes each batch at once, high-resolution (StorageResolution 1), in the Backfill namespace with the dimensions service and Stack', async () => {
    // GIVEN a planned run of two batches and the real worker handler
    const f = await createFixture(env(), { ...ORDERS, batchSize: 2 });
    const Items = await f.plan([orderLine(1), orderLine(2), orderLine(3), 'not json']);
    const worker = createWorker(f.deps);
    // WHEN one child processes both batches
    const docs = await emittedEmf(() => worker(WorkerInputSchema.parse({ Items, BatchInput: { runId: f.runId, spec: f.spec } }), { awsRequestId: 'r-1' }));
    // THEN each batch is its own EMF document (a 10 s alarm sees it when the batch ends)
    expect(lastError).toBeUndefined();
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      const [directive] = doc._aws.CloudWatchMetrics;
      expect(directive!.Namespace).toBe('Backfill');
      expect(directive!.Dimensions).toEqual([['service', 'Stack']]);
      expect(doc.service).toBe('worker');
      expect(doc.Stack).toBe('TestStack');
      expect(metricsOf(doc).map((m) => m.Name)).toEqual(
        expect.arrayContaining([WORKER_METRICS.RecordsRead, WORKER_METRICS.RecordsWritten, WORKER_METRICS.RecordsRejected, WORKER_METRICS.BatchDuration]),
      );
      for (const metric of metricsOf(doc)) expect(metric).toMatchObject({ StorageResolution: 1 });
    }
    // AND the malformed line is counted as rejected
    expect(docs.map((doc) => doc[WORKER_METRICS.RecordsRejected])).toEqual([0, 1]);
  });

  it('publishes the controller\'s MapRunConcurrency, high-resolution with service and Stack, as a steered child starts and after each report', async () => {
    // GIVEN a run at maxConcurrency 8 whose children know their parent execution (one running Map Run)
    const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:e-1';
    const sfn = {
      send: async (command: ListMapRunsCommand) => {
        if (!(command instanceof ListMapRunsCommand)) throw new Error(`unexpected ${command}`);
        return { mapRuns: [{ executionArn: EXECUTION, mapRunArn: `${EXECUTION}:map-run`, stateMachineArn: 'x', startDate: new Date(0) }] };
      },
    } as unknown as SFNClient;
    const f = await createFixture(env(), { ...ORDERS, batchSize: 2 });
    const Items = await f.plan([orderLine(1), orderLine(2), orderLine(3), orderLine(4)]);
    const worker = createWorker({ ...f.deps, clients: { ...f.deps.clients, sfn } });
    const input = (items: typeof Items) => WorkerInputSchema.parse({ Items: items, BatchInput: { runId: f.runId, spec: { ...f.spec, maxConcurrency: 8 }, executionArn: EXECUTION } });
    // WHEN a child runs the first batch (the controller is created by its report), then another child the second
    const concurrencyOf = (docs: EmfDocument[]) => docs.filter((doc) => CONTROLLER_METRICS.MapRunConcurrency in doc);
    const first = concurrencyOf(await emittedEmf(() => worker(input(Items.slice(0, 1)), { awsRequestId: 'r-3' })));
    const second = concurrencyOf(await emittedEmf(() => worker(input(Items.slice(1)), { awsRequestId: 'r-4' })));
    // THEN the first publishes it after its report; the second as it starts and after its report
    expect(lastError).toBeUndefined();
    expect(first.map((doc) => doc[CONTROLLER_METRICS.MapRunConcurrency])).toEqual([8]);
    expect(second.map((doc) => doc[CONTROLLER_METRICS.MapRunConcurrency])).toEqual([8, 8]);
    for (const doc of [...first, ...second]) {
      expect(doc._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'Stack']]);
      expect(doc.service).toBe('worker');
      expect(doc.Stack).toBe('TestStack');
      expect(metricsOf(doc)).toEqual([{ Name: CONTROLLER_METRICS.MapRunConcurrency, Unit: 'Count', StorageResolution: 1 }]);
    }
  });

  it('publishes BatchesFailed, high-resolution, for a batch attempt that throws', async () => {
    // GIVEN a batch whose source object is gone
    const f = await createFixture(env(), ORDERS);
    const [item] = await f.plan([orderLine(1)]);
    const worker = createWorker(f.deps);
    const input = WorkerInputSchema.parse({ Items: [{ ...item!, key: 'records/missing.jsonl' }], BatchInput: { runId: f.runId, spec: f.spec } });
    // WHEN the worker runs it
    const docs = await emittedEmf(() => worker(input, { awsRequestId: 'r-2' }));
    // THEN one document carries BatchesFailed 1 at high resolution
    expect(docs).toHaveLength(1);
    expect(metricsOf(docs[0]!)).toEqual([{ Name: WORKER_METRICS.BatchesFailed, Unit: 'Count', StorageResolution: 1 }]);
    expect(docs[0]![WORKER_METRICS.BatchesFailed]).toBe(1);
  });
});

describe('publishBatchMetrics', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_DEV;
  });
  afterAll(() => {
    process.env = saved;
  });

  it('emits DynamoDBThrottles and the batch median as WriteLatency from the batch\'s health, both high-resolution', async () => {
    const metrics = new Metrics({ namespace: 'Backfill', serviceName: 'worker' });
    const health = { throttles: 7, writeRequests: 40, writeLatencyMs: { p50: 12, max: 480 } };
    const [doc] = await emittedEmf(async () => publishBatchMetrics(metrics, { counts: ZERO_COUNTS, health }, 30));
    expect(doc![WORKER_METRICS.DynamoDBThrottles]).toBe(7);
    expect(doc![WORKER_METRICS.WriteLatency]).toBe(12);
    expect(metricsOf(doc!)).toEqual(
      expect.arrayContaining([
        { Name: WORKER_METRICS.DynamoDBThrottles, Unit: 'Count', StorageResolution: 1 },
        { Name: WORKER_METRICS.WriteLatency, Unit: 'Milliseconds', StorageResolution: 1 },
      ]),
    );
  });

  it('emits no WriteLatency for a batch that wrote nothing (a zero would pull the percentiles down)', async () => {
    const metrics = new Metrics({ namespace: 'Backfill', serviceName: 'worker' });
    const health = { throttles: 0, writeRequests: 0, writeLatencyMs: { p50: 0, max: 0 } };
    const [doc] = await emittedEmf(async () => publishBatchMetrics(metrics, { counts: ZERO_COUNTS, health }, 30));
    expect(doc![WORKER_METRICS.DynamoDBThrottles]).toBe(0);
    expect(metricsOf(doc!).map((m) => m.Name)).not.toContain(WORKER_METRICS.WriteLatency);
  });
});
