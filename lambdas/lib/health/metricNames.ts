/**
 * The names the orchestrator's metrics go by, shared by the handlers that emit them (EMF through
 * Powertools), the stack's alarms and dashboard (infra/) and the local alarm evaluator (local/alarms).
 * Plain data: no Powertools, no CDK.
 */

/** The CloudWatch namespace when `POWERTOOLS_METRICS_NAMESPACE` is not set (the stack sets it to this). */
export const DEFAULT_METRICS_NAMESPACE = 'Backfill';

/** The dimension naming the stack (env `BACKFILL_STACK_NAME`) on every metric, so two stacks in one account never mix. */
export const STACK_DIMENSION = 'Stack';

/** The stack dimension's value when `BACKFILL_STACK_NAME` is not set: the local cloud. */
export const LOCAL_STACK_NAME = 'local';

/**
 * Powertools Metrics always adds the dimension `service`, set to the handler's name
 * (defineHandler's first argument): an alarm must name it, or it watches a metric nobody emits.
 */
export const SERVICE_DIMENSION = 'service';

/** The worker's metrics, each emitted at high resolution (1 s storage), so alarms may use 10 s and 30 s periods. */
export const WORKER_METRICS = {
  RecordsRead: 'RecordsRead',
  RecordsWritten: 'RecordsWritten',
  RecordsUnchanged: 'RecordsUnchanged',
  RecordsSkippedNewer: 'RecordsSkippedNewer',
  RecordsSkippedChanged: 'RecordsSkippedChanged',
  /** Source records quarantined as malformed. */
  RecordsRejected: 'RecordsRejected',
  /** Batch attempts that threw (a retried batch counts once per attempt). */
  BatchesFailed: 'BatchesFailed',
  BatchDuration: 'BatchDuration',
  /** Target write attempts DynamoDB throttled, counted per attempt below the SDK's retries. */
  DynamoDBThrottles: 'DynamoDBThrottles',
  /** A batch's median target write latency, in milliseconds (emitted only for batches that wrote). */
  WriteLatency: 'WriteLatency',
} as const;

/** The rollback worker's metrics (standard resolution: nothing alarms on them). */
export const ROLLBACK_METRICS = {
  /** Items put back from their snapshot or deleted (the run had created them). */
  RollbackItemsRestored: 'RollbackItemsRestored',
  /** Items changed since the run by live traffic: reported, left alone. */
  RollbackConflicts: 'RollbackConflicts',
} as const;

/**
 * The write-rate controller's metric: the Map Run's MaxConcurrency after each change (unit Count,
 * read as Maximum). The controller runs inside the worker, so it goes out with the worker's
 * dimensions (`service` worker, `Stack`), which the dashboard names.
 */
export const CONTROLLER_METRICS = { MapRunConcurrency: 'MapRunConcurrency' } as const;

/** The handler whose metrics the breaker's EMF alarms watch (its `service` dimension). */
export const WORKER_SERVICE = 'worker';

/**
 * The namespace the handlers emit into: `POWERTOOLS_METRICS_NAMESPACE`, else {@link DEFAULT_METRICS_NAMESPACE}.
 *
 * @example
 *   metricsNamespace({ POWERTOOLS_METRICS_NAMESPACE: 'Team' }); // 'Team'
 */
export function metricsNamespace(env: NodeJS.ProcessEnv = process.env): string {
  return nonEmpty(env.POWERTOOLS_METRICS_NAMESPACE) ?? DEFAULT_METRICS_NAMESPACE;
}

/**
 * The value of the {@link STACK_DIMENSION} dimension: `BACKFILL_STACK_NAME`, else {@link LOCAL_STACK_NAME}.
 *
 * @example
 *   metricsStackName({ BACKFILL_STACK_NAME: 'BackfillOrchestrator' }); // 'BackfillOrchestrator'
 */
export function metricsStackName(env: NodeJS.ProcessEnv = process.env): string {
  return nonEmpty(env.BACKFILL_STACK_NAME) ?? LOCAL_STACK_NAME;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
