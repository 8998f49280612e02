import { z } from 'zod';
import { isStatusIn, requireRun, ROLLBACK_ACTIVE_STATUSES, RunStatusError } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { TargetSchema } from '../spec';
import { rehearseBatch, type RehearsalConflict, type RehearsalProblem } from './rehearseBatch';
import { restoreBatch, type RestoreBatchOutcome } from './restoreBatch';
import { addRollbackCounts, ZERO_ROLLBACK_COUNTS, type RollbackCounts } from './RollbackCounts';
import { RollbackManifestItemSchema } from './rollbackManifest';

/** The input of one rollback Map child: the ItemBatcher's `{ Items, BatchInput }`. */
export const RollbackWorkerInputSchema = z.object({
  Items: z.array(RollbackManifestItemSchema).min(1),
  BatchInput: z.object({
    runId: z.string().min(1),
    mode: z.enum(['apply', 'rehearse']),
    target: TargetSchema,
    leaseSeconds: z.number().int().min(5).max(3_600),
  }),
});
export type RollbackWorkerInput = z.infer<typeof RollbackWorkerInputSchema>;

/** Problems and conflicts one child reports at most: its result must stay small whatever the data. */
const CHILD_SAMPLE_LIMIT = 20;
/** Later runs one child names at most (their items are all counted in `counts.laterRunWrites`). */
const CHILD_LATER_RUNS_LIMIT = 20;

/** What a child returns: counts only (apply), plus bounded samples of problems and conflicts (rehearse). */
export type RollbackWorkerResult =
  | { readonly mode: 'apply'; readonly batches: number; readonly alreadyDone: number; readonly counts: RollbackCounts }
  | {
      readonly mode: 'rehearse';
      readonly batches: number;
      readonly counts: RollbackCounts;
      readonly problemCount: number;
      /** Of `problemCount`: batches a worker of the run still holds (not snapshot problems). */
      readonly leasedBatches: number;
      readonly problems: readonly RehearsalProblem[];
      readonly conflicts: readonly RehearsalConflict[];
      /** Items later runs wrote over, by run id (at most {@link CHILD_LATER_RUNS_LIMIT} runs). */
      readonly laterRuns: Readonly<Record<string, number>>;
    };

/** Hooks for logs and metrics; the domain itself stays free of them. */
export interface RollbackWorkerObserver {
  batchDone?(outcome: RestoreBatchOutcome, durationMs: number): void;
}

/**
 * Rolls back (or rehearses) a child's batches one after another. Rehearsing is also the check every
 * rollback makes before it restores anything (CheckBatches). Applying refuses unless the run is in
 * ROLLBACK_ACTIVE_STATUSES (ROLLING_BACK), so a stale child of a finished rollback writes nothing.
 * @example
 *   const result = await processRollbackWorkerInput(deps, RollbackWorkerInputSchema.parse(event), requestId);
 */
export async function processRollbackWorkerInput(deps: Deps, input: RollbackWorkerInput, owner: string, observer: RollbackWorkerObserver = {}): Promise<RollbackWorkerResult> {
  const { runId, mode, target, leaseSeconds } = input.BatchInput;
  if (mode === 'rehearse') {
    let counts = ZERO_ROLLBACK_COUNTS;
    let problemCount = 0;
    let leasedBatches = 0;
    const problems: RehearsalProblem[] = [];
    const conflicts: RehearsalConflict[] = [];
    const laterRuns: Record<string, number> = {};
    for (const item of input.Items) {
      const outcome = await rehearseBatch(deps, { runId, target }, item);
      counts = addRollbackCounts(counts, outcome.counts);
      problemCount += outcome.problemCount;
      leasedBatches += outcome.leasedBatches;
      problems.push(...outcome.problems.slice(0, CHILD_SAMPLE_LIMIT - problems.length));
      conflicts.push(...outcome.conflicts.slice(0, CHILD_SAMPLE_LIMIT - conflicts.length));
      for (const [laterRunId, items] of Object.entries(outcome.laterRuns)) {
        if (laterRunId in laterRuns || Object.keys(laterRuns).length < CHILD_LATER_RUNS_LIMIT) laterRuns[laterRunId] = (laterRuns[laterRunId] ?? 0) + items;
      }
    }
    return { mode, batches: input.Items.length, counts, problemCount, leasedBatches, problems, conflicts, laterRuns };
  }
  const run = await requireRun(deps, runId);
  if (!isStatusIn(run.status, ROLLBACK_ACTIVE_STATUSES)) {
    throw new RunStatusError(runId, run.status, `restore its batches (only a run that is ${ROLLBACK_ACTIVE_STATUSES.join(' or ')} is restored)`);
  }
  let counts = ZERO_ROLLBACK_COUNTS;
  let alreadyDone = 0;
  for (const item of input.Items) {
    const startedMs = deps.clock.nowMs();
    const outcome = await restoreBatch(deps, { runId, target, leaseSeconds, owner }, item);
    observer.batchDone?.(outcome, deps.clock.nowMs() - startedMs);
    counts = addRollbackCounts(counts, outcome.counts);
    if (outcome.alreadyDone) alreadyDone += 1;
  }
  return { mode, batches: input.Items.length, alreadyDone, counts };
}
