import { z } from 'zod';
import { getTransform } from '../../transforms';
import type { Transform } from '../../transforms/Transform';
import { ACTIVE_STATUSES, addCounts, readGate, RunNotRunningError, ZERO_COUNTS, type BatchCounts, type Gate } from '../ledger';
import { recordGatedBatch } from '../gate/gatedMarks';
import { ManifestItemSchema } from '../plan';
import { startWriteRateControl, type WriteRateControl } from '../rate';
import type { Deps } from '../runtime/Deps';
import { SpecSchema } from '../spec';
import { processBatch, type BatchOutcome } from './processBatch';

/** Hooks for logs and metrics; the domain itself stays free of them. */
export interface WorkerObserver {
  batchDone?(outcome: BatchOutcome, durationMs: number): void;
  batchFailed?(batchId: string, error: Error): void;
  /** The write-rate controller could not take a batch's report (the batch itself is done). */
  rateControlFailed?(batchId: string, error: Error): void;
  /** The write-rate controller's concurrency (the running Map Run's MaxConcurrency) as the child starts and after each report. */
  concurrencyIs?(concurrency: number): void;
  /** The gate shut before `batchId`: it and the `left` batches after it (this one included) are left for resume. */
  gated?(batchId: string, left: number, gate: Extract<Gate, { open: false }>): void;
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
  /** Batches not claimed because the gate shut (breaker open, run pausing or aborting): left for resume, not failed. */
  readonly gated: number;
}

/**
 * Processes a child's batches one after another, checking the run's gate (readGate) before each:
 * once the breaker is open or the run is pausing or aborting, the rest of the batches are left
 * unclaimed (`gated`), and the child returns normally. A run that is not RUNNING otherwise (e.g. it
 * was marked FAILED or STOPPED while this child waited) is refused, so no batch of an ended run is
 * claimed or written.
 * @throws RunNotRunningError naming the status found.
 */
export async function processWorkerInput(deps: Deps, input: WorkerInput, owner: string, observer: WorkerObserver = {}): Promise<WorkerResult> {
  const { runId, spec } = input.BatchInput;
  let transform: Transform | undefined;
  let rate: WriteRateControl | undefined;
  let counts = ZERO_COUNTS;
  let alreadyDone = 0;
  for (const [index, item] of input.Items.entries()) {
    // Before each batch, not once per child: a breaker opened meanwhile stops the next claim (invariant 7).
    const gate = await readGate(deps, runId);
    if (!gate.open) {
      if (gate.reason === 'not-running') throw new RunNotRunningError(runId, gate.status, 'process batches', ACTIVE_STATUSES);
      const gated = input.Items.length - index;
      observer.gated?.(item.batchId, gated, gate);
      // One write per gated child: CheckGate must not take an earlier FAILED attempt of this batch for a dead child.
      await recordGatedBatch(deps, runId, item.batchId);
      return { batches: index, alreadyDone, counts, gated };
    }
    // Looked up once the gate let a batch through: a child of an ended run is refused for that, first.
    transform ??= getTransform(spec.transform);
    if (!rate) {
      rate = await startWriteRateControl(deps, { runId, spec, executionArn: input.BatchInput.executionArn });
      if (rate.followFailed) observer.rateControlFailed?.(item.batchId, rate.followFailed);
      if (rate.concurrency !== undefined) observer.concurrencyIs?.(rate.concurrency);
    }
    const startedMs = deps.clock.nowMs();
    let outcome: BatchOutcome;
    try {
      outcome = await processBatch(deps, { runId, spec, transform, owner, writeTurns: rate.turns }, item);
    } catch (error) {
      observer.batchFailed?.(item.batchId, error as Error);
      throw error;
    }
    observer.batchDone?.(outcome, deps.clock.nowMs() - startedMs);
    if (!outcome.alreadyDone) {
      const concurrency = await rate.afterBatch(outcome.health).catch((error: Error) => void observer.rateControlFailed?.(item.batchId, error));
      if (concurrency !== undefined) observer.concurrencyIs?.(concurrency);
    }
    counts = addCounts(counts, outcome.counts);
    if (outcome.alreadyDone) alreadyDone += 1;
  }
  return { batches: input.Items.length, alreadyDone, counts, gated: 0 };
}
