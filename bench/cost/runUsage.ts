import type { BackfillResult } from '../jobs';
import type { RunUsage } from './costModel';

/** The cost model's view of one measured backfill. */
export function runUsageOf(result: BackfillResult, targetTable: string): RunUsage {
  const express = result.engine.childExecutions.EXPRESS;
  return {
    records: result.records,
    batches: result.batches,
    changedItems: result.counts.written,
    keysRead: result.counts.produced,
    targetTable,
    api: result.api,
    parentTransitions: result.engine.stateTransitions,
    expressChildren: express.started,
    childTransitions: express.stateTransitions,
    childDurationMs: express.durationMs,
    lambdas: result.lambdas,
  };
}
