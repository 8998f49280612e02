import { MetricResolution, MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { CONTROLLER_METRICS, WORKER_METRICS } from '../health/metricNames';
import type { BatchCounts } from '../ledger';

/** What the worker saw of the target table while writing one batch (the write-rate middleware measures it). */
export interface BatchHealth {
  /** Write attempts DynamoDB throttled, counted per attempt (the SDK's retries hide them otherwise). */
  readonly throttles: number;
  readonly writeRequests: number;
  readonly writeLatencyMs: { readonly p50: number; readonly max: number };
}

/** The part of a batch's outcome its metrics come from; `health` is absent where it was not measured. */
export interface MeasuredBatch {
  readonly counts: BatchCounts;
  readonly health?: BatchHealth;
}

/**
 * Emits one batch's metrics at high resolution and publishes them at once, so a 10 s alarm sees
 * a batch when it ends, not when the child that ran it (several batches, up to 15 minutes) ends.
 *
 * @example
 *   publishBatchMetrics(metrics, outcome, durationMs); // one EMF line: RecordsRead, ..., DynamoDBThrottles, WriteLatency
 */
export function publishBatchMetrics(metrics: Metrics, batch: MeasuredBatch, durationMs: number): void {
  const count = (name: string, value: number) => metrics.addMetric(name, MetricUnit.Count, value, MetricResolution.High);
  count(WORKER_METRICS.RecordsRead, batch.counts.read);
  count(WORKER_METRICS.RecordsWritten, batch.counts.written);
  count(WORKER_METRICS.RecordsUnchanged, batch.counts.unchanged);
  count(WORKER_METRICS.RecordsSkippedNewer, batch.counts.skippedNewer);
  count(WORKER_METRICS.RecordsSkippedChanged, batch.counts.skippedChanged);
  count(WORKER_METRICS.RecordsRejected, batch.counts.malformed);
  metrics.addMetric(WORKER_METRICS.BatchDuration, MetricUnit.Milliseconds, durationMs, MetricResolution.High);
  if (batch.health !== undefined) {
    count(WORKER_METRICS.DynamoDBThrottles, batch.health.throttles);
    // A batch that wrote nothing has no latency: a zero would pull the percentiles down.
    if (batch.health.writeRequests > 0) metrics.addMetric(WORKER_METRICS.WriteLatency, MetricUnit.Milliseconds, batch.health.writeLatencyMs.p50, MetricResolution.High);
  }
  metrics.publishStoredMetrics();
}

/**
 * Emits and publishes one failed batch attempt (`BatchesFailed` 1, high resolution).
 *
 * @example
 *   publishBatchFailed(metrics);
 */
export function publishBatchFailed(metrics: Metrics): void {
  metrics.addMetric(WORKER_METRICS.BatchesFailed, MetricUnit.Count, 1, MetricResolution.High);
  metrics.publishStoredMetrics();
}

/**
 * Emits and publishes the running Map Run's MaxConcurrency as the write-rate controller has it
 * (`MapRunConcurrency`, high resolution, read as Maximum): the dashboard's concurrency graph.
 *
 * @example
 *   publishMapRunConcurrency(metrics, 4);
 */
export function publishMapRunConcurrency(metrics: Metrics, concurrency: number): void {
  metrics.addMetric(CONTROLLER_METRICS.MapRunConcurrency, MetricUnit.Count, concurrency, MetricResolution.High);
  metrics.publishStoredMetrics();
}
