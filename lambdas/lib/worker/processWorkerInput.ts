import { z } from 'zod';
import { getTransform } from '../../transforms';
import { ACTIVE_STATUSES, addCounts, isStatusIn, requireRun, RunNotRunningError, ZERO_COUNTS, type BatchCounts } from '../ledger';
import { ManifestItemSchema } from '../plan';
import { startWriteRateControl } from '../rate';
import type { Deps } from '../runtime/Deps';
import { SpecSchema } from '../spec';
import { processBatch, type BatchOutcome } from './processBatch';

/** Hooks for logs and metrics; the domain itself stays free of them. */
export interface WorkerObserver {
  batchDone?(outcome: BatchOutcome, durationMs: number): void;
  batchFailed?(batchId: string, error: Error): void;
  /** The write-rate controller could not take a batch's report (the batch itself is done). */
  rateControlFailed?(batchId: string, error: Error): void;
}

/** The input of one distributed-Map child: the ItemBatcher's `{ Items, BatchInput }`. */
export const WorkerInputSchema = z.object({
  Items: z.array(ManifestItemSchema).min(1),
  // executionArn: the parent execution (`$$.Execution.Id`), whose Map Run the write-rate controller adjusts.
  BatchInput: z.object({ runId: z.string().min(1), spec: SpecSchema, executionArn: z.string().min(1).optional() }),
});
export type WorkerInput = z.infer<typeof WorkerInputSchema>;

/** What a child returns: counts only, whatever the batch size (bounded payload). */
export interface WorkerResult {
  readonly batches: number;
  readonly alreadyDone: number;
  readonly counts: BatchCounts;
}

/**
 * Processes a child's batches one after another. Refuses to start when the run is not in an
 * ACTIVE_STATUSES status (e.g. it was marked FAILED or STOPPED while this child waited), so no
 * batch of an ended run is claimed or written.
 * @throws RunNotRunningError naming the status found.
 */
export async function processWorkerInput(deps: Deps, input: WorkerInput, owner: string, observer: WorkerObserver = {}): Promise<WorkerResult> {
  const { runId, spec } = input.BatchInput;
  const run = await requireRun(deps, runId);
  if (!isStatusIn(run.status, ACTIVE_STATUSES)) throw new RunNotRunningError(runId, run.status, 'process batches', ACTIVE_STATUSES);
  const transform = getTransform(spec.transform);
  const rate = await startWriteRateControl(deps, { runId, spec, executionArn: input.BatchInput.executionArn });
  let counts = ZERO_COUNTS;
  let alreadyDone = 0;
  for (const item of input.Items) {
    const startedMs = deps.clock.nowMs();
    let outcome: BatchOutcome;
    try {
      outcome = await processBatch(deps, { runId, spec, transform, owner, writeTurns: rate.turns }, item);
    } catch (error) {
      observer.batchFailed?.(item.batchId, error as Error);
      throw error;
    }
    observer.batchDone?.(outcome, deps.clock.nowMs() - startedMs);
    if (!outcome.alreadyDone) await rate.afterBatch(outcome.health).catch((error: Error) => observer.rateControlFailed?.(item.batchId, error));
    counts = addCounts(counts, outcome.counts);
    if (outcome.alreadyDone) alreadyDone += 1;
  }
  return { batches: input.Items.length, alreadyDone, counts };
}
