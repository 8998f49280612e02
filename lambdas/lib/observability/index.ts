import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** Structured JSON logger; runId/batchId are appended as keys so every line carries them. */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/** EMF metrics (namespace from POWERTOOLS_METRICS_NAMESPACE, default "Backfill"). */
export function createMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Backfill', serviceName });
}

export { Logger, Metrics, MetricUnit };
