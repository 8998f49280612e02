import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricsNamespace, metricsStackName, STACK_DIMENSION } from '../health/metricNames';

/** Structured JSON logger; runId/batchId are appended as keys so every line carries them. */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/**
 * Where a handler's EMF documents go instead of stdout: the local runtime's capture, which its
 * alarms evaluate (local/alarms). Gets each flush's document exactly as Powertools serializes it.
 */
export type MetricsSink = (document: unknown) => void;

/**
 * Powertools Metrics whose flush hands the EMF document to a sink. Powertools 2.x always writes
 * EMF to stdout (its `logger` option carries only its warnings), so the capture takes the document
 * from the same serializeMetrics() publishStoredMetrics() prints, and clears the buffers as it does.
 * POWERTOOLS_METRICS_DISABLED stops the stdout output only: the sink stands in for CloudWatch's ingestion.
 */
class SinkMetrics extends Metrics {
  constructor(options: ConstructorParameters<typeof Metrics>[0], private readonly sink: MetricsSink) {
    super(options);
  }

  public override publishStoredMetrics(): this {
    try {
      if (this.hasStoredMetrics()) this.sink(this.serializeMetrics());
    } finally {
      this.clearMetrics();
      this.clearDimensions();
      this.clearMetadata();
    }
    return this;
  }
}

/**
 * EMF metrics (namespace from POWERTOOLS_METRICS_NAMESPACE, default "Backfill"), written to stdout
 * as in Lambda, or to `sink` when given (the local runtime).
 * @example
 *   const metrics = createMetrics('worker', (document) => captured.push(document));
 */
export function createMetrics(serviceName: string, sink?: MetricsSink): Metrics {
  const options = { namespace: metricsNamespace(), serviceName, defaultDimensions: { [STACK_DIMENSION]: metricsStackName() } };
  return sink ? new SinkMetrics(options, sink) : new Metrics(options);
}

export { publishBatchFailed, publishBatchMetrics, publishMapRunConcurrency, type BatchHealth, type MeasuredBatch } from './batchMetrics';
export { Logger, Metrics, MetricUnit };
