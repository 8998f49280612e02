import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricsNamespace, metricsStackName, STACK_DIMENSION } from '../health/metricNames';

/** Structured JSON logger; runId/batchId are appended as keys so every line carries them. */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/**
 * EMF metrics (namespace from POWERTOOLS_METRICS_NAMESPACE, default "Backfill"), every one with the
 * dimension `Stack` (env BACKFILL_STACK_NAME, locally "local") besides Powertools' `service`.
 */
export function createMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: metricsNamespace(), serviceName, defaultDimensions: { [STACK_DIMENSION]: metricsStackName() } });
}

export { publishBatchFailed, publishBatchMetrics, type BatchHealth, type MeasuredBatch } from './batchMetrics';
export { Logger, Metrics, MetricUnit };
