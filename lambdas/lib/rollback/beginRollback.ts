import { appendAudit, startRollback, UNKNOWN_REQUESTER, type StartRollbackResult } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { NewerRunWroteItemsError, SnapshotsUnusableError } from './errors';
import type { MapResult } from './readMapResults';
import { gatherChecks, readCheckResults, type RehearsalChildResult, type RollbackChecks } from './rollbackChecks';
import type { RollbackManifestRef } from './rollbackManifest';

export interface BeginRollbackInput {
  readonly runId: string;
  readonly force: boolean;
  readonly keepNewerRunWrites: boolean;
  readonly manifest: RollbackManifestRef;
  /** Who asked for the rollback (the input's `requestedBy`). @default UNKNOWN_REQUESTER */
  readonly requestedBy?: string | null;
  readonly reason?: string | null;
  /** The rollback execution (`$$.Execution.Id`), recorded on the run. */
  readonly executionArn?: string;
}

/**
 * Acts on the check of every batch (CheckBatches), before anything is restored: refuses when a
 * snapshot cannot be used, or when later runs wrote over this run's items (unless
 * `keepNewerRunWrites`: their items are then left as they wrote them, as conflicts); otherwise moves
 * the run to ROLLING_BACK (from RUNNING only with `force`) and audits RollbackStarted and
 * RollbackPlanned with who asked and why. A resumed
 * rollback is checked again the same way: restored batches' snapshots are still there, and the
 * items a later run wrote were left alone, so the verdict does not change.
 * @throws SnapshotsUnusableError, NewerRunWroteItemsError, RunStillRunningError, RunStatusError — nothing is changed.
 * @example
 *   await beginRollbackFromChecks(deps, { runId, force: false, keepNewerRunWrites: false, manifest }, results);
 */
export async function beginRollbackFromChecks(deps: Deps, input: BeginRollbackInput, results: readonly RehearsalChildResult[]): Promise<StartRollbackResult> {
  const { runId, manifest } = input;
  const checks = await gatherChecks(deps, { runId, manifest, results });
  refuseUnsafe(runId, checks, input.keepNewerRunWrites);
  const actor = input.requestedBy ?? UNKNOWN_REQUESTER;
  const reason = input.reason ?? '';
  const started = await startRollback(deps, runId, { force: input.force, actor, reason, ...(input.executionArn ? { executionArn: input.executionArn } : {}) });
  await appendAudit(deps, {
    runId,
    type: 'RollbackPlanned',
    actor,
    detail: {
      reason,
      manifestKey: manifest.key,
      batches: manifest.batchCount,
      entries: manifest.entryCount,
      ...(checks.newerRuns.length > 0 ? { keptNewerRunWrites: checks.newerRuns.map((n) => ({ ...n })) } : {}),
    },
  });
  return started;
}

/**
 * The rollback's BeginRollback step: reads the check children's results from the CheckBatches
 * Map's ResultWriter export and acts on them ({@link beginRollbackFromChecks}).
 * @example
 *   await beginRollback(deps, { runId, force, keepNewerRunWrites, manifest, mapResult: state.checkResult });
 */
export async function beginRollback(deps: Deps, input: BeginRollbackInput & { mapResult: MapResult }): Promise<StartRollbackResult> {
  return beginRollbackFromChecks(deps, input, await readCheckResults(deps, input.runId, input.mapResult));
}

function refuseUnsafe(runId: string, checks: RollbackChecks, keepNewerRunWrites: boolean): void {
  if (checks.unusableCount > 0) {
    const unusable = checks.problems.filter((p) => p.problem !== 'batch-in-progress');
    throw new SnapshotsUnusableError(runId, unusable, checks.unusableCount);
  }
  if (checks.newerRuns.length > 0 && !keepNewerRunWrites) throw new NewerRunWroteItemsError(runId, checks.newerRuns);
}
