import type { StageUsage } from '../../cost';
import type { PriceTable } from '../../cost';
import type { BatchRecord } from '../../ledger';
import type { Spec } from '../../spec';

/** What a stage measured: its batches and records, wall-clock span, summed worker time and usage. */
export interface StageMeasurement {
  readonly batches: number;
  readonly records: number;
  /** First batch start to last batch end (the injected clock's ms). */
  readonly elapsedMs: number;
  /** The workers' summed time on the stage's batches. */
  readonly workerMs: number;
  readonly usage: StageUsage;
  /** Each batch's start and duration (the injected clock's ms), in record order: what the time forecast reads. */
  readonly batchTimes: readonly BatchTime[];
}

/** When one batch of the stage started and how long its worker took on it. */
export interface BatchTime {
  readonly startedAtMs: number;
  readonly durationMs: number;
}

/**
 * Sums the metered usage of a stage's batch records into the price table's items. DynamoDB and S3
 * come from the workers' metering; Lambda and EXPRESS children from the workers' measured time:
 * one child (and one worker invocation) per `batchesPerWorker` batches, each billed at the
 * memory the price table lists for the worker. State transitions of the parent execution do not
 * grow with the records and are left out.
 *
 * @example
 *   measureStage(records, spec, loadPriceTable()).usage.dynamodbWriteUnits; // Σ of the batches' write units
 */
export function measureStage(records: readonly BatchRecord[], spec: Pick<Spec, 'batchesPerWorker'>, prices: PriceTable): StageMeasurement {
  let dynamodbReadUnits = 0;
  let dynamodbWriteUnits = 0;
  let s3Gets = 0;
  let s3Puts = 0;
  let workerMs = 0;
  let firstStart = Number.POSITIVE_INFINITY;
  let lastEnd = Number.NEGATIVE_INFINITY;
  const batchTimes: BatchTime[] = [];
  for (const { evidence } of records) {
    if (evidence === undefined) continue;
    const { usage } = evidence;
    dynamodbReadUnits += usage.dynamodbReadUnits;
    dynamodbWriteUnits += usage.dynamodbWriteUnits;
    s3Gets += usage.s3Gets;
    s3Puts += usage.s3Puts;
    workerMs += usage.durationMs;
    batchTimes.push({ startedAtMs: usage.startedAtMs, durationMs: usage.durationMs });
    firstStart = Math.min(firstStart, usage.startedAtMs);
    lastEnd = Math.max(lastEnd, usage.startedAtMs + usage.durationMs);
  }
  const children = Math.ceil(records.length / spec.batchesPerWorker);
  const workerGb = (prices.functions.memoryMb.worker ?? 1024) / 1024;
  const { expressDurationStepMs: step, expressMemoryMb, expressMemoryStepMb } = prices.stepFunctions;
  const expressGb = (Math.ceil(expressMemoryMb / expressMemoryStepMb) * expressMemoryStepMb) / 1024;
  const perChildMs = children === 0 ? 0 : workerMs / children;
  const usage: StageUsage = {
    dynamodbReadUnits,
    dynamodbWriteUnits,
    s3Gets,
    s3Puts,
    lambdaGbSeconds: (workerMs / 1000) * workerGb,
    lambdaRequests: children,
    stateTransitions: 0,
    expressRequests: children,
    expressGbSeconds: children * ((Math.max(step, Math.ceil(perChildMs / step) * step) / 1000) * expressGb),
  };
  const recordsRead = records.reduce((sum, record) => sum + (record.counts?.read ?? 0), 0);
  return { batches: records.length, records: recordsRead, elapsedMs: Number.isFinite(firstStart) ? lastEnd - firstStart : 0, workerMs, usage, batchTimes };
}
