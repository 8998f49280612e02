import { z } from 'zod';
import { getTransform } from '../../transforms';
import { ACTIVE_STATUSES, addCounts, readGate, RunNotRunningError, ZERO_COUNTS, type BatchCounts } from '../ledger';
import { ManifestItemSchema } from '../plan';
import type { Deps } from '../runtime/Deps';
import { SpecSchema } from '../spec';
import { processBatch, type BatchOutcome } from './processBatch';

/** Hooks for logs and metrics; the domain itself stays free of them. */
export interface WorkerObserver {
  batchDone?(outcome: BatchOutcome, durationMs: number): void;
  batchFailed?(batchId: string, error: Error): void;
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
  /** Batches not started because the gate was shut (breaker, pause, abort): left for the resume. */
  readonly gated: number;
}

/**
 * Processes a child's batches one after another, reading the gate (run and breaker) before each:
 * a shut gate (breaker OPEN, PAUSING, PAUSED, ABORTING) leaves the rest unclaimed and returns
 * normally with them as `gated`; a run not in an ACTIVE_STATUSES status otherwise (e.g. it was
 * marked FAILED or STOPPED while this child waited) is refused, so no batch of an ended run is
 * claimed or written.
 * @throws RunNotRunningError naming the status found.
 */
export async function processWorkerInput(deps: Deps, input: WorkerInput, owner: string, observer: WorkerObserver = {}): Promise<WorkerResult> {
  const { runId, spec } = input.BatchInput;
  const transform = getTransform(spec.transform);
  let counts = ZERO_COUNTS;
  let alreadyDone = 0;
  for (const [index, item] of input.Items.entries()) {
    // The gate before each batch (invariant 7): a shut gate leaves this and the later batches for the resume.
    const gate = await readGate(deps, runId);
    if (!gate.open && gate.reason === 'not-running') throw new RunNotRunningError(runId, gate.status, 'process batches', ACTIVE_STATUSES);
    if (!gate.open) return { batches: index, alreadyDone, counts, gated: input.Items.length - index };
    const startedMs = deps.clock.nowMs();
    let outcome: BatchOutcome;
    try {
      outcome = await processBatch(deps, { runId, spec, transform, owner }, item);
    } catch (error) {
      observer.batchFailed?.(item.batchId, error as Error);
      throw error;
    }
    observer.batchDone?.(outcome, deps.clock.nowMs() - startedMs);
    counts = addCounts(counts, outcome.counts);
    if (outcome.alreadyDone) alreadyDone += 1;
  }
  return { batches: input.Items.length, alreadyDone, counts, gated: 0 };
}
