process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
import { MetricResolution } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { createMetrics, MetricUnit } from '../../../lambdas/lib/observability';
import { defineHandler } from '../../../lambdas/lib/runtime/defineHandler';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';
import { captureEmf } from '../../../local/alarms/captureEmf';
import { datapointsOfEmf } from '../../../local/alarms/emfDocument';
import { EmfDocumentError } from '../../../local/alarms/errors';
import { MetricStore } from '../../../local/alarms/MetricStore';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const worker = { namespace: 'Backfill', metricName: 'BatchesFailed', dimensions: { service: 'worker' } };

describe('captureEmf: the EMF the handlers emit, captured instead of printed', () => {
  let stdout: jest.SpyInstance;
  beforeEach(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => stdout.mockRestore());

  it("takes Powertools' own EMF document at each flush, and prints nothing", () => {
    // GIVEN Powertools Metrics with the capture as their sink
    const store = new MetricStore();
    const dropped: EmfDocumentError[] = [];
    const metrics = createMetrics('worker', captureEmf(store, (e) => dropped.push(e)));
    // WHEN a handler adds a high-resolution metric twice and flushes
    metrics.addMetric('BatchesFailed', MetricUnit.Count, 1, MetricResolution.High);
    metrics.addMetric('BatchesFailed', MetricUnit.Count, 1, MetricResolution.High);
    metrics.publishStoredMetrics();
    // THEN both samples are stored under the metric with its default dimensions, and stdout stays quiet
    const [series, ...others] = store.list();
    expect(others).toEqual([]);
    expect(series).toMatchObject({ namespace: 'Backfill', metricName: 'BatchesFailed', dimensions: expect.objectContaining({ service: 'worker' }) });
    expect(store.samples(series!, Date.now() - 60_000, Date.now() + 1_000)).toEqual([1, 1]);
    expect(dropped).toEqual([]);
    expect(stdout).not.toHaveBeenCalled();
    // AND the buffers are cleared, as publishStoredMetrics clears them
    metrics.publishStoredMetrics();
    expect(store.samples(series!, Date.now() - 60_000, Date.now() + 1_000)).toEqual([1, 1]);
  });

  it('a handler built with deps.metricsSink flushes its metrics into the sink, even when it throws', async () => {
    // GIVEN a handler that records a metric then fails, with a sink on its deps
    const documents: unknown[] = [];
    const deps = { metricsSink: (document: unknown) => documents.push(document) } as unknown as Deps;
    const handler = defineHandler(
      'worker',
      z.object({}),
      async (_input, { metrics }) => {
        metrics.addMetric('BatchesFailed', MetricUnit.Count, 1, MetricResolution.High);
        throw new Error('batch failed');
      },
      deps,
    );
    // WHEN it runs
    await expect(handler({}, { awsRequestId: 'r-1' })).rejects.toThrow('batch failed');
    // THEN the sink got one EMF document naming the metric at high resolution
    expect(documents).toHaveLength(1);
    expect(datapointsOfEmf(documents[0])).toEqual([
      { namespace: 'Backfill', metricName: 'BatchesFailed', dimensions: expect.objectContaining({ service: 'worker' }), timestampMs: expect.any(Number), values: [1], highResolution: true },
    ]);
  });

  it('stores a standard-resolution metric at the minute, as CloudWatch does', () => {
    const store = new MetricStore();
    store.add(
      datapointsOfEmf({
        _aws: { Timestamp: T0 + 35_000, CloudWatchMetrics: [{ Namespace: 'Backfill', Dimensions: [['service']], Metrics: [{ Name: 'BatchesFailed', Unit: 'Count' }] }] },
        service: 'worker',
        BatchesFailed: 1,
      }),
    );
    expect(store.samples(worker, T0, T0 + 1_000)).toEqual([1]);
    expect(store.samples(worker, T0 + 30_000, T0 + 40_000)).toEqual([]);
  });

  it('publishes a metric once per dimension set', () => {
    const datapoints = datapointsOfEmf({
      _aws: { Timestamp: T0, CloudWatchMetrics: [{ Namespace: 'Backfill', Dimensions: [['service'], ['service', 'Stack']], Metrics: [{ Name: 'BatchesFailed' }] }] },
      service: 'worker',
      Stack: 'local',
      BatchesFailed: 2,
    });
    expect(datapoints.map((d) => d.dimensions)).toEqual([{ service: 'worker' }, { service: 'worker', Stack: 'local' }]);
  });

  it('drops a document CloudWatch would not ingest, names the problems, stores nothing and never throws into the handler', () => {
    // GIVEN a document whose metric value is text and whose dimension is missing
    const store = new MetricStore();
    const dropped: EmfDocumentError[] = [];
    const sink = captureEmf(store, (e) => dropped.push(e));
    // WHEN it is captured
    sink({ _aws: { Timestamp: T0, CloudWatchMetrics: [{ Namespace: 'Backfill', Dimensions: [['service']], Metrics: [{ Name: 'BatchesFailed' }] }] }, BatchesFailed: 'one' });
    sink({ _aws: { Timestamp: 'soon' } });
    // THEN both are dropped with their problems named
    expect(dropped.map((e) => e.message)).toEqual([
      'an EMF document was dropped (CloudWatch would not ingest it): BatchesFailed: the value must be a number or an array of numbers, got "one"; the metrics of that flush are not evaluated by the local alarms',
      expect.stringMatching(/^an EMF document was dropped \(CloudWatch would not ingest it\): _aws\.Timestamp: .*; _aws\.CloudWatchMetrics: /),
    ]);
    expect(store.samples(worker, 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });
});
